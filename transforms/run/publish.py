"""The publish step: the checked build becomes the live warehouse, and the run's inputs and
resolver state become what the next run compares against."""

from __future__ import annotations

import os
from pathlib import Path

from transforms.run.resolution import built_state_path, resolver_state_path
from transforms.run.spec import RunSpec
from transforms.run.stage import save_manifest
from transforms.warehouse.publish import publish


def publish_run(spec: RunSpec) -> None:
    """Swap the checked build in over the live warehouse, then record the inputs read and
    the resolver state that goes with the new warehouse."""
    publish(spec.build_path, Path(spec.db))
    built_state = built_state_path(spec)
    if built_state.exists():
        os.replace(built_state, resolver_state_path())
    save_manifest(spec)
