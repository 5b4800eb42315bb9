"""The staged rows' fields are their tables' columns: the frames are built from `_fields`."""

from __future__ import annotations

from transforms import schemas
from transforms.sources.mail.rows import MessageRow, ParticipantRow


def test_message_row_fields_are_the_message_columns_in_order():
    columns = [c for c in schemas.STG_EMAIL_MESSAGES.names() if c != "source_file"]
    assert list(MessageRow._fields) == columns


def test_participant_row_fields_are_the_participant_columns_in_order():
    columns = [c for c in schemas.STG_EMAIL_PARTICIPANTS.names() if c != "source_file"]
    assert list(ParticipantRow._fields) == columns
