"""Whole runs on hand-made LinkedIn exports shaped like real ones: every run succeeds, one
owner, every named connection row a person, the same answer for a pristine export and its
re-save, AI assistants nowhere, and one person per connection across three exports.

Expected values come from the fixtures themselves, counted here independently of the code
(Connections rows read with the csv module), or from the hand-made truth of
fixtures/linkedin/three_exports/truth.csv (every named row of the three exports and the
person it is).
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from datetime import date
from itertools import combinations
from pathlib import Path

import duckdb
import pytest

from flows.nightly import run_in_process
from transforms.run.spec import new_run

FIX = Path(__file__).resolve().parent / "fixtures" / "linkedin"
THREE = FIX / "three_exports"
IN = "https://www.linkedin.com/in/"


def run(db: Path, sources: list[Path]) -> dict:
    return run_in_process(new_run(sources, db, [], date(2026, 11, 1)))


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def person_with(db: Path, value: str) -> str:
    """The person holding the key `value`."""
    ((person,),) = query(db, f"select person_id from person_identities where value = '{value}'")
    return person


def named_rows(connections_csv: Path) -> int:
    """Rows of a Connections.csv with a name, URL or e-mail: counted with the csv module."""
    text = connections_csv.read_bytes().decode("utf-8-sig")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[start:]))))
    keys = ("First Name", "Last Name", "URL", "Email Address")
    return sum(1 for r in rows if any((r.get(k) or "").strip() for k in keys))


CONNECTION_PEOPLE = (
    "select count(distinct person_id) from interactions where channel = 'linkedin_connection'"
)


@pytest.mark.parametrize(
    "export",
    [
        "export_2021_no_url",
        "three_exports/A_2021-06",
        "three_exports/B_2023-08",
        "three_exports/C_2024-12",
        "export_second_account",
        "export_2024_12_assistants",
    ],
)
def test_every_named_connection_row_is_one_person(tmp_path, export):
    db = tmp_path / "kith.duckdb"
    result = run(db, [FIX / export])
    assert query(db, CONNECTION_PEOPLE) == [(named_rows(FIX / export / "Connections.csv"),)]
    assert query(db, "select count(*) from people where is_owner") == [(1,)]
    assert all(f["rows_in"] == f["rows_loaded"] + f["rows_rejected"] for f in result["files"])


def test_a_2021_export_without_urls_is_every_connection_and_names_join_senders(tmp_path):
    db = tmp_path / "kith.duckdb"
    run(db, [FIX / "export_2021_no_url"])
    people = query(
        db,
        "select p.display_name, list(i.value order by i.value) as ids from people p "
        "join person_identities i using (person_id) where i.kind != 'name' and not p.is_owner "
        "group by p.person_id, p.display_name order by p.display_name, ids",
    )
    assert people == [
        ("Jane Doe", ["2020-01-15|jane doe"]),  # two namesakes connected on one day
        ("Jane Doe", ["2020-01-15|jane doe#2"]),
        ("John Smith", ["2016-03-01|john smith"]),
        ("John Smith", ["2018-07-12|john smith"]),
        # the sender "John Smith" could be either connection: kept apart from both
        ("John Smith", [IN + "john-smith-1"]),
        ("Lee Chan", ["lee.chan@example.com"]),
        ("Mei Li", ["2021-05-20|mei li", IN + "mei-li-9f8e7d"]),
        ("Robert Chen", ["2020-03-12|robert chen", IN + "robert-chen-nyc"]),
    ]
    # the hidden row is a connection, counted, not a person
    assert query(db, "select sum(hidden_connections) from network_growth") == [(1,)]


RESAVES = [
    "Connections_excel_d-mon-yy.csv",
    "Connections_excel_dd-mm-yyyy.csv",
    "Connections_excel_m-d-yyyy.csv",
    "Connections_excel_semicolon_dotted.csv",
    "Connections_unicode_text_utf16_tab.csv",
]
CONNECTED = (
    "select p.person_id, p.display_name, i.occurred_at from interactions i "
    "join people p using (person_id) where i.channel = 'linkedin_connection' order by all"
)


@pytest.mark.parametrize("resave", RESAVES)
def test_a_pristine_export_and_its_resave_give_the_same_connections_and_dates(tmp_path, resave):
    got = {}
    for name, connections in (("pristine", "Connections_pristine.csv"), ("resaved", resave)):
        export = tmp_path / name
        export.mkdir()
        shutil.copy(FIX / "resaved" / connections, export / "Connections.csv")
        shutil.copy(FIX / "messages_9col_2021_owner_sender.csv", export / "messages.csv")
        db = tmp_path / f"{name}.duckdb"
        run(db, [export])
        got[name] = query(db, CONNECTED)
    assert got["resaved"] == got["pristine"]
    assert sorted((n, t.date().isoformat()) for _, n, t in got["pristine"]) == [
        ("Ada Okafor, PhD", "2022-08-14"),
        ("Bo Li", "2022-09-09"),
        ("Mei Li", "2019-03-02"),
        ("Tomas Novak", "2019-03-06"),
    ]


def test_ai_assistants_drafts_and_events_make_no_person_and_no_count(tmp_path):
    db = tmp_path / "kith.duckdb"
    result = run(db, [FIX / "export_2024_12_assistants"])
    assert query(db, "select display_name, is_owner from people order by all") == [
        ("Ines Duarte", False),
        ("Omar Haddad", False),
        ("Pat Owner", True),
    ]
    messages = query(
        db,
        "select p.display_name, i.direction, i.thread_id, i.occurred_at::date::varchar "
        "from interactions i join people p using (person_id) "
        "where i.channel = 'linkedin_message' order by all",
    )
    assert messages == [  # the four drafts count nowhere; no conversation without an id
        ("Ines Duarte", "received", "2-SU5FUw==", "2024-11-27"),
        ("Ines Duarte", "sent", "2-SU5FUw==", "2024-11-26"),
        ("Omar Haddad", "received", "2-T01BUg==", "2024-11-20"),
    ]
    assert query(db, "select count(*) from stg_linkedin_assistant_messages") == [(4,)]
    assert query(db, "select count(*) from stg_linkedin_events") == [(2,)]
    notes = {Path(f["source_file"]).name: f["note"] for f in result["files"]}
    assert notes["coach_messages.csv"] == "AI assistant conversations: no person, not counted"


def test_an_export_that_never_shows_its_owner_runs_with_one_unnamed_owner(tmp_path):
    db = tmp_path / "kith.duckdb"
    run(db, [FIX / "export_owner_invisible"])
    assert query(db, "select display_name, n_identities from people where is_owner") == [(None, 1)]
    assert query(db, "select count(*) from people where not is_owner") == [(2,)]


def test_the_owners_second_account_is_a_contact_and_the_owner_is_one(tmp_path):
    db = tmp_path / "kith.duckdb"
    run(db, [FIX / "export_second_account"])
    assert query(db, "select count(*) from people where is_owner") == [(1,)]
    events = query(
        db,
        "select channel, direction, count(*) from interactions "
        f"where person_id = '{person_with(db, IN + 'doejane')}' group by all order by all",
    )
    assert events == [
        ("linkedin_connection", "mutual", 1),
        ("linkedin_endorsement", "received", 1),
        ("linkedin_endorsement", "sent", 3),
        ("linkedin_invitation", "sent", 1),  # From = To = Jane Doe: she invited herself
        ("linkedin_message", "received", 1),
        ("linkedin_message", "sent", 3),
        ("linkedin_recommendation", "sent", 1),
    ]


def test_another_accounts_invitations_are_set_aside_and_the_run_is_partial(tmp_path):
    db = tmp_path / "kith.duckdb"
    result = run(db, [FIX / "upload_foreign_invitations"])
    assert query(db, "select display_name from people where is_owner") == [("Pat Owner",)]
    assert query(db, "select status from pipeline_runs") == [("partial",)]
    refused = [f for f in result["files"] if f["skipped_reason"] and f["rows_in"]]
    assert [Path(f["source_file"]).name for f in refused] == ["Invitations.csv"]


# -- three exports of one owner ---------------------------------------------------------------


def truth() -> dict[tuple[str, int], str]:
    with open(THREE / "truth.csv", newline="", encoding="utf-8") as fh:
        return {(r["export"], int(r["line"])): r["truth_id"] for r in csv.DictReader(fh)}


ROW_PERSON = """
select c.source_file, c.location, coalesce(u.person_id, e.person_id, k.person_id)
from stg_linkedin_connections c
left join person_identities u on u.kind = 'linkedin_url' and u.value = c.profile_url
left join person_identities e on e.kind = 'email' and e.value = lower(trim(c.email))
left join person_identities k on k.kind = 'linkedin_connection' and k.value = c.connection_key
"""


def row_people(db: Path) -> dict[tuple[str, int], str | None]:
    """(export folder, line) -> the person of every Connections row."""
    return {
        (Path(f.rsplit("!", 1)[-1]).parent.name, int(loc.split()[1])): p
        for f, loc, p in query(db, ROW_PERSON)
    }


def pair_scores(found: dict, expected: dict) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) over pairs of named rows."""
    tp = fp = fn = 0
    for a, b in combinations(sorted(expected), 2):
        same_truth = expected[a] == expected[b]
        same_found = found.get(a) is not None and found.get(a) == found.get(b)
        tp += same_truth and same_found
        fp += same_found and not same_truth
        fn += same_truth and not same_found
    return tp, fp, fn


