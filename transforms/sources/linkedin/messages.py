"""messages.csv / Messages.csv → stg_linkedin_messages: LinkedIn messages, both directions.

Every header generation is read by name (upper or title case alike):

* 2018 ``From,To,Date,Subject,Content,Direction,Folder`` and its upper-case Feb 2020 twin
  (ISO dates without a zone, ``2019-11-06T02:08:20``);
* 9 columns ``CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,
  CONTENT,FOLDER`` (2021: the owner is an ordinary sender, URLs hold raw UTF-8 slugs);
* 10 columns (+ ``RECIPIENT PROFILE URLS``, comma-joined for group conversations);
* + ``ATTACHMENTS`` / ``IS MESSAGE DRAFT`` / ``IS CONVERSATION DRAFT``;
* the fully quoted 2026 form, with LF and CRLF line breaks inside quoted content.

``CONTENT`` is read only to spot ``%FIRSTNAME%`` marketing mail and is never stored.
Messages with no sender and no recipient at all are LinkedIn's own (``is_system``).
"""

from __future__ import annotations

import hashlib
import re

from transforms.rejects import Parsed
from transforms.sources.linkedin import table

LAYOUT = table.Layout(
    "messages.csv",
    "stg_linkedin_messages",
    required=("FROM", "TO", "DATE"),
    trimmed={"folder": "FOLDER"},  # the rest is computed: most fields feed the key or a flag
)

# a sender with no profile URL whose name says LinkedIn ("Jill @ LinkedIn Learning")
_SYSTEM_SENDER = re.compile(
    r"(@\s*linkedin\b|\bfrom\s+linkedin\b|\bat\s+linkedin\b|^\s*linkedin\s*$)", re.IGNORECASE
)
_YES = {"yes", "true", "y", "1"}


def _yes(raw: str) -> bool:
    """IS MESSAGE DRAFT / IS CONVERSATION DRAFT: Yes / No (any case, padded)."""
    return raw.strip().casefold() in _YES


def _urls(raw: str) -> list[str]:
    """RECIPIENT PROFILE URLS: comma-joined in group conversations."""
    return [u for u in map(table.canonical_url, raw.split(",")) if u]


def _hint(raw: str) -> str | None:
    """DIRECTION (2018, Feb 2020 only): INCOMING / OUTGOING."""
    return raw.strip().upper() or None


def _message_key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:16]


def _rows(cols: table.Columns) -> table.RowFn:
    conversation, title, date, content = cols.getters(
        "CONVERSATION ID", "CONVERSATION TITLE", "DATE", "CONTENT"
    )
    sender, sender_url, to, to_urls = cols.getters(
        "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS"
    )
    hint, draft, conversation_draft = cols.getters(
        "DIRECTION", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"
    )
    parse_date = cols.date("DATE")

    def row(fields: list[str], line: int) -> table.Values:
        date_raw = date(fields)
        when = parse_date(date_raw)
        conv, title_raw = conversation(fields).strip(), title(fields).strip()
        from_raw, url_raw = sender(fields), sender_url(fields)
        to_raw, urls_raw = to(fields), to_urls(fields)
        from_url = table.canonical_url(url_raw)
        sponsored = (
            title_raw.casefold() == "sponsored conversation"
            or (not url_raw.strip() and bool(_SYSTEM_SENDER.search(from_raw)))
            or "%FIRSTNAME%" in content(fields).upper()  # marketing mail, never stored
        )
        # no sender and no recipient at all: LinkedIn's own notices
        system = not (from_raw.strip() or url_raw.strip() or to_raw.strip() or urls_raw.strip())
        # the line keeps two identical records of one file apart
        key_parts = (conv, from_url or from_raw.strip(), date_raw.strip(), to_raw, str(line))
        return {
            "message_key": _message_key(*key_parts),
            "conversation_id": conv or None,
            "conversation_title": title_raw or None,
            "from_name": table.as_written(from_raw),
            "from_url": from_url,
            "to_names": table.as_written(to_raw),
            "to_urls": _urls(urls_raw),
            "sent_at": when,
            "direction_hint": _hint(hint(fields)),
            "is_draft": _yes(draft(fields)) or _yes(conversation_draft(fields)),
            "is_sponsored": sponsored,
            "is_system": system,
        }

    return row


def read_messages(text: str, source_file: str) -> Parsed:
    """messages.csv in any header generation (2018 → 2026)."""
    return table.read(text, source_file, LAYOUT, _rows)
