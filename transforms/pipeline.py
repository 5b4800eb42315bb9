"""The nightly pipeline's steps as plain functions; flows/nightly.py only orchestrates them.

Steps hand each other paths on disk (a private run folder of Parquet files), never live
connections or big frames, so Prefect has nothing personal to hash, pickle or store.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from transforms import config, paths, schemas, warehouse
from transforms.rejects import Parsed, whole_file
from transforms.resolve.people import resolve
from transforms.sources import discover as discovery
from transforms.sources import eml, linkedin, mbox


@dataclass
class RunSpec:
    """Everything one run needs. Saved privately in the run folder: owner addresses are
    personal data and must not become Prefect flow parameters."""

    run_id: str
    sources: list[str]
    db: str
    owner_emails: list[str] = field(default_factory=list)
    as_of: str = ""  # ISO date
    started_at: str = ""  # ISO timestamp, UTC

    @property
    def run_dir(self) -> Path:
        return paths.cache_dir() / "runs" / self.run_id

    @property
    def stage_dir(self) -> Path:
        return self.run_dir / "staged"

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


def new_run(sources: list[Path], db: Path, owner_emails: list[str], as_of: date | None) -> RunSpec:
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
    )


def plan_run(
    cfg: config.Config,
    sources: list[Path] | None = None,
    db: Path | None = None,
    owner_emails: list[str] | None = None,
    as_of: date | None = None,
) -> RunSpec:
    """A run from the config file, with command-line values taking precedence."""
    return new_run(
        sources or cfg.sources or paths.default_sources(),
        db or cfg.warehouse or paths.default_warehouse(),
        owner_emails or cfg.owner_emails,
        as_of,
    )


def lock_path() -> Path:
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
    return stale


def discover_inputs(spec: RunSpec) -> discovery.Discovery:
    """Classify the run's sources (raises NotAnExport for a path that is no source)."""
    return discovery.discover([Path(s) for s in spec.sources])


def parse_input(item: discovery.Input) -> list[Parsed]:
    """Every file of one input, parsed. A reader crash on a file refuses that file only."""
    try:
        if item.kind == "linkedin":
            return linkedin.read_linkedin_export(item.path)
        if item.kind == "mbox":
            return [mbox.read_mbox(item.path, folder=item.folder)]
        if item.kind == "eml":
            return [eml.read_eml(item.path, folder=item.folder)]
        if item.kind == "maildir":
            return [eml.read_maildir(item.path)]
    except Exception as err:  # noqa: BLE001 - one bad file must not stop the night
        return [whole_file(item.path, f"unreadable ({type(err).__name__})", kind=item.kind)]
    raise ValueError(f"unknown input kind {item.kind}")


def stage(spec: RunSpec, index: int, parsed: list[Parsed], seconds: float) -> list[dict]:
    """Write one input's frames as Parquet under the run folder; return its file stats."""
    stats = []
    for n, result in enumerate(parsed):
        folder = spec.stage_dir / f"{index:05d}-{n:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        for table, frame in result.tables.items():
            schemas.conform(frame, schemas.STAGED[table]).write_parquet(folder / f"{table}.parquet")
        result.rejects.write_parquet(folder / "rejects.parquet")
        stats.append(
            {
                "source_file": result.source_file,
                "kind": result.kind,
                "rows_in": result.rows_in,
                "rows_loaded": result.rows_loaded,
                "rows_rejected": result.rows_rejected,
                "skipped_reason": result.skipped_reason,
                "parse_seconds": round(seconds / max(len(parsed), 1), 4),
            }
        )
    return stats


def skipped_stats(found: discovery.Discovery) -> list[dict]:
    """File-stat rows for files seen while walking folders but not read."""
    return [
        {
            "source_file": path,
            "kind": "skipped",
            "rows_in": 0,
            "rows_loaded": 0,
            "rows_rejected": 0,
            "skipped_reason": why,
            "parse_seconds": 0.0,
        }
        for path, why in found.skipped
    ]


def parse_and_stage(spec: RunSpec, index: int, item: discovery.Input) -> list[dict]:
    """Parse one input and stage it: the unit of work of one parse task."""
    started = time.perf_counter()
    parsed = parse_input(item)
    return stage(spec, index, parsed, time.perf_counter() - started)


def load_stage(spec: RunSpec) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """All staged frames of the run, one per stg_ table, plus all rejects."""
    staged = {}
    for table, schema in schemas.STAGED.items():
        found = sorted(spec.stage_dir.glob(f"*/{table}.parquet"))
        frames = [pl.read_parquet(p) for p in found]
        staged[table] = (
            schemas.conform(pl.concat(frames, how="diagonal_relaxed"), schema)
            if frames
            else schemas.empty(schema)
        )
    rej = [pl.read_parquet(p) for p in sorted(spec.stage_dir.glob("*/rejects.parquet"))]
    rejects = pl.concat(rej) if rej else schemas.empty(schemas.REJECTS)
    return staged, rejects


def build_warehouse(spec: RunSpec, file_stats: list[dict]) -> dict[str, int]:
    """Resolve people and write every table into the build file (not yet live)."""
    staged, rejects = load_stage(spec)
    live = Path(spec.db)
    previous, runs, stats, history = warehouse.read_previous(live)
    started = datetime.fromisoformat(spec.started_at)
    resolution = resolve(staged, spec.owner_emails, previous, now=started)
    run = warehouse.RunInfo(spec.run_id, started, date.fromisoformat(spec.as_of))
    stat_schema = {k: v for k, v in warehouse.PIPELINE_FILE_STATS.items() if k != "run_id"}
    stats_frame = pl.DataFrame(file_stats, schema=stat_schema)
    live.parent.mkdir(parents=True, exist_ok=True)
    return warehouse.build(
        spec.build_path, staged, rejects, resolution, run, stats_frame, runs, stats, history
    )


def publish(spec: RunSpec) -> None:
    """Swap the checked build in over the live warehouse."""
    warehouse.publish(spec.build_path, Path(spec.db))


def clean_up(spec: RunSpec) -> None:
    """Remove the run folder and any half-built file (after success or failure)."""
    shutil.rmtree(spec.run_dir, ignore_errors=True)
    for leftover in (spec.build_path, spec.build_path.with_name(spec.build_path.name + ".wal")):
        leftover.unlink(missing_ok=True)
