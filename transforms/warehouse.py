"""Build the warehouse in a new file and swap it in atomically.

The live file is only ever read (read-only, for last night's identity map) and replaced
with `os.replace` once the new file is complete, checked and closed. Any failure before
`publish` leaves the live warehouse byte-for-byte as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.resources import files
from pathlib import Path

import duckdb
import polars as pl

from transforms import schemas
from transforms.readers import connect_read_only
from transforms.resolve.delta import PreviousTables
from transforms.resolve.people import (
    MATCH_DECISIONS,
    PEOPLE,
    PERSON_ID_HISTORY,
    PERSON_IDENTITIES,
    Previous,
    Resolution,
)
from transforms.settings import MetricSettings

log = logging.getLogger(__name__)

# DuckDB's memory during a build: the nightly job must stay small beside the user's other
# programs; bigger work spills to disk. Some operators cannot spill: a build that runs out
# is retried without the limit. (The whole run's peak on a 2 GB mbox: docs/ingest.md.)
BUILD_MEMORY = "256MB"
# Written in a storage format the DuckDB 1.5 command-line shell (PyPI duckdb-cli) can open.
STORAGE = {"storage_compatibility_version": "v1.5.0"}

CORE_TABLES = ("people", "person_identities", "interactions", "match_decisions")
# Each mart may read the core tables, run_params, metric_settings and the marts before it.
MART_ORDER = (
    "relationship_strength",
    "contact_recency",
    "introductions",
    "reciprocity",
    "interactions_monthly",
    "network_growth",
    "network_composition",
    "follow_up_queue",
    "relationship_history",
)

PIPELINE_RUNS = pl.Schema(
    {
        "run_id": pl.String,
        "started_at": pl.Datetime("us", "UTC"),
        "finished_at": pl.Datetime("us", "UTC"),
        "status": pl.String,  # ok / partial (some file refused whole)
        "as_of": pl.Date,
        "n_files": pl.Int64,
        "rows_in": pl.Int64,
        "rows_loaded": pl.Int64,
        "rows_rejected": pl.Int64,
        "n_people": pl.Int64,
        "n_interactions": pl.Int64,
        "duration_s": pl.Float64,
    }
)
PIPELINE_FILE_STATS = pl.Schema(
    {
        "run_id": pl.String,
        "source_file": pl.String,
        "kind": pl.String,
        "rows_in": pl.Int64,
        "rows_loaded": pl.Int64,
        "rows_rejected": pl.Int64,
        "skipped_reason": pl.String,
        "parse_seconds": pl.Float64,
        "is_cached": pl.Boolean,  # staged output reused: the file was unchanged
    }
)


class CheckFailed(RuntimeError):
    """An invariant query in sql/checks returned rows: the build is not published."""


@dataclass
class RunInfo:
    run_id: str
    started_at: datetime
    as_of: date


def sql_text(*parts: str) -> str:
    """Read a SQL file shipped inside the transforms package."""
    return files("transforms").joinpath("sql", *parts).read_text(encoding="utf-8")


def sql_names(folder: str) -> list[str]:
    """Sorted SQL file stems of a folder under transforms/sql."""
    root = files("transforms").joinpath("sql", folder)
    return sorted(p.name[:-4] for p in root.iterdir() if p.name.endswith(".sql"))


@dataclass
class LiveWarehouse:
    """What a run reads from the last good warehouse, in one read-only connection."""

    previous: Previous | None  # identity map, first sightings, id history
    runs: pl.DataFrame
    stats: pl.DataFrame
    history: pl.DataFrame | None  # relationship_history; None on a first run (or older file)
    signature: str | None = None  # inputs signature it was built from
    resolution: PreviousTables | None = None  # its resolver output (for a delta run)


def read_live(live: Path) -> LiveWarehouse:
    """The last good warehouse's state (read-only, retried); empty when there is none."""
    if not live.exists():
        return LiveWarehouse(
            None, pl.DataFrame(schema=PIPELINE_RUNS), pl.DataFrame(schema=PIPELINE_FILE_STATS), None
        )
    con = connect_read_only(live)
    try:
        tables = {
            row[0]
            for row in con.execute("select table_name from information_schema.tables").fetchall()
        }
        resolution = PreviousTables(
            people=con.sql("select * from people").pl().cast(PEOPLE),
            person_identities=con.sql("select * from person_identities")
            .pl()
            .cast(PERSON_IDENTITIES),
            match_decisions=con.sql("select * from match_decisions").pl().cast(MATCH_DECISIONS),
            person_id_history=con.sql("select * from person_id_history")
            .pl()
            .cast(PERSON_ID_HISTORY),
        )
        previous = Previous(
            identity_map=resolution.person_identities.filter(
                pl.col("kind").is_in(["email", "linkedin_url"])
            ).select("kind", "value", "person_id"),
            first_seen=resolution.people.select("person_id", "first_seen_at"),
            history=resolution.person_id_history,
        )
        runs = con.sql("select * from pipeline_runs").pl().cast(PIPELINE_RUNS)
        stats = schemas.conform(
            con.sql("select * from pipeline_file_stats").pl(), PIPELINE_FILE_STATS
        )
        history = (
            con.sql("select * from relationship_history").pl()
            if "relationship_history" in tables
            else None
        )
        signature = (
            con.execute("select signature from run_inputs").fetchall()[0][0]
            if "run_inputs" in tables
            else None
        )
    finally:
        con.close()
    return LiveWarehouse(previous, runs, stats, history, signature, resolution)


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


