"""Parse only what changed: a manifest of input files and staged output cached per input.

Each input (a LinkedIn export, an mbox, a Maildir…) is keyed by the content hashes of its
files, so an unchanged input's staged Parquet is reused as it is, and a renamed or
touched-but-identical file is not parsed again either. Hashing a file is skipped when its
size and mtime match the manifest. An mbox that only grew (mail appended, the old bytes
unchanged) is parsed from its last old message on and joined to the cached rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import xxhash

from transforms import paths
from transforms.sources.discover import Input

#: Bump when any reader's output changes: old cache entries are then never reused.
READER_VERSION = "6"
_CHUNK = 4 << 20


@dataclass(frozen=True)
class FileState:
    size: int
    mtime_ns: int
    content_hash: str  # xxh3-128 of the bytes (change detection, not security)


def manifest_path() -> Path:
    return paths.cache_dir() / "manifest.json"


def staged_root() -> Path:
    return paths.cache_dir() / "staged"


def load_manifest() -> dict[str, FileState]:
    try:
        raw = json.loads(manifest_path().read_text(encoding="utf-8"))
        return {k: FileState(**v) for k, v in raw["files"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def save_manifest(files: dict[str, FileState], keep_entries: set[str]) -> None:
    """Write the manifest atomically and drop cache entries no input uses any more."""
    target = manifest_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    payload = {"version": READER_VERSION, "files": {k: asdict(v) for k, v in files.items()}}
    tmp.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
    os.replace(tmp, target)
    root = staged_root()
    if root.is_dir():
        for entry in root.iterdir():
            if entry.name not in keep_entries:
                shutil.rmtree(entry, ignore_errors=True)


def input_files(item: Input) -> list[Path]:
    """The files whose content decides what the input parses to."""
    if item.path.is_file():
        return [item.path]
    return sorted(p for p in item.path.rglob("*") if p.is_file() and "/tmp/" not in f"/{p}/")


def file_state(path: Path, known: FileState | None) -> tuple[FileState, bool]:
    """Size, mtime and content hash, and whether the file only grew since `known`.

    The hash is reused when size and mtime are unchanged. When the file is larger than
    `known`, the hash of its first `known.size` bytes is taken in the same pass, so an
    appended mbox costs one read, not two.
    """
    st = path.stat()
    if known is not None and known.size == st.st_size and known.mtime_ns == st.st_mtime_ns:
        return known, False
    digest = xxhash.xxh3_128()
    grew = False
    with open(path, "rb") as fh:
        if known is not None and st.st_size > known.size:
            remaining = known.size
            while remaining > 0 and (chunk := fh.read(min(_CHUNK, remaining))):
                digest.update(chunk)
                remaining -= len(chunk)
            grew = remaining == 0 and digest.copy().hexdigest() == known.content_hash
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return FileState(st.st_size, st.st_mtime_ns, digest.hexdigest()), grew


def input_key(item: Input, states: dict[str, FileState]) -> str:
    """Cache key of an input: where it is, its kind, folder, reader version and contents.

    The path is part of the key because staged rows record their source file. A calendar's
    expansion horizon and bot list are too: they decide which occurrences and people its
    rows hold, and the horizon moves with the as-of date (once a year).
    """
    base = item.path if item.path.is_dir() else item.path.parent
    parts = [READER_VERSION, item.kind, item.folder or "", str(item.path.absolute())]
    if item.horizon is not None:
        parts.append(f"horizon {item.horizon}; bots {chr(31).join(item.bots)}")
    for name in sorted(states):
        rel = os.path.relpath(name, base)
        parts.append(f"{rel}\0{states[name].content_hash}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
