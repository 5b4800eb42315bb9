"""kith dashboard (placeholder): who you are losing touch with, from contact_recency.

Opens the warehouse read-only for each query and closes it again, so the nightly swap of
the file is picked up without a restart. Start with:
`uv run streamlit run dashboards/app.py -- --db data/warehouse/kith.duckdb`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st


def warehouse_path() -> Path:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=os.environ.get("KITH_DB", "data/warehouse/kith.duckdb"))
    args, _ = parser.parse_known_args()
    return Path(args.db)


def query(db: Path, sql: str) -> pl.DataFrame:
    """Run one query on a short-lived read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


st.set_page_config(page_title="kith", layout="wide")
st.title("kith: contact recency")
db = warehouse_path()
if not db.exists():
    st.info("No warehouse yet: run `kith run` first.")
    st.stop()

recency = query(
    db,
    "select display_name, last_contact_at, days_since_last_contact, recency_bucket, "
    "last_sent_at, last_received_at from contact_recency "
    "order by days_since_last_contact desc nulls last",
)
people = recency.height
active = recency.filter(pl.col("days_since_last_contact") <= 90).height
col1, col2 = st.columns(2)
col1.metric("people", people)
col2.metric("in touch within 90 days", active)
st.dataframe(recency, use_container_width=True)
