"""Endorsements and recommendations (favours.py), given and received."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.linkedin.support import FIX, IN, read_fixture, rows_of
from transforms.sources.linkedin.favours import (
    read_endorsements_given,
    read_endorsements_received,
    read_recommendations_given,
    read_recommendations_received,
)


def test_endorsements_received_scheme_less_urls_and_bad_date():
    parsed = read_fixture(
        read_endorsements_received, "endorsement_received_info_scheme_less_urls_bad_date.csv"
    )
    assert parsed.kind == "linkedin:Endorsement_Received_Info.csv"
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 3, 1)
    ada, khushi, pat = rows_of(parsed, "stg_linkedin_endorsements")
    assert ada == {
        "source_file": str(FIX / "endorsement_received_info_scheme_less_urls_bad_date.csv"),
        "location": "line 2",
        "direction": "received",
        "endorsed_at": datetime(2022, 4, 1, 11, 5, 54, tzinfo=UTC),
        "first_name": "Ada",
        "last_name": "Okafor, PhD",
        "full_name": "Ada Okafor, PhD",
        "profile_url": IN + "ada-okafor-1a2b3c",  # no scheme, mixed case in the file
        "skill": "Data Engineering",
        "status": "ACCEPTED",
    }
    # percent-encoded Mathematical-bold slug decoded, trailing slash dropped; quoted skill
    assert khushi["profile_url"] == IN + "khushi-𝕁-1a4"
    assert khushi["last_name"] == "𝕁𝕙𝕒"
    assert khushi["skill"] == "Python, SQL"
    assert khushi["endorsed_at"] == datetime(2023, 1, 15, 8, tzinfo=UTC)
    assert (pat["profile_url"], pat["status"]) == (None, "PENDING")
    assert pat["endorsed_at"] == datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC)
    assert parsed.rejects.to_dicts() == [
        {
            "source_file": ada["source_file"],
            "location": "line 4",
            "reason": "unparseable Endorsement Date '2023/13/01 00:00:00 UTC'",
        }
    ]


def test_endorsements_given_2021_without_url_column_crlf():
    parsed = read_fixture(read_endorsements_given, "endorsement_given_info_2021_no_url_crlf.csv")
    (ben,) = rows_of(parsed, "stg_linkedin_endorsements")
    assert ben["direction"] == "given"
    assert (ben["first_name"], ben["last_name"], ben["full_name"]) == ("Ben", "Tran  ", "Ben Tran")
    assert ben["profile_url"] is None
    assert ben["skill"] == "Project Management"
    assert ben["endorsed_at"] == datetime(2021, 6, 17, 9, 30, tzinfo=UTC)


def test_endorsements_missing_date_column_rejects_whole_file():
    text = "Skill Name,Endorser First Name\nSQL,Ada\nPython,Ben\n"
    parsed = read_endorsements_received(text, "/t/Endorsement_Received_Info.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 0, 2)
    assert parsed.rejects["reason"].to_list() == [
        "unknown layout: skill name, endorser first name; needs 'Endorsement Date'"
    ]


def test_recommendations_received_multiline_text_never_stored():
    name = "recommendations_received_multiline_text_bad_date.csv"
    parsed = read_fixture(read_recommendations_received, name)
    assert parsed.kind == "linkedin:Recommendations_Received.csv"
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 3, 1)
    ada, robert, dana = rows_of(parsed, "stg_linkedin_recommendations")
    assert ada == {
        "source_file": str(FIX / name),
        "location": "line 2",  # its Text runs over lines 2-3
        "direction": "received",
        "created_at": datetime(2025, 5, 4, 15, 30, tzinfo=UTC),
        "first_name": "Ada",
        "last_name": "Okafor, PhD",
        "full_name": "Ada Okafor, PhD",
        "company": "Acme, Inc.",
        "job_title": "Lead Engineer",
        "status": "VISIBLE",
    }
    assert robert["location"] == "line 4"
    assert (robert["company"], robert["job_title"], robert["status"]) == (None, "Analyst", "HIDDEN")
    assert robert["created_at"] == datetime(2019, 11, 20, 9, 5, tzinfo=UTC)
    assert (dana["location"], dana["status"]) == ("line 6", None)
    assert dana["created_at"] == datetime(2024, 3, 1, 13, tzinfo=UTC)
    assert parsed.rejects.select("location", "reason").rows() == [
        ("line 5", "unparseable Creation Date '2/30/24, 1:00 PM'")
    ]
    stored = repr(parsed.tables["stg_linkedin_recommendations"].rows())
    assert "ships" not in stored and "Solid analyst" not in stored


def test_recommendations_2024_zero_padded_date_and_empty_status():
    parsed = read_fixture(read_recommendations_given, "recommendations_given_2024_zero_padded.csv")
    (omar,) = rows_of(parsed, "stg_linkedin_recommendations")
    assert (omar["full_name"], omar["job_title"], omar["status"]) == (
        "Omar Haddad",
        "VP, Sales",
        None,
    )
    assert omar["created_at"] == datetime(2024, 4, 8, 19, 15, tzinfo=UTC)
