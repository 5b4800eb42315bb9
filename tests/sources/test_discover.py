"""Source discovery: kinds come from content, folders are walked, non-sources are named."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from transforms.sources.discover import NotAnExport, discover, for_run

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


def test_thunderbird_profile_tree(tmp_path):
    mail = FIXTURES / "mail"
    local = tmp_path / "Mail" / "Local Folders"
    (local / "Inbox.sbd" / "Work.sbd").mkdir(parents=True)
    shutil.copy(mail / "bulk.mbox", local / "Inbox")
    shutil.copy(mail / "bulk.mbox", local / "Inbox.sbd" / "Work")
    shutil.copy(mail / "bulk.mbox", local / "Inbox.sbd" / "Work.sbd" / "2024")
    for msf in ("Inbox.msf", "Inbox.sbd/Work.msf", "Inbox.sbd/Work.sbd/2024.msf"):
        (local / msf).write_text('// <!-- <mdb:mork:z v="1.4"/> -->')
    (local / "msgFilterRules.dat").write_text('version="9"')
    found = discover([tmp_path])
    assert [(i.kind, i.folder) for i in found.inputs] == [
        ("mbox", "Inbox"),
        ("mbox", "Inbox/Work"),
        ("mbox", "Inbox/Work/2024"),
    ]
    assert sorted(Path(p).name for p, _ in found.skipped) == [
        "2024.msf",
        "Inbox.msf",
        "Work.msf",
        "msgFilterRules.dat",
    ]


def test_takeout_zip_is_one_mbox_input(tmp_path):
    import zipfile

    archive = tmp_path / "takeout-001.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Takeout/Mail/Inbox.mbox", (FIXTURES / "mail" / "bulk.mbox").read_bytes())
    found = discover([archive])
    assert [(i.kind, i.path.name, i.folder) for i in found.inputs] == [
        ("mbox", "takeout-001.zip", None)
    ]


def test_calendars_and_address_books_by_content(tmp_path):
    shutil.copy(FIXTURES / "calendar" / "outlook_work_windows_zone.ics", tmp_path / "work.ics")
    shutil.copy(FIXTURES / "contacts" / "apple_v4.vcf", tmp_path / "contacts.txt")
    (tmp_path / "x.ics").write_text("not a calendar")
    found = discover([tmp_path])
    assert [(i.kind, i.path.name) for i in found.inputs] == [
        ("calendar", "work.ics"),
        ("vcard", "contacts.txt"),
    ]
    assert [Path(p).name for p, _ in found.skipped] == ["x.ics"]


def test_a_takeout_zip_is_one_input_per_kind(tmp_path):
    archive = tmp_path / "takeout-20261101T000000Z-001.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(FIXTURES / "network" / "mail" / "Inbox.mbox", "Takeout/Mail/All mail.mbox")
        zf.write(
            FIXTURES / "calendar" / "outlook_work_windows_zone.ics", "Takeout/Calendar/Work.ics"
        )
        zf.write(FIXTURES / "contacts" / "Starred.vcf", "Takeout/Contacts/Starred/Starred.vcf")
    found = discover([archive, archive])
    assert [(i.kind, i.path) for i in found.inputs] == [
        ("calendar", archive),
        ("mbox", archive),
        ("vcard", archive),
    ]
    only_contacts = tmp_path / "contacts.zip"
    with zipfile.ZipFile(only_contacts, "w") as zf:
        zf.write(FIXTURES / "contacts" / "Starred.vcf", "Takeout/Contacts/Starred/Starred.vcf")
    assert [i.kind for i in discover([only_contacts]).inputs] == ["vcard"]


def test_a_run_sets_each_calendars_horizon_and_bots():
    found = discover([FIXTURES / "calendar" / "broken_events.ics", FIXTURES / "contacts"])
    ready = for_run(found, date(2028, 1, 1), ("notes.example.com",))
    assert [(i.kind, i.horizon, i.bots) for i in ready.inputs] == [
        ("calendar", "2028-01-01", ("notes.example.com",)),
        ("vcard", None, ()),
        ("vcard", None, ()),
        ("vcard", None, ()),
        ("vcard", None, ()),
    ]
