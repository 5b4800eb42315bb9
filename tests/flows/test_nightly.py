"""The nightly flow end to end on a hand-made network whose every mart value is worked out
by hand below; plus atomicity (a failed run changes nothing) and idempotence (a rerun on the
same inputs changes nothing)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly
from transforms.run.spec import new_run
from transforms.warehouse import checks, publish

NETWORK = Path(__file__).resolve().parents[1] / "fixtures" / "network"
AS_OF = date(2026, 11, 1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def run_flow(db: Path, sources: list[Path] | None = None) -> dict:
    spec = new_run(sources or [NETWORK], db, [], AS_OF)
    return nightly(str(spec.save()))


@pytest.fixture(scope="module")
def built(prefect_server, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("wh") / "kith.duckdb"
    run_flow(db)
    return db


def by_name(
    fetch: Callable[[Path, str], list[tuple]], db: Path, table: str, columns: str
) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in fetch(db, f"select display_name, {columns} from {table} order by display_name")
    }


def test_people_are_the_four_humans_and_the_owner(built, fetch):
    people = fetch(built, "select display_name, is_owner from people order by display_name")
    assert people == [
        ("Ada Okafor", False),
        ("Ben Tran", False),
        ("Chen Li", False),
        ("Dana Obi", False),
        ("Maya Quill", True),
    ]
    owner_ids = fetch(
        built,
        "select kind, value from person_identities join people using (person_id) "
        "where is_owner and kind != 'name' order by kind",
    )
    assert owner_ids == [
        ("email", "maya.quill@example.com"),
        ("linkedin_url", "https://www.linkedin.com/in/maya-quill"),
        ("owner", "me"),  # the owner's own identity: every run has it
    ]


def test_contact_recency_matches_hand_computed_values(built, fetch):
    got = by_name(
        fetch,
        built,
        "contact_recency",
        "first_contact_at, last_contact_at, last_sent_at, last_received_at, "
        "days_since_last_contact, recency_bucket",
    )
    assert got == {
        # connection 2024-02-05; LinkedIn in 09-15; mail in 10-01 10:00+02; out 10-02; Cc 08-01
        "Ada Okafor": (
            utc(2024, 2, 5),
            utc(2026, 10, 2, 9),
            utc(2026, 10, 2, 9),
            utc(2026, 10, 1, 8),
            30,
            "<=30d",
        ),
        # a connection and nothing else: contact at 00:00 UTC that day, no messages
        "Ben Tran": (utc(2021, 6, 17), utc(2021, 6, 17), None, None, 1963, ">365d"),
        # sent 08-01 12:00-05:00 = 17:00Z; he answered 08-02 06:15Z with me only in Cc
        "Chen Li": (
            utc(2026, 8, 1, 17),
            utc(2026, 8, 2, 6, 15),
            utc(2026, 8, 1, 17),
            utc(2026, 8, 2, 6, 15),
            91,
            "<=180d",
        ),
        "Dana Obi": (
            utc(2026, 7, 1, 8),
            utc(2026, 7, 3, 18, 30),
            utc(2026, 7, 1, 8),
            utc(2026, 7, 3, 18, 30),
            121,
            "<=180d",
        ),
    }


def test_reciprocity_matches_hand_computed_values(built, fetch):
    got = by_name(
        fetch,
        built,
        "reciprocity where time_window = 'all'",
        "sent_count, received_count, total_count, balance",
    )
    assert got == {
        # the duplicate copy of Ada's mail counts once; Chen's mail to her counts for nobody
        "Ada Okafor": (2, 2, 4, 0.0),
        "Ben Tran": (0, 0, 0, None),
        "Chen Li": (1, 1, 2, 0.0),
        "Dana Obi": (1, 1, 2, 0.0),
    }


def test_favours_are_interactions_counted_in_reciprocity_only(built, fetch):
    favours = fetch(
        built,
        "select display_name, channel, direction, occurred_at, role from interactions "
        "join people using (person_id) "
        "where channel in ('linkedin_endorsement', 'linkedin_recommendation') order by all",
    )
    assert favours == [
        # endorsement URL www.linkedin.com/in/Ada-Okafor (no scheme, mixed case) is Ada's
        ("Ada Okafor", "linkedin_endorsement", "received", utc(2026, 3, 10, 9), "from"),
        # "ADA" / "okafor " matches her connection's name after case and space folding
        ("Ada Okafor", "linkedin_recommendation", "sent", utc(2026, 1, 15, 16), "to"),
        ("Dana Obi", "linkedin_endorsement", "received", utc(2026, 7, 2, 10), "from"),
        # Dana's recommendation gives nothing: she is not a connection, names are no key
    ]
    # 365d starts 2025-11-02, 90d 2026-08-04: the favours (Jan-Jul 2026) are in 365d only;
    # sent/received counts are messages only and stay as without favours
    got = {
        (name, w): v
        for (name, w, *v) in fetch(
            built,
            "select display_name, time_window, sent_count, received_count, endorsements_given, "
            "endorsements_received, recommendations_given, recommendations_received "
            "from reciprocity where display_name in ('Ada Okafor', 'Dana Obi') order by all",
        )
    }
    assert got == {
        ("Ada Okafor", "365d"): [2, 2, 0, 1, 1, 0],
        ("Ada Okafor", "90d"): [1, 2, 0, 0, 0, 0],
        ("Ada Okafor", "all"): [2, 2, 0, 1, 1, 0],
        ("Dana Obi", "365d"): [1, 1, 0, 1, 0, 0],
        ("Dana Obi", "90d"): [0, 0, 0, 0, 0, 0],
        ("Dana Obi", "all"): [1, 1, 0, 1, 0, 0],
    }


def test_bulk_and_sponsored_senders_are_not_people(built, fetch):
    values = {v for (v,) in fetch(built, "select value from person_identities")}
    assert "news@lists.example.com" not in values
    assert "LinkedIn Member" not in values


def test_file_counts_balance_and_are_reported(built, fetch):
    stats = fetch(
        built,
        "select source_file, rows_in, rows_loaded, rows_rejected from pipeline_file_stats "
        "order by source_file",
    )
    by_file = {Path(f).name: (i, lo, r) for f, i, lo, r in stats}
    assert by_file["Connections.csv"] == (3, 3, 0)  # the hidden-profile row is loaded
    assert by_file["messages.csv"] == (4, 4, 0)
    assert by_file["Inbox.mbox"] == (6, 6, 0)
    assert by_file["Endorsement_Received_Info.csv"] == (2, 2, 0)
    assert by_file["Recommendations_Given.csv"] == (2, 2, 0)
    # expected LinkedIn files absent from the export are listed, with nothing read
    missing = fetch(
        built,
        "select source_file, rows_in from pipeline_file_stats "
        "where skipped_reason = 'not in this export' order by source_file",
    )
    assert [(Path(f).name, n) for f, n in missing] == [
        ("Contacts.csv", 0),
        ("Endorsement_Given_Info.csv", 0),
        ("Invitations.csv", 0),
        ("PhoneNumbers.csv", 0),
        ("Positions.csv", 0),
        ("Recommendations_Received.csv", 0),
    ]
    runs = fetch(built, "select status, rows_in, n_people from pipeline_runs")
    assert runs == [("ok", 3 + 4 + 1 + 1 + 6 + 2 + 2, 4)]


def test_warehouse_file_is_private(built):
    assert built.stat().st_mode & 0o777 == 0o600


CONTRACT_TABLES = (
    "people",
    "person_identities",
    "interactions",
    "match_decisions",
    "person_id_history",
    "contact_recency",
    "reciprocity",
    "rejects",
)


def table_digests(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    con.execute("set TimeZone = 'UTC'")  # timestamps come back with one tzinfo, whoever asks
    try:
        out = {}
        for table in CONTRACT_TABLES:
            cols = [c for c in con.table(table).columns if c != "run_id"]
            data = con.execute(f"select {', '.join(cols)} from {table} order by all").fetchall()
            out[table] = hashlib.sha256(repr(data).encode()).hexdigest()
        return out
    finally:
        con.close()


def test_rerun_on_same_inputs_changes_nothing(prefect_server, tmp_path, fetch):
    db = tmp_path / "kith.duckdb"
    run_flow(db)
    first = table_digests(db)
    run_flow(db)
    assert table_digests(db) == first
    assert fetch(db, "select count(*) from pipeline_runs") == [(2,)]


def test_failed_publish_leaves_the_old_warehouse_byte_for_byte(
    prefect_server, tmp_path, monkeypatch
):
    db = tmp_path / "kith.duckdb"
    run_flow(db)
    before = db.read_bytes()

    def refuse(src, dst):
        raise OSError("disk full (injected)")

    monkeypatch.setattr(publish.os, "replace", refuse)
    with pytest.raises(OSError, match="injected"):
        run_flow(db)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kith.duckdb"]  # no half-built file


def test_failed_check_leaves_the_old_warehouse_untouched(prefect_server, tmp_path, monkeypatch):
    db = tmp_path / "kith.duckdb"
    run_flow(db)
    before = db.read_bytes()
    monkeypatch.setattr(checks, "run_checks", lambda con: ["injected (1 rows)"])
    with pytest.raises(checks.CheckFailed):
        run_flow(db)
    assert db.read_bytes() == before
