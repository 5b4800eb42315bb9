"""Header-block parsing shared by the mbox, .eml and Maildir readers.

Input: the raw bytes of one message's header block (no From_ line, no body), plus the
envelope From_ line when the message came from an mbox. Output: the staging row every
reader stages (`message_row`), or the same as a `MessageHeaders` record
(`parse_header_block`, which the tests read by field name), holding only what kith keeps
(who, when, which thread, which folder/labels, bulk or not).

Choices (see ../shared/formats/email.md, sections 2 and 4):
- The block is split as `BytesHeaderParser(policy=compat32)` splits it (4.8x faster than
  policy=default): by the fast path in `fastheaders.py` when the block is plain, else by
  the parser itself; values are read raw and decoded here, never through Header objects.
- Raw 8-bit bytes in a value are decoded as UTF-8, else cp1252.
- Address lists are split on the raw value first, then each display name is decoded
  (an RFC 2047 word may hide a comma). Unknown charsets fall back to UTF-8 then cp1252.
- Dates: `parsedate_to_datetime`; a naive result gets the numeric offset written in the
  value if any (`+01:00`, `(EDT) -0400`), else is taken as UTC. Unparseable or implausible
  dates fall back to the From_ line date, then the first Received date, then a caller
  supplied time (file mtime); `date_source` says which.
- Nothing here logs; names, addresses and subjects only travel in the returned record.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.header import decode_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache

from transforms.resolve.keys import email_problem, normalize_email
from transforms.sources.mail.fastheaders import compile_wanted, split_plain

_PARSER = BytesHeaderParser(policy=compat32)

# Headers kept (lower-case). Everything else is skipped without decoding.
_WANTED = frozenset(
    {
        "from",
        "sender",
        "to",
        "cc",
        "bcc",
        "reply-to",
        "delivered-to",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "subject",
        "x-gm-thrid",
        "x-gmail-labels",
        "x-mozilla-status",
        "list-id",
        "list-unsubscribe",
        "list-post",
        "mailing-list",
        "precedence",
        "auto-submitted",
        "x-autoreply",
        "x-autorespond",
        "return-path",
        "content-type",
    }
)

_WANTED_RE = compile_wanted(_WANTED)
# Received is only read when the Date is unusable: fetched on demand, not on every message.
_RECEIVED = frozenset({"received"})
_RECEIVED_RE = compile_wanted(_RECEIVED)

# (header, role) in the order participant rows are produced.
_ADDRESS_ROLES = (
    ("from", "from", "From"),
    ("sender", "sender", "Sender"),
    ("to", "to", "To"),
    ("cc", "cc", "Cc"),
    ("bcc", "bcc", "Bcc"),
    ("delivered-to", "delivered_to", "Delivered-To"),
    ("reply-to", "reply_to", "Reply-To"),
)

# Envelope line: "From <token> <date>"; the date part must hold HH:MM and later a year.
FROM_LINE_RE = re.compile(rb"From \S* +.*\d\d:\d\d(?::\d\d)?.*\d{4}")
_FROM_LINE_DATE = re.compile(
    r"(?P<mon>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+(?P<h>\d{1,2}):(?P<m>\d\d)(?::(?P<s>\d\d))?"
    r"(?:\s+(?P<z1>[+-]\d{4}|[A-Za-z]{1,5}))?\s+(?P<y>\d{4})(?:\s+(?P<z2>[+-]\d{4}))?"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# The common RFC 5322 Date shape (`Tue, 14 Mar 2023 10:22:33 +0100`, optionally a trailing
# comment): parsed here without `parsedate_to_datetime` (12 us). Only shapes whose reading
# by the email package is unambiguous match (4-digit year from 1000, valid time fields,
# an offset below 24 h); everything else takes the general path.
_RFC5322_DATE = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d\d?) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]\d{3}) "
    r"([01]\d|2[0-3]):([0-5]\d):([0-5]\d) ([+-])([01]\d|2[0-3])([0-5]\d)"
    r"(?: \([ -'*-~]*\))?\Z",
    re.ASCII,
)
_MONTH_NUMBER = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_GMAIL_ID = re.compile(r"^(\d{6,25})@xxx$")
_MSG_ID = re.compile(r"<([^<>\s]+)>")
_OFFSET = re.compile(r"(?:^|\s|\()([+-])(\d\d):?(\d\d)(?!\d)")
_ADDR_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"?|\((?:\\.|[^()\\])*\)?|<[^<>]*>?|[,;:]|[^,;:"(<]+')
_PLAIN_WORDS = re.compile(r"^[^\W\d_][\w .'-]*$")
_AUTOMATED_LOCAL = re.compile(
    r"^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|notifications?)(?:[+._-]|$)"
)
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)

_BULK_LABELS = {
    "category promotions": "promotions",
    "category updates": "updates",
    "category forums": "forums",
    "category social": "social",
}
_SENT_FOLDERS = frozenset(
    {
        "sent",
        "sent items",
        "sent messages",
        "sent mail",
        "gesendet",
        "gesendete elemente",
        "gesendete objekte",
        "envoyés",
        "éléments envoyés",
        "enviados",
        "elementos enviados",
        "posta inviata",
        "inviati",
        "verzonden",
        "verzonden items",
    }
)
_DRAFT_FOLDERS = frozenset({"draft", "drafts", "entwürfe", "brouillons", "borradores", "bozze"})
_SPAM_FOLDERS = frozenset({"spam", "junk", "junk e-mail", "junk email", "bulk mail"})


@dataclass(slots=True)
class MessageHeaders:
    """What kith keeps from one message's header block."""

    message_key: str  # Message-ID, else "gmail:<id>", else "sha1:<hex>"
    message_id: str | None
    sent_at: datetime | None  # aware, UTC
    date_source: str | None  # header / from_line / received / mtime
    date_raw: str | None  # the raw Date value (for a reject reason only)
    date_tz_unknown: bool  # the date carried no usable offset; UTC assumed
    from_addr: str | None  # first valid From address, else first valid Sender address
    subject: str | None
    thread_key: str
    in_reply_to: str | None
    references_root: str | None
    parent_message_id: str | None  # In-Reply-To, else the last References id
    gmail_id: str | None
    gmail_thread_id: str | None
    gmail_labels: list[str]
    kind: str  # email / chat
    is_bulk: bool
    bulk_reason: str | None
    is_sent_folder: bool
    is_draft: bool
    is_spam: bool
    is_trash: bool
    is_deleted: bool  # Thunderbird X-Mozilla-Status expunged bit (0x0008)
    participants: list[tuple[str, str, str | None]] = field(default_factory=list)
    address_problems: list[str] = field(default_factory=list)  # reasons, no addresses

    @property
    def problem(self) -> str | None:
        """Why the message cannot be staged, or None when it can."""
        return header_problem(self.from_addr, self.sent_at is not None, self.date_raw)


