"""When a message was sent: the Date header, else the envelope, Received or file dates.

Dates: `parsedate_to_datetime`, with a fast path for the common RFC 5322 shape; a naive
result gets the numeric offset written in the value if any (`+01:00`, `(EDT) -0400`), else
is taken as UTC (`date_tz_unknown`). Unparseable or implausible dates (before 1990, or
after `latest_plausible()`) fall back to the From_ line date, then the first Received
date, then a time the caller supplies (the file's mtime, Maildir's delivery time);
`date_source` says which. Staged times are microseconds since the epoch, UTC.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

_FROM_LINE_DATE = re.compile(
    r"(?P<mon>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+(?P<h>\d{1,2}):(?P<m>\d\d)(?::(?P<s>\d\d))?"
    r"(?:\s+(?P<z1>[+-]\d{4}|[A-Za-z]{1,5}))?\s+(?P<y>\d{4})(?:\s+(?P<z2>[+-]\d{4}))?"
)
_MONTH_NUMBER = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_MONTHS = {m.lower(): i for m, i in _MONTH_NUMBER.items()}  # From_ lines: any case
# The common RFC 5322 Date shape (`Tue, 14 Mar 2023 10:22:33 +0100`, optionally a trailing
# comment): parsed here without `parsedate_to_datetime` (12 us). Only shapes whose reading
# by the email package is unambiguous match (4-digit year from 1000, valid time fields,
# an offset below 24 h); everything else takes the general path.
_RFC5322_DATE = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d\d?) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]\d{3}) "
    r"([01]\d|2[0-3]):([0-5]\d):([0-5]\d) ([+-])([01]\d|2[0-3])([0-5]\d)"
    r"(?: \([ -'*-~]*\))?\Z",
    re.ASCII,
)
_OFFSET = re.compile(r"(?:^|\s|\()([+-])(\d\d):?(\d\d)(?!\d)")
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_EARLIEST_US = (_EARLIEST - _EPOCH) // _US


def parse_date(value: str | None) -> tuple[datetime | None, bool]:
    """(UTC datetime or None, tz_unknown) for a Date-style value."""
    if not value:
        return None, False
    m = _RFC5322_DATE.match(value)
    if m is not None:
        day, mon, year, hh, mi, ss, sign, oh, om = m.groups()
        offset = int(oh) * 3600 + int(om) * 60
        if offset or sign == "+":  # "-0000" means "zone unknown": the general path
            try:
                dt = datetime(int(year), _MONTH_NUMBER[mon], int(day), int(hh), int(mi), int(ss))
            except ValueError:  # 31 Feb: the general path says the same
                pass
            else:
                delta = timedelta(seconds=offset if sign == "+" else -offset)
                try:
                    return dt.replace(tzinfo=UTC) - delta, False
                except OverflowError:  # beyond year 9999 in UTC: no usable date
                    return None, False
    return _parse_date_general(value)


# `_RFC5322_DATE` with the date, the clock and the zone as three groups (the same shapes):
# days and zones repeat across a mailbox, so each is converted once (clocks rarely do).
_RFC5322_PARTS = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?"
    r"(\d\d? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [1-9]\d{3}) "
    r"((?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d) ([+-](?:[01]\d|2[0-3])[0-5]\d)"
    r"(?: \([ -'*-~]*\))?\Z",
    re.ASCII,
)
_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()


def _date_micros(value: str) -> int | None:
    """`parse_date(value)` as microseconds since the epoch, for the shapes its fast path
    reads with a known offset; None for anything else (the caller then uses `parse_date`).
    `tests/sources/mail/test_dates.py` checks the two agree."""
    m = _RFC5322_PARTS.match(value)
    if m is None:
        return None
    day, clock, zone = m.groups()
    days = _day_micros(day)
    offset = _zone_micros(zone)
    if days is None or offset is None:
        return None
    return days + _clock_micros(clock) + offset


@lru_cache(maxsize=20_000)
def _day_micros(text: str) -> int | None:
    """`14 Mar 2023` -> microseconds from the epoch to that midnight; None for 31 Feb."""
    day, mon, year = text.split(" ")
    try:
        ordinal = date(int(year), _MONTH_NUMBER[mon], int(day)).toordinal()
    except ValueError:
        return None
    return (ordinal - _EPOCH_ORDINAL) * 86_400_000_000


def _clock_micros(text: str) -> int:
    """`10:22:33` (the shape `_RFC5322_PARTS` matched) -> microseconds since midnight.
    Not cached: nearly every message has its own clock, so a cache only held memory."""
    return (int(text[:2]) * 3600 + int(text[3:5]) * 60 + int(text[6:])) * 1_000_000


@lru_cache(maxsize=4096)
def _zone_micros(text: str) -> int | None:
    """`+0100` -> the microseconds to add to local time for UTC; None for `-0000` (zone
    unknown: the general path marks it)."""
    offset = (int(text[1:3]) * 3600 + int(text[3:5]) * 60) * 1_000_000
    if not offset and text[0] == "-":
        return None
    return -offset if text[0] == "+" else offset


def _parse_date_general(value: str) -> tuple[datetime | None, bool]:
    """`parse_date` through `parsedate_to_datetime`: any shape the email package reads."""
    try:
        dt = parsedate_to_datetime(value)
    except Exception:  # ValueError, TypeError, OverflowError on garbage
        return None, False
    if dt is None:
        return None, False
    tz_unknown = False
    if dt.tzinfo is None:
        matches = _OFFSET.findall(value)
        sign, hh, mm = matches[-1] if matches else ("+", "00", "00")
        minutes = int(hh) * 60 + int(mm)
        if matches and minutes < 24 * 60:
            offset = timedelta(minutes=minutes if sign == "+" else -minutes)
            tz_unknown = minutes == 0 and sign == "-"
            dt = dt.replace(tzinfo=timezone(offset))
        else:
            tz_unknown = True
            dt = dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(UTC), tz_unknown
    except (OverflowError, ValueError):
        return None, False


def parse_from_line(line: bytes | str | None) -> tuple[str | None, datetime | None]:
    """(sender token, UTC date or None) from an mbox From_ line."""
    if not line:
        return None, None
    if isinstance(line, bytes):
        line = line.decode("latin-1")
    line = line.rstrip("\r\n")
    if not line.startswith("From "):
        return None, None
    rest = line[5:].lstrip(" ")
    token, _, tail = rest.partition(" ")
    m = _FROM_LINE_DATE.search(tail)
    if not m:
        return token or None, None
    month = _MONTHS.get(m["mon"].lower())
    if month is None:
        return token or None, None
    zone = m["z1"] if m["z1"] and m["z1"][0] in "+-" else m["z2"]
    tz = UTC
    if zone:
        minutes = int(zone[1:3]) * 60 + int(zone[3:5])
        tz = timezone(timedelta(minutes=minutes if zone[0] == "+" else -minutes))
    try:
        dt = datetime(
            int(m["y"]), month, int(m["day"]), int(m["h"]), int(m["m"]), int(m["s"] or 0), tzinfo=tz
        )
    except ValueError:
        return token or None, None
    return token or None, dt.astimezone(UTC)


def _plausible(dt: datetime | None, latest: datetime) -> bool:
    """Between 1990 and `latest` (now + 1 day, taken once per file by the readers)."""
    return dt is not None and _EARLIEST <= dt <= latest


def latest_plausible() -> datetime:
    """The latest plausible message time: now + 1 day (clocks and zones disagree)."""
    return datetime.now(UTC) + timedelta(days=1)


@lru_cache(maxsize=8)
def _micros(when: datetime) -> int:
    """Microseconds since the epoch of an aware datetime (`latest`: one per file)."""
    return (when - _EPOCH) // _US


def from_micros(micros: int) -> datetime:
    """The aware UTC datetime of a staged time (microseconds since the epoch)."""
    return _EPOCH + timedelta(microseconds=micros)


def message_time(
    date_raw: str | None,
    from_line: bytes | str | None,
    received: Callable[[], str | None],
    fallback_time: datetime | None,
    fallback_source: str,
    latest: datetime,
) -> tuple[int | None, datetime | None, bool, str | None]:
    """(microseconds, sent_at, tz_unknown, date_source) of one message.

    `date_raw` is the unfolded Date value; `received` gives the first Received value (unfolded),
    called only when the Date is unusable (most messages never need it). `sent_at` is None
    when the microseconds came straight from the fast path (the common case: no datetime
    is made). An implausible date is kept when no fallback is plausible either.
    """
    micros = _date_micros(date_raw) if date_raw else None
    sent_at: datetime | None = None
    tz_unknown = False
    date_source: str | None = "header"
    if micros is None or not (_EARLIEST_US <= micros <= _micros(latest)):
        micros = None
        sent_at, tz_unknown = parse_date(date_raw)
        date_source = "header" if sent_at else None
    if micros is None and (sent_at is None or not (_EARLIEST <= sent_at <= latest)):
        candidates = [(parse_from_line(from_line)[1], "from_line")]
        first_received = received()
        if first_received is not None:
            candidates.append((parse_date(first_received.rpartition(";")[2])[0], "received"))
        candidates.append((fallback_time, fallback_source))
        for candidate, source in candidates:
            if _plausible(candidate, latest):
                sent_at, date_source, tz_unknown = candidate, source, False
                break
        else:
            if sent_at is None:
                for candidate, source in candidates:
                    if candidate is not None:
                        sent_at, date_source, tz_unknown = candidate, source, False
                        break
    if sent_at is not None:
        micros = (sent_at - _EPOCH) // _US
    return micros, sent_at, tz_unknown, date_source
