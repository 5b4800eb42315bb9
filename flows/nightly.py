"""The nightly flow: discover, parse, resolve and build, check, publish. Nothing else.

Every task is one call into `transforms.pipeline`. Tasks pass the path of the run's private
spec file and small summaries; the data itself moves through Parquet files in the run
folder, so Prefect never hashes, pickles or stores personal data.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from transforms import config, pipeline
from transforms.lock import run_lock
from transforms.pipeline import RunSpec
from transforms.sources.discover import Discovery, Input


@task(cache_policy=NO_CACHE)
def discover_inputs(spec_path: str) -> Discovery:
    return pipeline.discover_inputs(RunSpec.load(spec_path))


@task(cache_policy=NO_CACHE)
def parse_source(spec_path: str, index: int, item: Input) -> list[dict]:
    return pipeline.parse_and_stage(RunSpec.load(spec_path), index, item)


@task(cache_policy=NO_CACHE)
def build_tables(spec_path: str, file_stats: list[dict]) -> dict[str, int]:
    return pipeline.build_warehouse(RunSpec.load(spec_path), file_stats)


@task(cache_policy=NO_CACHE)
def publish_warehouse(spec_path: str) -> None:
    pipeline.publish(RunSpec.load(spec_path))


@flow(name="kith-nightly", log_prints=False, persist_result=False)
def nightly(spec_path: str) -> dict:
    """One run. A failure anywhere before publish leaves the live warehouse untouched."""
    spec = RunSpec.load(spec_path)
    try:
        found = discover_inputs(spec_path)
        parsing = [parse_source.submit(spec_path, i, item) for i, item in enumerate(found.inputs)]
        file_stats = pipeline.skipped_stats(found)
        for future in parsing:
            file_stats.extend(future.result())
        counts = build_tables(spec_path, file_stats)
        publish_warehouse(spec_path)
    finally:
        pipeline.clean_up(spec)
    return {"counts": counts, "files": file_stats}


@flow(name="kith-scheduled", log_prints=False, persist_result=False)
def nightly_from_config(config_path: str | None = None) -> dict:
    """What `kith serve` schedules: a run planned from the config file, under the run lock."""
    cfg = config.load(Path(config_path) if config_path else None)
    spec = pipeline.plan_run(cfg)
    with run_lock(pipeline.lock_path()):
        pipeline.remove_stale_builds(spec)
        return nightly(str(spec.save()))
