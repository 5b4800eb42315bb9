"""Header-block parsing shared by the mbox, .eml and Maildir readers.

Input: the raw bytes of one message's header block (no From_ line, no body), plus the
envelope From_ line when the message came from an mbox. Output: a `MessageHeaders` record
holding only what kith keeps (who, when, which thread, which folder/labels, bulk or not).

Choices (see ../shared/formats/email.md, sections 2 and 4):
- `BytesHeaderParser(policy=compat32)` splits and unfolds the block (4.8x faster than
  policy=default); values are read raw and decoded here, never through Header objects.
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
from datetime import UTC, datetime, timedelta, timezone
from email.header import decode_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache

from transforms.resolve.keys import email_problem, normalize_email
from transforms.sources.fastheaders import compile_wanted, split_plain

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
        if self.from_addr is None:
            return "no usable sender address"
        if self.sent_at is None:
            raw = (self.date_raw or "")[:80]
            return f"no usable date (raw Date: {raw!r})"
        return None


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
                return dt.replace(tzinfo=UTC) - delta, False
    return _parse_date_general(value)


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


def _plausible(dt: datetime | None) -> bool:
    return dt is not None and _EARLIEST <= dt <= datetime.now(UTC) + timedelta(days=1)


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
def _labels(raw: str | None) -> tuple[tuple[str, ...], frozenset[str]]:
    """(labels, casefolded labels) of a raw X-Gmail-Labels value; label sets repeat."""
    labels = tuple(parse_labels(unfold(raw))) if raw is not None else ()
    return labels, frozenset(label.casefold() for label in labels)


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


def _bulk_reason(
    h: dict[str, list[str]], from_addrs: list[str], labels_cf: frozenset[str]
) -> str | None:
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
    for addr in from_addrs:
        local = addr.rpartition("@")[0]
        m = _AUTOMATED_LOCAL.match(local)
        if m:
            return "automated sender"
    for label, short in _BULK_LABELS.items():
        if label in labels_cf:
            return f"gmail category {short}"
    return None


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
    the last date fallback.
    """
    h = _raw_headers(raw)
    get = h.get

    def first(name: str) -> str | None:
        values = get(name)
        return unfold(values[0]) if values else None

    # -- addresses
    participants: list[tuple[str, str, str | None]] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    role_addrs: dict[str, list[str]] = {}
    for header, role, label in _ADDRESS_ROLES:
        values = h.get(header)
        if not values:
            continue
        if header == "delivered-to":
            values = values[:1]
        for value in values:
            for name, norm, problem in _raw_address_entries(value):
                if norm is None:
                    problems.append(f"invalid address in {label}: {problem}")
                    continue
                role_addrs.setdefault(role, []).append(norm)
                if (role, norm) not in seen:
                    seen.add((role, norm))
                    participants.append((role, norm, name))
    from_addrs = role_addrs.get("from") or []
    from_addr = from_addrs[0] if from_addrs else (role_addrs.get("sender") or [None])[0]

    # -- envelope, labels
    gmail_id = None
    if from_line and from_line[5:6].isdigit():  # Takeout: "From <digits>@xxx ..."
        token = (from_line.decode("latin-1") if isinstance(from_line, bytes) else from_line)[5:]
        m = _GMAIL_ID.match(token.split(" ", 1)[0])
        gmail_id = m.group(1) if m else None
    raw_labels = get("x-gmail-labels")
    labels_t, labels_cf = _labels(raw_labels[0] if raw_labels else None)
    labels = list(labels_t)
    f_sent, f_draft, f_spam = folder_flags(folder)

    # -- date
    date_raw = first("date")
    sent_at, tz_unknown = parse_date(date_raw)
    date_source = "header" if sent_at else None
    if not _plausible(sent_at):
        received = _raw_headers(raw, _RECEIVED).get("received")
        candidates = [(parse_from_line(from_line)[1], "from_line")]
        if received:
            candidates.append((parse_date(unfold(received[0]).rpartition(";")[2])[0], "received"))
        candidates.append((fallback_time, fallback_source))
        for candidate, source in candidates:
            if _plausible(candidate):
                sent_at, date_source, tz_unknown = candidate, source, False
                break
        else:
            if sent_at is None:
                for candidate, source in candidates:
                    if candidate is not None:
                        sent_at, date_source, tz_unknown = candidate, source, False
                        break

    # -- identity and threading
    subject_raw = first("subject")
    subject = _clean_name(subject_raw) if subject_raw is not None else None
    message_id = normalize_message_id(first("message-id"))
    if message_id:
        message_key = message_id
    elif gmail_id:
        message_key = f"gmail:{gmail_id}"
    else:
        basis = "\x1f".join(
            (
                first("from") or "",
                date_raw or (sent_at.isoformat() if sent_at else ""),
                subject_raw or "",
                first("to") or "",
            )
        )
        message_key = "sha1:" + hashlib.sha1(basis.encode("utf-8", "replace")).hexdigest()
    thrid = first("x-gm-thrid")
    thrid = thrid.split()[0] if thrid else None
    references = first("references")
    references_root = _first_reference(references)
    in_reply_to = _first_reference(first("in-reply-to"))
    parent_message_id = in_reply_to or _last_reference(references)
    thread_key = thrid or references_root or in_reply_to or message_key

    # -- flags
    status = first("x-mozilla-status")
    try:
        is_deleted = bool(int(status, 16) & 0x0008) if status else False
    except ValueError:
        is_deleted = False
    bulk_reason = _bulk_reason(h, from_addrs, labels_cf)

    return MessageHeaders(
        message_key=message_key,
        message_id=message_id,
        sent_at=sent_at,
        date_source=date_source,
        date_raw=date_raw,
        date_tz_unknown=tz_unknown,
        from_addr=from_addr,
        subject=subject,
        thread_key=thread_key,
        in_reply_to=in_reply_to,
        references_root=references_root,
        parent_message_id=parent_message_id,
        gmail_id=gmail_id,
        gmail_thread_id=thrid,
        gmail_labels=labels,
        kind="chat" if "chat" in labels_cf else "email",
        is_bulk=bulk_reason is not None,
        bulk_reason=bulk_reason,
        is_sent_folder=f_sent or "sent" in labels_cf,
        is_draft=f_draft or "draft" in labels_cf or "drafts" in labels_cf,
        is_spam=f_spam or "spam" in labels_cf,
        is_trash="trash" in labels_cf,
        is_deleted=is_deleted,
        participants=participants,
        address_problems=problems,
    )
