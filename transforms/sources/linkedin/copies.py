"""Two copies of one export file in one upload: which one is read.

Real uploads hold the same file twice: spaces against underscores
(``Endorsement Received Info.csv``, UTF-16 and tab-separated, beside
``Endorsement_Received_Info.csv``, 2022), a spreadsheet re-save beside the original, one
export unzipped twice (``Complete_LinkedInDataExport_09-12-2022 (1)/`` under re-saved copies
at the top). Reading both would count every row twice, so one copy is read and the others
are reported as skipped copies (zero rows, so the per-file balance holds).

The original is preferred, by the first of: fewer re-save marks in the content
(`resave_marks`), the file's canonical spelling, the shallower path, the path itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from transforms.sources.linkedin.csv_text import decode_bytes, utf16_order

SECOND_COPY = "a second copy of a file read from this export, not read"

#: How much of a file is looked at for re-save marks.
_HEAD = 256 * 1024
_EXCEL_DATE = re.compile(r"(?:^|[,;\t])\d{1,2}-[A-Z][a-z]{2}-\d{2}(?:\r?\n|$|[,;\t])", re.M)
_NA_CELL = re.compile(r"(?:^|[,;\t])(?:NA|N/A|#N/A)(?:[,;\t]|\r?\n|$)", re.M)


def resave_marks(data: bytes) -> int:
    """How much a file looks re-saved by a spreadsheet: UTF-16 ("Unicode text"), CRLF on
    every line, ``9-Sep-22`` dates, ``NA`` fills each count one; LinkedIn's ``Notes:``
    preamble counts minus one (a re-save was seen to drop it, never to add it)."""
    marks = 1 if utf16_order(data) else 0
    text = decode_bytes(data[:_HEAD])
    lines = text.count("\n")
    if lines and text.count("\r\n") == lines:
        marks += 1
    if _EXCEL_DATE.search(text):
        marks += 1
    if _NA_CELL.search(text):
        marks += 1
    if text.lstrip("\ufeff\r\n").startswith("Notes:"):
        marks -= 1
    return marks


def preferred(copies: Sequence[tuple[tuple[str, ...], bytes]], canonical: str) -> int:
    """The index of the copy to read among (path parts, bytes) copies of one file."""

    def rank(i: int) -> tuple[int, bool, int, tuple[str, ...]]:
        parts, data = copies[i]
        return (resave_marks(data), parts[-1] != canonical, len(parts), parts)

    return min(range(len(copies)), key=rank)
