"""Every path kith uses, resolved in one place, with its environment override.

KITH_HOME holds state (config, overrides, cache, Prefect's database); the warehouse lives in
the checkout's `data/warehouse/` by default so that `kith sql` and the dashboard find it.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

#: The checkout (or install) root: the folder that holds `transforms/`.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def kith_home() -> Path:
    """State folder: $KITH_HOME, else the platform's user data dir (~/.local/share/kith)."""
    return Path(os.environ.get("KITH_HOME") or user_data_dir("kith", appauthor=False))


def default_warehouse() -> Path:
    """$KITH_DB, else data/warehouse/kith.duckdb under the current folder."""
    return Path(os.environ.get("KITH_DB") or Path("data") / "warehouse" / "kith.duckdb")


def default_sources() -> list[Path]:
    """The shipped sample: ./data/sample when run from a checkout, else the package's."""
    here = Path("data") / "sample"
    return [here if here.is_dir() else PROJECT_ROOT / "data" / "sample"]


def prefect_home() -> Path:
    """Where Prefect keeps its database when the user has not chosen: inside KITH_HOME."""
    return kith_home() / "prefect"


def cache_dir() -> Path:
    """Staged Parquet per run (and, later, per input file hash)."""
    return kith_home() / "cache"


def overrides_file() -> Path:
    """must-link / cannot-link / ignore entries replayed on every run."""
    return kith_home() / "overrides.toml"
