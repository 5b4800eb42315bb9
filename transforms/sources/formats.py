"""Telling calendars and address books by their first bytes, without their parsers.

Discovery asks every file and archive what it is; importing icalendar, its recurrence
expander and vobject for that costs a third of a second of every run, also the runs that
read no calendar. The readers (calendar.py, vcard.py) import these and add the parsing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from transforms.sources import archive

CALENDAR_MARKER = b"BEGIN:VCALENDAR"
VCARD_MARKER = b"BEGIN:VCARD"


def looks_like_calendar(path: Path) -> bool:
    """True for an iCalendar file: its first line is `BEGIN:VCALENDAR`."""
    return archive.starts_with(path, CALENDAR_MARKER)


def is_calendar_member(name: str) -> bool:
    """Takeout keeps calendars as `Takeout/Calendar/<calendar>.ics`."""
    return name.lower().endswith(".ics")


def looks_like_calendar_archive(path: Path) -> bool:
    """A zip or tar holding at least one `*.ics` member (a Google Takeout archive)."""
    return any(is_calendar_member(n) for n in archive.member_names(path))


def looks_like_vcard(path: Path) -> bool:
    """True for an address book: its first line is `BEGIN:VCARD`."""
    return archive.starts_with(path, VCARD_MARKER)


def is_vcard_member(name: str) -> bool:
    """Takeout keeps address books as `Takeout/Contacts/<group>/<group>.vcf`."""
    return name.lower().endswith((".vcf", ".vcard"))


def looks_like_vcard_archive(path: Path) -> bool:
    """A zip or tar holding at least one `*.vcf` member (a Google Takeout archive)."""
    return any(is_vcard_member(n) for n in archive.member_names(path))


def horizon_for(as_of: date) -> date:
    """The first day calendar occurrences are no longer expanded for: 1 January two years
    after the as-of year (so a run any day of next year still finds its occurrences in the
    cache)."""
    return date(as_of.year + 2, 1, 1)
