"""A local Prefect server for `kith serve`, and finding it again from `kith run`.

Prefect's temporary server cannot schedule, so `kith serve` starts `prefect server start`
on the loopback interface with its database in kith's state folder, records where it
listens in `server.json`, and stops it on exit. `kith run` uses that server when it is up,
which saves the ~20 s the temporary server costs to start.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from transforms import paths


def state_file() -> Path:
    return paths.kith_home() / "prefect" / "server.json"


def healthy(api_url: str, timeout: float = 1.0) -> bool:
    """True when the Prefect API at `api_url` answers its health check."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as resp:
            return resp.status == 200
    except OSError:
        return False


def running_server_url() -> str | None:
    """The API URL of the server `kith serve` started, if it is still up."""
    try:
        state = json.loads(state_file().read_text(encoding="utf-8"))
        os.kill(int(state["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    url = state.get("api_url")
    return url if isinstance(url, str) and healthy(url) else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int | None = None, timeout: float = 180.0) -> subprocess.Popen:
    """Start `prefect server start` on 127.0.0.1 and wait until it is healthy."""
    port = port or free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    log = open(paths.kith_home() / "prefect" / "server.log", "ab")  # noqa: SIM115
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the Prefect server exited early; see {log.name}")
        if healthy(api_url):
            state_file().write_text(json.dumps({"pid": proc.pid, "api_url": api_url}))
            os.environ["PREFECT_API_URL"] = api_url
            return proc
        time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError(f"the Prefect server did not answer within {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server and everything it started; forget its address."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    state_file().unlink(missing_ok=True)
