"""E-mail threads and replies in the core interactions table (sql/core/interactions.sql).

Header threads (X-GM-THRID, References, In-Reply-To) are decided by the reader; here the
SQL's part is checked on hand-made staged rows: the subject + participants fallback for
messages without thread headers, and whether a message replies to the other side.
Runs the real warehouse.build (no parsing, no Prefect).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from transforms import schemas
from transforms.warehouse import build as warehouse
from transforms.warehouse.core import Core

ME, A, B = "me@example.com", "a@example.com", "b@example.com"
# key, sent day (2026), from, to, subject, thread_key (reader's), parent_message_id
MESSAGES = [
    ("m1", (1, 1), A, ME, "Lunch plans", "m1", None),
    ("m2", (1, 2), ME, A, "RE:  lunch PLANS", "m2", None),  # answers A: a reply
    ("m3", (1, 3), ME, A, "Re: Lunch plans", "m3", None),  # after the owner's own: not one
    ("m4", (3, 1), A, ME, "Lunch plans", "m4", None),  # 57 days later: a new thread
    ("m5", (1, 2), B, ME, "Re: Lunch plans", "m5", None),  # other people: its own thread
    ("m6", (3, 2), ME, A, "Re: Lunch plans", "m4", "m4"),  # header reply to A's m4
    ("m7", (3, 3), A, ME, "Re: old news", "gone", "gone"),  # parent not in the archive
    ("m8", (3, 4), ME, A, "Re: Lunch plans", "m4", "m6"),  # answers the owner's own m6
    ("m9", (4, 1), A, ME, "", "m9", None),  # empty subjects are never grouped
    ("m10", (4, 2), A, ME, "", "m10", None),
]


def staged() -> dict[str, pl.DataFrame]:
    msgs = pl.DataFrame(
        [
            {
                "source_file": "inbox.mbox",
                "location": f"byte {i * 100}",
                "message_key": key,
                "message_id": key,
                "sent_at": datetime(2026, month, day, 12, tzinfo=UTC),
                "from_addr": sender,
                "subject": subject,
                "thread_key": thread,
                "in_reply_to": parent,
                "parent_message_id": parent,
                "kind": "email",
                "is_bulk": False,
            }
            for i, (key, (month, day), sender, _, subject, thread, parent) in enumerate(MESSAGES)
        ]
    )
    parts = pl.DataFrame(
        [
            {"source_file": "inbox.mbox", "message_key": key, "role": role, "address": addr}
            for key, _, sender, to, *_ in MESSAGES
            for role, addr in (("from", sender), ("to", to))
        ]
    )
    return {
        "stg_email_messages": schemas.conform(msgs, schemas.STG_EMAIL_MESSAGES),
        "stg_email_participants": schemas.conform(parts, schemas.STG_EMAIL_PARTICIPANTS),
    }


@pytest.fixture(scope="module")
def interactions(tmp_path_factory, three_people, fetch) -> dict[str, tuple]:
    target = tmp_path_factory.mktemp("threads") / "kith.duckdb"
    core = Core(staged(), schemas.empty(schemas.REJECTS), three_people.resolution)
    run = warehouse.RunInfo("r1", datetime(2026, 5, 1, tzinfo=UTC), date(2026, 5, 1))
    warehouse.build(target, core, run, three_people.no_stats)
    rows = fetch(
        target,
        "select i.location, i.thread_id, i.is_reply, i.direction, i.person_id "
        "from interactions as i where channel = 'email'",
    )
    by_key = {f"m{int(loc.split()[1]) // 100 + 1}": rest for loc, *rest in rows}
    return {k: tuple(v) for k, v in by_key.items()}


def test_every_message_is_one_interaction(interactions):
    assert sorted(interactions) == sorted(m[0] for m in MESSAGES)


def test_header_less_messages_thread_by_subject_and_people(interactions):
    threads = {k: v[0] for k, v in interactions.items()}
    assert threads["m1"] == threads["m2"] == threads["m3"] == "m1"
    assert threads["m4"] == "m4"  # 57 days after m3: a new thread
    assert threads["m5"] == "m5"  # same subject, other people
    assert threads["m9"] == "m9" and threads["m10"] == "m10"


def test_header_threads_are_kept(interactions):
    assert interactions["m6"][0] == "m4"
    assert interactions["m8"][0] == "m4"
    assert interactions["m7"][0] == "gone"


def test_a_reply_is_one_to_the_other_side(interactions):
    replies = {k for k, v in interactions.items() if v[1]}
    # m2 answers A's m1; m6 answers A's m4; m7 answers a message not in the archive.
    # m3 and m8 follow the owner's own messages; m5 starts its own thread.
    assert replies == {"m2", "m6", "m7"}


def test_direction_and_counterparty(interactions):
    assert interactions["m1"][2:] == ("received", "p_a")
    assert interactions["m2"][2:] == ("sent", "p_a")
    assert interactions["m5"][2:] == ("received", "p_b")
