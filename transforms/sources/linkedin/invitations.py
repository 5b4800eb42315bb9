"""Invitations.csv → stg_linkedin_invitations: connection invitations, sent and received.

Three generations, read by header name: ``From,To,Sent At,Message,Direction`` (≤ 2023),
the same + ``inviterProfileUrn,inviteeProfileUrn`` (Jul 2023: ``urn:li:member:<id>``, kept
as URNs, never as URLs), and + ``inviterProfileUrl,inviteeProfileUrl`` (2024+: URLs as
typed: raw UTF-8 slugs, no scheme, country sub-domains, trailing slashes, query strings).
``Message`` is never read. ``InvitationsIn.csv`` / ``InvitationsOut.csv`` (an owner's own
split by direction, seen in a 2021 upload) have the same header and the same reader.
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
    urls={"inviter_url": "inviterProfileUrl", "invitee_url": "inviteeProfileUrl"},  # 2024+
    urns={"inviter_urn": "inviterProfileUrn", "invitee_urn": "inviteeProfileUrn"},  # Jul 2023
)


def read_invitations(text: str, source_file: str) -> Parsed:
    """Invitations.csv (or InvitationsIn/Out.csv): 5 columns, or 7 with URNs or URLs."""
    return table.read(text, source_file, LAYOUT)