EXPORTS = [THREE / "A_2021-06", THREE / "B_2023-08", THREE / "C_2024-12"]


def test_three_exports_together_keep_one_person_per_connection(tmp_path):
    db = tmp_path / "kith.duckdb"
    run(db, EXPORTS)
    expected = truth()
    found = row_people(db)
    # every truth pair found, no false merge: precision = recall = F1 = 1 on this fixture
    assert pair_scores(found, expected) == (60, 0, 0)
    assert len({found[k] for k in expected}) == len(set(expected.values())) == 30
    assert query(db, "select count(*) from people where is_owner") == [(1,)]
    # a pending invitation seen by member URN (2023) and by URL (2024) is one person
    zed = person_with(db, IN + "zed-fox")
    assert zed == person_with(db, "urn:li:member:555")


def test_three_exports_on_successive_nights_keep_their_people_and_ids(tmp_path):
    db = tmp_path / "kith.duckdb"
    expected = truth()
    ids: list[dict] = []
    for night in range(1, 4):
        run(db, EXPORTS[:night])
        ids.append(row_people(db))
    # each night, a row read the night before keeps its person id
    for before, after in zip(ids, ids[1:], strict=False):
        assert {k: after[k] for k in before} == before
    assert pair_scores(ids[-1], expected) == (60, 0, 0)


def test_a_zipped_export_reads_as_its_folder(tmp_path):
    zpath = tmp_path / "Basic_LinkedInDataExport_12-10-2024.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(EXPORTS[2].iterdir()):
            zf.write(file, file.name)
    folder_db, zip_db = tmp_path / "folder.duckdb", tmp_path / "zip.duckdb"
    run(folder_db, [EXPORTS[2]])
    run(zip_db, [zpath])
    assert query(zip_db, CONNECTED) == query(folder_db, CONNECTED)
