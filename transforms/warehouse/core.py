"""The core tables: staged rows, the resolver's people, and `interactions` built from them.

Three ways a build gets them (transforms/run/resolution.py decides which): from scratch
(`Core`: staged Parquet and a fresh resolution), as the live warehouse's tables plus the
rows an mbox gained since (`DeltaCore`), or copied whole from the live warehouse when the
inputs did not change (then this module has nothing to do).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from transforms import schemas
from transforms.resolve.result import Resolution
from transforms.warehouse.frames import (
    append_frame,
    load_frame,
    load_parquet,
    registered,
    scalar,
)
from transforms.warehouse.models import (
    create_statement,
    drop_intermediates,
    intermediates,
    sql_text,
)

log = logging.getLogger(__name__)


@dataclass
class Core:
    """What the core tables are built from: staged rows, their rejects, resolved people."""

    staged: dict[str, pl.DataFrame]
    rejects: pl.DataFrame
    resolution: Resolution
    # Staged Parquet files per table, read by DuckDB itself (used instead of `staged`).
    stage_files: dict[str, list[Path]] | None = None


@dataclass
class DeltaCore:
    """The live warehouse's core tables plus rows added since (an mbox that grew), with the
    resolution of old and new rows together (transforms/resolve/delta.py)."""

    live: Path
    staged: dict[str, pl.DataFrame]  # the new rows only
    rejects: pl.DataFrame  # the new rows' rejects only
    resolution: Resolution


def create_intermediates(con: duckdb.DuckDBPyConnection, feeding: str = "interactions") -> None:
    """The `int_*` models of sql/core that `feeding` reads, as temporary tables, from the
    staged tables as they are seen now (in a delta build, through the scope's shadowing
    views)."""
    for name in intermediates("core", feeding):
        con.execute(create_statement("core", name))


def create_interactions(con: duckdb.DuckDBPyConnection) -> None:
    """The `interactions` table from the staged tables and the resolver's people."""
    create_intermediates(con)
    con.execute("create or replace table interactions as " + sql_text("core", "interactions.sql"))
    drop_intermediates(con, "core")


def refresh_meetings(con: duckdb.DuckDBPyConnection) -> None:
    """The meetings of `interactions` again, up to this run's as-of date.

    Meetings are interactions up to the as-of date (int_meeting_interactions reads
    run_params), while the staged occurrences reach the expansion horizon: when the core
    tables are an earlier run's (copied or extended by new mail), the occurrences whose
    date has passed since then become interactions here. Nothing to do without calendars.
    """
    if not scalar(con, "select count(*) from stg_calendar_occurrences"):
        return
    create_intermediates(con, feeding="int_meeting_interactions")
    con.execute(create_statement("core", "int_meeting_interactions"))
    con.execute("delete from interactions where channel = 'meeting'")
    con.execute(
        "insert into interactions by name select "
        "interaction_id(channel, event_key, person_id) as interaction_id, * exclude (event_key) "
        "from int_meeting_interactions"
    )
    drop_intermediates(con, "core")


def load_core(con: duckdb.DuckDBPyConnection, core: Core, run_id: str) -> None:
    """Staged tables, resolver output, interactions and this run's rejects."""
    for name, schema in schemas.STAGED.items():
        found = (core.stage_files or {}).get(name)
        if found:
            load_parquet(con, name, found, schema)
        else:
            load_frame(
                con, name, schemas.conform(core.staged.get(name, schemas.empty(schema)), schema)
            )
    load_resolution(con, core.resolution)
    create_interactions(con)
    load_frame(con, "rejects", _with_run_id(core.rejects, run_id))


def load_resolution(con: duckdb.DuckDBPyConnection, resolution: Resolution) -> None:
    """The resolver's four tables, replacing any there were."""
    for name in schemas.RESOLVED:
        load_frame(con, name, getattr(resolution, name))


def load_delta(con: duckdb.DuckDBPyConnection, core: DeltaCore, run_id: str) -> None:
    """New staged rows and rejects appended, resolver output replaced, interactions added
    (or rebuilt when old ones could change)."""
    for name, schema in schemas.STAGED.items():
        frame = core.staged.get(name)
        if frame is not None and frame.height:
            append_frame(con, name, schemas.conform(frame, schema))
    load_resolution(con, core.resolution)
    if not add_interactions(con, core.staged.get("stg_email_messages")):
        create_interactions(con)
    rejects_now = _with_run_id(core.rejects, run_id)
    if rejects_now.height:
        append_frame(con, "rejects", rejects_now)


def _with_run_id(rejects: pl.DataFrame, run_id: str) -> pl.DataFrame:
    return rejects.with_columns(pl.lit(run_id).alias("run_id")).select(
        "run_id", *schemas.REJECTS.names()
    )


def add_interactions(con: duckdb.DuckDBPyConnection, new: pl.DataFrame | None) -> bool:
    """Add the interactions of newly appended messages, when no old row can change.

    People are those of the delta resolution (old ones unchanged) and the new messages'
    ids are new; an old interaction still changes when an old message answers a new one
    (is_reply) or a new message has no thread headers (it may join an old subject thread).
    Otherwise the new rows are exactly what the models give for them, computed over the new
    messages and the old ones they answer only. False: rebuild the whole table.
    """
    if new is None or not new.height:
        return False
    columns = new.select(
        "source_file", "location", "message_key", "thread_key", "parent_message_id"
    )
    with registered(con, "delta_rows", columns):
        header_less = scalar(
            con,
            "select count(*) from delta_rows "
            "where thread_key = message_key and parent_message_id is null",
        )
        answered = scalar(
            con,
            "select count(*) from stg_email_messages "
            "where parent_message_id in (select message_key from delta_rows) "
            "  and message_key not in (select message_key from delta_rows)",
        )
        if header_less or answered:
            log.info("rebuilding interactions: old ones may change with the new mail")
            return False
        con.execute(
            "create temp table delta_scope as "
            "select message_key from delta_rows union "
            "select parent_message_id from delta_rows where parent_message_id is not null"
        )
        with _scope(con):
            create_intermediates(con)
            con.execute(
                "insert into interactions select * from ("
                + sql_text("core", "interactions.sql")
                + ") as i where exists (select 1 from delta_rows as d "
                "where d.source_file = i.source_file and d.location = i.location)"
            )
            drop_intermediates(con, "core")
        con.execute("drop table delta_scope")
    log.info("adding the new messages' interactions")
    return True


@contextmanager
def _scope(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """For the block, temporary views shadow the staged tables: the e-mail tables hold only
    the `delta_scope` messages, the others nothing. The models read them unchanged (a
    temporary view is found before a table of the same name)."""
    main = '"' + scalar(con, "select current_database()").replace('"', '""') + '".main'
    scoped = ("stg_email_messages", "stg_email_participants")
    try:
        for name in schemas.STAGED:
            body = f"select * from {main}.{name}" + (
                " where message_key in (select message_key from delta_scope)"
                if name in scoped
                else " limit 0"
            )
            con.execute(f"create temp view {name} as {body}")
        yield
    finally:
        for name in schemas.STAGED:
            con.execute(f"drop view if exists temp.{name}")
