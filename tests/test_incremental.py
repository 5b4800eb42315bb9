"""Incremental runs: unchanged inputs are not parsed again, an appended mbox is read from
its old end, changed and removed files are handled, and every result equals a full run."""

from __future__ import annotations

import hashlib
import logging
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.nightly import run_in_process
from transforms.resolve import people
from transforms.run import steps
from transforms.run.progress import progress
from transforms.run.spec import clean_up, new_run

NETWORK = Path(__file__).resolve().parent / "fixtures" / "network"
# Columns that record when a run happened, not what it found.
VARYING = {"run_id", "first_seen_at", "changed_at"}
TABLES = (
    "people",
    "person_identities",
    "interactions",
    "contact_recency",
    "reciprocity",
    "rejects",
    "match_decisions",
    "person_id_history",
    "stg_email_messages",
    "stg_email_participants",
)

NEW_MESSAGE = (
    "From 2001@xxx Sat Nov 01 00:00:00 +0000 2026\r\n"
    "X-GM-THRID: 6001\r\n"
    "X-Gmail-Labels: Inbox\r\n"
    "From: Eve Stone <eve@example.net>\r\n"
    "To: maya.quill@example.com\r\n"
    "Date: Wed, 21 Oct 2026 10:00:00 +0000\r\n"
    "Subject: Hello\r\n"
    "Message-ID: <eve-1@example.net>\r\n"
    "\r\n"
    "Body.\r\n"
)


def run(db: Path, sources: list[Path], full: bool = False) -> dict:
    spec = new_run(sources, db, [], date(2026, 11, 1), full=full)
    return run_in_process(spec)


