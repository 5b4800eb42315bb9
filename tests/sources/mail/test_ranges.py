"""A big plain mbox read as byte ranges (one parse task each) gives exactly one read."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tests.sources.mail.support import FIXTURES
from transforms.sources.mail.mbox import range_cuts, read_mbox, read_mbox_range
from transforms.sources.mail.scanner import iter_messages


def _big_fixture(tmp_path: Path) -> Path:
    data = (FIXTURES / "takeout_crlf.mbox").read_bytes() + (FIXTURES / "bulk.mbox").read_bytes()
    path = tmp_path / "big.mbox"
    path.write_bytes(data * 60)  # 480 messages
    return path


def test_cuts_are_message_starts(tmp_path):
    path = _big_fixture(tmp_path)
    data = path.read_bytes()
    with open(path, "rb") as fh:
        starts = {raw.offset for raw in iter_messages(fh)}
    cuts = range_cuts(path, 4096)
    assert cuts[0] == 0
    assert cuts == sorted(set(cuts))  # strictly increasing
    assert set(cuts) <= starts  # each cut is where a sequential scan starts a message
    assert len(cuts) >= len(data) // 4096 // 2  # about one range per 4 KiB
    assert all(data[c : c + 5] == b"From " for c in cuts)


def test_ranges_read_one_after_another_equal_one_read(tmp_path):
    path = _big_fixture(tmp_path)
    cuts = range_cuts(path, 4096)
    whole = read_mbox(path)
    parts = [
        read_mbox_range(path, start, stop)
        for start, stop in zip(cuts, [*cuts[1:], None], strict=True)
    ]
    assert sum(p.rows_in for p in parts) == whole.rows_in == 480
    assert sum(p.rows_loaded for p in parts) == whole.rows_loaded
    assert sum(p.rows_rejected for p in parts) == whole.rows_rejected
    for name in whole.tables:
        joined = pl.concat([p.tables[name] for p in parts])
        assert joined.equals(whole.tables[name])
    assert pl.concat([p.rejects for p in parts]).equals(whole.rejects)


def test_the_first_range_of_a_file_that_is_no_mbox_refuses_it(tmp_path):
    path = tmp_path / "notes.mbox"
    path.write_bytes(b"Dear diary,\n\nFrom a@example.com Mon Jan  1 00:00:00 2024\n")
    parsed = read_mbox_range(path, 0, None)
    assert parsed.skipped_reason is not None and "not an mbox" in parsed.skipped_reason
    assert parsed.rows_loaded == 0
