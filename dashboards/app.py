"""kith dashboard: the morning view of one's network. This file is the "Today" page and the
router that names the other pages (Reconnect, Reciprocity, Person, Network).

Start it with `kith dashboard [--db PATH] [--port N]` (or
`streamlit run dashboards/app.py -- --db PATH`). Every query opens the warehouse read-only
and closes it again (dashboards/data.py), so the nightly swap is picked up without a restart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts only dashboards/ on the path
    sys.path.insert(0, str(ROOT))

from dashboards import data  # noqa: E402

PAGES = {
    "Reconnect": ("pages/reconnect.py", "whom to get back to, most urgent first"),
    "Reciprocity": ("pages/reciprocity.py", "who writes to whom, one-way relationships, replies"),
    "Person": ("pages/person.py", "one person: identities, timeline, strength over time"),
    "Network": ("pages/network.py", "growth by month, companies and domains, diversity"),
}

HEADLINE_SQL = """
with settings as (select * from metric_settings)
select
    snapshot_on,
    count(*) as people,
    count(*) filter (where days_since_last_contact < settings.active_window_d) as active,
    count(*) filter (where sent_count > 0 and received_count > 0)
        / nullif(count(*) filter (where sent_count + received_count > 0), 0) as two_way_share,
    count(*) filter (where days_overdue > 0 and tier <= settings.overdue_max_tier) as overdue
from relationship_history
cross join settings
where snapshot_on in (
    (select as_of from run_params),
    (select max(snapshot_on) from relationship_history
     where snapshot_on <= (select as_of from run_params) - 7)
)
group by snapshot_on, settings.active_window_d, settings.overdue_max_tier
order by snapshot_on desc
"""

CONNECTIONS_SQL = """
select month_on, new_connections
from network_growth
where month_on >= date_trunc('month', (select as_of from run_params)) - interval 1 month
order by month_on desc
"""


def headline(db: Path) -> None:
    """Five numbers, each with its change since the snapshot a week (or more) earlier."""
    rows = data.query(db, HEADLINE_SQL)
    now = rows.row(0, named=True) if rows.height else None
    before = rows.row(1, named=True) if rows.height > 1 else None
    if now is None:
        st.info("The warehouse holds no contacts yet: check the sources given to `kith run`.")
        return
    conn = data.query(db, CONNECTIONS_SQL)
    this_month = conn["new_connections"][0] if conn.height else 0
    last_month = conn["new_connections"][1] if conn.height > 1 else None
    active_days = data.scalar(db, "select active_window_d from metric_settings")

    def delta(key: str, pct: bool = False) -> str | None:
        if before is None or now[key] is None or before[key] is None:
            return None
        change = now[key] - before[key]
        return f"{change * 100:+.0f} pts" if pct else f"{change:+d}"

    cols = st.columns(5)
    cols[0].metric("People", now["people"], delta("people"))
    cols[1].metric(f"Active in {active_days} days", now["active"], delta("active"))
    share = now["two_way_share"]
    cols[2].metric(
        "Two-way share",
        "–" if share is None else f"{share:.0%}",
        delta("two_way_share", pct=True),
        help="People you have written to AND heard from, among everyone you exchanged "
        "messages with (all time).",
    )
    cols[3].metric(
        "Overdue follow-ups",
        now["overdue"],
        delta("overdue"),
        delta_color="inverse",
        help="People past their keep-in-touch cadence (see Reconnect).",
    )
    cols[4].metric(
        "New connections",
        this_month,
        help="LinkedIn connections made this calendar month"
        + ("." if last_month is None else f"; last month: {last_month}."),
    )
    if before is None:
        st.caption("No snapshot from a week earlier yet: changes appear after a week of runs.")
    else:
        st.caption(f"Changes since the snapshot of {before['snapshot_on']}.")


def top_of_queue(db: Path) -> None:
    """The five most urgent follow-ups, as a teaser for the Reconnect page."""
    queue = data.query(
        db,
        "select display_name, reason, priority from follow_up_queue "
        "order by priority, age_d desc, person_id, item_kind, thread_id limit 5",
    )
    st.subheader("Most urgent")
    if queue.height == 0:
        st.success("Nothing to follow up today.")
        return
    for row in queue.iter_rows(named=True):
        st.markdown(f"- **{row['display_name']}**: {row['reason']}")


def today() -> None:
    """The first page: headline numbers and where to go next."""
    st.title("Today")
    db = data.open_warehouse()
    finished = data.scalar(db, "select max(finished_at) from pipeline_runs")
    st.caption(f"As of {data.as_of(db)} · last run finished {finished:%Y-%m-%d %H:%M} UTC")
    headline(db)
    data.no_email_note(db)
    left, right = st.columns([3, 2])
    with left:
        top_of_queue(db)
    with right:
        st.subheader("Where to go")
        for title, (path, what) in PAGES.items():
            st.page_link(path, label=title)
            st.caption(what)


st.set_page_config(page_title="kith", layout="wide")
navigation = st.navigation(
    [st.Page(today, title="Today", url_path="today", default=True)]
    + [st.Page(path, title=title) for title, (path, _) in PAGES.items()]
)
navigation.run()
