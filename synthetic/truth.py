"""The answers a correct warehouse must reproduce, worked out from the generator's own
records of what it wrote, and the files that hold them:

    truth.csv          kind,value,truth_person_id  (every identity value emitted)
    truth_people.csv   per-person contact dates and sent/received counts
    truth_meetings.csv per-person meetings up to the as-of date and the last one's start
                       (only with a calendar)
    truth_meta.json    parameters, owner identities, counts

Identity values are normalised as the warehouse keys them (addresses lower-cased,
profile URLs canonical, names with single spaces); a value with truth_person_id "" is a
bulk sender or LinkedIn's anonymous "LinkedIn Member". The contact tallies apply the
counting rules (see contact_tallies) that the warehouse implements from the files alone.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from synthetic.calendar_activity import CalendarActivity
from synthetic.encoding import csv_text, iso_utc, write_text
from synthetic.frame import DAY, Frame
from synthetic.linkedin_activity import LinkedInActivity
from synthetic.mail_records import MailActivity
from synthetic.people import LINKEDIN_PREFIX, Cast

TRUTH_HEADER = ["kind", "value", "truth_person_id"]
TRUTH_PEOPLE_HEADER = [
    "truth_person_id",
    "display_name",
    "first_contact_at",
    "last_contact_at",
    "last_sent_at",
    "last_received_at",
    "days_since_last_contact",
    "sent_count",
    "received_count",
]

Identity = tuple[str, str, str]  # (kind, normalised value, truth_person_id)


@dataclass
class Tally:
    """One person's contact events as the counting rules see them."""

    first_at: int
    last_at: int
    last_sent_at: int | None = None
    last_received_at: int | None = None
    sent: int = 0
    received: int = 0

    def add(self, ts: int, direction: str = "") -> None:
        """One contact event at `ts`: sent by the owner, received by them, or neither."""
        self.first_at = min(self.first_at, ts)
        self.last_at = max(self.last_at, ts)
        if direction == "sent":
            self.sent += 1
            if self.last_sent_at is None or ts > self.last_sent_at:
                self.last_sent_at = ts
        elif direction == "received":
            self.received += 1
            if self.last_received_at is None or ts > self.last_received_at:
                self.last_received_at = ts


def canonical_url(slug: str) -> str:
    """The profile URL as the warehouse keys it: NFC, lower case, not percent-encoded."""
    return LINKEDIN_PREFIX + unicodedata.normalize("NFC", slug).lower()


def meeting_tallies(calendar: CalendarActivity, until: int) -> dict[str, tuple[int, int]]:
    """truth_person_id -> (meetings, last meeting's start) before `until` (epoch seconds).

    meeting: each occurrence as it finally stands (EXDATE'd and cancelled ones never, moved
        ones at their new time), once however many calendars hold it, for each person in
        it who did not decline, the organizer included, when the owner is in it and did
        not decline (Meeting.counted_people); rooms and bots are no one.
    """
    out: dict[str, tuple[int, int]] = {}
    for m in calendar.meetings:
        people = m.counted_people()
        for occ in m.occurrences:
            if occ.excluded or occ.cancelled or occ.start >= until:
                continue
            for pid in people:
                n, last = out.get(pid, (0, occ.start))
                out[pid] = (n + 1, max(last, occ.start))
    return out


def contact_tallies(
    linkedin: LinkedInActivity,
    mail: MailActivity,
    calendar: CalendarActivity | None = None,
    until: int = 0,
) -> dict[str, Tally]:
    """Apply the counting rules to what was written; keyed by truth_person_id.

    email: deduplicated by Message-ID; bulk mail never counts. From the owner: +1 sent for
        each distinct recipient person in To/Cc/Bcc. From a person with an owner address in
        To/Cc: +1 received for the sender only.
    linkedin_message: sponsored rows never count. From the owner: +1 sent per recipient URL.
        From a person: +1 received for that sender.
    linkedin_connection: Connected On at 00:00 UTC is a contact event (no counts).
    linkedin_invitation: Sent At is a contact event either way (no counts).
    meeting: a contact event (no counts) per occurrence before `until`, as meeting_tallies.
    """
    tallies: dict[str, Tally] = {}

    def event(pid: str, ts: int, direction: str = "") -> None:
        tallies.setdefault(pid, Tally(ts, ts)).add(ts, direction)

    for c in linkedin.conversations:
        if c.sponsored:
            continue
        for m in c.messages:
            if m.sender.pid == "owner":
                for r in m.recipients:
                    event(r.pid, m.at, "sent")
            else:
                event(m.sender.pid, m.at, "received")
    for conn in linkedin.connections:
        if conn.person is not None:
            event(conn.person.pid, conn.day)
    for inv in linkedin.invitations:
        event(inv.person.pid, inv.at)
    for mm in mail.messages:  # unique messages only: copies share a Message-ID
        if mm.bulk:
            continue
        if mm.sender.pid == "owner":
            recipients = {b.pid for b in mm.to + mm.cc + mm.bcc} - {"owner", ""}
            for pid in sorted(recipients):
                event(pid, mm.instant, "sent")
        elif any(b.pid == "owner" for b in mm.to + mm.cc):
            event(mm.sender.pid, mm.instant, "received")
    for m in calendar.meetings if calendar is not None else []:
        people = sorted(m.counted_people())
        for occ in m.occurrences:
            if not (occ.excluded or occ.cancelled or occ.start >= until):
                for pid in people:
                    event(pid, occ.start)
    return tallies


