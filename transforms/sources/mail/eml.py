"""Single-message files: one `.eml` file (and each file of a Maildir, see `maildir`).

Only the header block is read from disk (up to the first blank line); bodies are never
read past it. A leading From_ line (naive mbox-to-eml converters) is dropped and its date
used as a fallback; the last date fallback is the file's mtime (`date_source = 'mtime'`),
or what the caller gives (Maildir: the delivery time in the file name).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from transforms.rejects import Parsed, whole_file
from transforms.sources.mail.dates import latest_plausible
from transforms.sources.mail.scanner import BOM, FROM_LINE_RE, MAX_HEADER
from transforms.sources.mail.staging import StagingBuffer, stage_block

_HEADER_END = re.compile(rb"\n\r?\n")
_CHUNK = 64 * 1024


def read_header_bytes(path: Path) -> tuple[bytes | None, bytes]:
    """(From_ line or None, header block) of one message file; reads no further than needed.

    Raises ValueError when no blank line ends the header within MAX_HEADER bytes of a
    file that is larger than that.
    """
    buf = b""
    with open(path, "rb") as fh:
        while True:
            data = fh.read(_CHUNK)
            buf += data
            m = _HEADER_END.search(buf)
            if m or not data:
                break
            if len(buf) > MAX_HEADER:
                raise ValueError(f"header block larger than {MAX_HEADER >> 20} MiB")
    if buf.startswith(BOM):
        buf = buf[3:]
    stripped = buf.lstrip(b" \t\r\n")
    from_line = None
    if stripped.startswith(b"From "):
        nl = stripped.find(b"\n")
        first = stripped if nl < 0 else stripped[:nl]
        from_line = first.rstrip(b"\r")
        stripped = b"" if nl < 0 else stripped[nl + 1 :]
        if not FROM_LINE_RE.match(from_line):
            from_line = None  # a malformed envelope line: drop it, keep no date from it
    # The leading b"\n" lets an empty header block (blank first line) end at once; the
    # match then starts at the newline that ends the last header line (offset +1 here).
    m = _HEADER_END.search(b"\n" + stripped)
    header = stripped if m is None else stripped[: m.start()]
    return from_line, header


def file_mtime(path: Path) -> datetime | None:
    """The file's mtime (the last date fallback), or None when it cannot be read."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except (OSError, OverflowError, ValueError):
        return None


def stage_file(
    staging: StagingBuffer,
    path: Path,
    location: str,
    folder: str | None,
    fallback: datetime | None,
    latest: datetime,
    draft: bool = False,
    fallback_source: str = "mtime",
) -> None:
    """Stage or reject one message file; a file that cannot be read is a reject."""
    try:
        from_line, header = read_header_bytes(path)
    except (OSError, ValueError) as err:
        reason = str(err) if isinstance(err, ValueError) else "cannot read file"
        staging.reject(location, reason)
        return
    stage_block(
        staging,
        location,
        header,
        from_line,
        folder,
        latest,
        fallback_time=fallback,
        draft=draft,
        fallback_source=fallback_source,
    )


def read_eml(path: Path, folder: str | None = None) -> Parsed:
    """Read one RFC 822 message file (.eml) into staged email frames plus rejects."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        return whole_file(source, "not a regular file", "eml")
    folder = folder if folder is not None else (path.parent.name or None)
    staging = StagingBuffer(source)
    stage_file(staging, path, source, folder, file_mtime(path), latest_plausible())
    return staging.result("eml", 1)
