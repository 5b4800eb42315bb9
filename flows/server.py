"""kith's lasting local Prefect server: started once, left running, found by every run.

Prefect users keep a server up and look at their runs in its UI; a temporary server costs
~20 s per `kith run` on a 2-core machine, a running one ~3 s. So `kith run` (and `kith
serve`) use the server `kith server start` started, or start it themselves in the
background and leave it running. It listens on 127.0.0.1 only, keeps its database in
kith's state folder (`$KITH_HOME/prefect/`), and writes its output to `server.log` there,
never to the user's terminal. `server.json` records its pid and address.

Starting is serialised by a lock (two runs at once start one server), and a server whose
process died or stopped answering is forgotten and started again.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from transforms import paths

DEFAULT_PORT = 4200  # Prefect's own default: the UI address users expect
START_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Server:
    pid: int
    api_url: str

    @property
    def ui_url(self) -> str:
        return self.api_url.removesuffix("/api")


def state_file() -> Path:
    return paths.prefect_home() / "server.json"


def log_file() -> Path:
    return paths.prefect_home() / "server.log"


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    """True when the Prefect API at `api_url` answers its health check."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as resp:
            return resp.status == 200
    except OSError:
        return False


def _recorded() -> Server | None:
    try:
        state = json.loads(state_file().read_text(encoding="utf-8"))
        return Server(int(state["pid"]), str(state["api_url"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def process_alive(pid: int) -> bool:
    """The process exists and has not finished (a zombie nobody reaped yet has)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def running() -> Server | None:
    """The kith server, if its process is alive and it answers; else None."""
    server = _recorded()
    if server is None or not process_alive(server.pid):
        return None
    return server if healthy(server.api_url) else None


def _port_is_free(port: int) -> bool:
    """Nothing listens there (a port left in TIME_WAIT by a stopped server is free: the
    server binds with SO_REUSEADDR too)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _choose_port(port: int | None) -> int:
    """The port asked for, else the one used last time, else 4200, else any free one."""
    if port is not None:
        return port
    last = _recorded()
    for candidate in ([int(last.api_url.rsplit(":", 1)[1].split("/")[0])] if last else []) + [
        DEFAULT_PORT
    ]:
        if _port_is_free(candidate):
            return candidate
    return free_port()


@contextmanager
def _start_lock() -> Iterator[None]:
    """One server start at a time per KITH_HOME (waits for another start to finish)."""
    path = paths.prefect_home() / "server.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def server_env() -> dict[str, str]:
    """The server process's environment: kith's Prefect home, no telemetry, no API URL of
    its own (it is the API)."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(paths.prefect_home())
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    return env


def start(port: int | None = None, timeout: float = START_TIMEOUT_S) -> tuple[Server, bool]:
    """The running kith server, started in the background if there is none; (server,
    whether this call started it). The server outlives this process."""
    with _start_lock():
        if (server := running()) is not None:
            return server, False
        old = _recorded()
        if old is not None and process_alive(old.pid):  # up but not answering: replace it
            _terminate(old.pid)
        chosen = _choose_port(port)
        if not _port_is_free(chosen):  # asked for a port something else listens on
            raise RuntimeError(f"port {chosen} on 127.0.0.1 is in use: choose another")
        api_url = f"http://127.0.0.1:{chosen}/api"
        paths.prefect_home().mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(log_file(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start",
                 "--host", "127.0.0.1", "--port", str(chosen)],
                env=server_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # not killed with the terminal or the run
                umask=0o077,  # its database holds run metadata: the owner's only
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the Prefect server exited at start; see {log_file()}")
            if healthy(api_url) and proc.poll() is None:  # ours, not another on that port
                server = Server(proc.pid, api_url)
                fd = os.open(state_file(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(server.__dict__, fh)
                return server, True
            time.sleep(0.5)
        _terminate(proc.pid)
        raise RuntimeError(f"the Prefect server did not answer within {timeout:.0f} s")


def stop() -> Server | None:
    """Stop the kith server (and everything it started); the server it was, or None."""
    with _start_lock():
        server = _recorded()
        if server is not None and process_alive(server.pid):
            _terminate(server.pid)
        state_file().unlink(missing_ok=True)
        return server


def _terminate(pid: int, timeout: float = 20.0) -> None:
    """SIGTERM the server's process group, SIGKILL it if it lingers."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _is_zombie(pid: int) -> bool:
    """A finished child not yet reaped (it counts as alive to kill(pid, 0))."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return False
