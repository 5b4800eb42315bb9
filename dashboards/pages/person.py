"""Person: find anyone by a name or address; their identities and why they were merged, a
timeline of interactions across channels (meetings included), and strength over time
(relationship_history).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import altair as alt
import polars as pl
import streamlit as st

from dashboards import data

SEARCH_SQL = """
select p.person_id, p.display_name, min(i.value) filter (where i.value is not null) as hint
from people as p
left join person_identities as i on i.person_id = p.person_id and i.kind != 'name'
where not p.is_owner and (
    p.display_name ilike '%' || ? || '%'
    or p.person_id in (
        select person_id from person_identities where value ilike '%' || ? || '%'
    )
)
group by p.person_id, p.display_name
order by p.display_name, p.person_id
limit 50
"""

SUMMARY_SQL = """
select
    c.display_name, c.tier, c.strength_rank, c.last_contact_at, c.days_since_last_contact,
    c.cadence_d, c.days_overdue, r.sent_count, r.received_count
from contact_recency as c
left join reciprocity as r on r.person_id = c.person_id and r.time_window = 'all'
where c.person_id = ?
"""


def pick_person(db: Path) -> str | None:
    """A search box; a choice when several people match. Returns a person_id or None."""
    text = st.text_input("Search by any name or address", key="search").strip()
    if not text:
        st.info("Type part of a name, an email address or a LinkedIn profile URL.")
        return None
    found = data.query(db, SEARCH_SQL, (text, text))
    if found.height == 0:
        st.warning("Nobody in the warehouse matches.")
        return None
    if found.height == 1:
        return found["person_id"][0]
    # Options are the labels themselves (unique: an identity belongs to one person).
    by_label = {
        f"{row['display_name']} ({row['hint'] or row['person_id']})": row["person_id"]
        for row in found.iter_rows(named=True)
    }
    choice = st.selectbox(f"{found.height} people match", list(by_label), key="choice")
    return by_label.get(choice)


def summary(db: Path, pid: str) -> None:
    row = data.query(db, SUMMARY_SQL, (pid,)).row(0, named=True)
    st.header(row["display_name"])
    cols = st.columns(5)
    cols[0].metric("Tier", row["tier"])
    cols[1].metric("Strength rank", row["strength_rank"])
    last = row["last_contact_at"]
    cols[2].metric(
        "Last contact",
        "never" if last is None else f"{last:%Y-%m-%d}",
        help=None if last is None else f"{row['days_since_last_contact']} days ago",
    )
    cols[3].metric("Messages sent", row["sent_count"] or 0)
    cols[4].metric("Messages received", row["received_count"] or 0)
    if row["days_overdue"]:
        st.caption(
            f"Overdue by {row['days_overdue']} days (keep in touch every {row['cadence_d']} days)."
        )


def identities(db: Path, pid: str) -> None:
    st.subheader("Identities")
    ids = data.query(
        db,
        "select kind, value, n_seen from person_identities where person_id = ? "
        "order by kind, value",
        (pid,),
    )
    st.dataframe(
        ids.rename({"kind": "Kind", "value": "Identity", "n_seen": "Times seen"}),
        hide_index=True,
        width="stretch",
        key="identities",
    )
    merges = data.query(
        db,
        "select left_value, right_value, rule, score from match_decisions "
        "where person_id = ? and decision = 'merged' order by left_value, right_value",
        (pid,),
    )
    st.subheader("Why these identities are one person")
    if merges.height == 0:
        st.caption("Nothing was merged: one key identifies this person.")
    else:
        st.dataframe(
            merges.select(
                pl.col("left_value").alias("Identity"),
                pl.col("right_value").alias("Merged with"),
                pl.col("rule")
                .map_elements(lambda r: data.words(data.RULE_WORDS, r), return_dtype=pl.String)
                .alias("Because"),
            ),
            hide_index=True,
            width="stretch",
            key="merges",
        )
    renamed = data.query(
        db,
        "select old_person_id, reason, changed_at from person_id_history "
        "where new_person_id = ? order by changed_at",
        (pid,),
    )
    for row in renamed.iter_rows(named=True):
        st.caption(
            f"Formerly {row['old_person_id']} ({row['reason']}, {row['changed_at']:%Y-%m-%d})."
        )


def timeline(db: Path, pid: str) -> None:
    st.subheader("Timeline")
    events = data.query(
        db,
        "select occurred_at, channel, direction from interactions "
        "where person_id = ? and not is_bulk "
        "and occurred_at < (select as_of_end from run_params) order by occurred_at",
        (pid,),
    )
    if events.height == 0:
        st.caption("No interactions counted.")
        return
    meetings = events.filter(pl.col("channel") == "meeting").height
    st.caption(
        f"{events.height} interactions counted"
        + (f", {meetings} of them meetings." if meetings else ".")
    )
    frame = events.with_columns(
        pl.col("channel").map_elements(
            lambda c: data.words(data.CHANNEL_WORDS, c), return_dtype=pl.String
        ),
        pl.col("occurred_at").dt.replace_time_zone(None),
    )
    # From a little before the first event to the as-of date, so one event is not a
    # zero-width axis and the gap since the last one is visible.
    start = frame["occurred_at"].min() - timedelta(days=15)
    end = datetime.combine(data.as_of(db), time()) + timedelta(days=1)
    domain = [start.isoformat(), max(end, frame["occurred_at"].max()).isoformat()]
    chart = (
        alt.Chart(frame)
        .mark_tick(thickness=2, size=22)
        .encode(
            x=alt.X("occurred_at:T", title=None, scale=alt.Scale(domain=domain)),
            y=alt.Y("channel:N", title=None),
            color=alt.Color("direction:N", title="direction"),
            tooltip=[alt.Tooltip("occurred_at:T", format="%Y-%m-%d %H:%M"), "channel", "direction"],
        )
        .properties(height=60 + 35 * frame["channel"].n_unique())
    )
    st.altair_chart(chart, width="stretch")


def strength(db: Path, pid: str) -> None:
    st.subheader("Strength over time")
    history = data.query(
        db,
        "select snapshot_on, strength, tier from relationship_history "
        "where person_id = ? order by snapshot_on",
        (pid,),
    )
    if history.height == 0:
        st.caption("No snapshots yet.")
        return
    chart = (
        alt.Chart(history)
        .mark_line(point=True)
        .encode(
            x=alt.X("snapshot_on:T", title="snapshot"),
            y=alt.Y("strength:Q", title="strength"),
            tooltip=["snapshot_on", alt.Tooltip("strength:Q", format=".2f"), "tier"],
        )
        .properties(height=220)
    )
    st.altair_chart(chart, width="stretch")
    if history.height == 1:
        st.caption("One snapshot so far: every run adds one.")


def main() -> None:
    st.title("Person")
    db = data.open_warehouse()
    pid = pick_person(db)
    if pid is None:
        return
    summary(db, pid)
    left, right = st.columns([3, 2])
    with left:
        timeline(db, pid)
        strength(db, pid)
    with right:
        identities(db, pid)


main()
