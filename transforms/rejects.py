"""The Parsed result every source reader returns: staged frames plus a rejects frame.

A reader never raises on one bad row: it returns the good rows and says why the rest were
refused. Counts are explicit because a reject row is not always a whole record (an invalid
address inside a loaded email is a reject row too, while the message still loads): per file,
`rows_in == rows_loaded + rows_rejected` must hold, and the run report prints all three.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from transforms import schemas


@dataclass
class Parsed:
    """What one input file produced."""

    source_file: str
    kind: str = ""  # reader name, e.g. "linkedin:Connections.csv" or "mbox"
    rows_in: int = 0  # records the file held (CSV data rows, messages)
    rows_loaded: int = 0  # records that became staged rows
    rows_rejected: int = 0  # records refused (each has at least one rejects row)
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    rejects: pl.DataFrame = field(default_factory=lambda: schemas.empty(schemas.REJECTS))
    skipped_reason: str | None = None  # set when the whole file was skipped
    note: str | None = None  # what the reader says of a file it read ("AI assistant ...")

    @property
    def balanced(self) -> bool:
        """True when every record read was either loaded or rejected."""
        return self.rows_in == self.rows_loaded + self.rows_rejected


def reject_rows(source_file: str | Path, rows: list[tuple[str, str]]) -> pl.DataFrame:
    """A rejects frame from (location, reason) pairs."""
    return pl.DataFrame(
        {
            "source_file": [str(source_file)] * len(rows),
            "location": [loc for loc, _ in rows],
            "reason": [why for _, why in rows],
        },
        schema=schemas.REJECTS,
    )


def whole_file(source_file: str | Path, reason: str, kind: str = "", rows_in: int = 0) -> Parsed:
    """A file refused as a whole (unreadable, missing a required column): one reject row.

    Every record it held counts as rejected, so the per-file balance still holds.
    """
    return Parsed(
        source_file=str(source_file),
        kind=kind,
        rows_in=rows_in,
        rows_rejected=rows_in,
        rejects=reject_rows(source_file, [("file", reason)]),
        skipped_reason=reason,
    )
