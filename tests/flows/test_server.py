"""kith's lasting Prefect server as a user meets it: `kith run` starts it once in the
background and says so, later runs use it silently, `kith server` reports and stops it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows import server

pytestmark = pytest.mark.slow  # starts processes

REPO = Path(__file__).resolve().parents[2]
NETWORK = REPO / "tests" / "fixtures" / "network"


def kith(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KITH_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)  # no server given: kith must find or start its own
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_a_run_starts_the_server_once_and_leaves_it_running(tmp_path):
    home = tmp_path / "home"
    db = str(tmp_path / "kith.duckdb")
    assert kith("server", "status", home=home).returncode == 1
    first = kith("run", str(NETWORK), "--db", db, home=home)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "started kith's Prefect server: its UI is at http://127.0.0.1:" in first.stdout
    state = json.loads((home / "prefect" / "server.json").read_text())
    try:
        assert server.process_alive(state["pid"])  # outlived the run that started it
        second = kith("run", str(NETWORK), "--db", db, home=home)
        assert second.returncode == 0, second.stderr[-2000:]
        assert "started kith's Prefect server" not in second.stdout  # said once
        assert json.loads((home / "prefect" / "server.json").read_text()) == state
        status = kith("server", "status", home=home)
        assert status.returncode == 0
        assert state["api_url"].removesuffix("/api") in status.stdout
        assert (home / "prefect" / "prefect.db").stat().st_mode & 0o777 == 0o600
    finally:
        stopped = kith("server", "stop", home=home)
    assert stopped.stdout.strip() == "stopped"
    assert not (home / "prefect" / "server.json").exists()
    assert not server.process_alive(state["pid"])
    assert kith("server", "status", home=home).returncode == 1
