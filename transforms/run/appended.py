"""An mbox that only grew: the cached rows before its last old message, plus the new tail.

Mail clients append to an mbox; re-parsing a 10 GB file for one day's mail is waste. When a
file's first bytes hash as they did last night, only the messages from its last old one on
are parsed again. The last old message is read again because the old end of file may have
cut it short; when it reads as before, the rows after it are the night's delta, which the
resolve step may resolve on their own (transforms/resolve/delta.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from transforms.rejects import Parsed
from transforms.run import cache
from transforms.sources.discover import Input
from transforms.sources.mail import mbox


@dataclass
class Appended:
    """An mbox that only grew: its whole staged output, and the rows new since last time."""

    parsed: list[Parsed]
    base_key: str  # the cache entry of the file before it grew
    delta: Parsed | None  # None when the old last message reads differently now


def parse_appended(
    item: Input,
    manifest: dict[str, cache.FileState],
    states: dict[str, cache.FileState],
    grown: set[str],
) -> Appended | None:
    """An mbox that only grew: cached rows before its last old message + the new tail.

    The last old message is read again (it may have been cut short by the old end of file);
    when it reads as before, the rows after it are the delta. None when the shortcut does
    not apply; the caller then parses the whole input.
    """
    name = str(item.path)
    old = manifest.get(name)
    new = states.get(name)
    if item.kind != "mbox" or old is None or new is None or len(states) != 1:
        return None
    if name not in grown or not mbox.is_plain_mbox(item.path):
        return None
    old_entry = cache.staged_root() / cache.input_key(item, {name: old})
    if not (old_entry / "stats.json").exists():
        return None
    sub = old_entry / "0000"
    msgs = pl.read_parquet(sub / "stg_email_messages.parquet")
    parts = pl.read_parquet(sub / "stg_email_participants.parquet")
    rejects = pl.read_parquet(sub / "rejects.parquet")
    [old_stats] = json.loads((old_entry / "stats.json").read_text(encoding="utf-8"))
    offset = pl.col("location").str.strip_prefix("byte ").cast(pl.Int64, strict=False)
    starts = pl.concat([msgs.select(offset.alias("o")), rejects.select(offset.alias("o"))])
    last = starts["o"].max()
    if last is None:
        return None
    tail = mbox.read_mbox_from(item.path, int(last), folder=item.folder)
    last_was_loaded = msgs.filter(offset == last).height > 0
    keep = offset < last
    whole = [
        Parsed(
            source_file=name,
            kind=old_stats["kind"],
            rows_in=old_stats["rows_in"] - 1 + tail.rows_in,
            rows_loaded=old_stats["rows_loaded"] - int(last_was_loaded) + tail.rows_loaded,
            rows_rejected=old_stats["rows_rejected"]
            - int(not last_was_loaded)
            + tail.rows_rejected,
            tables={
                "stg_email_messages": pl.concat(
                    [msgs.filter(keep), tail.tables["stg_email_messages"]]
                ),
                "stg_email_participants": pl.concat(
                    [parts.filter(keep), tail.tables["stg_email_participants"]]
                ),
            },
            rejects=pl.concat([rejects.filter(keep), tail.rejects]),
        )
    ]
    t_msgs, t_parts = tail.tables["stg_email_messages"], tail.tables["stg_email_participants"]
    same_last = (
        msgs.filter(offset == last).equals(t_msgs.filter(offset == last))
        and parts.filter(offset == last).equals(t_parts.filter(offset == last))
        and rejects.filter(offset == last).equals(tail.rejects.filter(offset == last))
    )
    delta = None
    if same_last:
        new_rows = offset > last
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
    return Appended(whole, old_entry.name, delta)
