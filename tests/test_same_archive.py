"""The same mail given as an mbox, as a Maildir and as a folder of .eml files produces the
same interactions (only where each was read from differs)."""

from __future__ import annotations

import mailbox
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.nightly import run_in_process
from transforms.run.spec import new_run

NETWORK = Path(__file__).resolve().parent / "fixtures" / "network"
COLUMNS = (
    "interaction_id, person_id, channel, direction, occurred_at, thread_id, role, "
    "n_participants, is_bulk, is_reply"
)


def interactions(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    try:
        return con.execute(
            f"select {COLUMNS} from interactions where channel like 'email%' order by all"
        ).fetchall()
    finally:
        con.close()


def build(tmp: Path, mail_source: Path, name: str) -> list[tuple]:
    db = tmp / f"{name}.duckdb"
    spec = new_run([NETWORK / "linkedin", mail_source], db, [], date(2026, 11, 1))
    spec.save()
    run_in_process(spec)
    return interactions(db)


@pytest.fixture
def as_mbox(tmp_path) -> Path:
    target = tmp_path / "mbox" / "Inbox.mbox"
    target.parent.mkdir()
    shutil.copy(NETWORK / "mail" / "Inbox.mbox", target)
    return target


def messages(mbox_path: Path) -> list[bytes]:
    box = mailbox.mbox(mbox_path, create=False)
    try:
        return [box.get_bytes(key) for key in box.keys()]
    finally:
        box.close()


def test_mbox_maildir_and_eml_folder_give_the_same_interactions(tmp_path, as_mbox):
    raw = messages(as_mbox)
    assert len(raw) == 6
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    emls = tmp_path / "eml"
    emls.mkdir()
    for i, data in enumerate(raw):
        (maildir / "cur" / f"17000000{i:02d}.M{i}P1.host:2,S").write_bytes(data)
        (emls / f"message-{i}.eml").write_bytes(data)

    from_mbox = build(tmp_path, as_mbox, "mbox")
    # 6 copies: a duplicate, a newsletter (its sender is no person); mail to Chen + Ada = 2 rows
    assert len(from_mbox) == 5
    assert build(tmp_path, maildir, "maildir") == from_mbox
    assert build(tmp_path, emls, "eml") == from_mbox
