"""`kith` as a user runs it: a separate process, the real console script entry point."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow  # starts processes

REPO = Path(__file__).resolve().parents[2]


def kith(*args: str, home: Path) -> subprocess.CompletedProcess:
    """`kith ARGS` as a user runs it, on the session's Prefect server when there is one."""
    env = {**os.environ, "KITH_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def personal_values() -> list[str]:
    """Every name, address and profile URL of the shipped sample (from its truth file)."""
    with open(REPO / "data" / "sample" / "truth.csv", newline="", encoding="utf-8") as fh:
        values = [row["value"] for row in csv.DictReader(fh)]
    return sorted({v for v in values if len(v) >= 8})


def test_run_on_the_sample_then_query_it(prefect_server, tmp_path):
    db = tmp_path / "kith.duckdb"
    home = tmp_path / "home"
    env = {**os.environ, "KITH_HOME": str(home)}
    first = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", "--db", str(db), "--as-of", "2026-11-01"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = home / "kith.lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip()):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    second = kith("run", "--db", str(db), home=home)
    assert second.returncode == 3
    assert second.stderr.strip() == (f"kith: another kith run (pid {first.pid}) is in progress")
    stdout, stderr = first.communicate(timeout=600)
    done = subprocess.CompletedProcess(first.args, first.returncode, stdout, stderr)
    assert done.returncode == 0, done.stderr[-2000:]

    # Nothing personal in the console output or anywhere in the Prefect server's database.
    server_home = prefect_server.home / "prefect"
    prefect_bytes = b"".join(p.read_bytes() for p in server_home.glob("prefect.db*"))
    assert prefect_bytes  # the database is there to be searched
    leaked = [
        v
        for v in personal_values()
        if v in done.stdout or v in done.stderr or v.encode() in prefect_bytes
    ]
    assert leaked == []
    for path in [db, *server_home.glob("prefect.db*")]:
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert home.stat().st_mode & 0o777 == 0o700
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