# -- text decoding -------------------------------------------------------------------------


def _decode_bytes(raw: bytes, charset: str | None = None) -> str:
    """Bytes as text: the declared charset if Python knows it, else UTF-8 with any
    non-UTF-8 bytes read as cp1252 (a valid UTF-8 name next to one stray Latin-1 byte
    keeps its UTF-8 part)."""
    if charset:
        try:
            codecs.lookup(charset)
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError, ValueError):
            pass
    return raw.decode("utf-8", errors=_CP1252_FALLBACK)


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as cp1252 (mixed values)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="replace"), err.end


_CP1252_FALLBACK = "kith-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


def unfold(value: str) -> str:
    """A raw compat32 header value as one line of real text (8-bit bytes decoded)."""
    if "\n" in value or "\r" in value:
        value = value.replace("\r", "").replace("\n", "")
    if not value.isascii():
        try:
            value = _decode_bytes(value.encode("ascii", "surrogateescape"))
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
    return value.strip()


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded words; unknown charsets and bad encodings never raise."""
    if "=?" not in text:
        return text
    try:
        parts = decode_header(text)
    except Exception:  # malformed encoded words: keep the text as written
        return text
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:
            try:
                out.append(chunk.decode("raw-unicode-escape"))
            except UnicodeDecodeError:
                out.append(chunk.decode("latin-1"))
        else:
            out.append(_decode_bytes(chunk, charset))
    return "".join(out)


def _clean_name(text: str | None) -> str | None:
    if not text:
        return None
    out = " ".join(decode_words(text).split())
    return out or None


# -- addresses -----------------------------------------------------------------------------


def _unquote(piece: str) -> str:
    if len(piece) >= 2 and piece[0] == '"' and piece[-1] == '"':
        piece = piece[1:-1]
    elif piece.startswith('"'):
        piece = piece[1:]
    return re.sub(r"\\(.)", r"\1", piece) if "\\" in piece else piece


def _tokens(value: str) -> list[tuple[str, str | None, str | None]]:
    """Split an address-list value into (raw token, name part, angle address or None).

    Commas and semicolons split at top level (outside quotes, comments and <>); a group's
    display name ("team:" / "undisclosed-recipients:") is dropped; empty entries vanish.
    """
    simple = _simple_tokens(value)
    return simple if simple is not None else _tokens_general(value)


# One entry of a simple list: `Name <addr>` or `"Quoted, Name" <addr>` (no specials in the
# unquoted name, no backslash or quote in the quoted one, none in the address), then a
# comma or the end.
_SIMPLE_ENTRY = re.compile(
    r'(?:([^",;:()<>\\]*)|[ \t]*"([^"\\]*)"[ \t]*)<([^<>",;:()\\\s]+)>[ \t]*(?:,|\Z)'
)


def _simple_tokens(value: str) -> list[tuple[str, str | None, str | None]] | None:
    """`_tokens_general` for a list of simple entries (nearly every From/To/Cc value), in
    one regex step per entry; None for anything else. `tests/sources/test_headers.py`
    checks the two agree."""
    out: list[tuple[str, str | None, str | None]] = []
    pos, end = 0, len(value)
    match = _SIMPLE_ENTRY.match
    while pos < end:
        m = match(value, pos)
        if m is None:
            return None
        bare, quoted, angle = m.groups()
        raw = value[pos : m.end()].rstrip(",").strip()
        out.append((raw, bare.strip() if quoted is None else quoted, angle))
        pos = m.end()
    if not out or value.endswith(","):
        return None
    return out


def _tokens_general(value: str) -> list[tuple[str, str | None, str | None]]:
    """The general tokenizer behind `_tokens`: quotes, comments, groups, source routes,
    unquoted commas in names."""
    out: list[tuple[str, str | None, str | None]] = []
    pieces: list[str] = []
    name_pieces: list[str] = []
    angle: str | None = None

    def flush() -> None:
        raw = "".join(pieces).strip()
        if raw:
            name = " ".join(p for p in name_pieces if p) if angle is not None else None
            out.append((raw, name, angle))

    for piece in _ADDR_TOKEN.findall(value):
        if piece in (",", ";"):
            flush()
            pieces, name_pieces, angle = [], [], None
        elif piece == ":":
            if angle is None:  # group display name: drop it
                pieces, name_pieces = [], []
            else:
                pieces.append(piece)
        else:
            pieces.append(piece)
            first = piece[0]
            if first == "<":
                angle = piece[1:].rstrip(">").strip()
                if ":" in angle:  # obsolete source route <@a,@b:user@host>
                    angle = angle.rsplit(":", 1)[1]
            elif angle is None:
                if first == '"':
                    name_pieces.append(_unquote(piece))
                elif first != "(":
                    name_pieces.append(piece.strip())
    flush()

    # "Smith, Bob <bob@x.org>" (unquoted comma): glue the bare words to the next name.
    merged: list[tuple[str, str | None, str | None]] = []
    i = 0
    while i < len(out):
        raw, name, angle = out[i]
        if (
            angle is None
            and "@" not in raw
            and i + 1 < len(out)
            and out[i + 1][2] is not None
            and out[i + 1][1]
            and _PLAIN_WORDS.match(raw)
        ):
            nraw, nname, nangle = out[i + 1]
            merged.append((f"{raw}, {nraw}", f"{raw}, {nname}", nangle))
            i += 2
            continue
        merged.append((raw, name, angle))
        i += 1
    return merged


def split_addresses(value: str) -> list[tuple[str | None, str | None, str]]:
    """(decoded display name, address as written or None, raw token) for each entry.

    `value` is an unfolded, 8-bit-decoded header value. An address of None means the
    token held nothing `getaddresses` could read (e.g. `bob@`).
    """
    result: list[tuple[str | None, str | None, str]] = []
    for raw, name, angle in _tokens(value):
        result.extend(_token_addresses(raw, name, angle))
    return result


@lru_cache(maxsize=100_000)
def _token_addresses(
    raw: str, name: str | None, angle: str | None
) -> tuple[tuple[str | None, str | None, str], ...]:
    if angle is not None:
        return ((_clean_name(name), angle, raw),)
    found = [(n, a) for n, a in getaddresses([raw]) if a]
    if not found:
        return ((None, None, raw),)
    return tuple((_clean_name(n), a, raw) for n, a in found)


@lru_cache(maxsize=100_000)
def address_entries(value: str) -> tuple[tuple[str | None, str | None, str | None], ...]:
    """(display name, normalised address or None, problem or None) per entry of a value.

    Cached per value and per token: the same From/To values and the same people recur
    across a mailbox, so each is split, decoded and validated once.
    """
    return tuple(_checked(name, addr, token) for name, addr, token in split_addresses(value))


@lru_cache(maxsize=100_000)
def _raw_address_entries(
    raw: str,
) -> tuple[tuple[str | None, str | None, str | None], ...]:
    """`address_entries` of a raw (folded, 8-bit) header value: unfold included in the cache."""
    return address_entries(unfold(raw))


RoleEntries = tuple[tuple[tuple[str, str, str | None], ...], tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=100_000)
def _role_entries(raw: str, role: str, label: str) -> RoleEntries:
    """(participant rows, problems, valid addresses in order) of one raw address header
    value in one role: rows are (role, address, display name), one per distinct address.
    Cached: From/To/Cc values recur, and the loop over their entries is per-message work."""
    return _role_entries_many((raw,), role, label)


def _role_entries_many(raws: tuple[str, ...], role: str, label: str) -> RoleEntries:
    """`_role_entries` over several values of one header (a repeated To:, say)."""
    rows: list[tuple[str, str, str | None]] = []
    problems: list[str] = []
    addrs: list[str] = []
    seen: set[str] = set()
    for raw in raws:
        for name, norm, problem in _raw_address_entries(raw):
            if norm is None:
                problems.append(f"invalid address in {label}: {problem}")
                continue
            addrs.append(norm)
            if norm not in seen:
                seen.add(norm)
                rows.append((role, norm, name))
    return tuple(rows), tuple(problems), tuple(addrs)


@lru_cache(maxsize=100_000)
def _checked(
    name: str | None, addr: str | None, token: str
) -> tuple[str | None, str | None, str | None]:
    norm = normalize_email(addr) if addr else None
    return (name, norm, None if norm else email_problem(addr or token))


# -- dates ---------------------------------------------------------------------------------


def parse_date(value: str | None) -> tuple[datetime | None, bool]:
    """(UTC datetime or None, tz_unknown) for a Date-style value."""
    if not value:
        return None, False
    m = _RFC5322_DATE.match(value)
    if m is not None:
        day, mon, year, hh, mi, ss, sign, oh, om = m.groups()
        offset = int(oh) * 3600 + int(om) * 60
        if offset or sign == "+":  # "-0000" means "zone unknown": the general path
            try:
                dt = datetime(int(year), _MONTH_NUMBER[mon], int(day), int(hh), int(mi), int(ss))
            except ValueError:  # 31 Feb: the general path says the same
                pass
            else:
                delta = timedelta(seconds=offset if sign == "+" else -offset)
                try:
                    return dt.replace(tzinfo=UTC) - delta, False
                except OverflowError:  # beyond year 9999 in UTC: no usable date
                    return None, False
    return _parse_date_general(value)


# `_RFC5322_DATE` with the date, the clock and the zone as three groups (the same shapes):
# days and zones repeat across a mailbox, so each is converted once (clocks rarely do).
_RFC5322_PARTS = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?"
    r"(\d\d? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [1-9]\d{3}) "
    r"((?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d) ([+-](?:[01]\d|2[0-3])[0-5]\d)"
    r"(?: \([ -'*-~]*\))?\Z",
    re.ASCII,
)
_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()


def _date_micros(value: str) -> int | None:
    """`parse_date(value)` as microseconds since the epoch, for the shapes its fast path
    reads with a known offset; None for anything else (the caller then uses `parse_date`).
    `tests/sources/test_headers.py` checks the two agree."""
    m = _RFC5322_PARTS.match(value)
    if m is None:
        return None
    day, clock, zone = m.groups()
    days = _day_micros(day)
    offset = _zone_micros(zone)
    if days is None or offset is None:
        return None
    return days + _clock_micros(clock) + offset


@lru_cache(maxsize=20_000)
def _day_micros(text: str) -> int | None:
    """`14 Mar 2023` -> microseconds from the epoch to that midnight; None for 31 Feb."""
    day, mon, year = text.split(" ")
    try:
        ordinal = date(int(year), _MONTH_NUMBER[mon], int(day)).toordinal()
    except ValueError:
        return None
    return (ordinal - _EPOCH_ORDINAL) * 86_400_000_000


def _clock_micros(text: str) -> int:
    """`10:22:33` (the shape `_RFC5322_PARTS` matched) -> microseconds since midnight.
    Not cached: nearly every message has its own clock, so a cache only held memory."""
    return (int(text[:2]) * 3600 + int(text[3:5]) * 60 + int(text[6:])) * 1_000_000


@lru_cache(maxsize=4096)
def _zone_micros(text: str) -> int | None:
    """`+0100` -> the microseconds to add to local time for UTC; None for `-0000` (zone
    unknown: the general path marks it)."""
    offset = (int(text[1:3]) * 3600 + int(text[3:5]) * 60) * 1_000_000
    if not offset and text[0] == "-":
        return None
    return -offset if text[0] == "+" else offset


def _parse_date_general(value: str) -> tuple[datetime | None, bool]:
    """`parse_date` through `parsedate_to_datetime`: any shape the email package reads."""
    try:
        dt = parsedate_to_datetime(value)
    except Exception:  # ValueError, TypeError, OverflowError on garbage
        return None, False
    if dt is None:
        return None, False
    tz_unknown = False
    if dt.tzinfo is None:
        matches = _OFFSET.findall(value)
        sign, hh, mm = matches[-1] if matches else ("+", "00", "00")
        minutes = int(hh) * 60 + int(mm)
        if matches and minutes < 24 * 60:
            offset = timedelta(minutes=minutes if sign == "+" else -minutes)
            tz_unknown = minutes == 0 and sign == "-"
            dt = dt.replace(tzinfo=timezone(offset))
        else:
            tz_unknown = True
            dt = dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(UTC), tz_unknown
    except (OverflowError, ValueError):
        return None, False


def parse_from_line(line: bytes | str | None) -> tuple[str | None, datetime | None]:
    """(sender token, UTC date or None) from an mbox From_ line."""
    if not line:
        return None, None
    if isinstance(line, bytes):
        line = line.decode("latin-1")
    line = line.rstrip("\r\n")
    if not line.startswith("From "):
        return None, None
    rest = line[5:].lstrip(" ")
    token, _, tail = rest.partition(" ")
    m = _FROM_LINE_DATE.search(tail)
    if not m:
        return token or None, None
    month = _MONTHS.get(m["mon"].lower())
    if month is None:
        return token or None, None
    zone = m["z1"] if m["z1"] and m["z1"][0] in "+-" else m["z2"]
    tz = UTC
    if zone:
        minutes = int(zone[1:3]) * 60 + int(zone[3:5])
        tz = timezone(timedelta(minutes=minutes if zone[0] == "+" else -minutes))
    try:
        dt = datetime(
            int(m["y"]), month, int(m["day"]), int(m["h"]), int(m["m"]), int(m["s"] or 0), tzinfo=tz
        )
    except ValueError:
        return token or None, None
    return token or None, dt.astimezone(UTC)


def _plausible(dt: datetime | None, latest: datetime) -> bool:
    """Between 1990 and `latest` (now + 1 day, taken once per file by the readers)."""
    return dt is not None and _EARLIEST <= dt <= latest


def latest_plausible() -> datetime:
    """The latest plausible message time: now + 1 day (clocks and zones disagree)."""
    return datetime.now(UTC) + timedelta(days=1)


# -- ids and labels ------------------------------------------------------------------------


def normalize_message_id(value: str | None) -> str | None:
    """The first `<id>` in the value without brackets, else the stripped value; None if empty."""
    if not value:
        return None
    m = _MSG_ID.search(value)
    if m:
        return m.group(1)
    text = value.strip().strip("<>").strip()
    if not text:
        return None
    return text.split()[0]


def _first_reference(value: str | None) -> str | None:
    if not value:
        return None
    m = _MSG_ID.search(value)
    if m:
        return m.group(1)
    for word in value.split():
        word = word.strip("<>,")
        if "@" in word:
            return word
    return None


def _last_reference(value: str | None) -> str | None:
    if not value:
        return None
    ids = _MSG_ID.findall(value)
    if ids:
        return ids[-1]
    for word in reversed(value.split()):
        word = word.strip("<>,")
        if "@" in word:
            return word
    return None


def parse_labels(value: str | None) -> list[str]:
    """X-Gmail-Labels: decode encoded words, then split as CSV, strip, drop empties."""
    if not value:
        return []
    text = decode_words(value)
    try:
        rows = list(csv.reader([text], skipinitialspace=True))
    except csv.Error:
        rows = [text.split(",")]
    return [label.strip() for label in (rows[0] if rows else []) if label.strip()]


@lru_cache(maxsize=4096)
def _label_facts(
    raw: str | None, folder: str | None
) -> tuple[tuple[str, ...], str, bool, bool, bool, bool, str | None]:
    """(labels, kind, is_sent, is_draft, is_spam, is_trash, bulk reason from a category
    label) of a raw X-Gmail-Labels value in a folder: label sets repeat, so each is read once."""
    labels = tuple(parse_labels(unfold(raw))) if raw is not None else ()
    cf = frozenset(label.casefold() for label in labels)
    f_sent, f_draft, f_spam = folder_flags(folder)
    bulk = None
    for label, short in _BULK_LABELS.items():
        if label in cf:
            bulk = f"gmail category {short}"
            break
    return (
        labels,
        "chat" if "chat" in cf else "email",
        f_sent or "sent" in cf,
        f_draft or "draft" in cf or "drafts" in cf,
        f_spam or "spam" in cf,
        "trash" in cf,
        bulk,
    )


@lru_cache(maxsize=4096)
def folder_flags(folder: str | None) -> tuple[bool, bool, bool]:
    """(is_sent, is_draft, is_spam) from a folder name's last component."""
    if not folder:
        return False, False, False
    last = re.split(r"[/\\]", folder.strip())[-1].strip().casefold()
    if last.startswith("[gmail]."):
        last = last[8:]
    return last in _SENT_FOLDERS, last in _DRAFT_FOLDERS, last in _SPAM_FOLDERS


