"""End to end on a generated network: every person's contact_recency and reciprocity
against the generator's truth files (computed by the generator from its own event model,
not by the code under test). At noise 0 every identity is linkable by exact keys, so any
difference is a parsing, resolution or mart error."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly
from synthetic import generate
from transforms.run.spec import new_run


def parse_ts(text: str) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


@pytest.fixture(scope="module")
def network(prefect_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("net")
    net = generate(people=120, seed=11, out=root / "net", noise=0.0)
    db = root / "kith.duckdb"
    spec = new_run([net.linkedin_dir, net.mbox_path], db, [], date(2026, 11, 1))
    nightly(str(spec.save()))
    return net, db


def truth_people(net) -> dict[str, dict]:
    with open(net.truth_people_path, newline="", encoding="utf-8") as fh:
        return {row["truth_person_id"]: row for row in csv.DictReader(fh)}


def truth_to_person(net, db: Path) -> dict[str, set[str]]:
    """truth person -> the warehouse person ids its email / URL identities landed in."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = dict(
            ((k, v), p)
            for k, v, p in con.execute(
                "select kind, value, person_id from person_identities where kind != 'name'"
            ).fetchall()
        )
    finally:
        con.close()
    out: dict[str, set[str]] = {}
    with open(net.truth_path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] == "name" or not row["truth_person_id"]:
                continue
            pid = found.get((row["kind"], row["value"]))
            out.setdefault(row["truth_person_id"], set()).add(pid)
    return out


def test_every_true_person_is_exactly_one_warehouse_person(network):
    net, db = network
    mapping = truth_to_person(net, db)
    owner = mapping.pop("owner")
    assert len(owner) == 1 and None not in owner
    split = {t: p for t, p in mapping.items() if len(p) != 1 or None in p}
    assert split == {}
    ids = [next(iter(p)) for p in mapping.values()]
    assert len(ids) == len(set(ids))  # no two true people merged


def test_marts_match_truth_for_every_person(network):
    net, db = network
    mapping = {t: next(iter(p)) for t, p in truth_to_person(net, db).items() if t != "owner"}
    con = duckdb.connect(str(db), read_only=True)
    try:
        recency = {
            r[0]: r[1:]
            for r in con.execute(
                "select person_id, first_contact_at, last_contact_at, last_sent_at, "
                "last_received_at, days_since_last_contact from contact_recency"
            ).fetchall()
        }
        recip = {
            r[0]: r[1:]
            for r in con.execute(
                "select person_id, sent_count, received_count from reciprocity "
                "where time_window = 'all'"
            ).fetchall()
        }
    finally:
        con.close()
    truth = truth_people(net)
    assert len(truth) > 100
    mismatches = []
    for tid, row in truth.items():
        pid = mapping[tid]
        expected_recency = (
            parse_ts(row["first_contact_at"]),
            parse_ts(row["last_contact_at"]),
            parse_ts(row["last_sent_at"]),
            parse_ts(row["last_received_at"]),
            int(row["days_since_last_contact"]),
        )
        expected_recip = (int(row["sent_count"]), int(row["received_count"]))
        if recency[pid] != expected_recency or recip[pid] != expected_recip:
            mismatches.append((tid, expected_recency, recency[pid], expected_recip, recip[pid]))
    assert mismatches == []
