"""Helpers more than one test module shares (import as `tests.support`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

#: Columns that differ between two runs on the same inputs by design: the run's id and
#: clock, and how long parsing took or whether a file came from the cache.
RUN_COLUMNS = {
    "run_id",
    "started_at",
    "finished_at",
    "duration_s",
    "parse_seconds",
    "is_cached",
    "first_seen_at",
    "changed_at",
}


def table_digests(db: Path) -> dict[str, str]:
    """A digest of every table of a warehouse (rows in any order, run columns left out)."""
    con = duckdb.connect(str(db), read_only=True)
    con.execute("set TimeZone = 'UTC'")  # timestamps come back with one tzinfo, whoever asks
    try:
        tables = [r[0] for r in con.execute("show tables").fetchall()]
        out = {}
        for table in tables:
            cols = [f'"{c}"' for c in con.table(table).columns if c not in RUN_COLUMNS]
            rows = con.execute(f"select {', '.join(cols)} from {table} order by all").fetchall()
            out[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        con.close()
