"""Shared test setup: every test run keeps kith's state in a private temporary KITH_HOME."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

_HOME = tempfile.mkdtemp(prefix="kith-test-home-")
os.environ["KITH_HOME"] = _HOME
# The session's Prefect server lives in a home of its own, shared by pytest-xdist workers:
# the first process to import this (the controller, or the only process) chooses it.
os.environ.setdefault("KITH_TEST_SERVER_HOME", tempfile.mkdtemp(prefix="kith-test-server-"))
SERVER_HOME = Path(os.environ["KITH_TEST_SERVER_HOME"])
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPORA = REPO.parent / "shared" / "corpora"


@pytest.fixture
def corpora() -> Path:
    """The shared public test corpora, beside the checkout; skip (saying why) without them."""
    if not SHARED_CORPORA.is_dir():
        pytest.skip(f"shared corpora not found at {SHARED_CORPORA}")
    return SHARED_CORPORA


Fetch = Callable[[Path, str], list[tuple]]


def _fetch(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def fetch() -> Fetch:
    """`fetch(db, sql)`: the rows of one query on a warehouse file, opened read-only and
    closed again (so the next build may replace it)."""
    return _fetch


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The session's end stops its Prefect server (in the controller only: xdist workers
    finish one by one while others may still use it)."""
    if hasattr(session.config, "workerinput"):
        return
    from flows import server
    from transforms import paths

    if paths.kith_home() != SERVER_HOME:
        os.environ["KITH_HOME"] = str(SERVER_HOME)  # the session is over: nothing else runs
    server.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs Prefect's test server is slow (the server costs ~20 s to start)."""
    for item in items:
        if "prefect_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
