"""synthetic/truth.py: the truth covers every identity written, and the counting rules,
re-applied here to the written files with the stdlib only, reproduce its counts."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from synthetic import generate
from tests.synthetic.readers import (
    addresses,
    canonical_url,
    connections,
    invitations,
    is_bulk,
    linkedin_messages,
    mbox_messages,
    read_truth,
    truth_maps,
    truth_people,
)


def epoch(dt: datetime) -> int:
    return int(dt.timestamp())


def recompute(out: Path) -> dict[str, dict[str, object]]:
    """Apply the counting rules to the written files; return truth_people-shaped rows."""
    meta = json.loads((out / "truth_meta.json").read_text(encoding="utf-8"))
    owner_emails = {e.lower() for e in meta["owner_emails"]}
    owner_url = meta["owner_linkedin_url"]
    maps = truth_maps(out)
    as_of = date.fromisoformat(meta["as_of"])
    events: dict[str, list[tuple[int, str]]] = defaultdict(list)

    seen: set[str] = set()
    for msg in mbox_messages(out):
        msgid = msg["Message-ID"].strip()
        if msgid in seen:
            continue
        seen.add(msgid)
        if is_bulk(msg):
            continue
        ts = epoch(parsedate_to_datetime(msg["Date"]))
        sender = addresses(msg, "From")[0][1]
        if sender in owner_emails:
            recipients = {
                maps["email"][a]
                for _, a in addresses(msg, "To", "Cc", "Bcc")
                if a not in owner_emails
            }
            for pid in recipients:
                events[pid].append((ts, "sent"))
        elif any(a in owner_emails for _, a in addresses(msg, "To", "Cc")):
            events[maps["email"][sender]].append((ts, "received"))

    for row in linkedin_messages(out):
        if row["CONVERSATION TITLE"] == "Sponsored Conversation" or not row["SENDER PROFILE URL"]:
            continue
        when = datetime.strptime(row["DATE"], "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC)
        sender = canonical_url(row["SENDER PROFILE URL"])
        if sender == owner_url:
            for url in row["RECIPIENT PROFILE URLS"].split(","):
                events[maps["linkedin_url"][canonical_url(url)]].append((epoch(when), "sent"))
        else:
            events[maps["linkedin_url"][sender]].append((epoch(when), "received"))

    for row in connections(out):
        if not row["URL"]:
            continue
        day = datetime.strptime(row["Connected On"], "%d %b %Y").replace(tzinfo=UTC)
        events[maps["linkedin_url"][canonical_url(row["URL"])]].append((epoch(day), ""))

    for row in invitations(out):
        when = datetime.strptime(row["Sent At"], "%m/%d/%y, %I:%M %p").replace(tzinfo=UTC)
        urls = {canonical_url(row["inviterProfileUrl"]), canonical_url(row["inviteeProfileUrl"])}
        (other,) = urls - {owner_url}
        events[maps["linkedin_url"][other]].append((epoch(when), ""))

    def iso(ts: int | None) -> str:
        return "" if ts is None else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    result = {}
    for pid, evs in events.items():
        stamps = [t for t, _ in evs]
        sent = [t for t, d in evs if d == "sent"]
        received = [t for t, d in evs if d == "received"]
        last = max(stamps)
        result[pid] = {
            "first_contact_at": iso(min(stamps)),
            "last_contact_at": iso(last),
            "last_sent_at": iso(max(sent) if sent else None),
            "last_received_at": iso(max(received) if received else None),
            "days_since_last_contact": str((as_of - datetime.fromtimestamp(last, UTC).date()).days),
            "sent_count": str(len(sent)),
            "received_count": str(len(received)),
        }
    return result


def test_truth_covers_every_identity_in_the_data(sample):
    truth = read_truth(sample)
    by_kind: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in truth:
        by_kind[row["kind"]][row["value"]].add(row["truth_person_id"])
    meta = json.loads((sample / "truth_meta.json").read_text(encoding="utf-8"))
    for e in meta["owner_emails"]:
        assert by_kind["email"][e] == {"owner"}
    assert by_kind["linkedin_url"][meta["owner_linkedin_url"]] == {"owner"}

    bulk_senders = set()
    for msg in mbox_messages(sample):
        for name, address in addresses(msg, "From", "To", "Cc", "Bcc"):
            assert address in by_kind["email"], address
            if name:
                assert " ".join(name.split()) in by_kind["name"], name
        if is_bulk(msg):
            bulk_senders.add(addresses(msg, "From")[0][1])
    assert bulk_senders and all(by_kind["email"][a] == {""} for a in bulk_senders)

    urls = [r["URL"] for r in connections(sample) if r["URL"]]
    for r in linkedin_messages(sample):
        urls.append(r["SENDER PROFILE URL"])
        urls += r["RECIPIENT PROFILE URLS"].split(",")
    for r in invitations(sample):
        urls += [r["inviterProfileUrl"], r["inviteeProfileUrl"]]
    for url in filter(None, urls):
        ids = by_kind["linkedin_url"][canonical_url(url)]
        assert ids and "" not in ids, url
    for r in connections(sample):
        if r["Email Address"]:
            assert r["Email Address"].lower() in by_kind["email"]
    # hard negatives: some full names belong to two different people
    assert any(len(ids - {""}) > 1 for ids in by_kind["name"].values())
    # every truth person id in truth_people has at least one identity
    people_ids = {row["truth_person_id"] for row in truth}
    assert set(truth_people(sample)) <= people_ids


@pytest.mark.parametrize(("people", "seed", "noise"), [(5, 1, 0.0), (40, 11, 0.0), (120, 3, 0.7)])
def test_counts_recomputed_from_files_match_truth(tmp_path, people, seed, noise):
    generate(people=people, seed=seed, out=tmp_path, noise=noise)
    expected = truth_people(tmp_path)
    got = recompute(tmp_path)
    assert set(got) == set(expected)
    for pid, row in expected.items():
        assert {k: v for k, v in row.items() if k != "display_name"} == got[pid], pid
    assert any(int(r["sent_count"]) > 0 for r in expected.values())
    assert any(int(r["received_count"]) > 0 for r in expected.values())


def test_events_strictly_before_as_of(sample):
    rows = truth_people(sample)
    assert rows
    for row in rows.values():
        assert row["last_contact_at"] < "2026-11-01T00:00:00Z"
        assert row["first_contact_at"] >= "2020-01-01T00:00:00Z"
        assert int(row["days_since_last_contact"]) >= 1
