"""One message's header block -> its staging row: the parse every mail reader shares.

Input: the raw bytes of one message's header block (no From_ line, no body), plus the
envelope From_ line when the message came from an mbox. Output: the staging row every
reader stages (`message_row`), or the same as a `MessageHeaders` record
(`parse_header_block`, which the tests read by field name), holding only what kith keeps
(who, when, which thread, which folder/labels, bulk or not).

Choices (see ../shared/formats/email.md, sections 2 and 4):
- The block is split as `BytesHeaderParser(policy=compat32)` splits it (4.8x faster than
  policy=default): by the fast path in `fastheaders.py` when the block is plain, else by
  the parser itself; values are read raw and decoded later, never through Header objects.
- Each part of the row has its own module: `text` (8-bit bytes, encoded words),
  `addresses` (participants, the sender), `dates` (sent_at and its fallbacks), `ids`
  (message key, threading), `labels` (labels, folders, flags, bulk).
- Nothing here logs; names, addresses and subjects only travel in the returned record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import NamedTuple

from transforms.sources.mail.addresses import Participant, message_addresses
from transforms.sources.mail.dates import from_micros, latest_plausible, message_time
from transforms.sources.mail.fastheaders import compile_wanted, split_plain
from transforms.sources.mail.ids import (
    first_reference,
    gmail_id,
    last_reference,
    normalize_message_id,
    synthetic_key,
)
from transforms.sources.mail.labels import bulk_reason, is_expunged, label_facts
from transforms.sources.mail.rows import MessageRow
from transforms.sources.mail.text import clean_text, unfold

_PARSER = BytesHeaderParser(policy=compat32)
_new = tuple.__new__

# Headers kept (lower-case). Everything else is skipped without decoding.
_WANTED = frozenset(
    {
        "from",
        "sender",
        "to",
        "cc",
        "bcc",
        "reply-to",
        "delivered-to",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "subject",
        "x-gm-thrid",
        "x-gmail-labels",
        "x-mozilla-status",
        "list-id",
        "list-unsubscribe",
        "list-post",
        "mailing-list",
        "precedence",
        "auto-submitted",
        "x-autoreply",
        "x-autorespond",
        "return-path",
        "content-type",
    }
)

_WANTED_RE = compile_wanted(_WANTED)
# Received is only read when the Date is unusable: fetched on demand, not on every message.
_RECEIVED = frozenset({"received"})
_RECEIVED_RE = compile_wanted(_RECEIVED)


@dataclass(slots=True)
class MessageHeaders:
    """What kith keeps from one message's header block, as one record: the staging row,
    read by field name (`h.from_addr`, `h.thread_key`: every `MessageRow` field; `h.gmail_id`
    is its `gmail_msgid`), and what the row does not hold."""

    row: MessageRow
    sent_at: datetime | None  # aware, UTC (the row holds microseconds)
    date_raw: str | None  # the raw Date value (for a reject reason only)
    references_root: str | None
    gmail_thread_id: str | None
    is_deleted: bool  # Thunderbird X-Mozilla-Status expunged bit (0x0008)
    participants: list[Participant] = field(default_factory=list)
    address_problems: list[str] = field(default_factory=list)  # reasons, no addresses

    def __getattr__(self, name: str) -> object:
        """The row's field `name` (called only for names the record does not hold)."""
        if name == "row":  # not set yet (copy, pickle): no row to read from
            raise AttributeError(name)
        return getattr(self.row, "gmail_msgid" if name == "gmail_id" else name)

    @property
    def problem(self) -> str | None:
        """Why the message cannot be staged, or None when it can."""
        return header_problem(self.row.from_addr, self.sent_at is not None, self.date_raw)


class ParsedRow(NamedTuple):
    """What `message_row` gives: the row, and what a reader decides with before staging it."""

    row: MessageRow
    participants: list[Participant]
    problems: list[str]  # invalid-address reasons (rejects rows), never the addresses
    deleted: bool  # Thunderbird expunged: a reject, not mail
    sent_at: datetime | None  # None when the row's microseconds came from the date fast path
    date_raw: str | None  # the raw Date value, for a reject reason
    references_root: str | None
    gmail_thread_id: str | None


def header_problem(from_addr: str | None, has_date: bool, date_raw: str | None) -> str | None:
    """Why a message cannot be staged (no sender, no date), or None when it can."""
    if from_addr is None:
        return "no usable sender address"
    if not has_date:
        raw = (date_raw or "")[:80]
        return f"no usable date (raw Date: {raw!r})"
    return None


def _raw_headers(raw: bytes, wanted: frozenset[str] = _WANTED) -> dict[str, list[str]]:
    """The wanted headers' raw values: the fast path, else the email package."""
    fast = split_plain(raw, _RECEIVED_RE if wanted is _RECEIVED else _WANTED_RE)
    if fast is not None:
        return fast
    return _raw_headers_email(raw, wanted)


