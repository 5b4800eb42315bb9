"""Positions.csv → stg_linkedin_positions: the owner's own work history.

``Company Name,Title,Description,Location,Started On,Finished On``; dates are months
(``Jan 2024``, sometimes a bare year, see dates.parse_month); an empty ``Finished On`` is
the current role. ``Description`` is not read; trailing spaces in company names (seen in
real files) are trimmed.
"""

from __future__ import annotations

from datetime import date

from transforms.rejects import Parsed
from transforms.sources.linkedin import table
from transforms.sources.linkedin.dates import parse_month

LAYOUT = table.Layout(
    "Positions.csv",
    "stg_linkedin_positions",
    required=("Company Name",),
    collapsed={"company": "Company Name", "title": "Title", "place": "Location"},
)


def _month(raw: str, label: str) -> date | None:
    """The first day of the month `raw` names (None: blank), or RowRejected quoting it."""
    when, ok = parse_month(raw)
    if not ok:
        raise table.RowRejected(f"unparseable {label} {table.quoted(raw)}")
    return when


def _rows(cols: table.Columns) -> table.RowFn:
    started, finished = cols.getters("Started On", "Finished On")
    return lambda fields, line: {
        "started_on": _month(started(fields), "Started On"),
        "finished_on": _month(finished(fields), "Finished On"),
    }


def read_positions(text: str, source_file: str) -> Parsed:
    """Positions.csv: one row per role the owner held."""
    return table.read(text, source_file, LAYOUT, _rows)