# -- the record ----------------------------------------------------------------------------


def _bulk_header_reason(h: dict[str, list[str]]) -> str | None:
    """The bulk reason the headers themselves give (list, precedence, auto-reply, bounce)."""
    for name in ("list-id", "list-unsubscribe", "list-post", "mailing-list"):
        if name in h:
            return f"{name} header"
    precedence = unfold(h["precedence"][0]).lower() if "precedence" in h else ""
    if precedence in ("bulk", "list", "junk"):
        return f"precedence: {precedence}"
    if "auto-submitted" in h:
        value = unfold(h["auto-submitted"][0]).lower()
        word = value.split("(")[0].split(";")[0].strip()
        if word != "no":
            return f"auto-submitted: {word or 'empty'}"[:60]
    if "x-autoreply" in h or "x-autorespond" in h:
        return "autoreply header"
    if "return-path" in h and unfold(h["return-path"][0]).replace(" ", "") == "<>":
        return "return-path <>"
    if "content-type" in h and unfold(h["content-type"][0]).lower().startswith("multipart/report"):
        return "multipart/report"
    return None


@lru_cache(maxsize=100_000)
def _automated(addr: str) -> bool:
    """A no-reply / mailer-daemon / notifications sender address (senders repeat)."""
    return _AUTOMATED_LOCAL.match(addr.rpartition("@")[0]) is not None


