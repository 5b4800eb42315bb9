"""Export the marts as Parquet for BI tools: a dated folder per export and a `current` link.

The folder is written under a temporary name and renamed when complete, then `current` is
switched with an atomic rename of a new symlink, so a reader never sees half an export.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from transforms.readers import connect_read_only
from transforms.warehouse.models import mart_order


def export_parquet(db: Path, out: Path, now: datetime | None = None) -> Path:
    """Write every mart of `db` to `out/<UTC timestamp>/<mart>.parquet`; point `current` at it."""
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H%M%SZ")
    out.mkdir(parents=True, exist_ok=True)
    final = out / stamp
    partial = out / f".{stamp}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    con = connect_read_only(db)
    try:
        present = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        for mart in mart_order():
            if mart in present:
                target = str(partial / f"{mart}.parquet").replace("'", "''")
                con.execute(f"copy {mart} to '{target}' (format parquet)")
    finally:
        con.close()
    for path in partial.iterdir():
        os.chmod(path, 0o600)
    os.chmod(partial, 0o700)
    os.replace(partial, final)
    link = out / ".current.new"
    link.unlink(missing_ok=True)
    link.symlink_to(final.name)
    os.replace(link, out / "current")
    return final
