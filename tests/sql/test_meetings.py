"""Meetings in the marts, on hand-written interactions (the people of conftest.py, other
events), as of 2026-11-01; every expected value is worked out in the comments.

- ada: I met her 1:1 on 10-20 10:00 and in a five-person meeting on 10-27 10:00; she wrote
  to me on 10-01 (no message since the meetings).
- bea: she organised a meeting on 06-01 10:00, I wrote to her on 06-05 10:00.
- cal: a meeting on 11-05, after the as-of date.
- dev: a meeting on 2025-08-01 10:00 (before the 365-day window, which starts 2025-11-02).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest

from transforms.settings import MetricSettings

AS_OF = date(2026, 11, 1)
TIERS = {"tier_sizes": [1, 2, 3, 4]}


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def decay(y: int, m: int, d: int) -> float:
    return 0.5 ** ((AS_OF - date(y, m, d)).days / 90)


# (person, channel, direction, occurred_at, thread_id, role, n_participants, is_bulk)
ROWS = [
    ("p_ada", "meeting", "sent", utc(2026, 10, 20, 10), None, "to", 2, False),
    ("p_ada", "meeting", "sent", utc(2026, 10, 27, 10), None, "to", 5, False),
    ("p_ada", "email", "received", utc(2026, 10, 1, 9), "t1", "from", 2, False),
    ("p_bea", "meeting", "received", utc(2026, 6, 1, 10), None, "from", 2, False),
    ("p_bea", "email", "sent", utc(2026, 6, 5, 10), "t2", "to", 2, False),
    ("p_cal", "meeting", "mutual", utc(2026, 11, 5, 10), None, "to", 3, False),
    ("p_dev", "meeting", "sent", utc(2025, 8, 1, 10), None, "to", 2, False),
]


def marts(hand, settings: MetricSettings) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    hand.load_core(con, ROWS, settings)
    hand.build_marts(con)
    return con


@pytest.fixture(scope="module")
def con(hand):
    con = marts(hand, MetricSettings.from_dict(TIERS))
    yield con
    con.close()


def test_meeting_score_weights_group_meetings_like_group_messages(con, hand):
    got = {
        r["person_id"]: r
        for r in hand.fetch(
            con,
            "select person_id, strength, meeting_score, received_score, sent_score, "
            "n_meetings, n_messages, n_group_messages, n_events, tier from relationship_strength",
        )
    }
    ada_meetings = decay(2026, 10, 20) + 0.5 * decay(2026, 10, 27)  # the 5-person one: x 0.5
    assert got["p_ada"]["meeting_score"] == pytest.approx(ada_meetings)
    assert got["p_ada"]["strength"] == pytest.approx(ada_meetings + decay(2026, 10, 1))
    assert (got["p_ada"]["n_meetings"], got["p_ada"]["n_messages"]) == (2, 1)
    assert got["p_ada"]["n_group_messages"] == 0  # a group meeting is no message
    assert got["p_bea"]["meeting_score"] == pytest.approx(decay(2026, 6, 1))
    assert got["p_bea"]["sent_score"] == pytest.approx(decay(2026, 6, 5))
    assert got["p_cal"]["meeting_score"] == 0.0  # after the as-of date
    assert got["p_dev"]["meeting_score"] == pytest.approx(decay(2025, 8, 1))
    # ada 2.18 > bea 0.63 > dev 0.03 > the rest (0): tiers 1, 2, 3, then 5
    assert [got[p]["tier"] for p in ("p_ada", "p_bea", "p_dev", "p_cal")] == [1, 2, 3, 5]


def test_meeting_weight_setting(hand):
    heavy = marts(hand, MetricSettings.from_dict({**TIERS, "meeting_weight": 3.0}))
    (score,) = heavy.execute(
        "select meeting_score from relationship_strength where person_id = 'p_ada'"
    ).fetchone()
    assert score == pytest.approx(3.0 * (decay(2026, 10, 20) + 0.5 * decay(2026, 10, 27)))


def test_reciprocity_counts_meetings_per_window_and_leaves_messages_alone(con, hand):
    rows = hand.fetch(
        con,
        "select person_id, time_window, meetings_count, last_meeting_at, sent_count, "
        "received_count from reciprocity where person_id in ('p_ada', 'p_bea', 'p_cal', 'p_dev')",
    )
    got = {(r["person_id"], r["time_window"]): tuple(list(r.values())[2:]) for r in rows}
    assert got == {
        ("p_ada", "90d"): (2, utc(2026, 10, 27, 10), 0, 1),
        ("p_ada", "365d"): (2, utc(2026, 10, 27, 10), 0, 1),
        ("p_ada", "all"): (2, utc(2026, 10, 27, 10), 0, 1),
        # 90d starts 2026-08-04: bea's June meeting is older
        ("p_bea", "90d"): (0, None, 0, 0),
        ("p_bea", "365d"): (1, utc(2026, 6, 1, 10), 1, 0),
        ("p_bea", "all"): (1, utc(2026, 6, 1, 10), 1, 0),
        ("p_cal", "90d"): (0, None, 0, 0),
        ("p_cal", "365d"): (0, None, 0, 0),
        ("p_cal", "all"): (0, None, 0, 0),
        ("p_dev", "90d"): (0, None, 0, 0),
        ("p_dev", "365d"): (0, None, 0, 0),
        ("p_dev", "all"): (1, utc(2025, 8, 1, 10), 0, 0),
    }


def test_a_meeting_is_contact_and_resets_the_due_date(con, hand):
    (ada,) = hand.fetch(
        con,
        "select last_contact_at, last_sent_at, last_received_at, n_touches, due_on, cadence_d "
        "from contact_recency where person_id = 'p_ada'",
    )
    assert ada["last_contact_at"] == utc(2026, 10, 27, 10)
    assert (ada["last_sent_at"], ada["last_received_at"]) == (None, utc(2026, 10, 1, 9))
    assert ada["n_touches"] == 3
    assert ada["due_on"] == date(2026, 10, 27) + timedelta(days=ada["cadence_d"])


def test_met_on_date_no_message_since_for_strong_ties(con, hand):
    items = hand.fetch(
        con,
        "select person_id, since, age_d, tier, priority, reason from follow_up_queue "
        "where item_kind = 'met_no_message'",
    )
    # ada (tier 1): met 10-27 after her 10-01 message. bea wrote after the meeting; dev is
    # tier 3 (above meeting_follow_up_max_tier = 2); cal's meeting is after the as-of date.
    assert items == [
        {
            "person_id": "p_ada",
            "since": utc(2026, 10, 27, 10),
            "age_d": 5,
            "tier": 1,
            "priority": 1,
            "reason": "met on 2026-10-27, no message since",
        }
    ]
    wider = marts(hand, MetricSettings.from_dict({**TIERS, "meeting_follow_up_max_tier": 3}))
    kinds = wider.execute(
        "select person_id from follow_up_queue where item_kind = 'met_no_message'"
    ).fetchall()
    # dev (tier 3) now qualifies by tier but his meeting is 457 days old (horizon 90)
    assert kinds == [("p_ada",)]
