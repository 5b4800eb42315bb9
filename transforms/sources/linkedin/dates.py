"""Dates as LinkedIn exports spell them → UTC datetimes, and months for Positions.csv.

Every spelling seen in the wild is one `Shape` in SHAPES, tried in order; the first whose
pattern matches decides (a match that builds no valid date is None, not the next shape).
A new spelling is one more Shape, placed before any shape that would also match it, and
one more row in tests/sources/linkedin/test_dates.py.

Date-only values are 00:00 UTC; values without a zone are taken as UTC; two-digit years
pivot on 2000. Runs of spaces, narrow and plain no-break spaces count as one space
(2018 exports put a narrow no-break space before ``PM``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_SPACES = re.compile(r"[\s\u202f\u00a0]+")


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


class Shape(NamedTuple):
    """One way LinkedIn writes a moment: the pattern, and the datetime a match means."""

    pattern: re.Pattern[str]
    build: Callable[[re.Match[str]], datetime | None]  # may raise ValueError: no such day


def _iso(m: re.Match[str]) -> datetime:
    y, mo, d, hh, mm, ss, frac, zone = m.groups()
    micro = int(frac.ljust(6, "0")) if frac else 0
    value = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), micro, UTC)
    if zone and zone[0] in "+-":
        digits = zone.replace(":", "")
        offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        value = value - offset if zone[0] == "+" else value + offset
    return value


def _day_month_year(m: re.Match[str]) -> datetime | None:
    day, mon, year = m.groups()
    month = _MONTHS.get(mon.casefold())
    if month is None:
        return None
    return datetime(_year(year), month, int(day), tzinfo=UTC)


def _us_time(m: re.Match[str]) -> datetime | None:
    mo, d, y, hh, mm, ss, ampm = m.groups()
    hour = int(hh)
    if not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if ampm in "Pp" else 0)
    return datetime(_year(y), int(mo), int(d), hour, int(mm), int(ss or 0), tzinfo=UTC)


def _us_date(m: re.Match[str]) -> datetime:
    mo, d, y = m.groups()
    return datetime(_year(y), int(mo), int(d), tzinfo=UTC)


SHAPES: tuple[Shape, ...] = (
    # 2021-06-15 16:37:00 UTC (messages), 2019-11-06T02:08:20 (Feb 2020 messages),
    # 2022/04/01 11:05:54 UTC (Endorsement Date), 2014-02-05; an optional zone or offset
    Shape(
        re.compile(
            r"^(\d{4})[-/](\d{2})[-/](\d{2})"
            r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
            r" ?(UTC|GMT|Z|[+-]\d{2}:?\d{2})?$",
            re.IGNORECASE,
        ),
        _iso,
    ),
    # 05 Feb 2014 / 5 Feb 2014 (Connected On) / 29-Feb-20 (spreadsheet re-save)
    Shape(
        re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*\.?[ -](\d{4}|\d{2})$"), _day_month_year
    ),
    # 1/8/18, 6:14 PM (2018 exports, Creation Date): optional seconds, 4-digit year, comma
    Shape(
        re.compile(
            r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),?"
            r" (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp])\.?[Mm]\.?$"
        ),
        _us_time,
    ),
    # 1/8/18 (a date alone)
    Shape(re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$"), _us_date),
)

_MATCHERS = tuple((shape.pattern.match, shape.build) for shape in SHAPES)  # bound once: hot


def parse_linkedin_datetime(raw: str | None) -> datetime | None:
    """A UTC datetime for any date/time spelling LinkedIn exports use, else None."""
    if raw is None:
        return None
    text = _SPACES.sub(" ", raw).strip()
    if not text:
        return None
    try:
        for match, build in _MATCHERS:
            if m := match(text):
                return build(m)
    except (ValueError, OverflowError):  # 30 Feb, month 13, hour 25
        return None
    return None


# -- months: Positions.csv --------------------------------------------------------------------

_MONTH_YEAR = re.compile(r"^([A-Za-z]{3})[A-Za-z]*\.? (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_month(raw: str | None) -> tuple[date | None, bool]:
    """(first day of the month, True) for ``Jan 2024`` / ``2024`` / a full date.

    Blank → (None, True): an empty ``Finished On`` is the current role, not an error.
    """
    text = _SPACES.sub(" ", raw or "").strip()
    if not text:
        return None, True
    try:
        if m := _MONTH_YEAR.match(text):
            month = _MONTHS.get(m.group(1).casefold())
            return (date(int(m.group(2)), month, 1), True) if month else (None, False)
        if m := _YEAR.match(text):
            return date(int(m.group(1)), 1, 1), True
    except ValueError:
        return None, False
    when = parse_linkedin_datetime(text)
    return (when.date(), True) if when else (None, False)
