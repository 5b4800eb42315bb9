"""Build time of every relationship mart on a synthetic network of ~1 million interactions.

The interactions table is synthesised directly in DuckDB (generate_series + hashes), with
the shape of a real one: 20,000 people, email and LinkedIn threads of 1-8 messages in both
directions, some Cc and group mail, 5% bulk, connections, invitations, endorsements and
recommendations, over ten years before the as-of date. Marts run in their build order
(`models.mart_order`) as in a build; the baseline is a plain copy of the interactions table
measured in the same run, so the ratio says how much work the marts are beyond reading the
data once.

    uv run python benchmarks/bench_marts.py [--interactions 1000000] [--people 20000]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime

import duckdb

from transforms.settings import MetricSettings
from transforms.warehouse import build as warehouse
from transforms.warehouse.frames import load_frame
from transforms.warehouse.models import (
    build_order,
    create_statement,
    is_intermediate,
    macros,
    sql_names,
    sql_text,
)

AS_OF = date(2026, 11, 1)


def synthesise(con: duckdb.DuckDBPyConnection, n_interactions: int, n_people: int) -> None:
    """people, person_identities, stg_linkedin_connections and interactions."""
    con.execute("set TimeZone = 'UTC'")
    con.execute(
        f"""
        create table people as
        select
            case when i = 0 then 'p_owner' else 'p_' || lpad(i::varchar, 8, '0') end
                as person_id,
            'Person ' || i as display_name,
            i = 0 as is_owner,
            2 as n_identities,
            timestamptz '2026-01-01 00:00:00+00' as first_seen_at
        from range({n_people} + 1) t(i)
        """
    )
    con.execute(
        """
        create table person_identities as
        select person_id, 'email' as kind,
            'x' || substr(person_id, 3) || '@d' || (hash(person_id) % 300) || '.example.com'
                as value,
            1 as n_seen
        from people
        union all
        select person_id, 'linkedin_url',
            'https://www.linkedin.com/in/' || substr(person_id, 3), 1
        from people
        """
    )
    con.execute(
        """
        create table stg_linkedin_connections as
        select
            'https://www.linkedin.com/in/' || substr(person_id, 3) as profile_url,
            'Company ' || (hash(person_id || 'c') % 2000) as company,
            timestamptz '2016-11-01 00:00:00+00'
                + to_days((hash(person_id || 'd') % 3650)::integer) as connected_at
        from people
        where not is_owner and hash(person_id) % 3 != 0
        """
    )
    # Threads of up to 8 messages; message k of a thread is hours after message k-1.
    con.execute(
        f"""
        create table interactions as
        with msgs as (
            select
                i,
                i // 8 as thread_no,
                i % 8 as k,
                1 + (hash(i // 8) % {n_people}) as person_no,
                hash(i // 8 + 7) % 3650 as thread_day,
                hash(i) % 100 as r
            from range({n_interactions}) t(i)
        )
        select
            lpad(i::varchar, 16, '0') as interaction_id,
            'p_' || lpad(person_no::varchar, 8, '0') as person_id,
            case
                when r < 2 then 'linkedin_connection'
                when r < 4 then 'linkedin_invitation'
                when r < 5 then 'linkedin_endorsement'
                when r = 5 then 'linkedin_recommendation'
                when thread_no % 4 = 0 then 'linkedin_message'
                else 'email'
            end as channel,
            r >= 6 as is_message,
            case
                when r < 2 then 'mutual'
                when (k + thread_no) % 2 = 0 then 'sent'
                else 'received'
            end as direction,
            timestamptz '2026-11-01 00:00:00+00' - to_days(thread_day::integer)
                + to_hours((k * (1 + hash(i + 3) % 60))::integer) as occurred_at,
            case when r >= 6 then 't' || thread_no end as thread_id,
            case when r % 10 = 0 then 'cc' when (k + thread_no) % 2 = 0 then 'to'
                else 'from' end as role,
            case when r % 7 = 0 then 4 else 2 end as n_participants,
            r >= 95 as is_bulk,
            k > 0 as is_reply,
            'synthetic' as source_file,
            'row ' || i as location
        from msgs
        """
    )
    run = warehouse.RunInfo("bench", datetime(2026, 11, 2, 3, tzinfo=UTC), AS_OF)
    load_frame(con, "run_params", warehouse.run_params(run))
    load_frame(con, "metric_settings", MetricSettings().to_frame())
    con.execute(macros())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=20_000)
    args = parser.parse_args()
    con = duckdb.connect()  # in memory: the build file's I/O is not the marts' cost
    synthesise(con, args.interactions, args.people)
    n = con.execute("select count(*) from interactions").fetchall()[0][0]

    started = time.perf_counter()
    con.execute("create table baseline_copy as select * from interactions")
    baseline = time.perf_counter() - started

    timings = {}
    for name in build_order("marts"):  # an intermediate view costs nothing until read
        started = time.perf_counter()
        con.execute(create_statement("marts", name))
        if not is_intermediate(name):
            timings[name] = time.perf_counter() - started
    failed = [  # the mart checks (the bookkeeping tables are not built here)
        name
        for name in sql_names("checks")
        if "pipeline_file_stats" not in (text := sql_text("checks", f"{name}.sql"))
        and con.execute(text).fetchall()
    ]
    con.close()

    total = sum(timings.values())
    print(f"interactions: {n:,}  people: {args.people:,}")
    for mart, seconds in timings.items():
        print(f"  {mart:<24} {seconds:7.2f} s")
    print(f"  {'total':<24} {total:7.2f} s")
    print(
        f"baseline (copy of interactions): {baseline:.2f} s; marts / baseline = "
        f"{total / baseline:.1f}x"
    )
    print("checks:", "all pass" if not failed else ", ".join(failed))


if __name__ == "__main__":
    main()
