"""Calendars and address books end to end (run_in_process): the hand-written Takeout-like
calendar and its Outlook twin, with the contacts, give exactly the meetings worked out
below from the fixtures' text; a later as-of date counts, from the cache, the occurrences
that fell in between. A generated network with a calendar and an address book gives its
truth's meetings, contact dates and names for every person.

Expected meetings, as of 2026-03-31 (counted up to 2026-04-01 00:00Z), by hand from
tests/fixtures/calendar (times UTC; see tests/sources/test_calendar.py for the arithmetic):
- Ada: weekly 1:1s Jan 5, Jan 19, Jan 27 (moved), Feb 9 (Jan 12 EXDATE'd, Feb 2 cancelled)
  and the group review Feb 10 18:00 (listed twice there; the review is in both calendars,
  once) = 5; her June 1 meeting is after the as-of date.
- Cara (TENTATIVE), Dané Dorr (NEEDS-ACTION), Eve (no PARTSTAT): the review only = 1.
  Fred declined it: nothing, and no person. The room, the projector and both bots: no one.
- Robert Byrne (Bob in the calendar, Robert on his card), organizer: Mar 2 15:00, Mar 9 and
  Mar 16 14:00 = 3. Gil organised Feb 15 16:00 without listing himself = 1.
- Lee: the three-day offsite, once, Mar 1 00:00 = 1. Mo: floating 09:00 New York on Mar 5 =
  14:00 = 1. Pat: 09:00 "W. Europe Standard Time" Mar 12 = 08:00 = 1.
- Nia: Mar 30 15:00 only (Mar 10 moved out to Apr 2, Apr 10 moved in to Mar 30) = 1.
- Hal (the owner declined), Ivy and Jo (the owner not in it), Kim (cancelled): no one.
As of 2026-06-15 Ada has 6 (June 1 15:00) and Nia 3 (Apr 2, May 10 15:00).
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from flows.nightly import run_in_process
from synthetic import generate
from transforms.run.spec import new_run

AS_OF = date(2026, 11, 1)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCES = [
    FIXTURES / "calendar" / "takeout_primary_x_wr_timezone.ics",
    FIXTURES / "calendar" / "outlook_work_windows_zone.ics",
    FIXTURES / "contacts",
]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


MARCH = {
    "Ada Lovelace": (5, utc(2026, 2, 10, 18)),
    "Cara Cole": (1, utc(2026, 2, 10, 18)),
    "Dané Dorr": (1, utc(2026, 2, 10, 18)),
    "Eve Ernst": (1, utc(2026, 2, 10, 18)),
    "Robert Byrne": (3, utc(2026, 3, 16, 14)),
    "Gil Grant": (1, utc(2026, 2, 15, 16)),
    "Lee Lam": (1, utc(2026, 3, 1)),
    "Mo Maas": (1, utc(2026, 3, 5, 14)),
    "Pat Park": (1, utc(2026, 3, 12, 8)),
    "Nia Noor": (1, utc(2026, 3, 30, 15)),
}
JUNE = MARCH | {"Ada Lovelace": (6, utc(2026, 6, 1, 15)), "Nia Noor": (3, utc(2026, 5, 10, 15))}


def meetings(fetch, db: Path) -> dict[str, tuple[int, datetime]]:
    rows = fetch(
        db,
        "select p.display_name, r.meetings_count, r.last_meeting_at from reciprocity as r "
        "join people as p using (person_id) where r.time_window = 'all'",
    )
    return {name: (n, last) for name, n, last in rows}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The March run and the June run, with a cache of their own (another test may have
    staged the same files in the session's cache)."""
    root = tmp_path_factory.mktemp("meetings")
    db = root / "kith.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KITH_HOME", str(root / "home"))
        march = run_in_process(new_run(SOURCES, db, [], date(2026, 3, 31)))
        march_db = db.with_name("march.duckdb")
        march_db.write_bytes(db.read_bytes())
        june = run_in_process(new_run(SOURCES, db, [], date(2026, 6, 15)))
    return march_db, march, db, june


def test_meetings_per_person_and_the_last_one(runs, fetch):
    march_db, _, _, _ = runs
    assert meetings(fetch, march_db) == MARCH


