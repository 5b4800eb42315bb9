"""Invitations.csv → stg_linkedin_invitations: connection invitations, sent and received.

Two generations, read by header name: ``From,To,Sent At,Message,Direction`` (≤ 2023) and
the same + ``inviterProfileUrl,inviteeProfileUrl`` (URLs as typed: raw UTF-8 slugs, no
scheme, country sub-domains, trailing slashes, query strings). ``Message`` is never read.
"""

from __future__ import annotations

from transforms.rejects import Parsed
from transforms.sources.linkedin import table

LAYOUT = table.Layout(
    "Invitations.csv",
    "stg_linkedin_invitations",
    required=("From", "To", "Sent At", "Direction"),
    dated=("sent_at", "Sent At"),
    trimmed={"direction": "Direction"},
    as_written={"from_name": "From", "to_name": "To"},
    urls={"inviter_url": "inviterProfileUrl", "invitee_url": "inviteeProfileUrl"},  # 7 columns
)


def read_invitations(text: str, source_file: str) -> Parsed:
    """Invitations.csv, 5-column (≤ 2023) or 7-column (with inviter/invitee URLs)."""
    return table.read(text, source_file, LAYOUT)
