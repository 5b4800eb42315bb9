"""LinkedIn "Get a copy of your data" export reader (zip or folder) → staged frames.

Files read (matched by basename, case-, space- and underscore-insensitively, anywhere in the
archive up to three levels deep), columns always mapped by normalised header NAME:

* ``Connections.csv`` → ``stg_linkedin_connections``. Header found by scanning the first 20
  records for one whose first field is ``First Name`` (the mid-2021+ ``Notes:`` preamble is
  skipped, never a fixed count). Variants: 6 columns
  ``First Name,Last Name,Email Address,Company,Position,Connected On`` (2018 - mid-2023) and
  7 columns with ``URL`` as 3rd column (late 2023+). ``Connected On``: ``05 Feb 2014``,
  ``1/8/18, 6:14 PM`` (2018), ISO dates, spreadsheet ``29-Feb-20``. Hidden-profile rows
  (``,,,,,,03 Sep 2023``) are loaded, not rejected.
* ``messages.csv`` / ``Messages.csv`` → ``stg_linkedin_messages``. Every header generation:
  2018 ``From,To,Date,Subject,Content,Direction,Folder`` (and its upper-case 2020 twin);
  9 columns ``CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,
  CONTENT,FOLDER``; 10 columns (+ ``RECIPIENT PROFILE URLS``); + ``ATTACHMENTS`` /
  ``IS MESSAGE DRAFT`` / ``IS CONVERSATION DRAFT``; the fully quoted 2026 form. ``CONTENT``
  is read only to spot ``%FIRSTNAME%`` marketing mail and is never stored.
* ``Invitations.csv`` → ``stg_linkedin_invitations``: ``From,To,Sent At,Message,Direction``
  and the same + ``inviterProfileUrl,inviteeProfileUrl``.
* ``Profile.csv`` → ``stg_owner_identities`` kind ``name`` (First + Last).
* ``Email Addresses.csv`` → ``stg_owner_identities`` kind ``email``.
* ``PhoneNumbers.csv`` / ``Phone Numbers.csv`` (2018) → ``stg_owner_identities`` kind
  ``phone`` (``Extension,Number,Type``; entirely empty rows are rejected).
* ``Endorsement_Given_Info.csv`` / ``Endorsement_Received_Info.csv`` →
  ``stg_linkedin_endorsements`` (``Endorsement Date`` ``2022/04/01 11:05:54 UTC``; the
  ``Endorsee/Endorser Public Url`` has no scheme and is missing in 2021-2022 exports).
* ``Recommendations_Given.csv`` / ``Recommendations_Received.csv`` (2017-2020: with
  spaces) → ``stg_linkedin_recommendations``; ``Text`` is never read.
* ``Positions.csv`` → ``stg_linkedin_positions`` (the owner's history; ``Jan 2024`` dates).
* ``Contacts.csv`` (2024, CamelCase headers) / ``ImportedContacts.csv`` /
  ``Imported Contacts.csv`` (2018, Title Case) → ``stg_linkedin_contacts``; several
  e-mails or phones in one field are joined by ``", "``.

A zip or folder lacking one of the files above (``EXPECTED``) gets a skipped entry
"<file> not in this export" with zero rows, so the run report says what was missing.

Known non-identity files (``IGNORED``) are reported as "known, not read"; any other file as
"unknown file, not read". Bytes are decoded leniently: UTF-8 BOM stripped, UTF-16 (BOM)
accepted, invalid UTF-8 replaced. No reader raises on a bad row; per file
``rows_in == rows_loaded + rows_rejected``. Names and e-mails never appear in reject reasons.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import polars as pl

from transforms import schemas
from transforms.rejects import Parsed, reject_rows, whole_file
from transforms.resolve.keys import canonical_linkedin_url, collapse_spaces

#: URLs repeat a lot (the owner, frequent correspondents): canonicalise each spelling once.
_canonical_url = lru_cache(maxsize=65_536)(canonical_linkedin_url)

#: A zip member whose uncompressed size exceeds this is refused (zip-bomb guard).
MAX_MEMBER_BYTES = 500 * 1024 * 1024
#: Total uncompressed bytes read from one zip before further members are refused.
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
#: Largest compression ratio accepted for a member above RATIO_MIN_BYTES (zip-bomb guard).
MAX_RATIO = 200
RATIO_MIN_BYTES = 1024 * 1024
#: How deep (path components, the file included) files are looked for in an export.
MAX_DEPTH = 3
#: How many leading records may precede a header (the Connections ``Notes:`` preamble).
HEADER_SCAN = 20

#: Largest single CSV field accepted (csv's default, 128 kB, is below a long message).
FIELD_LIMIT = 64 * 1024 * 1024

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

# -- file names -------------------------------------------------------------------------------

_ID_SUFFIX = re.compile(r"_\d+(?=\.[^.]*$)")  # 2026: Comments_<member id>.csv


def normalise_file_name(name: str) -> str:
    """The registry key of a file name: basename, case-folded, spaces and underscores dropped.

    ``"Email Addresses.csv"`` and ``"email_addresses.csv"`` → ``"emailaddresses.csv"``;
    ``"Comments_123456.csv"`` → ``"comments.csv"``.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _ID_SUFFIX.sub("", base)
    return re.sub(r"[\s_]+", "", base).casefold()


def _norm_col(name: str) -> str:
    """Header-name key: strip, case-fold, spaces/underscores collapsed to one space."""
    return " ".join(name.replace("\ufeff", "").replace("_", " ").split()).casefold()