def _raw_headers(raw: bytes, wanted: frozenset[str] = _WANTED) -> dict[str, list[str]]:
    """The wanted headers' raw values: the fast path, else the email package."""
    fast = split_plain(raw, _RECEIVED_RE if wanted is _RECEIVED else _WANTED_RE)
    if fast is not None:
        return fast
    return _raw_headers_email(raw, wanted)


def _raw_headers_email(raw: bytes, wanted: frozenset[str] = _WANTED) -> dict[str, list[str]]:
    """The reference path: compat32 `BytesHeaderParser`, raw values of wanted headers."""
    msg = _PARSER.parsebytes(raw)
    out: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        key = name.strip().lower()
        if key in wanted:
            if not isinstance(value, str):  # defensive: compat32 keeps str values
                value = str(value)
            out.setdefault(key, []).append(value)
    return out


# A staged message row: the columns of `transforms.sources.mbox._M_ROW`, in that order
# (labels as a tuple; sent_at as microseconds since the epoch, UTC).
Row = tuple
# What `message_row` returns: (row, participants, address problems, is_deleted, sent_at,
# date_raw, references_root, gmail_thread_id); sent_at is None when the row's
# microseconds came from the date fast path (`parse_header_block` rebuilds it).
Parts = tuple[
    Row,
    list[tuple[str, str, str | None]],
    list[str],
    bool,
    datetime | None,
    str | None,
    str | None,
    str | None,
]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_EARLIEST_US = (_EARLIEST - _EPOCH) // _US


