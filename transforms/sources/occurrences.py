"""Occurrences of a calendar's events: each one as it finally stands, up to a horizon.

recurring-ical-events expands RRULE / RDATE / EXDATE and applies RECURRENCE-ID overrides
(RFC 5545); this module turns its occurrences into staged rows, traces each to the VEVENT it
stands as (by the occurrence's id: its UID and, for an override, its RECURRENCE-ID, rather
than by a copy of the VEVENT per occurrence, which costs more than the expansion itself),
and keys each occurrence so that the same one in two calendars is one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

#: Occurrences before this are not expanded (a series cannot start earlier in practice).
EARLIEST = datetime(1900, 1, 1)
#: A property of our own on each VEVENT read: which row of its calendar it is.
ROW = "X-KITH-ROW"


@dataclass
class Expanded:
    """One VCALENDAR's occurrences: stg_calendar_occurrences rows (location first), how
    many each VEVENT row stands for, and the UIDs whose series could not be expanded."""

    rows: list[tuple] = field(default_factory=list)
    counts: dict[int, int] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)


def expand(
    cal: icalendar.Calendar,
    events: list[icalendar.Event],
    where: list[str],
    zone: ZoneInfo | None,
    horizon_day: date,
) -> Expanded:
    """Every occurrence before `horizon_day` of the VEVENTs left in `cal` (each marked with
    its row in `events` under ROW, each with a UID); `where` is each row's location."""
    out = Expanded()
    kept = [c for c in cal.subcomponents if c.name == "VEVENT"]
    uids = {str(c["UID"]) for c in kept}
    if not uids:
        return out
    stop = datetime.combine(horizon_day, datetime.min.time()) + timedelta(days=2)
    horizon = datetime.combine(horizon_day, datetime.min.time(), tzinfo=UTC)
    base, overrides = _rows_by_id(kept, zone)
    single = {  # rows of events that are neither a series nor an override: one occurrence
        int(str(c[ROW]))
        for c in kept
        if not any(p in c for p in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }
    query = recurring_ical_events.of(cal, skip_bad_series=True)
    expanded: set[str] = set()
    for series in query.series:
        uid = str(series.uid)
        try:
            found = list(series.between(EARLIEST, stop))
        except Exception:  # noqa: BLE001 - one broken series must not lose the others
            out.failed.add(uid)
            continue
        expanded.add(uid)
        for occ in found:
            start, floating = utc_of(occ.start, zone)
            if start >= horizon:
                continue
            planned = occ.id.recurrence_id
            row = base.get(uid) if planned is None else overrides.get((uid, planned))
            if row is None:  # not traced by id: ask the expander for the VEVENT itself
                row = int(str(occ.as_component(False)[ROW]))
            out.counts[row] = out.counts.get(row, 0) + 1
            if row in single:
                key_at = None  # a single event is one occurrence, wherever it was moved
            elif planned is None:
                key_at = start  # a series' own occurrence stands where it was planned
            elif "RANGE" in events[row]["RECURRENCE-ID"].params:  # this-and-future: own start
                key_at = start
            else:
                key_at = planned.replace(tzinfo=UTC)
            end = utc_of(occ.end, zone)[0] if occ.end is not None else start
            out.rows.append(
                (
                    where[row],
                    _occurrence_key(uid, key_at),
                    start,
                    max(end, start),
                    not isinstance(occ.start, datetime),
                    floating,
                )
            )
    out.failed |= uids - expanded  # series the library skipped while collecting them
    return out


def _rows_by_id(
    kept: list[icalendar.Event], zone: ZoneInfo | None
) -> tuple[dict[str, int], dict[tuple[str, datetime], int]]:
    """UID -> row of its series' VEVENT (the highest SEQUENCE, as the expander takes it),
    and (UID, RECURRENCE-ID in UTC without zone, as the expander keys it) -> override row."""
    base: dict[str, tuple[int, int]] = {}
    overrides: dict[tuple[str, datetime], int] = {}
    for event in kept:
        row, uid = int(str(event[ROW])), str(event["UID"])
        rid = event.get("RECURRENCE-ID")
        if rid is None:
            sequence = sequence_of(event)
            if uid not in base or sequence > base[uid][0]:
                base[uid] = (sequence, row)
        else:
            overrides[(uid, utc_of(rid.dt, zone)[0].replace(tzinfo=None))] = row
    return {uid: row for uid, (_, row) in base.items()}, overrides


def sequence_of(event: icalendar.Event) -> int:
    """SEQUENCE (the event's revision), 0 when absent or unreadable."""
    try:
        return int(str(event.get("SEQUENCE", 0)))
    except ValueError:
        return 0


def _occurrence_key(uid: str, original_at: datetime | None) -> str:
    """The same occurrence of the same event in two calendars has the same key: its UID
    and, in a series, the start it was scheduled for (its RECURRENCE-ID)."""
    at = original_at.isoformat() if original_at is not None else "single"
    return hashlib.sha256(f"{uid}|{at}".encode()).hexdigest()[:32]


def utc_of(value: date | datetime, zone: ZoneInfo | None) -> tuple[datetime, bool]:
    """(the instant in UTC, whether UTC was assumed for a floating time).

    A date is 00:00 UTC of that day; a floating time is in the calendar's zone.
    """
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC), False
    if value.tzinfo is None:
        if zone is None:
            return value.replace(tzinfo=UTC), True
        return value.replace(tzinfo=zone).astimezone(UTC), False
    return value.astimezone(UTC), False
