"""Source discovery: kinds come from content, folders are walked, non-sources are named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from transforms.sources.discover import NotAnExport, discover

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_sample_like_folder_yields_linkedin_and_mbox(tmp_path):
    shutil.copytree(FIXTURES / "network", tmp_path / "net")
    (tmp_path / "net" / "readme.md").write_text("notes")
    found = discover([tmp_path / "net"])
    assert [(i.kind, i.path.name) for i in found.inputs] == [
        ("linkedin", "linkedin"),
        ("mbox", "Inbox.mbox"),
    ]
    assert found.inputs[1].folder == "Inbox"
    assert [Path(p).name for p, _ in found.skipped] == ["readme.md"]


def test_mbox_without_extension_is_found_by_content(tmp_path):
    shutil.copy(FIXTURES / "network" / "mail" / "Inbox.mbox", tmp_path / "Sent")
    (tmp_path / "Sent.msf").write_text("// mork summary")
    found = discover([tmp_path])
    assert [(i.kind, i.folder) for i in found.inputs] == [("mbox", "Sent")]


def test_apple_mail_bundle_and_maildir(tmp_path, corpora):
    email = corpora / "email"
    shutil.copytree(email / "apple_mail_export", tmp_path / "apple")
    shutil.copytree(email / "maildir_sample", tmp_path / "md")
    found = discover([tmp_path / "apple", tmp_path / "md"])
    assert [(i.kind, i.folder) for i in found.inputs] == [("maildir", "md"), ("mbox", "Inbox")]


def test_single_eml_file(corpora):
    path = corpora / "email" / "flanker_encoded-header.eml"
    assert [i.kind for i in discover([path]).inputs] == ["eml"]


def test_named_non_source_raises_one_sentence(tmp_path):
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not mail")
    with pytest.raises(NotAnExport, match="is not a LinkedIn export"):
        discover([junk])
    with pytest.raises(NotAnExport, match="does not exist"):
        discover([tmp_path / "missing"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NotAnExport, match="holds no LinkedIn export"):
        discover([empty])


def test_same_file_named_twice_is_read_once():
    mbox = FIXTURES / "network" / "mail" / "Inbox.mbox"
    assert len(discover([mbox, mbox.parent]).inputs) == 1
