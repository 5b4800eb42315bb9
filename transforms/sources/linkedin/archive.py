"""Walking a LinkedIn export (folder or zip) and the zip-bomb guards."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

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


_SNIFF_NAMES = {"connections.csv", "messages.csv"}


def is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) in _ZIP_MAGIC
    except OSError:
        return False


def _skip_member(parts: tuple[str, ...]) -> bool:
    """macOS zip litter and hidden files are not part of the export."""
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def walk(root: Path) -> Iterator[tuple[Path, tuple[str, ...]]]:
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


def zip_members(zf: zipfile.ZipFile) -> Iterator[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    for info in zf.infolist():
        if info.is_dir():
            continue
        parts = tuple(p for p in PurePosixPath(info.filename.replace("\\", "/")).parts if p)
        if not parts or _skip_member(parts) or len(parts) > MAX_DEPTH or ".." in parts:
            continue
        yield info, parts


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
                return any(p[-1].casefold() in _SNIFF_NAMES for _, p in zip_members(zf))
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError):
        return False
    return False
