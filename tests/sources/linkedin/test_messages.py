"""messages.csv (messages.py): every header generation, values worked out by hand."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from tests.sources.linkedin.support import FIX, IN, read_fixture, rows_of
from transforms.sources.linkedin.messages import read_messages


def _msgs(name: str):
    parsed = read_fixture(read_messages, name)
    return parsed, rows_of(parsed, "stg_linkedin_messages")


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
    (row,) = rows_of(read_messages(text, "/t/messages.csv"), "stg_linkedin_messages")
    assert row["sent_at"] == datetime(2019, 11, 6, 2, 8, 20, tzinfo=UTC)
    assert row["direction_hint"] == "INCOMING"


def test_messages_missing_date_column():
    parsed = read_messages("FROM,TO,SUBJECT\na,b,c\n", "/t/messages.csv")
    assert parsed.rejects["reason"].to_list() == ["unknown layout: from, to, subject; needs 'DATE'"]
    assert (parsed.rows_in, parsed.rows_rejected) == (1, 1)


def test_messages_12col_drafts_with_an_empty_conversation_id():
    parsed, rows = _msgs("messages_12col_drafts_empty_id.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (7, 7, 0)
    assert [r["is_draft"] for r in rows] == [True, True, True, True, False, False, False]
    # the three drafts of Dec 2024: no conversation, no folder, no recipient
    for draft in rows[:3]:
        assert (draft["conversation_id"], draft["folder"], draft["to_names"]) == (None, None, None)
        assert draft["to_urls"] == []
    assert rows[3]["conversation_id"] == "2-SU5FUw==" and rows[3]["folder"] == "INBOX"
