"""`kith serve`: starts a local Prefect server, registers the cron schedule, runs the flow
when a run is triggered (without waiting for the clock), and stops everything on SIGTERM."""

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


def test_serve_schedules_runs_and_stops_cleanly(tmp_path):
    home = tmp_path / "home"
    db = tmp_path / "kith.duckdb"
    env = {**os.environ, "KITH_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    cli = [sys.executable, "-m", "flows.cli"]
    init = subprocess.run(
        [*cli, "init", str(NETWORK), "--db", str(db)], env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    serve = subprocess.Popen(
        [*cli, "serve"], env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        state = home / "prefect" / "server.json"
        wait_for(state.exists, 240, "the server to start")
        recorded = json.loads(state.read_text())
        base, server_pid = recorded["api_url"], recorded["pid"]
        deployment = wait_for(
            lambda: api(f"{base}/deployments/name/kith-scheduled/kith-nightly"),
            180,
            "the deployment",
        )
        crons = [s["schedule"].get("cron") for s in deployment["schedules"]]
        assert crons == ["30 2 * * *"]
        run = api(f"{base}/deployments/{deployment['id']}/create_flow_run", {})
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
    assert not (home / "prefect" / "server.json").exists()
    try:
        os.kill(server_pid, 0)
        server_alive = True
    except ProcessLookupError:
        server_alive = False
    assert not server_alive
