"""CSV text as LinkedIn writes it → records with their line numbers, and the header.

Bytes are decoded leniently and never raise: a UTF-8 BOM is stripped, UTF-16 is read with
or without its BOM (2018 archives and spreadsheets' "Unicode text" wrote it), invalid UTF-8
is replaced. Records are split by the csv module on the delimiter the text itself uses
(comma, tab or semicolon: the one most frequent outside quotes in its first lines); blank
physical lines are not records; a record the csv module refuses is an error record at its
line, not an exception. A field that is only a spreadsheet's fill for "nothing" (`NULLS`:
``NA``, ``N/A``, ``null`` ...) reads as empty. The header
is found by name among the first HEADER_SCAN records (Connections.csv opens with a Notes:
preamble since mid-2021), never at a fixed line; header names are normalised (`norm_col`),
so ``Email_Address``, ``email address`` and ``EMAIL ADDRESS`` are one column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

#: How many leading records may precede a header (the Connections ``Notes:`` preamble).
HEADER_SCAN = 20

#: Largest single CSV field accepted (csv's default, 128 kB, is below a long message).
FIELD_LIMIT = 64 * 1024 * 1024


# -- decoding ---------------------------------------------------------------------------------


def utf16_order(data: bytes) -> str | None:
    """ "utf-16-le" / "utf-16-be" when `data` is UTF-16 text (by its BOM, or by the NUL byte
    beside every ASCII character), else None."""
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be"
    sample = data[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    # ASCII in UTF-16LE puts the NUL second: "F\0i\0"; big-endian first
    return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"


def decode_bytes(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (BOM stripped) or UTF-16 (BOM or not); never raises."""
    if (order := utf16_order(data)) is not None:
        body = data[2:] if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
        return body.decode(order, errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")


#: Cell values that stand for "nothing" in spreadsheet re-saves and some exports (a cleaned
#: copy wrote NA into 3,037 empty e-mail cells; Learning.csv writes N/A; Contacts' Companies
#: `null`). Mixed-case "Na" stays: it is a family name.
NULLS = frozenset({"NA", "na", "N/A", "n/a", "N/a", "#N/A", "null", "NULL", "Null"})


def unnull(value: str) -> str:
    """`value`, or "" when it is only a fill for nothing (NULLS), spaces aside."""
    if value in NULLS or (len(value) <= 8 and value.strip() in NULLS):
        return ""
    return value


# -- records ----------------------------------------------------------------------------------


class Record(NamedTuple):
    """One CSV record of a file."""

    line: int  # 1-based physical line where the record starts
    fields: list[str] | None  # None when the csv module refused the record
    error: str = ""


_QUOTED = re.compile(r'"[^"]*"')
_DELIMITERS = (",", "\t", ";")
#: How many leading non-blank lines decide the delimiter.
DELIMITER_LINES = 5


def _delimiter(text: str) -> str:
    """The delimiter most frequent outside quoted fields in the first non-blank lines
    (the comma on a tie: a Notes: preamble holds none)."""
    lines = [ln for ln in text[:65536].splitlines() if ln.strip()][:DELIMITER_LINES]
    bare = _QUOTED.sub("", "\n".join(lines))
    counts = {d: bare.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def iter_records(text: str) -> Iterator[Record]:
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
            yield Record(start, None, f"unreadable CSV record ({err})")
            start = reader.line_num + 1
            continue
        if row and any(row) or len(row) > 1:
            yield Record(start, row)
        start = reader.line_num + 1


# -- header -----------------------------------------------------------------------------------


def norm_col(name: str) -> str:
    """Header-name key: strip, case-fold, spaces/underscores collapsed to one space."""
    return " ".join(name.replace("\ufeff", "").replace("_", " ").split()).casefold()


class Table(NamedTuple):
    """A file split at its header."""

    header: list[str] | None  # normalised column names
    rows: list[Record]


def split_header(text: str, is_header: Callable[[list[str]], bool]) -> Table:
    """Header (first of the first HEADER_SCAN records accepted by is_header, else the first
    record) and the data records after it."""
    records = list(iter_records(text))
    pick = None
    for i, rec in enumerate(records[:HEADER_SCAN]):
        if rec.fields is not None and is_header([norm_col(f) for f in rec.fields]):
            pick = i
            break
    if pick is None:
        pick = next((i for i, r in enumerate(records) if r.fields is not None), None)
    if pick is None:
        return Table(None, records)
    return Table([norm_col(f) for f in records[pick].fields or []], records[pick + 1 :])
