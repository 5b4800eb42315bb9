"""The nightly pipeline's six steps, each a plain function of the run (no Prefect here).

discover -> plan the parse -> parse (one call per unit) -> stage -> resolve -> build ->
check -> publish. flows/nightly.py runs them in that order, one Prefect task each, and the
same order in one process without Prefect (`run_in_process`, for tests and benchmarks).
Steps hand each other small summaries; the data moves through the run folder (see
transforms/run/spec.py) and the stage cache.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from transforms.run import build as building
from transforms.run import publish as publishing
from transforms.run import resolution, stage, units
from transforms.run.spec import RunSpec
from transforms.sources import discover as discovery
from transforms.sources import formats
from transforms.warehouse import checks


def discover(spec: RunSpec) -> discovery.Discovery:
    """Classify the run's sources (raises NotAnExport for a path that is no source); a
    calendar is read up to the horizon of this run's as-of date."""
    found = discovery.discover([Path(s) for s in spec.sources])
    horizon = formats.horizon_for(date.fromisoformat(spec.as_of))
    return discovery.for_run(found, horizon, tuple(spec.calendar_bots))


def plan_parse(spec: RunSpec, found: discovery.Discovery) -> list[units.Unit]:
    """Reuse unchanged inputs from the cache; the units of parse work the rest need."""
    return stage.plan_parse(spec, found)


def parse(unit: units.Unit) -> units.UnitResult:
    """Parse one unit (an input, or a byte range of a big mbox) into Parquet."""
    return units.run_unit(unit)


def stage_parsed(
    spec: RunSpec, found: discovery.Discovery, results: list[units.UnitResult]
) -> list[units.FileStat]:
    """Complete every input's cache entry from its units; the run report's file rows."""
    return stage.skipped_stats(found) + stage.finish_parse(spec, found, results)


def resolve(spec: RunSpec) -> str:
    """Resolve identities into people (copy, delta or full); the mode chosen."""
    return resolution.resolve_people(spec).mode


def build(spec: RunSpec, file_stats: list[units.FileStat]) -> dict[str, int]:
    """Write the new warehouse beside the live one; the run's counts."""
    return building.build_warehouse(spec, file_stats)


def check(spec: RunSpec) -> None:
    """Run the invariant checks on the build (CheckFailed: nothing is published)."""
    checks.check_build(spec.build_path)


def publish(spec: RunSpec) -> None:
    """Swap the checked build in atomically; remember the inputs and resolver state."""
    publishing.publish_run(spec)
