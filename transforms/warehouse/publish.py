"""Publishing a build: one atomic rename over the live warehouse.

The build file sits beside the live one (same filesystem), is closed and checkpointed (no
write-ahead log left) and private to its owner before `os.replace` swaps it in. Readers
that have the old file open keep their snapshot until they reconnect.
"""

from __future__ import annotations

import os
from pathlib import Path


def publish(built: Path, live: Path) -> None:
    """Make the closed, checked build the live warehouse in one atomic rename."""
    wal = built.with_name(built.name + ".wal")
    if wal.exists():  # never move a file whose write-ahead log has not been checkpointed
        raise RuntimeError(f"{built} still has a write-ahead log; not publishing")
    os.chmod(built, 0o600)
    live.parent.mkdir(parents=True, exist_ok=True)
    os.replace(built, live)
