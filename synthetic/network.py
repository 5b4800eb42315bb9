"""`generate()`: one synthetic relationship network, from parameters to files on disk.

The steps run in a fixed order because they draw from one random source (see frame.py):
people, LinkedIn activity, mail activity, then mbox padding. Writers only read what the
steps built, so a writer can be added (or reordered) without changing any other byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from synthetic import linkedin
from synthetic.calendar import write_address_book, write_calendar
from synthetic.calendar_activity import schedule_meetings
from synthetic.frame import Dice, Frame
from synthetic.linkedin_activity import schedule_linkedin
from synthetic.mail import draw_padding, write_mbox
from synthetic.mail_activity import schedule_mail
from synthetic.people import make_people
from synthetic.truth import write_truth


@dataclass(frozen=True)
class GeneratedNetwork:
    """Where `generate` wrote and how much."""

    out: Path
    linkedin_dir: Path
    mbox_path: Path
    truth_path: Path
    truth_people_path: Path
    meta_path: Path
    people: int  # contact persons invented (owner and bulk senders excluded)
    truth_people: int  # rows in truth_people.csv (persons with at least one counted event)
    counts: dict[str, int] = field(default_factory=dict)
    calendar_paths: list[Path] = field(default_factory=list)  # Takeout/Calendar/*.ics
    address_book_paths: list[Path] = field(default_factory=list)  # Takeout/Contacts/*/*.vcf
    takeout_dir: Path | None = None  # out/takeout, when a calendar or address book was asked

    def files(self) -> list[Path]:
        """Every file written, in a stable order."""
        meetings = self.out / "truth_meetings.csv"
        return (
            [self.linkedin_dir / n for n in linkedin.FILES]
            + [self.mbox_path, self.truth_path, self.truth_people_path, self.meta_path]
            + self.calendar_paths
            + self.address_book_paths
            + ([meetings] if self.calendar_paths else [])
        )


def generate(
    people: int,
    seed: int,
    out: Path,
    noise: float = 0.3,
    as_of: date = date(2026, 11, 1),
    body_bytes: int = 0,
    calendar: bool = False,
    address_book: bool = False,
) -> GeneratedNetwork:
    """Invent an owner and `people` contacts; write their exports and the truth under `out`.

    Deterministic for (people, seed, noise, as_of, body_bytes). `noise` in [0, 1] scales the
    identity noise (missing Connections e-mails, extra addresses, name variants, shared
    names); at 0 every person is linkable by exact keys. `body_bytes` adds that many bytes
    of base64-looking padding to every mbox body (for benchmarks). `calendar` and
    `address_book` add a Takeout-shaped calendar and address book under `out/takeout`
    (drawn after everything else: the other files stay the same; truth_people.csv then
    counts meetings as contact and truth_meetings.csv holds the meetings).
    """
    if people < 0:
        raise ValueError("people must be >= 0")
    out = Path(out)
    frame = Frame(people, seed, max(0.0, min(1.0, noise)), as_of, max(0, body_bytes))
    dice = Dice(seed, frame.noise)
    cast = make_people(dice, frame)
    linkedin_activity = schedule_linkedin(dice, frame, cast)
    mail_activity = schedule_mail(dice, frame, cast)
    padding = draw_padding(dice, frame.body_bytes)
    meetings = (
        schedule_meetings(dice, frame, cast, address_book) if calendar or address_book else None
    )

    linkedin_dir, mbox_path = out / "linkedin", out / "mail" / "takeout.mbox"
    linkedin.write_linkedin(linkedin_dir, frame, cast, linkedin_activity)
    write_mbox(mbox_path, mail_activity, padding, frame.body_bytes)
    takeout = out / "takeout" if meetings is not None else None
    calendars = write_calendar(takeout, cast, meetings) if takeout and calendar else []
    books = write_address_book(takeout, meetings) if takeout and address_book else []
    if meetings is not None and not calendar:
        meetings.meetings = []  # an address book alone: no meeting is written or counted
    if meetings is not None and not address_book:
        meetings.cards = []
    counts = write_truth(out, frame, cast, linkedin_activity, mail_activity, meetings)
    return GeneratedNetwork(
        out=out,
        linkedin_dir=linkedin_dir,
        mbox_path=mbox_path,
        truth_path=out / "truth.csv",
        truth_people_path=out / "truth_people.csv",
        meta_path=out / "truth_meta.json",
        people=people,
        truth_people=counts["truth_people"],
        counts=counts,
        calendar_paths=calendars,
        address_book_paths=books,
        takeout_dir=takeout,
    )
