"""Gmail Takeout archives: every `*.mbox` member of a zip or tar(.gz) read in place.

Takeout keeps mail as `Takeout/Mail/<label>.mbox` (names follow the UI language). Members
are streamed through the same scanner as a plain file, never extracted to disk; one
Parsed covers the whole archive, with one folder per member.
"""

from __future__ import annotations

import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import polars as pl

from transforms.rejects import Parsed
from transforms.sources.mail.scanner import NotMbox
from transforms.sources.mail.staging import StagingBuffer
from transforms.sources.mail.stream import GZIP_MAGIC, KIND, NOT_MBOX, default_folder, stage_stream


def archive_kind(path: Path) -> str | None:
    """ "zip" or "tar" (any compression) for an archive, else None."""
    try:
        if zipfile.is_zipfile(path):
            return "zip"
        with open(path, "rb") as fh:
            magic = fh.read(2)
        if magic == GZIP_MAGIC or path.suffix.lower() in (".tar", ".tgz", ".bz2", ".xz"):
            return "tar" if tarfile.is_tarfile(path) else None
    except (OSError, EOFError, zlib.error, tarfile.TarError):
        return None
    return None


def _is_mail_member(name: str) -> bool:
    """Takeout keeps mail as `Takeout/Mail/<label>.mbox` (names follow the UI language)."""
    return name.lower().endswith(".mbox") and not name.endswith("/")


def _archive_members(path: Path, kind: str) -> Iterator[tuple[str, BinaryIO]]:
    """(member name, readable stream) for each `*.mbox` member, never extracted to disk."""
    if kind == "zip":
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.is_dir() and _is_mail_member(info.filename):
                    with zf.open(info) as fh:
                        yield info.filename, fh  # type: ignore[misc]
        return
    with tarfile.open(path, "r|*") as tf:  # streaming: one pass over the compressed file
        for member in tf:
            if member.isfile() and _is_mail_member(member.name):
                fh = tf.extractfile(member)
                if fh is not None:
                    yield member.name, fh  # type: ignore[misc]


def looks_like_mail_archive(path: Path) -> bool:
    """A zip or tar(.gz) holding at least one `*.mbox` member (a Gmail Takeout archive)."""
    kind = archive_kind(path)
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                return any(_is_mail_member(n) for n in zf.namelist())
        except (OSError, zipfile.BadZipFile):
            return False
    if kind == "tar":
        try:
            with tarfile.open(path, "r:*") as tf:
                return any(m.isfile() and _is_mail_member(m.name) for m in tf)
        except (OSError, EOFError, zlib.error, tarfile.TarError):
            return False
    return False


def read_archive(path: Path, kind: str) -> Parsed:
    """Every `*.mbox` member of a Takeout zip/tgz through the same scanner, one Parsed.

    The folder is the member's name without `.mbox` (`Takeout/Mail/Sent.mbox` -> Sent);
    `location` is `<member> byte N`.
    """
    source = str(path)
    staging = StagingBuffer(source)
    rows_in = 0
    try:
        for name, fh in _archive_members(path, kind):
            folder = default_folder(Path(name))
            part = StagingBuffer(source)
            try:
                n = stage_stream(fh, part, folder)
            except NotMbox:
                staging.rejects.append((name, NOT_MBOX))
                continue
            rows_in += n
            part.flush()
            prefix = f"{name} "
            for frame in part.frames:
                staging.frames.append(
                    frame.with_columns((pl.lit(prefix) + pl.col("location")).alias("location"))
                )
            for frame in part.pframes:
                staging.pframes.append(
                    frame.with_columns((pl.lit(prefix) + pl.col("location")).alias("location"))
                )
            staging.rejects += [
                (prefix + loc if loc.startswith("byte ") else loc, why) for loc, why in part.rejects
            ]
            staging.loaded += part.loaded
            staging.rejected += part.rejected
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, tarfile.TarError) as err:
        staging.rejects.append(
            ("file", f"read error, rest of archive skipped ({type(err).__name__})")
        )
    return staging.result(KIND, rows_in)
