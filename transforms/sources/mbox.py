"""mbox reader: a streaming From_-line scanner that parses header blocks only.

The file is read in 1 MiB binary chunks; only the unconsumed tail and the current header
block are held, so memory does not grow with the file (or with a message's body). A line
starting `From ` separates messages only when it looks like an envelope line
(`headers.FROM_LINE_RE`: a token, then HH:MM and a 4-digit year) AND either follows a blank
line or is followed by a header-looking line (`Name: value`). The second case is needed
for Gmail Takeout, which writes the next From_ line straight after a body line; together
they keep unquoted `From ` body lines (mboxo/mboxcl2) from splitting a message.
Content-Length is ignored. CRLF, LF and mixed files work. gzip files are read through
`gzip.open` (locations are then offsets in the decompressed stream).

Every message found is either staged or rejected (`rows_in == rows_loaded +
rows_rejected`). Bodies are never parsed or kept.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import polars as pl

from transforms import schemas
from transforms.rejects import Parsed, reject_rows, whole_file
from transforms.sources.headers import FROM_LINE_RE, MessageHeaders, parse_header_block

KIND = "mbox"
CHUNK = 1 << 20
MAX_FROM_LINE = 1024  # a longer line is never an envelope line
MAX_HEADER = 8 << 20  # a header block beyond this is refused (garbage, not mail)
_BATCH = 20_000  # rows held as Python lists before they become a polars frame

_HEADER_END = re.compile(rb"\n(?:\r?\n|From )")
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")
_BLANK = frozenset(b" \t\r\n")
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"

DELETED_REASON = "deleted (X-Mozilla-Status expunged)"
TRUNCATED_REASON = "truncated message"
PARTIAL_NOTE = "partial header loaded (file ends inside the header block)"


class NotMbox(Exception):
    """The first non-blank line is not a From_ line."""


@dataclass(slots=True)
class RawMessage:
    offset: int  # byte offset of the From_ line
    from_line: bytes
    header: bytes  # header block without the From_ line; b"" when oversized
    truncated: bool = False  # the file ended before the header block's blank line
    oversized: bool = False


class _Buffer:
    """A sliding window over a binary stream, addressed by absolute offsets."""

    __slots__ = ("fh", "buf", "base", "eof")

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.buf = b""
        self.base = 0  # absolute offset of buf[0]
        self.eof = False

    @property
    def end(self) -> int:
        return self.base + len(self.buf)

    def fill(self, keep: int) -> None:
        """Drop everything before absolute offset `keep`, then append the next chunk."""
        data = b"" if self.eof else self.fh.read(CHUNK)
        if not data:
            self.eof = True
        drop = max(0, min(keep - self.base, len(self.buf)))
        self.buf = self.buf[drop:] + data
        self.base += drop

    def line_end(self, start: int, keep: int, limit: int = MAX_FROM_LINE) -> int | None:
        """Absolute offset of the newline ending the line at `start` (or of EOF).

        None when the line is longer than `limit`.
        """
        while True:
            i = start - self.base
            j = self.buf.find(b"\n", i, i + limit)
            if j >= 0:
                return self.base + j
            if len(self.buf) - i >= limit:
                return None
            if self.eof:
                return self.end
            self.fill(keep)


def _is_separator(b: _Buffer, at: int, keep: int) -> bool:
    """Is the line starting at absolute offset `at` (which begins `From `) a message start?"""
    end = b.line_end(at, keep)
    if end is None:
        return False
    i = at - b.base
    line = b.buf[i : end - b.base]
    if not FROM_LINE_RE.match(line.rstrip(b"\r")):
        return False
    before = b.buf[max(0, i - 3) : i]
    if before.endswith(b"\n\n") or before.endswith(b"\n\r\n") or at == 0:
        return True
    if end >= b.end:  # From_ line is the last line of the file
        return False
    nxt = end + 1
    b.line_end(nxt, keep)  # make sure the next line (or its first KiB) is buffered
    return bool(_HEADER_LINE.match(b.buf, nxt - b.base))


def _first_start(b: _Buffer) -> int | None:
    """Offset of the first From_ line (after a BOM and blank lines); None for an empty file."""
    while len(b.buf) < 3 and not b.eof:
        b.fill(0)
    pos = 3 if b.buf.startswith(_BOM) else 0
    while True:
        end = b.line_end(pos, pos)
        if end is None:
            raise NotMbox
        line = b.buf[pos - b.base : end - b.base]
        if all(c in _BLANK for c in line):
            if end >= b.end:
                return None
            pos = end + 1
            continue
        if not FROM_LINE_RE.match(line.rstrip(b"\r")):
            raise NotMbox
        return pos


def iter_messages(fh: BinaryIO) -> Iterator[RawMessage]:
    """Yield each message's From_ line and header block, one at a time.

    Raises NotMbox (before yielding anything) when the stream does not start with a From_
    line; an empty or blank stream yields nothing.
    """
    b = _Buffer(fh)
    start = _first_start(b)
    while start is not None:
        eol = b.line_end(start, start)
        if eol is None:  # cannot happen for a verified From_ line; stay safe
            eol = start
        from_line = b.buf[start - b.base : eol - b.base].rstrip(b"\r")
        if eol >= b.end:  # the file ends on the From_ line
            yield RawMessage(start, from_line, b"", truncated=True)
            return
        hstart = eol + 1
        search = eol  # the From_ line's newline: lets an empty header block end at once
        body_from: int | None = None
        next_start: int | None = None
        while True:
            m = _HEADER_END.search(b.buf, search - b.base)
            if m:
                hit = b.base + m.start()
                if m.group().endswith(b"From "):
                    if _is_separator(b, hit + 1, start):
                        header = b.buf[hstart - b.base : hit + 1 - b.base]
                        yield RawMessage(start, from_line, header)
                        next_start = hit + 1
                        break
                    search = hit + 1
                    continue
                header = b.buf[hstart - b.base : hit + 1 - b.base]
                yield RawMessage(start, from_line, header)
                body_from = hit
                break
            if b.end - hstart > MAX_HEADER:
                yield RawMessage(start, from_line, b"", oversized=True)
                body_from = b.end - 3
                break
            if b.eof:
                header = b.buf[hstart - b.base :]
                if not header.endswith(b"\n"):  # drop the cut-off last line
                    header = header[: header.rfind(b"\n") + 1]
                yield RawMessage(start, from_line, header, truncated=True)
                return
            search = max(search, b.end - 6)  # a cut "\nFrom " is re-scanned
            b.fill(start)
        if next_start is None and body_from is not None:
            search = body_from
            while True:
                j = b.buf.find(b"\nFrom ", search - b.base)
                if j >= 0:
                    at = b.base + j + 1
                    if _is_separator(b, at, at - 3):
                        next_start = at
                        break
                    search = at
                    continue
                if b.eof:
                    break
                search = max(search, b.end - 6)
                b.fill(search - 3)
        start = next_start


def looks_like_mbox(path: Path) -> bool:
    """True when the first non-blank line (after an optional UTF-8 BOM) is a From_ line."""
    try:
        with _open(path) as fh:
            head = fh.read(64 * 1024)
    except (OSError, EOFError, zlib.error):
        return False
    if head.startswith(_BOM):
        head = head[3:]
    for line in head.split(b"\n"):
        if line.strip():
            return bool(FROM_LINE_RE.match(line.rstrip(b"\r")))
    return False


def _open(path: Path) -> BinaryIO:
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == _GZIP_MAGIC:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def default_folder(path: Path) -> str:
    """Folder name for a file: Apple `Inbox.mbox/mbox` -> Inbox; `Sent.mbox.gz` -> Sent."""
    name = path.name
    if name == "mbox" and path.parent.name.lower().endswith(".mbox"):
        name = path.parent.name
    for suffix in (".gz", ".mbox", ".mbx"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return name


class StagingBuffer:
    """Collects message and participant rows as columns, flushing to frames in batches."""

    def __init__(self, source_file: str) -> None:
        self.source_file = source_file
        self.frames: list[pl.DataFrame] = []
        self.pframes: list[pl.DataFrame] = []
        self.rejects: list[tuple[str, str]] = []
        self.loaded = 0
        self.rejected = 0
        self._reset()

    def _reset(self) -> None:
        self.m: dict[str, list] = {name: [] for name in schemas.STG_EMAIL_MESSAGES.names()}
        self.p: dict[str, list] = {name: [] for name in schemas.STG_EMAIL_PARTICIPANTS.names()}

    def reject(self, location: str, reason: str) -> None:
        self.rejected += 1
        self.rejects.append((location, reason))

    def add(self, location: str, h: MessageHeaders, folder: str | None) -> None:
        """Stage a message (caller has checked `h.problem is None`)."""
        self.loaded += 1
        m = self.m
        m["source_file"].append(self.source_file)
        m["location"].append(location)
        m["message_key"].append(h.message_key)
        m["message_id"].append(h.message_id)
        m["sent_at"].append(_micros(h))
        m["date_source"].append(h.date_source)
        m["from_addr"].append(h.from_addr)
        m["subject"].append(h.subject)
        m["thread_key"].append(h.thread_key)
        m["in_reply_to"].append(h.in_reply_to)
        m["gmail_labels"].append(h.gmail_labels)
        m["folder"].append(folder)
        m["kind"].append(h.kind)
        m["is_bulk"].append(h.is_bulk)
        m["bulk_reason"].append(h.bulk_reason)
        m["is_sent_folder"].append(h.is_sent_folder)
        m["is_draft"].append(h.is_draft)
        m["is_spam"].append(h.is_spam)
        p = self.p
        for role, address, name in h.participants:
            p["source_file"].append(self.source_file)
            p["location"].append(location)
            p["message_key"].append(h.message_key)
            p["role"].append(role)
            p["address"].append(address)
            p["display_name"].append(name)
        for reason in h.address_problems:
            self.rejects.append((location, reason))
        if len(m["location"]) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self.m["location"]:
            return
        cols = dict(self.m)
        cols["sent_at"] = pl.Series("sent_at", cols["sent_at"], dtype=pl.Int64)
        frame = pl.DataFrame(
            {k: v for k, v in cols.items() if k not in ("sent_at", "gmail_labels")},
            schema={
                k: t
                for k, t in schemas.STG_EMAIL_MESSAGES.items()
                if k not in ("sent_at", "gmail_labels")
            },
        ).with_columns(
            cols["sent_at"].cast(pl.Datetime("us")).dt.replace_time_zone("UTC"),
            pl.Series("gmail_labels", cols["gmail_labels"], dtype=pl.List(pl.String)),
        )
        self.frames.append(schemas.conform(frame, schemas.STG_EMAIL_MESSAGES))
        self.pframes.append(pl.DataFrame(self.p, schema=schemas.STG_EMAIL_PARTICIPANTS))
        self._reset()

    def result(self, kind: str, rows_in: int) -> Parsed:
        self._flush()
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


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(h: MessageHeaders) -> int | None:
    if h.sent_at is None:
        return None
    delta = h.sent_at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def stage_message(
    staging: StagingBuffer,
    location: str,
    h: MessageHeaders,
    folder: str | None,
    truncated: bool = False,
) -> None:
    """Stage or reject one parsed message (shared by the mbox, .eml and Maildir readers)."""
    if h.is_deleted:
        staging.reject(location, DELETED_REASON)
        return
    problem = h.problem
    if problem is not None:
        staging.reject(location, TRUNCATED_REASON if truncated else problem)
        return
    staging.add(location, h, folder)
    if truncated:
        staging.rejects.append((location, PARTIAL_NOTE))


def read_mbox(path: Path, folder: str | None = None) -> Parsed:
    """Read one mbox file (plain or gzip) into staged email frames plus rejects."""
    path = Path(path)
    source = str(path)
    folder = folder if folder is not None else default_folder(path)
    staging = StagingBuffer(source)
    rows_in = 0
    try:
        fh = _open(path)
    except OSError as err:
        return whole_file(source, f"cannot open file: {err.strerror or type(err).__name__}", KIND)
    with fh:
        try:
            for raw in iter_messages(fh):
                rows_in += 1
                location = f"byte {raw.offset}"
                if raw.oversized:
                    staging.reject(location, f"header block larger than {MAX_HEADER >> 20} MiB")
                    continue
                try:
                    h = parse_header_block(raw.header, raw.from_line, folder)
                except Exception as err:  # never let one message stop the file
                    staging.reject(location, f"unparseable header block ({type(err).__name__})")
                    continue
                stage_message(staging, location, h, folder, raw.truncated)
        except NotMbox:
            return whole_file(source, "not an mbox file (first line is not a From_ line)", KIND)
        except (OSError, EOFError, zlib.error) as err:
            # A corrupt gzip stream or a read error: keep what was read, say where it stopped.
            reason = f"read error, rest of file skipped ({type(err).__name__})"
            staging.rejects.append(("file", reason))
    return staging.result(KIND, rows_in)
