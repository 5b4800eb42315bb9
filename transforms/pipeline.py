"""The nightly pipeline's steps as plain functions; flows/nightly.py only orchestrates them.

Steps hand each other paths on disk (a private run folder of Parquet files), never live
connections or big frames, so Prefect has nothing personal to hash, pickle or store.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from transforms import config, incremental, paths, schemas, warehouse
from transforms.rejects import Parsed, whole_file
from transforms.resolve import overrides as overrides_mod
from transforms.resolve.delta import PreviousTables, resolve_delta
from transforms.resolve.people import resolve
from transforms.resolve.state import ResolverState
from transforms.settings import MetricSettings
from transforms.sources import discover as discovery
from transforms.sources import linkedin
from transforms.sources.mail import eml, maildir, mbox

log = logging.getLogger(__name__)


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
    full: bool = False  # parse every input again, ignoring the cache
    metrics: dict = field(default_factory=dict)  # [metrics] of kith.toml (MetricSettings)

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
    return spec


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
    staged = incremental.staged_root()
    if staged.is_dir():  # cache entries a killed run was still writing
        for folder in staged.glob("*.*"):
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
            return [maildir.read_maildir(item.path)]
    except Exception as err:  # noqa: BLE001 - one bad file must not stop the night
        return [whole_file(item.path, f"unreadable ({type(err).__name__})", kind=item.kind)]
    raise ValueError(f"unknown input kind {item.kind}")


def write_tables(folder: Path, result: Parsed) -> None:
    """One parsed file's staged tables and rejects as Parquet files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in result.tables.items():
        schemas.conform(frame, schemas.STAGED[table]).write_parquet(folder / f"{table}.parquet")
    result.rejects.write_parquet(folder / "rejects.parquet")


def write_parsed(folder: Path, parsed: list[Parsed], seconds: float) -> list[dict]:
    """Write one input's frames as Parquet (one sub-folder per file); return file stats."""
    stats = []
    for n, result in enumerate(parsed):
        write_tables(folder / f"{n:04d}", result)
        stats.append(
            {
                "source_file": result.source_file,
                "kind": result.kind,
                "rows_in": result.rows_in,
                "rows_loaded": result.rows_loaded,
                "rows_rejected": result.rows_rejected,
                "skipped_reason": result.skipped_reason,
                "parse_seconds": round(seconds / max(len(parsed), 1), 4),
                "is_cached": False,
            }
        )
    (folder / "stats.json").write_text(json.dumps(stats), encoding="utf-8")
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
            "is_cached": False,
        }
        for path, why in found.skipped
    ]


def parse_and_stage(spec: RunSpec, index: int, item: discovery.Input) -> list[dict]:
    """Stage one input, from the cache when its files are unchanged: one parse task's work.

    The staged folder is cached under the input's content key; the run folder links to it.
    """
    manifest = incremental.load_manifest()
    states: dict[str, incremental.FileState] = {}
    grown: set[str] = set()
    for f in incremental.input_files(item):
        states[str(f)], grew = incremental.file_state(f, manifest.get(str(f)))
        if grew:
            grown.add(str(f))
    key = incremental.input_key(item, states)
    entry = incremental.staged_root() / key
    (spec.stage_dir / "files").mkdir(parents=True, exist_ok=True)
    (spec.stage_dir / "files" / f"{index:05d}.json").write_text(
        json.dumps({"key": key, "files": {k: asdict(v) for k, v in states.items()}}),
        encoding="utf-8",
    )
    if spec.full or not (entry / "stats.json").exists():
        started = time.perf_counter()
        appended = None if spec.full else _parse_appended(item, manifest, states, grown)
        parsed = parse_input(item) if appended is None else appended.parsed
        building = entry.with_name(entry.name + f".{spec.run_id}")
        shutil.rmtree(building, ignore_errors=True)
        stats = write_parsed(building, parsed, time.perf_counter() - started)
        if appended is not None and appended.delta is not None:
            write_delta(building, appended.base_key, appended.delta)
        shutil.rmtree(entry, ignore_errors=True)
        os.replace(building, entry)
    else:
        stats = json.loads((entry / "stats.json").read_text(encoding="utf-8"))
        for row in stats:
            row.update(parse_seconds=0.0, is_cached=True)
    os.symlink(entry, spec.stage_dir / f"{index:05d}")
    return stats


@dataclass
class Appended:
    """An mbox that only grew: its whole staged output, and the rows new since last time."""

    parsed: list[Parsed]
    base_key: str  # the cache entry of the file before it grew
    delta: Parsed | None  # None when the old last message reads differently now


