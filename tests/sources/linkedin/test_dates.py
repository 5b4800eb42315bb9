"""Date spellings (dates.py): every shape LinkedIn writes, and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from transforms.sources.linkedin.dates import parse_linkedin_datetime


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
