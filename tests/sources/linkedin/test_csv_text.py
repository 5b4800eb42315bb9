"""CSV text (csv_text.py): decoding, and records longer than the csv module's default."""

from __future__ import annotations

from tests.sources.linkedin.support import rows_of
from transforms.sources.linkedin.connections import read_connections
from transforms.sources.linkedin.csv_text import decode_bytes
from transforms.sources.linkedin.messages import read_messages


def test_decode_bom_utf16_and_invalid_utf8():
    text = "First Name,Last Name,Connected On\nZoë,Ng,05 Feb 2014\n"
    for data in (
        b"\xef\xbb\xbf" + text.encode(),
        b"\xff\xfe" + text.encode("utf-16-le"),
    ):
        (row,) = rows_of(
            read_connections(decode_bytes(data), "/t/C.csv"), "stg_linkedin_connections"
        )
        assert row["first_name"] == "Zoë"
    bad = b"First Name,Last Name,Connected On\nZo\xff,Ng,05 Feb 2014\n"
    (row,) = rows_of(read_connections(decode_bytes(bad), "/t/C.csv"), "stg_linkedin_connections")
    assert row["first_name"] == "Zo\ufffd"
    # a BOM left in the text itself is tolerated too
    (row,) = rows_of(read_connections("\ufeff" + text, "/t/C.csv"), "stg_linkedin_connections")
    assert row["last_name"] == "Ng"


def test_long_multiline_field_is_one_record():
    content = "word " * 40_000 + "\n" + "more " * 10_000  # 250 kB, past csv's default limit
    text = f'FROM,TO,DATE,CONTENT\nA,B,2023-01-01 00:00:00 UTC,"{content}"\nC,D,bad,x\n'
    parsed = read_messages(text, "/t/messages.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 1, 1)
    assert parsed.rejects["location"].to_list() == ["line 4"]
