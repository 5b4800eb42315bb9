"""One kith Prefect server for the whole test session, as users run kith: a lasting local
server (flows/server.py) that in-process flows and `kith` subprocesses all talk to.

Started once (~20 s on 2 cores) instead of a temporary server per flow test and per
`kith` subprocess. Its home is the session's (tests/conftest.py): with pytest-xdist every
worker finds the one server there (starts are serialised by its lock), and the session's
end stops it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows import server
from flows.console import quiet_prefect

SERVER_HOME = Path(os.environ["KITH_TEST_SERVER_HOME"])  # chosen in tests/conftest.py


@contextmanager
def kith_home(home: Path) -> Iterator[None]:
    """KITH_HOME set to `home` for the block (flows/server.py finds its state through it)."""
    before = os.environ["KITH_HOME"]
    os.environ["KITH_HOME"] = str(home)
    try:
        yield
    finally:
        os.environ["KITH_HOME"] = before


@dataclass(frozen=True)
class SessionServer:
    api_url: str
    pid: int
    home: Path  # its KITH_HOME: the database is in home / "prefect"


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[SessionServer]:
    quiet_prefect()
    import prefect.context
    import prefect.settings

    with kith_home(SERVER_HOME):
        found, _ = server.start()
    os.environ["PREFECT_API_URL"] = found.api_url  # for `kith` subprocesses
    updates = {prefect.settings.PREFECT_API_URL: found.api_url}
    with prefect.settings.temporary_settings(updates=updates):
        # Also as the process-global settings, as prefect_test_harness does, so code in a
        # context copied before this fixture ran sees the server too.
        with prefect.context._temporary_global_settings_context(
            prefect.context.get_settings_context()
        ):
            yield SessionServer(found.api_url, found.pid, SERVER_HOME)
    os.environ.pop("PREFECT_API_URL", None)
