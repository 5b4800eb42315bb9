"""The parse step around its units: which inputs need parsing, and what their units made.

`plan_parse` hashes each input's files (transforms/run/cache.py): an unchanged input links
its cache entry and costs no parse; an mbox that only grew is parsed from its last old
message; any other input is cut into units (transforms/run/units.py) that write Parquet
into the input's cache entry while it is being built. `finish_parse` then completes each
entry (one stats row per file, the appended mbox joined to its old rows), swaps it in and
links it into the run folder. The later steps read the staged rows back from there.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from transforms import schemas
from transforms.rejects import Parsed
from transforms.run import cache
from transforms.run.appended import AppendPlan, join_append, plan_append
from transforms.run.spec import RunSpec
from transforms.run.units import (
    FileStat,
    Unit,
    UnitResult,
    cut,
    file_stat,
    input_size,
    placement,
    range_bytes,
    write_tables,
)
from transforms.sources import discover as discovery

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


@dataclass
class InputPlan:
    """What the parse step does with one input."""

    index: int
    key: str  # its cache entry: the content key of its files
    mode: str  # cached / parsed / appended
    building: str = ""  # the entry being built (not cached)
    n_units: int = 0
    append: AppendPlan | None = None


def _plan_file(spec: RunSpec) -> Path:
    return spec.stage_dir / "plan.json"


def plan_parse(spec: RunSpec, found: discovery.Discovery) -> list[Unit]:
    """Link every unchanged input's cache entry; the units the others need parsed."""
    manifest = cache.load_manifest()
    (spec.stage_dir / "files").mkdir(parents=True, exist_ok=True)
    plans: list[InputPlan] = []
    todo: list[tuple[InputPlan, discovery.Input, Path]] = []
    for index, item in enumerate(found.inputs):
        states: dict[str, cache.FileState] = {}
        grown: set[str] = set()
        for f in cache.input_files(item):
            states[str(f)], grew = cache.file_state(f, manifest.get(str(f)))
            if grew:
                grown.add(str(f))
        key = cache.input_key(item, states)
        (spec.stage_dir / "files" / f"{index:05d}.json").write_text(
            json.dumps({"key": key, "files": {k: asdict(v) for k, v in states.items()}}),
            encoding="utf-8",
        )
        entry = cache.staged_root() / key
        if not spec.full and (entry / "stats.json").exists():
            plans.append(InputPlan(index, key, "cached"))
            continue
        building = entry.with_name(entry.name + f".{spec.run_id}")
        shutil.rmtree(building, ignore_errors=True)
        append = None if spec.full else plan_append(item, manifest, states, grown)
        mode = "parsed" if append is None else "appended"
        plans.append(InputPlan(index, key, mode, str(building), 0, append))
        todo.append((plans[-1], item, building))
    units = _cut_all(spec, todo)
    _plan_file(spec).write_text(json.dumps([asdict(p) for p in plans]), encoding="utf-8")
    return units


def _cut_all(spec: RunSpec, todo: list[tuple[InputPlan, discovery.Input, Path]]) -> list[Unit]:
    """The units of the inputs to parse, their byte ranges sized for where they will run
    (the same decision `flows.nightly.parse_runner` takes from the same total)."""
    total = sum(input_size(item) for _, item, _ in todo)
    where = placement(total, spec.dask_address, spec.process_pool_min_mb << 20)
    target = range_bytes(where, total, os.cpu_count() or 1)
    units: list[Unit] = []
    for plan, item, building in todo:
        if plan.append is not None:
            mine = cut(plan.index, item, building / "tail", start=plan.append.last)
        else:
            mine = cut(plan.index, item, building, target=target)
        plan.n_units = len(mine)
        units += mine
    return units


def load_plans(spec: RunSpec) -> list[InputPlan]:
    """The parse plan of the run (None values and nested plans restored)."""
    raw = json.loads(_plan_file(spec).read_text(encoding="utf-8"))
    return [
        InputPlan(**{**p, "append": AppendPlan(**p["append"]) if p["append"] else None})
        for p in raw
    ]


def finish_parse(
    spec: RunSpec, found: discovery.Discovery, results: list[UnitResult]
) -> list[FileStat]:
    """Complete and link every input's cache entry; the file stats, in input order."""
    by_input: dict[int, list[UnitResult]] = {}
    for result in results:
        by_input.setdefault(result.index, []).append(result)
    stats: list[FileStat] = []
    for plan in load_plans(spec):
        entry = cache.staged_root() / plan.key
        if plan.mode == "cached":
            rows = json.loads((entry / "stats.json").read_text(encoding="utf-8"))
            for row in rows:
                row.update(parse_seconds=0.0, is_cached=True)
        else:
            parts = sorted(by_input.get(plan.index, []), key=lambda r: r.part)
            if len(parts) != plan.n_units:
                raise RuntimeError(f"input {plan.index}: {len(parts)} of {plan.n_units} units")
            building = Path(plan.building)
            if plan.append is not None:
                rows = _join_appended(found.inputs[plan.index], plan.append, building, parts)
            else:
                rows = _merge_parts(building, parts)
            for leftover in building.glob("unit-*.json"):
                leftover.unlink()
            (building / "stats.json").write_text(json.dumps(rows), encoding="utf-8")
            shutil.rmtree(entry, ignore_errors=True)
            os.replace(building, entry)
        os.symlink(entry, spec.stage_dir / f"{plan.index:05d}")
        stats += rows
    return stats


