"""Files inside a Takeout archive, for every reader of one, and the text of small export
files.

Google Takeout puts every product in one zip (or tgz): `Takeout/Mail/*.mbox` beside
`Takeout/Calendar/<name>.ics` and `Takeout/Contacts/<group>/<group>.vcf`. Members are read in
place, never extracted to disk: the mail reader streams its members (`open_members`);
calendars and address books are small (a decade of meetings is a few MB) and are read whole
(`members`). Which members a reader wants is decided by the member's name; the reader then
checks the content.
"""

from __future__ import annotations

import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

#: A member larger than this is not a calendar or an address book anyone exported.
MAX_MEMBER = 512 << 20

#: What can go wrong reading an archive (the rest of it is then skipped, with a reject).
ARCHIVE_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile, tarfile.TarError)


_GZIP_MAGIC = b"\x1f\x8b"


def archive_kind(path: Path) -> str | None:
    """`zip` or `tar` (any compression) when `path` is an archive, else None.

    Only a gzip'd file or a tar-named one is asked whether it is a tar (cheap for a big
    plain mbox, which is neither)."""
    try:
        if zipfile.is_zipfile(path):
            return "zip"
        with open(path, "rb") as fh:
            magic = fh.read(2)
        if magic == _GZIP_MAGIC or path.suffix.lower() in (".tar", ".tgz", ".bz2", ".xz"):
            return "tar" if tarfile.is_tarfile(path) else None
    except ARCHIVE_ERRORS:
        return None
    return None


def member_names(path: Path) -> list[str]:
    """The names of an archive's files (empty for anything that is not a readable archive)."""
    kind = archive_kind(path)
    try:
        if kind == "zip":
            with zipfile.ZipFile(path) as zf:
                return [i.filename for i in zf.infolist() if not i.is_dir()]
        if kind == "tar":
            with tarfile.open(path, "r:*") as tf:
                return [m.name for m in tf if m.isfile()]
    except ARCHIVE_ERRORS:
        return []
    return []


def open_members(path: Path, wanted: Callable[[str], bool]) -> Iterator[tuple[str, BinaryIO, int]]:
    """(name, readable stream, size) of each wanted member, in archive order.

    Raises one of ARCHIVE_ERRORS when the archive breaks half-way.
    """
    if archive_kind(path) == "zip":
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.is_dir() and wanted(info.filename):
                    with zf.open(info) as fh:
                        yield info.filename, fh, info.file_size  # type: ignore[misc]
        return
    with tarfile.open(path, "r|*") as tf:  # streaming: one pass over the compressed file
        for member in tf:
            if member.isfile() and wanted(member.name):
                fh = tf.extractfile(member)
                if fh is not None:
                    yield member.name, fh, member.size  # type: ignore[misc]


def members(path: Path, wanted: Callable[[str], bool]) -> Iterator[tuple[str, bytes | None]]:
    """(name, bytes) of each wanted member in archive order; bytes None when it is too large.

    Raises one of ARCHIVE_ERRORS when the archive breaks half-way.
    """
    for name, fh, size in open_members(path, wanted):
        yield name, None if size > MAX_MEMBER else fh.read()


def text_of(data: bytes) -> str:
    """The text of an export file: UTF-8 or UTF-16 by their byte-order marks, else UTF-8,
    else Windows-1252 (old phones and Outlook write vCards in the machine's code page)."""
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", errors="replace")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", errors="replace")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def starts_with(path: Path, marker: bytes) -> bool:
    """True when the file's first non-blank line (after a byte-order mark) is `marker`,
    in any letter case; UTF-16 files are checked too."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return first_line_is(head, marker)


def first_line_is(head: bytes, marker: bytes) -> bool:
    """True when the first non-blank line of these leading bytes is `marker` (any case)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = text_of(head).encode("utf-8", errors="replace")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    first = head.split(b"\n", 1)[0].strip()
    return first.upper() == marker.upper()
