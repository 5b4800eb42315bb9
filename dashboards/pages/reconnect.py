"""Reconnect: the follow-up queue, most urgent first, filtered by tier, reason and channel.

Each row says why in words (the mart's `reason`) and when and how you were last in touch.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import data

QUEUE_SQL = """
with events as (
    select *
    from interactions
    where not is_bulk and occurred_at < (select as_of_end from run_params)
),
last_event as (
    select
        person_id,
        max(occurred_at) as last_at,
        arg_max(channel, (occurred_at, channel)) as last_channel,
        arg_max(direction, (occurred_at, channel)) as last_direction
    from events
    group by person_id
),
thread_channel as (
    select person_id, thread_id, arg_max(channel, occurred_at) as channel
    from events
    where thread_id is not null
    group by person_id, thread_id
)
select
    q.priority,
    q.display_name,
    q.item_kind,
    q.reason,
    q.tier,
    q.since,
    q.age_d,
    coalesce(
        t.channel,
        case when q.item_kind like '%invitation%' then 'linkedin_invitation' end,
        l.last_channel
    ) as channel,
    l.last_at,
    l.last_channel,
    l.last_direction,
    q.person_id
from follow_up_queue as q
left join thread_channel as t on t.person_id = q.person_id and t.thread_id = q.thread_id
left join last_event as l on l.person_id = q.person_id
order by q.priority, q.age_d desc, q.person_id, q.item_kind, q.thread_id
"""

DIRECTION_WORDS = {"sent": "from you", "received": "from them", "mutual": ""}


def last_in_words(row: dict) -> str:
    """e.g. '2026-08-07, email from you'."""
    if row["last_at"] is None:
        return "never"
    how = f"{data.words(data.CHANNEL_WORDS, row['last_channel'])} "
    how += DIRECTION_WORDS.get(row["last_direction"], "")
    return f"{row['last_at']:%Y-%m-%d}, {how.strip()}"


def main() -> None:
    st.title("Reconnect")
    db = data.open_warehouse()
    st.caption(f"Open follow-ups as of {data.as_of(db)}, most urgent first.")
    queue = data.query(db, QUEUE_SQL)
    if queue.height == 0:
        st.success("Nothing to follow up: every conversation is answered and no one is overdue.")
        data.no_email_note(db)
        return
    tiers = sorted(queue["tier"].unique().to_list())
    kinds = [k for k in data.KIND_WORDS if k in set(queue["item_kind"])]
    kinds += sorted(set(queue["item_kind"]) - set(kinds))
    channels = sorted(c for c in queue["channel"].unique().to_list() if c is not None)
    cols = st.columns(3)
    pick_tiers = cols[0].multiselect("Tier", tiers, default=tiers, key="tier")
    pick_kinds = cols[1].multiselect(
        "Reason",
        kinds,
        default=kinds,
        format_func=lambda k: data.words(data.KIND_WORDS, k),
        key="reason",
    )
    pick_channels = cols[2].multiselect(
        "Channel",
        channels,
        default=channels,
        format_func=lambda c: data.words(data.CHANNEL_WORDS, c),
        key="channel",
    )
    shown = queue.filter(
        pl.col("tier").is_in(pick_tiers)
        & pl.col("item_kind").is_in(pick_kinds)
        & (pl.col("channel").is_in(pick_channels) | pl.col("channel").is_null())
    )
    st.caption(f"{shown.height} of {queue.height} open items shown.")
    table = shown.select(
        pl.col("priority").alias("Priority"),
        pl.col("display_name").alias("Person"),
        pl.col("item_kind")
        .map_elements(lambda k: data.words(data.KIND_WORDS, k), return_dtype=pl.String)
        .alias("What"),
        pl.col("reason").alias("Why"),
        pl.col("tier").alias("Tier"),
        pl.col("channel")
        .map_elements(lambda c: data.words(data.CHANNEL_WORDS, c), return_dtype=pl.String)
        .alias("Channel"),
        pl.Series(
            "Last interaction",
            [last_in_words(r) for r in shown.iter_rows(named=True)],
            dtype=pl.String,
        ),
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Priority": st.column_config.NumberColumn(width="small"),
            "Tier": st.column_config.NumberColumn(width="small"),
            "Why": st.column_config.TextColumn(width="large"),
        },
    )


main()
