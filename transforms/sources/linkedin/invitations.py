"""Invitations.csv → stg_linkedin_invitations."""

from __future__ import annotations

from transforms import schemas
from transforms.rejects import Parsed
from transforms.sources.linkedin.table import (
    as_written,
    canonical_url,
    dated_records,
    finish,
    location_of,
    prepare,
    trimmed,
)


def read_invitations(text: str, source_file: str) -> Parsed:
    """Invitations.csv, 5-column (≤ 2023) or 7-column (with inviter/invitee URLs)."""
    canonical = "Invitations.csv"
    cols, rows, failed = prepare(
        text, source_file, canonical, ["From", "To", "Sent At", "Direction"]
    )
    if failed:
        return failed
    assert cols is not None
    frm, to, sent, direction, inviter, invitee = (
        cols.getter(c)
        for c in ("From", "To", "Sent At", "Direction", "inviterProfileUrl", "inviteeProfileUrl")
    )
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_INVITATIONS.names()}
    rejects: list[tuple[str, str]] = []
    for rec, row, when in dated_records(rows, sent, "Sent At", rejects):
        out["source_file"].append(source_file)
        out["location"].append(location_of(rec))
        out["from_name"].append(as_written(frm(row)))
        out["to_name"].append(as_written(to(row)))
        out["sent_at"].append(when)
        out["direction"].append(trimmed(direction(row)))
        out["inviter_url"].append(canonical_url(inviter(row)))
        out["invitee_url"].append(canonical_url(invitee(row)))
    return finish(
        source_file,
        canonical,
        "stg_linkedin_invitations",
        schemas.STG_LINKEDIN_INVITATIONS,
        out,
        len(rows),
        rejects,
    )
