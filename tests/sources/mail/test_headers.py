"""Whole header blocks through `parse_header_block`: ids, threads, dates, senders, flags.

Expected values are worked out by hand from the inputs written here.
"""

from __future__ import annotations

from tests.sources.mail.support import utc
from transforms.sources.mail.headers import parse_header_block


def test_raw_8bit_names_utf8_then_cp1252():
    raw = (
        b"From: Jos\xc3\xa9 Ruiz <jose@example.org>\n"
        b'To: "Ren\xe9 Roux" <rene@example.org>\n'
        b"Date: Mon, 01 Jan 2024 10:00:00 +0000\n"
    )
    h = parse_header_block(raw)
    assert h.participants == [
        ("from", "jose@example.org", "José Ruiz"),
        ("to", "rene@example.org", "René Roux"),
    ]


def test_thread_key_precedence_and_reply_id():
    base = b"From: a@example.org\nDate: Mon, 01 Jan 2024 10:00:00 +0000\nMessage-ID: <m3@x.org>\n"
    refs = b"References: junk <root@x.org>\n <m2@x.org>\nIn-Reply-To: <m2@x.org> (sent by b)\n"
    assert parse_header_block(base + b"X-GM-THRID: 42\n" + refs).thread_key == "42"
    h = parse_header_block(base + refs)
    assert (h.thread_key, h.in_reply_to) == ("root@x.org", "m2@x.org")
    h = parse_header_block(base + b"In-Reply-To: <m2@x.org>\n")
    assert h.thread_key == "m2@x.org"
    assert parse_header_block(base).thread_key == "m3@x.org"


def test_synthetic_key_is_stable_and_gmail_id_wins():
    raw = (
        b"From: a@example.org\nTo: b@example.org\nSubject: hi\n"
        b"Date: Mon, 01 Jan 2024 10:00:00 +0000\n"
    )
    k1 = parse_header_block(raw).message_key
    k2 = parse_header_block(raw, folder="Other").message_key
    assert k1 == k2 and k1.startswith("sha1:") and len(k1) == 5 + 40
    line = b"From 1277085061787347926@xxx Tue Aug 05 08:00:23 +0000 2008"
    assert parse_header_block(raw, line).message_key == "gmail:1277085061787347926"


def test_date_fallbacks_received_then_caller_time():
    raw = (
        b"From: a@example.org\nDate: someday\n"
        b"Received: from x by y; Tue, 02 Jan 2024 03:04:05 +0000\n"
        b"Received: from w by x; Mon, 01 Jan 2024 00:00:00 +0000\n"
    )
    h = parse_header_block(raw)
    assert (h.sent_at, h.date_source) == (utc(2024, 1, 2, 3, 4, 5), "received")
    h = parse_header_block(b"From: a@example.org\n", fallback_time=utc(2020, 5, 1))
    assert (h.sent_at, h.date_source) == (utc(2020, 5, 1), "mtime")
    h = parse_header_block(b"From: a@example.org\nDate: nonsense\n")
    assert h.sent_at is None and h.problem == "no usable date (raw Date: 'nonsense')"


def test_implausible_header_date_uses_from_line():
    raw = b"From: a@example.org\nDate: Sat, 01 Jan 2199 00:00:00 +0000\n"
    h = parse_header_block(raw, b"From - Mon Jan 01 09:00:00 2024")
    assert (h.sent_at, h.date_source) == (utc(2024, 1, 1, 9), "from_line")


def test_sender_is_fallback_for_from_addr():
    raw = (
        b"From: Undisclosed\nSender: Real Person <real@example.org>\n"
        b"Date: Mon, 1 Jan 2024 10:00 +0000\n"
    )
    h = parse_header_block(raw)
    assert h.from_addr == "real@example.org"
    assert h.address_problems == ["invalid address in From: address has no @"]


def test_labels_set_flags_and_kind():
    raw = b"From: a@example.org\nDate: Mon, 1 Jan 2024 10:00 +0000\nX-Gmail-Labels: "
    h = parse_header_block(raw + b"Sent,Drafts\n")
    assert (h.is_sent_folder, h.is_draft, h.is_spam, h.kind) == (True, True, False, "email")
    h = parse_header_block(raw + b"Spam,Trash\n")
    assert (h.is_spam, h.is_trash) == (True, True)
    h = parse_header_block(raw + b"Chat\n")
    assert h.kind == "chat"
    h = parse_header_block(raw + b"Inbox,Category Updates\n")
    assert (h.is_bulk, h.bulk_reason) == (True, "gmail category updates")


def test_bulk_signals():
    base = b"From: a@example.org\nDate: Mon, 1 Jan 2024 10:00 +0000\n"
    cases = {
        b"List-Id: <team.example.org>\n": "list-id header",
        b"List-Post: <mailto:team@example.org>\n": "list-post header",
        b"Mailing-List: contact team-help@example.org\n": "mailing-list header",
        b"Precedence: Bulk\n": "precedence: bulk",
        b"Precedence: junk\n": "precedence: junk",
        b"Auto-Submitted: auto-generated (failure)\n": "auto-submitted: auto-generated",
        b"Return-Path: < >\n": "return-path <>",
        b"Content-Type: multipart/report; report-type=disposition-notification\n": (
            "multipart/report"
        ),
    }
    for extra, reason in cases.items():
        assert parse_header_block(base + extra).bulk_reason == reason
    assert parse_header_block(base + b"Auto-Submitted: no\nPrecedence: normal\n").is_bulk is False
    for local in (b"noreply", b"no-reply", b"MAILER-DAEMON", b"postmaster", b"notifications"):
        raw = b"From: " + local + b"@example.net\nDate: Mon, 1 Jan 2024 10:00 +0000\n"
        assert parse_header_block(raw).bulk_reason == "automated sender"


def test_only_first_delivered_to_is_kept():
    raw = (
        b"From: a@example.org\nDate: Mon, 1 Jan 2024 10:00 +0000\n"
        b"Delivered-To: owner@example.com\nDelivered-To: mailing list team@example.org\n"
    )
    h = parse_header_block(raw)
    assert [p for p in h.participants if p[0] == "delivered_to"] == [
        ("delivered_to", "owner@example.com", None)
    ]
    assert h.address_problems == []


def test_repeated_to_headers_all_read_and_deduplicated():
    raw = (
        b"From: a@example.org\nDate: Mon, 1 Jan 2024 10:00 +0000\n"
        b"To: b@example.org\nTo: c@example.org, B@example.org\n"
    )
    h = parse_header_block(raw)
    assert [p[1] for p in h.participants if p[0] == "to"] == ["b@example.org", "c@example.org"]


def test_mozilla_status_deleted_bit():
    raw = b"From: a@example.org\nDate: Mon, 1 Jan 2024 10:00 +0000\nX-Mozilla-Status: "
    assert parse_header_block(raw + b"0009\n").is_deleted is True
    assert parse_header_block(raw + b"0001\n").is_deleted is False
    assert parse_header_block(raw + b"zz\n").is_deleted is False
