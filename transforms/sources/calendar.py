"""Calendars (.ics): events, each occurrence as it finally stands, and who was in them.

Reads iCalendar files (RFC 5545) as Google Calendar (Takeout's `Takeout/Calendar/*.ics`,
or Settings → Export), Apple Calendar and Outlook write them: single files, folders, or the
`*.ics` members of a Takeout zip / tgz. Parsed with icalendar; Google's `X-WR-TIMEZONE`
repaired with x-wr-timezone (its events are written in UTC, so a weekly 10:00 meeting would
drift by an hour at daylight saving); recurrences expanded with recurring-ical-events, which
follows RFC 5545: `COUNT` counts occurrences before `EXDATE` removes any, `UNTIL` is
inclusive, a `RECURRENCE-ID` override moves or cancels one occurrence.

Three staged tables (transforms/schemas.py): `stg_calendar_events`, one row per VEVENT read
(a series, an override, a single event); `stg_calendar_occurrences`, one row per occurrence
up to the expansion horizon; `stg_calendar_attendees`, one row per VEVENT × ORGANIZER or
ATTENDEE. Which occurrences count, and for whom, is decided in SQL
(sql/core/int_meeting_interactions.sql), as of the run's date.

The horizon: occurrences are expanded up to the end of the year after the as-of year, not
up to the as-of date, and the horizon is part of the input's cache key. A nightly run's
as-of date moves every day; the cached rows then still hold every occurrence it can reach,
and the marts count those before the as-of date.

Quirks handled:
- floating times (no zone) are in the calendar's zone (`X-WR-TIMEZONE`); without one UTC
  is assumed and `time_zone_assumed` says so;
- all-day events stand at 00:00 UTC of their first day (`is_all_day`);
- Outlook's Windows zone names (`TZID=W. Europe Standard Time`) resolve through the file's
  VTIMEZONE;
- a VEVENT without a readable DTSTART, or with an unreadable DTEND, RRULE, RDATE, EXDATE or
  RECURRENCE-ID, is refused whole; a participant without an address (Outlook's
  `invalid:nomail`) is a reject row while the event loads;
- a series none of whose VEVENTs lists an ATTENDEE is not expanded: own blocks, birthdays
  and holidays can never be meetings.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import polars as pl

from transforms import schemas
from transforms.rejects import Parsed, reject_rows, whole_file
from transforms.sources import archive
from transforms.sources.formats import (
    CALENDAR_MARKER,
    is_calendar_member,
)
from transforms.sources.occurrences import (
    ROW,
    expand,
    sequence_of,
    utc_of,
)
from transforms.sources.participants import address_of, participant_kind

KIND = "calendar"
MARKER = CALENDAR_MARKER
#: Properties whose breakage leaves no usable time or recurrence: the VEVENT is refused.
_TIME_PROPERTIES = {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
_BEGIN_EVENT = re.compile(r"^BEGIN:VEVENT[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


@dataclass
class _Staging:
    """The rows of one input (a file, or every member of an archive)."""

    source_file: str
    horizon: date
    bots: tuple[str, ...]
    events: list[tuple] = field(default_factory=list)
    occurrences: list[tuple] = field(default_factory=list)
    attendees: list[tuple] = field(default_factory=list)
    rejects: list[tuple[str, str]] = field(default_factory=list)
    rows_in: int = 0
    rows_rejected: int = 0

    def result(self) -> Parsed:
        tables = {
            "stg_calendar_events": self.events,
            "stg_calendar_occurrences": self.occurrences,
            "stg_calendar_attendees": self.attendees,
        }
        frames = {}
        for table, rows in tables.items():
            schema = schemas.STAGED[table]
            frames[table] = pl.DataFrame(
                [(self.source_file, *row) for row in rows], schema=schema, orient="row"
            )
        return Parsed(
            source_file=self.source_file,
            kind=KIND,
            rows_in=self.rows_in,
            rows_loaded=self.rows_in - self.rows_rejected,
            rows_rejected=self.rows_rejected,
            tables=frames,
            rejects=reject_rows(self.source_file, self.rejects),
        )


def read_calendar(path: Path, horizon: date, bots: tuple[str, ...] = ()) -> Parsed:
    """One .ics file, or every `*.ics` member of a Takeout archive, as one Parsed.

    `rows_in` counts VEVENTs; `horizon` is the first day not expanded
    (`formats.horizon_for`);
    `bots` adds to the built-in list of note-takers (see participants.py).
    """
    path = Path(path)
    staging = _Staging(str(path), horizon, tuple(bots))
    if archive.archive_kind(path) is None:
        try:
            data = path.read_bytes()
        except OSError as err:
            return whole_file(path, f"cannot read file ({type(err).__name__})", KIND)
        if not _read_text(staging, archive.text_of(data), "", path.stem):
            return whole_file(path, "not a readable calendar", KIND)
        return staging.result()
    try:
        for name, data in archive.members(path, is_calendar_member):
            if data is None:
                staging.rejects.append((name, "member too large to be a calendar"))
            elif not _read_text(staging, archive.text_of(data), name + " ", _stem(name)):
                staging.rejects.append((name, "not a readable calendar"))
    except archive.ARCHIVE_ERRORS as err:
        staging.rejects.append(
            ("file", f"read error, rest of archive skipped ({type(err).__name__})")
        )
    return staging.result()


def _stem(member: str) -> str:
    name = PurePosixPath(member).name
    return name[:-4] if name.lower().endswith(".ics") else name


def _read_text(staging: _Staging, text: str, prefix: str, default_name: str) -> bool:
    """Stage every VEVENT of one file's text; False when it is no calendar at all."""
    if not archive.first_line_is(text[:4096].encode("utf-8", "replace"), MARKER):
        return False
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except ValueError:
        return False
    lines, line, at = [], 1, 0
    for m in _BEGIN_EVENT.finditer(text):  # line numbers of the BEGIN:VEVENTs, in one pass
        line += text.count("\n", at, m.start())
        at = m.start()
        lines.append(line)
    seen = 0
    for cal in calendars:
        events = [c for c in cal.subcomponents if c.name == "VEVENT"]
        where = [
            f"{prefix}line {lines[seen + i]}" if seen + i < len(lines) else f"{prefix}event {i}"
            for i in range(len(events))
        ]
        seen += len(events)
        _read_one(staging, cal, events, where, default_name, prefix)
    return True


