"""Connections.csv → stg_linkedin_connections: the owner's first-degree network.

Variants seen in the wild, all read by header name:

* 6 columns ``First Name,Last Name,Email Address,Company,Position,Connected On``
  (2018 - mid-2023); 7 columns with ``URL`` as the 3rd column (late 2023+).
* Since mid-2021 the file opens with a ``Notes:`` preamble of a few lines: the header is the
  first record whose first field is ``First Name``, never a fixed line.
* ``Connected On``: ``05 Feb 2014``, ``1/8/18, 6:14 PM`` (2018), ISO dates, spreadsheet
  ``29-Feb-20`` (see dates.py).
* Hidden profiles come as ``,,,,,,03 Sep 2023``: loaded (a connection happened), not rejected.
"""

from __future__ import annotations

from transforms.rejects import Parsed
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


def read_connections(text: str, source_file: str) -> Parsed:
    """Connections.csv (6- or 7-column, with or without the Notes: preamble)."""
    return table.read(text, source_file, LAYOUT)