def identities(
    cast: Cast,
    linkedin: LinkedInActivity,
    mail: MailActivity,
    calendar: CalendarActivity | None = None,
) -> set[Identity]:
    """Every identity value the files show, with whose it is."""
    found: set[Identity] = set()

    def note(kind: str, value: str | None, pid: str) -> None:
        if not value:
            return
        if kind == "email":
            value = value.lower()
        elif kind == "linkedin_url":
            value = canonical_url(value[len(LINKEDIN_PREFIX) :])
        else:
            value = " ".join(value.split())
        found.add((kind, value, pid))

    owner = cast.owner
    for c in linkedin.conversations:
        for m in c.messages:
            # a sponsored row names only its anonymous sender
            for member in [m.sender] if c.sponsored else [m.sender, *m.recipients]:
                note("name", member.name, member.pid)
                note("linkedin_url", member.url, member.pid)
    for conn in linkedin.connections:
        if (p := conn.person) is not None:
            note("linkedin_url", p.profile_url, p.pid)
            note("name", f"{p.conn_first} {p.conn_last}", p.pid)
            note("email", p.conn_email, p.pid)
    for inv in linkedin.invitations:
        note("name", inv.person.li_name, inv.person.pid)
        note("linkedin_url", inv.person.profile_url, inv.person.pid)
        note("name", owner.name, "owner")
        note("linkedin_url", owner.profile_url, "owner")
    note("name", owner.name, "owner")  # Profile.csv
    for e in cast.owner_emails:  # Email Addresses.csv
        note("email", e, "owner")
    for mm in mail.messages:  # the copies repeat these
        for box in [mm.sender, *mm.to, *mm.cc, *mm.bcc]:
            note("email", box.address, box.pid)
            note("name", box.name, box.pid)
    for m in calendar.meetings if calendar is not None else []:
        for guest in [m.organizer, *m.guests]:
            note("email", guest.address, guest.pid)
            note("name", guest.name, guest.pid)
    for card in calendar.cards if calendar is not None else []:
        for email in card.emails:
            note("email", email, card.pid)
        note("name", card.name, card.pid)
        note("linkedin_url", card.profile_url, card.pid)
    return found


def write_truth(
    out: Path,
    frame: Frame,
    cast: Cast,
    linkedin: LinkedInActivity,
    mail: MailActivity,
    calendar: CalendarActivity | None = None,
) -> dict[str, int]:
    """Write truth.csv, truth_people.csv, truth_meta.json (and with a calendar
    truth_meetings.csv); return the network's counts."""
    truth_rows = sorted(identities(cast, linkedin, mail, calendar))
    write_text(out / "truth.csv", csv_text([TRUTH_HEADER] + [list(r) for r in truth_rows]))

    until = frame.end + DAY  # the marts count events before the end of the as-of date
    tallies = contact_tallies(linkedin, mail, calendar, until)
    if calendar is not None:
        met = meeting_tallies(calendar, until)
        rows = [["truth_person_id", "meetings_count", "last_meeting_at"]] + [
            [pid, str(n), iso_utc(last)] for pid, (n, last) in sorted(met.items())
        ]
        write_text(out / "truth_meetings.csv", csv_text(rows))
    people_rows = [TRUTH_PEOPLE_HEADER]
    for p in cast.persons:
        t = tallies.get(p.pid)
        if t is None:
            continue
        last_day = datetime.fromtimestamp(t.last_at, UTC).date()
        people_rows.append(
            [
                p.pid,
                p.name,
                iso_utc(t.first_at),
                iso_utc(t.last_at),
                iso_utc(t.last_sent_at),
                iso_utc(t.last_received_at),
                str((frame.as_of - last_day).days),
                str(t.sent),
                str(t.received),
            ]
        )
    write_text(out / "truth_people.csv", csv_text(people_rows))

    counts = {
        **linkedin.counts(),
        **mail.counts(),
        **(calendar.counts() if calendar is not None else {}),
        "people": frame.people,
        "truth_people": len(people_rows) - 1,
        "identities": len(truth_rows),
        "sent_total": sum(t.sent for t in tallies.values()),
        "received_total": sum(t.received for t in tallies.values()),
    }
    counts = dict(sorted(counts.items()))
    meta = {
        "seed": frame.seed,
        "people": frame.people,
        "noise": frame.noise,
        "as_of": frame.as_of.isoformat(),
        "body_bytes": frame.body_bytes,
        "owner_emails": list(cast.owner_emails),
        "owner_linkedin_url": canonical_url(cast.owner.slug or ""),
        "owner_name": cast.owner.name,
        "counts": counts,
    }
    write_text(out / "truth_meta.json", json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return counts
