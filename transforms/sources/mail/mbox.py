"""mbox reader: a streaming From_-line scanner that parses header blocks only.

The file is read in 1 MiB binary chunks; only the unconsumed tail and the current header
block are held, so memory does not grow with the file (or with a message's body). A line
starting `From ` separates messages only when it looks like an envelope line
(`FROM_LINE_RE`: a token, then HH:MM and a 4-digit year) AND either follows a blank
line or is followed by a header-looking line (`Name: value`). The second case is needed
for Gmail Takeout, which writes the next From_ line straight after a body line; together
they keep unquoted `From ` body lines (mboxo/mboxcl2) from splitting a message.
Content-Length is ignored. CRLF, LF and mixed files work. gzip files are read through
`gzip.open` (locations are then offsets in the decompressed stream).

Every message found is either staged or rejected (`rows_in == rows_loaded +
rows_rejected`). Bodies are never parsed or kept.
"""

from __future__ import annotations

import gc
import gzip
import multiprocessing
import os
import re
import sys
import tarfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import polars as pl

from transforms import schemas
from transforms.rejects import Parsed, reject_rows, whole_file
from transforms.sources.mail.dates import latest_plausible
from transforms.sources.mail.headers import header_problem, message_row

KIND = "mbox"
CHUNK = 1 << 20
MAX_FROM_LINE = 1024  # a longer line is never an envelope line
MAX_HEADER = 8 << 20  # a header block beyond this is refused (garbage, not mail)
_BATCH = 20_000  # rows held as Python lists before they become a polars frame
_WORKER_BATCH = 2_000  # rows a worker process sends to the parent at a time
PARALLEL_MIN_BYTES = 32 << 20  # below this, a second process costs more than it saves
# Two processes share the file as numbered pieces cut at From_ lines: the parent takes
# pieces from the front, the child from the back, until they meet. A static half each left
# one process idle for a third of the run whenever the other was slowed (the parent also
# builds frames; the host may be busy). Taking from the two ends, not alternately, keeps
# each process on one stretch of time, so a correspondent of that stretch is parsed (and
# cached) in one process only. Pieces of 1/32 of the file (at least MIN_PIECE) keep the
# last, unbalanced piece short.
PIECES = 32
MIN_PIECE = 4 << 20
_FRAME_ROWS = 5_000  # rows per frame when finished pieces become frames

# Envelope line: "From <token> <date>"; the date part must hold HH:MM and later a year.
FROM_LINE_RE = re.compile(rb"From \S* +.*\d\d:\d\d(?::\d\d)?.*\d{4}")
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

    def __init__(self, fh: BinaryIO, base: int = 0) -> None:
        self.fh = fh  # positioned at `base`
        self.buf = b""
        self.base = base  # absolute offset of buf[0]
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


def iter_messages(
    fh: BinaryIO, first: int | None = None, stop: int | None = None
) -> Iterator[RawMessage]:
    """Yield each message's From_ line and header block, one at a time.

    Raises NotMbox (before yielding anything) when the stream does not start with a From_
    line; an empty or blank stream yields nothing. With `first` (the offset of a known
    From_ line, see `split_point`) the scan starts there; messages starting at or after
    `stop` are left to another worker.
    """
    if first is None:
        b = _Buffer(fh)
        start = _first_start(b)
    else:
        fh.seek(first)
        b = _Buffer(fh, first)
        start = first
    while start is not None and (stop is None or start < stop):
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


def split_point(path: Path, at: int) -> int | None:
    """Offset of the first message start at or after `at`, or None.

    Every line `_is_separator` accepts is a message start in a sequential scan too (the
    test depends only on the line and its neighbours), so two workers cutting here give
    exactly the sequential result.
    """
    with open(path, "rb") as fh:
        base = max(0, at - 3)
        fh.seek(base)
        b = _Buffer(fh, base)
        b.fill(base)
        search = base
        while True:
            j = b.buf.find(b"\nFrom ", search - b.base)
            if j >= 0:
                cand = b.base + j + 1
                if cand >= at and _is_separator(b, cand, cand - 3):
                    return cand
                search = cand
                continue
            if b.eof:
                return None
            search = max(search, b.end - 6)
            b.fill(search - 3)


