"""Date spellings (dates.py): every shape LinkedIn writes, and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from transforms.sources.linkedin.dates import day_first, parse_linkedin_datetime


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
        # spreadsheet re-saves (format notes: Excel re-saved Connections.csv)
        ("9-Sep-22", datetime(2022, 9, 9, tzinfo=UTC)),
        ("06-Mar-19", datetime(2019, 3, 6, tzinfo=UTC)),
        ("09-Sep-2022", datetime(2022, 9, 9, tzinfo=UTC)),
        ("1/8/2018 18:14", datetime(2018, 1, 8, 18, 14, tzinfo=UTC)),  # month first: default
        ("8-1-2018", datetime(2018, 8, 1, tzinfo=UTC)),
        ("09.09.2022 18:14", datetime(2022, 9, 9, 18, 14, tzinfo=UTC)),  # dotted: day first
        ("13/1/2018", None),  # read month first, there is no 13th month (see day_first)
        # Recommendations 2024: zero-padded; Events; Profile birth date
        ("04/08/24, 07:15 PM", datetime(2024, 4, 8, 19, 15, tzinfo=UTC)),
        ("Mar 09, 2023 09:30 AM", datetime(2023, 3, 9, 9, 30, tzinfo=UTC)),
        ("Dec 19, 1991", datetime(1991, 12, 19, tzinfo=UTC)),
        ("1/8/18, 25:14", None),
        ("31 Foo 2020", None),
        ("30 Feb 2020", None),
        ("13/40/20, 1:00 PM", None),
        ("", None),
    ],
)
def test_parse_linkedin_datetime(raw, expected):
    assert parse_linkedin_datetime(raw) == expected


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (["1/8/2018", "13/1/2018"], True),  # a first number over 12: day first
        (["1/8/2018", "1/13/2018"], False),  # a second number over 12: month first
        (["1/8/2018", "9/9/2022"], False),  # nothing says: LinkedIn's month first
        (["13/1/2018", "1/13/2018"], False),  # both: a mixed-up column, month first
        (["05 Feb 2014", "14-Aug-22", "2021-06-15 16:37:00 UTC"], False),  # no digit pairs
        (["14.08.2022", "1/8/2018"], False),  # dotted dates are day first by themselves
    ],
)
def test_day_first_is_decided_by_the_whole_column(column, expected):
    assert day_first(column) is expected


def test_day_first_reads_a_column_day_first():
    assert parse_linkedin_datetime("8/1/2018", day_first=True) == datetime(2018, 1, 8, tzinfo=UTC)
    assert parse_linkedin_datetime("1/8/18, 6:14 PM", day_first=True) == datetime(
        2018, 8, 1, 18, 14, tzinfo=UTC
    )
    # a spelling with a month name is the same either way
    assert parse_linkedin_datetime("9-Sep-22", day_first=True) == datetime(2022, 9, 9, tzinfo=UTC)
