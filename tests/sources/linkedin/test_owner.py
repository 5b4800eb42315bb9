"""The owner's own files (owner.py): Profile, Email Addresses, Phone Numbers."""

from __future__ import annotations

from tests.sources.linkedin.support import FIX, read_fixture, rows_of
from transforms.sources.linkedin.owner import read_email_addresses, read_phone_numbers, read_profile


def test_profile_gives_owner_name():
    parsed = read_fixture(read_profile, "profile_2020.csv")
    assert rows_of(parsed, "stg_owner_identities") == [
        {
            "source_file": str(FIX / "profile_2020.csv"),
            "location": "line 2",
            "kind": "name",
            "value": "Pat Owner",
        }
    ]


def test_email_addresses_give_owner_emails():
    parsed = read_fixture(read_email_addresses, "email_addresses.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (3, 2, 1)
    rows = rows_of(parsed, "stg_owner_identities")
    assert [(r["kind"], r["value"], r["location"]) for r in rows] == [
        ("email", "Pat.Owner@Example.com", "line 2"),
        ("email", "pat@example.org", "line 4"),
    ]
    assert parsed.rejects["reason"].to_list() == ["empty Email Address"]


def test_phone_numbers_owner_identities_with_extension_and_empty_row():
    parsed = read_fixture(read_phone_numbers, "phone_numbers_empty_row.csv")
    assert parsed.kind == "linkedin:PhoneNumbers.csv"
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (3, 2, 1)
    assert parsed.tables["stg_owner_identities"].select("location", "kind", "value").rows() == [
        ("line 2", "phone", "(999)-999-9999"),
        ("line 3", "phone", "+99 99999 99999 ext 12"),  # leading space in the file
    ]
    assert parsed.rejects.select("location", "reason").rows() == [("line 4", "empty Number")]
