"""Benchmark: kith's marginal cost for a big calendar against icalendar + recurring-ical-events
alone parsing and expanding the same file.

Usage:
    uv run python benchmarks/bench_calendar.py [--events 5000] [--repeat 3]

Generates (once; reused afterwards) benchmarks/out/calendar-<events>.ics (git-ignored): a
Google-style calendar of ten years (2016-11-01 to 2026-11-01) with `--events` VEVENTs, a
third of them weekly, fortnightly or monthly series (COUNT, UNTIL, or no end; 20% with an
EXDATE, 20% with one occurrence moved, 10% with one cancelled), every time in UTC under
`X-WR-TIMEZONE: America/New_York`, 1-6 guests from a pool of 800 plus the owner, a room in a
fifth of them. Every event has guests, so kith expands every series as the baseline does.

Each round runs, back to back, each in a fresh subprocess (imports before the clock):
  baseline   `icalendar.Calendar.from_ical(data)` then
             `recurring_ical_events.of(cal).between(1900-01-01, horizon)`, listed
  reader     kith's reader alone (`transforms.sources.calendar.read_calendar`)
  sample     the pipeline's steps (`flows.nightly.run_in_process`) on data/sample, fresh
             KITH_HOME (nothing cached)
  both       the same on data/sample plus the calendar
kith's marginal cost is `both - sample` (parse, stage, resolve, build, check, publish for
the calendar); the acceptance asks marginal / baseline <= 1.5. Ratios are taken within a
round (a shared machine's speed drifts) and the median over rounds is reported.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
AS_OF = date(2026, 11, 1)
START = datetime(2016, 11, 1, tzinfo=UTC)
OWNER = "owner.person@example.com"


def _stamp(t: datetime) -> str:
    return t.strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    parts = [line[i : i + 74] for i in range(0, len(line), 74)] or [""]
    return "\r\n ".join(parts) + "\r\n"


def generate(path: Path, events: int, seed: int = 19) -> None:
    """The benchmark calendar (see the module docstring); deterministic for the seed."""
    rng = random.Random(seed)
    people = [(f"Person {i}", f"person.{i}@{rng.choice(['example.com', 'example.org'])}")
              for i in range(800)]  # fmt: skip
    span = (datetime(2026, 11, 1, tzinfo=UTC) - START).days
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        f"X-WR-CALNAME:{OWNER}",
        "X-WR-TIMEZONE:America/New_York",
    ]
    for n in range(events):
        start = START + timedelta(days=rng.randrange(span), hours=rng.randrange(13, 23))
        guests = rng.sample(people, rng.randint(1, 6))
        organizer = (OWNER, "Owner") if rng.random() < 0.6 else guests[0][::-1]
        body = [
            f"DTSTART:{_stamp(start)}",
            f"DTEND:{_stamp(start + timedelta(minutes=rng.choice([30, 60])))}",
            "DTSTAMP:20261101T000000Z",
            f"ORGANIZER;CN={organizer[1]}:mailto:{organizer[0]}",
            f"UID:bench-{n}@example.com",
            f"ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;CN=Owner:mailto:{OWNER}",
        ]
        for name, address in guests:
            partstat = rng.choice(["ACCEPTED", "ACCEPTED", "TENTATIVE", "NEEDS-ACTION"])
            body.append(
                f"ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT={partstat};CN={name}:mailto:{address}"
            )
        if rng.random() < 0.2:
            body.append("ATTENDEE;CUTYPE=RESOURCE;CN=Room:mailto:c_1@resource.calendar.google.com")
        overrides: list[list[str]] = []
        if n % 3 == 0:  # a third are series
            freq = rng.choice(["WEEKLY", "WEEKLY", "WEEKLY;INTERVAL=2", "MONTHLY"])
            step = {"WEEKLY": 7, "WEEKLY;INTERVAL=2": 14, "MONTHLY": 30}[freq]
            ending = rng.random()
            count = rng.randint(4, 100)
            if ending < 0.5:
                rule = f"RRULE:FREQ={freq};COUNT={count}"
            elif ending < 0.95:
                rule = f"RRULE:FREQ={freq};UNTIL={_stamp(start + timedelta(days=step * count))}"
            else:
                rule = f"RRULE:FREQ={freq}"  # no end: expanded to the horizon
            body.append(rule)
            if rng.random() < 0.2:
                body.append(f"EXDATE:{_stamp(start + timedelta(days=step))}")
            for status, chance in (("CONFIRMED", 0.2), ("CANCELLED", 0.1)):
                if freq != "MONTHLY" and rng.random() < chance:
                    planned = start + timedelta(
                        days=step * 2 if status == "CONFIRMED" else step * 3
                    )
                    moved = planned + timedelta(hours=26 if status == "CONFIRMED" else 0)
                    overrides.append(
                        [
                            f"DTSTART:{_stamp(moved)}",
                            f"DTEND:{_stamp(moved + timedelta(minutes=30))}",
                            f"RECURRENCE-ID:{_stamp(planned)}",
                            f"UID:bench-{n}@example.com",
                            f"ORGANIZER:mailto:{organizer[0]}",
                            f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{OWNER}",
                            f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{guests[0][1]}",
                            f"STATUS:{status}",
                            "SEQUENCE:1",
                        ]
                    )
        lines += ["BEGIN:VEVENT", *body, "SUMMARY:Meeting", "END:VEVENT"]
        for override in overrides:
            lines += ["BEGIN:VEVENT", *override, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("".join(_fold(line) for line in lines).encode("utf-8"))


# -- modes (each runs in a fresh subprocess) ---------------------------------------------------


def _mode(mode: str, path: Path) -> dict:
    """Time one mode; imports happen before the clock starts (they are a constant)."""
    import icalendar
    import recurring_ical_events

    from flows.nightly import run_in_process
    from transforms.run.spec import new_run
    from transforms.sources.calendar import read_calendar
    from transforms.sources.formats import horizon_for
    from transforms.sources.occurrences import EARLIEST

    horizon = horizon_for(AS_OF)
    work = Path(tempfile.mkdtemp(prefix="kith-bench-cal-"))
    import os

    os.environ["KITH_HOME"] = str(work / "home")
    n = 0
    t0 = time.perf_counter()
    if mode == "baseline":
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        stop = datetime.combine(horizon, datetime.min.time()) + timedelta(days=2)
        n = len(recurring_ical_events.of(cal).between(EARLIEST, stop))
    elif mode == "reader":
        n = read_calendar(path, horizon).tables["stg_calendar_occurrences"].height
    elif mode in ("sample", "both"):
        sources = [REPO / "data" / "sample"] + ([path] if mode == "both" else [])
        result = run_in_process(new_run(sources, work / "kith.duckdb", [], AS_OF))
        n = result["counts"]["interactions"]
    else:
        raise SystemExit(f"unknown mode {mode}")
    return {"mode": mode, "seconds": time.perf_counter() - t0, "n": n}


def _child(mode: str, path: Path) -> dict:
    """One mode in a fresh interpreter: its JSON line."""
    command = [sys.executable, __file__, "--child", mode, str(path)]
    return json.loads(subprocess.check_output(command, cwd=REPO, text=True).splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3, help="rounds")
    ap.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_mode(args.child[0], Path(args.child[1]))))
        return
    path = OUT / f"calendar-{args.events}.ics"
    if not path.exists():
        generate(path, args.events)
    print(f"calendar: {path} ({path.stat().st_size / 1e6:.1f} MB, {args.events} series/events)")
    rounds = []
    for r in range(args.repeat):
        got = {m: _child(m, path) for m in ("baseline", "reader", "sample", "both")}
        marginal = got["both"]["seconds"] - got["sample"]["seconds"]
        rounds.append((got, marginal))
        print(
            f"round {r + 1}: baseline {got['baseline']['seconds']:.2f} s "
            f"({got['baseline']['n']} occurrences), reader {got['reader']['seconds']:.2f} s "
            f"({got['reader']['n']} staged), sample {got['sample']['seconds']:.2f} s, "
            f"sample + calendar {got['both']['seconds']:.2f} s "
            f"({got['both']['n'] - got['sample']['n']} meeting interactions): marginal "
            f"{marginal:.2f} s = {marginal / got['baseline']['seconds']:.2f}x baseline, "
            f"reader {got['reader']['seconds'] / got['baseline']['seconds']:.2f}x",
            flush=True,
        )
    ratio = statistics.median(m / g["baseline"]["seconds"] for g, m in rounds)
    reader = statistics.median(g["reader"]["seconds"] / g["baseline"]["seconds"] for g, _ in rounds)
    print(
        f"median marginal / baseline: {ratio:.2f}x (goal <= 1.5); reader / baseline {reader:.2f}x"
    )


if __name__ == "__main__":
    main()
