"""Meetings between the owner and the people who exchange mail, and the address book: the
generator's calendar step (run only when a calendar or an address book is asked for, after
every other draw, so the other files stay byte for byte what they were).

A meeting is a single event or a weekly / fortnightly series, planned in one zone's wall
time (the calendar's `X-WR-TIMEZONE`) and written in UTC as Google does, so a series that
crosses a daylight-saving change only stays right when read in that zone. The step keeps
its own record of every occurrence as it finally stands (an excluded date, one moved, one
cancelled), which is what truth.py counts: the counting never reads the written file.

Noise the calendar carries at every noise level: rooms, resources and note-taking bots in
the attendee list, a declined attendee, meetings the owner declined, cancelled meetings,
all-day offsites, organisers not listed as attendees, an attendee listed twice in another
letter case, meetings after the as-of date, and meetings copied into a second calendar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from synthetic.frame import DAY, Dice, Frame
from synthetic.people import Cast, Person
from synthetic.vocabulary import CALENDAR_ZONES, FIRST_NAMES, LAST_NAMES, MEETING_BOTS, ROOMS

HOUR = 3600


@dataclass(frozen=True)
class Guest:
    """One ATTENDEE or ORGANIZER as written."""

    pid: str  # "owner", a person id, or "" for a room, resource or bot
    address: str  # as written (case and all)
    name: str | None
    partstat: str | None = None
    cutype: str | None = None


@dataclass
class Occurrence:
    """One scheduled occurrence: where it was planned (UTC) and where it finally stands."""

    planned: int  # epoch seconds of the RRULE's instance (its RECURRENCE-ID)
    start: int  # where it stands (moved, or planned)
    excluded: bool = False  # EXDATE
    cancelled: bool = False  # a RECURRENCE-ID override with STATUS:CANCELLED


@dataclass
class Meeting:
    uid: str
    organizer: Guest
    guests: list[Guest]  # ATTENDEE lines, in order
    zone: str
    minutes: int
    occurrences: list[Occurrence]
    every_weeks: int = 0  # 0: a single event
    by_count: bool = True  # RRULE with COUNT (else UNTIL = the last planned instance)
    all_day: bool = False
    cancelled: bool = False  # STATUS:CANCELLED for the whole event
    in_team_calendar: bool = False  # also written into the second calendar

    def counted_people(self) -> set[str]:
        """Whose meeting this is by the counting rules (truth.py), the owner aside: nobody's
        unless the owner is in it and did not decline; then everyone else who did not."""
        entries: dict[str, list[str | None]] = {}
        for g in self.guests:
            entries.setdefault(g.pid, []).append(g.partstat)
        present = {
            pid
            for pid in set(entries) | {self.organizer.pid}
            if not (entries.get(pid) and all(s == "DECLINED" for s in entries[pid]))
        }
        if self.cancelled or "owner" not in present:
            return set()
        return present - {"owner", ""}


@dataclass
class Card:
    """One address-book card: a person's (pid) or someone the network never meets ("")."""

    pid: str
    name: str
    family: str
    emails: list[str]
    profile_url: str | None = None
    starred: bool = False  # written in the Starred group too (the same card twice)


@dataclass
class CalendarActivity:
    zone: str
    meetings: list[Meeting] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    # a second address a carded person uses in some meetings: only their card links it
    meeting_address: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "calendar_events": len(self.meetings),
            "calendar_occurrences": sum(len(m.occurrences) for m in self.meetings),
            "address_book_cards": len(self.cards),
        }


