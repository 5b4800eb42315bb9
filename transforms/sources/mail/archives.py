"""Gmail Takeout archives: every `*.mbox` member of a zip or tar(.gz) read in place.

Takeout keeps mail as `Takeout/Mail/<label>.mbox` (names follow the UI language). Members
are streamed through the same scanner as a plain file, never extracted to disk; one
Parsed covers the whole archive, with one folder per member.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from transforms.rejects import Parsed
from transforms.sources.archive import ARCHIVE_ERRORS, archive_kind, member_names, open_members
from transforms.sources.mail.scanner import NotMbox
from transforms.sources.mail.staging import StagingBuffer
from transforms.sources.mail.stream import KIND, NOT_MBOX, default_folder, stage_stream

__all__ = ["archive_kind", "looks_like_mail_archive", "read_archive"]


def _is_mail_member(name: str) -> bool:
    """Takeout keeps mail as `Takeout/Mail/<label>.mbox` (names follow the UI language)."""
    return name.lower().endswith(".mbox") and not name.endswith("/")


def looks_like_mail_archive(path: Path) -> bool:
    """A zip or tar(.gz) holding at least one `*.mbox` member (a Gmail Takeout archive)."""
    return any(_is_mail_member(n) for n in member_names(path))


def read_archive(path: Path) -> Parsed:
    """Every `*.mbox` member of a Takeout zip/tgz through the same scanner, one Parsed.

    The folder is the member's name without `.mbox` (`Takeout/Mail/Sent.mbox` -> Sent);
    `location` is `<member> byte N`.
    """
    source = str(path)
    staging = StagingBuffer(source)
    rows_in = 0
    try:
        for name, fh, _ in open_members(path, _is_mail_member):
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
    except ARCHIVE_ERRORS as err:
        staging.rejects.append(
            ("file", f"read error, rest of archive skipped ({type(err).__name__})")
        )
    return staging.result(KIND, rows_in)
