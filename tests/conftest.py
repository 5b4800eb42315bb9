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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs Prefect's test server is slow (the server costs ~20 s to start)."""
    for item in items:
        if "prefect_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