def write_delta(entry: Path, base_key: str, delta: Parsed) -> None:
    """Keep the new rows beside the whole input's (the next resolution may use only them)."""
    folder = entry / "delta"
    write_tables(folder, delta)
    (folder / "delta.json").write_text(json.dumps({"base": base_key}), encoding="utf-8")


def _parse_appended(
    item: discovery.Input,
    manifest: dict[str, incremental.FileState],
    states: dict[str, incremental.FileState],
    grown: set[str],
) -> Appended | None:
    """An mbox that only grew: cached rows before its last old message + the new tail.

    The last old message is read again (it may have been cut short by the old end of file);
    when it reads as before, the rows after it are the delta. None when the shortcut does
    not apply; the caller then parses the whole input.
    """
    name = str(item.path)
    old = manifest.get(name)
    new = states.get(name)
    if item.kind != "mbox" or old is None or new is None or len(states) != 1:
        return None
    if name not in grown or not mbox.is_plain_mbox(item.path):
        return None
    old_entry = incremental.staged_root() / incremental.input_key(item, {name: old})
    if not (old_entry / "stats.json").exists():
        return None
    sub = old_entry / "0000"
    msgs = pl.read_parquet(sub / "stg_email_messages.parquet")
    parts = pl.read_parquet(sub / "stg_email_participants.parquet")
    rejects = pl.read_parquet(sub / "rejects.parquet")
    [old_stats] = json.loads((old_entry / "stats.json").read_text(encoding="utf-8"))
    offset = pl.col("location").str.strip_prefix("byte ").cast(pl.Int64, strict=False)
    starts = pl.concat([msgs.select(offset.alias("o")), rejects.select(offset.alias("o"))])
    last = starts["o"].max()
    if last is None:
        return None
    tail = mbox.read_mbox_from(item.path, int(last), folder=item.folder)
    last_was_loaded = msgs.filter(offset == last).height > 0
    keep = offset < last
    whole = [
        Parsed(
            source_file=name,
            kind=old_stats["kind"],
            rows_in=old_stats["rows_in"] - 1 + tail.rows_in,
            rows_loaded=old_stats["rows_loaded"] - int(last_was_loaded) + tail.rows_loaded,
            rows_rejected=old_stats["rows_rejected"]
            - int(not last_was_loaded)
            + tail.rows_rejected,
            tables={
                "stg_email_messages": pl.concat(
                    [msgs.filter(keep), tail.tables["stg_email_messages"]]
                ),
                "stg_email_participants": pl.concat(
                    [parts.filter(keep), tail.tables["stg_email_participants"]]
                ),
            },
            rejects=pl.concat([rejects.filter(keep), tail.rejects]),
        )
    ]
    t_msgs, t_parts = tail.tables["stg_email_messages"], tail.tables["stg_email_participants"]
    same_last = (
        msgs.filter(offset == last).equals(t_msgs.filter(offset == last))
        and parts.filter(offset == last).equals(t_parts.filter(offset == last))
        and rejects.filter(offset == last).equals(tail.rejects.filter(offset == last))
    )
    delta = None
    if same_last:
        new_rows = offset > last
        delta = Parsed(
            source_file=name,
            kind=old_stats["kind"],
            rows_in=tail.rows_in - 1,
            rows_loaded=tail.rows_loaded - int(last_was_loaded),
            rows_rejected=tail.rows_rejected - int(not last_was_loaded),
            tables={
                "stg_email_messages": t_msgs.filter(new_rows),
                "stg_email_participants": t_parts.filter(new_rows),
            },
            rejects=tail.rejects.filter(new_rows),
        )
    return Appended(whole, old_entry.name, delta)


def save_manifest(spec: RunSpec) -> None:
    """Record the run's input files and keep only the cache entries they use."""
    files: dict[str, incremental.FileState] = {}
    keys: set[str] = set()
    for doc in sorted((spec.stage_dir / "files").glob("*.json")):
        data = json.loads(doc.read_text(encoding="utf-8"))
        keys.add(data["key"])
        files.update({k: incremental.FileState(**v) for k, v in data["files"].items()})
    incremental.save_manifest(files, keys)


#: The columns of the big e-mail tables that resolution reads (the rest stay on disk, so a
#: 2 GB archive's subjects and locations are never all held in memory at once).
RESOLVE_COLUMNS = {
    "stg_email_messages": (
        "message_key",
        "from_addr",
        "thread_key",
        "is_bulk",
        "is_spam",
        "is_draft",
        "is_sent_folder",
    ),
    "stg_email_participants": ("message_key", "role", "address", "display_name"),
}


def stage_folders(spec: RunSpec) -> list[Path]:
    """The run's staged folders, one per parsed file, in input order (an appended mbox's
    `delta/` folder is not one: its rows are in the numbered folder too)."""
    return sorted(spec.stage_dir.glob("[0-9]*/[0-9]*"))


