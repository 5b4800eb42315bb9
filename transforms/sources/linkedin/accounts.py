"""Files of another account in one upload: an invitations file whose owner is not the
export's, set aside before it can make a second owner.

One real 2021 upload held the owner's ``InvitationsIn.csv`` / ``InvitationsOut.csv`` and an
``Invitations.csv`` from another account (a course sample: another person as the inviter
on every OUTGOING row). Each invitations file implies its owner's name: the ``From`` of its
OUTGOING rows and the ``To`` of its INCOMING ones (present in every layout). When the files
of one export disagree, the files agreeing with Profile.csv's name are the export's (else
the most files, then the most rows); the others are refused whole as `FOREIGN`, so no quirk
of one file adds an owner.
"""

from __future__ import annotations

from collections import Counter

import polars as pl

from transforms.rejects import Parsed, whole_file
from transforms.resolve.keys import name_key

FOREIGN = "invitations of another account (its owner is not this export's), not read"
_TABLE = "stg_linkedin_invitations"


def implied_owner(frame: pl.DataFrame) -> str | None:
    """The name key of the owner an invitations frame implies (the most frequent OUTGOING
    From / INCOMING To), or None for a file without such rows."""
    names = (
        frame.filter(pl.col("direction") == "OUTGOING")["from_name"].to_list()
        + frame.filter(pl.col("direction") == "INCOMING")["to_name"].to_list()
    )
    counts = Counter(k for n in names if (k := name_key(n)))
    return counts.most_common(1)[0][0] if counts else None


def set_aside_foreign(results: list[Parsed], profile_name: str | None) -> list[Parsed]:
    """`results` with every invitations file of another account refused whole."""
    groups: dict[str, list[int]] = {}
    for i, parsed in enumerate(results):
        frame = parsed.tables.get(_TABLE)
        if frame is not None and (owner := implied_owner(frame)) is not None:
            groups.setdefault(owner, []).append(i)
    if len(groups) < 2:
        return results
    wanted = name_key(profile_name)

    def rank(owner: str) -> tuple[bool, int, int, str]:
        files = groups[owner]
        return (owner == wanted, len(files), sum(results[i].rows_in for i in files), owner)

    keep = max(groups, key=rank)
    out = list(results)
    for owner, files in groups.items():
        if owner != keep:
            for i in files:
                out[i] = whole_file(out[i].source_file, FOREIGN, out[i].kind, out[i].rows_in)
    return out
