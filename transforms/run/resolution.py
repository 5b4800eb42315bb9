"""The resolve step: people from the staged identities, in one of three ways.

- **copy**: the inputs (and owner addresses, overrides, reader and resolver versions) are
  exactly those of the live warehouse: its core tables are reused, only marts are rebuilt;
- **delta**: the only change is mail appended to an mbox, and the new rows provably cannot
  change an old decision: the new identities are resolved on their own
  (transforms/resolve/delta.py);
- **full**: every identity is resolved again, person ids carried over from the live file.

What it decides is written to the run folder (`spec.resolution_dir`): `plan.json` with the
mode, the resolver's four tables as Parquet, and the resolver state that goes with them;
the build step reads them from there.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from transforms import paths, schemas
from transforms.resolve import overrides as overrides_mod
from transforms.resolve.result import Resolution

if TYPE_CHECKING:
    from transforms.resolve.state import ResolverState
from transforms.run import cache
from transforms.run.spec import RunSpec
from transforms.run.stage import RESOLVE_COLUMNS, input_keys, read_staged, stage_folders
from transforms.warehouse.live import LiveResolution, read_live_resolution, read_live_signature

log = logging.getLogger(__name__)

#: Bump when resolution or the core SQL changes what they produce from the same inputs.
RESOLVER_VERSION = "4"


@dataclass
class Plan:
    """How the core tables of this run are made (`plan.json` in the resolution folder)."""

    mode: str  # copy / delta / full
    signature: str  # what the core tables depend on (inputs and context)
    delta_folders: list[str] = field(default_factory=list)  # delta: the new rows' folders


def _context_parts(spec: RunSpec) -> list[str]:
    """Besides the inputs, what the core tables depend on: the reader/resolver versions,
    the owner's addresses and the user's overrides."""
    overrides = paths.overrides_file()
    return [
        cache.READER_VERSION,
        RESOLVER_VERSION,
        "owner:" + ",".join(sorted(spec.owner_emails)),
        hashlib.sha256(overrides.read_bytes()).hexdigest() if overrides.exists() else "",
    ]


def inputs_signature(spec: RunSpec) -> str:
    """What the core tables depend on: every input's content key and the context."""
    parts = [*input_keys(spec), *_context_parts(spec)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def context_signature(spec: RunSpec) -> str:
    """The signature without the inputs: what must not change for a delta resolution."""
    return hashlib.sha256("\n".join(_context_parts(spec)).encode()).hexdigest()


def resolver_state_path() -> Path:
    """The resolver state of the live warehouse (personal data: 0600, in the cache)."""
    return paths.cache_dir() / "resolver_state.pkl"


def built_state_path(spec: RunSpec) -> Path:
    """The resolver state that goes with this run's build (swapped in at publish)."""
    return spec.run_dir / "resolver_state.pkl"


def resolve_people(spec: RunSpec) -> Plan:
    """Decide copy / delta / full, resolve, and write the result to the run folder."""
    signature = inputs_signature(spec)
    if not spec.full and read_live_signature(Path(spec.db)) == signature:
        plan = Plan("copy", signature)  # nothing to resolve: the live core tables are reused
    else:
        plan, resolution = _resolve(spec, signature)
        _save(spec, plan, resolution)
    spec.resolution_dir.mkdir(parents=True, exist_ok=True)
    (spec.resolution_dir / "plan.json").write_text(json.dumps(plan.__dict__), encoding="utf-8")
    return plan


def _resolve(spec: RunSpec, signature: str) -> tuple[Plan, Resolution]:
    """A delta resolution when it provably equals a full one, else a full resolution."""
    # The resolver is imported here, not with this module: a night whose inputs did not
    # change (most nights) copies the live core tables and never needs it.
    from transforms.resolve.people import resolve

    live = read_live_resolution(Path(spec.db))
    started = datetime.fromisoformat(spec.started_at)
    if not spec.full and live is not None and live.signature is not None:
        delta = _resolve_delta(spec, live, started)
        if delta is not None:
            return Plan("delta", signature, [str(f) for f in delta[0]]), delta[1]
    staged, _ = read_staged(stage_folders(spec), RESOLVE_COLUMNS)
    resolution = resolve(staged, spec.owner_emails, live and live.previous, now=started)
    return Plan("full", signature), resolution


def load_plan(spec: RunSpec) -> tuple[Plan, Resolution | None]:
    """The resolve step's plan and (unless copying) its resolution, from the run folder."""
    plan = Plan(**json.loads((spec.resolution_dir / "plan.json").read_text(encoding="utf-8")))
    if plan.mode == "copy":
        return plan, None
    tables = {
        name: pl.read_parquet(spec.resolution_dir / f"{name}.parquet").cast(schema)
        for name, schema in schemas.RESOLVED.items()
    }
    return plan, Resolution(**tables)


def _save(spec: RunSpec, plan: Plan, resolution: Resolution) -> None:
    """The four tables as Parquet and the resolver state, for the build and publish steps."""
    spec.resolution_dir.mkdir(parents=True, exist_ok=True)
    for name in schemas.RESOLVED:
        getattr(resolution, name).write_parquet(spec.resolution_dir / f"{name}.parquet")
    state = resolution.state
    if state is not None:
        state.signature, state.input_keys, state.context = (
            plan.signature,
            input_keys(spec),
            context_signature(spec),
        )
        state.save(built_state_path(spec))


def plan_delta(spec: RunSpec, live_signature: str | None) -> tuple[ResolverState, list[Path]] | str:
    """The live warehouse's resolver state and the folders of the rows added since it was
    built, or why a delta resolution cannot be tried (then the run resolves everything)."""
    from transforms.resolve.state import ResolverState

    state = ResolverState.load(resolver_state_path())
    if state is None:
        return "no resolver state"
    if state.context != context_signature(spec) or state.signature != live_signature:
        return "resolver state is not the live warehouse's"
    old = set(state.input_keys)
    used: set[str] = set()
    deltas: list[Path] = []
    for key in input_keys(spec):
        if key in old:
            used.add(key)
            continue
        marker = cache.staged_root() / key / "delta" / "delta.json"
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
    return state, deltas


def _resolve_delta(
    spec: RunSpec, live: LiveResolution, started: datetime
) -> tuple[list[Path], Resolution] | None:
    """The live people plus the new rows' identities resolved on their own, when provably
    the same as a full run (see transforms/resolve/delta.py); else None."""
    plan = plan_delta(spec, live.signature)
    if isinstance(plan, str):
        log.info("resolving every identity: %s", plan)
        return None
    from transforms.resolve.delta import resolve_delta

    state, folders = plan
    staged, _ = read_staged(folders)
    outcome = resolve_delta(
        staged,
        spec.owner_emails,
        state,
        live.tables,
        started,
        overrides_mod.load(paths.overrides_file()),
    )
    if outcome.resolution is None:
        log.info("resolving every identity: %s", outcome.reason)
        return None
    log.info("resolving only the new mail's identities")
    return folders, outcome.resolution