#: Tables rebuilt on every run, even when the core tables are reused from the live file.
DERIVED = ("run_params", "metric_settings", "run_inputs", "pipeline_file_stats", "pipeline_runs")


def build(
    target: Path,
    core: Core | DeltaCore | Path,
    run: RunInfo,
    file_stats: pl.DataFrame,
    previous_runs: pl.DataFrame,
    previous_stats: pl.DataFrame,
    previous_history: pl.DataFrame | None = None,
    settings: MetricSettings | None = None,
    inputs_signature: str = "",
    temp_dir: Path | None = None,
    memory_limit: str | None = BUILD_MEMORY,
) -> dict[str, int]:
    """Write every table into `target` (a new file), run the checks, close. Returns counts.

    `core` is either what to build the core tables from, or the live warehouse to copy them
    from when the run's inputs are the same as last time (only marts and bookkeeping are
    then rebuilt: they depend on the as-of date and the settings, not only on the inputs).
    `temp_dir` is where DuckDB may spill (default: beside `target`).
    """
    if target.exists():
        target.unlink()
    copied = core if isinstance(core, Path) else core.live if isinstance(core, DeltaCore) else None
    if copied is not None:
        shutil.copyfile(copied, target)
        con = duckdb.connect(str(target))
    else:
        con = duckdb.connect(str(target), config=STORAGE)
    try:
        con.execute("set TimeZone = 'UTC'")
        if memory_limit is not None:
            con.execute(f"set memory_limit = '{memory_limit}'")
        if temp_dir is not None:  # spilled rows are personal data: keep them in the run folder
            con.execute("set temp_directory = '" + str(temp_dir).replace("'", "''") + "'")
        if copied is not None:
            for table in (*DERIVED, *MART_ORDER):
                con.execute(f"drop table if exists {table}")
            con.execute("update rejects set run_id = ?", [run.run_id])
        if isinstance(core, DeltaCore):
            _load_delta(con, core, run)
        _load(con, "run_params", _run_params(run))
        _load(con, "metric_settings", (settings or MetricSettings()).to_frame())
        _load(con, "run_inputs", pl.DataFrame({"signature": [inputs_signature]}))
        if isinstance(core, Core):
            _load_core(con, core, run)
        for mart in MART_ORDER:
            con.execute(f"create table {mart} as " + sql_text("marts", f"{mart}.sql"))
        if previous_history is not None:
            carry_history(con, previous_history)
        stats_now = file_stats.with_columns(pl.lit(run.run_id).alias("run_id"))
        _load(
            con,
            "pipeline_file_stats",
            pl.concat(
                [
                    previous_stats,
                    stats_now.select(PIPELINE_FILE_STATS.names()).cast(PIPELINE_FILE_STATS),
                ]
            ),
        )
        counts = {
            "people": _scalar(con, "select count(*) from people where not is_owner"),
            "interactions": _scalar(con, "select count(*) from interactions"),
        }
        finished = datetime.now(run.started_at.tzinfo)
        partial = file_stats.filter(
            pl.col("skipped_reason").is_not_null() & (pl.col("rows_in") > 0)
        )
        run_row = pl.DataFrame(
            [
                (
                    run.run_id,
                    run.started_at,
                    finished,
                    "partial" if partial.height else "ok",
                    run.as_of,
                    file_stats.height,
                    int(file_stats["rows_in"].sum()),
                    int(file_stats["rows_loaded"].sum()),
                    int(file_stats["rows_rejected"].sum()),
                    counts["people"],
                    counts["interactions"],
                    (finished - run.started_at).total_seconds(),
                )
            ],
            schema=PIPELINE_RUNS,
            orient="row",
        )
        _load(con, "pipeline_runs", pl.concat([previous_runs, run_row]))
        failures = run_checks(con)
        if failures:
            raise CheckFailed("invariant checks failed: " + ", ".join(failures))
        con.execute("checkpoint")
    finally:
        con.close()
    return counts