@lru_cache(maxsize=8)
def _micros(when: datetime) -> int:
    """Microseconds since the epoch of an aware datetime (`latest`: one per file)."""
    return (when - _EPOCH) // _US


# `_GMAIL_ID` on the From_ line's token, read from the bytes (`$` allows a final newline).
_GMAIL_FROM = re.compile(rb"From (\d{6,25})@xxx\n?(?: |\Z)")


def header_problem(from_addr: str | None, has_date: bool, date_raw: str | None) -> str | None:
    """Why a message cannot be staged (no sender, no date), or None when it can."""
    if from_addr is None:
        return "no usable sender address"
    if not has_date:
        raw = (date_raw or "")[:80]
        return f"no usable date (raw Date: {raw!r})"
    return None


def parse_header_block(
    raw: bytes,
    from_line: bytes | str | None = None,
    folder: str | None = None,
    fallback_time: datetime | None = None,
    fallback_source: str = "mtime",
) -> MessageHeaders:
    """Parse one message's header block into a `MessageHeaders` record. Never raises on data.

    `from_line` is the mbox envelope line (Gmail id, internal date); `folder` sets the
    Sent/Draft/Spam flags together with Gmail labels; `fallback_time` (e.g. file mtime) is
    the last date fallback. The work is `message_row`'s (every reader stages its row
    directly, through `mbox.stage_block`); this is the same parse as a named record, which
    the tests read field by field.
    """
    row, participants, problems, is_deleted, sent_at, date_raw, references_root, thrid = (
        message_row(raw, from_line, folder, "", latest_plausible(), fallback_time, fallback_source)
    )
    if sent_at is None and row[3] is not None:  # the date fast path gave microseconds
        sent_at = _EPOCH + timedelta(microseconds=row[3])
    return MessageHeaders(
        message_key=row[1],
        message_id=row[2],
        sent_at=sent_at,
        date_source=row[4],
        date_raw=date_raw,
        date_tz_unknown=row[19],
        from_addr=row[5],
        subject=row[6],
        thread_key=row[7],
        in_reply_to=row[8],
        references_root=references_root,
        parent_message_id=row[18],
        gmail_id=row[20],
        gmail_thread_id=thrid,
        gmail_labels=list(row[9]),
        kind=row[11],
        is_bulk=row[12],
        bulk_reason=row[13],
        is_sent_folder=row[14],
        is_draft=row[15],
        is_spam=row[16],
        is_trash=row[17],
        is_deleted=is_deleted,
        participants=participants,
        address_problems=problems,
    )


