"""How every reader opens the warehouse: read-only, waiting briefly out a writer's lock.

`kith sql`, `kith people`, `kith export`, the dashboard and the nightly run (reading last
night's identity map) all go through here, so they share one retry policy. Kept free of
heavy imports: the dashboard loads it at start-up.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

ATTEMPTS = 20
WAIT_S = 0.25


def connect_read_only(path: Path, attempts: int = ATTEMPTS) -> duckdb.DuckDBPyConnection:
    """Open read-only; a writer elsewhere holding the lock is waited for briefly."""
    for attempt in range(attempts):
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException:
            if attempt == attempts - 1:
                raise
            time.sleep(WAIT_S)
    raise AssertionError("unreachable")
