"""Invitations.csv (invitations.py): both generations, URLs canonicalised."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.linkedin.support import IN, read_fixture, rows_of
from transforms.sources.linkedin.invitations import read_invitations


def test_invitations_5col_incoming_outgoing():
    parsed = read_fixture(read_invitations, "invitations_5col_2020.csv")
    a, b = rows_of(parsed, "stg_linkedin_invitations")
    assert (a["from_name"], a["to_name"], a["direction"]) == ("Lena Berg", "Pat Owner", "INCOMING")
    assert a["sent_at"] == datetime(2020, 2, 27, 1, 15, tzinfo=UTC)
    assert (a["inviter_url"], a["invitee_url"]) == (None, None)
    assert b["direction"] == "OUTGOING"
    assert b["sent_at"] == datetime(2020, 3, 7, 13, 7, tzinfo=UTC)


def test_invitations_7col_urls_canonicalised_and_namesakes_kept_apart():
    parsed = read_fixture(read_invitations, "invitations_7col_urls_raw_slug_hand_typed.csv")
    a, b, c = rows_of(parsed, "stg_linkedin_invitations")
    assert a["inviter_url"] == IN + "mei-李-9f8e7d"
    assert a["invitee_url"] == IN + "pat-owner-77"
    assert a["sent_at"] == datetime(2026, 3, 7, 13, 7, tzinfo=UTC)
    assert b["invitee_url"] == IN + "robert-chen-nyc"  # no scheme, trailing slash, query
    assert b["sent_at"] == datetime(2025, 12, 1, 0, 5, tzinfo=UTC)
    assert c["invitee_url"] == IN + "robert-chen-sf"  # country sub-domain, trailing slash
    assert c["sent_at"] == datetime(2025, 11, 30, 21, 0, tzinfo=UTC)
    assert b["to_name"] == c["to_name"] == "Robert Chen"
    assert [r["location"] for r in (a, b, c)] == ["line 2", "line 3", "line 4"]


def test_invitations_jul_2023_member_urns_kept_apart_from_urls():
    parsed = read_fixture(read_invitations, "invitations_7col_urns_2023.csv")
    assert parsed.rows_loaded == 3
    rows = rows_of(parsed, "stg_linkedin_invitations")
    assert [(r["inviter_urn"], r["invitee_urn"], r["inviter_url"]) for r in rows] == [
        ("urn:li:member:100200300", "urn:li:member:555666777", None),
        ("urn:li:member:777888999", "urn:li:member:100200300", None),  # "URN:" folded
        ("urn:li:member:100200300", None, None),  # not a URN: nothing, never a URL
    ]
    assert rows[1]["sent_at"] == datetime(2023, 6, 2, 18, 0, tzinfo=UTC)
