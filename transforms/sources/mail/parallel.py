"""Two processes over one big plain mbox: the parent and one forked child share its pieces.

Self-contained on purpose: `mbox.read_mbox` reaches it through `read_parallel` only, so a
task runner (Prefect's, see DESIGN.md) can take its place without touching the readers.
The result equals a sequential read, row for row: pieces are cut at message starts a
sequential scan also finds (`scanner.split_point`), and finished pieces become frames in
file order. Linux only (fork); if the child fails or dies, the parent parses what it left.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from transforms.rejects import Parsed, whole_file
from transforms.sources.mail.scanner import NotMbox, split_point
from transforms.sources.mail.staging import Sink, StagingBuffer
from transforms.sources.mail.stream import GZIP_MAGIC, KIND, NOT_MBOX, stage_stream

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


def _auto_workers(path: Path) -> int:
    """2 for a plain file of PARALLEL_MIN_BYTES or more on Linux with two cores, else 1."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            gz = fh.read(2) == GZIP_MAGIC
    except OSError:
        return 1
    if gz or size < PARALLEL_MIN_BYTES or sys.platform != "linux":
        return 1
    return min(2, os.cpu_count() or 1)


def read_parallel(path: Path, folder: str | None, workers: int | None) -> Parsed | None:
    """The file read by `workers` processes (None: `_auto_workers` picks), or None when
    it is to be read sequentially: one worker, or a file that cannot be split."""
    if workers is None:
        workers = _auto_workers(path)
    if workers <= 1:
        return None
    return _read_parallel(path, folder)


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
    sink: Sink,
) -> tuple[int, int, int]:
    """Parse piece `i` (from cuts[i] up to cuts[i+1]; piece 0 also checks the file start),
    its row batches going to `sink`; (messages found, staged, rejected)."""
    staging = StagingBuffer(str(path), sink=sink)
    stop = cuts[i + 1] if i + 1 < len(cuts) else None
    with open(path, "rb") as fh:
        rows_in = stage_stream(fh, staging, folder, cuts[i] if i else None, stop)
    staging.flush()
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


def _send_batch(conn, i: int, rows: list, prows: list, rejects: list) -> None:
    """Piece `i`'s batch down the pipe. Message rows go as plain tuples: a NamedTuple
    pickles 3x slower and unpickles through a Python-level `__new__`, in the parent, which
    is the busier process; the frames are built from the values alone."""
    conn.send(("batch", i, [tuple(row) for row in rows], prows, rejects))


def _worker(path: Path, folder: str | None, cuts: list[int], ends, conn) -> None:
    """Child process: parse pieces from the back as it claims them, sending each piece's
    row batches and then its counts; `done` (or `error`) at the end.

    Uses no polars (the parent may have started polars' thread pool before the fork).
    """
    try:
        while (i := _claim(ends, front=False)) is not None:
            counts = _parse_piece(path, cuts, i, folder, partial(_send_batch, conn, i))
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
        out.flush()
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
    gc.disable()  # for the whole read, not per piece (see stage_stream) ...
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
        return whole_file(source, NOT_MBOX, KIND) if isinstance(err, NotMbox) else None
    drain.join()
    proc.join()
    if not done or done[0][0] != "done":  # the child failed: parse what it left undone
        for i in range(assembly.front, assembly.back):
            if finished(i) is None:
                parse(i)
    assembly.advance(finished, final=True)
    return assembly.result()
