"""Export detection and the zip guards (archive.py)."""

from __future__ import annotations

import shutil
import zipfile

from tests.sources.linkedin.support import EXPORT, by_kind, zip_from
from transforms.sources.linkedin import archive
from transforms.sources.linkedin.archive import looks_like_linkedin_export
from transforms.sources.linkedin.registry import MISSING, read_linkedin_export


def test_not_an_export(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    assert not looks_like_linkedin_export(tmp_path)
    assert not looks_like_linkedin_export(tmp_path / "notes.txt")
    assert not looks_like_linkedin_export(tmp_path / "missing")
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK\x03\x04garbage")
    assert not looks_like_linkedin_export(fake)
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    shutil.copy(EXPORT / "Connections.csv", deep / "Connections.csv")
    assert not looks_like_linkedin_export(tmp_path)  # depth 4: too deep


def test_zip_member_over_size_limit_is_refused(tmp_path, monkeypatch):
    zpath = zip_from(EXPORT, tmp_path / "x.zip")
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 100)
    conn = by_kind(read_linkedin_export(zpath))["linkedin:Connections.csv"]
    assert conn.rows_loaded == 0 and conn.balanced
    assert conn.rejects["reason"].to_list()[0].startswith("zip member larger than")


def test_zip_bomb_ratio_is_refused(tmp_path):
    zpath = tmp_path / "bomb.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        header = "First Name,Last Name,Connected On\n"
        zf.writestr("Connections.csv", header + "," * (4 * 1024 * 1024))
    (conn,) = [p for p in read_linkedin_export(zpath) if p.skipped_reason != MISSING]
    assert conn.rows_loaded == 0 and conn.balanced
    assert conn.rejects["reason"].to_list() == [
        "zip member compressed more than 200:1 (zip bomb?), refused"
    ]


def test_zip_total_uncompressed_budget(tmp_path, monkeypatch):
    zpath = zip_from(EXPORT, tmp_path / "x.zip")
    with zipfile.ZipFile(zpath) as zf:
        first = zf.getinfo("Connections.csv").file_size
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", first)  # room for the first member only
    results = [p for p in read_linkedin_export(zpath) if p.kind != "skipped"]
    kinds = by_kind(results)
    assert kinds["linkedin:Connections.csv"].rows_loaded == 1
    for later in ("Email Addresses.csv", "Invitations.csv", "messages.csv"):
        refused = kinds[f"linkedin:{later}"]
        assert refused.rows_loaded == 0
        assert refused.rejects["reason"].to_list() == ["zip larger than 0 MB uncompressed, refused"]
