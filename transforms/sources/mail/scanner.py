"""The From_ scanner: where each message of an mbox byte stream starts, and its header block.

The stream is read in 1 MiB binary chunks; only the unconsumed tail and the current header
block are held, so memory does not grow with the file (or with a message's body). A line
starting `From ` separates messages only when it looks like an envelope line
(`FROM_LINE_RE`: a token, then HH:MM and a 4-digit year) AND either follows a blank line
or is followed by a header-looking line (`Name: value`). The second case is needed for
Gmail Takeout, which writes the next From_ line straight after a body line; together they
keep unquoted `From ` body lines (mboxo/mboxcl2) from splitting a message. Content-Length
is ignored. CRLF, LF and mixed files work. Nothing here parses a header: the scanner alone
is the practical ceiling of the reader's speed (`split` in benchmarks/bench_mbox.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
MAX_FROM_LINE = 1024  # a longer line is never an envelope line
MAX_HEADER = 8 << 20  # a header block beyond this is refused (garbage, not mail)

# Envelope line: "From <token> <date>"; the date part must hold HH:MM and later a year.
FROM_LINE_RE = re.compile(rb"From \S* +.*\d\d:\d\d(?::\d\d)?.*\d{4}")
_HEADER_END = re.compile(rb"\n(?:\r?\n|From )")
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")
_BLANK = frozenset(b" \t\r\n")
BOM = b"\xef\xbb\xbf"


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
    pos = 3 if b.buf.startswith(BOM) else 0
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
