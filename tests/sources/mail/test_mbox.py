"""mbox reader: shared public corpus and hand-written fixtures, read through `read_mbox`.

Expected values are read off the fixture files by hand (see each comment).
"""

from __future__ import annotations

import gzip
import mailbox
import shutil

import polars as pl

from tests.sources.mail.support import (
    CORPUS,
    FIXTURES,
    check_contract,
    needs_corpus,
    offset_of,
    utc,
)
from transforms.sources.mail.mbox import looks_like_mbox, read_mbox

# -- shared corpus ----------------------------------------------------------------------------


@needs_corpus
def test_gmail_takeout_small():
    path = CORPUS / "gmail_takeout_small.mbox"
    parsed = read_mbox(path)
    messages, participants = check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (6, 6, 0)
    assert messages["from_addr"].to_list() == [
        "keld@dkuug.dk",
        "person.person@example.net",
        "person.person@example.net",
        "123@example.net",
        "nsb@bellcore.com",
        "foo1@bar.net",
    ]
    assert messages["sent_at"].to_list() == [
        utc(2008, 8, 5, 8, 0, 12),  # Date: Tue, 5 Aug 2008 01:00:12 -0700 (PDT)
        utc(2008, 8, 17, 18, 39, 15),  # Date: Sun, 17 Aug 2008 20:39:15 +0200
        utc(2016, 3, 23, 1, 57),  # chat, no Date: From_ line
        utc(2021, 7, 20, 0, 22, 49),  # chat, no Date: From_ line
        utc(1993, 3, 22, 17, 41, 9),  # Date: ... 09:41:09 -0800 (PST)
        utc(2021, 7, 20, 0, 22, 49),  # no Date: From_ line
    ]
    assert messages["date_source"].to_list() == [
        "header",
        "header",
        "from_line",
        "from_line",
        "header",
        "from_line",
    ]
    assert messages["kind"].to_list() == ["email", "email", "chat", "chat", "email", "email"]
    assert messages["thread_key"].to_list() == [
        "1277085061787347926",
        "1278204036336346264",
        "1529553825574740118",
        "1705761119401391280",
        "gmail:1318905722553808470",  # no X-GM-THRID, no Message-ID: Gmail id from From_ line
        "gmail:2086381499394883780",
    ]
    assert messages["message_id"].to_list()[:2] == [
        "18826312.post@talk.nabble.com",
        "20080817183915.GM3992@merkur.person.loc",
    ]
    assert messages["in_reply_to"][1] == (
        "272a08710808171109x4b6429a1g89f6e594408080db@mail.gmail.com"
    )
    assert messages["is_bulk"].to_list() == [True, True, False, False, False, False]
    assert messages["gmail_labels"].to_list() == [
        ["Unread"],
        ["Unread"],
        ["Chat"],
        ["Chat"],
        [],
        [],
    ]
    assert messages["location"][0] == "byte 0"
    assert messages["folder"].unique().to_list() == ["gmail_takeout_small"]
    froms = participants.filter(pl.col("role") == "from")
    assert froms["display_name"].to_list()[:2] == ["Keld Jørn Simonsen", "Person Person"]
    assert froms["display_name"][3] == "罗"  # raw UTF-8 bytes e7 bd 97 in From
    # only the first Delivered-To (the account), not "mailing list fw-general@..."
    delivered = participants.filter(pl.col("role") == "delivered_to")["address"].to_list()
    assert delivered == ["asdfereasdf@gmail.com", "testasdfasdf@gmail.com"]


@needs_corpus
def test_thunderbird_style():
    path = CORPUS / "thunderbird_style.mbox"
    parsed = read_mbox(path)
    messages, _ = check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (3, 2, 1)
    assert parsed.rejects.select("location", "reason").rows() == [
        (offset_of(path, b"From - Mon Jan 01 10:00"), "deleted (X-Mozilla-Status expunged)")
    ]
    assert messages["from_addr"].to_list() == ["alice@example.org", "owner@example.com"]
    assert messages["sent_at"].to_list() == [utc(2024, 1, 1, 8), utc(2024, 1, 2, 8, 30)]
    assert messages["thread_key"][1] == messages["thread_key"][0] == "tb-1@example.org"
    # mailbox.mbox splits on the unquoted "From now on" body line as well
    assert len(mailbox.mbox(path, create=False)) == 4


