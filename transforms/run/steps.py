"""The nightly pipeline's six steps, each a plain function of the run (no Prefect here).

discover -> parse (one call per input) -> resolve -> build -> check -> publish.
flows/nightly.py runs them in that order, one Prefect task each, and the same order in one
process without Prefect (`run_in_process`, for tests and benchmarks). Steps hand each other
small summaries; the data moves through the run folder (see transforms/run/spec.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from transforms.run import build as building
from transforms.run import publish as publishing
from transforms.run import resolution, stage
from transforms.run.spec import RunSpec
from transforms.sources import discover as discovery
from transforms.sources import occurrences
from transforms.warehouse import checks


def discover(spec: RunSpec) -> discovery.Discovery:
    """Classify the run's sources (raises NotAnExport for a path that is no source); a
    calendar is read up to the horizon of this run's as-of date."""
    found = discovery.discover([Path(s) for s in spec.sources])
    horizon = occurrences.horizon_for(date.fromisoformat(spec.as_of))
    return discovery.for_run(found, horizon, tuple(spec.calendar_bots))


def parse(spec: RunSpec, index: int, item: discovery.Input) -> list[stage.FileStat]:
    """Stage one input as Parquet (or reuse its cache entry); its files' stats."""
    return stage.parse_and_stage(spec, index, item)


def resolve(spec: RunSpec) -> str:
    """Resolve identities into people (copy, delta or full); the mode chosen."""
    return resolution.resolve_people(spec).mode


def build(spec: RunSpec, file_stats: list[stage.FileStat]) -> dict[str, int]:
    """Write the new warehouse beside the live one; the run's counts."""
    return building.build_warehouse(spec, file_stats)


def check(spec: RunSpec) -> None:
    """Run the invariant checks on the build (CheckFailed: nothing is published)."""
    checks.check_build(spec.build_path)


def publish(spec: RunSpec) -> None:
    """Swap the checked build in atomically; remember the inputs and resolver state."""
    publishing.publish_run(spec)