def test_no_room_bot_decliner_or_owner_is_a_contact(runs, fetch):
    march_db, _, _, _ = runs
    contacts = {r[0] for r in fetch(march_db, "select value from person_identities")}
    for nobody in (
        "board@example.com",
        "c_188a@resource.calendar.google.com",
        "fred@fireflies.ai",
        "notes@meet.example.com",
        "fred@example.com",
        "hal@example.org",
        "ivy@example.org",
        "jo@example.org",
        "kim@example.org",
        "sam@example.net",  # address-book cards alone are no one
        "family@example.net",
    ):
        assert nobody not in contacts, nobody
    owners = fetch(march_db, "select display_name, n_identities from people where is_owner")
    # owner:me (every run's) and owner@example.com (the calendar's own name)
    assert owners == [("Owen Owner", 2)]
    in_interactions = fetch(
        march_db,
        "select count(*) from interactions join people using (person_id) where is_owner",
    )
    assert in_interactions == [(0,)]


def test_a_card_joins_a_persons_addresses_under_its_name(runs, fetch):
    march_db, _, _, _ = runs
    rows = fetch(
        march_db,
        "select p.display_name, i.value from person_identities as i join people as p "
        "using (person_id) where i.kind != 'name' and p.display_name in "
        "('Ada Lovelace', 'Robert Byrne', 'Cara Cole', 'Dané Dorr') order by 1, 2",
    )
    assert rows == [
        ("Ada Lovelace", "ada.lovelace@home.example.org"),
        ("Ada Lovelace", "ada@example.com"),
        ("Cara Cole", "cara.cole@example.net"),
        ("Cara Cole", "cara@example.com"),
        ("Cara Cole", "https://www.linkedin.com/in/caracole"),
        ("Dané Dorr", "dan.dorr@example.org"),
        ("Dané Dorr", "dan@example.com"),
        ("Robert Byrne", "bob@example.org"),
        ("Robert Byrne", "bobby.byrne@mail.example.net"),
        ("Robert Byrne", "https://www.linkedin.com/in/robert-byrne-42"),
    ]


def test_the_review_in_two_calendars_is_one_group_meeting(runs, fetch):
    march_db, _, _, _ = runs
    rows = fetch(
        march_db,
        "select count(*), min(n_participants), min(direction) from interactions "
        "where channel = 'meeting' and occurred_at = '2026-02-10 18:00:00+00'",
    )
    # Ada, Cara, Dan, Eve; me, Ada, Cara, Dan and Eve are the five participants
    assert rows == [(4, 5, "sent")]
    gil = fetch(
        march_db,
        "select direction, role from interactions join people using (person_id) "
        "where display_name = 'Gil Grant'",
    )
    assert gil == [("received", "from")]


def test_a_later_as_of_counts_the_occurrences_in_between_from_the_cache(runs, fetch):
    _, march, db, june = runs
    calendars = [f for f in june["files"] if f["kind"] == "calendar"]
    assert len(calendars) == 2 and all(f["is_cached"] for f in calendars)
    assert not any(f["is_cached"] for f in march["files"] if f["kind"] == "calendar")
    assert meetings(fetch, db) == JUNE
    windows = fetch(
        db,
        "select r.time_window, r.meetings_count from reciprocity as r join people as p "
        "using (person_id) where p.display_name = 'Nia Noor' order by r.window_start_at",
    )
    # 90 days back from 2026-06-15: from 2026-03-18; 365: from 2025-06-16
    assert sorted(windows) == [("365d", 3), ("90d", 3), ("all", 3)]


def test_file_counts_balance_and_the_attendee_without_address_is_a_reject(runs, fetch):
    march_db, march, _, _ = runs
    for stat in march["files"]:
        assert stat["rows_in"] == stat["rows_loaded"] + stat["rows_rejected"], stat
    kinds = sorted((Path(f["source_file"]).name, f["kind"], f["rows_in"]) for f in march["files"])
    assert kinds == [
        ("My Contacts.vcf", "vcard", 5),
        ("Starred.vcf", "vcard", 1),
        ("apple_v4.vcf", "vcard", 1),
        ("outlook_work_windows_zone.ics", "calendar", 2),
        ("phone_v21_quoted_printable.vcf", "vcard", 2),
        ("takeout_primary_x_wr_timezone.ics", "calendar", 17),
    ]
    reasons = fetch(march_db, "select reason from rejects order by reason")
    assert ("attendee without a usable address",) in reasons


