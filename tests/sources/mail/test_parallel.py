"""The two-process mbox reader gives exactly the sequential read, also when its child fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources.mail.support import (
    FIXTURES,
)
from transforms.rejects import Parsed
from transforms.sources.mail.mbox import read_mbox
from transforms.sources.mail.scanner import iter_messages


@pytest.fixture
def small_pieces(monkeypatch):
    """Two-process reads cut test-sized files into many pieces (the default minimum piece
    is 4 MiB, which would leave a test file whole and read sequentially)."""
    from transforms.sources.mail import parallel

    monkeypatch.setattr(parallel, "MIN_PIECE", 4096)
    monkeypatch.setattr(parallel, "_FRAME_ROWS", 50)  # several frames from each end


def test_pieces_start_on_message_starts(tmp_path, small_pieces):
    from transforms.sources.mail.parallel import PIECES, _piece_cuts

    path = _big_fixture(tmp_path)
    data = path.read_bytes()
    with open(path, "rb") as fh:
        starts = {raw.offset for raw in iter_messages(fh)}
    cuts = _piece_cuts(path)
    assert cuts is not None and cuts[0] == 0
    assert cuts == sorted(set(cuts))  # strictly increasing
    assert set(cuts) <= starts  # each cut is where a sequential scan starts a message
    assert PIECES // 2 <= len(cuts) <= PIECES + 1
    assert all(data[c : c + 5] == b"From " for c in cuts)


def test_two_workers_give_the_sequential_result(tmp_path, small_pieces):
    # 60 copies of two fixtures, cut into ~32 pieces shared by the two processes.
    path = _big_fixture(tmp_path)
    one, two = read_mbox(path, workers=1), read_mbox(path, workers=2)
    _assert_same_read(two, one)


def _assert_same_read(two: Parsed, one: Parsed) -> None:
    """The two-process read of `_big_fixture` equals the sequential one, row for row."""
    assert (two.rows_in, two.rows_loaded, two.rows_rejected) == (
        480,  # 60 x (4 + 4) messages
        one.rows_loaded,
        one.rows_rejected,
    )
    for name in one.tables:
        assert two.tables[name].equals(one.tables[name])
    assert two.rejects.equals(one.rejects)


def _big_fixture(tmp_path: Path) -> Path:
    data = (FIXTURES / "takeout_crlf.mbox").read_bytes() + (FIXTURES / "bulk.mbox").read_bytes()
    path = tmp_path / "big.mbox"
    path.write_bytes(data * 60)
    return path


def test_two_workers_fall_back_when_the_child_fails(tmp_path, monkeypatch, small_pieces):
    import os

    from transforms.sources.mail import parallel

    path = _big_fixture(tmp_path)
    one = read_mbox(path, workers=1)
    parent = os.getpid()
    real_scan = parallel.stage_stream

    def scan_failing_in_child(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("child dies")
        return real_scan(*args, **kwargs)

    monkeypatch.setattr(parallel, "stage_stream", scan_failing_in_child)
    two = read_mbox(path, workers=2)
    _assert_same_read(two, one)


@pytest.mark.parametrize("how", ["raises", "exits"])
def test_a_child_dying_midway_leaves_its_finished_pieces_and_the_parent_the_rest(
    tmp_path, monkeypatch, small_pieces, how
):
    import os

    from transforms.sources.mail import parallel

    path = _big_fixture(tmp_path)
    one = read_mbox(path, workers=1)
    parent = os.getpid()
    real_scan = parallel.stage_stream
    pieces_in_child = [0]  # the child's copy counts the child's pieces

    def scan_dying_on_the_childs_third_piece(*args, **kwargs):
        if os.getpid() != parent:
            pieces_in_child[0] += 1
            if pieces_in_child[0] == 3:
                (tmp_path / "child-died").touch()
                if how == "exits":
                    os._exit(1)  # killed: no error message, the pipe just closes
                raise RuntimeError("child dies")
        return real_scan(*args, **kwargs)

    monkeypatch.setattr(parallel, "stage_stream", scan_dying_on_the_childs_third_piece)
    two = read_mbox(path, workers=2)
    assert (tmp_path / "child-died").exists()  # the child did reach its third piece
    _assert_same_read(two, one)


def test_two_workers_refuse_a_file_that_is_not_mbox(tmp_path, small_pieces):
    # From_ lines later in the file give a split point, but the first line is not one.
    path = tmp_path / "notes.mbox"
    path.write_bytes(b"just some notes\n\n" + _big_fixture(tmp_path).read_bytes())
    two = read_mbox(path, workers=2)
    assert (two.rows_in, two.rows_loaded, two.rows_rejected) == (0, 0, 0)  # refused whole
    assert two.rejects["reason"].to_list() == ["not an mbox file (first line is not a From_ line)"]
