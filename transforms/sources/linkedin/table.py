"""One CSV file of an export → one staged table: the loop every LinkedIn reader shares.

A reader is mostly a `Layout`: the file, the staged table it fills, the columns it cannot
do without, and where each staged column comes from (a date, the other party's names,
fields copied with a tidy-up, fixed values). What no declaration covers (keys, flags,
a value built from several fields) a row function computes: given the file's `Columns`,
how one record becomes the rest of its row. `read` does the rest the same way for every
file, so a new file family is one module of that shape plus a line in the registry:

* no header line → the file is refused whole as empty; a header without a column the file
  needs → refused whole as ``unknown layout: <its columns>`` (one reject; the rest of the
  export loads);
* every field reads through `csv_text.unnull` (``NA``, ``N/A``, ``null`` are empty), and
  each date column's day-month order is decided from the whole column before any row is
  parsed (dates.day_first: a spreadsheet re-save writes ``8/1/2018`` in its locale);
* a record the CSV module could not split, an unparseable date, or a record the row
  function refuses by raising `RowRejected` becomes a reject at its line; the rest rows;
* per file ``rows_in == rows_loaded + rows_rejected``; reasons never quote a name or e-mail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

import polars as pl

from transforms import schemas
from transforms.rejects import Parsed, reject_rows, whole_file
from transforms.resolve.keys import canonical_linkedin_url, canonical_member_urn, collapse_spaces
from transforms.sources.linkedin.archive import normalise_file_name
from transforms.sources.linkedin.csv_text import (
    HEADER_SCAN,
    Record,
    norm_col,
    split_header,
    unnull,
)
from transforms.sources.linkedin.dates import day_first, parse_linkedin_datetime

#: URLs repeat a lot (the owner, frequent correspondents): canonicalise each spelling once.
canonical_url = lru_cache(maxsize=65_536)(canonical_linkedin_url)

Values = dict[str, object]  # one staged row, by column (source_file and location added)
RowFn = Callable[[list[str], int], Values]  # (a record's fields, its line) → its row
Tidy = Callable[[str], object]  # one field as written → its staged value
DateFn = Callable[[str], datetime | None]  # one date field → its UTC datetime (or RowRejected)


class Layout(NamedTuple):
    """What a reader expects of one file, and where each staged column comes from.

    A staged column is filled by exactly one of: `dated`, `names`, a copied group
    (`trimmed`, `as_written`, `collapsed`, `urls`, `urns`: staged column ← header), `fixed`,
    or the reader's row function; `read` adds source_file and location to every row.
    """

    name: str  # canonical file name; Parsed.kind is "linkedin:<name>"
    table: str  # the staged table it fills (its columns: schemas.STAGED[table])
    required: tuple[str, ...]  # header names without which the file is refused whole
    dated: tuple[str, str] | None = None  # (staged column, header): unparseable → reject
    names: tuple[str, str] | None = None  # (first, last) headers → first/last/full_name
    trimmed: Mapping[str, str] = {}  # stripped; blank → None
    as_written: Mapping[str, str] = {}  # kept as typed (names); blank → None
    collapsed: Mapping[str, str] = {}  # whitespace runs collapsed; blank → None
    urls: Mapping[str, str] = {}  # profile URLs, canonical; anything else → None
    urns: Mapping[str, str] = {}  # member URNs (urn:li:member:<id>); anything else → None
    fixed: Mapping[str, object] = {}  # the same value on every row ("direction": "given")
    is_header: Callable[[list[str]], bool] | None = None  # default: all required present
    read_too: tuple[str, ...] = ()  # other headers the row function reads (to know a header)

    @property
    def kind(self) -> str:
        return f"linkedin:{self.name}"

    @property
    def schema(self) -> pl.Schema:
        return schemas.STAGED[self.table]

    def headers(self) -> set[str]:
        """The normalised header names this layout declares (to tell a header from data)."""
        named = [*self.required, *(self.names or ()), *self.read_too]
        named += [self.dated[1]] if self.dated else []
        named += [header for _, header, _ in self.copied()]
        return {norm_col(n) for n in named}

    def copied(self) -> Iterator[tuple[str, str, Tidy]]:
        """(staged column, header, tidy) of each column copied from one field."""
        for tidy, columns in (
            (trimmed, self.trimmed),
            (as_written, self.as_written),
            (collapse_spaces, self.collapsed),
            (canonical_url, self.urls),
            (canonical_member_urn, self.urns),
        ):
            for column, header in columns.items():
                yield column, header, tidy


class RowRejected(Exception):
    """Raised by a row function: this record is refused, for the reason given."""


class MissingColumn(Exception):
    """Raised while binding a row function: the header lacks a column the file needs."""


class Columns:
    """Column lookup by normalised name; first occurrence wins; missing → ''.

    Holds the file's records too, so a column-level decision (the day-month order of a
    date column) is made once, from the whole column, before any row is parsed.
    """

    def __init__(self, header: list[str], records: list[Record] | None = None):
        self.index: dict[str, int] = {}
        for i, name in enumerate(header):
            self.index.setdefault(name, i)
        self.records = records or []

    def has(self, name: str) -> bool:
        return norm_col(name) in self.index

    def getter(self, name: str) -> Callable[[list[str]], str]:
        i = self.index.get(norm_col(name))
        if i is None:
            return lambda row: ""
        return lambda row: unnull(row[i]) if i < len(row) else ""

    def day_first(self, name: str) -> bool:
        """Whether the all-digit dates of column `name` put the day first (dates.day_first)."""
        get = self.getter(name)
        return day_first(get(r.fields) for r in self.records if r.fields is not None)

    def date(self, name: str, label: str | None = None, optional: bool = False) -> DateFn:
        """A parser for column `name`'s dates, in the column's own day-month order."""
        order = self.day_first(name)
        return lambda raw: dated(raw, label or name, optional, order)

    def getters(self, *names: str) -> tuple[Callable[[list[str]], str], ...]:
        """One getter per name, in order (to unpack: ``first, last = cols.getters(...)``)."""
        return tuple(self.getter(name) for name in names)

    def getter_any(self, *names: str) -> Callable[[list[str]], str]:
        """The getter of the first of several spellings present (2018 vs 2024 headers)."""
        for name in names:
            if self.has(name):
                return self.getter(name)
        return lambda row: ""


def display_name(source_file: str, *names: str) -> str:
    """The file's own name when it is one of `names` (spelt its way), else the first."""
    base = str(source_file).rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
    known = {normalise_file_name(n) for n in names}
    return base if normalise_file_name(base) in known else names[0]


