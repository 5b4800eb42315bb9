"""The registry (registry.py): file names to readers, whole exports, missing files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.sources.linkedin.support import EXPORT, FIX, IN, base_name, by_kind, rows_of, zip_from
from transforms.sources.linkedin import registry
from transforms.sources.linkedin.archive import looks_like_linkedin_export, normalise_file_name
from transforms.sources.linkedin.messages import read_messages
from transforms.sources.linkedin.owner import read_email_addresses
from transforms.sources.linkedin.registry import IGNORED, MISSING, READERS, read_linkedin_export


def test_registry_names_are_case_space_underscore_insensitive():
    assert READERS[normalise_file_name("Messages.csv")].read is read_messages
    assert READERS[normalise_file_name("messages.csv")].read is read_messages
    assert READERS[normalise_file_name("Email_Addresses.csv")].read is read_email_addresses
    assert READERS[normalise_file_name("email addresses.CSV")].table == "stg_owner_identities"
    assistant = READERS[normalise_file_name("Guide_Messages.csv")]
    assert assistant.table == "stg_linkedin_assistant_messages"  # never stg_linkedin_messages
    assert normalise_file_name("Ad Targeting.csv") not in READERS
    assert normalise_file_name("Ad Targeting.csv") in IGNORED
    assert normalise_file_name("Comments_123456.csv") in IGNORED


def _check_export(results, expect_source):
    kinds = by_kind(results)
    conn = kinds["linkedin:Connections.csv"]  # BOM before the Notes: preamble
    (row,) = rows_of(conn, "stg_linkedin_connections")
    assert row["profile_url"] == IN + "ada-okafor-1a2b3c"
    assert row["location"] == "line 5"
    assert conn.source_file == expect_source("Connections.csv")
    msgs = kinds["linkedin:messages.csv"]  # mixed-case Messages.csv
    assert msgs.source_file == expect_source("Messages.csv")
    assert rows_of(msgs, "stg_linkedin_messages")[0]["direction_hint"] == "INCOMING"
    assert kinds["linkedin:Invitations.csv"].rows_loaded == 1
    assert rows_of(kinds["linkedin:Email Addresses.csv"], "stg_owner_identities")[0]["value"] == (
        "pat@example.org"
    )
    # absent files are fine, and each expected one is reported as missing (nothing read)
    missing = {base_name(p.source_file): p for p in results if p.skipped_reason == MISSING}
    assert sorted(missing) == [
        "Contacts.csv",
        "Endorsement_Given_Info.csv",
        "Endorsement_Received_Info.csv",
        "PhoneNumbers.csv",
        "Positions.csv",
        "Profile.csv",
        "Recommendations_Given.csv",
        "Recommendations_Received.csv",
    ]
    profile = missing["Profile.csv"]
    assert (profile.kind, profile.skipped_reason) == ("skipped", "not in this export")
    assert (profile.rows_in, profile.rows_loaded, profile.rows_rejected) == (0, 0, 0)
    assert profile.source_file == expect_source("Profile.csv")
    assert kinds["linkedin:Skills.csv"].skipped_reason == "known, not read"
    assert kinds["linkedin:Saved Jobs.csv"].skipped_reason == "known, not read"
    unknown = kinds["linkedin:Mystery_Future_File.csv"]
    assert (unknown.skipped_reason, unknown.rows_in) == ("unknown file, not read", 0)
    assert all(p.balanced for p in results)
    assert len(results) == 7 + 8


def test_read_folder_nested_one_level(tmp_path):
    outer = EXPORT.parent
    assert looks_like_linkedin_export(outer)
    assert looks_like_linkedin_export(EXPORT)
    results = read_linkedin_export(outer)
    _check_export(results, lambda rel: str(EXPORT / rel))


def test_read_zip_files_at_root(tmp_path):
    zpath = zip_from(EXPORT, tmp_path / "Basic_LinkedInDataExport_01-02-2026.zip")
    assert looks_like_linkedin_export(zpath)
    _check_export(read_linkedin_export(zpath), lambda rel: f"{zpath}!{rel}")


def test_read_zip_nested_folder_detected_by_magic_not_name(tmp_path):
    zpath = zip_from(EXPORT, tmp_path / "export (1).download", prefix="Basic_Export/")
    assert looks_like_linkedin_export(zpath)
    _check_export(read_linkedin_export(zpath), lambda rel: f"{zpath}!Basic_Export/{rel}")


EXPORT_2018 = FIX / "export_2018_spaced_names"


def test_export_2018_file_names_with_spaces_route_to_readers():
    results = read_linkedin_export(EXPORT_2018)
    assert all(p.balanced for p in results)
    read = {Path(p.source_file).name: p for p in results if p.skipped_reason is None}
    assert sorted(read) == [
        "Connections.csv",
        "Imported Contacts.csv",
        "Phone Numbers.csv",
        "Recommendations Given.csv",
    ]
    (omar,) = rows_of(read["Recommendations Given.csv"], "stg_linkedin_recommendations")
    assert (omar["direction"], omar["full_name"], omar["job_title"]) == (
        "given",
        "Omar Haddad",
        "VP, Sales",
    )
    assert omar["created_at"] == datetime(2018, 6, 2, 16, 45, tzinfo=UTC)
    (phone,) = rows_of(read["Phone Numbers.csv"], "stg_owner_identities")
    assert (phone["kind"], phone["value"]) == ("phone", "+49 30 1234567")
    (lena,) = rows_of(read["Imported Contacts.csv"], "stg_linkedin_contacts")
    assert (lena["source"], lena["full_name"], lena["emails"]) == (
        None,
        "Lena Berg",
        ["lena.berg@example.org"],
    )
    assert lena["created_at"] == datetime(2018, 1, 8, 18, 14, tzinfo=UTC)
    missing = {base_name(p.source_file) for p in results if p.skipped_reason == MISSING}
    assert missing == {
        n
        for n in (
            "messages.csv",
            "Invitations.csv",
            "Profile.csv",
            "Email Addresses.csv",
            "Endorsement_Given_Info.csv",
            "Endorsement_Received_Info.csv",
            "Recommendations_Received.csv",
            "Positions.csv",
        )
    }
    assert len(results) == 4 + 8


def test_single_csv_reports_nothing_missing():
    results = read_linkedin_export(FIX / "positions_current_role_bad_date.csv")
    assert [p.skipped_reason for p in results] == ["unknown file, not read"]


def test_a_layout_no_reader_knows_is_reported_and_the_rest_loads(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    (export / "Connections.csv").write_bytes((EXPORT / "Connections.csv").read_bytes())
    # a header naming one column the reader knows (DATE), so its columns are listed
    (export / "messages.csv").write_text("SPEAKER,DATE,WORDS\nPat,today,hello\n")
    results = read_linkedin_export(export)
    kinds = by_kind(results)
    msgs = kinds["linkedin:messages.csv"]
    assert msgs.skipped_reason == "unknown layout: speaker, date, words; needs 'FROM'"
    assert (msgs.rows_in, msgs.rows_loaded, msgs.rows_rejected) == (1, 0, 1)
    assert kinds["linkedin:Connections.csv"].rows_loaded == 1


def test_a_reader_failing_on_one_file_refuses_that_file_only(tmp_path, monkeypatch):
    def broken(text, source_file):
        raise MemoryError("no")

    key = normalise_file_name("messages.csv")
    monkeypatch.setitem(registry.READERS, key, registry.READERS[key]._replace(read=broken))
    results = read_linkedin_export(EXPORT)
    kinds = by_kind(results)
    assert kinds["linkedin:messages.csv"].skipped_reason == "unreadable (MemoryError)"
    assert kinds["linkedin:Connections.csv"].rows_loaded == 1
    assert all(p.balanced for p in results)
