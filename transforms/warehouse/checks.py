"""The invariant checks: every query in sql/checks/ must return no rows.

Each check names what it guards in its first line (one owner, rows in = loaded + rejected
per file, one row per person in contact_recency, ...). A built file that fails any of them
is never published: the live warehouse stays as it was.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from transforms.warehouse.models import sql_names, sql_text


class CheckFailed(RuntimeError):
    """An invariant query in sql/checks returned rows: the build is not published."""


def run_checks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the sql/checks queries that returned rows, with how many."""
    failed = []
    for name in sql_names("checks"):
        rows = con.execute(sql_text("checks", f"{name}.sql")).fetchall()
        if rows:
            failed.append(f"{name} ({len(rows)} rows)")
    return failed


def check_build(built: Path) -> None:
    """Run every check on a closed build file (read-only); raise CheckFailed on any row."""
    con = duckdb.connect(str(built), read_only=True)
    try:
        failures = run_checks(con)
    finally:
        con.close()
    if failures:
        raise CheckFailed("invariant checks failed: " + ", ".join(failures))