def _read_one(
    staging: _Staging,
    cal: icalendar.Calendar,
    events: list[icalendar.Event],
    where: list[str],
    default_name: str,
    prefix: str,
) -> None:
    """One VCALENDAR: its VEVENTs' rows, then the occurrences of the series with attendees."""
    name = str(cal.get("X-WR-CALNAME") or default_name).strip() or default_name
    zone = _zone(cal, staging, prefix.strip() or "file")
    usable: list[int] = []
    for i, event in enumerate(events):
        staging.rows_in += 1
        problem = _unusable(event)
        if problem:
            staging.rows_rejected += 1
            staging.rejects.append((where[i], problem))
            continue
        if "UID" not in event:  # its own series; never the same event as another file's
            event["UID"] = hashlib.sha256(f"{staging.source_file}|{where[i]}".encode()).hexdigest()
        event[ROW] = str(i)
        usable.append(i)
    with_guests = {str(events[i]["UID"]) for i in usable if "ATTENDEE" in events[i]}
    cal.subcomponents = [
        c
        for c in cal.subcomponents
        if c.name != "VEVENT" or (ROW in c and str(c["UID"]) in with_guests)
    ]
    if "X-WR-TIMEZONE" in cal and zone is None:
        del cal["X-WR-TIMEZONE"]  # an unknown zone name: times stay as written
    found = expand(cal, events, where, zone, staging.horizon)
    staging.occurrences += found.rows
    for i in usable:
        event = events[i]
        if str(event["UID"]) in found.failed:
            staging.rows_rejected += 1
            staging.rejects.append((where[i], "recurrence could not be expanded"))
            continue
        _stage_event(staging, event, where[i], name, zone, found.counts.get(i, 0))


def _zone(cal: icalendar.Calendar, staging: _Staging, location: str) -> ZoneInfo | None:
    """The calendar's own zone (X-WR-TIMEZONE), for its floating times; None without one."""
    raw = cal.get("X-WR-TIMEZONE")
    if raw is None:
        return None
    try:
        return ZoneInfo(str(raw).strip())
    except (ZoneInfoNotFoundError, ValueError):
        staging.rejects.append((location, "unknown X-WR-TIMEZONE: floating times taken as UTC"))
        return None


def _unusable(event: icalendar.Event) -> str | None:
    """Why a VEVENT has no usable time or recurrence, or None."""
    broken = sorted({prop for prop, _ in getattr(event, "errors", ()) if prop in _TIME_PROPERTIES})
    if broken:
        return f"unreadable {', '.join(broken)}"
    start = event.get("DTSTART")
    if start is None:
        return "no start (DTSTART)"
    if not isinstance(getattr(start, "dt", None), date):
        return "unreadable DTSTART"
    return None


def _when(event: icalendar.Event, prop: str, zone: ZoneInfo | None) -> datetime | None:
    value = event.get(prop)
    dt = getattr(value, "dt", None)
    if isinstance(dt, date):
        return utc_of(dt, zone)[0]
    return None


def _stage_event(
    staging: _Staging,
    event: icalendar.Event,
    location: str,
    calendar_name: str,
    zone: ZoneInfo | None,
    n_occurrences: int,
) -> None:
    """The VEVENT's row and one row per participant (organizer first)."""
    start_value = event["DTSTART"].dt
    starts_at, floating = utc_of(start_value, zone)
    sequence = sequence_of(event)
    status = str(event.get("STATUS", "")).strip().upper() or None
    staging.events.append(
        (
            location,
            calendar_name,
            str(event["UID"]),
            _when(event, "RECURRENCE-ID", zone),
            sequence,
            status,
            starts_at,
            _when(event, "DTEND", zone),
            not isinstance(start_value, datetime),
            any(p in event for p in ("RRULE", "RDATE")),
            _when(event, "LAST-MODIFIED", zone) or _when(event, "DTSTAMP", zone),
            n_occurrences,
            floating,
        )
    )
    people = [("organizer", event.get("ORGANIZER"))]
    attendees = event.get("ATTENDEE", [])
    people += [("attendee", a) for a in (attendees if isinstance(attendees, list) else [attendees])]
    for role, prop in people:
        if prop is None:
            continue
        address = address_of(str(prop))
        if address is None:
            staging.rejects.append((location, f"{role} without a usable address"))
            continue
        params = getattr(prop, "params", {})
        name = _param(params, "CN")
        if name is not None and "@" in name:
            name = None  # Google writes the address as the name when there is none
        cutype = _param(params, "CUTYPE")
        staging.attendees.append(
            (
                location,
                role,
                address,
                name,
                _param(params, "PARTSTAT"),
                cutype,
                _param(params, "ROLE"),
                participant_kind(address, name, cutype, staging.bots),
            )
        )


def _param(params: dict, key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    text = " ".join(str(value).split()) if value is not None else ""
    return (text.upper() if key in ("PARTSTAT", "CUTYPE", "ROLE") else text) or None