def read(
    text: str,
    source_file: str,
    layout: Layout,
    bind: Callable[[Columns], RowFn] | None = None,
) -> Parsed:
    """The Parsed of one file: a row per usable record, a reject per other."""
    # an empty file is named by the canonical name only (an empty ImportedContacts.csv
    # reads "Contacts.csv is empty")
    name = display_name(source_file, layout.name)
    required = [norm_col(c) for c in layout.required]
    split = split_header(text, layout.is_header or (lambda h: all(c in h for c in required)))
    if split.header is None:
        return whole_file(source_file, f"{name} is empty (no header line)", layout.kind, 0)
    cols = Columns(split.header, split.rows)
    try:
        for col in layout.required:
            if not cols.has(col):
                raise MissingColumn(col)
        row_of = bind(cols) if bind else None
    except MissingColumn as missing:
        reason = unknown_layout(split.header, layout.headers(), str(missing))
        return whole_file(source_file, reason, layout.kind, len(split.rows))
    out: dict[str, list] = {k: [] for k in layout.schema.names()}
    add = {k: column.append for k, column in out.items()}  # bound once: this loop is hot
    copied = [(add[column], cols.getter(h), tidy) for column, h, tidy in layout.copied()]
    fixed = [(add[column], value) for column, value in layout.fixed.items()]
    date_column, date_header = layout.dated or ("", "")
    date_field = cols.getter(date_header) if layout.dated else None
    parse_date = cols.date(date_header) if layout.dated else None
    first, last = cols.getters(*layout.names) if layout.names else (None, None)
    computed: list[Values] = []  # the row function's values, one dict per row loaded
    rejects: list[tuple[str, str]] = []
    for rec in split.rows:
        where, fields = location_of(rec), rec.fields
        if fields is None:
            rejects.append((where, rec.error))
            continue
        try:
            when = parse_date(date_field(fields)) if parse_date and date_field else None
            if row_of:
                computed.append(row_of(fields, rec.line))
        except RowRejected as why:
            rejects.append((where, str(why)))
            continue
        add["source_file"](source_file)
        add["location"](where)
        if parse_date:
            add[date_column](when)
        if first and last:
            for column, value in person(first(fields), last(fields)).items():
                add[column](value)
        for append, get, tidy in copied:
            append(tidy(get(fields)))
        for append, value in fixed:
            append(value)
    for column in computed[0] if computed else ():
        out[column] = [values[column] for values in computed]  # faster than appends per row
    frame = pl.DataFrame(out, schema=layout.schema)
    return Parsed(
        source_file=str(source_file),
        kind=layout.kind,
        rows_in=len(split.rows),
        rows_loaded=frame.height,
        rows_rejected=len(rejects),
        tables={layout.table: schemas.conform(frame, layout.schema)},
        rejects=reject_rows(source_file, rejects),
    )