# -- decoding ---------------------------------------------------------------------------------


def decode_bytes(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (BOM stripped) or UTF-16 with BOM; never raises."""
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", errors="replace")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")


# -- dates ------------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_SPACES = re.compile(r"[\s\u202f\u00a0]+")
# 05 Feb 2014 / 5 Feb 2014 / 29-Feb-20 (spreadsheet re-save)
_DMY = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*\.?[ -](\d{4}|\d{2})$")
# 1/8/18, 6:14 PM  (optional seconds, optional 4-digit year, optional comma)
_US = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp])\.?[Mm]\.?$"
)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
# 2021-06-15 16:37:00 UTC, 2019-11-06T02:08:20, 2022/04/01 11:05:54 UTC, 2014-02-05
_ISO = re.compile(
    r"^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
    r" ?(UTC|GMT|Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def parse_linkedin_datetime(raw: str | None) -> datetime | None:
    """A UTC datetime for any date/time spelling LinkedIn exports use, else None.

    Date-only values are 00:00 UTC; values without a zone are taken as UTC; two-digit
    years pivot on 2000.
    """
    if raw is None:
        return None
    text = _SPACES.sub(" ", raw).strip()
    if not text:
        return None
    try:
        if m := _ISO.match(text):
            y, mo, d, hh, mm, ss, frac, zone = m.groups()
            micro = int(frac.ljust(6, "0")) if frac else 0
            value = datetime(
                int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), micro, UTC
            )
            if zone and zone[0] in "+-":
                digits = zone.replace(":", "")
                offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
                value = value - offset if zone[0] == "+" else value + offset
            return value
        if m := _DMY.match(text):
            day, mon, year = m.groups()
            month = _MONTHS.get(mon.casefold())
            if month is None:
                return None
            return datetime(_year(year), month, int(day), tzinfo=UTC)
        if m := _US.match(text):
            mo, d, y, hh, mm, ss, ampm = m.groups()
            hour = int(hh)
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm in "Pp" else 0)
            return datetime(_year(y), int(mo), int(d), hour, int(mm), int(ss or 0), tzinfo=UTC)
        if m := _US_DATE.match(text):
            mo, d, y = m.groups()
            return datetime(_year(y), int(mo), int(d), tzinfo=UTC)
    except (ValueError, OverflowError):
        return None
    return None


# -- CSV plumbing -----------------------------------------------------------------------------


class _Record(NamedTuple):
    line: int  # 1-based physical line where the record starts
    fields: list[str] | None  # None when the csv module refused the record
    error: str = ""


_FIRST_LINE = re.compile(r"[\r\n]*([^\r\n]*)")


def _delimiter(text: str) -> str:
    first = _FIRST_LINE.match(text).group(1)  # type: ignore[union-attr]
    return "\t" if first.count("\t") > first.count(",") else ","


def _records(text: str) -> Iterator[_Record]:
    """Every non-blank CSV record with its starting line; csv errors become error records."""
    text = text.removeprefix("\ufeff")
    if csv.field_size_limit() < FIELD_LIMIT:  # process-wide, only ever raised
        csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield _Record(start, None, f"unreadable CSV record ({err})")
            start = reader.line_num + 1
            continue
        if row and any(row) or len(row) > 1:
            yield _Record(start, row)
        start = reader.line_num + 1


class _Table(NamedTuple):
    header: list[str] | None  # normalised column names
    rows: list[_Record]


def _split(text: str, is_header: Callable[[list[str]], bool]) -> _Table:
    """Header (first of the first HEADER_SCAN records accepted by is_header, else the first
    record) and the data records after it."""
    records = list(_records(text))
    pick = None
    for i, rec in enumerate(records[:HEADER_SCAN]):
        if rec.fields is not None and is_header([_norm_col(f) for f in rec.fields]):
            pick = i
            break
    if pick is None:
        pick = next((i for i, r in enumerate(records) if r.fields is not None), None)
    if pick is None:
        return _Table(None, records)
    return _Table([_norm_col(f) for f in records[pick].fields or []], records[pick + 1 :])


def _display_name(source_file: str, canonical: str) -> str:
    base = str(source_file).rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
    return base if normalise_file_name(base) == normalise_file_name(canonical) else canonical


class _Columns:
    """Column lookup by normalised name; first occurrence wins; missing → ''."""

    def __init__(self, header: list[str]):
        self.index: dict[str, int] = {}
        for i, name in enumerate(header):
            self.index.setdefault(name, i)

    def has(self, name: str) -> bool:
        return _norm_col(name) in self.index

    def getter(self, name: str) -> Callable[[list[str]], str]:
        i = self.index.get(_norm_col(name))
        if i is None:
            return lambda row: ""
        return lambda row: row[i] if i < len(row) else ""

    def getter_any(self, *names: str) -> Callable[[list[str]], str]:
        """The getter of the first of several spellings present (2018 vs 2024 headers)."""
        for name in names:
            if self.has(name):
                return self.getter(name)
        return lambda row: ""


def _prepare(
    text: str,
    source_file: str,
    canonical: str,
    required: list[str],
    is_header: Callable[[list[str]], bool] | None = None,
) -> tuple[_Columns | None, list[_Record], Parsed | None]:
    """Split the file; on a missing header/column return the whole-file Parsed instead."""
    kind = f"linkedin:{canonical}"
    name = _display_name(source_file, canonical)
    req = [_norm_col(c) for c in required]
    table = _split(text, is_header or (lambda h: all(c in h for c in req)))
    if table.header is None:
        return None, [], whole_file(source_file, f"{name} is empty (no header line)", kind, 0)
    cols = _Columns(table.header)
    for col in required:
        if not cols.has(col):
            reason = f"{name} has no '{col}' column"
            return None, [], whole_file(source_file, reason, kind, len(table.rows))
    return cols, table.rows, None


def _opt(value: str) -> str | None:
    value = value.strip()
    return value or None


def _raw(value: str) -> str | None:
    """As written, but None when blank."""
    return value if value.strip() else None


def _finish(
    source_file: str,
    canonical: str,
    table: str,
    schema: pl.Schema,
    columns: dict[str, list],
    rows_in: int,
    rejects: list[tuple[str, str]],
) -> Parsed:
    frame = pl.DataFrame(columns, schema=schema)
    return Parsed(
        source_file=str(source_file),
        kind=f"linkedin:{canonical}",
        rows_in=rows_in,
        rows_loaded=frame.height,
        rows_rejected=len(rejects),
        tables={table: schemas.conform(frame, schema)},
        rejects=reject_rows(source_file, rejects),
    )


def _loc(rec: _Record) -> str:
    return f"line {rec.line}"


def _quote(value: str, limit: int = 60) -> str:
    value = value if len(value) <= limit else value[:limit] + "…"
    return "'" + value.replace("'", "\\'") + "'"


# -- Connections.csv --------------------------------------------------------------------------


def _dated_records(
    rows: list[_Record],
    date_of: Callable[[list[str]], str],
    label: str,
    rejects: list[tuple[str, str]],
    optional: bool = False,
) -> Iterator[tuple[_Record, list[str], datetime | None]]:
    """(record, fields, parsed date) of each usable record; the rest become rejects.

    A record the CSV reader could not split, or whose date does not parse, is refused
    with the raw value in the reason (`unparseable Connected On '31 Foo 2020'`). With
    `optional`, an empty date is allowed and comes back as None.
    """
    for rec in rows:
        if rec.fields is None:
            rejects.append((_loc(rec), rec.error))
            continue
        raw = date_of(rec.fields)
        when = parse_linkedin_datetime(raw)
        if when is None and (raw.strip() or not optional):
            rejects.append((_loc(rec), f"unparseable {label} {_quote(raw)}"))
            continue
        yield rec, rec.fields, when


def read_connections(text: str, source_file: str) -> Parsed:
    """Connections.csv (6- or 7-column, with or without the Notes: preamble)."""
    canonical = "Connections.csv"
    cols, rows, failed = _prepare(
        text,
        source_file,
        canonical,
        ["First Name", "Last Name", "Connected On"],
        is_header=lambda h: bool(h) and h[0] == "first name",
    )
    if failed:
        return failed
    assert cols is not None
    first, last, url, email, company, position, connected = (
        cols.getter(c)
        for c in (
            "First Name",
            "Last Name",
            "URL",
            "Email Address",
            "Company",
            "Position",
            "Connected On",
        )
    )
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_CONNECTIONS.names()}
    rejects: list[tuple[str, str]] = []
    for rec, row, when in _dated_records(rows, connected, "Connected On", rejects):
        fn, ln = _raw(first(row)), _raw(last(row))
        out["source_file"].append(source_file)
        out["location"].append(_loc(rec))
        out["first_name"].append(fn)
        out["last_name"].append(ln)
        out["full_name"].append(collapse_spaces(f"{fn or ''} {ln or ''}"))
        out["profile_url"].append(_canonical_url(url(row)))
        out["email"].append(_opt(email(row)))
        out["company"].append(_opt(company(row)))
        out["position"].append(_opt(position(row)))
        out["connected_at"].append(when)
    return _finish(
        source_file,
        canonical,
        "stg_linkedin_connections",
        schemas.STG_LINKEDIN_CONNECTIONS,
        out,
        len(rows),
        rejects,
    )


# -- messages.csv -----------------------------------------------------------------------------

_SYSTEM_SENDER = re.compile(
    r"(@\s*linkedin\b|\bfrom\s+linkedin\b|\bat\s+linkedin\b|^\s*linkedin\s*$)", re.IGNORECASE
)
_YES = {"yes", "true", "y", "1"}


def _message_key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:16]


def read_messages(text: str, source_file: str) -> Parsed:
    """messages.csv in any header generation (2018 → 2026)."""
    canonical = "messages.csv"
    cols, rows, failed = _prepare(text, source_file, canonical, ["FROM", "TO", "DATE"])
    if failed:
        return failed
    assert cols is not None
    g = {
        c: cols.getter(c)
        for c in (
            "CONVERSATION ID",
            "CONVERSATION TITLE",
            "FROM",
            "SENDER PROFILE URL",
            "TO",
            "RECIPIENT PROFILE URLS",
            "DATE",
            "CONTENT",
            "FOLDER",
            "DIRECTION",
            "IS MESSAGE DRAFT",
            "IS CONVERSATION DRAFT",
        )
    }
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_MESSAGES.names()}
    rejects: list[tuple[str, str]] = []
    for rec, row, when in _dated_records(rows, g["DATE"], "DATE", rejects):
        conv = g["CONVERSATION ID"](row).strip()
        title = g["CONVERSATION TITLE"](row).strip()
        from_raw = g["FROM"](row)
        sender_raw = g["SENDER PROFILE URL"](row)
        to_raw = g["TO"](row)
        recips_raw = g["RECIPIENT PROFILE URLS"](row)
        from_url = _canonical_url(sender_raw)
        to_urls = [u for u in map(_canonical_url, recips_raw.split(",")) if u]
        sponsored = (
            title.casefold() == "sponsored conversation"
            or (not sender_raw.strip() and bool(_SYSTEM_SENDER.search(from_raw)))
            or "%FIRSTNAME%" in g["CONTENT"](row).upper()
        )
        system = not (
            from_raw.strip() or sender_raw.strip() or to_raw.strip() or recips_raw.strip()
        )
        draft = (
            g["IS MESSAGE DRAFT"](row).strip().casefold() in _YES
            or g["IS CONVERSATION DRAFT"](row).strip().casefold() in _YES
        )
        direction = g["DIRECTION"](row).strip().upper() or None
        out["source_file"].append(source_file)
        out["location"].append(_loc(rec))
        out["message_key"].append(
            _message_key(
                conv, from_url or from_raw.strip(), g["DATE"](row).strip(), to_raw, str(rec.line)
            )
        )
        out["conversation_id"].append(conv or None)
        out["conversation_title"].append(title or None)
        out["from_name"].append(_raw(from_raw))
        out["from_url"].append(from_url)
        out["to_names"].append(_raw(to_raw))
        out["to_urls"].append(to_urls)
        out["sent_at"].append(when)
        out["folder"].append(_opt(g["FOLDER"](row)))
        out["direction_hint"].append(direction)
        out["is_draft"].append(draft)
        out["is_sponsored"].append(sponsored)
        out["is_system"].append(system)
    return _finish(
        source_file,
        canonical,
        "stg_linkedin_messages",
        schemas.STG_LINKEDIN_MESSAGES,
        out,
        len(rows),
        rejects,
    )


# -- Invitations.csv --------------------------------------------------------------------------


def read_invitations(text: str, source_file: str) -> Parsed:
    """Invitations.csv, 5-column (≤ 2023) or 7-column (with inviter/invitee URLs)."""
    canonical = "Invitations.csv"
    cols, rows, failed = _prepare(
        text, source_file, canonical, ["From", "To", "Sent At", "Direction"]
    )
    if failed:
        return failed
    assert cols is not None
    frm, to, sent, direction, inviter, invitee = (
        cols.getter(c)
        for c in ("From", "To", "Sent At", "Direction", "inviterProfileUrl", "inviteeProfileUrl")
    )
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_INVITATIONS.names()}
    rejects: list[tuple[str, str]] = []
    for rec, row, when in _dated_records(rows, sent, "Sent At", rejects):
        out["source_file"].append(source_file)
        out["location"].append(_loc(rec))
        out["from_name"].append(_raw(frm(row)))
        out["to_name"].append(_raw(to(row)))
        out["sent_at"].append(when)
        out["direction"].append(_opt(direction(row)))
        out["inviter_url"].append(_canonical_url(inviter(row)))
        out["invitee_url"].append(_canonical_url(invitee(row)))
    return _finish(
        source_file,
        canonical,
        "stg_linkedin_invitations",
        schemas.STG_LINKEDIN_INVITATIONS,
        out,
        len(rows),
        rejects,
    )


# -- Profile.csv / Email Addresses.csv → owner identities -------------------------------------


def _owner_rows(
    text: str,
    source_file: str,
    canonical: str,
    required: list[str],
    kind: str,
    value_of: Callable[[_Columns], Callable[[list[str]], str | None]],
    empty_reason: str,
) -> Parsed:
    cols, rows, failed = _prepare(text, source_file, canonical, required)
    if failed:
        return failed
    assert cols is not None
    get = value_of(cols)
    out: dict[str, list] = {k: [] for k in schemas.STG_OWNER_IDENTITIES.names()}
    rejects: list[tuple[str, str]] = []
    for rec in rows:
        if rec.fields is None:
            rejects.append((_loc(rec), rec.error))
            continue
        value = get(rec.fields)
        if value is None:
            rejects.append((_loc(rec), empty_reason))
            continue
        out["source_file"].append(source_file)
        out["location"].append(_loc(rec))
        out["kind"].append(kind)
        out["value"].append(value)
    return _finish(
        source_file,
        canonical,
        "stg_owner_identities",
        schemas.STG_OWNER_IDENTITIES,
        out,
        len(rows),
        rejects,
    )


def read_profile(text: str, source_file: str) -> Parsed:
    """Profile.csv → the owner's name (First + Last, whitespace collapsed)."""

    def value_of(cols: _Columns) -> Callable[[list[str]], str | None]:
        first, last = cols.getter("First Name"), cols.getter("Last Name")
        return lambda row: collapse_spaces(f"{first(row)} {last(row)}")

    return _owner_rows(
        text,
        source_file,
        "Profile.csv",
        ["First Name", "Last Name"],
        "name",
        value_of,
        "empty First Name and Last Name",
    )


def read_email_addresses(text: str, source_file: str) -> Parsed:
    """Email Addresses.csv → the owner's own addresses, as written (trimmed)."""

    def value_of(cols: _Columns) -> Callable[[list[str]], str | None]:
        address = cols.getter("Email Address")
        return lambda row: _opt(address(row))

    return _owner_rows(
        text,
        source_file,
        "Email Addresses.csv",
        ["Email Address"],
        "email",
        value_of,
        "empty Email Address",
    )


# -- PhoneNumbers.csv → owner identities ------------------------------------------------------


def read_phone_numbers(text: str, source_file: str) -> Parsed:
    """PhoneNumbers.csv / Phone Numbers.csv → the owner's numbers (kind ``phone``).

    ``Extension,Number,Type``; the number is kept as written (trimmed), an extension is
    appended as `` ext <n>``. Entirely empty rows (seen in real files) are rejected.
    """

    def value_of(cols: _Columns) -> Callable[[list[str]], str | None]:
        number, ext = cols.getter("Number"), cols.getter("Extension")

        def value(row: list[str]) -> str | None:
            num = collapse_spaces(number(row))
            if num is None:
                return None
            extension = _opt(ext(row))
            return f"{num} ext {extension}" if extension else num

        return value

    return _owner_rows(
        text, source_file, "PhoneNumbers.csv", ["Number"], "phone", value_of, "empty Number"
    )


# -- Endorsements -----------------------------------------------------------------------------


def _read_endorsements(text: str, source_file: str, canonical: str, direction: str) -> Parsed:
    """Endorsement_{Given,Received}_Info.csv: the other party is the endorsee / endorser."""
    who = "Endorsee" if direction == "given" else "Endorser"
    cols, rows, failed = _prepare(
        text, source_file, canonical, ["Endorsement Date", f"{who} First Name"]
    )
    if failed:
        return failed
    assert cols is not None
    date, skill, first, last, url, status = (
        cols.getter(c)
        for c in (
            "Endorsement Date",
            "Skill Name",
            f"{who} First Name",
            f"{who} Last Name",
            f"{who} Public Url",  # no scheme: www.linkedin.com/in/<slug>; absent before 2022
            "Endorsement Status",
        )
    )
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_ENDORSEMENTS.names()}
    rejects: list[tuple[str, str]] = []
    # Endorsement Date: 2022/04/01 11:05:54 UTC
    for rec, row, when in _dated_records(rows, date, "Endorsement Date", rejects):
        fn, ln = _raw(first(row)), _raw(last(row))
        out["source_file"].append(source_file)
        out["location"].append(_loc(rec))
        out["direction"].append(direction)
        out["endorsed_at"].append(when)
        out["first_name"].append(fn)
        out["last_name"].append(ln)
        out["full_name"].append(collapse_spaces(f"{fn or ''} {ln or ''}"))
        out["profile_url"].append(_canonical_url(url(row)))
        out["skill"].append(_opt(skill(row)))
        out["status"].append(_opt(status(row)))
    return _finish(
        source_file,
        canonical,
        "stg_linkedin_endorsements",
        schemas.STG_LINKEDIN_ENDORSEMENTS,
        out,
        len(rows),
        rejects,
    )


