"""The build's DuckDB memory limit: a build that runs out is done again without it."""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

import duckdb

from flows.nightly import run_in_process
from transforms.run import steps
from transforms.run.spec import clean_up, new_run
from transforms.warehouse import build as warehouse

NETWORK = Path(__file__).resolve().parent / "fixtures" / "network"


def test_a_build_that_runs_out_of_memory_is_retried_without_the_limit(
    tmp_path, monkeypatch, caplog
):
    shutil.copytree(NETWORK, tmp_path / "net")
    monkeypatch.setattr(warehouse, "BUILD_MEMORY", "1MB")  # far too little for any build
    caplog.set_level(logging.INFO, logger="transforms.run.build")
    db = tmp_path / "kith.duckdb"
    spec = new_run([tmp_path / "net"], db, [], date(2026, 11, 1))
    result = run_in_process(spec)
    assert "building again without a limit" in caplog.text
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from interactions").fetchall()[0][0] > 0
    finally:
        con.close()
    assert result["counts"]["interactions"] > 0


def test_the_limit_is_applied(tmp_path, monkeypatch):
    """A build that fits runs once, with the limit."""
    shutil.copytree(NETWORK, tmp_path / "net")
    spec = new_run([tmp_path / "net"], tmp_path / "kith.duckdb", [], date(2026, 11, 1))
    spec.save()
    found = steps.discover(spec)
    results = [steps.parse(unit) for unit in steps.plan_parse(spec, found)]
    stats = steps.stage_parsed(spec, found, results)
    steps.resolve(spec)
    calls = []
    real_build = warehouse.build

    def build(*args, **kwargs):
        calls.append(kwargs.get("memory_limit"))
        return real_build(*args, **kwargs)

    monkeypatch.setattr(warehouse, "build", build)
    steps.build(spec, stats)
    assert calls == [warehouse.BUILD_MEMORY]  # enough for a small network: one build
    clean_up(spec)
