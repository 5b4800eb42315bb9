"""What a run reads from the last good warehouse: its resolution (the identity map that
keeps person ids stable, for the resolve step) and its bookkeeping and history (which the
build step carries on).

The live file is only ever opened read-only, through `readers.connect_read_only`, so a
dashboard or `kith sql` reading it at the same time is never disturbed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from transforms import schemas
from transforms.readers import connect_read_only
from transforms.resolve.result import Previous, PreviousTables


@dataclass
class LiveResolution:
    """The last good warehouse's identities: what resolution starts from."""

    previous: Previous  # identity map, first sightings, id history
    tables: PreviousTables  # its resolver output (for a delta run)
    signature: str | None  # inputs signature it was built from


@dataclass
class Carried:
    """The last good warehouse's bookkeeping and history: what a build appends to."""

    runs: pl.DataFrame
    stats: pl.DataFrame
    history: pl.DataFrame | None  # relationship_history; None on a first run (or older file)


def nothing_carried() -> Carried:
    """What a first run carries over: nothing."""
    return Carried(
        schemas.empty(schemas.PIPELINE_RUNS), schemas.empty(schemas.PIPELINE_FILE_STATS), None
    )


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("select table_name from information_schema.tables").fetchall()
    return {row[0] for row in rows}


def read_live_signature(live: Path) -> str | None:
    """The inputs signature the live warehouse was built from; None without one. Cheap: a
    night whose inputs did not change needs nothing more from the live file."""
    if not live.exists():
        return None
    con = connect_read_only(live)
    try:
        if "run_inputs" not in _tables(con):
            return None
        return con.execute("select signature from run_inputs").fetchall()[0][0]
    finally:
        con.close()


def read_live_resolution(live: Path) -> LiveResolution | None:
    """The last good warehouse's resolution (read-only, retried); None when there is none."""
    if not live.exists():
        return None
    con = connect_read_only(live)
    try:
        tables = PreviousTables(
            **{
                name: con.sql(f"select * from {name}").pl().cast(schema)
                for name, schema in schemas.RESOLVED.items()
            }
        )
        signature = (
            con.execute("select signature from run_inputs").fetchall()[0][0]
            if "run_inputs" in _tables(con)
            else None
        )
    finally:
        con.close()
    previous = Previous(
        # every key kind (the owner's own, connection keys, URNs): names are never keys
        identity_map=tables.person_identities.filter(pl.col("kind") != "name").select(
            "kind", "value", "person_id"
        ),
        first_seen=tables.people.select("person_id", "first_seen_at"),
        history=tables.person_id_history,
    )
    return LiveResolution(previous, tables, signature)


def read_carried(live: Path) -> Carried:
    """The last good warehouse's runs, file stats and history; empty when there is none."""
    if not live.exists():
        return nothing_carried()
    con = connect_read_only(live)
    try:
        runs = con.sql("select * from pipeline_runs").pl().cast(schemas.PIPELINE_RUNS)
        stats = schemas.conform(
            con.sql("select * from pipeline_file_stats").pl(), schemas.PIPELINE_FILE_STATS
        )
        history = (
            con.sql("select * from relationship_history").pl()
            if "relationship_history" in _tables(con)
            else None
        )
    finally:
        con.close()
    return Carried(runs, stats, history)