def _archive_kind(path: Path) -> str | None:
    """ "zip" or "tar" (any compression) for an archive, else None."""
    try:
        if zipfile.is_zipfile(path):
            return "zip"
        with open(path, "rb") as fh:
            magic = fh.read(2)
        if magic == _GZIP_MAGIC or path.suffix.lower() in (".tar", ".tgz", ".bz2", ".xz"):
            return "tar" if tarfile.is_tarfile(path) else None
    except (OSError, EOFError, zlib.error, tarfile.TarError):
        return None
    return None


def _is_mail_member(name: str) -> bool:
    """Takeout keeps mail as `Takeout/Mail/<label>.mbox` (names follow the UI language)."""
    return name.lower().endswith(".mbox") and not name.endswith("/")


def _archive_members(path: Path, kind: str) -> Iterator[tuple[str, BinaryIO]]:
    """(member name, readable stream) for each `*.mbox` member, never extracted to disk."""
    if kind == "zip":
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.is_dir() and _is_mail_member(info.filename):
                    with zf.open(info) as fh:
                        yield info.filename, fh  # type: ignore[misc]
        return
    with tarfile.open(path, "r|*") as tf:  # streaming: one pass over the compressed file
        for member in tf:
            if member.isfile() and _is_mail_member(member.name):
                fh = tf.extractfile(member)
                if fh is not None:
                    yield member.name, fh  # type: ignore[misc]


def looks_like_mail_archive(path: Path) -> bool:
    """A zip or tar(.gz) holding at least one `*.mbox` member (a Gmail Takeout archive)."""
    kind = _archive_kind(path)
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                return any(_is_mail_member(n) for n in zf.namelist())
        except (OSError, zipfile.BadZipFile):
            return False
    if kind == "tar":
        try:
            with tarfile.open(path, "r:*") as tf:
                return any(m.isfile() and _is_mail_member(m.name) for m in tf)
        except (OSError, EOFError, zlib.error, tarfile.TarError):
            return False
    return False


def _read_archive(path: Path, kind: str) -> Parsed:
    """Every `*.mbox` member of a Takeout zip/tgz through the same scanner, one Parsed.

    The folder is the member's name without `.mbox` (`Takeout/Mail/Sent.mbox` -> Sent);
    `location` is `<member> byte N`.
    """
    source = str(path)
    staging = StagingBuffer(source)
    rows_in = 0
    try:
        for name, fh in _archive_members(path, kind):
            folder = default_folder(Path(name))
            part = StagingBuffer(source)
            try:
                n = _scan(fh, part, folder)
            except NotMbox:
                staging.rejects.append((name, _NOT_MBOX))
                continue
            rows_in += n
            part._flush()
            prefix = f"{name} "
            for frame in part.frames:
                staging.frames.append(
                    frame.with_columns((pl.lit(prefix) + pl.col("location")).alias("location"))
                )
            for frame in part.pframes:
                staging.pframes.append(
                    frame.with_columns((pl.lit(prefix) + pl.col("location")).alias("location"))
                )
            staging.rejects += [
                (prefix + loc if loc.startswith("byte ") else loc, why) for loc, why in part.rejects
            ]
            staging.loaded += part.loaded
            staging.rejected += part.rejected
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, tarfile.TarError) as err:
        staging.rejects.append(
            ("file", f"read error, rest of archive skipped ({type(err).__name__})")
        )
    return staging.result(KIND, rows_in)


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


# Row tuples hold these columns, in this order (source_file is one per buffer: added as a
# constant when the frame is built).
_M_ROW = (
    "location",
    "message_key",
    "message_id",
    "sent_at",
    "date_source",
    "from_addr",
    "subject",
    "thread_key",
    "in_reply_to",
    "gmail_labels",
    "folder",
    "kind",
    "is_bulk",
    "bulk_reason",
    "is_sent_folder",
    "is_draft",
    "is_spam",
    "is_trash",
    "parent_message_id",
    "date_tz_unknown",
    "gmail_msgid",
)
_P_ROW = ("location", "message_key", "role", "address", "display_name")
_M_PLAIN = pl.Schema(
    {
        k: t
        for k, t in schemas.STG_EMAIL_MESSAGES.items()
        if k in _M_ROW and k not in ("sent_at", "gmail_labels")
    }
)
_M_PLAIN_COLS = tuple(_M_PLAIN.names())
_LABELS = pl.List(pl.String)