def _merge_parts(building: Path, parts: list[UnitResult]) -> list[FileStat]:
    """One stats row per file from its units (an mbox's byte ranges add up). A file the
    first range refused whole (not an mbox) is refused whole: the other ranges' rows go."""
    first = parts[0].stats
    if len(parts) > 1 and first and first[0]["skipped_reason"] is not None:
        for stale in (building / "0000").glob("*.parquet"):
            if not stale.name.endswith(".00000.parquet"):
                stale.unlink()
        return first
    merged = [dict(row) for row in first]
    for later in parts[1:]:
        for row, more in zip(merged, later.stats, strict=True):
            for count in ("rows_in", "rows_loaded", "rows_rejected", "parse_seconds"):
                row[count] += more[count]
    for row in merged:
        row["parse_seconds"] = round(row["parse_seconds"], 4)
    return merged


def _join_appended(
    item: discovery.Input, plan: AppendPlan, building: Path, parts: list[UnitResult]
) -> list[FileStat]:
    """The grown mbox staged whole (old rows + the tail) with its delta beside it."""
    [tail_stat] = parts[0].stats
    tail_rows, tail_rejects = read_staged([building / "tail" / "0000"])
    tail = Parsed(
        source_file=tail_stat["source_file"],
        kind=tail_stat["kind"],
        rows_in=tail_stat["rows_in"],
        rows_loaded=tail_stat["rows_loaded"],
        rows_rejected=tail_stat["rows_rejected"],
        tables={t: tail_rows[t] for t in ("stg_email_messages", "stg_email_participants")},
        rejects=tail_rejects,
    )
    appended = join_append(item, plan, tail)
    shutil.rmtree(building / "tail")
    [whole] = appended.parsed
    write_tables(building / "0000", whole)
    if appended.delta is not None:
        write_tables(building / "delta", appended.delta)
        (building / "delta" / "delta.json").write_text(
            json.dumps({"base": appended.base_key}), encoding="utf-8"
        )
    return [file_stat(whole, tail_stat["parse_seconds"])]


def skipped_stats(found: discovery.Discovery) -> list[FileStat]:
    """File-stat rows for files seen while walking folders but not read."""
    return [
        {
            "source_file": path,
            "kind": "skipped",
            "rows_in": 0,
            "rows_loaded": 0,
            "rows_rejected": 0,
            "skipped_reason": why,
            "note": None,
            "parse_seconds": 0.0,
            "is_cached": False,
        }
        for path, why in found.skipped
    ]


def stage_folders(spec: RunSpec) -> list[Path]:
    """The run's staged folders, one per parsed file, in input order (an appended mbox's
    `delta/` folder is not one: its rows are in the numbered folder too)."""
    return sorted(spec.stage_dir.glob("[0-9]*/[0-9]*"))


def table_files(folders: list[Path], table: str) -> list[Path]:
    """The Parquet files of one staged table in these folders, in their order (a file read
    as several units has one part per unit)."""
    found: list[Path] = []
    for folder in folders:
        found += sorted(folder.glob(f"{table}.[0-9]*.parquet"))
        if (folder / f"{table}.parquet").exists():  # entries cached before parse units
            found.append(folder / f"{table}.parquet")
    return found


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
    return staged, read_rejects(folders)


def read_rejects(folders: list[Path]) -> pl.DataFrame:
    """The rejects of the files staged in these folders."""
    frames = [pl.read_parquet(p) for p in table_files(folders, "rejects")]
    return pl.concat(frames) if frames else schemas.empty(schemas.REJECTS)


def input_keys(spec: RunSpec) -> list[str]:
    """The cache keys of the run's inputs (their content), sorted."""
    return sorted(
        json.loads(doc.read_text(encoding="utf-8"))["key"]
        for doc in (spec.stage_dir / "files").glob("*.json")
    )


def save_manifest(spec: RunSpec) -> None:
    """Record the run's input files and keep only the cache entries they use."""
    files: dict[str, cache.FileState] = {}
    keys: set[str] = set()
    for doc in sorted((spec.stage_dir / "files").glob("*.json")):
        data = json.loads(doc.read_text(encoding="utf-8"))
        keys.add(data["key"])
        files.update({k: cache.FileState(**v) for k, v in data["files"].items()})
    cache.save_manifest(files, keys)
