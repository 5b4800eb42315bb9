"""Spreadsheet re-saves and hand-trimmed copies of Connections.csv: the same rows and dates
as the original, whatever the line ends, separator, encoding or date spelling.

Each file in fixtures/linkedin/resaved/ is the pristine file of a 2022 export re-saved the
way the format notes describe (or a locale's spreadsheet would): expected values are the
pristine file's, written out by hand below.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.sources.linkedin.support import FIX, read_fixture, rows_of
from transforms.sources.linkedin.connections import read_connections

COLUMNS = ("first_name", "last_name", "email", "company", "position", "connected_at")
PRISTINE = [
    ("Ada", "Okafor, PhD", None, "Acme, Inc.", 'Lead "Platform" Engineer', (2022, 8, 14)),
    ("Bo ", "Li", None, "Initech", "Analyst", (2022, 9, 9)),  # trailing space kept
    (None, None, None, None, None, (2022, 9, 3)),  # a hidden profile
    ("Mei", "Li", "Mei.Li@Example.com", "Globex", None, (2019, 3, 2)),
    ("Tomas", "Novak", None, None, "Consultant", (2019, 3, 6)),
]
EXPECTED = [(*row[:5], datetime(*row[5], tzinfo=UTC)) for row in PRISTINE]


def _rows(name: str) -> list[tuple]:
    parsed = read_fixture(read_connections, f"resaved/{name}")
    assert parsed.rows_rejected == 0
    return [tuple(r[c] for c in COLUMNS) for r in rows_of(parsed, "stg_linkedin_connections")]


@pytest.mark.parametrize(
    "name",
    [
        "Connections_pristine.csv",  # Notes: preamble, LF, no final newline, 14 Aug 2022
        "Connections_excel_d-mon-yy.csv",  # no preamble, CRLF, 14-Aug-22 and 9-Sep-22
        "Connections_excel_dd-mm-yyyy.csv",  # 14/08/2022: the column says day first
        "Connections_excel_m-d-yyyy.csv",  # 8/14/2022: the column says month first
        "Connections_excel_semicolon_dotted.csv",  # ; separated, 14.08.2022
        "Connections_unicode_text_utf16_tab.csv",  # UTF-16LE, tabs, CRLF
    ],
)
def test_every_resave_gives_the_pristine_rows_and_dates(name):
    assert _rows(name) == EXPECTED


def test_the_day_month_order_comes_from_the_whole_column_not_the_row():
    # 09/09, 03/09, 02/03 and 06/03 alone could be either; 14/08 on the first row decides
    # for all of them, and 8/14 decides the other way in the month-first copy
    day_first = _rows("Connections_excel_dd-mm-yyyy.csv")
    month_first = _rows("Connections_excel_m-d-yyyy.csv")
    assert [r[5].date().isoformat() for r in day_first] == [
        "2022-08-14", "2022-09-09", "2022-09-03", "2019-03-02", "2019-03-06"
    ]  # fmt: skip
    assert day_first == month_first


def test_connection_keys_are_the_same_in_the_pristine_file_and_its_resave():
    keys = {}
    for name in ("Connections_pristine.csv", "Connections_excel_d-mon-yy.csv"):
        parsed = read_fixture(read_connections, f"resaved/{name}")
        keys[name] = parsed.tables["stg_linkedin_connections"]["connection_key"].to_list()
    assert (
        keys["Connections_pristine.csv"]
        == keys["Connections_excel_d-mon-yy.csv"]
        == [
            "2022-08-14|ada okafor, phd",
            "2022-09-09|bo li",
            None,  # hidden: no name, no key
            "2019-03-02|mei li",
            "2019-03-06|tomas novak",
        ]
    )


def test_na_fills_are_empty_and_nobody_is_named_na():
    parsed = read_fixture(read_connections, "connections_cleaned_na_fills.csv")
    rows = [
        (r["first_name"], r["last_name"], r["full_name"], r["email"], r["company"], r["position"])
        for r in rows_of(parsed, "stg_linkedin_connections")
    ]
    assert rows == [
        ("Ada", "Okafor", "Ada Okafor", None, "Acme", None),
        ("Bo", None, "Bo", None, None, None),
        ("Cy", "Na", "Cy Na", None, None, "Engineer"),  # "Na" is a family name; N/A, null
    ]


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("connections_bom_two_empty_lines.csv", ["line 4", "line 5"]),  # EF BB BF 0A 0A
        ("connections_crlf_bare_lf_last.csv", ["line 2", "line 3"]),
    ],
)
def test_hand_trimmed_preambles(name, lines):
    raw = (FIX / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf\n\n") or raw.endswith(b'Sales",09 Oct 2022\n')
    parsed = read_fixture(read_connections, name)
    rows = rows_of(parsed, "stg_linkedin_connections")
    assert [r["location"] for r in rows] == lines
    assert [
        (r["full_name"], r["position"], r["connected_at"].date().isoformat()) for r in rows
    ] == [
        ("Ines Duarte", "Architect", "2022-10-10"),
        ("Omar Haddad", "VP, Sales", "2022-10-09"),
    ]
