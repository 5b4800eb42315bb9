"""transforms/sources/vcard.py on the hand-written address books of tests/fixtures/contacts
(vCard 2.1 quoted-printable, Google's 3.0 with grouped properties and folded lines, Apple's
4.0), with the values read off the files by hand."""

from __future__ import annotations

import tarfile
from pathlib import Path

from transforms.sources.vcard import read_vcards

CONTACTS = Path(__file__).resolve().parents[1] / "fixtures" / "contacts"
COLUMNS = (
    "location",
    "address_book",
    "version",
    "formatted_name",
    "given_name",
    "family_name",
    "nickname",
    "organization",
    "emails",
    "phones",
    "profile_urls",
)


def cards(parsed) -> list[tuple]:
    return parsed.tables["stg_vcard_cards"].select(COLUMNS).rows()


def test_google_contacts_grouped_folded_and_without_address():
    parsed = read_vcards(CONTACTS / "My Contacts.vcf")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (5, 5, 0)
    assert cards(parsed) == [
        # item1.EMAIL / item2.EMAIL: Apple-style groups; ORG keeps its first part
        ("line 1", "My Contacts", "3.0", "Ada Lovelace", "Ada", "Lovelace", "Addie",
         "Analytical Engines Ltd", ["ada@example.com", "ada.lovelace@home.example.org"],
         ["+44 20 7946 0000"], []),
        # a LinkedIn profile in X-SOCIALPROFILE, canonical
        ("line 16", "My Contacts", "3.0", "Robert Byrne", "Robert", "Byrne", "Bob", None,
         ["bob@example.org", "bobby.byrne@mail.example.net"], [],
         ["https://www.linkedin.com/in/robert-byrne-42"]),
        # no address: a name and a phone only
        ("line 26", "My Contacts", "3.0", "Plumber Pete", "Pete", None, None, None, [],
         ["+1 555 0100"], []),
        ("line 33", "My Contacts", "3.0", "Sam Shared", None, None, None, None,
         ["family@example.net", "sam@example.net"], [], []),
        ("line 40", "My Contacts", "3.0", "Sky Shared", None, None, None, None,
         ["family@example.net", "sky@example.net"], [], []),
    ]  # fmt: skip


def test_the_same_card_in_two_groups_has_one_key():
    mine = read_vcards(CONTACTS / "My Contacts.vcf").tables["stg_vcard_cards"]
    starred = read_vcards(CONTACTS / "Starred.vcf").tables["stg_vcard_cards"]
    assert starred["address_book"].to_list() == ["Starred"]
    assert starred["card_key"].to_list() == mine["card_key"][:1].to_list()
    assert mine["card_key"].n_unique() == 5


def test_vcard_4_uid_uri_phone_and_url():
    parsed = read_vcards(CONTACTS / "apple_v4.vcf")
    assert cards(parsed) == [
        ("line 1", "apple_v4", "4.0", "Cara Cole", "Cara", "Cole", None, None,
         ["cara@example.com", "CARA.COLE@Example.NET"], ["+1-555-0199"],
         ["https://www.linkedin.com/in/caracole"]),
    ]  # fmt: skip
    assert parsed.tables["stg_vcard_cards"]["card_key"].to_list() == [
        "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    ]


def test_vcard_21_quoted_printable_charsets_soft_breaks_and_a_bad_line():
    parsed = read_vcards(CONTACTS / "phone_v21_quoted_printable.vcf")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 2, 0)
    assert cards(parsed) == [
        # N in ISO-8859-1 (=E9), FN in UTF-8 (=C3=A9) with a soft line break inside "Dorr"
        ("line 1", "phone_v21_quoted_printable", "2.1", "Dané Dorr", "Dané", "Dorr", None,
         None, ["dan@example.com", "dan.dorr@example.org"], ["+33612345678"], []),
        ("line 11", "phone_v21_quoted_printable", "2.1", "Mo Maas", None, None, None, None,
         ["not-an-address", "mo@example.org"], [], []),
    ]  # fmt: skip
    assert parsed.rejects.select("location", "reason").rows() == [
        ("line 1", "1 unreadable line(s) skipped"),
        ("line 11", "1 invalid e-mail address(es) on the card"),
    ]


def test_unreadable_card_is_refused_and_the_rest_kept(tmp_path):
    path = tmp_path / "mixed.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Good\nEMAIL:good@example.com\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nBEGIN:VCARD\nEND:VCARD\n"
    )
    parsed = read_vcards(path)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 1, 1)
    assert parsed.tables["stg_vcard_cards"]["formatted_name"].to_list() == ["Good"]
    assert parsed.rejects.select("location", "reason").rows() == [("line 6", "unreadable card")]


def test_utf16_windows_export(tmp_path):
    path = tmp_path / "outlook.vcf"
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Zhu\r\nEMAIL:zoe@example.com\r\nEND:VCARD\r\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert read_vcards(path).tables["stg_vcard_cards"]["formatted_name"].to_list() == ["Zoë Zhu"]


def test_takeout_tgz_members(tmp_path):
    archive = tmp_path / "takeout.tgz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(CONTACTS / "My Contacts.vcf", "Takeout/Contacts/My Contacts/My Contacts.vcf")
        tf.add(CONTACTS / "Starred.vcf", "Takeout/Contacts/Starred/Starred.vcf")
    parsed = read_vcards(archive)
    frame = parsed.tables["stg_vcard_cards"]
    assert (parsed.rows_in, parsed.rows_loaded) == (6, 6)
    assert frame["address_book"].unique(maintain_order=True).to_list() == [
        "My Contacts",
        "Starred",
    ]
    assert frame["location"][-1] == "Takeout/Contacts/Starred/Starred.vcf line 1"
