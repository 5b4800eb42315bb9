"""The nightly flow: the pipeline's table of contents, one Prefect task per step.

`run_steps` is the whole run, top to bottom, and the only place the order of the steps is
written. The flow runs it with every step as a Prefect task; `run_in_process` runs the same
steps as plain calls in this process (tests, benchmarks). Each task is one call into
`transforms.run.steps`. Tasks receive the path of the run's private spec file and pass
small summaries; the data moves through Parquet files in the run folder, so Prefect never
hashes, pickles or stores personal data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from transforms import config
from transforms.lock import run_lock
from transforms.run import steps
from transforms.run.spec import RunSpec, clean_up, lock_path, plan_run, remove_stale_builds
from transforms.run.stage import FileStat, skipped_stats
from transforms.sources.discover import Discovery, Input


@task(name="discover", cache_policy=NO_CACHE)
def discover(spec_path: str) -> Discovery:
    return steps.discover(RunSpec.load(spec_path))


@task(name="parse", cache_policy=NO_CACHE)
def parse(spec_path: str, index: int, item: Input) -> list[FileStat]:
    return steps.parse(RunSpec.load(spec_path), index, item)


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


class OnPrefect:
    """Steps as Prefect task runs; the inputs are parsed concurrently on the task runner."""

    def one(self, step: Any, *args: Any) -> Any:
        return step(*args)

    def each(self, step: Any, spec_path: str, items: list[Input]) -> list[FileStat]:
        futures = [step.submit(spec_path, i, item) for i, item in enumerate(items)]
        return [stat for future in futures for stat in future.result()]


class InProcess:
    """Steps as plain calls of the task functions, one after another, without Prefect."""

    def one(self, step: Any, *args: Any) -> Any:
        return step.fn(*args)

    def each(self, step: Any, spec_path: str, items: list[Input]) -> list[FileStat]:
        return [stat for i, item in enumerate(items) for stat in step.fn(spec_path, i, item)]


def run_steps(spec_path: str, runner: OnPrefect | InProcess) -> dict:
    """One run. A failure anywhere before publish leaves the live warehouse untouched."""
    spec = RunSpec.load(spec_path)
    try:
        found = runner.one(discover, spec_path)  # sources -> typed inputs
        file_stats = skipped_stats(found)  # files seen in folders but not sources
        file_stats += runner.each(parse, spec_path, found.inputs)  # each input -> Parquet
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
