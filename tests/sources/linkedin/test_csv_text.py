"""CSV text (csv_text.py): decoding, and records longer than the csv module's default."""

from __future__ import annotations

from tests.sources.linkedin.support import rows_of
from transforms.sources.linkedin.connections import read_connections
from transforms.sources.linkedin.csv_text import decode_bytes, iter_records, unnull, utf16_order
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


def test_utf16_is_found_by_its_nul_bytes_without_a_bom():
    text = "First Name\tLast Name\tConnected On\nZoë\tNg\t05 Feb 2014\n"
    assert utf16_order(text.encode("utf-16-le")) == "utf-16-le"
    assert utf16_order(text.encode("utf-16-be")) == "utf-16-be"
    assert utf16_order(text.encode()) is None
    for data in (text.encode("utf-16-le"), text.encode("utf-16-be")):
        (row,) = rows_of(
            read_connections(decode_bytes(data), "/t/C.csv"), "stg_linkedin_connections"
        )
        assert (row["first_name"], row["last_name"]) == ("Zoë", "Ng")


def test_the_delimiter_is_the_one_the_text_uses():
    assert [r.fields for r in iter_records("a;b;c\n1;2;3\n")] == [["a", "b", "c"], ["1", "2", "3"]]
    assert [r.fields for r in iter_records('"a"\t"b, c"\n"1"\t"2"\n')] == [
        ["a", "b, c"],
        ["1", "2"],
    ]
    # a Notes: preamble's quoted sentence holds commas only inside its quotes
    text = 'Notes:\n"x, y; z"\n\nA,B\n1,2\n'
    assert [r.fields for r in iter_records(text)][-1] == ["1", "2"]


def test_fills_for_nothing_read_as_empty():
    assert [unnull(v) for v in ("NA", " N/A ", "null", "#N/A", "Na", "NAN", "")] == [
        "", "", "", "", "Na", "NAN", ""
    ]  # fmt: skip
