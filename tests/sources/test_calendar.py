"""transforms/sources/calendar.py on the hand-written calendars of tests/fixtures/calendar.

Every expected time below is worked out by hand in its comment from the fixture's text
(RFC 5545 rules; America/New_York is UTC-5 until 2026-03-08 02:00 local, then UTC-4;
Europe/Berlin is UTC+1 until 2026-03-29)."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from transforms.sources.calendar import read_calendar
from transforms.sources.formats import horizon_for
from transforms.sources.participants import participant_kind

CALENDARS = Path(__file__).resolve().parents[1] / "fixtures" / "calendar"
PRIMARY = CALENDARS / "takeout_primary_x_wr_timezone.ics"
WORK = CALENDARS / "outlook_work_windows_zone.ics"
BROKEN = CALENDARS / "broken_events.ics"
HORIZON = date(2028, 1, 1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def occurrences_by_uid(parsed) -> dict[str, list[tuple[datetime, str | None]]]:
    """uid -> [(start, status of the VEVENT it stands as)], in time order."""
    events = parsed.tables["stg_calendar_events"].select("location", "uid", "status")
    occ = parsed.tables["stg_calendar_occurrences"].join(events, on="location").sort("starts_at")
    out: dict[str, list] = {}
    for uid, start, status in occ.select("uid", "starts_at", "status").iter_rows():
        out.setdefault(uid, []).append((start, status))
    return out


@pytest.fixture(scope="module")
def primary():
    return read_calendar(PRIMARY, HORIZON)


def test_horizon_is_the_end_of_next_year():
    assert horizon_for(date(2026, 11, 1)) == date(2028, 1, 1)
    assert horizon_for(date(2026, 1, 1)) == date(2028, 1, 1)
    assert horizon_for(date(2027, 12, 31)) == date(2029, 1, 1)


def test_every_vevent_is_loaded_and_counted(primary):
    # 17 BEGIN:VEVENT blocks in the file, all readable
    assert (primary.rows_in, primary.rows_loaded, primary.rows_rejected) == (17, 17, 0)
    assert primary.balanced
    assert primary.rejects.height == 0
    events = primary.tables["stg_calendar_events"]
    assert set(events["calendar_name"]) == {"owner@example.com"}
    assert events["location"][0] == "line 8"  # the first BEGIN:VEVENT is the file's line 8


def test_count_exdate_and_overrides_as_they_finally_stand(primary):
    # COUNT=6 from Mon 2026-01-05 10:00 New York (15:00Z): Jan 5, 12, 19, 26, Feb 2, 9;
    # EXDATE removes Jan 12 (COUNT counted it first); Jan 26 is moved to Tue Jan 27 17:00Z;
    # Feb 2 is cancelled by its override (staged with its status, dropped in SQL).
    assert occurrences_by_uid(primary)["weekly-ada@google.com"] == [
        (utc(2026, 1, 5, 15), "CONFIRMED"),
        (utc(2026, 1, 19, 15), "CONFIRMED"),
        (utc(2026, 1, 27, 17), "CONFIRMED"),
        (utc(2026, 2, 2, 15), "CANCELLED"),
        (utc(2026, 2, 9, 15), "CONFIRMED"),
    ]


def test_x_wr_timezone_keeps_local_time_across_daylight_saving_and_until_is_inclusive(primary):
    # DTSTART 15:00Z = 10:00 EST on Mar 2; weekly at 10:00 New York time: Mar 9 and 16 are
    # 10:00 EDT = 14:00Z. UNTIL=20260316T140000Z is exactly the third: included.
    assert [t for t, _ in occurrences_by_uid(primary)["dst-bob@google.com"]] == [
        utc(2026, 3, 2, 15),
        utc(2026, 3, 9, 14),
        utc(2026, 3, 16, 14),
    ]


def test_occurrences_moved_into_and_out_of_a_month(primary):
    # Monthly COUNT=3 from Mar 10 15:00Z (11:00 EDT): Mar 10, Apr 10, May 10 at 15:00Z;
    # Mar 10 moved to Apr 2, Apr 10 moved to Mar 30.
    assert [t for t, _ in occurrences_by_uid(primary)["monthly-nia@google.com"]] == [
        utc(2026, 3, 30, 15),
        utc(2026, 4, 2, 15),
        utc(2026, 5, 10, 15),
    ]


def test_all_day_floating_and_single_events(primary):
    occ = occurrences_by_uid(primary)
    # a three-day all-day event: one occurrence, 00:00 UTC of its first day
    assert occ["offsite@google.com"] == [(utc(2026, 3, 1), None)]
    all_day = primary.tables["stg_calendar_occurrences"].filter(pl.col("is_all_day"))
    assert all_day.select("starts_at", "ends_at").rows() == [(utc(2026, 3, 1), utc(2026, 3, 4))]
    # 09:00 floating, in the calendar's zone (New York, EST on Mar 5): 14:00Z
    assert occ["floating@example.com"] == [(utc(2026, 3, 5, 14), None)]
    assert not primary.tables["stg_calendar_occurrences"]["time_zone_assumed"].any()
    # an event without any attendee is staged but never expanded
    events = primary.tables["stg_calendar_events"]
    focus = events.filter(pl.col("uid") == "focus-block@google.com")
    assert focus.select("n_occurrences", "starts_at").rows() == [(0, utc(2026, 2, 17, 13))]
    assert "focus-block@google.com" not in occ
    assert occ["june-ada@google.com"] == [(utc(2026, 6, 1, 15), None)]


def test_horizon_cuts_expansion(tmp_path):
    parsed = read_calendar(PRIMARY, date(2026, 4, 1))
    # only the occurrences before 2026-04-01 00:00Z are staged
    assert parsed.tables["stg_calendar_occurrences"]["starts_at"].max() == utc(2026, 3, 30, 15)


def test_participants_and_what_they_are(primary):
    review = primary.tables["stg_calendar_events"].filter(
        pl.col("uid") == "group-review@google.com"
    )
    (location,) = review["location"]
    people = primary.tables["stg_calendar_attendees"].filter(pl.col("location") == location)
    columns = ("role", "address", "display_name", "partstat", "participant_kind")
    assert people.select(columns).rows() == [
        ("organizer", "owner@example.com", "Owen Owner", None, "person"),
        ("attendee", "ada@example.com", "Ada L.", "ACCEPTED", "person"),
        ("attendee", "cara@example.com", "Cara Cole", "TENTATIVE", "person"),
        ("attendee", "dan@example.com", "Dan Dorr", "NEEDS-ACTION", "person"),
        ("attendee", "eve@example.net", "Eve Ernst", None, "person"),
        ("attendee", "fred@example.com", "Fred Fox", "DECLINED", "person"),
        ("attendee", "ada@example.com", "Ada L.", "ACCEPTED", "person"),  # ADA@Example.com
        ("attendee", "board@example.com", "Board room", "ACCEPTED", "room"),
        ("attendee", "c_188a@resource.calendar.google.com", "HQ-2-Projector (8)", "ACCEPTED",
         "resource"),
        ("attendee", "fred@fireflies.ai", "Fireflies.ai Notetaker", "ACCEPTED", "bot"),
        ("attendee", "notes@meet.example.com", "Meeting notes", "ACCEPTED", "bot"),
        ("attendee", "owner@example.com", None, "ACCEPTED", "person"),  # CN was the address
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("address", "name", "cutype", "extra", "kind"),
    [
        ("ada@example.com", "Ada", None, (), "person"),
        ("ada@example.com", "Ada", "INDIVIDUAL", (), "person"),
        ("x@example.com", "Room 4", "room", (), "room"),
        ("c_1@resource.calendar.google.com", "Projector", None, (), "room"),
        ("team@group.calendar.google.com", "Team", None, (), "calendar"),
        ("list@example.com", None, "GROUP", (), "group"),
        ("assistant@otter.ai", "Otter.ai", None, (), "bot"),
        ("x@eu.fireflies.ai", None, None, (), "bot"),
        ("rec@example.com", "Read.ai meeting notes", None, (), "bot"),
        ("rec@notes.example.com", "Rec", None, ("example.com",), "bot"),
        ("rec@example.org", "Acme Notes Bot", None, ("acme notes",), "bot"),
        ("li.gong@example.com", "Li Gong", None, (), "person"),
        ("abbot@example.com", "Ann Abbot", None, (), "person"),
    ],
)
def test_participant_kind(address, name, cutype, extra, kind):
    assert participant_kind(address, name, cutype, extra) == kind


def test_outlook_windows_zone_and_attendee_without_address():
    parsed = read_calendar(WORK, HORIZON)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 2, 0)
    occ = occurrences_by_uid(parsed)
    # 19:00 Berlin (CET) = 18:00Z: the same instant as the primary calendar's copy
    assert occ["group-review@google.com"] == [(utc(2026, 2, 10, 18), "CONFIRMED")]
    # 09:00 "W. Europe Standard Time" (its VTIMEZONE says +01:00 in March) = 08:00Z
    (outlook,) = [uid for uid in occ if uid.startswith("0400")]
    assert occ[outlook] == [(utc(2026, 3, 12, 8), "CONFIRMED")]
    # Quinn has no address (invalid:nomail): a reject row, the event still loads
    assert parsed.rejects.select("location", "reason").rows() == [
        ("line 52", "attendee without a usable address")
    ]
    people = parsed.tables["stg_calendar_attendees"]
    assert "pat@example.net" in people["address"].to_list()  # Pat@Example.net, lower-cased
    assert set(parsed.tables["stg_calendar_events"]["calendar_name"]) == {"Work"}


def test_the_same_occurrence_has_the_same_key_in_two_calendars(primary):
    work = read_calendar(WORK, HORIZON)

    def key(parsed, uid: str) -> set[str]:
        ev = parsed.tables["stg_calendar_events"].filter(pl.col("uid") == uid)
        occ = parsed.tables["stg_calendar_occurrences"].join(ev, on="location")
        return set(occ["occurrence_key"])

    assert key(primary, "group-review@google.com") == key(work, "group-review@google.com")
    assert len(key(primary, "group-review@google.com")) == 1
    # every occurrence of a series has its own key
    assert len(key(primary, "weekly-ada@google.com")) == 5


def test_broken_events_are_rejected_one_by_one():
    parsed = read_calendar(BROKEN, HORIZON)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 1, 3)
    assert parsed.rejects.select("location", "reason").rows() == [
        ("line 11", "no start (DTSTART)"),
        ("line 16", "unreadable RRULE"),
        ("line 22", "unreadable DTSTART"),
    ]
    assert parsed.tables["stg_calendar_occurrences"]["starts_at"].to_list() == [
        utc(2026, 1, 10, 10)
    ]


def test_floating_time_without_a_calendar_zone_is_utc_and_says_so(tmp_path):
    path = tmp_path / "floating.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:f\nDTSTART:20260105T090000\n"
        "ATTENDEE:mailto:a@example.com\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    parsed = read_calendar(path, HORIZON)
    occ = parsed.tables["stg_calendar_occurrences"]
    assert occ.select("starts_at", "time_zone_assumed").rows() == [(utc(2026, 1, 5, 9), True)]
    assert parsed.tables["stg_calendar_events"]["calendar_name"].to_list() == ["floating"]


def test_not_a_calendar_is_refused_whole(tmp_path):
    path = tmp_path / "x.ics"
    path.write_text("BEGIN:VCARD\nEND:VCARD\n")
    parsed = read_calendar(path, HORIZON)
    assert parsed.skipped_reason == "not a readable calendar"
    assert parsed.balanced


def test_takeout_zip_members_are_read_in_place(tmp_path, primary):
    archive = tmp_path / "takeout-001.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(PRIMARY, "Takeout/Calendar/owner@example.com.ics")
        zf.write(WORK, "Takeout/Calendar/Work.ics")
        zf.writestr("Takeout/Calendar/notes.ics", "hello")
    parsed = read_calendar(archive, HORIZON)
    assert (parsed.rows_in, parsed.rows_loaded) == (19, 19)
    assert parsed.tables["stg_calendar_occurrences"].height == (
        primary.tables["stg_calendar_occurrences"].height + 2
    )
    locations = parsed.tables["stg_calendar_events"]["location"].to_list()
    assert locations[0] == "Takeout/Calendar/owner@example.com.ics line 8"
    assert parsed.rejects.select("location", "reason").rows() == [
        ("Takeout/Calendar/Work.ics line 52", "attendee without a usable address"),
        ("Takeout/Calendar/notes.ics", "not a readable calendar"),
    ]


@pytest.mark.parametrize(
    ("zone_line", "start", "moved", "planned", "expected"),
    [
        # all-day series, an override moves the second day by one
        ("", ";VALUE=DATE:20260105", ";VALUE=DATE:20260113", ";VALUE=DATE:20260112",
         [utc(2026, 1, 5), utc(2026, 1, 13), utc(2026, 1, 19)]),
        # floating times, no calendar zone: taken as UTC
        ("", ":20260105T090000", ":20260113T100000", ":20260112T090000",
         [utc(2026, 1, 5, 9), utc(2026, 1, 13, 10), utc(2026, 1, 19, 9)]),
        # floating times in the calendar's zone (Berlin, UTC+1 in January)
        ("X-WR-TIMEZONE:Europe/Berlin\n", ":20260105T090000", ":20260113T100000",
         ":20260112T090000", [utc(2026, 1, 5, 8), utc(2026, 1, 13, 9), utc(2026, 1, 19, 8)]),
        # a TZID'd series whose override names its RECURRENCE-ID in UTC
        ("", ";TZID=Europe/Berlin:20260105T090000", ":20260113T100000Z",
         ":20260112T080000Z", [utc(2026, 1, 5, 8), utc(2026, 1, 13, 10), utc(2026, 1, 19, 8)]),
    ],
)  # fmt: skip
def test_overrides_are_traced_by_their_recurrence_id(
    tmp_path, monkeypatch, zone_line, start, moved, planned, expected
):
    """Each occurrence is traced to the VEVENT it stands as by its id, in every kind of
    time, without copying VEVENTs (the copy is only a fallback: here it must not run)."""
    from recurring_ical_events.occurrence import Occurrence

    def refuse(self, keep):
        raise AssertionError("an occurrence was not traced by its id")

    monkeypatch.setattr(Occurrence, "as_component", refuse)
    path = tmp_path / "series.ics"
    path.write_text(
        f"BEGIN:VCALENDAR\nVERSION:2.0\n{zone_line}"
        f"BEGIN:VEVENT\nUID:s\nDTSTART{start}\nRRULE:FREQ=WEEKLY;COUNT=3\n"
        "ATTENDEE:mailto:a@example.com\nEND:VEVENT\n"
        f"BEGIN:VEVENT\nUID:s\nRECURRENCE-ID{planned}\nDTSTART{moved}\n"
        "ATTENDEE:mailto:b@example.com\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    parsed = read_calendar(path, HORIZON)
    occ = parsed.tables["stg_calendar_occurrences"].sort("starts_at")
    assert occ["starts_at"].to_list() == expected
    # the moved one stands as the override (line 9), the others as the series (line 3)
    assert occ["location"].to_list() == ["line 3" if zone_line == "" else "line 4"] * 0 + [
        occ["location"][0],
        occ["location"][1],
        occ["location"][0],
    ]
    assert occ["location"][0] != occ["location"][1]
