"""Events.csv (events.py): the event, its time range, its status; no person."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.linkedin.support import read_fixture, rows_of
from transforms.sources.linkedin.events import read_events


def test_events_with_a_quoted_range_and_a_comma_in_the_name():
    parsed = read_fixture(read_events, "export_2024_12_assistants/Events.csv")
    assert (parsed.rows_in, parsed.rows_loaded) == (2, 2)
    rows = rows_of(parsed, "stg_linkedin_events")
    assert [
        (r["event_name"], r["starts_at"], r["ends_at"], r["status"], r["external_url"])
        for r in rows
    ] == [
        (
            "Data Day, Berlin",
            datetime(2023, 3, 9, 9, 30, tzinfo=UTC),
            datetime(2023, 3, 9, 16, 0, tzinfo=UTC),
            "APPROVED",
            None,
        ),
        (
            "Local-first meetup",
            datetime(2024, 1, 15, 18, 0, tzinfo=UTC),
            datetime(2024, 1, 15, 20, 30, tzinfo=UTC),
            "RELINQUISHED",
            "https://example.com/meetup",
        ),
    ]


def test_an_unreadable_event_time_is_a_reject_a_blank_one_is_not():
    text = "Event Name,Event Time,Status,External Url\nA,soon,APPROVED,\nB,,APPROVED,\n"
    parsed = read_events(text, "/t/Events.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 1, 1)
    assert parsed.rejects["reason"].to_list() == ["unparseable Event Time 'soon'"]