def _load_core(con: duckdb.DuckDBPyConnection, core: Core, run: RunInfo) -> None:
    """Staged tables, resolver output, interactions and this run's rejects."""
    for name, schema in schemas.STAGED.items():
        found = (core.stage_files or {}).get(name)
        if found:
            _load_parquet(con, name, found, schema)
        else:
            frame = core.staged.get(name, schemas.empty(schema))
            _load(con, name, schemas.conform(frame, schema))
    _load_resolution(con, core.resolution)
    con.execute("create table interactions as " + sql_text("core", "interactions.sql"))
    rejects_now = core.rejects.with_columns(pl.lit(run.run_id).alias("run_id")).select(
        "run_id", *schemas.REJECTS.names()
    )
    _load(con, "rejects", rejects_now)


def _load_resolution(con: duckdb.DuckDBPyConnection, resolution: Resolution) -> None:
    """The resolver's four tables, replacing any there were."""
    _load(con, "people", resolution.people)
    _load(con, "person_identities", resolution.person_identities)
    _load(con, "match_decisions", resolution.match_decisions)
    _load(con, "person_id_history", resolution.person_id_history)


def _load_delta(con: duckdb.DuckDBPyConnection, core: DeltaCore, run: RunInfo) -> None:
    """New staged rows and rejects appended, resolver output replaced, interactions added
    (or rebuilt when old ones could change)."""
    for name, schema in schemas.STAGED.items():
        frame = core.staged.get(name)
        if frame is not None and frame.height:
            _append(con, name, schemas.conform(frame, schema))
    _load_resolution(con, core.resolution)
    if not _add_interactions(con, core.staged.get("stg_email_messages")):
        con.execute("drop table interactions")
        con.execute("create table interactions as " + sql_text("core", "interactions.sql"))
    rejects_now = core.rejects.with_columns(pl.lit(run.run_id).alias("run_id")).select(
        "run_id", *schemas.REJECTS.names()
    )
    if rejects_now.height:
        _append(con, "rejects", rejects_now)


#: Staged tables a scoped interactions query reads through views instead (see below).
_SCOPED = {
    "stg_email_messages": "select * from stg_email_messages "
    "where message_key in (select message_key from delta_scope)",
    "stg_email_participants": "select * from stg_email_participants "
    "where message_key in (select message_key from delta_scope)",
    **{
        name: f"select * from {name} limit 0"
        for name in (
            "stg_linkedin_messages",
            "stg_linkedin_connections",
            "stg_linkedin_invitations",
            "stg_linkedin_endorsements",
            "stg_linkedin_recommendations",
        )
    },
}


def _add_interactions(con: duckdb.DuckDBPyConnection, new: pl.DataFrame | None) -> bool:
    """Add the interactions of newly appended messages, when no old row can change.

    People are those of the delta resolution (old ones unchanged) and the new messages'
    ids are new; an old interaction still changes when an old message answers a new one
    (is_reply) or a new message has no thread headers (it may join an old subject thread).
    Otherwise the new rows are exactly what interactions.sql gives for them, computed over
    the new messages and the old ones they answer only. False: rebuild the whole table.
    """
    if new is None or not new.height:
        return False
    columns = new.select(
        "source_file", "location", "message_key", "thread_key", "parent_message_id"
    )
    with _registered(con, "delta_rows", columns):
        header_less, answered = con.execute(
            "select "
            "(select count(*) from delta_rows "
            " where thread_key = message_key and parent_message_id is null), "
            "(select count(*) from stg_email_messages "
            " where parent_message_id in (select message_key from delta_rows) "
            "   and message_key not in (select message_key from delta_rows))"
        ).fetchall()[0]
        if header_less or answered:
            log.info("rebuilding interactions: old ones may change with the new mail")
            return False
        con.execute(
            "create temp table delta_scope as "
            "select message_key from delta_rows union "
            "select parent_message_id from delta_rows where parent_message_id is not null"
        )
        sql = sql_text("core", "interactions.sql")
        for name in _SCOPED:
            sql = sql.replace(name, f"scoped_{name}")
            con.execute(f"create temp view scoped_{name} as {_SCOPED[name]}")
        con.execute(
            f"insert into interactions select * from ({sql}) as i where exists ("
            "select 1 from delta_rows as d "
            "where d.source_file = i.source_file and d.location = i.location)"
        )
    log.info("adding the new messages' interactions")
    return True