def read_endorsements_given(text: str, source_file: str) -> Parsed:
    """Endorsement_Given_Info.csv: endorsements the owner gave."""
    return _read_endorsements(text, source_file, "Endorsement_Given_Info.csv", "given")


def read_endorsements_received(text: str, source_file: str) -> Parsed:
    """Endorsement_Received_Info.csv: endorsements the owner received."""
    return _read_endorsements(text, source_file, "Endorsement_Received_Info.csv", "received")


# -- Recommendations --------------------------------------------------------------------------


def _read_recommendations(text: str, source_file: str, canonical: str, direction: str) -> Parsed:
    """``First Name,Last Name,Company,Job Title,Text,Creation Date,Status`` (both files).

    ``Text`` (long, multi-line) is deliberately never read: it is private prose.
    """
    cols, rows, failed = _prepare(
        text, source_file, canonical, ["First Name", "Last Name", "Creation Date"]
    )
    if failed:
        return failed
    assert cols is not None
    first, last, company, title, created, status = (
        cols.getter(c)
        for c in ("First Name", "Last Name", "Company", "Job Title", "Creation Date", "Status")
    )
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_RECOMMENDATIONS.names()}
    rejects: list[tuple[str, str]] = []
    # Creation Date: "5/4/25, 3:30 PM"
    for rec, row, when in _dated_records(rows, created, "Creation Date", rejects):
        fn, ln = _raw(first(row)), _raw(last(row))
        out["source_file"].append(source_file)
        out["location"].append(_loc(rec))
        out["direction"].append(direction)
        out["created_at"].append(when)
        out["first_name"].append(fn)
        out["last_name"].append(ln)
        out["full_name"].append(collapse_spaces(f"{fn or ''} {ln or ''}"))
        out["company"].append(_opt(company(row)))
        out["job_title"].append(_opt(title(row)))
        out["status"].append(_opt(status(row)))
    return _finish(
        source_file,
        canonical,
        "stg_linkedin_recommendations",
        schemas.STG_LINKEDIN_RECOMMENDATIONS,
        out,
        len(rows),
        rejects,
    )


