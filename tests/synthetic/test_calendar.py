"""synthetic's calendar and address book: asked for, they add files and truth and change no
other file; the truth of meetings is what the counting rules give when applied to the
written .ics files by a reader of this test's own (stdlib and dateutil's RFC 5545 rules,
not kith's readers)."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from synthetic import generate
from tests.synthetic.readers import digest, truth_maps

AS_OF_END = datetime(2026, 11, 2, tzinfo=UTC)  # the default as_of 2026-11-01, end of day


@pytest.fixture(scope="module")
def with_calendar(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cal")
    generate(people=150, seed=7, out=out, noise=0.3, calendar=True, address_book=True)
    return out


def test_other_files_are_unchanged_and_the_new_ones_listed(sample, with_calendar, tmp_path):
    before, after = digest(sample), digest(with_calendar)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"truth.csv", "truth_people.csv", "truth_meta.json"}
    added = set(after) - set(before)
    owner = next(k for k in added if k.startswith("takeout/Takeout/Calendar/") and "@" in k)
    assert added == {
        owner,
        "takeout/Takeout/Calendar/Team.ics",
        "takeout/Takeout/Contacts/My Contacts/My Contacts.vcf",
        "takeout/Takeout/Contacts/Starred/Starred.vcf",
        "truth_meetings.csv",
    }
    result = generate(people=20, seed=2, out=tmp_path, noise=0.3, calendar=True)
    assert {str(p.relative_to(tmp_path)) for p in result.files()} == set(digest(tmp_path))


def unfolded(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8")
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")


def vevents(path: Path) -> tuple[str, list[dict[str, list[str]]]]:
    """(X-WR-TIMEZONE, each VEVENT as property name -> raw lines)."""
    zone, events, current = "UTC", [], None
    for line in unfolded(path):
        if line.startswith("X-WR-TIMEZONE:"):
            zone = line.split(":", 1)[1]
        elif line == "BEGIN:VEVENT":
            current = defaultdict(list)
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and line:
            name = re.split(r"[;:]", line, maxsplit=1)[0]
            current[name].append(line)
    return zone, events


def value(line: str) -> str:
    return line.rsplit(":", 1)[1] if line.count(":") == 1 else line.split(":", 1)[1]


def stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def recount(out: Path) -> dict[str, tuple[int, datetime]]:
    """truth_person_id -> (meetings, last) applying docs/metrics.md's rules to the files."""
    meta = json.loads((out / "truth_meta.json").read_text(encoding="utf-8"))
    owner = {e.lower() for e in meta["owner_emails"]}
    emails = truth_maps(out)["email"]
    occurrences: dict[tuple[str, str], tuple[datetime, list[str], str, str]] = {}
    for path in sorted((out / "takeout" / "Takeout" / "Calendar").glob("*.ics")):
        zone, events = vevents(path)
        for ev in events:
            uid = value(ev["UID"][0])
            status = value(ev["STATUS"][0])
            people = ev["ORGANIZER"] + ev["ATTENDEE"]
            start_line = ev["DTSTART"][0]
            if "VALUE=DATE" in start_line:
                day = datetime.strptime(value(start_line), "%Y%m%d").replace(tzinfo=UTC)
                occurrences[(uid, "single")] = (day, people, status, path.name)
                continue
            start = stamp(value(start_line))
            if ev["RECURRENCE-ID"]:
                key = (uid, value(ev["RECURRENCE-ID"][0]))
                occurrences[key] = (start, people, status, path.name)  # the override stands
                continue
            if not ev["RRULE"]:
                occurrences[(uid, "single")] = (start, people, status, path.name)
                continue
            local = start.astimezone(ZoneInfo(zone))
            rule = rrulestr(value(ev["RRULE"][0]), dtstart=local)
            excluded = {stamp(s) for line in ev["EXDATE"] for s in value(line).split(",")}
            for at in rule:
                planned = at.astimezone(UTC)
                key = (uid, planned.strftime("%Y%m%dT%H%M%SZ"))
                if planned not in excluded:
                    occurrences.setdefault(key, (planned, people, status, path.name))
    counted: dict[str, list[datetime]] = defaultdict(list)
    for start, people, status, _ in occurrences.values():
        if status == "CANCELLED" or start >= AS_OF_END:
            continue
        entries: dict[str, list[str]] = defaultdict(list)
        for line in people:
            address = value(line).removeprefix("mailto:").lower()
            if "CUTYPE=ROOM" in line or "CUTYPE=RESOURCE" in line or address not in emails:
                continue
            partstat = re.search(r"PARTSTAT=([A-Z-]+)", line)
            if line.startswith("ATTENDEE"):
                entries[address].append(partstat.group(1) if partstat else "")
            else:
                entries.setdefault(address, [])
        present = {a for a, s in entries.items() if not (s and all(x == "DECLINED" for x in s))}
        if not present & owner:
            continue
        for pid in {emails[a] for a in present - owner} - {"", "owner"}:
            counted[pid].append(start)
    return {pid: (len(ts), max(ts)) for pid, ts in counted.items()}


def test_meeting_truth_is_the_counting_rules_applied_to_the_files(with_calendar):
    with (with_calendar / "truth_meetings.csv").open(encoding="utf-8", newline="") as fh:
        truth = {
            r["truth_person_id"]: (
                int(r["meetings_count"]),
                stamp(r["last_meeting_at"].replace("-", "").replace(":", "")),
            )
            for r in csv.DictReader(fh)
        }
    assert len(truth) > 20
    assert recount(with_calendar) == truth


def test_the_calendar_carries_the_quirks(with_calendar):
    text = "\n".join(
        "\n".join(unfolded(p))
        for p in sorted((with_calendar / "takeout" / "Takeout" / "Calendar").glob("*.ics"))
    )
    for quirk in ("EXDATE:", "RECURRENCE-ID:", "STATUS:CANCELLED", "PARTSTAT=DECLINED",
                  "CUTYPE=ROOM", "CUTYPE=RESOURCE", "fireflies.ai", "VALUE=DATE:",
                  "UNTIL=", "COUNT=", "X-WR-TIMEZONE:"):  # fmt: skip
        assert quirk in text, quirk
    team = (with_calendar / "takeout" / "Takeout" / "Calendar" / "Team.ics").read_bytes()
    assert b"BEGIN:VEVENT" in team  # copies of the primary calendar's meetings


def test_the_address_book_has_every_carded_address_in_truth(with_calendar):
    maps = truth_maps(with_calendar)["email"]
    book = with_calendar / "takeout" / "Takeout" / "Contacts"
    mine = "\n".join(unfolded(book / "My Contacts" / "My Contacts.vcf"))
    starred = "\n".join(unfolded(book / "Starred" / "Starred.vcf"))
    cards = mine.split("BEGIN:VCARD")[1:]
    assert len(cards) > 10 and 0 < starred.count("BEGIN:VCARD") < len(cards)
    strangers = 0
    for card in cards:
        owners = {maps[e.lower()] for e in re.findall(r"EMAIL;TYPE=INTERNET:(.*)", card)}
        assert len(owners) == 1  # all addresses of one card are one person's
        strangers += owners == {""}
    assert strangers == 3
