"""Gmail Takeout zip / tgz archives: every `*.mbox` member read in place, one folder each."""

from __future__ import annotations

import polars as pl

from tests.sources.mail.support import (
    FIXTURES,
    check_contract,
)
from transforms.sources.mail.mbox import read_mbox


def _takeout_members() -> dict[str, bytes]:
    return {
        "Takeout/Mail/Sent.mbox": (FIXTURES / "takeout_crlf.mbox").read_bytes(),
        "Takeout/Mail/Inbox.mbox": (FIXTURES / "bulk.mbox").read_bytes(),
        "Takeout/Mail/User Settings/Labels.json": b"{}",
    }


def _expect_takeout(parsed) -> None:
    messages, _ = check_contract(parsed)
    # takeout_crlf.mbox holds 4 messages and bulk.mbox 4 (counted in the files): the
    # archive gives exactly what the two files give alone.
    alone = [read_mbox(FIXTURES / "takeout_crlf.mbox"), read_mbox(FIXTURES / "bulk.mbox")]
    assert parsed.rows_in == 8
    assert parsed.rows_loaded == sum(p.rows_loaded for p in alone)
    folders = messages["folder"].to_list()
    assert set(folders) == {"Sent", "Inbox"}
    assert folders.count("Sent") == 4
    sent_locations = messages.filter(pl.col("folder") == "Sent")["location"].to_list()
    assert sent_locations[0] == "Takeout/Mail/Sent.mbox byte 0"
    assert sorted(messages["message_key"].to_list()) == sorted(
        k for p in alone for k in p.tables["stg_email_messages"]["message_key"].to_list()
    )


def test_takeout_zip_read_without_extraction(tmp_path):
    import zipfile

    archive = tmp_path / "takeout-20240101T000000Z-001.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _takeout_members().items():
            zf.writestr(name, data)
    _expect_takeout(read_mbox(archive))
    assert list(tmp_path.iterdir()) == [archive]  # nothing extracted


def test_takeout_tgz_read_without_extraction(tmp_path):
    import io
    import tarfile

    archive = tmp_path / "takeout-20240101T000000Z-001.tgz"
    with tarfile.open(archive, "w:gz") as tf:
        for name, data in _takeout_members().items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    _expect_takeout(read_mbox(archive))
