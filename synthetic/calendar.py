"""Writer: the meetings as Google Takeout writes a calendar, and the address book as
Google Contacts exports it.

    Takeout/Calendar/<owner's address>.ics   the primary calendar (X-WR-CALNAME is the
                                             owner's address, X-WR-TIMEZONE its zone,
                                             every time in UTC)
    Takeout/Calendar/Team.ics                a second calendar holding copies of some
                                             meetings (same UID)
    Takeout/Contacts/My Contacts/My Contacts.vcf, Takeout/Contacts/Starred/Starred.vcf
                                             vCard 3.0; a starred card is in both

Lines end in CRLF and are folded at 75 octets, as RFC 5545 / 6350 want.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from synthetic.calendar_activity import CalendarActivity, Guest, Meeting
from synthetic.encoding import write_text
from synthetic.people import Cast


def write_calendar(root: Path, cast: Cast, activity: CalendarActivity) -> list[Path]:
    """The two .ics files under root/Takeout/Calendar; their paths."""
    folder = root / "Takeout" / "Calendar"
    folder.mkdir(parents=True, exist_ok=True)
    primary = folder / f"{cast.owner_emails[0]}.ics"
    team = folder / "Team.ics"
    write_text(primary, _calendar(cast.owner_emails[0], activity.zone, activity.meetings))
    copies = [m for m in activity.meetings if m.in_team_calendar]
    write_text(team, _calendar("Team", activity.zone, copies))
    return [primary, team]


def write_address_book(root: Path, activity: CalendarActivity) -> list[Path]:
    """My Contacts.vcf (every card) and Starred.vcf (the starred ones again)."""
    paths = []
    for group, cards in (
        ("My Contacts", activity.cards),
        ("Starred", [c for c in activity.cards if c.starred]),
    ):
        folder = root / "Takeout" / "Contacts" / group
        folder.mkdir(parents=True, exist_ok=True)
        lines: list[str] = []
        for card in cards:
            lines += ["BEGIN:VCARD", "VERSION:3.0", f"FN:{card.name}"]
            first = (
                card.name[: -len(card.family)].strip() if card.name.endswith(card.family) else ""
            )
            lines.append(f"N:{card.family};{first};;;")
            for n, email in enumerate(card.emails, start=1):
                lines += [f"item{n}.EMAIL;TYPE=INTERNET:{email}", f"item{n}.X-ABLabel:Other"]
            if card.profile_url:
                lines.append(f"X-SOCIALPROFILE;TYPE=linkedin:{card.profile_url}")
            lines += ["CATEGORIES:myContacts" + (",starred" if card.starred else ""), "END:VCARD"]
        path = folder / f"{group}.vcf"
        write_text(path, "".join(_fold(line) for line in lines))
        paths.append(path)
    return paths


def _stamp(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y%m%dT%H%M%SZ")


def _calendar(name: str, zone: str, meetings: list[Meeting]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{name}",
        f"X-WR-TIMEZONE:{zone}",
    ]
    for m in meetings:
        lines += _series(m)
        for occ in m.occurrences:
            if occ.start != occ.planned or occ.cancelled:
                lines += _override(m, occ.planned, occ.start, occ.cancelled)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) for line in lines)


def _series(m: Meeting) -> list[str]:
    first = m.occurrences[0]
    if m.all_day:
        day = datetime.fromtimestamp(first.planned, UTC).date()
        when = [
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=3):%Y%m%d}",
        ]
    else:
        when = [
            f"DTSTART:{_stamp(first.planned)}",
            f"DTEND:{_stamp(first.planned + 60 * m.minutes)}",
        ]
    if m.every_weeks:
        end = (
            f"COUNT={len(m.occurrences)}"
            if m.by_count
            else f"UNTIL={_stamp(m.occurrences[-1].planned)}"
        )
        interval = f";INTERVAL={m.every_weeks}" if m.every_weeks > 1 else ""
        when.append(f"RRULE:FREQ=WEEKLY{interval};{end}")
        excluded = [_stamp(o.planned) for o in m.occurrences if o.excluded]
        if excluded:
            when.append("EXDATE:" + ",".join(excluded))
    status = "CANCELLED" if m.cancelled else "CONFIRMED"
    return _event(m, when, status, sequence=0)


def _override(m: Meeting, planned: int, start: int, cancelled: bool) -> list[str]:
    when = [
        f"DTSTART:{_stamp(start)}",
        f"DTEND:{_stamp(start + 60 * m.minutes)}",
        f"RECURRENCE-ID:{_stamp(planned)}",
    ]
    return _event(m, when, "CANCELLED" if cancelled or m.cancelled else "CONFIRMED", sequence=1)


def _event(m: Meeting, when: list[str], status: str, sequence: int) -> list[str]:
    lines = ["BEGIN:VEVENT", *when, "DTSTAMP:20260101T000000Z", _person("ORGANIZER", m.organizer)]
    lines.append(f"UID:{m.uid}")
    lines += [_person("ATTENDEE", g) for g in m.guests]
    lines += [
        "CREATED:20250101T000000Z",
        "LAST-MODIFIED:20250101T000000Z",
        f"SEQUENCE:{sequence}",
        f"STATUS:{status}",
        "SUMMARY:Catch-up",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    return lines


def _person(prop: str, g: Guest) -> str:
    params = []
    if prop == "ATTENDEE":
        params.append(f"CUTYPE={g.cutype or 'INDIVIDUAL'}")
        params.append("ROLE=REQ-PARTICIPANT")
        if g.partstat:
            params.append(f"PARTSTAT={g.partstat}")
    # Google writes the address as CN when it knows no name
    name = g.name or g.address
    params.append(f'CN="{name}"' if any(c in name for c in ",;:") else f"CN={name}")
    if prop == "ATTENDEE":
        params.append("X-NUM-GUESTS=0")
    return f"{prop};{';'.join(params)}:mailto:{g.address}"


def _fold(line: str) -> str:
    """One content line, folded at 75 octets (never inside a UTF-8 character), CRLF."""
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out) + "\r\n"
