"""Invitations of another account in one upload (accounts.py): set aside, one owner left."""

from __future__ import annotations

import polars as pl

from tests.sources.linkedin.support import FIX
from transforms import schemas
from transforms.rejects import Parsed
from transforms.sources.linkedin.accounts import FOREIGN, implied_owner, set_aside_foreign
from transforms.sources.linkedin.registry import read_linkedin_export


def test_another_accounts_invitations_beside_the_owners_split_are_set_aside():
    results = read_linkedin_export(FIX / "upload_foreign_invitations")
    assert all(r.balanced for r in results)
    by_name = {r.source_file.rsplit("/", 1)[-1]: r for r in results}
    foreign = by_name["Invitations.csv"]
    assert (foreign.skipped_reason, foreign.rows_in, foreign.rows_rejected) == (FOREIGN, 3, 3)
    assert by_name["InvitationsIn.csv"].rows_loaded == 2
    assert by_name["InvitationsOut.csv"].rows_loaded == 1
    # "Invitations.csv" is not reported missing: the split files stand for it
    assert not [r for r in results if r.skipped_reason == "not in this export"
                and r.source_file.endswith("Invitations.csv")]  # fmt: skip


def _invitations(name: str, rows: list[tuple[str, str, str]]) -> Parsed:
    frame = schemas.conform(
        pl.DataFrame(rows, schema=["from_name", "to_name", "direction"], orient="row"),
        schemas.STG_LINKEDIN_INVITATIONS,
    )
    return Parsed(name, "linkedin:Invitations.csv", len(rows), len(rows), 0,
                  {"stg_linkedin_invitations": frame})  # fmt: skip


def test_without_profile_the_most_files_win_and_names_decide():
    mine = _invitations("In.csv", [("Ines Duarte", "Pat  Owner", "INCOMING")])
    mine_too = _invitations("Out.csv", [("PAT OWNER", "Zed Fox", "OUTGOING")])
    theirs = _invitations("Invitations.csv", [("Sam Course", "Test User", "OUTGOING")] * 5)
    assert implied_owner(mine.tables["stg_linkedin_invitations"]) == "pat owner"
    out = set_aside_foreign([theirs, mine, mine_too], profile_name=None)
    assert [p.skipped_reason for p in out] == [FOREIGN, None, None]
    # Profile.csv's name outweighs the number of files
    out = set_aside_foreign([theirs, mine, mine_too], profile_name="Sam Course")
    assert [p.skipped_reason for p in out] == [None, FOREIGN, FOREIGN]
    # one owner throughout: nothing is set aside
    assert set_aside_foreign([mine, mine_too], None) == [mine, mine_too]
