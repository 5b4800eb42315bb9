"""Maildir trees. Expected values read off the files by hand."""

from __future__ import annotations

import shutil

import polars as pl

from tests.sources.mail.support import CORPUS, frames, needs_corpus, utc
from transforms.sources.mail.maildir import read_maildir


@needs_corpus
def test_maildir_sample(tmp_path):
    root = tmp_path / "maildir"
    shutil.copytree(CORPUS / "maildir_sample", root)
    parsed = read_maildir(root)
    messages, _ = frames(parsed)
    assert parsed.kind == "maildir"
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 4, 0)
    rows = messages.select("folder", "from_addr").rows()
    assert sorted(rows) == [
        ("INBOX", "bob@example.com"),
        ("INBOX", "foo.bar@example.com"),
        ("INBOX", "internet-drafts@ietf.org"),
        ("Sent", "comma.name@example.com"),
    ]
    assert not any(loc.startswith("tmp") for loc in messages["location"].to_list())
    # no Date in flanker_encoded-header.eml: delivery time from the Maildir file name
    first = messages.filter(pl.col("location").str.starts_with("cur/1341500000"))
    assert first.select("sent_at", "date_source").rows() == [
        (utc(2012, 7, 5, 14, 53, 20), "delivery")
    ]


def test_maildir_draft_flag_and_delivery_time(tmp_path):
    """`D` in a Maildir file's flags marks a draft; the delivery time in its name is the
    date of a message without one. Neither comes from the headers."""
    for sub in ("cur", "new", "tmp"):
        (tmp_path / sub).mkdir()
    dated = b"From: a@x.org\nDate: Tue, 14 Mar 2023 10:22:33 +0100\nMessage-ID: <d1@x.org>\n\n"
    undated = b"From: a@x.org\nMessage-ID: <d2@x.org>\n\n"
    (tmp_path / "cur" / "1700000000.M1P1.host:2,DS").write_bytes(dated)
    (tmp_path / "cur" / "1700000001.M2P1.host:2,S").write_bytes(dated.replace(b"d1", b"d3"))
    (tmp_path / "new" / "1700000002.M3P1.host").write_bytes(undated)
    parsed = read_maildir(tmp_path)
    messages, _ = frames(parsed)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (3, 3, 0)
    rows = messages.sort("location").select("message_key", "is_draft", "sent_at", "date_source")
    assert rows.rows() == [
        ("d1@x.org", True, utc(2023, 3, 14, 9, 22, 33), "header"),
        ("d3@x.org", False, utc(2023, 3, 14, 9, 22, 33), "header"),
        # 1,700,000,002 s after the epoch: 2023-11-14 22:13:22 UTC
        ("d2@x.org", False, utc(2023, 11, 14, 22, 13, 22), "delivery"),
    ]
