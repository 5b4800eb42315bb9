"""The files of a LinkedIn export (folder or zip), each loaded only when asked, behind guards.

A download is a zip, or the folder it unzips to (often with one more folder level inside);
the same export can sit anywhere up to MAX_DEPTH path components deep. macOS litter
(``__MACOSX``, dot files) is not part of it. A zip member is read only behind the zip-bomb
guards: its own uncompressed size (declared and actual), the whole zip's total, and its
compression ratio (real CSVs compress 3-20x; a bomb compresses 1000x).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path, PurePosixPath
from typing import NamedTuple

#: A zip member whose uncompressed size exceeds this is refused (zip-bomb guard).
MAX_MEMBER_BYTES = 500 * 1024 * 1024
#: Total uncompressed bytes read from one zip before further members are refused.
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
#: Largest compression ratio accepted for a member above RATIO_MIN_BYTES (zip-bomb guard).
MAX_RATIO = 200
RATIO_MIN_BYTES = 1024 * 1024
#: How deep (path components, the file included) files are looked for in an export.
MAX_DEPTH = 3

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_SNIFF_NAMES = {"connections.csv", "messages.csv"}  # what makes a folder or zip an export

# -- file names -------------------------------------------------------------------------------

_ID_SUFFIX = re.compile(r"_\d+(?=\.[^.]*$)")  # 2026: Comments_<member id>.csv


def normalise_file_name(name: str) -> str:
    """The registry key of a file name: basename, case-folded, spaces and underscores dropped.

    ``"Email Addresses.csv"`` and ``"email_addresses.csv"`` → ``"emailaddresses.csv"``;
    ``"Comments_123456.csv"`` → ``"comments.csv"``.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _ID_SUFFIX.sub("", base)
    return re.sub(r"[\s_]+", "", base).casefold()


# -- members ----------------------------------------------------------------------------------


class Refused(NamedTuple):
    """A file not read at all, and why (unreadable, a zip bomb)."""

    reason: str


class Member(NamedTuple):
    """One file of an export, not loaded yet."""

    source: str  # its source_file: a path, or "<zip path>!<member path>"
    parts: tuple[str, ...]  # its path inside the export, file name last
    load: Callable[[], bytes | Refused]


def folder_source(root: Path, parts: tuple[str, ...]) -> str:
    """The source_file of the file at `parts` in the export folder `root`."""
    return str(root.joinpath(*parts))


def zip_source(path: Path, parts: tuple[str, ...]) -> str:
    """The source_file of the member at `parts` in the zip `path`."""
    return f"{path}!{'/'.join(parts)}"


def is_zip(path: Path) -> bool:
    """By its magic bytes, not its name (browsers save ``export (1).download``)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) in _ZIP_MAGIC
    except OSError:
        return False


def _skip_member(parts: tuple[str, ...]) -> bool:
    """macOS zip litter and hidden files are not part of the export."""
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _walk(root: Path) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """Files under root, at most MAX_DEPTH components deep, with their relative parts."""
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, rel = stack.pop()
        try:
            children = sorted(folder.iterdir())
        except OSError:
            continue
        for child in children:
            parts = (*rel, child.name)
            if _skip_member(parts) or len(parts) > MAX_DEPTH:
                continue
            if child.is_dir():
                stack.append((child, parts))
            elif child.is_file():
                yield child, parts


def _load_file(file: Path) -> bytes | Refused:
    try:
        return file.read_bytes()
    except OSError as err:
        return Refused(f"cannot read file ({type(err).__name__})")


def folder_members(root: Path) -> Iterator[Member]:
    """The files of an export folder, in a stable order."""
    for file, parts in _walk(root):
        yield Member(str(file), parts, partial(_load_file, file))


def _zip_entries(zf: zipfile.ZipFile) -> Iterator[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    for info in zf.infolist():
        if info.is_dir():
            continue
        parts = tuple(p for p in PurePosixPath(info.filename.replace("\\", "/")).parts if p)
        if not parts or _skip_member(parts) or len(parts) > MAX_DEPTH or ".." in parts:
            continue
        yield info, parts


class _Budget:
    """Uncompressed bytes read so far from one zip (the total-size zip-bomb guard)."""

    def __init__(self) -> None:
        self.used = 0


def _load_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes | Refused:
    """One zip member's bytes, refused whole when it looks like a zip bomb."""
    limit_mb = MAX_MEMBER_BYTES // (1024 * 1024)
    too_big = Refused(f"zip member larger than {limit_mb} MB uncompressed, refused")
    if info.file_size > MAX_MEMBER_BYTES:
        return too_big
    if budget.used + info.file_size > MAX_TOTAL_BYTES:
        total_mb = MAX_TOTAL_BYTES // (1024 * 1024)
        return Refused(f"zip larger than {total_mb} MB uncompressed, refused")
    if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return Refused(f"zip member compressed more than {MAX_RATIO}:1 (zip bomb?), refused")
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)  # the declared size may lie
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError) as err:
        return Refused(f"cannot read zip member ({type(err).__name__})")
    if len(data) > MAX_MEMBER_BYTES:
        return too_big
    budget.used += len(data)
    return data


def zip_members(zf: zipfile.ZipFile, path: Path) -> Iterator[Member]:
    """The members of the open zip `zf` (at `path`), sharing one total-size budget."""
    budget = _Budget()
    for info, parts in _zip_entries(zf):
        yield Member(zip_source(path, parts), parts, partial(_load_member, zf, info, budget))


# -- detection --------------------------------------------------------------------------------


def _has_sniff_file(folder: Path) -> bool:
    return any(c.name.casefold() in _SNIFF_NAMES and c.is_file() for c in folder.iterdir())


def looks_like_linkedin_export(path: Path) -> bool:
    """A folder (or a folder one level deeper) or a zip holding Connections.csv/messages.csv.

    A folder counts only when the file sits at its root, or when the folder's single entry is
    a sub-folder that has it at its root (an unzipped download): a folder that merely holds an
    export beside other sources (mbox files, say) is walked instead, so nothing is hidden.
    """
    path = Path(path)
    try:
        if path.is_dir():
            if _has_sniff_file(path):
                return True
            visible = [c for c in path.iterdir() if not c.name.startswith(".")]
            return len(visible) == 1 and visible[0].is_dir() and _has_sniff_file(visible[0])
        if path.is_file() and is_zip(path):
            with zipfile.ZipFile(path) as zf:
                return any(p[-1].casefold() in _SNIFF_NAMES for _, p in _zip_entries(zf))
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError):
        return False
    return False
