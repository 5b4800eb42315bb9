"""Connections.csv → stg_linkedin_connections: the owner's first-degree network.

Variants seen in the wild, all read by header name:

* 6 columns ``First Name,Last Name,Email Address,Company,Position,Connected On``
  (2018 - mid-2023); 7 columns with ``URL`` as the 3rd column (late 2023+).
* Since mid-2021 the file opens with a ``Notes:`` preamble of a few lines: the header is the
  first record whose first field is ``First Name``, never a fixed line.
* ``Connected On``: ``05 Feb 2014``, ``1/8/18, 6:14 PM`` (2018), ISO dates, spreadsheet
  ``29-Feb-20`` (see dates.py).
* Hidden profiles come as ``,,,,,,03 Sep 2023``: loaded (a connection happened), not rejected.
* Spreadsheet re-saves: no preamble, CRLF, ``9-Sep-22`` or ``8/1/2018`` dates (the column
  decides the day-month order), ``NA`` in empty cells: the same rows and dates as the
  original.

Every named row gets a `connection_key`, ``<connected-on date>|<name key>``: what stays the
same for one connection from export to export and night to night. It is the identity of a
row with no URL and no e-mail (2019 - mid-2023 exports); a second row of one file with the
same date and name gets ``#2`` (two namesakes connected the same day stay two).
"""

from __future__ import annotations

from collections import Counter

from transforms.rejects import Parsed
from transforms.resolve.keys import name_key
from transforms.sources.linkedin import table

LAYOUT = table.Layout(
    "Connections.csv",
    "stg_linkedin_connections",
    required=("First Name", "Last Name", "Connected On"),
    dated=("connected_at", "Connected On"),
    names=("First Name", "Last Name"),
    trimmed={"email": "Email Address", "company": "Company", "position": "Position"},
    urls={"profile_url": "URL"},  # absent before late 2023
    is_header=lambda h: bool(h) and h[0] == "first name",  # not a Notes: line
)


def connection_key(connected_on: str, name: str | None, seen: Counter[str]) -> str | None:
    """``2021-06-17|ada okafor``; ``#n`` added for the n-th such row of one file (`seen`)."""
    key = name_key(name)
    if key is None:
        return None
    base = f"{connected_on}|{key}"
    seen[base] += 1
    return base if seen[base] == 1 else f"{base}#{seen[base]}"


def _rows(cols: table.Columns) -> table.RowFn:
    first, last, when = cols.getters("First Name", "Last Name", "Connected On")
    parse_date = cols.date("Connected On")
    seen: Counter[str] = Counter()  # per file: the reader binds this once per file

    def row(fields: list[str], line: int) -> table.Values:
        day = parse_date(when(fields))
        name = table.person(first(fields), last(fields))["full_name"]
        on = day.date().isoformat() if day else ""
        return {"connection_key": connection_key(on, name, seen)}

    return row


def read_connections(text: str, source_file: str) -> Parsed:
    """Connections.csv (6- or 7-column, with or without the Notes: preamble)."""
    return table.read(text, source_file, LAYOUT, _rows)
