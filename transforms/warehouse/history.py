"""relationship_history across runs: earlier snapshots carried into each new warehouse.

The mart `relationship_history` builds tonight's snapshot; this module appends the earlier
ones from the live file and points every snapshot at the person it belongs to today.
"""

from __future__ import annotations

import duckdb
import polars as pl

from transforms.warehouse.frames import registered


def carry_history(con: duckdb.DuckDBPyConnection, previous: pl.DataFrame) -> None:
    """Append earlier snapshots to this run's relationship_history; the rows of this run's
    snapshot date are replaced, not duplicated. Columns a newer build added stay null on
    old rows; columns an older build had and this one dropped are left behind. Then every
    row's current_person_id is worked out again (`point_history_at_current_people`)."""
    current = set(con.table("relationship_history").columns)
    shared = [c for c in previous.columns if c in current]
    if not shared or "snapshot_on" not in shared:
        return
    with registered(con, "previous_history", previous.select(shared)):
        con.execute(
            "insert into relationship_history by name select * from previous_history "
            "where snapshot_on != (select as_of from run_params)"
        )
    point_history_at_current_people(con)


# Where each retired id went: follow person_id_history's merges to the end of the chain
# (A merged into B, later B into C: A -> C), stopping at 50 links (a cycle cannot grow it).
_MERGED_INTO = """
with recursive chain(old_id, new_id, depth) as (
    select old_person_id, new_person_id, 1
    from person_id_history
    where reason = 'merged'
    union all
    select chain.old_id, h.new_person_id, chain.depth + 1
    from chain
    join person_id_history as h
        on h.old_person_id = chain.new_id and h.reason = 'merged'
    where chain.depth < 50
)
select old_id, arg_max(new_id, depth) as new_id
from chain
group by old_id
"""


def point_history_at_current_people(con: duckdb.DuckDBPyConnection) -> None:
    """Set relationship_history.current_person_id: the row's own person_id while that
    person exists, else the person its id merged into (through person_id_history), so a
    trend query can group snapshots by today's people. Recomputed from person_id on every
    build, so it never depends on what an earlier build wrote."""
    if "current_person_id" not in con.table("relationship_history").columns:
        return
    con.execute("update relationship_history set current_person_id = person_id")
    con.execute(
        "update relationship_history set current_person_id = merged.new_id "
        f"from ({_MERGED_INTO}) as merged "
        "where relationship_history.person_id = merged.old_id "
        "and relationship_history.person_id not in (select person_id from people) "
        "and merged.new_id in (select person_id from people)"
    )
