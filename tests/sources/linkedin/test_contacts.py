"""Imported address-book contacts (contacts.py): 2018 and 2024 headers."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.linkedin.support import read_fixture, rows_of
from transforms.sources.linkedin.contacts import read_contacts


def test_contacts_2024_several_emails_and_phones_in_one_field():
    parsed = read_fixture(read_contacts, "contacts_2024_multi_emails.csv")
    assert parsed.kind == "linkedin:Contacts.csv"
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (5, 3, 2)
    ada, phone_only, jonas = rows_of(parsed, "stg_linkedin_contacts")
    assert ada["source"] == "MOBILE_CONTACTS"
    assert (ada["first_name"], ada["last_name"], ada["full_name"]) == ("Ada", None, "Ada")
    assert ada["emails"] == ["ada@acme.example.com", "Ada.Okafor@Example.org"]
    assert ada["phones"] == ["+1 555 0100", "+1 555 0101"]
    assert ada["created_at"] == datetime(2024, 3, 12, 11, 20, tzinfo=UTC)
    assert (phone_only["full_name"], phone_only["emails"]) == (None, [])
    assert phone_only["phones"] == ["+44 20 7946 0000"]
    assert (jonas["source"], jonas["full_name"]) == ("GMAIL", "Jonas Weber")  # no FullName
    assert (jonas["emails"], jonas["phones"]) == (["jonas@initech.example.com"], [])
    assert parsed.rejects.select("location", "reason").rows() == [
        ("line 5", "no name, e-mail or phone"),
        ("line 6", "unparseable CreatedAt '13/45/24, 1:00 PM'"),
    ]


def test_contacts_without_an_email_column_rejects_whole_file():
    parsed = read_contacts("Source,FirstName\nGMAIL,Ada\n", "/t/ImportedContacts.csv")
    assert (parsed.rows_in, parsed.rows_rejected) == (1, 1)
    assert parsed.rejects["reason"].to_list() == [
        "unknown layout: source, firstname; needs 'Emails'"
    ]


def test_contacts_null_companies_and_one_number_in_two_spellings():
    parsed = read_fixture(read_contacts, "contacts_2022_null_companies_phone_twice.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 2, 0)
    ravi, nameless = rows_of(parsed, "stg_linkedin_contacts")
    assert (ravi["full_name"], ravi["source"], ravi["phones"]) == (
        "Ravi",
        "GOOGLE_CONTACTS",
        ["+91 98765 43210"],  # " +91 98765 43210, +919876543210" is one number
    )
    assert (nameless["full_name"], nameless["emails"], nameless["phones"]) == (
        None,
        ["a@example.org"],
        [],
    )
