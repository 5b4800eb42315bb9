"""Single-message readers: one `.eml` file, and a Maildir (one message per file).

Only the header block is read from disk (up to the first blank line); bodies are never
read past it. A leading From_ line (naive mbox-to-eml converters) is dropped and its date
used as a fallback; the last date fallback is the Maildir delivery time in the file name
(`date_source = 'delivery'`), else the file's mtime (`'mtime'`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from transforms.rejects import Parsed, whole_file
from transforms.sources.mail.dates import latest_plausible
from transforms.sources.mail.mbox import FROM_LINE_RE, MAX_HEADER, StagingBuffer, stage_block

_HEADER_END = re.compile(rb"\n\r?\n")
_BOM = b"\xef\xbb\xbf"
_CHUNK = 64 * 1024
_MAILDIR_TIME = re.compile(r"^(\d{9,11})\.")


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
    if buf.startswith(_BOM):
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


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except (OSError, OverflowError, ValueError):
        return None


def _stage_file(
    staging: StagingBuffer,
    path: Path,
    location: str,
    folder: str | None,
    fallback: datetime | None,
    latest: datetime,
    draft: bool = False,
    fallback_source: str = "mtime",
) -> None:
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
    _stage_file(staging, path, source, folder, _mtime(path), latest_plausible())
    return staging.result("eml", 1)


def _maildir_folders(root: Path) -> list[tuple[Path, str]]:
    """(directory, folder name) for the Maildir at root and its Maildir++ subfolders."""
    out: list[tuple[Path, str]] = []
    if (root / "cur").is_dir() or (root / "new").is_dir():
        out.append((root, "INBOX"))
    for sub in sorted(root.iterdir()):
        if sub.is_dir() and sub.name.startswith(".") and sub.name not in (".", ".."):
            if (sub / "cur").is_dir() or (sub / "new").is_dir():
                out.append((sub, sub.name[1:].replace(".", "/")))
    return out


def read_maildir(root: Path) -> Parsed:
    """Read a Maildir (cur/ and new/, never tmp/) and its Maildir++ `.Sub` folders.

    One Parsed for the whole tree; `location` is the file path relative to `root`.
    Maildir flag `D` marks a draft; `T` (trashed) is not kept.
    """
    root = Path(root)
    source = str(root)
    if not root.is_dir():
        return whole_file(source, "not a directory", "maildir")
    folders = _maildir_folders(root)
    if not folders:
        return whole_file(source, "not a Maildir (no cur/ or new/)", "maildir")
    staging = StagingBuffer(source)
    latest = latest_plausible()
    rows_in = 0
    for directory, folder in folders:
        for part in ("cur", "new"):
            sub = directory / part
            if not sub.is_dir():
                continue
            names = (p for p in sub.iterdir() if p.is_file() and not p.name.startswith("."))
            for path in sorted(names):
                rows_in += 1
                m = _MAILDIR_TIME.match(path.name)
                if m:
                    fallback, source = datetime.fromtimestamp(int(m.group(1)), tz=UTC), "delivery"
                else:
                    fallback, source = _mtime(path), "mtime"
                location = str(path.relative_to(root))
                flags = re.split(r"[:!;]2,", path.name, maxsplit=1)
                draft = len(flags) == 2 and "D" in flags[1]
                _stage_file(staging, path, location, folder, fallback, latest, draft, source)
    return staging.result("maildir", rows_in)
