"""docs/metrics.md defines every column of every mart, in the mart's own section, and
docs/warehouse.md has a section per mart; every mart file opens with its grain."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from transforms.warehouse.models import mart_order, sql_text

DOCS = Path(__file__).resolve().parents[2] / "docs"


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (\S+)\s*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.fixture(scope="module")
def columns(marts: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    return {mart: marts.table(mart).columns for mart in mart_order()}


@pytest.mark.parametrize("mart", mart_order())
def test_every_mart_column_is_defined_in_metrics_md(mart, columns):
    section = sections((DOCS / "metrics.md").read_text(encoding="utf-8")).get(mart, "")
    missing = [c for c in columns[mart] if f"`{c}`" not in section and f"`{c} " not in section]
    assert missing == []


@pytest.mark.parametrize("mart", mart_order())
def test_every_mart_has_a_warehouse_section_and_a_grain_comment(mart):
    assert mart in sections((DOCS / "warehouse.md").read_text(encoding="utf-8"))
    first = sql_text("marts", f"{mart}.sql").splitlines()[0]
    assert first.startswith(f"-- {mart}: one row per")
