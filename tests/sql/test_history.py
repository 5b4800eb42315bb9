"""relationship_history across builds: each run appends its snapshot, carried over from the
previous warehouse; a rerun on the same as-of date replaces its own snapshot; rows of people
who later merged point at the person they became. Runs the real
warehouse build/check/publish (no parsing, no Prefect) on two people without interactions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import duckdb
import polars as pl

from transforms import schemas
from transforms.resolve.people import Resolution
from transforms.schemas import MATCH_DECISIONS, PEOPLE, PERSON_ID_HISTORY, PERSON_IDENTITIES
from transforms.settings import MetricSettings
from transforms.warehouse import build as warehouse
from transforms.warehouse.checks import check_build
from transforms.warehouse.core import Core
from transforms.warehouse.history import carry_history
from transforms.warehouse.live import read_carried
from transforms.warehouse.publish import publish


def build_and_publish(people, live: Path, as_of: date, run_id: str, **kw) -> None:
    target = live.with_name(f"{run_id}.build.duckdb")
    run = warehouse.RunInfo(run_id, datetime(2026, 11, 2, 3, tzinfo=UTC), as_of)
    core = Core({}, schemas.empty(schemas.REJECTS), people.resolution)
    warehouse.build(target, core, run, people.no_stats, read_carried(live), **kw)
    check_build(target)
    publish(target, live)


def test_each_run_appends_its_snapshot_and_a_rerun_replaces_it(tmp_path, three_people, fetch):
    live = tmp_path / "kith.duckdb"

    def snapshots() -> list[tuple]:
        return fetch(
            live,
            "select snapshot_on, person_id, run_id, tier, cadence_d from relationship_history "
            "order by all",
        )

    build_and_publish(three_people, live, date(2026, 11, 1), "r1")
    # no contact at all: tier 5, whose default cadence is 365 days
    assert snapshots() == [
        (date(2026, 11, 1), "p_a", "r1", 5, 365),
        (date(2026, 11, 1), "p_b", "r1", 5, 365),
    ]
    # same as-of: replaced, not doubled
    build_and_publish(three_people, live, date(2026, 11, 1), "r2")
    assert snapshots() == [
        (date(2026, 11, 1), "p_a", "r2", 5, 365),
        (date(2026, 11, 1), "p_b", "r2", 5, 365),
    ]
    # next night, with a setting changed through the dict the config will give
    settings = MetricSettings.from_dict({"tier_cadences_d": [14, 30, 90, 180, 400]})
    build_and_publish(three_people, live, date(2026, 11, 2), "r3", settings=settings)
    assert snapshots() == [
        (date(2026, 11, 1), "p_a", "r2", 5, 365),
        (date(2026, 11, 1), "p_b", "r2", 5, 365),
        (date(2026, 11, 2), "p_a", "r3", 5, 400),
        (date(2026, 11, 2), "p_b", "r3", 5, 400),
    ]


def test_history_from_an_older_layout_is_carried_column_by_column():
    con = duckdb.connect()
    con.execute(
        "create table relationship_history as select date '2026-11-02' as snapshot_on, "
        "'p_a' as person_id, 'r9' as run_id, 1.5::double as strength, 3 as tier"
    )
    con.execute("create table run_params as select date '2026-11-02' as as_of")
    older = pl.DataFrame(
        {
            "snapshot_on": [date(2026, 10, 1), date(2026, 11, 2)],
            "person_id": ["p_a", "p_a"],
            "strength": [0.5, 9.0],
            "dropped_since": ["x", "y"],
        }
    )
    carry_history(con, older)
    assert con.execute("select * from relationship_history order by all").fetchall() == [
        # the old row keeps what it had; the old row of today's date gave way
        (date(2026, 10, 1), "p_a", None, 0.5, None),
        (date(2026, 11, 2), "p_a", "r9", 1.5, 3),
    ]


def test_a_warehouse_without_history_gives_none(tmp_path, three_people):
    live = tmp_path / "kith.duckdb"
    build_and_publish(three_people, live, date(2026, 11, 1), "r1")
    con = duckdb.connect(str(live))
    con.execute("drop table relationship_history")
    con.close()
    assert read_carried(live).history is None


def _resolution(people: list[str], merges: list[tuple[str, str]]):
    """A resolution with the owner plus `people` (one address each) and the person id
    history `merges` ((old id, new id) pairs, merged in that order)."""
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    ids = ["p_own", *people]
    return Resolution(
        people=pl.DataFrame(
            [(pid, pid, pid == "p_own", 1, t0) for pid in ids],
            schema=PEOPLE,
            orient="row",
        ),
        person_identities=pl.DataFrame(
            [(pid, "email", f"{pid}@example.com", 1) for pid in ids],
            schema=PERSON_IDENTITIES,
            orient="row",
        ),
        match_decisions=pl.DataFrame(schema=MATCH_DECISIONS),
        person_id_history=pl.DataFrame(
            [(old, new, "merged", t0) for old, new in merges],
            schema=PERSON_ID_HISTORY,
            orient="row",
        ),
    )


def test_snapshots_of_merged_people_point_at_the_person_they_became(tmp_path, three_people, fetch):
    live = tmp_path / "kith.duckdb"

    def night(people, merges, day, run_id):
        res = _resolution(people, merges)
        nightly = SimpleNamespace(resolution=res, no_stats=three_people.no_stats)
        build_and_publish(nightly, live, date(2026, 11, day), run_id)

    def current() -> list[tuple]:
        return fetch(
            live,
            "select snapshot_on, person_id, current_person_id from relationship_history "
            "order by all",
        )

    night(["p_a", "p_b", "p_c"], [], 1, "r1")
    night(["p_a", "p_c"], [("p_b", "p_a")], 2, "r2")  # b merged into a
    assert current() == [
        (date(2026, 11, 1), "p_a", "p_a"),
        (date(2026, 11, 1), "p_b", "p_a"),
        (date(2026, 11, 1), "p_c", "p_c"),
        (date(2026, 11, 2), "p_a", "p_a"),
        (date(2026, 11, 2), "p_c", "p_c"),
    ]
    night(["p_c"], [("p_b", "p_a"), ("p_a", "p_c")], 3, "r3")  # then a into c: b -> a -> c
    assert current() == [
        (date(2026, 11, 1), "p_a", "p_c"),
        (date(2026, 11, 1), "p_b", "p_c"),
        (date(2026, 11, 1), "p_c", "p_c"),
        (date(2026, 11, 2), "p_a", "p_c"),
        (date(2026, 11, 2), "p_c", "p_c"),
        (date(2026, 11, 3), "p_c", "p_c"),
    ]
