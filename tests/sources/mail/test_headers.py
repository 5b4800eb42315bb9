"""Header-block parsing: addresses, encodings, dates, ids, labels, flags.

Expected values are worked out by hand from the inputs written here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.sources.mail.headers import (
    _EPOCH,
    _RFC5322_DATE,
    _date_micros,
    _parse_date_general,
    _simple_tokens,
    _tokens,
    _tokens_general,
    decode_words,
    folder_flags,
    normalize_message_id,
    parse_date,
    parse_from_line,
    parse_header_block,
    parse_labels,
    split_addresses,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- labels ---------------------------------------------------------------------------------


def test_labels_csv_quoted_comma_and_nested():
    assert parse_labels('"Work, 2024",Inbox,Family/Kids') == ["Work, 2024", "Inbox", "Family/Kids"]


def test_labels_encoded_as_a_whole_then_split():
    assert parse_labels("=?UTF-8?Q?=C3=85pnet,Kategori:_Reklame?=") == [
        "Åpnet",
        "Kategori: Reklame",
    ]


def test_labels_empty_entries_and_spaces_dropped():
    assert parse_labels(" Inbox , ,Opened,") == ["Inbox", "Opened"]
    assert parse_labels(None) == []


# -- encoded words --------------------------------------------------------------------------


def test_decode_words_unknown_charset_falls_back_without_raising():
    # x-unknown is not a Python codec: bytes are read as UTF-8 (valid here).
    assert decode_words("=?x-unknown?Q?Caf=C3=A9?=") == "Café"
    # not UTF-8 either -> cp1252
    assert decode_words("=?unknown-8bit?Q?Caf=E9?=") == "Café"


def test_decode_words_mixed_plain_and_encoded():
    assert decode_words("Re: =?utf-8?q?caf=C3=A9?= time") == "Re: café time"


# -- addresses ------------------------------------------------------------------------------


def test_split_encoded_comma_is_not_a_separator():
    got = split_addresses("=?iso-8859-1?Q?Last=DFlName=2C_FirstName?= <comma.name@example.com>")
    assert [(n, a) for n, a, _ in got] == [("LastßlName, FirstName", "comma.name@example.com")]


def test_split_torture_list():
    value = (
        'undisclosed-recipients:;, "Smith, Bob" <bob@example.org>,'
        " Smith, Carol <carol@example.org>,"
        " bob@, team: dan@example.com, erin@example.org;, alice@example.com <lists@example.org>,"
        " frank@example.org (Frank Ho)"
    )
    got = [(n, a) for n, a, _ in split_addresses(value)]
    assert got == [
        ("Smith, Bob", "bob@example.org"),
        ("Smith, Carol", "carol@example.org"),
        (None, None),  # bob@: nothing usable, reported by the caller
        (None, "dan@example.com"),
        (None, "erin@example.org"),
        ("alice@example.com", "lists@example.org"),
        ("Frank Ho", "frank@example.org"),
    ]


def test_semicolon_separated_list():
    got = [a for _, a, _ in split_addresses("a@example.org; b@example.com")]
    assert got == ["a@example.org", "b@example.com"]


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "tz_unknown"),
    [
        ("Mon, 01 Jan 2024 10:00:00 +0100", utc(2024, 1, 1, 9), False),
        ("Mon, 1 Jan 2024 10:00:00 -0000", utc(2024, 1, 1, 10), True),
        ("Mon, 01 Jan 2024 10:00:00 +01:00", utc(2024, 1, 1, 9), False),
        ("Thu, 04 Jan 2024 15:00:00 (EDT) -0400", utc(2024, 1, 4, 19), False),
        ("Mon, 01 Jan 2024 10:00:00 CEST", utc(2024, 1, 1, 10), True),
        ("Fri, 6 Apr 2001 09:23:06 -0800 (GMT-0800)", utc(2001, 4, 6, 17, 23, 6), False),
    ],
)
def test_parse_date(value, expected, tz_unknown):
    assert parse_date(value) == (expected, tz_unknown)


@pytest.mark.parametrize("value", ["2024-01-04T11:00:00Z", "", "Mon, 30 Feb 2023 10:00:00 +0000"])
def test_parse_date_unparseable(value):
    assert parse_date(value) == (None, False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 14 Mar 2023 10:22:33 +0100", utc(2023, 3, 14, 9, 22, 33)),
        ("1 Jan 2024 00:30:00 +0100", utc(2023, 12, 31, 23, 30)),  # no weekday; day before
        ("Sun, 31 Dec 2023 22:15:00 -0230 (NST)", utc(2024, 1, 1, 0, 45)),  # comment ignored
        ("Wed, 29 Feb 2024 23:59:59 +0000", utc(2024, 2, 29, 23, 59, 59)),
        ("Mon, 4 Mar 2024 12:00:00 +2359", utc(2024, 3, 3, 12, 1)),
    ],
)
def test_parse_date_common_shape(value, expected):
    # The shape the fast path reads; results worked out by hand from the offsets.
    assert _RFC5322_DATE.match(value)
    assert parse_date(value) == (expected, False)
    assert _date_micros(value) == (expected - _EPOCH) // timedelta(microseconds=1)


_WEEKDAYS = st.sampled_from(["", "Mon, ", "Sun, ", "mon, ", "Xyz, ", "Tue ", "Fri,"])
_MONTHS_ = st.sampled_from(["Jan", "Feb", "Dec", "jan", "MAR", "June", "Foo"])
_ZONES = st.sampled_from(
    ["+0000", "-0000", "+0100", "-0230", "+2359", "+2400", "-9999", "+0060", "+01:00", "GMT",
     "EST", "", "+100", "-12345"]
)  # fmt: skip
_TAILS = st.sampled_from(["", " (CET)", " (UTC+1)", " (a(b)", "  ", " x", "(CET)"])


@st.composite
def _dates(draw) -> str:
    """Mostly the common shape with valid fields; then one field (or all) drawn from odd
    spellings and out-of-range values."""
    odd = draw(st.sampled_from(["none", "none", "weekday", "day", "month", "year", "time",
                                "zone", "tail", "sep", "all"]))  # fmt: skip
    weekday = draw(_WEEKDAYS) if odd in ("weekday", "all") else draw(st.sampled_from(["", "Mon, "]))
    day = draw(st.integers(0, 39) if odd in ("day", "all") else st.integers(1, 28))
    day_s = f"{day:02d}" if draw(st.booleans()) else str(day)
    month = draw(_MONTHS_) if odd in ("month", "all") else draw(st.sampled_from(["Jan", "Oct"]))
    year = draw(
        st.sampled_from([1969, 9999, 1000, 999, 99, 0])
        if odd in ("year", "all")
        else st.integers(1990, 2030)
    )
    year_s = f"{year:04d}" if draw(st.booleans()) else str(year)
    top = 61 if odd in ("time", "all") else 23
    hh, mm, ss = draw(st.integers(0, top)), draw(st.integers(0, 59)), draw(st.integers(0, top))
    zone = (
        draw(_ZONES)
        if odd in ("zone", "all")
        else draw(st.sampled_from("+-"))
        + f"{draw(st.integers(0, 23)):02d}{draw(st.integers(0, 59)):02d}"
    )
    tail = draw(_TAILS) if odd in ("tail", "all") else ""
    sep = draw(st.sampled_from(["  ", "\t", " "])) if odd in ("sep", "all") else " "
    fields = [f"{weekday}{day_s}", month, year_s, f"{hh:02d}:{mm:02d}:{ss:02d}", zone + tail]
    return sep.join(fields)


@settings(max_examples=1500, deadline=None)
@given(_dates())
def test_parse_date_fast_path_equals_email_package(value):
    assert parse_date(value) == _parse_date_general(value)


@settings(max_examples=1500, deadline=None)
@given(_dates())
def test_date_micros_equal_parse_date(value):
    # The row path's microseconds: the same instant parse_date gives, or None (then the
    # row path calls parse_date itself). None exactly when parse_date's fast path is not
    # taken with a known offset.
    micros = _date_micros(value)
    try:
        when, tz_unknown = parse_date(value)
    except OverflowError:  # year 9999 pushed past the end: the row path re-raises it too
        return
    if micros is not None:
        assert (when, tz_unknown) == (_EPOCH + timedelta(microseconds=micros), False)
    m = _RFC5322_DATE.match(value)
    fast = m is not None and m.group(7, 8, 9) != ("-", "00", "00") and when is not None
    assert (micros is not None) == fast


@pytest.mark.parametrize(
    ("value", "micros"),
    [
        # 2023-03-14 09:22:33 UTC: 19430 days (53 years, 13 leap days, 31 + 28 + 13 days).
        ("Tue, 14 Mar 2023 10:22:33 +0100", (19430 * 86400 + 9 * 3600 + 22 * 60 + 33) * 10**6),
        ("1 Jan 1970 00:00:00 -0130", 5400 * 10**6),  # local midnight is 01:30 UTC
        ("Mon, 1 Jan 2024 10:00:00 -0000", None),  # zone unknown: general path
        ("Mon, 30 Feb 2023 10:00:00 +0000", None),  # no such day
        ("Mon, 1 Jan 2024 10:00 +0000", None),  # no seconds: general path
        ("mon, 1 Jan 2024 10:00:00 +0000", None),
    ],
)
def test_date_micros_examples(value, micros):
    assert _date_micros(value) == micros


@pytest.mark.parametrize(
    ("line", "token", "when"),
    [
        (
            b"From 1277085061787347926@xxx Tue Aug 05 08:00:23 +0000 2008",
            "1277085061787347926@xxx",
            utc(2008, 8, 5, 8, 0, 23),
        ),
        (
            b"From 1318905722553808470@xxx Mon Mar 22 09:41:09 -0800 1993\r",
            "1318905722553808470@xxx",
            utc(1993, 3, 22, 17, 41, 9),
        ),
        (b"From - Mon Jan 01 00:00:00 2024", "-", utc(2024, 1, 1)),
        (
            b"From alice@example.com Sat Jan  3 01:05:34 1996",
            "alice@example.com",
            utc(1996, 1, 3, 1, 5, 34),
        ),
        (b"From MAILER-DAEMON Fri Apr 06 16:46 2001", "MAILER-DAEMON", utc(2001, 4, 6, 16, 46)),
        (b"From ???@??? Mon Jan 01 00:00:00 2024 +0200", "???@???", utc(2023, 12, 31, 22)),
    ],
)
def test_parse_from_line(line, token, when):
    assert parse_from_line(line) == (token, when)


# -- ids ------------------------------------------------------------------------------------


def test_normalize_message_id():
    assert normalize_message_id("  <Abc.1@Example.org> ") == "Abc.1@Example.org"  # case kept
    assert normalize_message_id("<a@x.org> <b@y.org>") == "a@x.org"
    assert normalize_message_id("bare@example.org") == "bare@example.org"
    assert normalize_message_id(" <> ") is None


# -- whole blocks ---------------------------------------------------------------------------


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


def test_folder_flags():
    assert folder_flags("Sent Items") == (True, False, False)
    assert folder_flags("[Gmail]/Sent Mail") == (True, False, False)
    assert folder_flags("Drafts") == (False, True, False)
    assert folder_flags("Junk") == (False, False, True)
    assert folder_flags("Inbox") == (False, False, False)


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


# -- the simple-list fast path of the address tokenizer ------------------------------------

_NAMES = st.sampled_from(
    ["", "Anna Smith", "Anna  Smith ", '"Smith, Anna"', '""', '"  "', "=?UTF-8?B?QW5uYQ==?=",
     "Smith, Anna", '"Anna \\"A\\" Smith"', "Anna (work)", "a@x.org", "Anna;", "team:",
     "Ann\u00e9", '"Anna" Smith', "Anna\\", "Anna>", "\u00a0Anna\u00a0"]
)  # fmt: skip
_ANGLES = st.sampled_from(
    ["<a@x.org>", "< a@x.org >", "<@r.org:a@x.org>", "<a@x.org", "<>", "<a b@x.org>", ""]
)
_SEPS = st.sampled_from([",", ", ", " ,", ";", ",,", ", \t", ""])
_TAILS_ = st.sampled_from(["", " ", " (c)", "x", ","])


_SIMPLE_NAMES = st.sampled_from(["", "Anna Smith", '"Smith, Anna"', "=?UTF-8?B?QW5uYQ==?="])


@st.composite
def _address_lists(draw) -> str:
    """Lists of simple entries, some with one odd name, address, separator or tail."""
    n = draw(st.integers(1, 4))
    odd = draw(st.integers(-n, n - 1))  # the entry that gets odd parts (none when < 0)
    parts = []
    for i in range(n):
        names, angles, seps = (
            (_NAMES, _ANGLES, _SEPS)
            if i == odd
            else (_SIMPLE_NAMES, st.sampled_from(["<a@x.org>", "<b.c@y.org>"]), st.just(", "))
        )
        parts.append(draw(names) + draw(st.sampled_from([" ", ""])) + draw(angles))
        parts.append(draw(seps))
    tail = draw(_TAILS_) if odd >= 0 else ""
    return ("".join(parts[:-1]) + tail).strip()


@settings(max_examples=1500, deadline=None)
@given(_address_lists())
def test_simple_address_lists_tokenize_as_the_general_path(value):
    assert _tokens(value) == _tokens_general(value)


@pytest.mark.parametrize(
    ("value", "tokens"),
    [
        (
            '"Smith, Anna" <a@x.org>, Bob <b@y.org>',
            [
                ('"Smith, Anna" <a@x.org>', "Smith, Anna", "a@x.org"),
                ("Bob <b@y.org>", "Bob", "b@y.org"),
            ],
        ),
        ("<a@x.org>", [("<a@x.org>", "", "a@x.org")]),
    ],
)
def test_simple_address_lists_examples(value, tokens):
    assert _simple_tokens(value) == tokens
    assert _tokens_general(value) == tokens


def test_a_date_beyond_year_9999_in_utc_falls_back_and_never_raises():
    """31 Dec 9999 23:00 at -23:00 is 1 Jan 10000 in UTC: no datetime can hold it."""
    assert parse_date("Fri, 31 Dec 9999 23:00:00 -2300") == (None, False)
    raw = b"From: a@example.com\nDate: Fri, 31 Dec 9999 23:00:00 -2300\nMessage-ID: <x@y>\n"
    h = parse_header_block(raw, b"From a@example.com Sat Oct 24 10:00:00 2026")
    assert h.date_source == "from_line"
    assert h.sent_at == datetime(2026, 10, 24, 10, 0, tzinfo=UTC)