def digests(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    con.execute("set TimeZone = 'UTC'")  # timestamps come back with one tzinfo, whoever asks
    try:
        out = {}
        for table in TABLES:
            cols = [c for c in con.table(table).columns if c not in VARYING]
            rows = con.execute(f"select {', '.join(cols)} from {table} order by all").fetchall()
            out[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        con.close()


@pytest.fixture
def sources(tmp_path) -> list[Path]:
    shutil.copytree(NETWORK, tmp_path / "net")
    return [tmp_path / "net" / "linkedin", tmp_path / "net" / "mail" / "Inbox.mbox"]


def cached(result: dict) -> dict[str, bool]:
    return {Path(f["source_file"]).name: f["is_cached"] for f in result["files"]}


def test_unchanged_inputs_come_from_the_cache_and_change_nothing(tmp_path, sources):
    db = tmp_path / "kith.duckdb"
    first = run(db, sources)
    assert not any(cached(first).values())
    before = digests(db)
    second = run(db, sources)
    assert all(cached(second).values())
    assert digests(db) == before
    # Touching a file without changing it costs a hash, not a parse.
    sources[1].touch()
    assert cached(run(db, sources))["Inbox.mbox"] is True


def test_appended_mail_is_parsed_from_the_old_end_and_equals_a_full_run(tmp_path, sources, fetch):
    db = tmp_path / "kith.duckdb"
    run(db, sources)
    with open(sources[1], "a", newline="") as fh:
        fh.write(NEW_MESSAGE)
    result = run(db, sources)
    mbox_stats = [f for f in result["files"] if f["source_file"].endswith("Inbox.mbox")][0]
    assert mbox_stats["is_cached"] is False
    assert (mbox_stats["rows_in"], mbox_stats["rows_loaded"], mbox_stats["rows_rejected"]) == (
        7,
        7,
        0,
    )
    full_db = tmp_path / "full.duckdb"
    run(full_db, sources, full=True)
    assert digests(db) == digests(full_db)
    eve = fetch(
        db,
        "select received_count from reciprocity join person_identities using (person_id) "
        "where value = 'eve@example.net' and time_window = 'all'",
    )
    assert eve == [(1,)]


def test_changed_and_removed_files_match_a_full_run(tmp_path, sources, fetch):
    db = tmp_path / "kith.duckdb"
    run(db, sources)
    data = sources[1].read_bytes()
    sources[1].write_bytes(data.replace(b"Subject: Plans", b"Subject: Plans!"))
    run(db, sources)
    full_db = tmp_path / "full.duckdb"
    run(full_db, sources, full=True)
    assert digests(db) == digests(full_db)
    # The mbox is gone: its people's email rows go with it.
    run(db, sources[:1])
    channels = fetch(db, "select distinct channel from interactions order by 1")
    assert channels and not [c for (c,) in channels if c.startswith("email")]


def test_same_inputs_reuse_the_core_tables_and_recompute_the_marts(
    tmp_path, sources, monkeypatch, fetch
):
    db = tmp_path / "kith.duckdb"
    run(db, sources)

    def must_not_resolve(*args, **kwargs):
        raise AssertionError("resolution ran although no input changed")

    monkeypatch.setattr(people, "resolve", must_not_resolve)  # imported when it runs
    spec = new_run(sources, db, [], date(2026, 11, 2))  # one day later
    run_in_process(spec)
    monkeypatch.undo()
    full_db = tmp_path / "full.duckdb"
    spec = new_run(sources, full_db, [], date(2026, 11, 2), full=True)
    run_in_process(spec)
    assert digests(db) == digests(full_db)
    ben = fetch(
        db, "select days_since_last_contact from contact_recency where display_name = 'Ben Tran'"
    )
    n_runs = fetch(db, "select count(*) from pipeline_runs")
    assert ben == [(1964,)]  # 1963 days on 2026-11-01, one more a day later
    assert n_runs == [(2,)]


def test_progress_is_read_from_the_run_folder(tmp_path, sources):
    spec = new_run(sources, tmp_path / "kith.duckdb", [], date(2026, 11, 1))
    spec.save()
    assert progress(spec) == ("starting Prefect", 0, 0)
    found = steps.discover(spec)
    first, second = steps.plan_parse(spec, found)  # two inputs, one unit each
    assert progress(spec) == ("parsing sources", 0, 2)
    steps.parse(first)
    assert progress(spec) == ("parsing sources", 1, 2)
    steps.parse(second)
    assert progress(spec) == ("resolving people", 2, 2)
    spec.build_path.write_bytes(b"")
    assert progress(spec) == ("building the warehouse", 2, 2)
    clean_up(spec)


def mail(
    n: int,
    sender: str,
    to: str,
    subject: str = "Hello",
    msgid: str | None = None,
    cc: str | None = None,
    reply_to: str | None = None,
) -> str:
    """One Takeout-style message of 2026-10-24: in a Gmail thread of its own, or, answering
    `reply_to` (a Message-ID), with In-Reply-To and no Gmail thread id."""
    return (
        f"From {3000 + n}@xxx Sat Oct 24 10:00:00 +0000 2026\r\n"
        + (f"In-Reply-To: <{reply_to}>\r\n" if reply_to else f"X-GM-THRID: {7000 + n}\r\n")
        + "X-Gmail-Labels: Inbox\r\n"
        f"From: {sender}\r\n"
        f"To: {to}\r\n"
        + (f"Cc: {cc}\r\n" if cc else "")
        + f"Date: Sat, 24 Oct 2026 1{n % 10}:00:00 +0000\r\n"
        f"Subject: {subject}\r\n"
        f"Message-ID: <{msgid or f'new-{n}@example.net'}>\r\n"
        "\r\n"
        "Body.\r\n"
    )


MAYA = "Maya Quill <maya.quill@example.com>"
# name -> (mail appended, whether only the new identities may be resolved)
APPENDS = {
    "a stranger": (mail(1, "Eve Stone <eve@example.net>", MAYA), True),
    "two new namesakes": (
        mail(2, "Sam Rivers <sam@one.example.net>", MAYA)
        + mail(3, "Sam Rivers <sam.rivers@two.example.net>", MAYA),
        True,
    ),
    "a known person again": (mail(4, "Ada Okafor <ada@acme.example.com>", MAYA), True),
    "a new address with a known name": (mail(5, "Ada Okafor <ada.o@gmail.com>", MAYA), False),
    "a known address with a new name": (mail(6, "A. Okafor <ada@acme.example.com>", MAYA), False),
    "a known Message-ID": (
        mail(7, "Eve Stone <eve@example.net>", MAYA, msgid="ada-1@acme.example.com"),
        False,
    ),
    # Jo March is a connection (with this address) who never wrote before: one more
    # sighting of a known name changes her name counts, not any decision.
    "a connection writes for the first time": (
        mail(10, "Jo March <jo@march.example.com>", MAYA),
        True,
    ),
    "a connection writes under another name": (
        mail(13, "Josephine March <jo@march.example.com>", MAYA),
        False,
    ),
    "a known Gmail dot spelling": (
        mail(8, "Zoe Park <zoe.park@gmail.com>", MAYA) + mail(9, "Zoe <zoepark@gmail.com>", MAYA),
        True,
    ),
}


@pytest.mark.parametrize("case", sorted(APPENDS))
def test_an_appended_day_resolves_only_what_it_must_and_equals_a_full_run(
    tmp_path, sources, caplog, case
):
    """A delta resolution is used only where the new mail cannot touch an old decision,
    and the warehouse equals a full run's either way."""
    text, delta_expected = APPENDS[case]
    with open(sources[0] / "Connections.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(
            "\nJo,March,https://www.linkedin.com/in/jo-march,jo@march.example.com,,,01 Jan 2024\n"
        )
    log = two_nights(tmp_path, sources, caplog, "", text)
    assert ("resolving only the new mail's identities" in log) is delta_expected, log


def test_a_second_appended_day_builds_on_the_first_delta(tmp_path, sources, caplog):
    """The state a delta run leaves is the one a full run would: a second delta works and
    still equals a full run."""
    db, full_db = tmp_path / "kith.duckdb", tmp_path / "full.duckdb"
    run(db, sources)
    shutil.copyfile(db, full_db)
    caplog.set_level(logging.INFO, logger="transforms.run.resolution")
    for n, sender in ((11, "Eve Stone <eve@example.net>"), (12, "Eve Stone <eve@example.net>")):
        with open(sources[1], "a", newline="") as fh:
            fh.write(mail(n, sender, MAYA))
        caplog.clear()
        run(db, sources)
        assert "resolving only the new mail's identities" in caplog.text
    run(full_db, sources, full=True)
    assert digests(db) == digests(full_db)


def two_nights(tmp_path: Path, sources: list[Path], caplog, before: str, after: str) -> str:
    """Night 1 on the fixture network plus `before`; night 2 after `after` is appended.
    A `--full` run from the same night 1 must give the same tables. Night 2's log."""
    if before:
        with open(sources[1], "a", newline="") as fh:
            fh.write(before)
    db, full_db = tmp_path / "kith.duckdb", tmp_path / "full.duckdb"
    run(db, sources)
    shutil.copyfile(db, full_db)  # the full run starts from the same last night (same ids)
    with open(sources[1], "a", newline="") as fh:
        fh.write(after)
    caplog.set_level(logging.INFO, logger="transforms")
    caplog.clear()
    run(db, sources)
    log = caplog.text
    run(full_db, sources, full=True)
    assert digests(db) == digests(full_db)
    return log


CHEN, CLI = "Chen Li <chen.li@example.org>", "C. Li <cli@other.example.net>"


@pytest.mark.parametrize(
    ("before", "after", "delta_expected"),
    [
        # Chen Li and "C. Li" already share a thread: one more changes a count, not a decision.
        (mail(20, CLI, MAYA, cc=CHEN), mail(21, CHEN, MAYA, cc=CLI), True),
        # Their first shared thread is support for an initial match: decided again in full.
        (mail(22, CLI, MAYA), mail(23, CHEN, MAYA, cc=CLI), False),
    ],
    ids=["a shared thread more", "a first shared thread"],
)
def test_new_threads_between_compared_people(
    tmp_path, sources, caplog, before, after, delta_expected
):
    log = two_nights(tmp_path, sources, caplog, before, after)
    assert ("resolving only the new mail's identities" in log) is delta_expected


def header_less(n: int, day: int) -> str:
    """Ada writes "Lunch" on 2026-10-<day>, with no thread header at all."""
    return (
        f"From {3100 + n}@xxx Sat Oct 24 10:00:00 +0000 2026\r\n"
        "From: Ada Okafor <ada@acme.example.com>\r\n"
        f"To: {MAYA}\r\n"
        f"Date: Tue, {day} Oct 2026 19:00:00 +0000\r\n"
        "Subject: Lunch\r\n"
        f"Message-ID: <no-thread-{n}@acme.example.com>\r\n"
        "\r\n"
        "Body.\r\n"
    )


@pytest.mark.parametrize(
    ("before", "after", "added"),
    [
        # Maya answers Ada's old message: its interaction is added, is_reply from the old one.
        (
            "",
            mail(30, MAYA, "Ada Okafor <ada@acme.example.com>", reply_to="ada-1@acme.example.com"),
            True,
        ),
        # Maya's old message answered one of her own that only now arrives: the old row
        # stops being a reply to the other side.
        (
            mail(31, MAYA, "Chen Li <chen.li@example.org>", reply_to="late@example.net"),
            mail(32, MAYA, "Chen Li <chen.li@example.org>", msgid="late@example.net"),
            False,
        ),
        # No thread headers, and dated before an old message of the same subject and people:
        # the old one's subject thread now starts with the new one.
        (header_less(1, 24), header_less(2, 20), False),
    ],
    ids=["a reply to an old message", "the message an old one answered", "no thread headers"],
)
def test_interactions_of_new_mail_are_added_only_when_old_ones_cannot_change(
    tmp_path, sources, caplog, before, after, added
):
    log = two_nights(tmp_path, sources, caplog, before, after)
    assert "resolving only the new mail's identities" in log
    assert ("adding the new messages' interactions" in log) is added
    assert ("rebuilding interactions" in log) is not added