def read_recommendations_given(text: str, source_file: str) -> Parsed:
    """Recommendations_Given.csv / Recommendations Given.csv: the owner recommended them."""
    return _read_recommendations(text, source_file, "Recommendations_Given.csv", "given")


def read_recommendations_received(text: str, source_file: str) -> Parsed:
    """Recommendations_Received.csv / Recommendations Received.csv: they recommended the owner."""
    return _read_recommendations(text, source_file, "Recommendations_Received.csv", "received")


# -- Positions.csv ----------------------------------------------------------------------------

_MONTH_YEAR = re.compile(r"^([A-Za-z]{3})[A-Za-z]*\.? (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_month(raw: str | None) -> tuple[date | None, bool]:
    """(first day of the month, True) for ``Jan 2024`` / ``2024`` / a full date.

    Blank → (None, True): an empty ``Finished On`` is the current role, not an error.
    """
    text = _SPACES.sub(" ", raw or "").strip()
    if not text:
        return None, True
    try:
        if m := _MONTH_YEAR.match(text):
            month = _MONTHS.get(m.group(1).casefold())
            return (date(int(m.group(2)), month, 1), True) if month else (None, False)
        if m := _YEAR.match(text):
            return date(int(m.group(1)), 1, 1), True
    except ValueError:
        return None, False
    when = parse_linkedin_datetime(text)
    return (when.date(), True) if when else (None, False)


def read_positions(text: str, source_file: str) -> Parsed:
    """Positions.csv: ``Company Name,Title,Description,Location,Started On,Finished On``.

    The owner's own history. ``Description`` is not read; trailing spaces in company names
    (seen in real files) are trimmed.
    """
    canonical = "Positions.csv"
    cols, rows, failed = _prepare(text, source_file, canonical, ["Company Name"])
    if failed:
        return failed
    assert cols is not None
    company, title, place, started, finished = (
        cols.getter(c) for c in ("Company Name", "Title", "Location", "Started On", "Finished On")
    )
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_POSITIONS.names()}
    rejects: list[tuple[str, str]] = []
    for rec in rows:
        if rec.fields is None:
            rejects.append((_loc(rec), rec.error))
            continue
        row = rec.fields
        start, ok_start = parse_month(started(row))
        if not ok_start:
            rejects.append((_loc(rec), f"unparseable Started On {_quote(started(row))}"))
            continue
        end, ok_end = parse_month(finished(row))
        if not ok_end:
            rejects.append((_loc(rec), f"unparseable Finished On {_quote(finished(row))}"))
            continue
        out["source_file"].append(source_file)
        out["location"].append(_loc(rec))
        out["company"].append(collapse_spaces(company(row)))
        out["title"].append(collapse_spaces(title(row)))
        out["place"].append(collapse_spaces(place(row)))
        out["started_on"].append(start)
        out["finished_on"].append(end)
    return _finish(
        source_file,
        canonical,
        "stg_linkedin_positions",
        schemas.STG_LINKEDIN_POSITIONS,
        out,
        len(rows),
        rejects,
    )