class StagingBuffer:
    """Collects message and participant rows as tuples, flushing to frames in batches.

    Why tuples: one tuple per row costs far less Python than one append per column, and
    `zip(*rows, strict=True)` turns a batch into columns in C.
    """

    def __init__(self, source_file: str, sink: Callable[[list, list, list], None] | None = None):
        """`sink`, when given, receives each batch of rows and rejects instead of polars
        frames being built here (worker processes use no polars)."""
        self.source_file = source_file
        self.sink = sink
        self.batch = _BATCH if sink is None else _WORKER_BATCH
        self.frames: list[pl.DataFrame] = []
        self.pframes: list[pl.DataFrame] = []
        self.rejects: list[tuple[str, str]] = []
        self.loaded = 0
        self.rejected = 0
        self.rows: list[tuple] = []
        self.prows: list[tuple] = []

    def reject(self, location: str, reason: str) -> None:
        self.rejected += 1
        self.rejects.append((location, reason))

    def add_row(self, row: tuple, participants: list, problems: list[str]) -> None:
        """Stage a row made by `headers.message_row` (caller has checked `header_problem`)."""
        self.loaded += 1
        self.rows.append(row)
        if participants:
            location, key = row[0], row[1]
            self.prows += [(location, key, role, addr, name) for role, addr, name in participants]
        if problems:
            location = row[0]
            self.rejects += [(location, reason) for reason in problems]
        if len(self.rows) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        if self.sink is not None:
            self.sink(self.rows, self.prows, self.rejects)
            self.rejects = []
        elif self.rows:
            self.add_rows(self.rows, self.prows)
        self.rows, self.prows = [], []

    def add_rows(self, rows: list[tuple], prows: list[tuple]) -> None:
        """Turn one batch of row tuples into frames (in arrival order)."""
        if not rows:
            return
        cols = dict(zip(_M_ROW, zip(*rows, strict=True), strict=True))
        frame = pl.DataFrame(
            {k: list(cols[k]) for k in _M_PLAIN_COLS}, schema=_M_PLAIN
        ).with_columns(
            pl.lit(self.source_file, pl.String).alias("source_file"),
            pl.Series("sent_at", cols["sent_at"], dtype=pl.Int64)
            .cast(pl.Datetime("us"))
            .dt.replace_time_zone("UTC"),
            _label_series(cols["gmail_labels"]),
        )
        self.frames.append(schemas.conform(frame, schemas.STG_EMAIL_MESSAGES))
        pcols = dict(zip(_P_ROW, zip(*prows, strict=True), strict=True)) if prows else {}
        pframe = pl.DataFrame(
            {k: list(pcols.get(k, ())) for k in _P_ROW},
            schema={k: schemas.STG_EMAIL_PARTICIPANTS[k] for k in _P_ROW},
        ).with_columns(pl.lit(self.source_file, pl.String).alias("source_file"))
        self.pframes.append(schemas.conform(pframe, schemas.STG_EMAIL_PARTICIPANTS))

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


def _label_series(labels: tuple[list[str], ...]) -> pl.Series:
    """The gmail_labels column. Built from the distinct label lists (a mailbox has few)
    and gathered: polars converts a list of lists element by element in Python."""
    index: dict[tuple[str, ...], int] = {}
    codes = [index.setdefault(tuple(row), len(index)) for row in labels]
    distinct = pl.Series("gmail_labels", [list(k) for k in index], dtype=_LABELS)
    return distinct.gather(pl.Series(codes, dtype=pl.UInt32))


_IS_DRAFT = _M_ROW.index("is_draft")


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
        row, participants, problems, deleted, _, date_raw, _, _ = message_row(
            header, from_line, folder, location, latest, fallback_time, fallback_source
        )
    except Exception as err:  # never let one message stop the file
        staging.reject(location, f"unparseable header block ({type(err).__name__})")
        return
    if deleted:
        staging.reject(location, DELETED_REASON)
        return
    problem = header_problem(row[5], row[3] is not None, date_raw)
    if problem is not None:
        staging.reject(location, TRUNCATED_REASON if truncated else problem)
        return
    if draft:
        row = (*row[:_IS_DRAFT], True, *row[_IS_DRAFT + 1 :])
    staging.add_row(row, participants, problems)
    if truncated:
        staging.rejects.append((location, PARTIAL_NOTE))


