"""Moving frames and staged Parquet files into DuckDB tables, in bulk.

Rows never go in one by one (10k `executemany` rows take ~8 s, a frame through Arrow
milliseconds); staged Parquet is read by DuckDB itself, so those rows never pass through
Python at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """`frame` visible to SQL as `name` (through Arrow, no copy row by row) for the block."""
    con.register(name, frame.to_arrow())
    try:
        yield
    finally:
        con.unregister(name)


def load_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Create (or replace) table `name` from a polars frame."""
    with registered(con, "frame_to_load", frame):
        con.execute(f"create or replace table {name} as select * from frame_to_load")


def append_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Insert a polars frame's rows into an existing table (by column name)."""
    with registered(con, "frame_to_append", frame):
        con.execute(f"insert into {name} by name select * from frame_to_append")


def load_parquet(
    con: duckdb.DuckDBPyConnection, name: str, found: list[Path], schema: pl.Schema
) -> None:
    """Create table `name` from staged Parquet files (written conformed to `schema`)."""
    listing = ", ".join(quote(str(p)) for p in found)
    columns = ", ".join(f'"{c}"' for c in schema.names())
    con.execute(
        f"create or replace table {name} as select {columns} "
        f"from read_parquet([{listing}], union_by_name = true)"
    )


def scalar(con: duckdb.DuckDBPyConnection, query: str) -> int:
    """One value; fetchall() drains the result (DuckDB 2 refuses work on an open one)."""
    return con.execute(query).fetchall()[0][0]


def quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