# -- imported address-book contacts -----------------------------------------------------------


def _split_list(value: str) -> list[str]:
    """Several e-mails / phones in one field, joined by ", " (2024) or ";"."""
    return [p for p in (collapse_spaces(x) for x in re.split(r"[,;]", value)) if p]


def read_contacts(text: str, source_file: str) -> Parsed:
    """Contacts.csv / ImportedContacts.csv / Imported Contacts.csv (address-book uploads).

    2018 headers are Title Case with spaces (``First Name``, ``Email Address``,
    ``Phone Numbers``, ``Created At``, ``Full Name``); 2024 ones are CamelCase (``FirstName``,
    ``Emails``, ``PhoneNumbers``, ``CreatedAt``, ``FullName``) plus ``Source``. A row with no
    name, no e-mail and no phone carries nothing and is rejected.
    """
    canonical = "Contacts.csv"
    emails_cols = ("Emails", "Email Address", "EmailAddress", "Email Addresses")

    def is_header(h: list[str]) -> bool:
        return any(_norm_col(c) in h for c in emails_cols)

    cols, rows, failed = _prepare(text, source_file, canonical, [], is_header=is_header)
    if failed:
        return failed
    assert cols is not None
    if not is_header(list(cols.index)):
        base = str(source_file).rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
        known = {"contacts.csv", "importedcontacts.csv"}
        name = base if normalise_file_name(base) in known else canonical
        return whole_file(
            source_file, f"{name} has no 'Emails' column", f"linkedin:{canonical}", len(rows)
        )
    source = cols.getter_any("Source")
    first = cols.getter_any("FirstName", "First Name")
    last = cols.getter_any("LastName", "Last Name")
    full = cols.getter_any("FullName", "Full Name")
    emails = cols.getter_any(*emails_cols)
    phones = cols.getter_any("PhoneNumbers", "Phone Numbers")
    created = cols.getter_any("CreatedAt", "Created At")
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_CONTACTS.names()}
    rejects: list[tuple[str, str]] = []
    for rec, row, when in _dated_records(rows, created, "CreatedAt", rejects, optional=True):
        fn, ln = _raw(first(row)), _raw(last(row))
        name = collapse_spaces(full(row)) or collapse_spaces(f"{fn or ''} {ln or ''}")
        mails, nums = _split_list(emails(row)), _split_list(phones(row))
        if name is None and not mails and not nums:
            rejects.append((_loc(rec), "no name, e-mail or phone"))
            continue
        out["source_file"].append(source_file)
        out["location"].append(_loc(rec))
        out["source"].append(_opt(source(row)))
        out["first_name"].append(fn)
        out["last_name"].append(ln)
        out["full_name"].append(name)
        out["emails"].append(mails)
        out["phones"].append(nums)
        out["created_at"].append(when)
    return _finish(
        source_file,
        canonical,
        "stg_linkedin_contacts",
        schemas.STG_LINKEDIN_CONTACTS,
        out,
        len(rows),
        rejects,
    )


