"""LinkedIn's AI-assistant conversations → stg_linkedin_assistant_messages, apart from people.

``coach_messages.csv``, ``learning_coach_messages.csv``, ``learning_role_play_messages.csv``
and ``guide_messages.csv`` (late 2024+) share the 10-column messages.csv header (often the
header alone). Rows come in pairs with one DATE: the assistant's turn (FROM and SENDER
PROFILE URL empty, TO the owner) and the owner's (FROM the owner, TO empty). The assistant
has no name and no URL: the only identity in these files is the owner's. So they are read
(counted, dated) into a table of their own that resolution and the interaction models never
read: no person, no interaction, no "owner talks to owner" thread. A file holding only
``No conversations found`` (``LearningCoachMessages.csv``, 2025) is read as empty.
"""

from __future__ import annotations

from transforms.rejects import Parsed
from transforms.sources.linkedin import table

NOTE = "AI assistant conversations: no person, not counted"
_NONE = "no conversations found"


def _layout(name: str, assistant: str) -> table.Layout:
    return table.Layout(
        name,
        "stg_linkedin_assistant_messages",
        required=("CONVERSATION ID", "DATE"),
        dated=("sent_at", "DATE"),
        trimmed={"conversation_id": "CONVERSATION ID"},
        fixed={"assistant": assistant},
        read_too=("FROM", "SENDER PROFILE URL", "TO"),
    )


LAYOUTS = {
    layout.name: layout
    for layout in (
        _layout("coach_messages.csv", "coach"),
        _layout("learning_coach_messages.csv", "learning_coach"),
        _layout("learning_role_play_messages.csv", "learning_role_play"),
        _layout("guide_messages.csv", "guide"),
    )
}


def _rows(cols: table.Columns) -> table.RowFn:
    sender, sender_url = cols.getters("FROM", "SENDER PROFILE URL")
    return lambda fields, line: {
        "is_from_owner": bool(sender(fields).strip() or sender_url(fields).strip())
    }


def reader(name: str):
    """The reader of one assistant file (`name` as in LAYOUTS)."""
    layout = LAYOUTS[name]

    def read(text: str, source_file: str) -> Parsed:
        if text.strip().casefold() == _NONE:
            parsed = Parsed(source_file=str(source_file), kind=layout.kind)
        else:
            parsed = table.read(text, source_file, layout, _rows)
        if parsed.skipped_reason is None:
            parsed.note = NOTE
        return parsed

    return read
