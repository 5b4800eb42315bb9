"""Where a run stands, read from its run folder, for the CLI's progress display.

The steps write their results to disk (the parse plan, each finished unit's result beside
its Parquet), so another thread can follow a run without any state shared with the flow's
tasks, wherever those run.
"""

from __future__ import annotations

from pathlib import Path

from transforms.run.spec import RunSpec
from transforms.run.stage import load_plans


def progress(spec: RunSpec) -> tuple[str, int, int]:
    """(what the run is doing, parse units done, parse units in all)."""
    if not (spec.stage_dir / "plan.json").exists():
        return "starting Prefect", 0, 0
    try:
        plans = load_plans(spec)
    except ValueError:  # the plan is being written
        return "planning the parse", 0, 0
    total = sum(p.n_units for p in plans)
    done = 0
    for plan in plans:
        if plan.n_units:
            folder = Path(plan.building)
            done += len(list(folder.glob("unit-*.json"))) + len(
                list(folder.glob("tail/unit-*.json"))
            )
    if spec.build_path.exists():
        return "building the warehouse", total, total
    return ("parsing sources" if done < total else "resolving people"), min(done, total), total