# -- registry ---------------------------------------------------------------------------------


class Reader(NamedTuple):
    name: str  # canonical file name, used in Parsed.kind ("linkedin:<name>")
    read: Callable[[str, str], Parsed]
    table: str  # staged table it fills


READERS: dict[str, Reader] = {
    normalise_file_name(r.name): r
    for r in (
        Reader("Connections.csv", read_connections, "stg_linkedin_connections"),
        Reader("messages.csv", read_messages, "stg_linkedin_messages"),
        Reader("Invitations.csv", read_invitations, "stg_linkedin_invitations"),
        Reader("Profile.csv", read_profile, "stg_owner_identities"),
        Reader("Email Addresses.csv", read_email_addresses, "stg_owner_identities"),
        Reader("PhoneNumbers.csv", read_phone_numbers, "stg_owner_identities"),
        Reader("Endorsement_Given_Info.csv", read_endorsements_given, "stg_linkedin_endorsements"),
        Reader(
            "Endorsement_Received_Info.csv",
            read_endorsements_received,
            "stg_linkedin_endorsements",
        ),
        Reader(
            "Recommendations_Given.csv", read_recommendations_given, "stg_linkedin_recommendations"
        ),
        Reader(
            "Recommendations_Received.csv",
            read_recommendations_received,
            "stg_linkedin_recommendations",
        ),
        Reader("Positions.csv", read_positions, "stg_linkedin_positions"),
        Reader("Contacts.csv", read_contacts, "stg_linkedin_contacts"),
        Reader("ImportedContacts.csv", read_contacts, "stg_linkedin_contacts"),
    )
}