@needs_corpus
def test_apple_mail_export_folder_from_bundle_name():
    parsed = read_mbox(CORPUS / "apple_mail_export" / "Inbox.mbox" / "mbox")
    messages, _ = check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded) == (1, 1)
    assert messages.select("folder", "from_addr", "sent_at").rows() == [
        ("Inbox", "alice@example.org", utc(2024, 1, 1, 8))
    ]


@needs_corpus
def test_truncated_tail_loads_partial_header_with_a_note():
    path = CORPUS / "truncated_tail.mbox"
    parsed = read_mbox(path)
    messages, _ = check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 2, 0)
    assert messages["from_addr"].to_list() == ["owner@example.com", "bob@example.org"]
    assert messages["sent_at"][1] == utc(2024, 1, 3, 12)
    # the cut "Message-ID: <trunc@exa" line is dropped, so the key is synthetic
    assert messages["message_id"][1] is None
    assert messages["message_key"][1].startswith("sha1:")
    tail = offset_of(path, b"From - Wed Jan 03")
    assert parsed.rejects.select("location", "reason").rows() == [
        (tail, "partial header loaded (file ends inside the header block)")
    ]


@needs_corpus
def test_mixed_eol_malformed():
    path = CORPUS / "mixed_eol_malformed.mbox"
    parsed = read_mbox(path)
    messages, participants = check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 2, 0)
    assert messages["location"][0] == "byte 2"  # after the leading CRLF blank line
    assert messages.select("from_addr", "sent_at", "date_source", "subject").rows() == [
        ("bob@x.org", utc(2024, 1, 4, 10), "header", "Café"),
        ("a@x.org", utc(2024, 1, 4, 11), "from_line", None),  # ISO Date -> From_ line
    ]
    rows = participants.select("location", "role", "address", "display_name").rows()
    first, second = messages["location"].to_list()
    assert rows == [
        (first, "from", "bob@x.org", "Smith, Bob"),
        (first, "bcc", "owner@example.com", None),  # To: undisclosed-recipients:; -> nothing
        (second, "from", "a@x.org", None),
        (second, "from", "b@y.org", None),
        (second, "to", "bob@x.org", "Smith, Bob"),  # unquoted comma glued back
        (second, "to", "bob@example.com", "alice@example.com"),  # bracketed address wins
    ]
    assert parsed.rejects.height == 0


@needs_corpus
def test_cpython_mailer_daemon():
    parsed = read_mbox(CORPUS / "cpython_msg_25_mailer_daemon.mbox")
    messages, participants = check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded) == (1, 1)
    assert messages.select("from_addr", "sent_at", "is_bulk").rows() == [
        ("mailer-daemon@zinfandel.lacita.com", utc(2001, 4, 6, 17, 23, 6), True)
    ]
    to = participants.filter(pl.col("role") == "to")["address"].to_list()
    assert to == ["linuxuser-admin@www.linux.org.uk", "postmaster@zinfandel.lacita.com"]


@needs_corpus
def test_bounce_without_sender_is_rejected():
    # From: MAILER DAEMON <>  -> no usable sender address
    parsed = read_mbox(CORPUS / "cpython_msg_43_srs_from_line.mbox")
    check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (1, 0, 1)
    assert parsed.rejects.select("location", "reason").rows() == [
        ("byte 0", "no usable sender address")
    ]


# -- own fixtures -----------------------------------------------------------------------------