def carry_history(con: duckdb.DuckDBPyConnection, previous: pl.DataFrame) -> None:
    """Append earlier snapshots to this run's relationship_history; the rows of this run's
    snapshot date are replaced, not duplicated. Columns a newer build added stay null on
    old rows; columns an older build had and this one dropped are left behind. Then every
    row's current_person_id is worked out again (`point_history_at_current_people`)."""
    current = set(con.table("relationship_history").columns)
    shared = [c for c in previous.columns if c in current]
    if not shared or "snapshot_on" not in shared:
        return
    with _registered(con, "previous_history", previous.select(shared)):
        con.execute(
            "insert into relationship_history by name select * from previous_history "
            "where snapshot_on != (select as_of from run_params)"
        )
    point_history_at_current_people(con)


# Where each retired id went: follow person_id_history's merges to the end of the chain
# (A merged into B, later B into C: A -> C), stopping at 50 links (a cycle cannot grow it).
_MERGED_INTO = """
with recursive chain(old_id, new_id, depth) as (
    select old_person_id, new_person_id, 1
    from person_id_history
    where reason = 'merged'
    union all
    select chain.old_id, h.new_person_id, chain.depth + 1
    from chain
    join person_id_history as h
        on h.old_person_id = chain.new_id and h.reason = 'merged'
    where chain.depth < 50
)
select old_id, arg_max(new_id, depth) as new_id
from chain
group by old_id
"""


def point_history_at_current_people(con: duckdb.DuckDBPyConnection) -> None:
    """Set relationship_history.current_person_id: the row's own person_id while that
    person exists, else the person its id merged into (through person_id_history), so a
    trend query can group snapshots by today's people. Recomputed from person_id on every
    build, so it never depends on what an earlier build wrote."""
    if "current_person_id" not in con.table("relationship_history").columns:
        return
    con.execute("update relationship_history set current_person_id = person_id")
    con.execute(
        "update relationship_history set current_person_id = merged.new_id "
        f"from ({_MERGED_INTO}) as merged "
        "where relationship_history.person_id = merged.old_id "
        "and relationship_history.person_id not in (select person_id from people) "
        "and merged.new_id in (select person_id from people)"
    )


def run_checks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the sql/checks queries that returned rows."""
    failed = []
    for name in sql_names("checks"):
        rows = con.execute(sql_text("checks", f"{name}.sql")).fetchall()
        if rows:
            failed.append(f"{name} ({len(rows)} rows)")
    return failed


def publish(built: Path, live: Path) -> None:
    """Make the closed, checked build the live warehouse in one atomic rename."""
    wal = built.with_name(built.name + ".wal")
    if wal.exists():  # never move a file whose write-ahead log has not been checkpointed
        raise RuntimeError(f"{built} still has a write-ahead log; not publishing")
    os.chmod(built, 0o600)
    live.parent.mkdir(parents=True, exist_ok=True)
    os.replace(built, live)


def _run_params(run: RunInfo) -> pl.DataFrame:
    as_of_end = datetime(run.as_of.year, run.as_of.month, run.as_of.day) + timedelta(days=1)
    return pl.DataFrame(
        {
            "run_id": [run.run_id],
            "as_of": [run.as_of],
            "as_of_end": [as_of_end],
            "started_at": [run.started_at],
        },
        schema={
            "run_id": pl.String,
            "as_of": pl.Date,
            "as_of_end": pl.Datetime("us", "UTC"),
            "started_at": pl.Datetime("us", "UTC"),
        },
    )


def _scalar(con: duckdb.DuckDBPyConnection, query: str) -> int:
    """One value; fetchall() drains the result (DuckDB 2 refuses work on an open one)."""
    return con.execute(query).fetchall()[0][0]


def _load_parquet(
    con: duckdb.DuckDBPyConnection, name: str, found: list[Path], schema: pl.Schema
) -> None:
    """Create table `name` from staged Parquet files (written conformed to `schema`), with
    DuckDB reading them: the rows never pass through Python."""
    listing = ", ".join("'" + str(p).replace("'", "''") + "'" for p in found)
    columns = ", ".join(f'"{c}"' for c in schema.names())
    con.execute(
        f"create or replace table {name} as select {columns} "
        f"from read_parquet([{listing}], union_by_name = true)"
    )


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """`frame` visible to SQL as `name` (through Arrow, no copy row by row) for the block."""
    con.register(name, frame.to_arrow())
    try:
        yield
    finally:
        con.unregister(name)


def _append(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Insert a polars frame's rows into an existing table (by column name)."""
    with _registered(con, "frame_to_append", frame):
        con.execute(f"insert into {name} by name select * from frame_to_append")


def _load(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Create table `name` from a polars frame (no row-by-row inserts)."""
    with _registered(con, "frame_to_load", frame):
        con.execute(f"create or replace table {name} as select * from frame_to_load")
