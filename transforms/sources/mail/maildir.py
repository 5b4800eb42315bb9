"""Maildir reader: `cur/` and `new/` (never `tmp/`), and Maildir++ `.Sub` subfolders.

One message per file, each read as an .eml file is (`eml.stage_file`). The last date
fallback is the delivery time in the file name (`1700000000.M1P2.host:2,S`:
`date_source = 'delivery'`), else the file's mtime. The `D` flag after `:2,` marks a
draft; `T` (trashed) is not kept.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from transforms.rejects import Parsed, whole_file
from transforms.sources.mail.dates import latest_plausible
from transforms.sources.mail.eml import file_mtime, stage_file
from transforms.sources.mail.staging import StagingBuffer

_MAILDIR_TIME = re.compile(r"^(\d{9,11})\.")


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
                    fallback, date_source = (
                        datetime.fromtimestamp(int(m.group(1)), tz=UTC),
                        "delivery",
                    )
                else:
                    fallback, date_source = file_mtime(path), "mtime"
                location = str(path.relative_to(root))
                flags = re.split(r"[:!;]2,", path.name, maxsplit=1)
                draft = len(flags) == 2 and "D" in flags[1]
                stage_file(staging, path, location, folder, fallback, latest, draft, date_source)
    return staging.result("maildir", rows_in)
