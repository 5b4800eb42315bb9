"""The staging row (`headers.message_row` + `staging.stage_block`, what every reader
stages) holds, column by column, what the `MessageHeaders` record of the same block says
(`parse_header_block`): same message rows, participant rows, rejects and counts.

The record is mapped to a row here by column name, so a row whose columns drift out of
`MessageRow`'s field order fails. Compared on every message of the hand-made fixtures and the
shared public corpora, on hand-written edge cases, and on random header blocks built from
realistic and odd pieces.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.sources.mail.dates import latest_plausible
from transforms.sources.mail.headers import MessageHeaders, parse_header_block
from transforms.sources.mail.mbox import read_mbox
from transforms.sources.mail.rows import MessageRow
from transforms.sources.mail.staging import (
    DELETED_REASON,
    PARTIAL_NOTE,
    TRUNCATED_REASON,
    StagingBuffer,
    stage_block,
)

_M_ROW = MessageRow._fields

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_AT = "byte 7"


class Staged(NamedTuple):
    rows: list[tuple]
    prows: list[tuple]
    rejects: list[tuple[str, str]]
    loaded: int
    rejected: int


def _row_of(h: MessageHeaders, folder: str | None) -> tuple:
    """The record as a staging row, column by column by name."""
    micros = None if h.sent_at is None else (h.sent_at - _EPOCH) // timedelta(microseconds=1)
    by_name = {
        "location": _AT,
        "message_key": h.message_key,
        "message_id": h.message_id,
        "sent_at": micros,
        "date_source": h.date_source,
        "from_addr": h.from_addr,
        "subject": h.subject,
        "thread_key": h.thread_key,
        "in_reply_to": h.in_reply_to,
        "gmail_labels": tuple(h.gmail_labels),
        "folder": folder,
        "kind": h.kind,
        "is_bulk": h.is_bulk,
        "bulk_reason": h.bulk_reason,
        "is_sent_folder": h.is_sent_folder,
        "is_draft": h.is_draft,
        "is_spam": h.is_spam,
        "is_trash": h.is_trash,
        "parent_message_id": h.parent_message_id,
        "date_tz_unknown": h.date_tz_unknown,
        "gmail_msgid": h.gmail_id,
    }
    assert set(by_name) == set(_M_ROW)
    return tuple(by_name[column] for column in _M_ROW)


def _record_path(
    header: bytes, from_line: bytes | None, folder: str | None, truncated: bool
) -> Staged:
    """What staging the `MessageHeaders` record must give (the readers' rules by hand)."""
    try:
        h = parse_header_block(header, from_line, folder)
    except Exception as err:
        return Staged([], [], [(_AT, f"unparseable header block ({type(err).__name__})")], 0, 1)
    if h.is_deleted:
        return Staged([], [], [(_AT, DELETED_REASON)], 0, 1)
    if h.problem is not None:
        return Staged([], [], [(_AT, TRUNCATED_REASON if truncated else h.problem)], 0, 1)
    prows = [(_AT, h.message_key, role, addr, name) for role, addr, name in h.participants]
    rejects = [(_AT, reason) for reason in h.address_problems]
    if truncated:
        rejects.append((_AT, PARTIAL_NOTE))
    return Staged([_row_of(h, folder)], prows, rejects, 1, 0)


def _row_path(
    header: bytes, from_line: bytes | None, folder: str | None, truncated: bool
) -> Staged:
    staging = StagingBuffer("f")  # one block: its rows stay in the buffer (no flush)
    stage_block(staging, _AT, header, from_line, folder, latest_plausible(), truncated)
    return Staged(staging.rows, staging.prows, staging.rejects, staging.loaded, staging.rejected)


def _staged_both_ways(
    header: bytes, from_line: bytes | None, folder: str | None, truncated: bool = False
) -> tuple[Staged, Staged]:
    """(record path, row path) after staging one block at "byte 7"."""
    return (
        _record_path(header, from_line, folder, truncated),
        _row_path(header, from_line, folder, truncated),
    )


def _assert_same(record: Staged, direct: Staged, name: str) -> None:
    assert direct.rows == record.rows, name
    assert direct.prows == record.prows, name
    assert direct.rejects == record.rejects, name
    assert (direct.loaded, direct.rejected) == (record.loaded, record.rejected), name


def test_rows_equal_the_record_path_on_every_test_message(mail_blocks):
    staged = 0
    for name, header, from_line, truncated in mail_blocks:
        for folder in ("Inbox", "[Gmail]/Sent Mail", None):
            record, direct = _staged_both_ways(header, from_line, folder, truncated)
            _assert_same(record, direct, name)
            staged += record.loaded
    # Not vacuous: the files hold dozens of stageable messages (each tried in 3 folders).
    assert len(mail_blocks) >= 40
    assert staged >= 3 * 30


def test_row_columns_by_hand():
    header = (
        b"From: Ann Lee <Ann@X.org>\n"
        b"To: b@y.org, Bo <b@y.org>, bad@\n"
        b"Date: Tue, 14 Mar 2023 10:22:33 +0100\n"
        b"Subject: =?utf-8?q?Caf=C3=A9?=\n"
        b"Message-ID: <m1@x.org>\n"
        b"In-Reply-To: <m0@x.org>\n"
        b"X-Gmail-Labels: Inbox,Category Updates,Sent\n"
        b"X-GM-THRID: 42\n"
    )
    from_line = b"From 1234567@xxx Tue Mar 14 09:22:33 +0000 2023"
    record, direct = _staged_both_ways(header, from_line, "Inbox")
    _assert_same(record, direct, "by hand")
    # 2023-03-14 09:22:33 UTC: 19430 days after 1970-01-01 (53 years, 13 leap days, then
    # 31 + 28 + 13 days), plus 9 h 22 min 33 s.
    micros = (19430 * 86400 + 9 * 3600 + 22 * 60 + 33) * 1_000_000
    assert direct.rows == [
        (
            "byte 7", "m1@x.org", "m1@x.org", micros, "header", "ann@x.org", "Café", "42",
            "m0@x.org", ("Inbox", "Category Updates", "Sent"), "Inbox", "email", True,
            "gmail category updates", True, False, False, False, "m0@x.org", False, "1234567",
        )
    ]  # fmt: skip
    assert direct.prows == [
        ("byte 7", "m1@x.org", "from", "ann@x.org", "Ann Lee"),
        ("byte 7", "m1@x.org", "to", "b@y.org", None),
    ]
    assert len(direct.rejects) == 1  # bad@: the validator's words follow the prefix
    assert direct.rejects[0][1].startswith("invalid address in To: invalid address: ")


@pytest.mark.parametrize(
    ("header", "from_line", "truncated"),
    [
        (b"From: a@x.org\nDate: nonsense\n", None, False),  # no usable date: rejected
        (b"From: a@x.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n", None, True),  # partial
        (b"From: a@x.org\n", b"From x Mon Jan  1 09:00:00 2024", False),  # From_ date
        (b"To: b@y.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n", None, False),  # no sender
        (b"Sender: s@x.org\nFrom: bad@\nDate: 1 Jan 2024 10:00:00 -0000\n", None, False),
        (
            b"From: a@x.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nX-Mozilla-Status: 0009\n",
            None,
            False,
        ),  # expunged
        (
            b"From: a@x.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n"
            b"To: b@y.org\nTo: b@y.org, c@z.org\n",
            None,
            False,
        ),  # repeated To: deduplicated across values
        (b"From: a@x.org\nDate: Fri, 31 Dec 9999 23:00:00 -2300\n", None, False),  # overflow
        (
            b"From: noreply@x.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nPrecedence: bulk\n",
            None,
            False,
        ),
        (
            b"From: noreply@x.org\nDate: Sun, 1 Jan 1989 10:00:00 +0000\nReceived: by x; "
            b"Tue, 2 Jan 2024 03:04:05 +0000\n",
            None,
            False,
        ),  # implausible: Received date
    ],
)
def test_edge_cases_equal_the_record_path(header, from_line, truncated):
    for folder in ("Inbox", "Spam", None):
        record, direct = _staged_both_ways(header, from_line, folder, truncated)
        _assert_same(record, direct, header)


def test_fast_date_microseconds_rebuild_the_same_record_datetime():
    h = parse_header_block(b"From: a@x.org\nDate: Tue, 14 Mar 2023 10:22:33 +0100\n")
    assert h.sent_at == datetime(2023, 3, 14, 9, 22, 33, tzinfo=UTC)
    assert h.sent_at.tzinfo is UTC
    assert (h.date_source, h.date_tz_unknown) == ("header", False)


_ADDRESSES = st.sampled_from(
    [
        "a@x.org",
        "A@X.ORG",
        "Bo <b@y.org>",
        '"Lee, Ann" <ann@x.org>',
        "bad@",
        "<>",
        "noreply@news.x.org",
        "=?utf-8?q?Z=C3=A9?= <z@x.org>",
        "team: a@x.org, c@z.org;",
        "Smith, Bob <bob@x.org>",
        "mailer-daemon@x.org",
        "c@z.org (Carl)",
        "\xe9 <e@x.org>",
    ]
)
_DATES = st.sampled_from(
    [
        "Tue, 14 Mar 2023 10:22:33 +0100",
        "1 Jan 2024 00:30:00 -0000",
        "Mon, 30 Feb 2023 10:00:00 +0000",
        "Sun, 31 Dec 2023 22:15:00 -0230 (NST)",
        "2024-01-04T11:00:00Z",
        "Sat, 1 Jan 1980 00:00:00 +0000",
        "Wed, 1 Jan 2031 10:00:00 +0000",
        "Thu, 1 Jan 2099 10:00:00 +0000",
        "Fri, 5 Jan 2024 10:00:00 EST",
        "Fri, 5 Jan 2024 10:00 +0200",
        "",
        "nonsense",
        "Fri, 31 Dec 9999 23:00:00 -2300",
    ]
)
_OTHER = st.sampled_from(
    [
        "Subject: hi",
        "Subject: =?utf-8?q?Caf=C3=A9?=",
        "Message-ID: <m1@x.org>",
        "Message-ID:",
        "In-Reply-To: <m0@x.org>",
        "References: <r1@x.org> <r2@x.org>",
        "X-GM-THRID: 1 2",
        "X-Gmail-Labels: Inbox,Chat",
        'X-Gmail-Labels: "Work, 2024",Spam,Trash',
        "X-Gmail-Labels: Category Promotions,Draft",
        "List-Id: <l.x.org>",
        "Precedence: junk",
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: no",
        "X-Autoreply: yes",
        "Return-Path: < >",
        "Content-Type: multipart/report; x=1",
        "X-Mozilla-Status: 0008",
        "X-Mozilla-Status: zz",
        "Received: from x by y; Tue, 2 Jan 2024 03:04:05 +0000",
        "Subject: folded\n\tline",
        "X-Junk: skip",
    ]
)
_ROLES = st.sampled_from(["From", "Sender", "To", "Cc", "Bcc", "Reply-To", "Delivered-To"])
_FROM_LINES = st.sampled_from(
    [
        None,
        b"From 1234567@xxx Mon Jan  1 09:00:00 +0000 2024",
        b"From 12@xxx Mon Jan  1 09:00:00 2024",
        b"From a@x.org Mon Jan  1 09:00:00 2024",
        b"From 1234567@xxx  Mon Jan  1 09:00:00 2024",
        b"From 1234567@xxx\n Mon Jan  1 09:00:00 2024",
        b"From x Sat Jan  1 09:00:00 1983",
    ]
)


@st.composite
def _blocks_soup(draw) -> tuple[bytes, bytes | None, str | None, bool]:
    lines = []
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.integers(0, 2))
        if kind == 0:
            role = draw(_ROLES)
            entries = draw(st.lists(_ADDRESSES, min_size=1, max_size=3))
            lines.append(f"{role}: {', '.join(entries)}")
        elif kind == 1:
            lines.append(f"Date: {draw(_DATES)}")
        else:
            lines.append(draw(_OTHER))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    text = "".join(line.replace("\n", eol) + eol for line in lines)
    folder = draw(st.sampled_from(["Inbox", "Sent Items", "Junk", "Drafts", None]))
    return text.encode("utf-8"), draw(_FROM_LINES), folder, draw(st.booleans())


@settings(max_examples=600, deadline=None)
@given(_blocks_soup())
def test_random_blocks_equal_the_record_path(case):
    header, from_line, folder, truncated = case
    record, direct = _staged_both_ways(header, from_line, folder, truncated)
    _assert_same(record, direct, header)


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
