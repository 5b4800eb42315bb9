"""What every LinkedIn reader shares: columns by header name, rejects, the Parsed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from functools import lru_cache

import polars as pl

from transforms import schemas
from transforms.rejects import Parsed, reject_rows, whole_file
from transforms.resolve.keys import canonical_linkedin_url
from transforms.sources.linkedin.archive import normalise_file_name
from transforms.sources.linkedin.csv_text import Record, norm_col, split_header
from transforms.sources.linkedin.dates import parse_linkedin_datetime

#: URLs repeat a lot (the owner, frequent correspondents): canonicalise each spelling once.
canonical_url = lru_cache(maxsize=65_536)(canonical_linkedin_url)


def display_name(source_file: str, canonical: str) -> str:
    base = str(source_file).rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
    return base if normalise_file_name(base) == normalise_file_name(canonical) else canonical


class Columns:
    """Column lookup by normalised name; first occurrence wins; missing → ''."""

    def __init__(self, header: list[str]):
        self.index: dict[str, int] = {}
        for i, name in enumerate(header):
            self.index.setdefault(name, i)

    def has(self, name: str) -> bool:
        return norm_col(name) in self.index

    def getter(self, name: str) -> Callable[[list[str]], str]:
        i = self.index.get(norm_col(name))
        if i is None:
            return lambda row: ""
        return lambda row: row[i] if i < len(row) else ""

    def getter_any(self, *names: str) -> Callable[[list[str]], str]:
        """The getter of the first of several spellings present (2018 vs 2024 headers)."""
        for name in names:
            if self.has(name):
                return self.getter(name)
        return lambda row: ""


def prepare(
    text: str,
    source_file: str,
    canonical: str,
    required: list[str],
    is_header: Callable[[list[str]], bool] | None = None,
) -> tuple[Columns | None, list[Record], Parsed | None]:
    """Split the file; on a missing header/column return the whole-file Parsed instead."""
    kind = f"linkedin:{canonical}"
    name = display_name(source_file, canonical)
    req = [norm_col(c) for c in required]
    table = split_header(text, is_header or (lambda h: all(c in h for c in req)))
    if table.header is None:
        return None, [], whole_file(source_file, f"{name} is empty (no header line)", kind, 0)
    cols = Columns(table.header)
    for col in required:
        if not cols.has(col):
            reason = f"{name} has no '{col}' column"
            return None, [], whole_file(source_file, reason, kind, len(table.rows))
    return cols, table.rows, None


def trimmed(value: str) -> str | None:
    value = value.strip()
    return value or None


def as_written(value: str) -> str | None:
    """As written, but None when blank."""
    return value if value.strip() else None


def finish(
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


def location_of(rec: Record) -> str:
    return f"line {rec.line}"


def quoted(value: str, limit: int = 60) -> str:
    value = value if len(value) <= limit else value[:limit] + "…"
    return "'" + value.replace("'", "\\'") + "'"


def dated_records(
    rows: list[Record],
    date_of: Callable[[list[str]], str],
    label: str,
    rejects: list[tuple[str, str]],
    optional: bool = False,
) -> Iterator[tuple[Record, list[str], datetime | None]]:
    """(record, fields, parsed date) of each usable record; the rest become rejects.

    A record the CSV reader could not split, or whose date does not parse, is refused
    with the raw value in the reason (`unparseable Connected On '31 Foo 2020'`). With
    `optional`, an empty date is allowed and comes back as None.
    """
    for rec in rows:
        if rec.fields is None:
            rejects.append((location_of(rec), rec.error))
            continue
        raw = date_of(rec.fields)
        when = parse_linkedin_datetime(raw)
        if when is None and (raw.strip() or not optional):
            rejects.append((location_of(rec), f"unparseable {label} {quoted(raw)}"))
            continue
        yield rec, rec.fields, when
