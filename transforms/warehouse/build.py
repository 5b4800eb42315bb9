"""Write every table of a new warehouse file: core tables, marts, bookkeeping.

The file is new (`target` sits beside the live warehouse); the live one is only read, for
what a run carries over (`LiveWarehouse`). The build closes the file checkpointed, ready
for the checks (checks.py) and the swap (publish.py).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from transforms import schemas
from transforms.settings import MetricSettings
from transforms.warehouse.core import (
    Core,
    DeltaCore,
    load_core,
    load_delta,
    refresh_meetings,
)
from transforms.warehouse.frames import load_frame, quote, scalar
from transforms.warehouse.history import carry_history
from transforms.warehouse.live import Carried, nothing_carried
from transforms.warehouse.models import (
    build_order,
    create_statement,
    drop_intermediates,
    macros,
    mart_order,
)

# DuckDB's memory during a build: the nightly job must stay small beside the user's other
# programs; bigger work spills to disk. Some operators cannot spill: a build that runs out
# is retried without the limit (transforms/run/build.py). Whole-run peaks: docs/ingest.md.
BUILD_MEMORY = "128MB"
# Written in a storage format the DuckDB 1.5 command-line shell (PyPI duckdb-cli) can open.
STORAGE = {"storage_compatibility_version": "v1.5.0"}

#: Tables rebuilt on every run, even when the core tables are reused from the live file.
DERIVED = ("run_params", "metric_settings", "run_inputs", "pipeline_file_stats", "pipeline_runs")


@dataclass
class RunInfo:
    run_id: str
    started_at: datetime
    as_of: date


def build(
    target: Path,
    core: Core | DeltaCore | Path,
    run: RunInfo,
    file_stats: pl.DataFrame,
    carried: Carried | None = None,
    settings: MetricSettings | None = None,
    inputs_signature: str = "",
    temp_dir: Path | None = None,
    memory_limit: str | None = BUILD_MEMORY,
) -> dict[str, int]:
    """Write every table into `target` (a new file) and close it. Returns counts.

    `core` is what to build the core tables from, or the live warehouse to copy them from
    when the run's inputs are the same as last time (only marts and bookkeeping are then
    rebuilt: they depend on the as-of date and the settings, not only on the inputs).
    `carried` is the live file's bookkeeping and history (none on a first run);
    `file_stats` has the FILE_STATS columns; `temp_dir` is where DuckDB may spill
    (default: beside `target`).
    """
    carried = carried or nothing_carried()
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
            con.execute("set temp_directory = " + quote(str(temp_dir)))
        con.execute(macros())
        if copied is not None:
            for table in (*DERIVED, *mart_order()):
                con.execute(f"drop table if exists {table}")
            con.execute("update rejects set run_id = ?", [run.run_id])
        load_frame(con, "run_params", run_params(run))
        load_frame(con, "metric_settings", (settings or MetricSettings()).to_frame())
        load_frame(con, "run_inputs", pl.DataFrame({"signature": [inputs_signature]}))
        if isinstance(core, DeltaCore):
            load_delta(con, core, run.run_id)
        if isinstance(core, Core):
            load_core(con, core, run.run_id)
        else:  # core tables of an earlier run: its meetings stopped at its as-of date
            refresh_meetings(con)
        for name in build_order("marts"):
            con.execute(create_statement("marts", name))
        drop_intermediates(con, "marts")
        if carried.history is not None:
            carry_history(con, carried.history)
        counts = _bookkeeping(con, run, file_stats, carried)
        con.execute("checkpoint")
    finally:
        con.close()
    return counts


def _bookkeeping(
    con: duckdb.DuckDBPyConnection, run: RunInfo, file_stats: pl.DataFrame, carried: Carried
) -> dict[str, int]:
    """pipeline_file_stats and pipeline_runs: the live file's rows plus this run's."""
    stats_now = file_stats.with_columns(pl.lit(run.run_id).alias("run_id"))
    load_frame(
        con,
        "pipeline_file_stats",
        pl.concat([carried.stats, schemas.conform(stats_now, schemas.PIPELINE_FILE_STATS)]),
    )
    counts = {
        "people": scalar(con, "select count(*) from people where not is_owner"),
        "interactions": scalar(con, "select count(*) from interactions"),
    }
    finished = datetime.now(run.started_at.tzinfo)
    partial = file_stats.filter(pl.col("skipped_reason").is_not_null() & (pl.col("rows_in") > 0))
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
        schema=schemas.PIPELINE_RUNS,
        orient="row",
    )
    load_frame(con, "pipeline_runs", pl.concat([carried.runs, run_row]))
    return counts


def run_params(run: RunInfo) -> pl.DataFrame:
    """The one-row run_params table every mart reads its as-of date from."""
    as_of_end = datetime(run.as_of.year, run.as_of.month, run.as_of.day) + timedelta(days=1)
    return pl.DataFrame(
        {
            "run_id": [run.run_id],
            "as_of": [run.as_of],
            "as_of_end": [as_of_end],
            "started_at": [run.started_at],
        },
        schema=schemas.RUN_PARAMS,
    )
