"""The dashboard keeps working when a run swaps the warehouse file (os.replace) under it,
and waits for a writer's lock instead of failing.

AppTest runs the app in this process, which is the hard case: DuckDB caches a database per
path inside a process, so any connection left open would keep serving the old file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import data
from tests.dashboards.support import APP, FIRST_AS_OF, build

pytestmark = pytest.mark.slow  # starts processes


def test_a_swapped_warehouse_is_shown_without_restart(network, use_db, tmp_path):
    db = tmp_path / "kith.duckdb"
    build([network.net.linkedin_dir], db, FIRST_AS_OF)  # LinkedIn only: no email yet
    use_db(db)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert any(i.value.startswith("No email sources configured") for i in at.info)
    inode = db.stat().st_ino

    build(network.sources, db, FIRST_AS_OF)  # what `kith run` does: build aside, os.replace
    assert db.stat().st_ino != inode  # the file really was replaced

    at.run()  # the same session, as a browser reload would do
    assert not at.exception
    assert not any(i.value.startswith("No email sources configured") for i in at.info)
    truth = network.truth
    talked = [r for r in truth if int(r["sent_count"]) + int(r["received_count"]) > 0]
    both = [r for r in talked if int(r["sent_count"]) > 0 and int(r["received_count"]) > 0]
    shares = {m.label: m.value for m in at.metric}
    assert shares["Two-way share"] == f"{len(both) / len(talked):.0%}"


HOLD_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])  # read-write: other processes cannot open the file
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def test_a_writers_lock_is_waited_for(network, tmp_path):
    db = tmp_path / "locked.duckdb"
    shutil.copy(network.db, db)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db), "1.5"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.perf_counter()
        count = data.run_query(db, "select count(*) as n from people where not is_owner")
        waited = time.perf_counter() - started
    finally:
        holder.wait(timeout=30)
    assert count["n"][0] == 120
    assert waited > 0.5  # it did meet the lock, and waited instead of failing
