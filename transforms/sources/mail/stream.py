"""One mbox byte stream staged message by message: the loop every mbox path shares.

A whole file, a gzip stream, a Takeout archive member and a byte range of a big file all
go through `stage_stream`: scan (`scanner.iter_messages`), then stage or reject
each header block (`staging.stage_block`). gzip files are read through `gzip.open`
(locations are then offsets in the decompressed stream). Bodies are never parsed or kept.
"""

from __future__ import annotations

import gc
import gzip
import zlib
from pathlib import Path
from typing import BinaryIO

from transforms.sources.mail.dates import latest_plausible
from transforms.sources.mail.scanner import MAX_HEADER, iter_messages
from transforms.sources.mail.staging import StagingBuffer, stage_block

KIND = "mbox"
NOT_MBOX = "not an mbox file (first line is not a From_ line)"
GZIP_MAGIC = b"\x1f\x8b"


def open_mbox(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip (told by its first two bytes)."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == GZIP_MAGIC:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def default_folder(path: Path) -> str:
    """Folder name for a file: Apple `Inbox.mbox/mbox` -> Inbox; `Sent.mbox.gz` -> Sent."""
    name = path.name
    if name == "mbox" and path.parent.name.lower().endswith(".mbox"):
        name = path.parent.name
    for suffix in (".gz", ".mbox", ".mbx"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return name


def stage_stream(
    fh: BinaryIO,
    staging: StagingBuffer,
    folder: str | None,
    first: int | None = None,
    stop: int | None = None,
) -> int:
    """Stage or reject every message of the range; returns how many were found.

    `first` and `stop` are as for `iter_messages`. Raises NotMbox; a read error (corrupt
    gzip, I/O) keeps what was read and is noted. The cyclic garbage collector is paused
    meanwhile: parsing makes millions of small acyclic objects, and the collections they
    trigger walk every live object again and again (~15% of the run); reference counting
    still frees everything.
    """
    rows_in = 0
    latest = latest_plausible()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # see the docstring
    try:
        for raw in iter_messages(fh, first, stop):
            rows_in += 1
            location = f"byte {raw.offset}"
            if raw.oversized:
                staging.reject(location, f"header block larger than {MAX_HEADER >> 20} MiB")
                continue
            stage_block(staging, location, raw.header, raw.from_line, folder, latest, raw.truncated)
    except (OSError, EOFError, zlib.error) as err:
        # A corrupt gzip stream or a read error: keep what was read, say where it stopped.
        staging.rejects.append(("file", f"read error, rest of file skipped ({type(err).__name__})"))
    finally:
        if gc_was_enabled:
            gc.enable()
    return rows_in