# -- a generated network with a calendar and an address book, against its truth ------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    net = generate(
        people=120, seed=11, out=root / "net", noise=0.0, calendar=True, address_book=True
    )
    db = root / "kith.duckdb"
    run_in_process(new_run([net.linkedin_dir, net.mbox_path, net.takeout_dir], db, [], AS_OF))
    return net, db


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def truth_person(net, db: Path, fetch) -> dict[str, set[str | None]]:
    """truth person -> the warehouse people its addresses and URLs landed in."""
    found = dict(
        ((k, v), p) for k, v, p in fetch(db, "select kind, value, person_id from person_identities")
    )
    out: dict[str, set[str | None]] = {}
    for row in rows_of(net.truth_path):
        if row["kind"] != "name":
            out.setdefault(row["truth_person_id"], set()).add(
                found.get((row["kind"], row["value"]))
            )
    return out


def test_generated_meetings_and_contact_dates_match_truth(generated, fetch):
    net, db = generated
    people = truth_person(net, db, fetch)
    strangers = people.pop("")  # rooms, bots, bulk senders, card-only strangers: no one
    assert strangers == {None}
    assert len(people.pop("owner")) == 1
    assert {t: p for t, p in people.items() if len(p) != 1 or None in p} == {}
    pid = {t: next(iter(p)) for t, p in people.items()}
    got = {
        p: (n, last)
        for p, n, last in fetch(
            db,
            "select person_id, meetings_count, last_meeting_at from reciprocity "
            "where time_window = 'all' and meetings_count > 0",
        )
    }
    truth = {
        pid[r["truth_person_id"]]: (
            int(r["meetings_count"]),
            datetime.fromisoformat(r["last_meeting_at"].replace("Z", "+00:00")),
        )
        for r in rows_of(net.out / "truth_meetings.csv")
    }
    assert len(truth) > 20
    assert got == truth
    recency = {
        p: (first, last)
        for p, first, last in fetch(
            db, "select person_id, first_contact_at, last_contact_at from contact_recency"
        )
    }
    for row in rows_of(net.truth_people_path):
        first = datetime.fromisoformat(row["first_contact_at"].replace("Z", "+00:00"))
        last = datetime.fromisoformat(row["last_contact_at"].replace("Z", "+00:00"))
        assert recency[pid[row["truth_person_id"]]] == (first, last), row["truth_person_id"]


def test_generated_cards_name_their_people(generated, fetch):
    net, db = generated
    pid = {t: next(iter(p)) for t, p in truth_person(net, db, fetch).items() if t}
    names = dict(fetch(db, "select person_id, display_name from people"))
    text = net.takeout_dir / "Takeout" / "Contacts" / "My Contacts" / "My Contacts.vcf"
    emails = {r["value"]: r["truth_person_id"] for r in rows_of(net.truth_path)}
    carded = 0
    for card in text.read_bytes().decode("utf-8").split("BEGIN:VCARD")[1:]:
        fn = card.split("FN:", 1)[1].split("\r\n", 1)[0]
        address = card.split("EMAIL;TYPE=INTERNET:", 1)[1].split("\r\n", 1)[0].lower()
        if emails[address]:
            carded += 1
            assert names[pid[emails[address]]] == fn
    assert carded > 10


def test_interactions_hold_meetings_up_to_the_as_of_date_only(runs, fetch):
    march_db, _, june_db, _ = runs
    query = "select count(*), max(occurred_at) from interactions where channel = 'meeting'"
    # March: the 16 meetings of MARCH; June adds Ada's June 1 and Nia's Apr 2 and May 10,
    # while the inputs (and so the core tables, reused) are the same
    assert fetch(march_db, query) == [(16, utc(2026, 3, 30, 15))]
    assert fetch(june_db, query) == [(19, utc(2026, 6, 1, 15))]
    ids = "select person_id, display_name from people order by 1"
    assert fetch(march_db, ids) == fetch(june_db, ids)