#: Known export files that carry no identity kith reads (yet): skipped as "known, not read".
IGNORED: frozenset[str] = frozenset(
    normalise_file_name(n)
    for n in (
        "Account Status History.csv",
        "Ad_Targeting.csv",
        "Articles.csv",
        "Calendar.csv",
        "Causes You Care About.csv",
        "Certifications.csv",
        "Coach_Messages.csv",
        "Comments.csv",
        "Company Follows.csv",
        "Duolingo.csv",
        "Education.csv",
        "Events.csv",
        "Guide_Messages.csv",
        "Hashtag_Follows.csv",
        "Honors.csv",
        "Inferences_about_you.csv",
        "InstantReposts.csv",
        "Job Applicant Saved Answers.csv",
        "Job Applications.csv",
        "Job Seeker Preferences.csv",
        "Languages.csv",
        "Learning.csv",
        "Learning_Coach_Messages.csv",
        "Learning_Role_Play_Messages.csv",
        "Logins.csv",
        "Member_Follows.csv",
        "Private_identity_asset.csv",
        "Profile Summary.csv",
        "Projects.csv",
        "Publications.csv",
        "Reactions.csv",
        "Receipts.csv",
        "Receipts_v2.csv",
        "Registration.csv",
        "Rich_Media.csv",
        "Saved_Items.csv",
        "Saved Jobs.csv",
        "SavedJobAlerts.csv",
        "Search Queries.csv",
        "Security Challenges.csv",
        "Shares.csv",
        "Skills.csv",
        "Test Scores.csv",
        "Verifications.csv",
        "Videos.csv",
        "Volunteering.csv",
        "Votes.csv",
        "Whatsapp Phone Numbers.csv",
    )
)
#: Sub-folders whose contents are all known and not read (Articles/*.html, Jobs/*.csv, ...).
_IGNORED_DIRS = {"articles", "jobs", "verifications"}

_SNIFF_NAMES = {"connections.csv", "messages.csv"}


def _is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) in _ZIP_MAGIC
    except OSError:
        return False


def _skip_member(parts: tuple[str, ...]) -> bool:
    """macOS zip litter and hidden files are not part of the export."""
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _walk(root: Path) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """Files under root, at most MAX_DEPTH components deep, with their relative parts."""
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, rel = stack.pop()
        try:
            children = sorted(folder.iterdir())
        except OSError:
            continue
        for child in children:
            parts = (*rel, child.name)
            if _skip_member(parts) or len(parts) > MAX_DEPTH:
                continue
            if child.is_dir():
                stack.append((child, parts))
            elif child.is_file():
                yield child, parts


def _zip_members(zf: zipfile.ZipFile) -> Iterator[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    for info in zf.infolist():
        if info.is_dir():
            continue
        parts = tuple(p for p in PurePosixPath(info.filename.replace("\\", "/")).parts if p)
        if not parts or _skip_member(parts) or len(parts) > MAX_DEPTH or ".." in parts:
            continue
        yield info, parts


def _has_sniff_file(folder: Path) -> bool:
    return any(c.name.casefold() in _SNIFF_NAMES and c.is_file() for c in folder.iterdir())


def looks_like_linkedin_export(path: Path) -> bool:
    """A folder (or a folder one level deeper) or a zip holding Connections.csv/messages.csv.

    A folder counts only when the file sits at its root, or when the folder's single entry is
    a sub-folder that has it at its root (an unzipped download): a folder that merely holds an
    export beside other sources (mbox files, say) is walked instead, so nothing is hidden.
    """
    path = Path(path)
    try:
        if path.is_dir():
            if _has_sniff_file(path):
                return True
            visible = [c for c in path.iterdir() if not c.name.startswith(".")]
            return len(visible) == 1 and visible[0].is_dir() and _has_sniff_file(visible[0])
        if path.is_file() and _is_zip(path):
            with zipfile.ZipFile(path) as zf:
                return any(p[-1].casefold() in _SNIFF_NAMES for _, p in _zip_members(zf))
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError):
        return False
    return False


def _classify(parts: tuple[str, ...]) -> tuple[Reader | None, str | None]:
    """(reader, None) for a read file; (None, why) for a skipped one."""
    key = normalise_file_name(parts[-1])
    if key in READERS:
        return READERS[key], None
    if key in IGNORED or any(normalise_file_name(p) in _IGNORED_DIRS for p in parts[:-1]):
        return None, "known, not read"
    return None, "unknown file, not read"


