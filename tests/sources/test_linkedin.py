"""LinkedIn export reader: one fixture per format quirk, values worked out by hand."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.sources.linkedin import (
    IGNORED,
    MISSING,
    READERS,
    archive,
    decode_bytes,
    looks_like_linkedin_export,
    normalise_file_name,
    parse_linkedin_datetime,
    read_connections,
    read_contacts,
    read_email_addresses,
    read_endorsements_given,
    read_endorsements_received,
    read_invitations,
    read_linkedin_export,
    read_messages,
    read_phone_numbers,
    read_positions,
    read_profile,
    read_recommendations_given,
    read_recommendations_received,
)

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "linkedin"
EXPORT = FIX / "export_nested" / "Basic_LinkedInDataExport_01-02-2026"
IN = "https://www.linkedin.com/in/"


def _read(reader, name: str):
    path = FIX / name
    parsed = reader(decode_bytes(path.read_bytes()), str(path))
    assert parsed.balanced
    return parsed


def _rows(parsed, table: str) -> list[dict]:
    return parsed.tables[table].to_dicts()


def _conn(name: str):
    parsed = _read(read_connections, name)
    return parsed, _rows(parsed, "stg_linkedin_connections")


def _msgs(name: str):
    parsed = _read(read_messages, name)
    return parsed, _rows(parsed, "stg_linkedin_messages")


# -- Connections.csv ------------------------------------------------------------------------


def test_connections_preamble_7col_quoted_hidden_no_final_newline():
    name = "connections_notes_preamble_7col_quoted_hidden_no_final_newline.csv"
    assert not (FIX / name).read_bytes().endswith(b"\n")
    parsed, rows = _conn(name)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 4, 0)
    assert parsed.kind == "linkedin:Connections.csv"
    assert [r["location"] for r in rows] == ["line 5", "line 6", "line 7", "line 8"]
    ada, hidden, mei, tomas = rows
    assert ada["first_name"] == "Ada"
    assert ada["last_name"] == "Okafor, PhD"
    assert ada["full_name"] == "Ada Okafor, PhD"
    assert ada["profile_url"] == IN + "ada-okafor-1a2b3c"
    assert ada["email"] is None
    assert ada["company"] == "Acme, Inc."
    assert ada["position"] == 'Lead "Platform" Engineer'
    assert ada["connected_at"] == datetime(2014, 2, 5, tzinfo=UTC)
    # hidden profile: loaded, no identity
    assert hidden["connected_at"] == datetime(2023, 9, 3, tzinfo=UTC)
    for col in ("first_name", "last_name", "full_name", "profile_url", "email", "company"):
        assert hidden[col] is None
    # percent-encoded CJK slug decoded; single-space position → null; email as written
    assert mei["profile_url"] == IN + "mei-李-9f8e7d"
    assert mei["email"] == "Mei.Li@Example.com"
    assert mei["position"] is None
    assert mei["connected_at"] == datetime(2021, 6, 17, tzinfo=UTC)
    # mixed-case slug folded
    assert tomas["profile_url"] == IN + "tomas-novak-42"
    assert tomas["connected_at"] == datetime(2023, 12, 1, tzinfo=UTC)


def test_connections_6col_no_url_pre2021():
    parsed, rows = _conn("connections_6col_no_url_pre2021.csv")
    assert (parsed.rows_in, parsed.rows_loaded) == (2, 2)
    first, second = rows
    assert first["location"] == "line 2"
    assert first["full_name"] == "Robert Chen"
    assert first["profile_url"] is None
    assert first["company"] == "Initech"
    assert first["position"] == "Analyst"
    assert first["connected_at"] == datetime(2020, 3, 12, tzinfo=UTC)
    assert second["last_name"] == "Chen, CFA"
    assert second["full_name"] == "Robert Chen, CFA"
    assert second["email"] == "robert.chen@example.com"
    assert second["position"] is None
    assert second["connected_at"] == datetime(2019, 1, 2, tzinfo=UTC)


def test_connections_2018_us_dates_with_narrow_nbsp():
    parsed, rows = _conn("connections_2018_us_dates.csv")
    assert parsed.rows_loaded == 2
    assert rows[0]["connected_at"] == datetime(2018, 1, 8, 18, 14, tzinfo=UTC)
    assert rows[0]["email"] == "lena.berg@example.org"
    assert rows[1]["connected_at"] == datetime(2017, 12, 31, 11, 5, tzinfo=UTC)
    assert rows[1]["position"] == "VP, Sales"


def test_connections_blank_physical_lines_are_not_rows_crlf():
    parsed, rows = _conn("connections_blank_lines_crlf.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 2, 0)
    assert [r["location"] for r in rows] == ["line 3", "line 6"]
    assert rows[0]["profile_url"] == IN + "ines-duarte"
    assert rows[0]["connected_at"] == datetime(2022, 10, 10, tzinfo=UTC)
    assert rows[1]["full_name"] is None
    assert rows[1]["connected_at"] == datetime(2022, 10, 9, tzinfo=UTC)


def test_connections_unicode_names_and_spacing_kept_as_written():
    parsed, rows = _conn("connections_unicode_names_spacing.csv")
    assert parsed.rows_loaded == 4
    jose, jha, jian, mary = rows
    assert (jose["first_name"], jose["last_name"]) == ("José", "Guallar 🌐")
    assert jose["full_name"] == "José Guallar 🌐"
    assert jose["profile_url"] == IN + "josé-guallar-🌐"
    assert jose["company"] == "Café Ñandú ™"
    assert jha["first_name"] == "𝕁𝕙𝕒"
    assert jha["profile_url"] == IN + "khushi-𝕁𝕙𝕒-1a437028a"
    assert jian["last_name"] == "王 "
    assert jian["full_name"] == "健 王"
    assert mary["first_name"] == "Mary  Ann"
    assert mary["full_name"] == "Mary Ann OKONKWO"
    assert mary["connected_at"] == datetime(2024, 1, 17, tzinfo=UTC)


def test_connections_missing_required_column_rejects_whole_file():
    parsed = _read(read_connections, "connections_missing_connected_on_column.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 0, 2)
    assert parsed.rejects.to_dicts() == [
        {
            "source_file": str(FIX / "connections_missing_connected_on_column.csv"),
            "location": "file",
            "reason": "Connections.csv has no 'Connected On' column",
        }
    ]
    assert parsed.skipped_reason == "Connections.csv has no 'Connected On' column"


def test_connections_bad_date_row_rejected_with_raw_value():
    parsed, rows = _conn("connections_bad_date_row.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (3, 2, 1)
    assert parsed.rejects.select("location", "reason").to_dicts() == [
        {"location": "line 3", "reason": "unparseable Connected On '31 Foo 2020'"}
    ]
    assert rows[1]["connected_at"] == datetime(2020, 7, 4, tzinfo=UTC)  # ISO, defensively


def test_connections_header_without_preamble_and_unknown_column_ignored():
    text = "First Name,Extra,Last Name,Connected On\nAda,zzz,Okafor,05 Feb 2014\n"
    parsed = read_connections(text, "/t/Connections.csv")
    (row,) = _rows(parsed, "stg_linkedin_connections")
    assert (row["first_name"], row["last_name"]) == ("Ada", "Okafor")


def test_long_multiline_field_is_one_record():
    content = "word " * 40_000 + "\n" + "more " * 10_000  # 250 kB, past csv's default limit
    text = f'FROM,TO,DATE,CONTENT\nA,B,2023-01-01 00:00:00 UTC,"{content}"\nC,D,bad,x\n'
    parsed = read_messages(text, "/t/messages.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 1, 1)
    assert parsed.rejects["location"].to_list() == ["line 4"]


def test_connections_no_header_at_all_is_whole_file_reject():
    parsed = read_connections("hello,world\n1,2\n", "/t/Connections.csv")
    assert parsed.balanced and parsed.rows_loaded == 0
    assert "Connections.csv has no 'First Name' column" in parsed.rejects["reason"].to_list()


# -- messages.csv ---------------------------------------------------------------------------


def _key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def test_messages_2018_direction_and_folders():
    parsed, rows = _msgs("Messages_2018_direction_folders.csv")
    assert (parsed.rows_in, parsed.rows_loaded) == (3, 3)
    assert parsed.kind == "linkedin:messages.csv"
    a, b, c = rows
    assert a["from_name"] == "Dana Obi" and a["from_url"] is None
    assert a["to_names"] == "Pat Owner" and a["to_urls"] == []
    assert a["sent_at"] == datetime(2018, 3, 4, 9, 30, tzinfo=UTC)
    assert (a["folder"], a["direction_hint"]) == ("INBOX", "INCOMING")
    assert a["conversation_id"] is None
    assert (a["is_draft"], a["is_sponsored"], a["is_system"]) == (False, False, False)
    assert a["message_key"] == _key("", "Dana Obi", "3/4/18, 9:30 AM", "Pat Owner", "2")
    assert b["sent_at"] == datetime(2018, 3, 4, 22, 2, tzinfo=UTC)
    assert (b["folder"], b["direction_hint"]) == ("SENT", "OUTGOING")
    assert c["sent_at"] == datetime(2017, 11, 20, 8, 0, tzinfo=UTC)
    assert c["folder"] == "ARCHIVED"
    assert "content" not in parsed.tables["stg_linkedin_messages"].columns


def test_messages_9col_owner_as_sender_and_raw_slug():
    parsed, rows = _msgs("messages_9col_2021_owner_sender.csv")
    assert parsed.rows_loaded == 3
    owner, mei, recruiter = rows
    assert owner["conversation_id"] == "2-AAAconvOne=="
    assert owner["from_url"] == IN + "pat-owner-77"  # the owner is an ordinary sender
    assert owner["sent_at"] == datetime(2021, 6, 15, 16, 37, tzinfo=UTC)
    assert owner["to_urls"] == []
    assert owner["message_key"] == _key(
        "2-AAAconvOne==", IN + "pat-owner-77", "2021-06-15 16:37:00 UTC", "Mei Li", "2"
    )
    # raw UTF-8 slug here equals the percent-encoded one in Connections.csv
    assert mei["from_url"] == IN + "mei-李-9f8e7d"
    assert mei["sent_at"] == datetime(2021, 6, 15, 16, 30, 5, tzinfo=UTC)
    assert recruiter["conversation_title"] == "Hiring: Data role"
    assert recruiter["folder"] == "ARCHIVE"
    assert recruiter["location"] == "line 4"
    assert len({r["message_key"] for r in rows}) == 3


def test_messages_10col_group_conversation():
    parsed, rows = _msgs("messages_10col_group_conversation.csv")
    first, second = rows
    assert first["to_names"] == "Dana Obi, MBA,Lena Berg,Tomas Novak"
    assert first["to_urls"] == [IN + "dana-obi", IN + "lena-berg-5", IN + "tomas-novak-42"]
    assert first["conversation_title"] == "Weekend hike"
    assert first["sent_at"] == datetime(2023, 8, 12, 9, 15, tzinfo=UTC)
    assert second["from_url"] == IN + "dana-obi"
    assert second["to_urls"] == [IN + "pat-owner-77", IN + "lena-berg-5", IN + "tomas-novak-42"]


def test_messages_13col_attachments_and_draft_flags():
    parsed, rows = _msgs("messages_13col_attachments_drafts.csv")
    assert [r["is_draft"] for r in rows] == [True, False, True]
    assert [r["folder"] for r in rows] == [None, "INBOX", "INBOX"]
    assert rows[1]["to_urls"] == [IN + "pat-owner-77"]
    assert rows[2]["sent_at"] == datetime(2025, 2, 1, 12, 0, tzinfo=UTC)


def test_messages_2026_fully_quoted_multiline_lf_and_crlf():
    name = "messages_2026_fully_quoted_multiline_lf_crlf.csv"
    assert b"Windows\r\nbreak" in (FIX / name).read_bytes()
    parsed, rows = _msgs(name)
    assert (parsed.rows_in, parsed.rows_loaded) == (3, 3)
    assert [r["location"] for r in rows] == ["line 2", "line 6", "line 8"]
    assert rows[0]["from_url"] == IN + "lena-berg-5"
    assert rows[0]["to_urls"] == [IN + "pat-owner-77"]
    assert rows[0]["sent_at"] == datetime(2026, 3, 7, 13, 7, tzinfo=UTC)
    assert rows[0]["conversation_title"] is None
    assert rows[2]["folder"] is None


def test_messages_member_sponsored_system_staff_folders():
    parsed, rows = _msgs("messages_member_sponsored_system_staff_folders.csv")
    assert parsed.rows_loaded == 5
    member, sponsored, system, staff, campaign = rows
    assert (member["from_name"], member["from_url"]) == ("LinkedIn Member", None)
    assert (member["is_sponsored"], member["is_system"]) == (False, False)
    assert sponsored["is_sponsored"] is True and sponsored["folder"] == "SPAM"
    assert sponsored["conversation_title"] == "Sponsored Conversation"
    assert (system["is_system"], system["is_sponsored"]) == (True, False)
    assert (system["from_name"], system["to_names"], system["folder"]) == (None, None, None)
    assert staff["from_name"] == "Jill @ LinkedIn Learning "
    assert staff["is_sponsored"] is True and staff["folder"] == "ARCHIVE"
    assert campaign["is_sponsored"] is True  # %firstname% placeholder in content
    assert [r["folder"] for r in rows] == ["INBOX", "SPAM", None, "ARCHIVE", "INBOX"]


def test_messages_bad_date_row_rejected():
    parsed, rows = _msgs("messages_bad_date_row.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 1, 1)
    assert parsed.rejects.select("location", "reason").to_dicts() == [
        {"location": "line 3", "reason": "unparseable DATE 'yesterday-ish'"}
    ]
    assert rows[0]["sent_at"] == datetime(2023, 1, 1, tzinfo=UTC)


def test_messages_feb2020_upper_case_iso_without_zone():
    text = (
        "FROM,TO,DATE,SUBJECT,CONTENT,DIRECTION,FOLDER\n"
        "Ada Okafor,Pat Owner,2019-11-06T02:08:20,,hi,INCOMING,INBOX\n"
    )
    (row,) = _rows(read_messages(text, "/t/messages.csv"), "stg_linkedin_messages")
    assert row["sent_at"] == datetime(2019, 11, 6, 2, 8, 20, tzinfo=UTC)
    assert row["direction_hint"] == "INCOMING"


def test_messages_missing_date_column():
    parsed = read_messages("FROM,TO,SUBJECT\na,b,c\n", "/t/messages.csv")
    assert parsed.rejects["reason"].to_list() == ["messages.csv has no 'DATE' column"]
    assert (parsed.rows_in, parsed.rows_rejected) == (1, 1)


# -- Invitations.csv ------------------------------------------------------------------------


def test_invitations_5col_incoming_outgoing():
    parsed = _read(read_invitations, "invitations_5col_2020.csv")
    a, b = _rows(parsed, "stg_linkedin_invitations")
    assert (a["from_name"], a["to_name"], a["direction"]) == ("Lena Berg", "Pat Owner", "INCOMING")
    assert a["sent_at"] == datetime(2020, 2, 27, 1, 15, tzinfo=UTC)
    assert (a["inviter_url"], a["invitee_url"]) == (None, None)
    assert b["direction"] == "OUTGOING"
    assert b["sent_at"] == datetime(2020, 3, 7, 13, 7, tzinfo=UTC)


def test_invitations_7col_urls_canonicalised_and_namesakes_kept_apart():
    parsed = _read(read_invitations, "invitations_7col_urls_raw_slug_hand_typed.csv")
    a, b, c = _rows(parsed, "stg_linkedin_invitations")
    assert a["inviter_url"] == IN + "mei-李-9f8e7d"
    assert a["invitee_url"] == IN + "pat-owner-77"
    assert a["sent_at"] == datetime(2026, 3, 7, 13, 7, tzinfo=UTC)
    assert b["invitee_url"] == IN + "robert-chen-nyc"  # no scheme, trailing slash, query
    assert b["sent_at"] == datetime(2025, 12, 1, 0, 5, tzinfo=UTC)
    assert c["invitee_url"] == IN + "robert-chen-sf"  # country sub-domain, trailing slash
    assert c["sent_at"] == datetime(2025, 11, 30, 21, 0, tzinfo=UTC)
    assert b["to_name"] == c["to_name"] == "Robert Chen"
    assert [r["location"] for r in (a, b, c)] == ["line 2", "line 3", "line 4"]


# -- owner files ----------------------------------------------------------------------------


def test_profile_gives_owner_name():
    parsed = _read(read_profile, "profile_2020.csv")
    assert _rows(parsed, "stg_owner_identities") == [
        {
            "source_file": str(FIX / "profile_2020.csv"),
            "location": "line 2",
            "kind": "name",
            "value": "Pat Owner",
        }
    ]


def test_email_addresses_give_owner_emails():
    parsed = _read(read_email_addresses, "email_addresses.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (3, 2, 1)
    rows = _rows(parsed, "stg_owner_identities")
    assert [(r["kind"], r["value"], r["location"]) for r in rows] == [
        ("email", "Pat.Owner@Example.com", "line 2"),
        ("email", "pat@example.org", "line 4"),
    ]
    assert parsed.rejects["reason"].to_list() == ["empty Email Address"]


# -- decoding -------------------------------------------------------------------------------


def test_decode_bom_utf16_and_invalid_utf8():
    text = "First Name,Last Name,Connected On\nZoë,Ng,05 Feb 2014\n"
    for data in (
        b"\xef\xbb\xbf" + text.encode(),
        b"\xff\xfe" + text.encode("utf-16-le"),
    ):
        (row,) = _rows(read_connections(decode_bytes(data), "/t/C.csv"), "stg_linkedin_connections")
        assert row["first_name"] == "Zoë"
    bad = b"First Name,Last Name,Connected On\nZo\xff,Ng,05 Feb 2014\n"
    (row,) = _rows(read_connections(decode_bytes(bad), "/t/C.csv"), "stg_linkedin_connections")
    assert row["first_name"] == "Zo\ufffd"
    # a BOM left in the text itself is tolerated too
    (row,) = _rows(read_connections("\ufeff" + text, "/t/C.csv"), "stg_linkedin_connections")
    assert row["last_name"] == "Ng"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05 Feb 2014", datetime(2014, 2, 5, tzinfo=UTC)),
        ("1/8/18, 6:14 PM", datetime(2018, 1, 8, 18, 14, tzinfo=UTC)),
        ("1/8/18, 6:14\u00a0AM", datetime(2018, 1, 8, 6, 14, tzinfo=UTC)),
        ("12/1/18, 12:05 AM", datetime(2018, 12, 1, 0, 5, tzinfo=UTC)),
        ("3/4/18, 12:30 PM", datetime(2018, 3, 4, 12, 30, tzinfo=UTC)),
        ("2021-06-15 16:37:00 UTC", datetime(2021, 6, 15, 16, 37, tzinfo=UTC)),
        ("2019-11-06T02:08:20", datetime(2019, 11, 6, 2, 8, 20, tzinfo=UTC)),
        ("2019-11-06T02:08:20+02:00", datetime(2019, 11, 6, 0, 8, 20, tzinfo=UTC)),
        ("29-Feb-20", datetime(2020, 2, 29, tzinfo=UTC)),
        ("31 Foo 2020", None),
        ("30 Feb 2020", None),
        ("13/40/20, 1:00 PM", None),
        ("", None),
    ],
)
def test_parse_linkedin_datetime(raw, expected):
    assert parse_linkedin_datetime(raw) == expected


# -- registry, detection, zip/folder reading ------------------------------------------------


def test_registry_names_are_case_space_underscore_insensitive():
    assert READERS[normalise_file_name("Messages.csv")].read is read_messages
    assert READERS[normalise_file_name("messages.csv")].read is read_messages
    assert READERS[normalise_file_name("Email_Addresses.csv")].read is read_email_addresses
    assert READERS[normalise_file_name("email addresses.CSV")].table == "stg_owner_identities"
    assert normalise_file_name("guide_messages.csv") not in READERS
    assert normalise_file_name("Ad Targeting.csv") in IGNORED
    assert normalise_file_name("Comments_123456.csv") in IGNORED


def _zip_from(folder: Path, dest: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                zf.write(file, prefix + file.relative_to(folder).as_posix())
    return dest


def _base(source_file: str) -> str:
    """The file name of a folder path or a zip member ("x.zip!dir/Name.csv")."""
    return source_file.rsplit("!", 1)[-1].rsplit("/", 1)[-1]


def _by_kind(results):
    return {p.kind: p for p in results}


def _check_export(results, expect_source):
    kinds = _by_kind(results)
    conn = kinds["linkedin:Connections.csv"]  # BOM before the Notes: preamble
    (row,) = _rows(conn, "stg_linkedin_connections")
    assert row["profile_url"] == IN + "ada-okafor-1a2b3c"
    assert row["location"] == "line 5"
    assert conn.source_file == expect_source("Connections.csv")
    msgs = kinds["linkedin:messages.csv"]  # mixed-case Messages.csv
    assert msgs.source_file == expect_source("Messages.csv")
    assert _rows(msgs, "stg_linkedin_messages")[0]["direction_hint"] == "INCOMING"
    assert kinds["linkedin:Invitations.csv"].rows_loaded == 1
    assert _rows(kinds["linkedin:Email Addresses.csv"], "stg_owner_identities")[0]["value"] == (
        "pat@example.org"
    )
    # absent files are fine, and each expected one is reported as missing (nothing read)
    missing = {_base(p.source_file): p for p in results if p.skipped_reason == MISSING}
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
    zpath = _zip_from(EXPORT, tmp_path / "Basic_LinkedInDataExport_01-02-2026.zip")
    assert looks_like_linkedin_export(zpath)
    _check_export(read_linkedin_export(zpath), lambda rel: f"{zpath}!{rel}")


def test_read_zip_nested_folder_detected_by_magic_not_name(tmp_path):
    zpath = _zip_from(EXPORT, tmp_path / "export (1).download", prefix="Basic_Export/")
    assert looks_like_linkedin_export(zpath)
    _check_export(read_linkedin_export(zpath), lambda rel: f"{zpath}!Basic_Export/{rel}")


def test_not_an_export(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    assert not looks_like_linkedin_export(tmp_path)
    assert not looks_like_linkedin_export(tmp_path / "notes.txt")
    assert not looks_like_linkedin_export(tmp_path / "missing")
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK\x03\x04garbage")
    assert not looks_like_linkedin_export(fake)
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    shutil.copy(EXPORT / "Connections.csv", deep / "Connections.csv")
    assert not looks_like_linkedin_export(tmp_path)  # depth 4: too deep


def test_zip_member_over_size_limit_is_refused(tmp_path, monkeypatch):
    zpath = _zip_from(EXPORT, tmp_path / "x.zip")
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 100)
    conn = _by_kind(read_linkedin_export(zpath))["linkedin:Connections.csv"]
    assert conn.rows_loaded == 0 and conn.balanced
    assert conn.rejects["reason"].to_list()[0].startswith("zip member larger than")


# -- endorsements, recommendations, phones, positions, imported contacts -------------------


def test_endorsements_received_scheme_less_urls_and_bad_date():
    parsed = _read(
        read_endorsements_received, "endorsement_received_info_scheme_less_urls_bad_date.csv"
    )
    assert parsed.kind == "linkedin:Endorsement_Received_Info.csv"
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 3, 1)
    ada, khushi, pat = _rows(parsed, "stg_linkedin_endorsements")
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
    parsed = _read(read_endorsements_given, "endorsement_given_info_2021_no_url_crlf.csv")
    (ben,) = _rows(parsed, "stg_linkedin_endorsements")
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
        "Endorsement_Received_Info.csv has no 'Endorsement Date' column"
    ]


def test_recommendations_received_multiline_text_never_stored():
    name = "recommendations_received_multiline_text_bad_date.csv"
    parsed = _read(read_recommendations_received, name)
    assert parsed.kind == "linkedin:Recommendations_Received.csv"
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 3, 1)
    ada, robert, dana = _rows(parsed, "stg_linkedin_recommendations")
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


def test_phone_numbers_owner_identities_with_extension_and_empty_row():
    parsed = _read(read_phone_numbers, "phone_numbers_empty_row.csv")
    assert parsed.kind == "linkedin:PhoneNumbers.csv"
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (3, 2, 1)
    assert parsed.tables["stg_owner_identities"].select("location", "kind", "value").rows() == [
        ("line 2", "phone", "(999)-999-9999"),
        ("line 3", "phone", "+99 99999 99999 ext 12"),  # leading space in the file
    ]
    assert parsed.rejects.select("location", "reason").rows() == [("line 4", "empty Number")]


def test_positions_current_role_trimmed_company_and_bad_date():
    parsed = _read(read_positions, "positions_current_role_bad_date.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 3, 1)
    rows = parsed.tables["stg_linkedin_positions"].drop("source_file").rows()
    assert rows == [
        ("line 2", "Acme Analytics", "Data Engineer", "Berlin, Germany", date(2024, 1, 1), None),
        ("line 3", "Globex, Inc.", "Analyst", None, date(2019, 3, 1), date(2023, 12, 1)),
        ("line 4", "Initech", "Intern", None, date(2017, 1, 1), date(2018, 1, 1)),
    ]
    assert parsed.rejects.select("location", "reason").rows() == [
        ("line 5", "unparseable Started On 'Smarch 2016'")
    ]


def test_contacts_2024_several_emails_and_phones_in_one_field():
    parsed = _read(read_contacts, "contacts_2024_multi_emails.csv")
    assert parsed.kind == "linkedin:Contacts.csv"
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (5, 3, 2)
    ada, phone_only, jonas = _rows(parsed, "stg_linkedin_contacts")
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
    assert parsed.rejects["reason"].to_list() == ["ImportedContacts.csv has no 'Emails' column"]


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
    (omar,) = _rows(read["Recommendations Given.csv"], "stg_linkedin_recommendations")
    assert (omar["direction"], omar["full_name"], omar["job_title"]) == (
        "given",
        "Omar Haddad",
        "VP, Sales",
    )
    assert omar["created_at"] == datetime(2018, 6, 2, 16, 45, tzinfo=UTC)
    (phone,) = _rows(read["Phone Numbers.csv"], "stg_owner_identities")
    assert (phone["kind"], phone["value"]) == ("phone", "+49 30 1234567")
    (lena,) = _rows(read["Imported Contacts.csv"], "stg_linkedin_contacts")
    assert (lena["source"], lena["full_name"], lena["emails"]) == (
        None,
        "Lena Berg",
        ["lena.berg@example.org"],
    )
    assert lena["created_at"] == datetime(2018, 1, 8, 18, 14, tzinfo=UTC)
    missing = {_base(p.source_file) for p in results if p.skipped_reason == MISSING}
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


def test_zip_bomb_ratio_is_refused(tmp_path):
    zpath = tmp_path / "bomb.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        header = "First Name,Last Name,Connected On\n"
        zf.writestr("Connections.csv", header + "," * (4 * 1024 * 1024))
    (conn,) = [p for p in read_linkedin_export(zpath) if p.skipped_reason != MISSING]
    assert conn.rows_loaded == 0 and conn.balanced
    assert conn.rejects["reason"].to_list() == [
        "zip member compressed more than 200:1 (zip bomb?), refused"
    ]


def test_zip_total_uncompressed_budget(tmp_path, monkeypatch):
    zpath = _zip_from(EXPORT, tmp_path / "x.zip")
    with zipfile.ZipFile(zpath) as zf:
        first = zf.getinfo("Connections.csv").file_size
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", first)  # room for the first member only
    results = [p for p in read_linkedin_export(zpath) if p.kind != "skipped"]
    kinds = _by_kind(results)
    assert kinds["linkedin:Connections.csv"].rows_loaded == 1
    for later in ("Email Addresses.csv", "Invitations.csv", "messages.csv"):
        refused = kinds[f"linkedin:{later}"]
        assert refused.rows_loaded == 0
        assert refused.rejects["reason"].to_list() == ["zip larger than 0 MB uncompressed, refused"]


# -- property: never raises, always balanced ------------------------------------------------

_HEADERS = {
    read_connections: "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    read_messages: "CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,"
    "CONTENT\n",
    read_invitations: "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n",
    read_profile: "First Name,Last Name\n",
    read_email_addresses: "Email Address,Confirmed\n",
    read_phone_numbers: "Extension,Number,Type\n",
    read_endorsements_given: "Endorsement Date,Skill Name,Endorsee First Name,"
    "Endorsee Last Name,Endorsee Public Url,Endorsement Status\n",
    read_endorsements_received: "Endorsement Date,Skill Name,Endorser First Name,"
    "Endorser Last Name,Endorser Public Url,Endorsement Status\n",
    read_recommendations_given: "First Name,Last Name,Company,Job Title,Text,Creation Date,"
    "Status\n",
    read_recommendations_received: "First Name,Last Name,Company,Job Title,Text,Creation Date,"
    "Status\n",
    read_positions: "Company Name,Title,Description,Location,Started On,Finished On\n",
    read_contacts: "Source,FirstName,LastName,Emails,PhoneNumbers,CreatedAt,FullName\n",
}
_TOKENS = list(',"\n\r \tAb1/:é🌐\x00\ufeff') + [
    "05 Feb 2014",
    "1/8/18, 6:14 PM",
    "2022/04/01 11:05:54 UTC",
    "Jan 2024",
    "a@example.com, b@example.org",
    IN + "x",
]
_CSVISH = st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(st.text(), _CSVISH), with_header=st.booleans())
def test_readers_never_raise_and_balance(body, with_header):
    for reader, header in _HEADERS.items():
        parsed = reader((header if with_header else "") + body, "/t/prop.csv")
        assert parsed.rows_in == parsed.rows_loaded + parsed.rows_rejected
