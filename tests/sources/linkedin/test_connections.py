"""Connections.csv (connections.py): one fixture per format quirk, values worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.linkedin.support import FIX, IN, read_fixture, rows_of
from transforms.sources.linkedin.connections import read_connections


def _conn(name: str):
    parsed = read_fixture(read_connections, name)
    return parsed, rows_of(parsed, "stg_linkedin_connections")


def test_connections_preamble_7col_quoted_hidden_no_final_newline():
    name = "connections_notes_preamble_7col_quoted_hidden_no_final_newline.csv"
    assert not (FIX / name).read_bytes().endswith(b"\n")
    parsed, rows = _conn(name)
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 4, 0)
    assert parsed.kind == "linkedin:Connections.csv"
    assert [r["location"] for r in rows] == ["line 5", "line 6", "line 7", "line 8"]
    ada, hidden, mei, tomas = rows
    assert ada["first_name"] == "Ada"
    assert ada["last_name"] == "Okafor, PhD"
    assert ada["full_name"] == "Ada Okafor, PhD"
    assert ada["profile_url"] == IN + "ada-okafor-1a2b3c"
    assert ada["email"] is None
    assert ada["company"] == "Acme, Inc."
    assert ada["position"] == 'Lead "Platform" Engineer'
    assert ada["connected_at"] == datetime(2014, 2, 5, tzinfo=UTC)
    # hidden profile: loaded, no identity
    assert hidden["connected_at"] == datetime(2023, 9, 3, tzinfo=UTC)
    for col in ("first_name", "last_name", "full_name", "profile_url", "email", "company"):
        assert hidden[col] is None
    # percent-encoded CJK slug decoded; single-space position → null; email as written
    assert mei["profile_url"] == IN + "mei-李-9f8e7d"
    assert mei["email"] == "Mei.Li@Example.com"
    assert mei["position"] is None
    assert mei["connected_at"] == datetime(2021, 6, 17, tzinfo=UTC)
    # mixed-case slug folded
    assert tomas["profile_url"] == IN + "tomas-novak-42"
    assert tomas["connected_at"] == datetime(2023, 12, 1, tzinfo=UTC)


def test_connections_6col_no_url_pre2021():
    parsed, rows = _conn("connections_6col_no_url_pre2021.csv")
    assert (parsed.rows_in, parsed.rows_loaded) == (2, 2)
    first, second = rows
    assert first["location"] == "line 2"
    assert first["full_name"] == "Robert Chen"
    assert first["profile_url"] is None
    assert first["company"] == "Initech"
    assert first["position"] == "Analyst"
    assert first["connected_at"] == datetime(2020, 3, 12, tzinfo=UTC)
    assert second["last_name"] == "Chen, CFA"
    assert second["full_name"] == "Robert Chen, CFA"
    assert second["email"] == "robert.chen@example.com"
    assert second["position"] is None
    assert second["connected_at"] == datetime(2019, 1, 2, tzinfo=UTC)


def test_connections_2018_us_dates_with_narrow_nbsp():
    parsed, rows = _conn("connections_2018_us_dates.csv")
    assert parsed.rows_loaded == 2
    assert rows[0]["connected_at"] == datetime(2018, 1, 8, 18, 14, tzinfo=UTC)
    assert rows[0]["email"] == "lena.berg@example.org"
    assert rows[1]["connected_at"] == datetime(2017, 12, 31, 11, 5, tzinfo=UTC)
    assert rows[1]["position"] == "VP, Sales"


def test_connections_blank_physical_lines_are_not_rows_crlf():
    parsed, rows = _conn("connections_blank_lines_crlf.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 2, 0)
    assert [r["location"] for r in rows] == ["line 3", "line 6"]
    assert rows[0]["profile_url"] == IN + "ines-duarte"
    assert rows[0]["connected_at"] == datetime(2022, 10, 10, tzinfo=UTC)
    assert rows[1]["full_name"] is None
    assert rows[1]["connected_at"] == datetime(2022, 10, 9, tzinfo=UTC)


def test_connections_unicode_names_and_spacing_kept_as_written():
    parsed, rows = _conn("connections_unicode_names_spacing.csv")
    assert parsed.rows_loaded == 4
    jose, jha, jian, mary = rows
    assert (jose["first_name"], jose["last_name"]) == ("José", "Guallar 🌐")
    assert jose["full_name"] == "José Guallar 🌐"
    assert jose["profile_url"] == IN + "josé-guallar-🌐"
    assert jose["company"] == "Café Ñandú ™"
    assert jha["first_name"] == "𝕁𝕙𝕒"
    assert jha["profile_url"] == IN + "khushi-𝕁𝕙𝕒-1a437028a"
    assert jian["last_name"] == "王 "
    assert jian["full_name"] == "健 王"
    assert mary["first_name"] == "Mary  Ann"
    assert mary["full_name"] == "Mary Ann OKONKWO"
    assert mary["connected_at"] == datetime(2024, 1, 17, tzinfo=UTC)


def test_connections_missing_required_column_rejects_whole_file():
    parsed = read_fixture(read_connections, "connections_missing_connected_on_column.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (2, 0, 2)
    assert parsed.rejects.to_dicts() == [
        {
            "source_file": str(FIX / "connections_missing_connected_on_column.csv"),
            "location": "file",
            "reason": "unknown layout: first name, last name, url, email address, company, "
            "position; needs 'Connected On'",
        }
    ]
    assert parsed.skipped_reason == parsed.rejects["reason"][0]


def test_connections_bad_date_row_rejected_with_raw_value():
    parsed, rows = _conn("connections_bad_date_row.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (3, 2, 1)
    assert parsed.rejects.select("location", "reason").to_dicts() == [
        {"location": "line 3", "reason": "unparseable Connected On '31 Foo 2020'"}
    ]
    assert rows[1]["connected_at"] == datetime(2020, 7, 4, tzinfo=UTC)  # ISO, defensively


def test_connections_header_without_preamble_and_unknown_column_ignored():
    text = "First Name,Extra,Last Name,Connected On\nAda,zzz,Okafor,05 Feb 2014\n"
    parsed = read_connections(text, "/t/Connections.csv")
    (row,) = rows_of(parsed, "stg_linkedin_connections")
    assert (row["first_name"], row["last_name"]) == ("Ada", "Okafor")


def test_connections_no_header_at_all_is_whole_file_reject():
    parsed = read_connections("hello,world\n1,2\n", "/t/Connections.csv")
    assert parsed.balanced and parsed.rows_loaded == 0
    # the first line is taken for a header; naming no known column, it is not listed (it
    # could be a row of data: names never appear in a reason)
    assert parsed.rejects["reason"].to_list() == [
        "unknown layout: no known column in its first 20 lines (2 columns); needs 'First Name'"
    ]