def read_file_bytes(data: bytes, source_file: str, file_name: str) -> Parsed:
    """Route one file's bytes to its reader by name (or report it as skipped)."""
    reader, why = _classify((file_name,))
    if reader is None:
        return Parsed(source_file=source_file, kind=f"linkedin:{file_name}", skipped_reason=why)
    return reader.read(decode_bytes(data), source_file)


#: The identity-bearing files kith reads; each group is one file under its spellings. A run
#: on an export lacking one says so (a member can leave categories out of a download).
EXPECTED: tuple[tuple[str, ...], ...] = (
    ("Connections.csv",),
    ("messages.csv",),
    ("Invitations.csv",),
    ("Profile.csv",),
    ("Email Addresses.csv",),
    ("PhoneNumbers.csv",),
    ("Endorsement_Given_Info.csv",),
    ("Endorsement_Received_Info.csv",),
    ("Recommendations_Given.csv",),
    ("Recommendations_Received.csv",),
    ("Positions.csv",),
    ("Contacts.csv", "ImportedContacts.csv"),
)
MISSING = "not in this export"


def missing_files(
    found: set[str], where: Callable[[str], str], read_dir: tuple[str, ...] = ()
) -> list[Parsed]:
    """A skipped entry (rows_in 0) for each EXPECTED file none of whose spellings was read.

    `found` holds the canonical names of the readers used; `where(name)` is the source_file
    the file would have had.
    """
    out = []
    for group in EXPECTED:
        if not any(name in found for name in group):
            name = group[0]
            out.append(
                Parsed(
                    source_file=where(name),
                    kind="skipped",  # as the pipeline's own skipped files: nothing read
                    skipped_reason=MISSING,
                )
            )
    return out


def read_linkedin_export(path: Path) -> list[Parsed]:
    """One Parsed per file of a LinkedIn export zip or folder (or a single CSV file).

    For a zip or folder, each EXPECTED file that is absent adds a skipped entry saying so.
    """
    path = Path(path)
    results: list[Parsed] = []
    found: set[str] = set()
    home: tuple[str, ...] | None = None  # folder (relative) of the first file read
    if path.is_dir():
        for file, parts in _walk(path):
            reader, why = _classify(parts)
            if reader is None:
                results.append(
                    Parsed(source_file=str(file), kind=f"linkedin:{parts[-1]}", skipped_reason=why)
                )
                continue
            found.add(reader.name)
            home = parts[:-1] if home is None else home
            try:
                data = file.read_bytes()
            except OSError as err:
                results.append(
                    whole_file(
                        file, f"cannot read file ({type(err).__name__})", reader_kind(reader)
                    )
                )
                continue
            results.append(reader.read(decode_bytes(data), str(file)))
        base = path.joinpath(*(home or ()))
        return results + missing_files(found, lambda name: str(base / name))
    if _is_zip(path):
        try:
            zf = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile, ValueError) as err:
            return [whole_file(path, f"cannot open zip ({type(err).__name__})", "linkedin:zip")]
        budget = _Budget()
        with zf:
            for info, parts in _zip_members(zf):
                source = f"{path}!{'/'.join(parts)}"
                reader, why = _classify(parts)
                if reader is None:
                    results.append(
                        Parsed(source_file=source, kind=f"linkedin:{parts[-1]}", skipped_reason=why)
                    )
                    continue
                found.add(reader.name)
                home = parts[:-1] if home is None else home
                results.append(_read_member(zf, info, source, reader, budget))
        prefix = "".join(f"{p}/" for p in home or ())
        return results + missing_files(found, lambda name: f"{path}!{prefix}{name}")
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as err:
            return [whole_file(path, f"cannot read file ({type(err).__name__})", "linkedin:file")]
        return [read_file_bytes(data, str(path), path.name)]
    return [whole_file(path, "path does not exist", "linkedin:export")]


def reader_kind(reader: Reader) -> str:
    return f"linkedin:{reader.name}"


class _Budget:
    """Uncompressed bytes read so far from one zip (the total-size zip-bomb guard)."""

    def __init__(self) -> None:
        self.used = 0


def _read_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    source: str,
    reader: Reader,
    budget: _Budget | None = None,
) -> Parsed:
    """One zip member through its reader, refused whole when it looks like a zip bomb.

    Guards: the member's uncompressed size (declared and actual), the whole zip's total,
    and the compression ratio (real CSVs compress 3-20x; a bomb compresses 1000x).
    """
    kind = reader_kind(reader)
    budget = budget or _Budget()
    limit_mb = MAX_MEMBER_BYTES // (1024 * 1024)
    too_big = f"zip member larger than {limit_mb} MB uncompressed, refused"
    if info.file_size > MAX_MEMBER_BYTES:
        return whole_file(source, too_big, kind)
    if budget.used + info.file_size > MAX_TOTAL_BYTES:
        total_mb = MAX_TOTAL_BYTES // (1024 * 1024)
        return whole_file(source, f"zip larger than {total_mb} MB uncompressed, refused", kind)
    if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return whole_file(
            source, f"zip member compressed more than {MAX_RATIO}:1 (zip bomb?), refused", kind
        )
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)  # the declared size may lie
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError) as err:
        return whole_file(source, f"cannot read zip member ({type(err).__name__})", kind)
    if len(data) > MAX_MEMBER_BYTES:
        return whole_file(source, too_big, kind)
    budget.used += len(data)
    return reader.read(decode_bytes(data), source)
