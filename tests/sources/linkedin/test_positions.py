"""Positions.csv (positions.py): month dates, the current role, trimmed companies."""

from __future__ import annotations

from datetime import date

from tests.sources.linkedin.support import read_fixture
from transforms.sources.linkedin.positions import read_positions


def test_positions_current_role_trimmed_company_and_bad_date():
    parsed = read_fixture(read_positions, "positions_current_role_bad_date.csv")
    assert (parsed.rows_in, parsed.rows_loaded, parsed.rows_rejected) == (4, 3, 1)
    rows = parsed.tables["stg_linkedin_positions"].drop("source_file").rows()
    assert rows == [
        ("line 2", "Acme Analytics", "Data Engineer", "Berlin, Germany", date(2024, 1, 1), None),
        ("line 3", "Globex, Inc.", "Analyst", None, date(2019, 3, 1), date(2023, 12, 1)),
        ("line 4", "Initech", "Intern", None, date(2017, 1, 1), date(2018, 1, 1)),
    ]
    assert parsed.rejects.select("location", "reason").rows() == [
        ("line 5", "unparseable Started On 'Smarch 2016'")
    ]