def _scan(
    fh: BinaryIO,
    staging: StagingBuffer,
    folder: str | None,
    first: int | None = None,
    stop: int | None = None,
) -> int:
    """Stage or reject every message of the range; returns how many were found.

    Raises NotMbox; a read error (corrupt gzip, I/O) keeps what was read and is noted.
    The cyclic garbage collector is paused meanwhile: parsing makes millions of small
    acyclic objects, and the collections they trigger walk every live object again and
    again (~15% of the run); reference counting still frees everything.
    """
    rows_in = 0
    latest = latest_plausible()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # see _scan's docstring
    try:
        for raw in iter_messages(fh, first, stop):
            rows_in += 1
            location = f"byte {raw.offset}"
            if raw.oversized:
                staging.reject(location, f"header block larger than {MAX_HEADER >> 20} MiB")
                continue
            stage_block(staging, location, raw.header, raw.from_line, folder, latest, raw.truncated)
    except (OSError, EOFError, zlib.error) as err:
        # A corrupt gzip stream or a read error: keep what was read, say where it stopped.
        staging.rejects.append(("file", f"read error, rest of file skipped ({type(err).__name__})"))
    finally:
        if gc_was_enabled:
            gc.enable()
    return rows_in


def _auto_workers(path: Path) -> int:
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            gz = fh.read(2) == _GZIP_MAGIC
    except OSError:
        return 1
    if gz or size < PARALLEL_MIN_BYTES or sys.platform != "linux":
        return 1
    return min(2, os.cpu_count() or 1)


def read_mbox(path: Path, folder: str | None = None, workers: int | None = None) -> Parsed:
    """Read one mbox file (plain or gzip) into staged email frames plus rejects.

    `workers=2` splits a plain file at a From_ line near the middle and parses the halves
    in two forked processes (same rows, same order as one process); None picks 2 for plain
    files of 32 MB or more on Linux with two or more cores, else 1.
    """
    path = Path(path)
    source = str(path)
    folder = folder if folder is not None else default_folder(path)
    archive = _archive_kind(path) if path.is_file() else None
    if archive is not None:
        return _read_archive(path, archive)
    if workers is None:
        workers = _auto_workers(path)
    if workers > 1:
        parsed = _read_parallel(path, folder)
        if parsed is not None:
            return parsed
    staging = StagingBuffer(source)
    try:
        fh = _open(path)
    except OSError as err:
        return whole_file(source, f"cannot open file: {err.strerror or type(err).__name__}", KIND)
    with fh:
        try:
            rows_in = _scan(fh, staging, folder)
        except NotMbox:
            return whole_file(source, _NOT_MBOX, KIND)
    return staging.result(KIND, rows_in)


_NOT_MBOX = "not an mbox file (first line is not a From_ line)"


def is_plain_mbox(path: Path) -> bool:
    """An uncompressed mbox file (not gzip, not an archive): byte offsets are file offsets."""
    with open(path, "rb") as fh:
        magic = fh.read(4)
    return not magic.startswith(b"\x1f\x8b") and _archive_kind(path) is None


def read_mbox_from(path: Path, start: int, folder: str | None = None) -> Parsed:
    """Messages of a plain mbox that start at or after byte `start` (an appended tail).

    Locations stay absolute ("byte N" of the whole file), so rows read this way equal the
    rows a full read gives for the same messages.
    """
    path = Path(path)
    folder = folder if folder is not None else default_folder(path)
    staging = StagingBuffer(str(path))
    first = split_point(path, start)
    if first is None:
        return staging.result(KIND, 0)
    with open(path, "rb") as fh:
        rows_in = _scan(fh, staging, folder, first)
    return staging.result(KIND, rows_in)


