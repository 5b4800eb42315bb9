"""`kith serve`: on kith's lasting Prefect server, registers the cron schedule, runs the
flow when a run is triggered (without waiting for the clock), and on SIGTERM stops its
worker but leaves the server running (other runs and the UI use it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from flows import server

pytestmark = pytest.mark.slow  # starts processes

REPO = Path(__file__).resolve().parents[2]
NETWORK = REPO / "tests" / "fixtures" / "network"


def api(url: str, body: dict | None = None) -> dict | list:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve_schedules_runs_and_stops_cleanly(prefect_server, tmp_path):
    home = tmp_path / "home"
    db = tmp_path / "kith.duckdb"
    env = {**os.environ, "KITH_HOME": str(home)}  # PREFECT_API_URL: the session's server
    cli = [sys.executable, "-m", "flows.cli"]
    init = subprocess.run(
        [*cli, "init", str(NETWORK), "--db", str(db)], env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    serve = subprocess.Popen(
        [*cli, "serve"], env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        base = prefect_server.api_url
        deployment = wait_for(
            lambda: api(f"{base}/deployments/name/kith-scheduled/kith-nightly"),
            180,
            "the deployment",
        )
        crons = [s["schedule"].get("cron") for s in deployment["schedules"]]
        assert crons == ["30 2 * * *"]
        run = wait_for(  # a busy server may answer 503 for a moment
            lambda: api(f"{base}/deployments/{deployment['id']}/create_flow_run", {}),
            120,
            "the run to be created",
        )
        final = wait_for(
            lambda: (
                (r := api(f"{base}/flow_runs/{run['id']}"))["state"]["type"]
                in ("COMPLETED", "FAILED", "CRASHED")
                and r
            ),
            300,
            "the triggered run",
        )
        assert final["state"]["type"] == "COMPLETED"
        con = duckdb.connect(str(db), read_only=True)
        try:
            assert con.execute("select count(*) from people where not is_owner").fetchall() == [
                (4,)
            ]
        finally:
            con.close()
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
    assert serve.returncode == 0
    assert b"keeps running" in serve.stdout.read()
    assert server.healthy(prefect_server.api_url)  # the server outlived serve
    assert server.process_alive(prefect_server.pid)
