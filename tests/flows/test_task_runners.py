"""Parse units on every task runner build the same warehouse as one read in this process:
a big mbox cut into byte ranges, run in Prefect's process pool, and on a Dask cluster
(distributed.LocalCluster with two worker processes) through prefect-dask."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from flows.nightly import nightly, run_in_process
from tests.support import table_digests
from transforms.run import units
from transforms.run.spec import RunSpec, new_run

pytestmark = pytest.mark.slow  # starts processes

NETWORK = Path(__file__).resolve().parents[1] / "fixtures" / "network"


@pytest.fixture
def sources(tmp_path) -> list[Path]:
    net = tmp_path / "net"
    shutil.copytree(NETWORK, net)
    mbox = net / "mail" / "Inbox.mbox"
    mbox.write_bytes(mbox.read_bytes() * 3)  # copies too: the same messages in three ranges
    return [net]


def one_read(sources: list[Path], db: Path) -> RunSpec:
    spec = new_run(sources, db, [], date(2026, 11, 1), full=True)
    run_in_process(spec)
    return spec


def test_byte_ranges_give_the_warehouse_of_one_read(sources, tmp_path, monkeypatch):
    whole = tmp_path / "whole.duckdb"
    one_read(sources, whole)
    monkeypatch.setattr(units, "RANGE_BYTES", 2048)
    mbox = sources[0] / "mail" / "Inbox.mbox"
    spec = new_run(sources, tmp_path / "ranges.duckdb", [], date(2026, 11, 1), full=True)
    cut = units.cut(0, _mbox_input(mbox), tmp_path / "x")
    assert len(cut) >= 4 and all(u.is_range for u in cut)  # the mbox is read in ranges
    run_in_process(spec)
    assert table_digests(tmp_path / "ranges.duckdb") == table_digests(whole)


def test_the_process_pool_builds_the_same_warehouse(prefect_server, sources, tmp_path, monkeypatch):
    whole = tmp_path / "whole.duckdb"
    one_read(sources, whole)
    monkeypatch.setattr(units, "RANGE_BYTES", 2048)
    spec = new_run(sources, tmp_path / "pool.duckdb", [], date(2026, 11, 1), full=True)
    spec.process_pool_min_mb = 0  # any amount of work goes to the pool
    nightly(str(spec.save()))
    assert table_digests(tmp_path / "pool.duckdb") == table_digests(whole)


def test_a_dask_cluster_builds_the_same_warehouse(prefect_server, sources, tmp_path, monkeypatch):
    from distributed import LocalCluster

    whole = tmp_path / "whole.duckdb"
    one_read(sources, whole)
    monkeypatch.setattr(units, "RANGE_BYTES", 2048)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        spec = new_run(sources, tmp_path / "dask.duckdb", [], date(2026, 11, 1), full=True)
        spec.dask_address = cluster.scheduler_address
        nightly(str(spec.save()))
        transitions = cluster.scheduler.transition_counter
    assert transitions > 0  # the cluster did run tasks
    assert table_digests(tmp_path / "dask.duckdb") == table_digests(whole)


def _mbox_input(path: Path):
    from transforms.sources.discover import Input

    return Input("mbox", path, folder="Inbox")
