"""Where a run stands, read from its run folder, for the CLI's progress display.

The steps write their results to disk, so another thread can follow a run without any
state shared with the flow's tasks.
"""

from __future__ import annotations

from transforms.run.spec import RunSpec


def progress(spec: RunSpec, n_inputs: int) -> tuple[str, int]:
    """(what the run is doing, inputs staged so far)."""
    files = spec.stage_dir / "files"
    staged = len(list(files.glob("*.json"))) if files.is_dir() else 0
    if spec.build_path.exists():
        return "building the warehouse", staged
    if spec.stage_dir.exists():
        return "parsing sources" if staged < n_inputs else "resolving people", staged
    return "starting Prefect", 0
