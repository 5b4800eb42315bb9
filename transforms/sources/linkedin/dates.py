"""Dates as LinkedIn exports spell them → UTC datetimes, and months for Positions.csv."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_SPACES = re.compile(r"[\s\u202f\u00a0]+")
# 05 Feb 2014 / 5 Feb 2014 / 29-Feb-20 (spreadsheet re-save)
_DMY = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*\.?[ -](\d{4}|\d{2})$")
# 1/8/18, 6:14 PM  (optional seconds, optional 4-digit year, optional comma)
_US = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp])\.?[Mm]\.?$"
)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
# 2021-06-15 16:37:00 UTC, 2019-11-06T02:08:20, 2022/04/01 11:05:54 UTC, 2014-02-05
_ISO = re.compile(
    r"^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
    r" ?(UTC|GMT|Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def parse_linkedin_datetime(raw: str | None) -> datetime | None:
    """A UTC datetime for any date/time spelling LinkedIn exports use, else None.

    Date-only values are 00:00 UTC; values without a zone are taken as UTC; two-digit
    years pivot on 2000.
    """
    if raw is None:
        return None
    text = _SPACES.sub(" ", raw).strip()
    if not text:
        return None
    try:
        if m := _ISO.match(text):
            y, mo, d, hh, mm, ss, frac, zone = m.groups()
            micro = int(frac.ljust(6, "0")) if frac else 0
            value = datetime(
                int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), micro, UTC
            )
            if zone and zone[0] in "+-":
                digits = zone.replace(":", "")
                offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
                value = value - offset if zone[0] == "+" else value + offset
            return value
        if m := _DMY.match(text):
            day, mon, year = m.groups()
            month = _MONTHS.get(mon.casefold())
            if month is None:
                return None
            return datetime(_year(year), month, int(day), tzinfo=UTC)
        if m := _US.match(text):
            mo, d, y, hh, mm, ss, ampm = m.groups()
            hour = int(hh)
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm in "Pp" else 0)
            return datetime(_year(y), int(mo), int(d), hour, int(mm), int(ss or 0), tzinfo=UTC)
        if m := _US_DATE.match(text):
            mo, d, y = m.groups()
            return datetime(_year(y), int(mo), int(d), tzinfo=UTC)
    except (ValueError, OverflowError):
        return None
    return None


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
