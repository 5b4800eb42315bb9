"""One run's plan (`RunSpec`) and its private folder.

A run's sources, warehouse path, owner addresses and as-of date are saved in a spec file
inside the run folder (0600): owner addresses are personal data and must not become Prefect
flow parameters, so every step receives only the spec file's path. The run folder holds
what the steps hand each other (staged Parquet, the resolution, DuckDB's spill files) and
is removed when the run ends, however it ends.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from transforms import config, paths
from transforms.run import cache, units


@dataclass
class RunSpec:
    """Everything one run needs, and where its steps keep their results."""

    run_id: str
    sources: list[str]
    db: str
    owner_emails: list[str] = field(default_factory=list)
    as_of: str = ""  # ISO date
    started_at: str = ""  # ISO timestamp, UTC
    full: bool = False  # parse every input again, ignoring the cache
    metrics: dict = field(default_factory=dict)  # [metrics] of kith.toml (MetricSettings)
    dask_address: str = ""  # tcp://HOST:PORT of a Dask scheduler for the parse units
    process_pool_min_mb: int = units.POOL_MIN_MB  # parse work that pays for a process pool

    @property
    def run_dir(self) -> Path:
        return paths.cache_dir() / "runs" / self.run_id

    @property
    def stage_dir(self) -> Path:
        """Staged Parquet: one link per input to its cache entry, one JSON per input's files."""
        return self.run_dir / "staged"

    @property
    def resolution_dir(self) -> Path:
        """What the resolve step hands the build step (see transforms/run/resolution.py)."""
        return self.run_dir / "resolution"

    @property
    def build_path(self) -> Path:
        """The new warehouse is built beside the live one (same filesystem: atomic rename)."""
        live = Path(self.db)
        return live.with_name(f".{live.name}.{self.run_id}.building")

    def save(self) -> Path:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        target = self.run_dir / "spec.json"
        target.write_text(json.dumps(asdict(self)), encoding="utf-8")
        os.chmod(target, 0o600)
        return target

    @classmethod
    def load(cls, path: str | Path) -> RunSpec:
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))


def new_run(
    sources: list[Path],
    db: Path,
    owner_emails: list[str],
    as_of: date | None,
    full: bool = False,
) -> RunSpec:
    """A fresh run id and start time; the as-of date defaults to today (UTC)."""
    now = datetime.now(UTC)
    run_id = now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    return RunSpec(
        run_id=run_id,
        sources=[str(Path(s).expanduser().resolve()) for s in sources],
        db=str(Path(db).expanduser().resolve()),
        owner_emails=list(owner_emails),
        as_of=(as_of or now.date()).isoformat(),
        started_at=now.isoformat(),
        full=full,
    )


def plan_run(
    cfg: config.Config,
    sources: list[Path] | None = None,
    db: Path | None = None,
    owner_emails: list[str] | None = None,
    as_of: date | None = None,
    full: bool = False,
    dask_address: str | None = None,
) -> RunSpec:
    """A run from the config file, with command-line values taking precedence."""
    spec = new_run(
        sources or cfg.sources or paths.default_sources(),
        db or cfg.warehouse or paths.default_warehouse(),
        owner_emails or cfg.owner_emails,
        as_of,
        full,
    )
    spec.metrics = dict(cfg.metrics)
    spec.dask_address = dask_address or cfg.dask_address or ""
    if cfg.process_pool_min_mb is not None:
        spec.process_pool_min_mb = cfg.process_pool_min_mb
    return spec


def lock_path() -> Path:
    """The file whose lock keeps two runs with one KITH_HOME from overlapping."""
    return paths.kith_home() / "kith.lock"


def remove_stale_builds(spec: RunSpec) -> list[Path]:
    """Half-built warehouses and run folders left by runs that died (call under the lock)."""
    live = Path(spec.db)
    stale = [p for p in live.parent.glob(f".{live.name}.*.building*") if spec.run_id not in p.name]
    for path in stale:
        path.unlink(missing_ok=True)
    runs = paths.cache_dir() / "runs"
    if runs.is_dir():
        for folder in runs.iterdir():
            if folder.name != spec.run_id:
                shutil.rmtree(folder, ignore_errors=True)
    staged = cache.staged_root()
    if staged.is_dir():  # cache entries a killed run was still writing
        for folder in staged.glob("*.*"):
            shutil.rmtree(folder, ignore_errors=True)
    return stale


def clean_up(spec: RunSpec) -> None:
    """Remove the run folder and any half-built file (after success or failure)."""
    shutil.rmtree(spec.run_dir, ignore_errors=True)
    for leftover in (spec.build_path, spec.build_path.with_name(spec.build_path.name + ".wal")):
        leftover.unlink(missing_ok=True)
