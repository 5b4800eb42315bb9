"""Which message this is and which thread it belongs to.

`message_key` is the normalised Message-ID, else `gmail:<id>` (the Takeout From_ line's
decimal X-GM-MSGID), else `sha1:` of From, Date, Subject and To, so a copy of the same
message in two files gets the same key and SQL can deduplicate. The thread is Gmail's
X-GM-THRID, else the root of References, else In-Reply-To, else the message itself.
"""

from __future__ import annotations

import hashlib
import re

from transforms.sources.mail.text import unfold

_GMAIL_ID = re.compile(r"^(\d{6,25})@xxx$")
# `_GMAIL_ID` on the From_ line's token, read from the bytes (`$` allows a final newline).
_GMAIL_FROM = re.compile(rb"From (\d{6,25})@xxx\n?(?: |\Z)")
_MSG_ID = re.compile(r"<([^<>\s]+)>")


def normalize_message_id(value: str | None) -> str | None:
    """The first `<id>` in the value without brackets, else the stripped value; None if empty."""
    if not value:
        return None
    m = _MSG_ID.search(value)
    if m:
        return m.group(1)
    text = value.strip().strip("<>").strip()
    if not text:
        return None
    return text.split()[0]


def first_reference(value: str | None) -> str | None:
    """The first message id in an In-Reply-To / References value (a bare `x@y` word if
    no `<id>` is written), else None."""
    if not value:
        return None
    m = _MSG_ID.search(value)
    if m:
        return m.group(1)
    for word in value.split():
        word = word.strip("<>,")
        if "@" in word:
            return word
    return None


def last_reference(value: str | None) -> str | None:
    """The last message id in a References value (the parent of a reply), else None."""
    if not value:
        return None
    ids = _MSG_ID.findall(value)
    if ids:
        return ids[-1]
    for word in reversed(value.split()):
        word = word.strip("<>,")
        if "@" in word:
            return word
    return None


def gmail_id(from_line: bytes | str | None) -> str | None:
    """The Gmail message id of a Takeout From_ line (`From <digits>@xxx ...`), else None."""
    if not from_line or not from_line[5:6].isdigit():
        return None
    if isinstance(from_line, bytes):
        m = _GMAIL_FROM.match(from_line)
        return m.group(1).decode("ascii") if m else None
    m = _GMAIL_ID.match(from_line[5:].split(" ", 1)[0])
    return m.group(1) if m else None


def synthetic_key(h: dict[str, list[str]], date_text: str, subject_raw: str | None) -> str:
    """`sha1:` of From, Date, Subject and To, for a message with no Message-ID and no Gmail
    id. `date_text` is the raw Date value, else the time the message was given."""
    from_v, to_v = h.get("from"), h.get("to")
    basis = "\x1f".join(
        (
            unfold(from_v[0]) if from_v else "",
            date_text,
            subject_raw or "",
            unfold(to_v[0]) if to_v else "",
        )
    )
    return "sha1:" + hashlib.sha1(basis.encode("utf-8", "replace")).hexdigest()
