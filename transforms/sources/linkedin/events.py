"""Events.csv → stg_linkedin_events: the LinkedIn events the owner signed up for.

``Event Name,Event Time,Status,External Url`` (2023, 2024). ``Event Time`` is a quoted range,
``"Mar 09, 2023 09:30 AM - Mar 09, 2023 04:00 PM"`` (zero-padded, no zone: read as UTC);
``Status`` ``APPROVED`` or ``RELINQUISHED``; ``External Url`` often empty.

An event is not a person and names none: its rows make no identity and no interaction (the
people met there show up, if at all, in the other files). A blank Event Time is allowed.
"""

from __future__ import annotations

from transforms.rejects import Parsed
from transforms.sources.linkedin import table

LAYOUT = table.Layout(
    "Events.csv",
    "stg_linkedin_events",
    required=("Event Name", "Event Time"),
    collapsed={"event_name": "Event Name"},
    trimmed={"status": "Status", "external_url": "External Url"},
)


def _rows(cols: table.Columns) -> table.RowFn:
    when = cols.getter("Event Time")
    parse_date = cols.date("Event Time", optional=True)

    def row(fields: list[str], line: int) -> table.Values:
        raw = when(fields)
        start, _, end = raw.partition(" - ")  # "<start> - <end>", each a full date and time
        starts = parse_date(start)
        return {"starts_at": starts, "ends_at": parse_date(end) if end.strip() else starts}

    return row


def read_events(text: str, source_file: str) -> Parsed:
    """Events.csv: one row per event, its start and end."""
    return table.read(text, source_file, LAYOUT, _rows)
