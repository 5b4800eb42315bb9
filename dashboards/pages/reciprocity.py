"""Reciprocity: sent vs received per person, one-way relationships both ways, reply latency.

Counts are messages (email, chat, LinkedIn) from the `reciprocity` mart, in the window the
user picks; a scatter on symmetric-log axes shows zeros and large counts together.
"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboards import data

WINDOWS = {"all": "all time", "365d": "last 365 days", "90d": "last 90 days"}
OVER = {"all": "over all time", "365d": "in the last 365 days", "90d": "in the last 90 days"}

RECIPROCITY_SQL = """
select
    r.display_name,
    r.sent_count,
    r.received_count,
    r.balance,
    r.whose_turn,
    r.my_reply_median_h,
    r.their_reply_median_h,
    r.my_reply_rate,
    r.their_reply_rate,
    coalesce(s.tier, 5) as tier,
    c.last_sent_at,
    c.last_received_at,
    r.person_id
from reciprocity as r
left join relationship_strength as s on s.person_id = r.person_id
left join contact_recency as c on c.person_id = r.person_id
where r.time_window = ?
"""


# Symmetric log: logarithmic for large counts, yet 0 (a one-way relationship) stays on it.
LOG = alt.Scale(type="symlog")
TICKS = alt.Axis(values=[0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], grid=True)


def scatter(frame: pl.DataFrame) -> alt.Chart:
    """Sent (x) vs received (y) per person, symlog scales (zero stays on the chart)."""
    return (
        alt.Chart(
            frame.select(
                pl.col("display_name").alias("person"),
                pl.col("sent_count").alias("sent"),
                pl.col("received_count").alias("received"),
                pl.col("tier").cast(pl.String).alias("tier"),
            )
        )
        .mark_circle(size=70, opacity=0.75)
        .encode(
            x=alt.X("sent:Q", title="messages you sent", scale=LOG, axis=TICKS),
            y=alt.Y("received:Q", title="messages you received", scale=LOG, axis=TICKS),
            color=alt.Color("tier:N", title="tier", scale=alt.Scale(scheme="viridis")),
            tooltip=["person", "sent", "received", "tier"],
        )
        .properties(height=380)
    )


def one_way(frame: pl.DataFrame, mine: bool) -> pl.DataFrame:
    """Only-I-write (mine) or only-they-write relationships, the busiest first."""
    count, other, last = (
        ("sent_count", "received_count", "last_sent_at")
        if mine
        else ("received_count", "sent_count", "last_received_at")
    )
    return (
        frame.filter((pl.col(count) > 0) & (pl.col(other) == 0))
        .sort([count, "display_name"], descending=[True, False])
        .select(
            pl.col("display_name").alias("Person"),
            pl.col(count).alias("Messages"),
            pl.col(last).dt.strftime("%Y-%m-%d").alias("Last one"),
        )
    )


def latency(frame: pl.DataFrame) -> None:
    """How fast each side answers: medians over people, and the slowest relationships."""
    mine = frame["my_reply_median_h"].drop_nulls()
    theirs = frame["their_reply_median_h"].drop_nulls()
    cols = st.columns(2)
    cols[0].metric(
        "Your replies: median hours",
        "–" if mine.is_empty() else f"{mine.median():.1f}",
        help=f"Median over {mine.len()} people of the median time you took to answer them.",
    )
    cols[1].metric(
        "Their replies: median hours",
        "–" if theirs.is_empty() else f"{theirs.median():.1f}",
        help=f"Median over {theirs.len()} people of the median time they took to answer you.",
    )
    table = (
        frame.filter(
            pl.col("my_reply_median_h").is_not_null() | pl.col("their_reply_median_h").is_not_null()
        )
        .sort("display_name")
        .select(
            pl.col("display_name").alias("Person"),
            pl.col("my_reply_median_h").round(1).alias("You answer (median h)"),
            pl.col("their_reply_median_h").round(1).alias("They answer (median h)"),
            pl.col("my_reply_rate").alias("You answer (share)"),
            pl.col("their_reply_rate").alias("They answer (share)"),
        )
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "You answer (share)": st.column_config.ProgressColumn(min_value=0, max_value=1),
            "They answer (share)": st.column_config.ProgressColumn(min_value=0, max_value=1),
        },
        key="latency",
    )


def main() -> None:
    st.title("Reciprocity")
    db = data.open_warehouse()
    data.no_email_note(db)
    window = st.radio(
        "Window",
        list(WINDOWS),
        format_func=WINDOWS.get,
        horizontal=True,
        key="window",
    )
    frame = data.query(db, RECIPROCITY_SQL, (window,))
    talked = frame.filter(pl.col("sent_count") + pl.col("received_count") > 0)
    if talked.height == 0:
        st.info(f"No messages with anyone {OVER[window]}.")
        return
    two_way = talked.filter((pl.col("sent_count") > 0) & (pl.col("received_count") > 0)).height
    st.caption(
        f"{talked.height} people exchanged messages with you {OVER[window]}; {two_way} both ways."
    )
    st.altair_chart(scatter(talked), width="stretch")
    left, right = st.columns(2)
    mine = one_way(talked, mine=True)
    theirs = one_way(talked, mine=False)
    with left:
        st.subheader(f"Only you write ({mine.height})")
        st.dataframe(mine, hide_index=True, width="stretch", key="only_me")
    with right:
        st.subheader(f"Only they write ({theirs.height})")
        st.dataframe(theirs, hide_index=True, width="stretch", key="only_them")
    st.subheader("Reply latency")
    latency(talked)


main()
