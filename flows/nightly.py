"""The nightly flow: the pipeline's table of contents, one Prefect task per step.

`run_steps` is the whole run, top to bottom, and the only place the order of the steps is
written. The flow runs it with every step as a Prefect task; `run_in_process` runs the same
steps as plain calls in this process (tests, benchmarks). Each task is one call into
`transforms.run.steps`. Tasks receive the path of the run's private spec file and pass
small summaries; the data moves through Parquet files in the run folder, so Prefect never
hashes, pickles or stores personal data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from transforms import config
from transforms.lock import run_lock
from transforms.run import steps
from transforms.run.spec import RunSpec, clean_up, lock_path, plan_run, remove_stale_builds
from transforms.run.units import FileStat, Unit, UnitResult, placement
from transforms.sources.discover import Discovery


@task(name="discover", cache_policy=NO_CACHE)
def discover(spec_path: str) -> Discovery:
    return steps.discover(RunSpec.load(spec_path))


@task(name="plan-parse", cache_policy=NO_CACHE)
def plan_parse(spec_path: str, found: Discovery) -> list[Unit]:
    return steps.plan_parse(RunSpec.load(spec_path), found)


@task(name="parse", cache_policy=NO_CACHE)
def parse(unit: Unit) -> UnitResult:
    return steps.parse(unit)


@task(name="stage", cache_policy=NO_CACHE)
def stage(spec_path: str, found: Discovery, results: list[UnitResult]) -> list[FileStat]:
    return steps.stage_parsed(RunSpec.load(spec_path), found, results)


@task(name="resolve", cache_policy=NO_CACHE)
def resolve(spec_path: str) -> str:
    return steps.resolve(RunSpec.load(spec_path))


@task(name="build", cache_policy=NO_CACHE)
def build(spec_path: str, file_stats: list[FileStat]) -> dict[str, int]:
    return steps.build(RunSpec.load(spec_path), file_stats)


@task(name="check", cache_policy=NO_CACHE)
def check(spec_path: str) -> None:
    steps.check(RunSpec.load(spec_path))


@task(name="publish", cache_policy=NO_CACHE)
def publish(spec_path: str) -> None:
    steps.publish(RunSpec.load(spec_path))


def parse_runner(spec: RunSpec, units: list[Unit]) -> TaskRunner:
    """Where the parse units run: on the Dask cluster the run names, in Prefect's process
    pool when there is enough work to pay for its workers' start, else one at a time in
    this process (memory stays that of one unit)."""
    total = sum(unit.size for unit in units)
    where = placement(total, spec.dask_address, spec.process_pool_min_mb << 20)
    if where == "dask":
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=spec.dask_address)
    if where == "process_pool":
        return ProcessPoolTaskRunner(max_workers=min(os.cpu_count() or 1, len(units)))
    return ThreadPoolTaskRunner(max_workers=1)


class OnPrefect:
    """Steps as Prefect task runs; the parse units on the task runner `parse_runner` picks."""

    def one(self, step: Any, *args: Any) -> Any:
        return step(*args)

    def each(self, spec_path: str, step: Any, units: list[Unit]) -> list[UnitResult]:
        if not units:
            return []
        with parse_runner(RunSpec.load(spec_path), units) as runner:
            futures = [runner.submit(step, {"unit": unit}) for unit in units]
            return [future.result() for future in futures]


class InProcess:
    """Steps as plain calls of the task functions, one after another, without Prefect."""

    def one(self, step: Any, *args: Any) -> Any:
        return step.fn(*args)

    def each(self, spec_path: str, step: Any, units: list[Unit]) -> list[UnitResult]:
        return [step.fn(unit) for unit in units]


def run_steps(spec_path: str, runner: OnPrefect | InProcess) -> dict:
    """One run. A failure anywhere before publish leaves the live warehouse untouched."""
    spec = RunSpec.load(spec_path)
    try:
        found = runner.one(discover, spec_path)  # sources -> typed inputs
        units = runner.one(plan_parse, spec_path, found)  # unchanged inputs: from the cache
        results = runner.each(spec_path, parse, units)  # each unit -> Parquet
        file_stats = runner.one(stage, spec_path, found, results)  # cache entries, file rows
        runner.one(resolve, spec_path)  # identities -> people (copy, delta or full)
        counts = runner.one(build, spec_path, file_stats)  # core tables, marts, bookkeeping
        runner.one(check, spec_path)  # sql/checks: any row fails the run
        runner.one(publish, spec_path)  # atomic swap; the last good file stays until then
    finally:
        clean_up(spec)
    return {"counts": counts, "files": file_stats}


@flow(name="kith-nightly", log_prints=False, persist_result=False)
def nightly(spec_path: str) -> dict:
    """One run on Prefect: every step a task run in the server's UI."""
    return run_steps(spec_path, OnPrefect())


def run_in_process(spec: RunSpec) -> dict:
    """The same run without Prefect, in this process."""
    return run_steps(str(spec.save()), InProcess())


@flow(name="kith-scheduled", log_prints=False, persist_result=False)
def nightly_from_config(config_path: str | None = None) -> dict:
    """What `kith serve` schedules: a run planned from the config file, under the run lock."""
    cfg = config.load(Path(config_path) if config_path else None)
    spec = plan_run(cfg)
    with run_lock(lock_path()):
        remove_stale_builds(spec)
        return nightly(str(spec.save()))
