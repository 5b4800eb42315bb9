"""Two copies of one file in one upload (copies.py): read once, the original preferred."""

from __future__ import annotations

from tests.sources.linkedin.support import FIX, rows_of
from transforms.sources.linkedin.copies import SECOND_COPY, resave_marks
from transforms.sources.linkedin.registry import read_linkedin_export


def _by_path(results) -> dict[str, object]:
    return {r.source_file.split("/linkedin/", 1)[1]: r for r in results}


def test_both_received_endorsement_files_give_the_three_endorsements_once():
    got = _by_path(read_linkedin_export(FIX / "export_endorsement_twins"))
    read = got["export_endorsement_twins/Endorsement_Received_Info.csv"]
    twin = got["export_endorsement_twins/Endorsement Received Info.csv"]  # UTF-16, tabs
    assert (twin.skipped_reason, twin.rows_in) == (SECOND_COPY, 0)
    rows = rows_of(read, "stg_linkedin_endorsements")
    assert [(r["full_name"], r["skill"], r["status"]) for r in rows] == [
        ("Ada Okafor", "SQL", "ACCEPTED"),
        ("Omar Haddad", "Python", "ACCEPTED"),
        ("Mei Li", "Data Modeling", "ACCEPTED"),
    ]


def test_an_upload_holding_one_export_twice_reads_every_row_once():
    results = read_linkedin_export(FIX / "upload_export_twice")
    assert all(r.balanced for r in results)
    got = _by_path(results)
    inner = "upload_export_twice/Complete_LinkedInDataExport_09-12-2022 (1)/"
    # the re-saved copy at the top is set aside; the original below is read
    assert got["upload_export_twice/Connections.csv"].skipped_reason == SECOND_COPY
    assert got[inner + "Connections.csv"].rows_loaded == 5
    # two messages.csv, one LF and one CRLF: the original (LF) is read
    assert got["upload_export_twice/messages.csv"].skipped_reason == SECOND_COPY
    assert got[inner + "messages.csv"].rows_loaded == 2
    loaded = [r for r in results if r.kind == "linkedin:Connections.csv" and r.rows_loaded]
    assert len(loaded) == 1


def test_resave_marks():
    resaved = FIX / "resaved"
    marks = {p.name: resave_marks(p.read_bytes()) for p in sorted(resaved.iterdir())}
    assert marks == {
        "Connections_excel_d-mon-yy.csv": 2,  # CRLF, 14-Aug-22
        "Connections_excel_dd-mm-yyyy.csv": 1,  # CRLF
        "Connections_excel_m-d-yyyy.csv": 1,
        "Connections_excel_semicolon_dotted.csv": 1,
        "Connections_pristine.csv": -1,  # LinkedIn's Notes: preamble
        "Connections_unicode_text_utf16_tab.csv": 3,  # UTF-16, CRLF, 14-Aug-22
    }
    assert resave_marks((FIX / "connections_cleaned_na_fills.csv").read_bytes()) == 1  # NA