def schedule_meetings(
    dice: Dice, frame: Frame, cast: Cast, with_cards: bool = True
) -> CalendarActivity:
    """Cards for half the people who write mail (and three strangers), then meetings with
    about a third of them. Without cards nobody meets under a second address (nothing
    would say it is theirs); the draws stay the same."""
    rng = dice.rng
    activity = CalendarActivity(zone=rng.choice(CALENDAR_ZONES))
    people = [p for p in cast.persons if p.use_email and p.emails]
    for p in people:
        if rng.random() >= 0.5:
            continue
        emails = list(p.emails)
        if rng.random() < 0.3:
            local = (p.first_ascii.split() or ["x"])[0].lower().replace("'", "")
            activity.meeting_address[p.pid] = f"{local}.{p.pid}@home.example.org"
            emails.append(activity.meeting_address[p.pid])
        url = p.profile_url if p.slug and rng.random() < 0.3 else None
        activity.cards.append(Card(p.pid, p.name, p.last, emails, url, rng.random() < 0.2))
    for i in range(3):  # people the owner only has a card of: never anyone in the warehouse
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        address = f"card.{i}.{frame.seed}@address-book.example.net"
        activity.cards.append(Card("", f"{first} {last}", last, [address]))
    if not with_cards:
        activity.meeting_address = {}
    n = 0
    for p in people:
        if rng.random() >= 0.35:
            continue
        for _ in range(1 + (p.tier > 3) + (p.tier > 15)):
            n += 1
            others = [o for o in people if o is not p] if rng.random() < 0.25 else []
            extra = rng.sample(others, min(len(others), rng.randint(1, 3))) if others else []
            activity.meetings.append(_meeting(dice, frame, cast, activity, p, extra, n))
    return activity


def _meeting(
    dice: Dice,
    frame: Frame,
    cast: Cast,
    activity: CalendarActivity,
    p: Person,
    extra: list[Person],
    n: int,
) -> Meeting:
    rng = dice.rng
    zone = ZoneInfo(activity.zone)
    lo, hi = p.win
    day = datetime.fromtimestamp(rng.randint(lo, max(lo, hi)), UTC).astimezone(zone).date()
    every = rng.choice([0, 0, 1, 1, 2])
    all_day = not every and rng.random() < 0.12
    local = datetime(day.year, day.month, day.day, rng.choice([9, 10, 11, 14, 15, 16]))
    count = rng.randint(3, 12) if every else 1
    if all_day:  # an all-day event stands at 00:00 UTC of its first day
        planned = [int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())]
    else:  # wall-clock weeks in the calendar's zone, whatever daylight saving does
        planned = [
            int((local + timedelta(weeks=every * k)).replace(tzinfo=zone).timestamp())
            for k in range(count)
        ]
    occurrences = [Occurrence(t, t) for t in planned]
    if every and count >= 4:
        if rng.random() < 0.5:
            occurrences[1].excluded = True
        if rng.random() < 0.5:
            moved = occurrences[2]
            moved.start = moved.planned + DAY + 2 * HOUR
        if rng.random() < 0.4:
            occurrences[-1].cancelled = True
    owner_box = cast.owner_emails[0] if rng.random() < 0.8 else cast.owner_emails[1]
    owner = Guest("owner", owner_box, cast.owner.name, "ACCEPTED")
    address = activity.meeting_address.get(p.pid) if rng.random() < 0.5 else None
    them = Guest(p.pid, address or p.emails[0], p.name, rng.choice(["ACCEPTED"] * 3 + [None]))
    by_them = rng.random() < 0.3
    guests = [owner] + ([] if by_them and rng.random() < 0.5 else [them])
    for o in extra:
        partstat = rng.choice(["ACCEPTED", "TENTATIVE", "NEEDS-ACTION", "DECLINED"])
        guests.append(Guest(o.pid, o.emails[0], o.name, partstat))
    if rng.random() < 0.1:  # listed twice, in another letter case
        guests.append(Guest(them.pid, them.address.upper(), them.name, "ACCEPTED"))
    if rng.random() < 0.3:
        room, cutype = rng.choice(ROOMS)
        guests.append(Guest("", room[1], room[0], "ACCEPTED", cutype))
    if rng.random() < 0.2:
        bot = rng.choice(MEETING_BOTS)
        guests.append(Guest("", bot[1], bot[0], "ACCEPTED"))
    if rng.random() < 0.08:  # the owner said no
        guests[0] = Guest("owner", owner_box, cast.owner.name, "DECLINED")
    return Meeting(
        uid=f"m{n:05d}-{frame.seed}@kith.example.com",
        organizer=them if by_them else Guest("owner", owner_box, cast.owner.name),
        guests=guests,
        zone=activity.zone,
        minutes=rng.choice([30, 45, 60]),
        occurrences=occurrences,
        every_weeks=every,
        by_count=rng.random() < 0.5,
        all_day=all_day,
        cancelled=rng.random() < 0.05,
        in_team_calendar=rng.random() < 0.15,
    )
