"""`kith export --parquet`: every mart as Parquet in a dated folder, `current` switched."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from flows.nightly import run_in_process
from transforms.export import export_parquet
from transforms.run.spec import new_run
from transforms.warehouse.models import mart_order

NETWORK = Path(__file__).resolve().parent / "fixtures" / "network"


def test_export_writes_every_mart_and_switches_current(tmp_path):
    db = tmp_path / "kith.duckdb"
    spec = new_run([NETWORK], db, [], date(2026, 11, 1))
    spec.save()
    run_in_process(spec)
    out = tmp_path / "bi"
    first = export_parquet(db, out, now=datetime(2026, 11, 1, 3, tzinfo=UTC))
    assert first.name == "2026-11-01T030000Z"
    assert sorted(p.stem for p in first.iterdir()) == sorted(mart_order())
    recency = pl.read_parquet(out / "current" / "contact_recency.parquet")
    assert sorted(recency["display_name"].to_list()) == [
        "Ada Okafor", "Ben Tran", "Chen Li", "Dana Obi",
    ]  # fmt: skip
    second = export_parquet(db, out, now=datetime(2026, 11, 2, 3, tzinfo=UTC))
    assert (out / "current").resolve() == second.resolve()
    assert first.exists()  # older exports stay until the user removes them
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert (second / "reciprocity.parquet").stat().st_mode & 0o777 == 0o600