def _piece_cuts(path: Path) -> list[int] | None:
    """Start offsets of the pieces, [0, c1, c2, ...]: each cut is a message start found by
    `split_point` (the same message starts a sequential scan finds). None when the file
    holds no second message start (nothing to share)."""
    size = path.stat().st_size
    step = max(size // PIECES, MIN_PIECE)
    cuts = [0]
    at = step
    while at < size:
        cut = split_point(path, at)
        if cut is None:
            break
        if cut > cuts[-1]:
            cuts.append(cut)
        at = max(cut + 1, at + step)
    return cuts if len(cuts) > 1 else None


def _parse_piece(
    path: Path,
    cuts: list[int],
    i: int,
    folder: str | None,
    sink: Callable[[list, list, list], None],
) -> tuple[int, int, int]:
    """Parse piece `i` (from cuts[i] up to cuts[i+1]; piece 0 also checks the file start),
    its row batches going to `sink`; (messages found, staged, rejected)."""
    staging = StagingBuffer(str(path), sink=sink)
    stop = cuts[i + 1] if i + 1 < len(cuts) else None
    with open(path, "rb") as fh:
        rows_in = _scan(fh, staging, folder, cuts[i] if i else None, stop)
    staging._flush()
    return rows_in, staging.loaded, staging.rejected


def _claim(ends, front: bool) -> int | None:
    """The next unclaimed piece from the front (parent) or the back (child), or None when
    the two ends have met. `ends` is a shared [next front piece, end of the back]."""
    with ends.get_lock():
        lo, hi = ends[0], ends[1]
        if lo >= hi:
            return None
        if front:
            ends[0] = lo + 1
            return lo
        ends[1] = hi - 1
        return hi - 1


def _worker(path: Path, folder: str | None, cuts: list[int], ends, conn) -> None:
    """Child process: parse pieces from the back as it claims them, sending each piece's
    row batches and then its counts; `done` (or `error`) at the end.

    Uses no polars (the parent may have started polars' thread pool before the fork).
    """
    try:
        while (i := _claim(ends, front=False)) is not None:
            counts = _parse_piece(
                path, cuts, i, folder, lambda m, p, r, i=i: conn.send(("batch", i, m, p, r))
            )
            conn.send(("piece", i, *counts))
        conn.send(("done",))
    except Exception as err:  # noqa: BLE001 - reported to the parent, which falls back
        conn.send(("error", type(err).__name__))
    finally:
        conn.close()


@dataclass(slots=True)
class _Piece:
    """One piece's rows (tuples, not yet frames), wherever it was parsed."""

    rows: list[tuple] = field(default_factory=list)
    prows: list[tuple] = field(default_factory=list)
    rejects: list[tuple[str, str]] = field(default_factory=list)
    rows_in: int = 0
    loaded: int = 0
    rejected: int = 0
    complete: bool = False

    def sink(self, rows: list, prows: list, rejects: list) -> None:
        self.rows += rows
        self.prows += prows
        self.rejects += rejects


class _Assembly:
    """Finished pieces become frames in file order, from both ends as they finish (runs of
    at least `_FRAME_ROWS` rows: a frame costs ~2 ms however small), the middle last. The
    frames are then exactly those of a sequential read, cut at other rows."""

    def __init__(self, source: str, count: int) -> None:
        self.source = source
        self.front, self.back = 0, count  # pieces [front, back) are not framed yet
        self.head: list[StagingBuffer] = []  # framed runs from the front, in file order
        self.tail: list[StagingBuffer] = []  # framed runs from the back, last run first
        self.rows_in = 0  # messages found in the framed pieces

    def _frame(self, run: list[_Piece]) -> StagingBuffer:
        out = StagingBuffer(self.source)
        for piece in run:
            out.rows += piece.rows
            out.prows += piece.prows
            out.rejects += piece.rejects
            out.loaded += piece.loaded
            out.rejected += piece.rejected
            self.rows_in += piece.rows_in
            piece.rows, piece.prows = [], []  # the rows live in `out` only
        out._flush()
        return out

    def advance(self, finished: Callable[[int], _Piece | None], final: bool = False) -> None:
        """Frame the finished runs at either end (everything left, when `final`)."""
        run: list[_Piece] = []
        i = self.front
        while i < self.back and (piece := finished(i)) is not None:
            run.append(piece)
            i += 1
        if run and (final or sum(len(p.rows) for p in run) >= _FRAME_ROWS):
            self.head.append(self._frame(run))
            self.front = i
        run = []
        j = self.back
        while j > self.front and (piece := finished(j - 1)) is not None:
            run.append(piece)
            j -= 1
        if run and (final or sum(len(p.rows) for p in run) >= _FRAME_ROWS):
            self.tail.append(self._frame(run[::-1]))
            self.back = j

    def result(self) -> Parsed:
        out = StagingBuffer(self.source)
        for part in self.head + self.tail[::-1]:
            out.frames += part.frames
            out.pframes += part.pframes
            out.rejects += part.rejects
            out.loaded += part.loaded
            out.rejected += part.rejected
        return out.result(KIND, self.rows_in)


def _drain(conn, child: dict[int, _Piece], done: list) -> None:
    """Parent thread: receive the child's batches as they come (so the child never waits on
    a full pipe); the last message (`done` or an error) goes to `done`."""
    try:
        while True:
            msg = conn.recv()
            if msg[0] == "batch":
                child.setdefault(msg[1], _Piece()).sink(msg[2], msg[3], msg[4])
            elif msg[0] == "piece":
                _, i, rows_in, loaded, rejected = msg
                piece = child.setdefault(i, _Piece())
                piece.rows_in, piece.loaded, piece.rejected = rows_in, loaded, rejected
                piece.complete = True
            else:
                done.append(msg)
                return
    except Exception as err:  # noqa: BLE001 - EOF (child died) or a bad batch: fall back
        done.append(("error", type(err).__name__))
    finally:
        conn.close()


def _read_parallel(path: Path, folder: str | None) -> Parsed | None:
    """The parent parses pieces from the front while one forked child parses them from
    the back, until they meet (two processes on two cores; between its pieces the parent
    also turns finished pieces into frames). The result equals a sequential read. None
    when the file cannot be split (the caller then reads sequentially); pieces the child
    did not finish (it failed or died) are parsed by the parent."""
    try:
        cuts = _piece_cuts(path)
    except OSError:
        return None
    if cuts is None:
        return None
    gc_was_enabled = gc.isenabled()
    gc.disable()  # for the whole read, not per piece (see _scan) ...
    gc.freeze()  # ... and the objects made so far are never walked again: a collection in
    # either process would write to every page it walks, copying the pages they share
    try:
        return _read_pieces(path, folder, cuts)
    finally:
        gc.unfreeze()
        if gc_was_enabled:
            gc.enable()


def _read_pieces(path: Path, folder: str | None, cuts: list[int]) -> Parsed | None:
    """`_read_parallel` once the file is cut."""
    source = str(path)
    ctx = multiprocessing.get_context("fork")
    ends = ctx.Array("q", [1, len(cuts)])  # piece 0 is the parent's: it proves an mbox
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(path, folder, cuts, ends, send), daemon=True)
    proc.start()
    send.close()
    child: dict[int, _Piece] = {}
    done: list[tuple] = []
    drain = threading.Thread(target=_drain, args=(recv, child, done), daemon=True)
    drain.start()
    mine: dict[int, _Piece] = {}

    def finished(i: int) -> _Piece | None:
        piece = mine.get(i) or child.get(i)
        return piece if piece is not None and piece.complete else None

    assembly = _Assembly(source, len(cuts))

    def parse(i: int) -> None:
        piece = _Piece()
        piece.rows_in, piece.loaded, piece.rejected = _parse_piece(
            path, cuts, i, folder, piece.sink
        )
        piece.complete = True
        mine[i] = piece
        assembly.advance(finished)

    try:
        parse(0)
        while (i := _claim(ends, front=True)) is not None:
            parse(i)
    except (NotMbox, OSError) as err:
        proc.kill()
        proc.join()
        drain.join()
        return whole_file(source, _NOT_MBOX, KIND) if isinstance(err, NotMbox) else None
    drain.join()
    proc.join()
    if not done or done[0][0] != "done":  # the child failed: parse what it left undone
        for i in range(assembly.front, assembly.back):
            if finished(i) is None:
                parse(i)
    assembly.advance(finished, final=True)
    return assembly.result()
