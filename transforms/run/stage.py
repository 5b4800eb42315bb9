"""The parse step's work: each input's files read into staged Parquet, or reused from the
cache when unchanged, and the staged folders read back for the later steps.

Each input is staged under its content key (transforms/run/cache.py) and the run folder
links to that entry, so an unchanged input costs a hash check, not a parse. A file stat
(one dict per file, the FILE_STATS columns) says what each file gave.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import polars as pl

from transforms import schemas
from transforms.rejects import Parsed, whole_file
from transforms.run import cache
from transforms.run.appended import parse_appended
from transforms.run.spec import RunSpec
from transforms.sources import discover as discovery
from transforms.sources import linkedin
from transforms.sources.mail import eml, maildir, mbox

FileStat = dict  # the FILE_STATS columns of one file (JSON-able: Prefect returns it)

#: How each kind of input is read: every reader returns one Parsed per file.
READERS: dict[str, Callable[[discovery.Input], list[Parsed]]] = {
    "linkedin": lambda item: linkedin.read_linkedin_export(item.path),
    "mbox": lambda item: [mbox.read_mbox(item.path, folder=item.folder)],
    "eml": lambda item: [eml.read_eml(item.path, folder=item.folder)],
    "maildir": lambda item: [maildir.read_maildir(item.path)],
}

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


def parse_input(item: discovery.Input) -> list[Parsed]:
    """Every file of one input, parsed. A reader crash on a file refuses that file only."""
    reader = READERS.get(item.kind)
    if reader is None:
        raise ValueError(f"unknown input kind {item.kind}")
    try:
        return reader(item)
    except Exception as err:  # noqa: BLE001 - one bad file must not stop the night
        return [whole_file(item.path, f"unreadable ({type(err).__name__})", kind=item.kind)]


def write_tables(folder: Path, result: Parsed) -> None:
    """One parsed file's staged tables and rejects as Parquet files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in result.tables.items():
        schemas.conform(frame, schemas.STAGED[table]).write_parquet(folder / f"{table}.parquet")
    result.rejects.write_parquet(folder / "rejects.parquet")


def write_delta(entry: Path, base_key: str, delta: Parsed) -> None:
    """Keep the new rows beside the whole input's (the next resolution may use only them)."""
    folder = entry / "delta"
    write_tables(folder, delta)
    (folder / "delta.json").write_text(json.dumps({"base": base_key}), encoding="utf-8")


def file_stat(result: Parsed, parse_seconds: float) -> FileStat:
    """The run report's row for one parsed file."""
    return {
        "source_file": result.source_file,
        "kind": result.kind,
        "rows_in": result.rows_in,
        "rows_loaded": result.rows_loaded,
        "rows_rejected": result.rows_rejected,
        "skipped_reason": result.skipped_reason,
        "note": result.note,
        "parse_seconds": round(parse_seconds, 4),
        "is_cached": False,
    }


def write_parsed(folder: Path, parsed: list[Parsed], seconds: float) -> list[FileStat]:
    """Write one input's frames as Parquet (one sub-folder per file); return file stats."""
    stats = []
    for n, result in enumerate(parsed):
        write_tables(folder / f"{n:04d}", result)
        stats.append(file_stat(result, seconds / max(len(parsed), 1)))
    (folder / "stats.json").write_text(json.dumps(stats), encoding="utf-8")
    return stats


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


def parse_and_stage(spec: RunSpec, index: int, item: discovery.Input) -> list[FileStat]:
    """Stage one input, from the cache when its files are unchanged: one parse task's work.

    The staged folder is cached under the input's content key; the run folder links to it.
    """
    manifest = cache.load_manifest()
    states: dict[str, cache.FileState] = {}
    grown: set[str] = set()
    for f in cache.input_files(item):
        states[str(f)], grew = cache.file_state(f, manifest.get(str(f)))
        if grew:
            grown.add(str(f))
    key = cache.input_key(item, states)
    entry = cache.staged_root() / key
    (spec.stage_dir / "files").mkdir(parents=True, exist_ok=True)
    (spec.stage_dir / "files" / f"{index:05d}.json").write_text(
        json.dumps({"key": key, "files": {k: asdict(v) for k, v in states.items()}}),
        encoding="utf-8",
    )
    if spec.full or not (entry / "stats.json").exists():
        started = time.perf_counter()
        appended = None if spec.full else parse_appended(item, manifest, states, grown)
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
