"""`kith` as a user runs it: a separate process, the real console script entry point."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]


def kith(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KITH_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_run_on_the_sample_then_query_it(tmp_path):
    db = tmp_path / "kith.duckdb"
    done = kith("run", "--db", str(db), "--as-of", "2026-11-01", home=tmp_path / "home")
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"people \d+, interactions \d+", done.stdout)
    con = duckdb.connect(str(db), read_only=True)
    try:
        n_people = con.execute("select count(*) from people").fetchall()[0][0]
        core = {
            t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
            for t in (
                "people",
                "person_identities",
                "interactions",
                "contact_recency",
                "reciprocity",
            )
        }
    finally:
        con.close()
    assert all(n > 0 for n in core.values()), core
    assert db.stat().st_mode & 0o777 == 0o600

    query = kith("sql", "--db", str(db), "select count(*) as n from people", home=tmp_path)
    assert query.returncode == 0, query.stderr
    assert re.search(rf"\b{n_people}\b", query.stdout)


def test_a_path_that_is_no_source_is_one_sentence_and_exit_2(tmp_path):
    junk = tmp_path / "notes.pdf"
    junk.write_bytes(b"%PDF-1.4 not mail")
    done = kith("run", str(junk), "--db", str(tmp_path / "w.duckdb"), home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"kith: {junk} is not a LinkedIn export (.zip or folder), an mbox, .eml or Maildir"
    ]
    assert not (tmp_path / "w.duckdb").exists()


def test_bad_as_of_and_missing_warehouse_are_clear_errors(tmp_path):
    bad = kith("run", "--as-of", "yesterday", home=tmp_path)
    assert bad.returncode == 2
    assert "is not a date" in bad.stderr and "Traceback" not in bad.stderr
    missing = kith("sql", "--db", str(tmp_path / "none.duckdb"), "select 1", home=tmp_path)
    assert missing.returncode == 2
    assert "run `kith run` first" in missing.stderr


def test_sql_error_is_reported_not_a_traceback(tmp_path):
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    done = kith("sql", "--db", str(db), "select * from no_such_table", home=tmp_path)
    assert done.returncode == 1
    assert "no_such_table" in done.stderr and "Traceback" not in done.stderr
