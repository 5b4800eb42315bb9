"""Date and From_ line parsing. Expected values worked out by hand from the inputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sources.mail.support import utc
from transforms.sources.mail.dates import (
    _EPOCH,
    _RFC5322_DATE,
    _date_micros,
    _parse_date_general,
    parse_date,
    parse_from_line,
)
from transforms.sources.mail.headers import parse_header_block


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


def test_a_date_beyond_year_9999_in_utc_falls_back_and_never_raises():
    """31 Dec 9999 23:00 at -23:00 is 1 Jan 10000 in UTC: no datetime can hold it."""
    assert parse_date("Fri, 31 Dec 9999 23:00:00 -2300") == (None, False)
    raw = b"From: a@example.com\nDate: Fri, 31 Dec 9999 23:00:00 -2300\nMessage-ID: <x@y>\n"
    h = parse_header_block(raw, b"From a@example.com Sat Oct 24 10:00:00 2026")
    assert h.date_source == "from_line"
    assert h.sent_at == datetime(2026, 10, 24, 10, 0, tzinfo=UTC)