def message_row(
    raw: bytes,
    from_line: bytes | str | None,
    folder: str | None,
    location: str,
    latest: datetime,
    fallback_time: datetime | None = None,
    fallback_source: str = "mtime",
) -> Parts:
    """Parse one header block straight into its staging row (see `Parts`). Never raises on
    data. Why not `MessageHeaders`: the mbox hot path stages ~10k messages per 300 MB and a
    25-field record copied field by field into a row costs more than the row itself.
    `latest` is `latest_plausible()`, taken once per file.
    """
    h = _raw_headers(raw)
    get = h.get

    # -- addresses
    participants: list[tuple[str, str, str | None]] = []
    problems: list[str] = []
    from_addrs: tuple[str, ...] = ()
    sender_addr: str | None = None
    for header, role, label in _ADDRESS_ROLES:
        values = get(header)
        if not values:
            continue
        if len(values) == 1 or header == "delivered-to":
            rows, role_problems, addrs = _role_entries(values[0], role, label)
        else:  # the header is repeated: one role's rows over all its values
            rows, role_problems, addrs = _role_entries_many(tuple(values), role, label)
        participants += rows
        if role_problems:
            problems += role_problems
        if role == "from":
            from_addrs = addrs
        elif role == "sender" and addrs:
            sender_addr = addrs[0]
    from_addr = from_addrs[0] if from_addrs else sender_addr

    # -- envelope, labels
    gmail_id = None
    if from_line and from_line[5:6].isdigit():  # Takeout: "From <digits>@xxx ..."
        if isinstance(from_line, bytes):
            m = _GMAIL_FROM.match(from_line)
            gmail_id = m.group(1).decode("ascii") if m else None
        else:
            m = _GMAIL_ID.match(from_line[5:].split(" ", 1)[0])
            gmail_id = m.group(1) if m else None
    raw_labels = get("x-gmail-labels")
    labels, kind, is_sent, is_draft, is_spam, is_trash, label_bulk = _label_facts(
        raw_labels[0] if raw_labels else None, folder
    )

    # -- date (sent_at stays None when the fast path gives `micros` directly)
    values = get("date")
    date_raw = unfold(values[0]) if values else None
    micros = _date_micros(date_raw) if date_raw else None
    sent_at: datetime | None = None
    tz_unknown = False
    date_source: str | None = "header"
    if micros is None or not (_EARLIEST_US <= micros <= _micros(latest)):
        micros = None
        sent_at, tz_unknown = parse_date(date_raw)
        date_source = "header" if sent_at else None
    if micros is None and (sent_at is None or not (_EARLIEST <= sent_at <= latest)):
        received = _raw_headers(raw, _RECEIVED).get("received")
        candidates = [(parse_from_line(from_line)[1], "from_line")]
        if received:
            candidates.append((parse_date(unfold(received[0]).rpartition(";")[2])[0], "received"))
        candidates.append((fallback_time, fallback_source))
        for candidate, source in candidates:
            if _plausible(candidate, latest):
                sent_at, date_source, tz_unknown = candidate, source, False
                break
        else:
            if sent_at is None:
                for candidate, source in candidates:
                    if candidate is not None:
                        sent_at, date_source, tz_unknown = candidate, source, False
                        break

    # -- identity and threading
    values = get("subject")
    subject_raw = unfold(values[0]) if values else None
    subject = _clean_name(subject_raw) if subject_raw is not None else None
    values = get("message-id")
    message_id = normalize_message_id(unfold(values[0])) if values else None
    if message_id:
        message_key = message_id
    elif gmail_id:
        message_key = f"gmail:{gmail_id}"
    else:
        from_v, to_v = get("from"), get("to")
        basis = "\x1f".join(
            (
                unfold(from_v[0]) if from_v else "",
                date_raw or (sent_at.isoformat() if sent_at else ""),
                subject_raw or "",
                unfold(to_v[0]) if to_v else "",
            )
        )
        message_key = "sha1:" + hashlib.sha1(basis.encode("utf-8", "replace")).hexdigest()
    values = get("x-gm-thrid")
    thrid = unfold(values[0]).split() if values else None
    thrid = thrid[0] if thrid else None
    values = get("references")
    references = unfold(values[0]) if values else None
    references_root = _first_reference(references)
    values = get("in-reply-to")
    in_reply_to = _first_reference(unfold(values[0])) if values else None
    parent_message_id = in_reply_to or _last_reference(references)
    thread_key = thrid or references_root or in_reply_to or message_key

    # -- flags
    values = get("x-mozilla-status")
    is_deleted = False
    if values:
        status = unfold(values[0])
        try:
            is_deleted = bool(int(status, 16) & 0x0008) if status else False
        except ValueError:
            is_deleted = False
    bulk_reason = _bulk_header_reason(h)
    if bulk_reason is None:
        for addr in from_addrs:
            if _automated(addr):
                bulk_reason = "automated sender"
                break
        else:
            bulk_reason = label_bulk

    if sent_at is not None:
        micros = (sent_at - _EPOCH) // _US
    row = (
        location,
        message_key,
        message_id,
        micros,
        date_source,
        from_addr,
        subject,
        thread_key,
        in_reply_to,
        labels,
        folder,
        kind,
        bulk_reason is not None,
        bulk_reason,
        is_sent,
        is_draft,
        is_spam,
        is_trash,
        parent_message_id,
        tz_unknown,
        gmail_id,
    )
    return row, participants, problems, is_deleted, sent_at, date_raw, references_root, thrid
