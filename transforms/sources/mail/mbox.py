"""mbox reader: a file (plain or gzip) or a Takeout archive -> staged email frames + rejects.

The entry points the pipeline and discovery call. The work is below: `scanner` finds the
messages (From_ lines) and their header blocks, `stream` stages each block, `archives`
reads Takeout zip/tgz members. A big plain file is read as byte ranges cut at message
starts (`range_cuts`, `read_mbox_range`), each range a parse task of its own on Prefect's
task runner (transforms/run/units.py); the ranges together give exactly the rows of one
sequential read. Only header blocks are parsed; bodies are passed over and never kept.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from transforms.rejects import Parsed, whole_file
from transforms.sources.mail.archives import archive_kind, read_archive
from transforms.sources.mail.scanner import BOM, FROM_LINE_RE, NotMbox, split_point
from transforms.sources.mail.staging import StagingBuffer
from transforms.sources.mail.stream import (
    GZIP_MAGIC,
    KIND,
    NOT_MBOX,
    default_folder,
    open_mbox,
    stage_stream,
)


def looks_like_mbox(path: Path) -> bool:
    """True when the first non-blank line (after an optional UTF-8 BOM) is a From_ line."""
    try:
        with open_mbox(path) as fh:
            head = fh.read(64 * 1024)
    except (OSError, EOFError, zlib.error):
        return False
    if head.startswith(BOM):
        head = head[3:]
    for line in head.split(b"\n"):
        if line.strip():
            return bool(FROM_LINE_RE.match(line.rstrip(b"\r")))
    return False


def is_plain_mbox(path: Path) -> bool:
    """An uncompressed mbox file (not gzip, not an archive): byte offsets are file offsets."""
    with open(path, "rb") as fh:
        magic = fh.read(4)
    return not magic.startswith(GZIP_MAGIC) and archive_kind(path) is None


def read_mbox(path: Path, folder: str | None = None) -> Parsed:
    """Read one mbox file (plain or gzip) or Takeout archive into staged email frames plus
    rejects. `folder` defaults to the file's name (`default_folder`)."""
    path = Path(path)
    source = str(path)
    folder = folder if folder is not None else default_folder(path)
    archive = archive_kind(path) if path.is_file() else None
    if archive is not None:
        return read_archive(path, archive)
    staging = StagingBuffer(source)
    try:
        fh = open_mbox(path)
    except OSError as err:
        return whole_file(source, f"cannot open file: {err.strerror or type(err).__name__}", KIND)
    with fh:
        try:
            rows_in = stage_stream(fh, staging, folder)
        except NotMbox:
            return whole_file(source, NOT_MBOX, KIND)
    return staging.result(KIND, rows_in)


def read_mbox_from(path: Path, start: int, folder: str | None = None) -> Parsed:
    """Messages of a plain mbox that start at or after byte `start` (an appended tail).

    Locations stay absolute ("byte N" of the whole file), so rows read this way equal the
    rows a full read gives for the same messages.
    """
    path = Path(path)
    folder = folder if folder is not None else default_folder(path)
    staging = StagingBuffer(str(path))
    first = split_point(path, start)
    if first is None:
        return staging.result(KIND, 0)
    with open(path, "rb") as fh:
        rows_in = stage_stream(fh, staging, folder, first)
    return staging.result(KIND, rows_in)


def range_cuts(path: Path, target_bytes: int) -> list[int]:
    """Start offsets of byte ranges of about `target_bytes` each, [0, c1, c2, ...]: every
    cut is a message start found by `split_point`, which accepts exactly the From_ lines a
    sequential scan accepts, so the ranges read one after another equal one read."""
    size = path.stat().st_size
    cuts = [0]
    at = target_bytes
    while at < size:
        cut = split_point(path, at)
        if cut is None:
            break
        if cut > cuts[-1]:
            cuts.append(cut)
        at = max(cut + 1, at + target_bytes)
    return cuts


def read_mbox_range(path: Path, start: int, stop: int | None, folder: str | None = None) -> Parsed:
    """The messages of a plain mbox starting in [start, stop): `start` is 0 or a cut of
    `range_cuts` (the range from 0 also checks that the file is an mbox), `stop` the next
    cut or None for the end of the file. Locations are absolute ("byte N" of the file)."""
    path = Path(path)
    source = str(path)
    folder = folder if folder is not None else default_folder(path)
    staging = StagingBuffer(source)
    try:
        with open(path, "rb") as fh:
            rows_in = stage_stream(fh, staging, folder, start or None, stop)
    except NotMbox:
        return whole_file(source, NOT_MBOX, KIND)
    except OSError as err:
        return whole_file(source, f"cannot open file: {err.strerror or type(err).__name__}", KIND)
    return staging.result(KIND, rows_in)
