"""CSV text as LinkedIn writes it → records with their line numbers, and the header.

Bytes are decoded leniently and never raise: a UTF-8 BOM is stripped, UTF-16 with a BOM is
accepted, invalid UTF-8 is replaced. Records are split by the csv module on commas (tabs
when the first line holds more tabs than commas); blank physical lines are not records; a
record the csv module refuses is an error record at its line, not an exception. The header
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


def decode_bytes(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (BOM stripped) or UTF-16 with BOM; never raises."""
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", errors="replace")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")


# -- records ----------------------------------------------------------------------------------


class Record(NamedTuple):
    """One CSV record of a file."""

    line: int  # 1-based physical line where the record starts
    fields: list[str] | None  # None when the csv module refused the record
    error: str = ""


_FIRST_LINE = re.compile(r"[\r\n]*([^\r\n]*)")


def _delimiter(text: str) -> str:
    first = _FIRST_LINE.match(text).group(1)  # type: ignore[union-attr]
    return "\t" if first.count("\t") > first.count(",") else ","


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