# -- what row functions use -------------------------------------------------------------------


def dated(raw: str, label: str, optional: bool = False, day_first: bool = False) -> datetime | None:
    """The UTC datetime of `raw`, or RowRejected quoting it (`unparseable DATE 'x'`).

    With `optional`, a blank value is allowed and comes back as None; `day_first` reads an
    all-digit date day first (a column decides it: `Columns.date`).
    """
    when = parse_linkedin_datetime(raw, day_first)
    if when is None and (raw.strip() or not optional):
        raise RowRejected(f"unparseable {label} {quoted(raw)}")
    return when


def person(first: str, last: str) -> Values:
    """first_name / last_name as written (None when blank) and full_name tidied."""
    fn, ln = as_written(first), as_written(last)
    return {
        "first_name": fn,
        "last_name": ln,
        "full_name": collapse_spaces(f"{fn or ''} {ln or ''}"),
    }


def trimmed(value: str) -> str | None:
    """Stripped, but None when blank."""
    value = value.strip()
    return value or None


def as_written(value: str) -> str | None:
    """As written, but None when blank."""
    return value if value.strip() else None


#: A header field shown in an `unknown layout` reason: a plain column name, nothing that
#: could be a value (no digit, no @, no slash, short).
_COLUMN_NAME = re.compile(r"[a-z][a-z ()'._#-]{0,39}")


def unknown_layout(header: list[str], known: set[str], needed: str) -> str:
    """`unknown layout: <columns>; needs '<column>'` for a header that lacks a column the
    file needs.

    The columns are listed only when the header names one this reader knows (so it is a
    header, not a data row taken for one); a field that does not look like a column name
    is shown as ``?``. Never a name or an address.
    """
    if not any(col in known for col in header):
        return (
            f"unknown layout: no known column in its first {HEADER_SCAN} lines "
            f"({len(header)} columns); needs '{needed}'"
        )
    shown = [col if _COLUMN_NAME.fullmatch(col) else "?" for col in header]
    return f"unknown layout: {', '.join(shown)}; needs '{needed}'"


def location_of(rec: Record) -> str:
    return f"line {rec.line}"


def quoted(value: str, limit: int = 60) -> str:
    value = value if len(value) <= limit else value[:limit] + "…"
    return "'" + value.replace("'", "\\'") + "'"
