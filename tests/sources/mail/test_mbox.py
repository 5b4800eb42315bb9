"""mbox reader: shared public corpus, hand-written fixtures, and a property test.

Expected values are read off the fixture files by hand (see each comment).
"""

from __future__ import annotations

import gzip
import mailbox
import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms import schemas
from transforms.rejects import Parsed
from transforms.sources.mail.mbox import iter_messages, looks_like_mbox, read_mbox

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mail"
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpora" / "email"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"shared email corpus not found at {CORPUS}"
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def check_contract(parsed) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Schemas conform and counts balance; returns (messages, participants)."""
    assert parsed.kind == "mbox"
    assert parsed.balanced
    messages = parsed.tables["stg_email_messages"]
    participants = parsed.tables["stg_email_participants"]
    assert messages.schema == schemas.STG_EMAIL_MESSAGES
    assert participants.schema == schemas.STG_EMAIL_PARTICIPANTS
    assert parsed.rejects.schema == schemas.REJECTS
    assert messages.height == parsed.rows_loaded
    return messages, participants


def offset_of(path: Path, marker: bytes) -> str:
    return f"byte {path.read_bytes().index(marker)}"


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


def test_unquoted_from_body_lines_do_not_split():
    path = FIXTURES / "from_body_line.mbox"
    parsed = read_mbox(path)
    messages, _ = check_contract(parsed)
    assert parsed.rows_in == 2
    assert messages["message_key"].to_list() == ["body-1@example.org", "body-2@example.org"]
    assert messages["location"][1] == offset_of(path, b"From sender@example.org Sun")
    assert len(mailbox.mbox(path, create=False)) == 4  # it splits on every "From " line


def test_bom_and_blank_line_before_first_from_line():
    path = FIXTURES / "bom.mbox"
    assert looks_like_mbox(path)
    parsed = read_mbox(path)
    messages, _ = check_contract(parsed)
    assert messages.select("location", "from_addr").rows() == [("byte 4", "dora@example.org")]


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


def test_chunk_boundaries_do_not_change_results(tmp_path, monkeypatch):
    """Tiny read chunks force every split/refill path; results must be identical."""
    import transforms.sources.mail.mbox as mbox_module

    joined = tmp_path / "many.mbox"
    parts = [(FIXTURES / n).read_bytes() for n in ("takeout_crlf.mbox", "from_body_line.mbox")]
    joined.write_bytes(b"\n".join(parts * 3))
    paths = [joined, *sorted(FIXTURES.glob("*.mbox"))]
    if CORPUS.is_dir():
        paths += sorted(CORPUS.glob("*.mbox"))
    for path in paths:
        monkeypatch.setattr(mbox_module, "CHUNK", 1 << 20)
        expected = read_mbox(path)
        for size in (1, 2, 3, 5, 7, 64):
            monkeypatch.setattr(mbox_module, "CHUNK", size)
            got = read_mbox(path)
            assert (got.rows_in, got.rows_loaded) == (expected.rows_in, expected.rows_loaded)
            assert got.rejects.equals(expected.rejects)
            for name, frame in expected.tables.items():
                assert got.tables[name].equals(frame), (path.name, size, name)
    assert read_mbox(joined).rows_in == 18


# -- property test ------------------------------------------------------------------------------

_SOUP = st.lists(
    st.sampled_from(
        [
            b"From - Mon Jan 01 09:00:00 2024\n",
            b"From 1@xxx Tue Aug 05 08:00:23 +0000 2008\r\n",
            b"From: a@example.org\n",
            b"From: =?x-bad?Q?=FF?= <@>\n",
            b'To: undisclosed-recipients:;, bob@, "x\n',
            b"Date: Mon, 01 Jan 2024 10:00:00 +0000\n",
            b"Date: 2024-13-45\n",
            b"X-Mozilla-Status: 0009\n",
            b'X-Gmail-Labels: "a,b",=?UTF-8?Q?=C3?=\n',
            b"References: <a@b> <\n",
            b" folded continuation\n",
            b"\n",
            b"\r\n",
            b"From now on 10:30 in 2024\n",
            b"body text \xff\xfe\n",
            b"\xef\xbb\xbf",
        ]
    )
    | st.binary(max_size=40),
    max_size=30,
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(head=st.booleans(), pieces=_SOUP)
def test_property_never_raises_and_balances(tmp_path, head, pieces):
    data = (b"From - Mon Jan 01 09:00:00 2024\n" if head else b"") + b"".join(pieces)
    path = tmp_path / "soup.mbox"
    path.write_bytes(data)
    parsed = read_mbox(path)
    assert parsed.rows_in == parsed.rows_loaded + parsed.rows_rejected
    if parsed.tables:
        assert parsed.tables["stg_email_messages"].height == parsed.rows_loaded


# -- new columns, archives, two workers -------------------------------------------------------


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


def _takeout_members() -> dict[str, bytes]:
    return {
        "Takeout/Mail/Sent.mbox": (FIXTURES / "takeout_crlf.mbox").read_bytes(),
        "Takeout/Mail/Inbox.mbox": (FIXTURES / "bulk.mbox").read_bytes(),
        "Takeout/Mail/User Settings/Labels.json": b"{}",
    }


def _expect_takeout(parsed) -> None:
    messages, _ = check_contract(parsed)
    # takeout_crlf.mbox holds 4 messages and bulk.mbox 4 (counted in the files): the
    # archive gives exactly what the two files give alone.
    alone = [read_mbox(FIXTURES / "takeout_crlf.mbox"), read_mbox(FIXTURES / "bulk.mbox")]
    assert parsed.rows_in == 8
    assert parsed.rows_loaded == sum(p.rows_loaded for p in alone)
    folders = messages["folder"].to_list()
    assert set(folders) == {"Sent", "Inbox"}
    assert folders.count("Sent") == 4
    sent_locations = messages.filter(pl.col("folder") == "Sent")["location"].to_list()
    assert sent_locations[0] == "Takeout/Mail/Sent.mbox byte 0"
    assert sorted(messages["message_key"].to_list()) == sorted(
        k for p in alone for k in p.tables["stg_email_messages"]["message_key"].to_list()
    )


def test_takeout_zip_read_without_extraction(tmp_path):
    import zipfile

    archive = tmp_path / "takeout-20240101T000000Z-001.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _takeout_members().items():
            zf.writestr(name, data)
    _expect_takeout(read_mbox(archive))
    assert list(tmp_path.iterdir()) == [archive]  # nothing extracted


def test_takeout_tgz_read_without_extraction(tmp_path):
    import io
    import tarfile

    archive = tmp_path / "takeout-20240101T000000Z-001.tgz"
    with tarfile.open(archive, "w:gz") as tf:
        for name, data in _takeout_members().items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    _expect_takeout(read_mbox(archive))


@pytest.fixture
def small_pieces(monkeypatch):
    """Two-process reads cut test-sized files into many pieces (the default minimum piece
    is 4 MiB, which would leave a test file whole and read sequentially)."""
    from transforms.sources.mail import mbox

    monkeypatch.setattr(mbox, "MIN_PIECE", 4096)
    monkeypatch.setattr(mbox, "_FRAME_ROWS", 50)  # several frames from each end


def test_pieces_start_on_message_starts(tmp_path, small_pieces):
    from transforms.sources.mail.mbox import PIECES, _piece_cuts

    path = _big_fixture(tmp_path)
    data = path.read_bytes()
    with open(path, "rb") as fh:
        starts = {raw.offset for raw in iter_messages(fh)}
    cuts = _piece_cuts(path)
    assert cuts is not None and cuts[0] == 0
    assert cuts == sorted(set(cuts))  # strictly increasing
    assert set(cuts) <= starts  # each cut is where a sequential scan starts a message
    assert PIECES // 2 <= len(cuts) <= PIECES + 1
    assert all(data[c : c + 5] == b"From " for c in cuts)


def test_two_workers_give_the_sequential_result(tmp_path, small_pieces):
    # 60 copies of two fixtures, cut into ~32 pieces shared by the two processes.
    path = _big_fixture(tmp_path)
    one, two = read_mbox(path, workers=1), read_mbox(path, workers=2)
    _assert_same_read(two, one)


def _assert_same_read(two: Parsed, one: Parsed) -> None:
    """The two-process read of `_big_fixture` equals the sequential one, row for row."""
    assert (two.rows_in, two.rows_loaded, two.rows_rejected) == (
        480,  # 60 x (4 + 4) messages
        one.rows_loaded,
        one.rows_rejected,
    )
    for name in one.tables:
        assert two.tables[name].equals(one.tables[name])
    assert two.rejects.equals(one.rejects)


def _big_fixture(tmp_path: Path) -> Path:
    data = (FIXTURES / "takeout_crlf.mbox").read_bytes() + (FIXTURES / "bulk.mbox").read_bytes()
    path = tmp_path / "big.mbox"
    path.write_bytes(data * 60)
    return path


def test_two_workers_fall_back_when_the_child_fails(tmp_path, monkeypatch, small_pieces):
    import os

    from transforms.sources.mail import mbox

    path = _big_fixture(tmp_path)
    one = read_mbox(path, workers=1)
    parent = os.getpid()
    real_scan = mbox._scan

    def scan_failing_in_child(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("child dies")
        return real_scan(*args, **kwargs)

    monkeypatch.setattr(mbox, "_scan", scan_failing_in_child)
    two = read_mbox(path, workers=2)
    _assert_same_read(two, one)


@pytest.mark.parametrize("how", ["raises", "exits"])
def test_a_child_dying_midway_leaves_its_finished_pieces_and_the_parent_the_rest(
    tmp_path, monkeypatch, small_pieces, how
):
    import os

    from transforms.sources.mail import mbox

    path = _big_fixture(tmp_path)
    one = read_mbox(path, workers=1)
    parent = os.getpid()
    real_scan = mbox._scan
    pieces_in_child = [0]  # the child's copy counts the child's pieces

    def scan_dying_on_the_childs_third_piece(*args, **kwargs):
        if os.getpid() != parent:
            pieces_in_child[0] += 1
            if pieces_in_child[0] == 3:
                (tmp_path / "child-died").touch()
                if how == "exits":
                    os._exit(1)  # killed: no error message, the pipe just closes
                raise RuntimeError("child dies")
        return real_scan(*args, **kwargs)

    monkeypatch.setattr(mbox, "_scan", scan_dying_on_the_childs_third_piece)
    two = read_mbox(path, workers=2)
    assert (tmp_path / "child-died").exists()  # the child did reach its third piece
    _assert_same_read(two, one)


def test_two_workers_refuse_a_file_that_is_not_mbox(tmp_path, small_pieces):
    # From_ lines later in the file give a split point, but the first line is not one.
    path = tmp_path / "notes.mbox"
    path.write_bytes(b"just some notes\n\n" + _big_fixture(tmp_path).read_bytes())
    two = read_mbox(path, workers=2)
    assert (two.rows_in, two.rows_loaded, two.rows_rejected) == (0, 0, 0)  # refused whole
    assert two.rejects["reason"].to_list() == ["not an mbox file (first line is not a From_ line)"]


def test_gmail_labels_column_keeps_each_rows_list(tmp_path):
    # Three messages, two share a label list: the column is built from distinct lists.
    path = tmp_path / "labels.mbox"
    msgs = []
    for i, labels in enumerate(["Inbox,Opened", "Sent", "Inbox,Opened", ""]):
        msgs.append(
            f"From 1@xxx Mon Jan 01 10:00:00 +0000 2024\nFrom: a@x.org\n"
            f"Date: Mon, 1 Jan 2024 10:0{i}:00 +0000\nMessage-ID: <m{i}@x>\n"
            f"X-Gmail-Labels: {labels}\n\nbody\n\n"
        )
    path.write_text("".join(msgs))
    messages = read_mbox(path).tables["stg_email_messages"]
    assert messages["gmail_labels"].to_list() == [
        ["Inbox", "Opened"],
        ["Sent"],
        ["Inbox", "Opened"],
        [],
    ]
