"""Warehouses for the dashboard tests, built once per session without Prefect
(see support.py for the network and the settings that make its values derivable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthetic import generate
from tests.dashboards.support import AS_OF, FIRST_AS_OF, Built, build, read_truth


@pytest.fixture(scope="session")
def network(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("dash")
    net = generate(people=120, seed=5, out=root / "net", noise=0.0, as_of=FIRST_AS_OF)
    db = root / "warehouse" / "kith.duckdb"
    built = Built(net, db, read_truth(net))
    build(built.sources, db, FIRST_AS_OF)
    build(built.sources, db, AS_OF)
    return built


@pytest.fixture
def use_db(monkeypatch):
    """Point the dashboard (run by AppTest in this process) at a warehouse file."""

    def point(db: Path) -> None:
        monkeypatch.setenv("KITH_DB", str(db))

    return point


@pytest.fixture(autouse=True)
def _no_db_arg(monkeypatch):
    """pytest's own argv must not be read as the dashboard's `--db`."""
    monkeypatch.setattr("sys.argv", ["app.py"])