def _raw_headers_email(raw: bytes, wanted: frozenset[str] = _WANTED) -> dict[str, list[str]]:
    """The reference path: compat32 `BytesHeaderParser`, raw values of wanted headers."""
    msg = _PARSER.parsebytes(raw)
    out: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        key = name.strip().lower()
        if key in wanted:
            if not isinstance(value, str):  # defensive: compat32 keeps str values
                value = str(value)
            out.setdefault(key, []).append(value)
    return out


def _first_received(raw: bytes) -> str | None:
    """The first Received value, unfolded (read only when the Date is unusable)."""
    values = _raw_headers(raw, _RECEIVED).get("received")
    return unfold(values[0]) if values else None


def parse_header_block(
    raw: bytes,
    from_line: bytes | str | None = None,
    folder: str | None = None,
    fallback_time: datetime | None = None,
    fallback_source: str = "mtime",
) -> MessageHeaders:
    """Parse one message's header block into a `MessageHeaders` record. Never raises on data.

    `from_line` is the mbox envelope line (Gmail id, internal date); `folder` sets the
    Sent/Draft/Spam flags together with Gmail labels; `fallback_time` (e.g. file mtime) is
    the last date fallback. The work is `message_row`'s (every reader stages its row
    directly, through `staging.stage_block`); this is the same parse as a named record,
    which the tests read field by field.
    """
    parsed = message_row(
        raw, from_line, folder, "", latest_plausible(), fallback_time, fallback_source
    )
    row = parsed.row
    sent_at = parsed.sent_at
    if sent_at is None and row.sent_at is not None:  # the date fast path gave microseconds
        sent_at = from_micros(row.sent_at)
    return MessageHeaders(
        row=row,
        sent_at=sent_at,
        date_raw=parsed.date_raw,
        references_root=parsed.references_root,
        gmail_thread_id=parsed.gmail_thread_id,
        is_deleted=parsed.deleted,
        participants=parsed.participants,
        address_problems=parsed.problems,
    )


def message_row(
    raw: bytes,
    from_line: bytes | str | None,
    folder: str | None,
    location: str,
    latest: datetime,
    fallback_time: datetime | None = None,
    fallback_source: str = "mtime",
) -> ParsedRow:
    """Parse one header block straight into its staging row. Never raises on data.

    Why not `MessageHeaders`: the mbox hot path stages ~10k messages per 300 MB and a
    25-field record copied field by field into a row costs more than the row itself.
    `latest` is `latest_plausible()`, taken once per file.
    """
    h = split_plain(raw, _WANTED_RE)
    if h is None:  # not a plain block: the email package splits it
        h = _raw_headers_email(raw)
    get = h.get
    participants, problems, from_addrs, from_addr = message_addresses(h)

    # -- envelope, labels
    gmail = gmail_id(from_line)
    values = get("x-gmail-labels")
    facts = label_facts(values[0] if values else None, folder)

    # -- date (sent_at stays None when the fast path gives `micros` directly)
    values = get("date")
    date_raw = unfold(values[0]) if values else None
    micros, sent_at, tz_unknown, date_source = message_time(
        date_raw, from_line, lambda: _first_received(raw), fallback_time, fallback_source, latest
    )

    # -- identity and threading
    values = get("subject")
    subject_raw = unfold(values[0]) if values else None
    values = get("message-id")
    message_id = normalize_message_id(unfold(values[0])) if values else None
    if message_id:
        message_key = message_id
    elif gmail:
        message_key = f"gmail:{gmail}"
    else:
        date_text = date_raw or (sent_at.isoformat() if sent_at else "")
        message_key = synthetic_key(h, date_text, subject_raw)
    values = get("x-gm-thrid")
    thrid = unfold(values[0]).split() if values else None
    thrid = thrid[0] if thrid else None
    values = get("references")
    references = unfold(values[0]) if values else None
    references_root = first_reference(references)
    values = get("in-reply-to")
    in_reply_to = first_reference(unfold(values[0])) if values else None
    parent_message_id = in_reply_to or last_reference(references)

    # -- flags
    values = get("x-mozilla-status")
    deleted = is_expunged(values[0]) if values else False
    bulk = bulk_reason(h, from_addrs, facts.bulk)

    # Positional, in MessageRow's field order: a keyword NamedTuple call costs ~4% of the
    # mbox reader's time (tests/sources/mail/test_staging.py checks every field by name).
    row = _new(
        MessageRow,
        (
            location,
            message_key,
            message_id,
            micros,
            date_source,
            from_addr,
            clean_text(subject_raw),
            thrid or references_root or in_reply_to or message_key,
            in_reply_to,
            facts.labels,
            folder,
            facts.kind,
            bulk is not None,
            bulk,
            facts.is_sent,
            facts.is_draft,
            facts.is_spam,
            facts.is_trash,
            parent_message_id,
            tz_unknown,
            gmail,
        ),
    )
    return _new(
        ParsedRow,
        (row, participants, problems, deleted, sent_at, date_raw, references_root, thrid),
    )
