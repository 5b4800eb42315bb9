"""The build step: the warehouse file written from the resolve step's plan.

Copy, delta or full (transforms/run/resolution.py) decides where the core tables come
from; the marts and bookkeeping are always rebuilt. DuckDB works within `BUILD_MEMORY`,
spilling to the run folder; a build that still runs out (some operators cannot spill) is
run once more without the limit.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from transforms import schemas
from transforms.run.resolution import load_plan
from transforms.run.spec import RunSpec
from transforms.run.stage import read_rejects, read_staged, stage_folders, table_files
from transforms.run.units import FileStat
from transforms.settings import MetricSettings
from transforms.warehouse import build as warehouse
from transforms.warehouse.core import Core, DeltaCore
from transforms.warehouse.live import read_carried

log = logging.getLogger(__name__)


def build_warehouse(spec: RunSpec, file_stats: list[FileStat]) -> dict[str, int]:
    """Write every table into the build file (not yet live); return the run's counts."""
    live = Path(spec.db)
    plan, resolution = load_plan(spec)
    core: Core | DeltaCore | Path
    if plan.mode == "copy":
        core = live
    elif plan.mode == "delta":
        assert resolution is not None
        staged, rejects = read_staged([Path(f) for f in plan.delta_folders])
        core = DeltaCore(live, staged, rejects, resolution)
    else:
        assert resolution is not None
        folders = stage_folders(spec)
        files = {table: table_files(folders, table) for table in schemas.STAGED}
        core = Core({}, read_rejects(folders), resolution, stage_files=files)
    run = warehouse.RunInfo(
        spec.run_id, datetime.fromisoformat(spec.started_at), date.fromisoformat(spec.as_of)
    )
    stats = pl.DataFrame(file_stats, schema=schemas.FILE_STATS)
    carried = read_carried(live)
    live.parent.mkdir(parents=True, exist_ok=True)

    def build(memory_limit: str | None) -> dict[str, int]:
        return warehouse.build(
            spec.build_path,
            core,
            run,
            stats,
            carried,
            settings=MetricSettings.from_dict(spec.metrics),
            inputs_signature=plan.signature,
            temp_dir=spec.run_dir / "duckdb_tmp",
            memory_limit=memory_limit,
        )

    try:
        return build(warehouse.BUILD_MEMORY)
    except duckdb.OutOfMemoryException:
        log.info(
            "the build needs more than %s: building again without a limit", warehouse.BUILD_MEMORY
        )
        return build(None)