def test_takeout_crlf_sent_labels_threads_chat():
    path = FIXTURES / "takeout_crlf.mbox"
    parsed = read_mbox(path)
    messages, participants = check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 4, 0)
    assert messages["location"].to_list() == [
        "byte 0",
        offset_of(path, b"From 1788000000000000002@xxx"),
        offset_of(path, b"From 1788000000000000003@xxx"),
        offset_of(path, b"From 1788000000000000004@xxx"),
    ]
    assert messages.select(
        "message_key", "from_addr", "sent_at", "thread_key", "is_sent_folder", "kind"
    ).rows() == [
        (
            "sent-1@example.com",
            "owner@example.com",
            utc(2024, 1, 15, 9, 30),
            "1788000000000000001",
            True,
            "email",
        ),
        (
            "reply-1@example.org",
            "ana@example.org",
            utc(2024, 1, 15, 12),
            "1788000000000000001",
            False,
            "email",
        ),
        (
            "promo-1@example.net",
            "news@example.net",
            utc(2024, 1, 16, 8),
            "1788000000000000003",
            False,
            "email",
        ),
        (
            "gmail:1788000000000000004",
            "ana@example.org",
            utc(2024, 1, 17, 18, 45, 10),
            "1788000000000000004",
            False,
            "chat",
        ),
    ]
    assert messages["gmail_labels"].to_list() == [
        ["Sent", "Opened"],
        ["Work, 2024", "Inbox", "Family/Kids", "Category Personal"],  # quoted, folded
        ["Åpnet", "Kategori: Reklame"],  # RFC 2047 as a whole
        ["Chat", "Family/Kids"],
    ]
    assert messages["in_reply_to"][1] == "sent-1@example.com"
    assert messages["date_source"][3] == "from_line"
    assert messages.select("is_bulk", "bulk_reason").rows()[2] == (True, "list-unsubscribe header")
    assert participants.filter(pl.col("location") == "byte 0").select(
        "role", "address", "display_name"
    ).rows() == [
        ("from", "owner@example.com", "Owner Example"),
        ("to", "ana@example.org", "Ana Lopez"),
    ]
    assert "delivered_to" in participants["role"].to_list()


def test_empty_file_gives_zero_messages():
    parsed = read_mbox(FIXTURES / "empty.mbox")
    messages, participants = check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (0, 0, 0)
    assert messages.height == participants.height == parsed.rejects.height == 0
    assert parsed.skipped_reason is None


def test_non_mail_file_is_refused_whole():
    path = FIXTURES / "not_mail.txt"
    assert not looks_like_mbox(path)
    parsed = read_mbox(path)
    assert parsed.balanced and parsed.rows_in == 0
    assert parsed.skipped_reason == "not an mbox file (first line is not a From_ line)"
    assert parsed.rejects.select("location", "reason").rows() == [
        ("file", "not an mbox file (first line is not a From_ line)")
    ]


def test_address_torture():
    parsed = read_mbox(FIXTURES / "address_torture.mbox")
    messages, participants = check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (1, 1, 0)
    assert messages["from_addr"].to_list() == ["bob@example.org"]
    assert participants.select("role", "address", "display_name").rows() == [
        ("from", "bob@example.org", "Smith, Bob"),
        ("cc", "carol@example.org", "Smith, Carol"),
        ("cc", "elodie@example.org", "Élodi"),  # =?UTF-8?B?w4lsb2Rp?=
        ("bcc", "dan@example.com", None),
        ("bcc", "erin@example.org", None),
        ("reply_to", "lists@example.org", "alice@example.com"),
    ]
    reasons = parsed.rejects["reason"].to_list()
    assert parsed.rejects["location"].to_list() == ["byte 0", "byte 0"]
    assert reasons[0].startswith("invalid address in Cc: invalid address: ")  # bob@
    assert reasons[1] == "invalid address in Bcc: address has no @"  # bob


def test_dates_and_fallbacks():
    parsed = read_mbox(FIXTURES / "dates.mbox")
    messages, _ = check_contract(parsed)
    assert messages.select("message_key", "sent_at", "date_source").rows() == [
        ("date-1@example.org", utc(2024, 1, 4, 10), "header"),  # -0000
        ("date-2@example.org", utc(2024, 1, 4, 10), "header"),  # +01:00 offset recovered
        ("date-3@example.org", utc(2024, 1, 4, 12, 34, 56), "from_line"),  # ISO 8601
        ("date-4@example.org", utc(2024, 1, 4, 19), "header"),  # (EDT) -0400
    ]


