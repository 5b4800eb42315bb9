"""Network: growth by month (network_growth), composition by company, email domain and tier
(network_composition), and diversity figures (Blau index, largest company, weak ties).
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl
import streamlit as st

from dashboards import data

GROWTH_SERIES = {
    "new_contacts": "new contacts",
    "new_connections": "new LinkedIn connections",
    "new_two_way": "became two-way",
    "went_dormant": "went dormant",
    "reactivated": "reactivated",
}


def growth(db: Path) -> None:
    st.subheader("Growth by month")
    frame = data.query(db, "select * from network_growth order by month_on")
    if frame.height == 0:
        st.caption("No events yet.")
        return
    longer = frame.select("month_on", *GROWTH_SERIES).unpivot(
        index="month_on", variable_name="series", value_name="n"
    )
    longer = longer.with_columns(pl.col("series").replace_strict(GROWTH_SERIES))
    picked = st.multiselect(
        "Series",
        list(GROWTH_SERIES.values()),
        default=["new contacts", "new LinkedIn connections"],
        key="series",
    )
    chart = (
        alt.Chart(longer.filter(pl.col("series").is_in(picked)))
        .mark_line(point=True)
        .encode(
            x=alt.X("month_on:T", title=None),
            y=alt.Y("n:Q", title="people"),
            color=alt.Color("series:N", title=None),
            tooltip=[alt.Tooltip("month_on:T", format="%Y-%m"), "series", "n"],
        )
        .properties(height=300)
    )
    st.altair_chart(chart, width="stretch")
    total = frame.with_columns(pl.col("new_contacts").cum_sum().alias("people"))
    st.caption(
        f"{total['people'][-1]} people first contacted since {frame['month_on'][0]:%B %Y}; "
        f"{frame['pending_invitations'][-1]} invitations pending now."
    )


def bars(
    frame: pl.DataFrame, dimension: str, title: str, top: int = 12, by_value: bool = False
) -> None:
    """The largest values of one composition dimension ('unknown' left out, and said)."""
    rows = frame.filter(pl.col("dimension") == dimension)
    unknown = rows.filter(pl.col("value") == "unknown")["n_people"].sum()
    known = rows.filter(pl.col("value") != "unknown").sort(
        ["value"] if by_value else ["n_people", "value"],
        descending=[False] if by_value else [True, False],
    )
    st.markdown(f"**{title}** ({known.height})")
    if known.height == 0:
        st.caption("None known.")
        return
    chart = (
        alt.Chart(known.head(top))
        .mark_bar()
        .encode(
            x=alt.X("n_people:Q", title="people"),
            y=alt.Y("value:N", title=None, sort=None if by_value else "-x"),
            tooltip=["value", "n_people", "n_active"],
        )
        .properties(height=max(24 * min(known.height, top) + 30, 110))
    )
    st.altair_chart(chart, width="stretch")
    if unknown:
        st.caption(f"{unknown} people without one.")


def diversity(frame: pl.DataFrame) -> None:
    net = frame.filter(pl.col("dimension") == "network")
    if net.height == 0:
        return
    row = net.row(0, named=True)
    companies = frame.filter((pl.col("dimension") == "company") & (pl.col("value") != "unknown"))
    largest = companies.sort(["n_people", "value"], descending=[True, False]).head(1)
    cols = st.columns(5)
    cols[0].metric("People", row["n_people"])
    cols[1].metric("Companies", companies.height)
    blau = row["blau_index_company"]
    cols[2].metric(
        "Company diversity (Blau)",
        "–" if blau is None else f"{blau:.2f}",
        help="1 − Σ share²: the chance two random people (with a known company) work at "
        "different companies.",
    )
    share = row["largest_company_share"]
    cols[3].metric(
        "Largest company share",
        "–" if share is None else f"{share:.0%}",
        help="Share of the people with a known company who work at the largest one.",
    )
    if largest.height:
        cols[3].caption(f"{largest['value'][0]} ({largest['n_people'][0]} people)")
    weak = row["weak_tie_share"]
    cols[4].metric(
        "Weak-tie share",
        "–" if weak is None else f"{weak:.0%}",
        help="People in the weakest tiers among everyone you have been in touch with.",
    )


def main() -> None:
    st.title("Network")
    db = data.open_warehouse()
    st.caption(f"As of {data.as_of(db)}.")
    composition = data.query(db, "select * from network_composition")
    diversity(composition)
    growth(db)
    st.subheader("Composition")
    cols = st.columns(3)
    with cols[0]:
        bars(composition, "company", "Companies")
    with cols[1]:
        bars(composition, "email_domain", "Email domains")
        if not data.has_email(db):
            st.caption("No email sources configured: domains come from LinkedIn only.")
    with cols[2]:
        bars(composition, "tier", "Tiers", by_value=True)


main()
