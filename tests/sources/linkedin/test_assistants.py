"""LinkedIn's AI-assistant files (assistants.py): read, counted, kept apart from people."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.linkedin.support import FIX, by_kind, rows_of
from transforms.sources.linkedin.assistants import NOTE
from transforms.sources.linkedin.registry import read_linkedin_export

EXPORT = FIX / "export_2024_12_assistants"


def test_assistant_files_are_read_with_a_note_into_their_own_table():
    results = read_linkedin_export(EXPORT)
    assert all(p.balanced for p in results)
    kinds = by_kind(results)
    coach = kinds["linkedin:coach_messages.csv"]
    assert (coach.rows_in, coach.rows_loaded, coach.note, coach.skipped_reason) == (
        4,
        4,
        NOTE,
        None,
    )
    assert set(coach.tables) == {"stg_linkedin_assistant_messages"}  # never messages
    rows = rows_of(coach, "stg_linkedin_assistant_messages")
    assert [(r["assistant"], r["conversation_id"], r["is_from_owner"]) for r in rows] == [
        ("coach", "2-Q09BQ0gx", False),  # the coach's turn: no FROM
        ("coach", "2-Q09BQ0gx", True),  # the owner's
        ("coach", "2-Q09BQ0gy", False),
        ("coach", "2-Q09BQ0gy", True),
    ]
    assert rows[0]["sent_at"] == datetime(2024, 12, 2, 8, tzinfo=UTC)
    # header-only files: read, nothing in them
    role_play = kinds["linkedin:learning_role_play_messages.csv"]
    assert (role_play.rows_in, role_play.note) == (0, NOTE)


def test_no_conversations_found_is_an_empty_file_and_a_second_copy():
    results = read_linkedin_export(EXPORT)
    by_name = {r.source_file.rsplit("/", 1)[-1]: r for r in results}
    # LearningCoachMessages.csv and learning_coach_messages.csv are one file: the canonical
    # spelling is read, the other is a second copy
    assert by_name["learning_coach_messages.csv"].skipped_reason is None
    assert by_name["LearningCoachMessages.csv"].skipped_reason.startswith("a second copy")
    assert by_name["LearningCoachMessages.csv"].rows_in == 0
