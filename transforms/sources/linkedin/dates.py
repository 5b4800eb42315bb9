"""Dates as LinkedIn exports spell them → UTC datetimes, and months for Positions.csv.

Every spelling seen in the wild is one `Shape` in SHAPES, tried in order; the first whose
pattern matches decides (a match that builds no valid date is None, not the next shape).
A new spelling is one more Shape, placed before any shape that would also match it, and
one more row in tests/sources/linkedin/test_dates.py.

A spreadsheet re-save rewrites dates in its locale's short form: ``9-Sep-22``,
``9/9/2022 18:14``, ``09.09.2022``. In an all-digit date (`Shape.numeric`) nothing in one
value says which number is the day; a whole column does: `day_first(values)` reads the
column once before its rows are parsed (a first number over 12 somewhere, and a second one
over 12 nowhere, means day first). LinkedIn's own all-digit dates are US month-first, the
default.

Date-only values are 00:00 UTC; values without a zone are taken as UTC; two-digit years
pivot on 2000 (LinkedIn began in 2003). Runs of spaces, narrow and plain no-break spaces
count as one space (2018 exports put a narrow no-break space before ``PM``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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
    """One way a moment is written: the pattern, and the datetime a match means.

    `build(match, day_first)`; a `numeric` shape starts with two all-digit fields (groups
    1 and 3), day and month in the order the column uses, which `day_first` decides.
    """

    pattern: re.Pattern[str]
    build: Callable[[re.Match[str], bool], datetime | None]  # may raise ValueError: no such day
    numeric: bool = False


def _iso(m: re.Match[str], day_first: bool) -> datetime:
    y, mo, d, hh, mm, ss, frac, zone = m.groups()
    micro = int(frac.ljust(6, "0")) if frac else 0
    value = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), micro, UTC)
    if zone and zone[0] in "+-":
        digits = zone.replace(":", "")
        offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        value = value - offset if zone[0] == "+" else value + offset
    return value


def _hour(hh: str, ampm: str | None) -> int | None:
    """The 24-hour hour of `hh` read with an optional AM/PM mark (None: no such hour)."""
    hour = int(hh)
    if ampm is None:
        return hour if hour < 24 else None
    if not 1 <= hour <= 12:
        return None
    return hour % 12 + (12 if ampm in "Pp" else 0)


def _at(y: str, month: int, d: str, time: tuple[str | None, ...]) -> datetime | None:
    hh, mm, ss, ampm = time
    hour = _hour(hh, ampm) if hh is not None else 0
    if hour is None:
        return None
    return datetime(_year(y), month, int(d), hour, int(mm or 0), int(ss or 0), tzinfo=UTC)


def _day_month_name(m: re.Match[str], day_first: bool) -> datetime | None:
    day, mon, year, *time = m.groups()
    month = _MONTHS.get(mon[:3].casefold())
    return None if month is None else _at(year, month, day, tuple(time))


def _month_name_day(m: re.Match[str], day_first: bool) -> datetime | None:
    mon, day, year, *time = m.groups()
    month = _MONTHS.get(mon[:3].casefold())
    return None if month is None else _at(year, month, day, tuple(time))


def _numeric(m: re.Match[str], day_first: bool) -> datetime | None:
    a, _, b, year, *time = m.groups()  # _: the separator, the same twice
    day, month = (a, b) if day_first else (b, a)
    return _at(year, int(month), day, tuple(time))


def _dotted(m: re.Match[str], day_first: bool) -> datetime | None:
    day, month, year, *time = m.groups()
    return _at(year, int(month), day, tuple(time))


# an optional time after a date: ", 6:14 PM", " 18:14", " 18:14:05"
_TIME = r"(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp])\.?[Mm]\.?)?)?"

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
    # 05 Feb 2014 (Connected On); spreadsheet re-saves 9-Sep-22, 06-Mar-19, 09-Sep-2022
    Shape(
        re.compile(r"^(\d{1,2})[-/ ]([A-Za-z]{3})[A-Za-z]*\.?[-/ ](\d{4}|\d{2})" + _TIME + "$"),
        _day_month_name,
    ),
    # Mar 09, 2023 09:30 AM (Events), Dec 19, 1991 (Profile birth date)
    Shape(
        re.compile(r"^([A-Za-z]{3})[A-Za-z]*\.? (\d{1,2}),? (\d{4})" + _TIME + "$"),
        _month_name_day,
    ),
    # 1/8/18, 6:14 PM (LinkedIn since 2018, month first), 04/08/24, 07:15 PM, 1/8/18;
    # spreadsheet re-saves 1/8/2018 18:14, 8/1/2018 (day first in its locale), 8-1-2018
    Shape(re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + "$"), _numeric, True),
    # 09.09.2022 (a day-first locale's spreadsheet), with an optional 24-hour time
    Shape(re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})" + _TIME + "$"), _dotted),
)

_MATCHERS = tuple((shape.pattern.match, shape.build) for shape in SHAPES)  # bound once: hot


def _clean(raw: str) -> str:
    return _SPACES.sub(" ", raw).strip()


def parse_linkedin_datetime(raw: str | None, day_first: bool = False) -> datetime | None:
    """A UTC datetime for any date/time spelling LinkedIn exports use, else None.

    `day_first` reads an all-digit date (``8/1/2018``) day first: see `day_first()`.
    """
    if raw is None:
        return None
    text = _clean(raw)
    if not text:
        return None
    try:
        for match, build in _MATCHERS:
            if m := match(text):
                return build(m, day_first)
    except (ValueError, OverflowError):  # 30 Feb, month 13, hour 25
        return None
    return None


def day_first(values: Iterable[str]) -> bool:
    """Whether a column's all-digit dates put the day first: True when some value's first
    number cannot be a month (over 12) and no value's second number is over 12.

    A column without such evidence, or with both kinds (a mixed-up column: its impossible
    dates are then rejected), is read month first, as LinkedIn writes.
    """
    numeric = [(s.pattern.match, s.numeric) for s in SHAPES]
    first_big = second_big = False
    for raw in values:
        text = _clean(raw)
        for match, is_numeric in numeric:
            if m := match(text):
                if is_numeric:
                    first_big |= int(m.group(1)) > 12
                    second_big |= int(m.group(3)) > 12
                break
        if first_big and second_big:
            return False
    return first_big


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