def table_files(folders: list[Path], table: str) -> list[Path]:
    """The Parquet files of one staged table in these folders, in their order."""
    return [f / f"{table}.parquet" for f in folders if (f / f"{table}.parquet").exists()]


def read_staged(
    folders: list[Path], columns: dict[str, tuple[str, ...]] | None = None
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """The staged frames in these folders, one per stg_ table, plus their rejects.

    `columns` keeps only the named columns of some tables (e.g. RESOLVE_COLUMNS).
    """
    staged = {}
    for table, full_schema in schemas.STAGED.items():
        keep = (columns or {}).get(table)
        schema = (
            pl.Schema({k: v for k, v in full_schema.items() if k in keep}) if keep else full_schema
        )
        frames = [
            pl.read_parquet(p, columns=keep and list(keep)) for p in table_files(folders, table)
        ]
        staged[table] = (
            schemas.conform(pl.concat(frames, how="diagonal_relaxed"), schema)
            if frames
            else schemas.empty(schema)
        )
    rej = [pl.read_parquet(p) for p in table_files(folders, "rejects")]
    rejects = pl.concat(rej) if rej else schemas.empty(schemas.REJECTS)
    return staged, rejects


def load_stage(
    spec: RunSpec, columns: dict[str, tuple[str, ...]] | None = None
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """All staged frames of the run, one per stg_ table, plus all rejects."""
    return read_staged(stage_folders(spec), columns)


def input_keys(spec: RunSpec) -> list[str]:
    """The cache keys of the run's inputs (their content), sorted."""
    return sorted(
        json.loads(doc.read_text(encoding="utf-8"))["key"]
        for doc in (spec.stage_dir / "files").glob("*.json")
    )


def _context_parts(spec: RunSpec) -> list[str]:
    """Besides the inputs, what the core tables depend on: the reader/resolver versions,
    the owner's addresses and the user's overrides."""
    overrides = paths.overrides_file()
    return [
        incremental.READER_VERSION,
        RESOLVER_VERSION,
        "owner:" + ",".join(sorted(spec.owner_emails)),
        hashlib.sha256(overrides.read_bytes()).hexdigest() if overrides.exists() else "",
    ]


def inputs_signature(spec: RunSpec) -> str:
    """What the core tables depend on: every input's content key and the context."""
    parts = [*input_keys(spec), *_context_parts(spec)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def resolver_state_path() -> Path:
    """The resolver state of the live warehouse (personal data: 0600, in the cache)."""
    return paths.cache_dir() / "resolver_state.pkl"


def _context(spec: RunSpec) -> str:
    """The signature without the inputs: what must not change for a delta resolution."""
    return hashlib.sha256("\n".join(_context_parts(spec)).encode()).hexdigest()


def plan_delta(
    spec: RunSpec, live_signature: str | None
) -> tuple[ResolverState, dict[str, pl.DataFrame], pl.DataFrame] | str:
    """The live warehouse's resolver state and the rows added since it was built, or why a
    delta resolution cannot be tried (then the run resolves everything)."""
    state = ResolverState.load(resolver_state_path())
    if state is None:
        return "no resolver state"
    if state.context != _context(spec) or state.signature != live_signature:
        return "resolver state is not the live warehouse's"
    old = set(state.input_keys)
    used: set[str] = set()
    deltas: list[Path] = []
    for key in input_keys(spec):
        if key in old:
            used.add(key)
            continue
        marker = incremental.staged_root() / key / "delta" / "delta.json"
        if not marker.exists():
            return "an input changed in place"
        base = json.loads(marker.read_text(encoding="utf-8"))["base"]
        if base not in old or base in used:
            return "an input changed in place"
        used.add(base)
        deltas.append(marker.parent)
    if used != old:
        return "an input was removed"
    if not deltas:
        return "nothing new"
    staged, rejects = read_staged(deltas)
    return state, staged, rejects


#: Bump when resolution or the core SQL changes what they produce from the same inputs.
RESOLVER_VERSION = "3"


def build_warehouse(spec: RunSpec, file_stats: list[dict]) -> dict[str, int]:
    """Resolve people and write every table into the build file (not yet live).

    When the inputs are exactly those of the live warehouse, its core tables are copied
    instead of parsed rows being resolved again: only the marts are recomputed.
    """
    live = Path(spec.db)
    signature = inputs_signature(spec)
    last = warehouse.read_live(live)
    started = datetime.fromisoformat(spec.started_at)
    core: warehouse.Core | warehouse.DeltaCore | Path | None = None
    if not spec.full and last.signature is not None and last.signature == signature:
        core = live
    elif not spec.full and last.signature is not None and last.resolution is not None:
        core = _delta_core(spec, live, last.signature, last.resolution, started)
    if core is None:
        staged, rejects = load_stage(spec, RESOLVE_COLUMNS)
        resolution = resolve(staged, spec.owner_emails, last.previous, now=started)
        del staged  # the core tables are loaded from the Parquet files themselves
        folders = stage_folders(spec)
        files = {table: table_files(folders, table) for table in schemas.STAGED}
        core = warehouse.Core({}, rejects, resolution, stage_files=files)
    if not isinstance(core, Path) and core.resolution.state is not None:
        state = core.resolution.state
        state.signature, state.input_keys, state.context = (
            signature,
            input_keys(spec),
            _context(spec),
        )
        state.save(spec.run_dir / "resolver_state.pkl")
    run = warehouse.RunInfo(spec.run_id, started, date.fromisoformat(spec.as_of))
    stat_schema = {k: v for k, v in warehouse.PIPELINE_FILE_STATS.items() if k != "run_id"}
    stats_frame = pl.DataFrame(file_stats, schema=stat_schema)
    live.parent.mkdir(parents=True, exist_ok=True)

    def build(memory_limit: str | None) -> dict[str, int]:
        return warehouse.build(
            spec.build_path,
            core,
            run,
            stats_frame,
            last.runs,
            last.stats,
            last.history,
            settings=MetricSettings.from_dict(spec.metrics),
            inputs_signature=signature,
            temp_dir=spec.run_dir / "duckdb_tmp",
            memory_limit=memory_limit,
        )

    try:
        return build(warehouse.BUILD_MEMORY)
    except duckdb.OutOfMemoryException:
        log.info(
            "the build needs more than %s: building again without a limit", warehouse.BUILD_MEMORY
        )
        return build(None)


def _delta_core(
    spec: RunSpec,
    live: Path,
    live_signature: str,
    live_resolution: PreviousTables,
    started: datetime,
) -> warehouse.DeltaCore | None:
    """The live core tables plus the new rows, resolved on their own, when provably the
    same as a full run (see transforms/resolve/delta.py); else None."""
    plan = plan_delta(spec, live_signature)
    if isinstance(plan, str):
        log.info("resolving every identity: %s", plan)
        return None
    state, staged, rejects = plan
    outcome = resolve_delta(
        staged,
        spec.owner_emails,
        state,
        live_resolution,
        started,
        overrides_mod.load(paths.overrides_file()),
    )
    if outcome.resolution is None:
        log.info("resolving every identity: %s", outcome.reason)
        return None
    log.info("resolving only the new mail's identities")
    return warehouse.DeltaCore(live, staged, rejects, outcome.resolution)


def publish(spec: RunSpec) -> None:
    """Swap the checked build in over the live warehouse, then record the inputs read and
    the resolver state that goes with the new warehouse."""
    warehouse.publish(spec.build_path, Path(spec.db))
    built_state = spec.run_dir / "resolver_state.pkl"
    if built_state.exists():
        os.replace(built_state, resolver_state_path())
    save_manifest(spec)


def progress(spec: RunSpec, n_inputs: int) -> tuple[str, int]:
    """Where a run stands, read from its run folder: (step, inputs staged so far).

    The steps write their results to disk, so another thread (the CLI's progress display)
    can follow a run without any state shared with the flow's tasks.
    """
    files = spec.stage_dir / "files"
    staged = len(list(files.glob("*.json"))) if files.is_dir() else 0
    if spec.build_path.exists():
        return "building the warehouse", staged
    if spec.stage_dir.exists():
        return "parsing sources" if staged < n_inputs else "resolving people", staged
    return "starting Prefect", 0


def run_steps(spec: RunSpec) -> dict:
    """The nightly flow's steps in order, in this process, without Prefect.

    The flow in flows/nightly.py is the same list, one task per step; this serves tests
    and benchmarks that measure the pipeline itself.
    """
    try:
        found = discover_inputs(spec)
        file_stats = skipped_stats(found)
        for index, item in enumerate(found.inputs):
            file_stats.extend(parse_and_stage(spec, index, item))
        counts = build_warehouse(spec, file_stats)
        publish(spec)
    finally:
        clean_up(spec)
    return {"counts": counts, "files": file_stats}


def clean_up(spec: RunSpec) -> None:
    """Remove the run folder and any half-built file (after success or failure)."""
    shutil.rmtree(spec.run_dir, ignore_errors=True)
    for leftover in (spec.build_path, spec.build_path.with_name(spec.build_path.name + ".wal")):
        leftover.unlink(missing_ok=True)
