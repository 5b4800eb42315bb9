"""Files inside a Takeout archive, and the text of small export files, for the calendar and
address-book readers.

Google Takeout puts every product in one zip (or tgz): `Takeout/Calendar/<name>.ics`,
`Takeout/Contacts/<group>/<group>.vcf` beside `Takeout/Mail/*.mbox`. Calendars and address
books are small (a decade of meetings is a few MB), so a member is read whole, in place,
never extracted to disk. Which members a reader wants is decided by the member's name; the
reader then checks the content.
"""

from __future__ import annotations

import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

#: A member larger than this is not a calendar or an address book anyone exported.
MAX_MEMBER = 512 << 20

#: What can go wrong reading an archive (the rest of it is then skipped, with a reject).
ARCHIVE_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile, tarfile.TarError)


def archive_kind(path: Path) -> str | None:
    """`zip` or `tar` (any compression) when `path` is an archive, else None."""
    try:
        if zipfile.is_zipfile(path):
            return "zip"
        if path.is_file() and tarfile.is_tarfile(path):
            return "tar"
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


def members(path: Path, wanted: Callable[[str], bool]) -> Iterator[tuple[str, bytes | None]]:
    """(name, bytes) of each wanted member in archive order; bytes None when it is too large.

    Raises one of ARCHIVE_ERRORS when the archive breaks half-way.
    """
    if archive_kind(path) == "zip":
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.is_dir() and wanted(info.filename):
                    too_big = info.file_size > MAX_MEMBER
                    yield info.filename, None if too_big else zf.read(info)
        return
    with tarfile.open(path, "r|*") as tf:  # streaming: one pass over the compressed file
        for member in tf:
            if member.isfile() and wanted(member.name):
                fh = tf.extractfile(member)
                if fh is not None:
                    yield member.name, None if member.size > MAX_MEMBER else fh.read()


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
