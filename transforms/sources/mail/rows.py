"""The rows every mail reader stages, by name: one per message copy, one per participant.

Their fields are the columns of `schemas.STG_EMAIL_MESSAGES` and
`schemas.STG_EMAIL_PARTICIPANTS` without `source_file` (one per file: added as a constant
when a batch becomes a frame), in the schema's order; `staging` builds the frames from
`_fields`, and `tests/sources/mail/test_rows.py` checks the fields against the schemas.
They are NamedTuples, not dataclasses: a batch of tuples turns into columns in C
(`zip(*rows)`), and mbox stages ~10k messages per 300 MB.
"""

from __future__ import annotations

from typing import NamedTuple


class MessageRow(NamedTuple):
    """One message copy, as staged in stg_email_messages (see schemas for each column)."""

    location: str  # "byte N" (mbox), a file path (.eml, Maildir)
    message_key: str  # Message-ID, else "gmail:<id>", else "sha1:<hex>"
    message_id: str | None
    sent_at: int | None  # microseconds since the epoch, UTC
    date_source: str | None  # header / from_line / received / delivery / mtime
    from_addr: str | None  # first valid From address, else first valid Sender address
    subject: str | None
    thread_key: str  # X-GM-THRID, else References root, else In-Reply-To, else the key
    in_reply_to: str | None
    gmail_labels: tuple[str, ...]
    folder: str | None
    kind: str  # email / chat
    is_bulk: bool
    bulk_reason: str | None
    is_sent_folder: bool
    is_draft: bool
    is_spam: bool
    is_trash: bool
    parent_message_id: str | None  # In-Reply-To, else the last References id
    date_tz_unknown: bool  # the date carried no usable offset; UTC assumed
    gmail_msgid: str | None  # the Takeout From_ line's id (decimal X-GM-MSGID)


class ParticipantRow(NamedTuple):
    """One address of one message copy, as staged in stg_email_participants."""

    location: str
    message_key: str
    role: str  # from / sender / to / cc / bcc / delivered_to / reply_to
    address: str
    display_name: str | None
