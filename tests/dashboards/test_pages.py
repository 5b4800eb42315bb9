"""Every dashboard page under AppTest on a generated network: the values shown are worked out
from the generator's truth files and its LinkedIn export (see conftest.py for why the tier
settings make them derivable), never read back from the warehouse."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboards.support import APP, CADENCE_D, FIRST_AS_OF, SHIFT_D, build
from transforms.resolve.keys import canonical_linkedin_url


def days_now(row: dict) -> int | None:
    """The truth's days since last contact (as of 11-01), as of the later run (11-08)."""
    text = row["days_since_last_contact"]
    return int(text) + SHIFT_D if text else None


def connections(net) -> list[dict]:
    """Connections.csv rows (after LinkedIn's preamble), read by hand."""
    lines = (net.linkedin_dir / "Connections.csv").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    return list(csv.DictReader(lines[start:]))


def open_page(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def table_with(at: AppTest, column: str):
    """The one dataframe shown with this column."""
    [table] = [t.value for t in at.dataframe if column in t.value.columns]
    return table


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_today_headline_numbers_and_change_since_last_week(network, use_db):
    use_db(network.db)
    at = open_page()
    shown = metrics(at)
    truth = network.truth
    days = [days_now(r) for r in truth]
    # active: last contact within the 90 days ending with the as-of date (<= 89 days ago)
    active_now = sum(1 for d in days if d is not None and d < 90)
    active_before = sum(1 for d in days if d is not None and d - SHIFT_D < 90)
    overdue_now = sum(1 for d in days if d is not None and d > CADENCE_D)
    overdue_before = sum(1 for d in days if d is not None and d - SHIFT_D > CADENCE_D)
    talked = [r for r in truth if int(r["sent_count"]) + int(r["received_count"]) > 0]
    both = [r for r in talked if int(r["sent_count"]) > 0 and int(r["received_count"]) > 0]
    november = [r for r in connections(network.net) if r["Connected On"].endswith("Nov 2026")]
    assert shown["People"] == ("120", "+0")
    assert shown["Active in 90 days"] == (str(active_now), f"{active_now - active_before:+d}")
    assert shown["Two-way share"] == (f"{len(both) / len(talked):.0%}", "+0 pts")
    assert shown["Overdue follow-ups"] == (
        str(overdue_now),
        f"{overdue_now - overdue_before:+d}",
    )
    assert shown["New connections"][0] == str(len(november))
    assert "Changes since the snapshot of 2026-11-01." in [c.value for c in at.caption]
    text = " ".join(m.value for m in at.markdown)
    oldest = max(truth, key=lambda r: days_now(r) or -1)
    assert f"**{oldest['display_name']}**" in text.split("\n")[0]
    links = [link.proto.label for link in at.get("page_link")]
    assert links == [
        "Reconnect",
        "Reciprocity",
        "Person",
        "Network",
    ]


def test_reconnect_top_row_is_the_most_overdue_person(network, use_db):
    use_db(network.db)
    at = open_page("reconnect")
    table = at.dataframe[0].value
    oldest = max(network.truth, key=lambda r: days_now(r) or -1)
    overdue = days_now(oldest) - CADENCE_D
    last = datetime.fromisoformat(oldest["last_contact_at"].replace("Z", "+00:00"))
    top = table.iloc[0]
    assert top["Person"] == oldest["display_name"]
    assert top["Why"] == f"overdue by {overdue} days (keep in touch every {CADENCE_D} days, tier 1)"
    assert top["What"] == "time to get in touch again"
    assert top["Last interaction"].startswith(f"{last:%Y-%m-%d}, ")
    assert top["Priority"] == 1


def test_reconnect_filter_by_reason(network, use_db):
    use_db(network.db)
    at = open_page("reconnect")
    at.multiselect(key="reason").set_value(["overdue_cadence"]).run()
    table = at.dataframe[0].value
    expected = sum(1 for r in network.truth if (days_now(r) or 0) > CADENCE_D)
    assert len(table) == expected
    assert set(table["What"]) == {"time to get in touch again"}
    at.multiselect(key="tier").set_value([5]).run()  # tier 5 = the people never in touch
    assert len(at.dataframe[0].value) == 0


def test_reciprocity_one_way_lists(network, use_db):
    use_db(network.db)
    at = open_page("reciprocity")
    truth = network.truth

    def one_way(mine: str, theirs: str) -> list[dict]:
        rows = [r for r in truth if int(r[mine]) > 0 and int(r[theirs]) == 0]
        return sorted(rows, key=lambda r: (-int(r[mine]), r["display_name"]))

    only_me = one_way("sent_count", "received_count")
    only_them = one_way("received_count", "sent_count")
    headers = [h.value for h in at.subheader]
    assert f"Only you write ({len(only_me)})" in headers
    assert f"Only they write ({len(only_them)})" in headers
    mine, theirs, latency = (t.value for t in at.dataframe)  # in page order
    assert "You answer (median h)" in latency.columns
    assert list(mine["Person"]) == [r["display_name"] for r in only_me]
    assert list(mine["Messages"]) == [int(r["sent_count"]) for r in only_me]
    assert list(theirs["Person"]) == [r["display_name"] for r in only_them]
    assert mine.iloc[0]["Last one"] == only_me[0]["last_sent_at"][:10]
    talked = [r for r in truth if int(r["sent_count"]) + int(r["received_count"]) > 0]
    both = len(talked) - len(only_me) - len(only_them)
    caption = f"{len(talked)} people exchanged messages with you over all time; {both} both ways."
    assert caption in [c.value for c in at.caption]
    assert {m.label for m in at.metric} == {
        "Your replies: median hours",
        "Their replies: median hours",
    }


def _person_to_find(network) -> tuple[dict, list[tuple[str, str]], str]:
    """A truth person with messages, a LinkedIn URL and an email on their connection row."""
    ids: dict[str, list[tuple[str, str]]] = {}
    with open(network.net.truth_path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ids.setdefault(row["truth_person_id"], []).append((row["kind"], row["value"]))
    on_rows = {
        r["Email Address"].strip().lower() for r in connections(network.net) if r["Email Address"]
    }
    every_value = [v for values in ids.values() for _, v in values]
    for row in sorted(network.truth, key=lambda r: r["truth_person_id"]):
        mine = ids.get(row["truth_person_id"], [])
        emails = [v for k, v in mine if k == "email" and v in on_rows]
        if int(row["sent_count"]) and any(k == "linkedin_url" for k, _ in mine) and emails:
            email = emails[0]
            if sum(email in v for v in every_value) == 1:  # the search finds only them
                return row, [(k, v) for k, v in mine if k != "name"], email
    raise AssertionError("the generated network has no such person")


def test_person_search_by_address(network, use_db):
    use_db(network.db)
    row, keys, email = _person_to_find(network)
    at = open_page("person")
    at.text_input(key="search").input(email.upper()).run()
    assert not at.exception
    assert [h.value for h in at.header] == [row["display_name"]]
    shown = metrics(at)
    assert shown["Messages sent"][0] == row["sent_count"]
    assert shown["Messages received"][0] == row["received_count"]
    assert shown["Last contact"][0] == row["last_contact_at"][:10]
    ids = table_with(at, "Times seen")
    found = {(k, v) for k, v in zip(ids["Kind"], ids["Identity"], strict=True) if k != "name"}
    assert found == set(keys)
    merges = table_with(at, "Because")
    assert set(merges["Because"]) == {"one LinkedIn connection row carries both"}
    url = next(v for k, v in keys if k == "linkedin_url")
    assert {url, email} <= set(merges["Identity"]) | set(merges["Merged with"])
    captions = [c.value for c in at.caption]
    events = int(row["sent_count"]) + int(row["received_count"])
    counted = next(c for c in captions if c.endswith("interactions counted."))
    assert int(counted.split()[0]) >= events  # messages, plus the connection
    assert "One snapshot so far: every run adds one." not in captions  # two runs, two points


def test_person_search_with_several_matches(network, use_db):
    values: dict[str, set[str]] = {}  # truth person -> names and keys, lower-cased
    with open(network.net.truth_path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["truth_person_id"] not in ("", "owner"):
                values.setdefault(row["truth_person_id"], set()).add(row["value"].lower())
    surnames = Counter(
        name.split()[-1] for r in network.truth if (name := r["display_name"]).isascii()
    )
    surname = min(s for s, n in surnames.items() if n >= 2 and len(s) >= 4)
    matching = {t for t, vals in values.items() if any(surname.lower() in v for v in vals)}
    use_db(network.db)
    at = open_page("person")
    at.text_input(key="search").input("zzz-nobody").run()
    assert "Nobody in the warehouse matches." in [w.value for w in at.warning]
    at.text_input(key="search").input(surname).run()
    assert at.selectbox[0].label == f"{len(matching)} people match"
    options = at.selectbox[0].options  # "Name (first address)", sorted by name
    assert options[0].startswith(at.header[0].value + " (")
    at.selectbox[0].select_index(1).run()
    assert options[1].startswith(at.header[0].value + " (")


def test_network_diversity_from_the_connections_file(network, use_db):
    use_db(network.db)
    at = open_page("network")
    latest: dict[str, tuple[datetime, str]] = {}
    for row in connections(network.net):
        url = canonical_linkedin_url(row["URL"]) if row["URL"] else None
        company = row["Company"].strip()
        if not url or not company:
            continue
        when = datetime.strptime(row["Connected On"], "%d %b %Y")
        if url not in latest or when > latest[url][0]:
            latest[url] = (when, company)
    counts = Counter(company for _, company in latest.values())
    total = sum(counts.values())
    blau = 1 - sum((n / total) ** 2 for n in counts.values())
    top_n = max(counts.values())
    top = min(c for c, n in counts.items() if n == top_n)
    shown = metrics(at)
    assert shown["People"][0] == "120"
    assert shown["Companies"][0] == str(len(counts))
    assert shown["Company diversity (Blau)"][0] == f"{blau:.2f}"
    assert shown["Largest company share"][0] == f"{top_n / total:.0%}"
    assert f"{top} ({top_n} people)" in [c.value for c in at.caption]
    first = min(r["first_contact_at"] for r in network.truth if r["first_contact_at"])
    contacted = sum(1 for r in network.truth if r["first_contact_at"])
    month = datetime.fromisoformat(first.replace("Z", "+00:00"))
    assert f"{contacted} people first contacted since {month:%B %Y}" in " ".join(
        c.value for c in at.caption
    )


@pytest.fixture(scope="module")
def linkedin_only(network, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("li") / "kith.duckdb"
    build([network.net.linkedin_dir], db, FIRST_AS_OF)
    return db


PAGES = [None, "reconnect", "reciprocity", "person", "network"]


@pytest.mark.parametrize("page", PAGES)
def test_no_warehouse_says_run_kith_run_first(page, use_db, tmp_path):
    use_db(tmp_path / "missing.duckdb")
    at = open_page(page)
    assert any("run `kith run` first" in i.value for i in at.info)


@pytest.mark.parametrize("page", [None, "reciprocity"])
def test_linkedin_only_says_no_email_sources(page, linkedin_only, use_db):
    use_db(linkedin_only)
    at = open_page(page)
    assert any(i.value.startswith("No email sources configured") for i in at.info)


def test_person_page_shows_meetings_on_the_timeline(tmp_path, use_db):
    """The hand-written calendars of tests/fixtures: Ada met the owner five times by
    2026-03-31 (four weekly 1:1s and the review; see tests/test_meetings.py) and never
    wrote; her card names her Ada Lovelace, the calendar Ada L."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    db = tmp_path / "kith.duckdb"
    sources = [
        fixtures / "calendar" / "takeout_primary_x_wr_timezone.ics",
        fixtures / "calendar" / "outlook_work_windows_zone.ics",
        fixtures / "contacts",
    ]
    build(sources, db, date(2026, 3, 31), metrics={})
    use_db(db)
    at = open_page("person")
    at.text_input(key="search").input("ada@example.com").run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Ada Lovelace"]
    assert "5 interactions counted, 5 of them meetings." in [c.value for c in at.caption]
    timeline, _strength = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert "meeting" in str(timeline.proto)  # the channel's ticks
    assert "email" not in str(timeline.proto)
