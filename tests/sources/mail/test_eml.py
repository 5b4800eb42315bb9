"""Single .eml files. Expected values read off the files by hand."""

from __future__ import annotations

import os

import polars as pl

from tests.sources.mail.support import CORPUS, FIXTURES, frames, needs_corpus, utc
from transforms.sources.mail.eml import read_eml


@needs_corpus
def test_encoded_comma_display_name():
    path = CORPUS / "mailparser_encoded_comma.eml"
    parsed = read_eml(path)
    messages, participants = frames(parsed)
    assert parsed.kind == "eml"
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (1, 1, 0)
    assert messages.select("location", "from_addr", "sent_at", "date_source").rows() == [
        (str(path), "comma.name@example.com", utc(2025, 11, 3, 17, 23), "header")
    ]
    assert messages["message_id"][0] is None  # no Message-ID header
    assert participants.select("role", "address", "display_name").rows() == [
        ("from", "comma.name@example.com", "LastßlName, FirstName"),
        ("to", "tony.stark@example.com", "tony.stark@example.com"),
        ("cc", "simple@example.net", None),
        ("cc", "john.doe@example.com", 'John "Johnny" Doe'),
    ]


@needs_corpus
def test_raw_latin1_and_mixed_bytes_decode_without_replacement_chars():
    _, p1 = frames(read_eml(CORPUS / "flanker_from-encoding.eml"))
    assert p1.filter(pl.col("role") == "from")["display_name"].to_list() == ["Ingo Lütkebohle"]
    # valid UTF-8 Cyrillic followed by one stray byte 0xF1: UTF-8 part kept, stray byte cp1252
    _, p2 = frames(read_eml(CORPUS / "flanker_mailformed-headers.eml"))
    name = p2.filter(pl.col("role") == "from")["display_name"][0]
    assert name == "Юникод запрещенñ"


@needs_corpus
def test_group_address_and_comment_name():
    _, p = frames(read_eml(CORPUS / "cpython_msg_36_group_address.eml"))
    assert p["role"].to_list() == ["from"]  # To: IETF-Announce:; adds nobody, no reject
    _, p = frames(read_eml(CORPUS / "cpython_msg_01_comment_name.eml"))
    assert p.filter(pl.col("role") == "from").select("address", "display_name").rows() == [
        ("bbb@ddd.com", "John X. Doe")
    ]


@needs_corpus
def test_gb2312_name_and_localhost_delivered_to_is_a_reject_row():
    parsed = read_eml(CORPUS / "mailparser_gb2312_raw_utf8_to.eml")
    messages, participants = frames(parsed)
    assert parsed.rows_loaded == 1
    assert messages["sent_at"][0] == utc(2018, 5, 13, 4, 32, 22)  # 12:32:22 +0800
    assert participants.filter(pl.col("role") == "from")["display_name"][0] == "张先生"
    assert parsed.rejects["reason"].to_list() == [
        "invalid address in Delivered-To: invalid address: The part after the @-sign is not "
        "valid. It should have a period."
    ]


@needs_corpus
def test_bounce_report_is_bulk():
    messages, _ = frames(read_eml(CORPUS / "mailparser_bounce_report.eml"))
    assert messages.select("is_bulk", "bulk_reason").rows() == [(True, "return-path <>")]


def test_leading_from_line_dropped_and_subject_decoded():
    path = FIXTURES / "with_from_line.eml"
    parsed = read_eml(path, folder="Exports")
    messages, participants = frames(parsed)
    assert messages.select("location", "folder", "from_addr", "sent_at", "subject").rows() == [
        (str(path), "Exports", "ana@example.org", utc(2024, 1, 8, 9), "Café")
    ]
    assert messages["message_key"][0].startswith("sha1:")
    assert participants.select("role", "address", "display_name").rows() == [
        ("from", "ana@example.org", "Ana Lopez"),
        ("to", "owner@example.com", "Owner Example"),
    ]


def test_eml_without_date_uses_mtime(tmp_path):
    path = tmp_path / "note.eml"
    path.write_bytes(b"From: Ana Lopez <ana@example.org>\r\nSubject: x\r\n\r\nbody\r\n")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    messages, _ = frames(read_eml(path))
    assert messages.select("sent_at", "date_source", "folder").rows() == [
        (utc(2023, 11, 14, 22, 13, 20), "mtime", tmp_path.name)
    ]


def test_eml_without_sender_is_rejected(tmp_path):
    path = tmp_path / "bad.eml"
    path.write_bytes(b"Subject: no sender\n\nbody\n")
    parsed = read_eml(path)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (1, 0, 1)
    assert parsed.rejects.select("location", "reason").rows() == [
        (str(path), "no usable sender address")
    ]