def test_deleted_and_truncated_without_sender():
    path = FIXTURES / "deleted_and_truncated.mbox"
    parsed = read_mbox(path)
    messages, _ = check_contract(parsed)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (3, 1, 2)
    assert messages["from_addr"].to_list() == ["kept@example.org"]
    assert parsed.rejects.select("location", "reason").rows() == [
        ("byte 0", "deleted (X-Mozilla-Status expunged)"),
        (offset_of(path, b"From - Fri Jan 05 11:00"), "truncated message"),
    ]


def test_bulk_and_automated():
    parsed = read_mbox(FIXTURES / "bulk.mbox")
    messages, _ = check_contract(parsed)
    assert messages.select("message_key", "is_bulk", "bulk_reason").rows() == [
        ("ooo@example.org", True, "auto-submitted: auto-replied"),
        ("noreply@example.net", True, "automated sender"),
        ("bounce@example.net", True, "return-path <>"),
        ("personal@example.org", False, None),
    ]


def test_duplicate_message_id_in_two_files_both_load(tmp_path):
    a, b = tmp_path / "Inbox.mbox", tmp_path / "Archive.mbox"
    shutil.copy(FIXTURES / "bom.mbox", a)
    shutil.copy(FIXTURES / "bom.mbox", b)
    got = [read_mbox(p).tables["stg_email_messages"] for p in (a, b)]
    assert [f.select("message_key", "folder").rows() for f in got] == [
        [("bom-1@example.org", "Inbox")],
        [("bom-1@example.org", "Archive")],
    ]


def test_gzip_mbox_read_transparently(tmp_path):
    path = tmp_path / "Sent.mbox.gz"
    path.write_bytes(gzip.compress((FIXTURES / "takeout_crlf.mbox").read_bytes()))
    assert looks_like_mbox(path)
    parsed = read_mbox(path)
    messages, _ = check_contract(parsed)
    assert parsed.rows_in == 4
    assert messages["folder"].unique().to_list() == ["Sent"]
    assert messages["is_sent_folder"].all()  # the folder name says Sent


def test_folder_argument_wins(tmp_path):
    parsed = read_mbox(FIXTURES / "bom.mbox", folder="Archive/2023")
    assert parsed.tables["stg_email_messages"]["folder"].to_list() == ["Archive/2023"]


def test_missing_file_is_refused_whole(tmp_path):
    parsed = read_mbox(tmp_path / "nope.mbox")
    assert parsed.balanced and parsed.skipped_reason.startswith("cannot open file")


def test_new_columns_parent_gmail_id_tz_trash(tmp_path):
    parsed = read_mbox(FIXTURES / "takeout_crlf.mbox")
    messages, _ = check_contract(parsed)
    rows = messages.select("parent_message_id", "gmail_msgid", "date_tz_unknown", "is_trash")
    # message 2: In-Reply-To <sent-1@example.com>; ids from the From_ lines
    assert rows.rows()[:2] == [
        (None, "1788000000000000001", False, False),
        ("sent-1@example.com", "1788000000000000002", False, False),
    ]
    mbox = tmp_path / "t.mbox"
    mbox.write_bytes(
        b"From - Mon Jan 01 10:00:00 2024\n"
        b"From: a@x.org\nDate: Mon, 1 Jan 2024 10:00:00 -0000\nMessage-ID: <c@x>\n"
        b"References: <root@x> <mid@x>\nX-Gmail-Labels: Trash\n\nbody\n"
    )
    row = read_mbox(mbox).tables["stg_email_messages"].row(0, named=True)
    # no In-Reply-To: the last References id is the parent, the first the thread
    assert row["parent_message_id"] == "mid@x"
    assert row["thread_key"] == "root@x"
    assert row["date_tz_unknown"] is True  # -0000: zone unknown
    assert row["is_trash"] is True
    assert row["gmail_msgid"] is None
