"""An mbox that only grew: the cached rows before its last old message, plus the new tail.

Mail clients append to an mbox; re-parsing a 10 GB file for one day's mail is waste. When a
file's first bytes hash as they did last night, only the messages from its last old one on
are parsed again (one parse unit from that offset). The last old message is read again
because the old end of file may have cut it short; when it reads as before, the rows after
it are the night's delta, which the resolve step may resolve on their own
(transforms/resolve/delta.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from transforms import schemas
from transforms.rejects import Parsed
from transforms.run import cache
from transforms.sources.discover import Input
from transforms.sources.mail import mbox

_OFFSET = pl.col("location").str.strip_prefix("byte ").cast(pl.Int64, strict=False)
_MAIL = ("stg_email_messages", "stg_email_participants")


@dataclass(frozen=True)
class AppendPlan:
    """Where the old rows are and where the new tail starts."""

    old_entry: str  # the cache entry of the file before it grew
    last: int  # byte offset of its last old message: the tail is parsed from here


@dataclass
class Appended:
    """An mbox that only grew: its whole staged output, and the rows new since last time."""

    parsed: list[Parsed]
    base_key: str  # the cache entry of the file before it grew
    delta: Parsed | None  # None when the old last message reads differently now


def _parquet(entry: Path, table: str, columns: list[str] | None = None) -> pl.DataFrame:
    files = sorted((entry / "0000").glob(f"{table}.*parquet"))
    if not files:
        return schemas.empty(schemas.STAGED.get(table, schemas.REJECTS))
    return pl.concat([pl.read_parquet(f, columns=columns) for f in files])


def plan_append(
    item: Input,
    manifest: dict[str, cache.FileState],
    states: dict[str, cache.FileState],
    grown: set[str],
) -> AppendPlan | None:
    """The shortcut for an mbox that only grew, or None when it does not apply (then the
    whole input is parsed)."""
    name = str(item.path)
    old = manifest.get(name)
    if item.kind != "mbox" or old is None or name not in states or len(states) != 1:
        return None
    if name not in grown or not mbox.is_plain_mbox(item.path):
        return None
    old_entry = cache.staged_root() / cache.input_key(item, {name: old})
    if not (old_entry / "stats.json").exists():
        return None
    starts = pl.concat(
        [
            _parquet(old_entry, table, ["location"]).select(_OFFSET.alias("o"))
            for table in ("stg_email_messages", "rejects")
        ]
    )
    last = starts["o"].max()
    return None if last is None else AppendPlan(str(old_entry), int(last))


def join_append(item: Input, plan: AppendPlan, tail: Parsed) -> Appended:
    """The whole input (old rows before the last old message, then the tail) and the delta
    (the tail after it, when the last old message reads as before)."""
    name = str(item.path)
    old_entry = Path(plan.old_entry)
    msgs, parts = (_parquet(old_entry, t) for t in _MAIL)
    rejects = _parquet(old_entry, "rejects")
    [old_stats] = json.loads((old_entry / "stats.json").read_text(encoding="utf-8"))
    last = plan.last
    last_was_loaded = msgs.filter(_OFFSET == last).height > 0
    keep = _OFFSET < last
    t_msgs, t_parts = (tail.tables[t] for t in _MAIL)
    whole = Parsed(
        source_file=name,
        kind=old_stats["kind"],
        rows_in=old_stats["rows_in"] - 1 + tail.rows_in,
        rows_loaded=old_stats["rows_loaded"] - int(last_was_loaded) + tail.rows_loaded,
        rows_rejected=old_stats["rows_rejected"] - int(not last_was_loaded) + tail.rows_rejected,
        tables={
            "stg_email_messages": pl.concat([msgs.filter(keep), t_msgs]),
            "stg_email_participants": pl.concat([parts.filter(keep), t_parts]),
        },
        rejects=pl.concat([rejects.filter(keep), tail.rejects]),
    )
    same_last = (
        msgs.filter(_OFFSET == last).equals(t_msgs.filter(_OFFSET == last))
        and parts.filter(_OFFSET == last).equals(t_parts.filter(_OFFSET == last))
        and rejects.filter(_OFFSET == last).equals(tail.rejects.filter(_OFFSET == last))
    )
    delta = None
    if same_last:
        new_rows = _OFFSET > last
        delta = Parsed(
            source_file=name,
            kind=old_stats["kind"],
            rows_in=tail.rows_in - 1,
            rows_loaded=tail.rows_loaded - int(last_was_loaded),
            rows_rejected=tail.rows_rejected - int(not last_was_loaded),
            tables={
                "stg_email_messages": t_msgs.filter(new_rows),
                "stg_email_participants": t_parts.filter(new_rows),
            },
            rejects=tail.rejects.filter(new_rows),
        )
    return Appended([whole], old_entry.name, delta)
