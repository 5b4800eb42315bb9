"""Operations: readers never see an error across runs, a killed run leaves the last good
warehouse readable, and the DuckDB shell users install can open the warehouse."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly
from transforms.run.spec import new_run

pytestmark = pytest.mark.slow  # starts processes

REPO = Path(__file__).resolve().parents[2]
NETWORK = REPO / "tests" / "fixtures" / "network"
SAMPLE = REPO / "data" / "sample"


def run_flow(db: Path, sources: list[Path]) -> dict:
    spec = new_run(sources, db, [], date(2026, 11, 1))
    return nightly(str(spec.save()))


def people_count(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from people").fetchall()[0][0]
    finally:
        con.close()


READER = textwrap.dedent(
    """
    import sys, time, duckdb
    from pathlib import Path
    db, stop = Path(sys.argv[1]), Path(sys.argv[2])
    ok = errors = 0
    while not stop.exists():
        try:
            con = duckdb.connect(str(db), read_only=True)
            try:
                con.execute("select count(*) from contact_recency").fetchall()
                ok += 1
            finally:
                con.close()
        except Exception as err:
            errors += 1
            print(type(err).__name__, str(err)[:200], flush=True)
        time.sleep(0.01)
    print(f"ok={ok} errors={errors}", flush=True)
    """
)


def test_a_reader_sees_no_error_during_five_runs(prefect_server, tmp_path):
    db = tmp_path / "kith.duckdb"
    run_flow(db, [NETWORK])
    stop = tmp_path / "stop"
    script = tmp_path / "reader.py"
    script.write_text(READER)
    reader = subprocess.Popen(
        [sys.executable, str(script), str(db), str(stop)], stdout=subprocess.PIPE, text=True
    )
    try:
        for _ in range(5):
            run_flow(db, [SAMPLE])
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    last = out.strip().splitlines()[-1]
    assert last.startswith("ok=") and last.endswith("errors=0"), out[-2000:]
    assert int(last.split()[0][3:]) > 20  # it really was reading all along


DRIVER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pathlib import Path
    from transforms.lock import run_lock
    from transforms.run import spec as run_spec
    from transforms.run import steps

    db, marks = Path(sys.argv[1]), Path(sys.argv[2])
    spec = run_spec.new_run([Path(sys.argv[3])], db, [], date(2026, 11, 1))
    spec.save()
    with run_lock(run_spec.lock_path()):
        run_spec.remove_stale_builds(spec)
        found = steps.discover(spec)
        results = [steps.parse(unit) for unit in steps.plan_parse(spec, found)]
        stats = steps.stage_parsed(spec, found, results)
        (marks / "parsed").touch()
        steps.resolve(spec)
        steps.build(spec, stats)
        steps.check(spec)
        (marks / "built").touch()
        steps.publish(spec)
        (marks / "published").touch()
        run_spec.clean_up(spec)
    """
)


def drive(db: Path, marks: Path, source: Path, env: dict) -> subprocess.Popen:
    script = marks / "driver.py"
    script.write_text(DRIVER)
    return subprocess.Popen(
        [sys.executable, str(script), str(db), str(marks), str(source)], env=env, cwd=REPO
    )


@pytest.mark.parametrize("kill_at", ["parsed", "built", 0.5, 1.5, 3.0])
def test_sigkill_at_any_point_leaves_the_last_good_warehouse(tmp_path, kill_at):
    env = {**os.environ, "KITH_HOME": str(tmp_path / "home")}
    db = tmp_path / "kith.duckdb"
    first = tmp_path / "m1"
    first.mkdir()
    assert drive(db, first, NETWORK, env).wait(timeout=300) == 0
    good = db.read_bytes()
    assert people_count(db) == 5  # four contacts and the owner

    marks = tmp_path / "m2"
    marks.mkdir()
    victim = drive(db, marks, SAMPLE, env)
    deadline = time.monotonic() + 120
    if isinstance(kill_at, str):
        while not (marks / kill_at).exists() and victim.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
    else:
        time.sleep(kill_at)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    if not (marks / "built").exists():  # killed before publish could start
        assert db.read_bytes() == good
    else:  # publish may have happened just before the kill: old file or complete new one
        assert db.read_bytes() == good or people_count(db) > 5
    assert people_count(db) > 0  # readable whatever the moment

    again = tmp_path / "m3"
    again.mkdir()
    assert drive(db, again, SAMPLE, env).wait(timeout=300) == 0
    assert people_count(db) > 5
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".building")]
    assert leftovers == []


@pytest.mark.skipif(shutil.which("duckdb") is None, reason="duckdb-cli (dev group) not installed")
def test_the_duckdb_shell_from_pypi_opens_the_warehouse(prefect_server, tmp_path):
    db = tmp_path / "kith.duckdb"
    run_flow(db, [NETWORK])
    shell = subprocess.run(
        ["duckdb", str(db), "-readonly", "-csv", "-c", "select count(*) from contact_recency"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.split() == ["count_star()", "4"]
