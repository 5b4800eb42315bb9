"""Staging shared by every mail reader: one header block staged or rejected, rows to frames.

Every reader (mbox and its byte ranges, Takeout archives, .eml, Maildir) hands
each message's header block to `stage_block`, which makes the one decision all of them
share, and collects rows in a `StagingBuffer` that turns them into the stg_email_messages
and stg_email_participants frames in batches. Every message found is either staged or
rejected (`rows_in == rows_loaded + rows_rejected`).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from transforms import schemas
from transforms.rejects import Parsed, reject_rows
from transforms.sources.mail.addresses import Participant
from transforms.sources.mail.headers import header_problem, message_row
from transforms.sources.mail.rows import MessageRow, ParticipantRow

_BATCH = 20_000  # rows held as Python lists before they become a polars frame

DELETED_REASON = "deleted (X-Mozilla-Status expunged)"
TRUNCATED_REASON = "truncated message"
PARTIAL_NOTE = "partial header loaded (file ends inside the header block)"

# Columns built straight from the rows' values (sent_at and gmail_labels need converting);
# source_file is one per buffer, added as a constant.
_M_PLAIN = pl.Schema(
    {
        name: dtype
        for name, dtype in schemas.STG_EMAIL_MESSAGES.items()
        if name in MessageRow._fields and name not in ("sent_at", "gmail_labels")
    }
)
_P_PLAIN = pl.Schema(
    {
        name: dtype
        for name, dtype in schemas.STG_EMAIL_PARTICIPANTS.items()
        if name in ParticipantRow._fields
    }
)
_LABELS = schemas.STG_EMAIL_MESSAGES["gmail_labels"]


class StagingBuffer:
    """Collects message and participant rows as tuples, flushing to frames in batches.

    Why tuples: one tuple per row costs far less Python than one append per column, and
    `zip(*rows, strict=True)` turns a batch into columns in C. Participant rows are plain
    tuples in `ParticipantRow`'s field order (a NamedTuple per address costs more than the
    tuple; the columns are named from `ParticipantRow._fields` all the same).
    """

    def __init__(self, source_file: str):
        self.source_file = source_file
        self.frames: list[pl.DataFrame] = []
        self.pframes: list[pl.DataFrame] = []
        self.rejects: list[tuple[str, str]] = []
        self.loaded = 0
        self.rejected = 0
        self.rows: list[MessageRow] = []
        self.prows: list[tuple] = []

    def reject(self, location: str, reason: str) -> None:
        self.rejected += 1
        self.rejects.append((location, reason))

    def add_row(
        self, row: MessageRow, participants: list[Participant], problems: list[str]
    ) -> None:
        """Stage a row made by `headers.message_row` (caller has checked `header_problem`)."""
        self.loaded += 1
        self.rows.append(row)
        if participants:
            location, key = row.location, row.message_key
            self.prows += [(location, key, role, addr, name) for role, addr, name in participants]
        if problems:
            location = row.location
            self.rejects += [(location, reason) for reason in problems]
        if len(self.rows) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        """Turn the rows held so far into frames."""
        if self.rows:
            self.add_rows(self.rows, self.prows)
        self.rows, self.prows = [], []

    def add_rows(self, rows: list[MessageRow], prows: list[tuple]) -> None:
        """Turn one batch of row tuples into frames (in arrival order)."""
        if not rows:
            return
        cols = dict(zip(MessageRow._fields, zip(*rows, strict=True), strict=True))
        frame = pl.DataFrame({k: list(cols[k]) for k in _M_PLAIN}, schema=_M_PLAIN).with_columns(
            pl.lit(self.source_file, pl.String).alias("source_file"),
            pl.Series("sent_at", cols["sent_at"], dtype=pl.Int64)
            .cast(pl.Datetime("us"))
            .dt.replace_time_zone("UTC"),
            _label_series(cols["gmail_labels"]),
        )
        self.frames.append(schemas.conform(frame, schemas.STG_EMAIL_MESSAGES))
        pcols = (
            dict(zip(ParticipantRow._fields, zip(*prows, strict=True), strict=True))
            if prows
            else {}
        )
        pframe = pl.DataFrame(
            {k: list(pcols.get(k, ())) for k in _P_PLAIN}, schema=_P_PLAIN
        ).with_columns(pl.lit(self.source_file, pl.String).alias("source_file"))
        self.pframes.append(schemas.conform(pframe, schemas.STG_EMAIL_PARTICIPANTS))

    def result(self, kind: str, rows_in: int) -> Parsed:
        self.flush()
        messages = (
            pl.concat(self.frames) if self.frames else schemas.empty(schemas.STG_EMAIL_MESSAGES)
        )
        participants = (
            pl.concat(self.pframes)
            if self.pframes
            else schemas.empty(schemas.STG_EMAIL_PARTICIPANTS)
        )
        return Parsed(
            source_file=self.source_file,
            kind=kind,
            rows_in=rows_in,
            rows_loaded=self.loaded,
            rows_rejected=self.rejected,
            tables={"stg_email_messages": messages, "stg_email_participants": participants},
            rejects=reject_rows(self.source_file, self.rejects),
        )


def _label_series(labels: tuple[tuple[str, ...], ...]) -> pl.Series:
    """The gmail_labels column. Built from the distinct label lists (a mailbox has few)
    and gathered: polars converts a list of lists element by element in Python."""
    index: dict[tuple[str, ...], int] = {}
    codes = [index.setdefault(tuple(row), len(index)) for row in labels]
    distinct = pl.Series("gmail_labels", [list(k) for k in index], dtype=_LABELS)
    return distinct.gather(pl.Series(codes, dtype=pl.UInt32))


def stage_block(
    staging: StagingBuffer,
    location: str,
    header: bytes,
    from_line: bytes | None,
    folder: str | None,
    latest: datetime,
    truncated: bool = False,
    fallback_time: datetime | None = None,
    draft: bool = False,
    fallback_source: str = "mtime",
) -> None:
    """Parse one header block and stage or reject it: the one decision every reader makes.

    Expunged or unusable messages are rejects (a truncated one says so); the rest are
    staged, a truncated one with a note. `latest` is `latest_plausible()`, taken once per
    file; `fallback_time` is the last date fallback, `fallback_source` its `date_source`
    (.eml: the file's mtime; Maildir: the delivery time in the file name, `delivery`);
    `draft` marks a draft the folder or labels do not (Maildir's `D` flag). Rows go
    straight from `message_row` into the buffer, with no `MessageHeaders` record in
    between: mbox stages ~10k messages per 300 MB.
    """
    try:
        parsed = message_row(
            header, from_line, folder, location, latest, fallback_time, fallback_source
        )
    except Exception as err:  # never let one message stop the file
        staging.reject(location, f"unparseable header block ({type(err).__name__})")
        return
    if parsed.deleted:
        staging.reject(location, DELETED_REASON)
        return
    row = parsed.row
    if row.from_addr is None or row.sent_at is None:  # a reject: header_problem says why
        problem = header_problem(row.from_addr, row.sent_at is not None, parsed.date_raw)
        staging.reject(location, TRUNCATED_REASON if truncated else problem)
        return
    if draft:
        row = row._replace(is_draft=True)
    staging.add_row(row, parsed.participants, parsed.problems)
    if truncated:
        staging.rejects.append((location, PARTIAL_NOTE))
