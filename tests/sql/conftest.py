"""A tiny hand-written network for the mart tests, loaded straight into DuckDB (no parsing,
no resolution, no Prefect): core tables, run_params and metric_settings from inline rows,
then every mart's SQL in build order.

The owner (p_own) and ten people, as of 2026-11-01 (windows end 2026-11-02 00:00 UTC):
- ada: invitation I sent 2024-02-03, connection 2024-02-05, endorsed me 2026-05-10; email
  thread a1 (she wrote 10-01 08:00, I answered 10-02 09:00), LinkedIn thread a2 (I wrote
  10-20 12:00, she answered 10-21 18:00), email thread a3 (I wrote 10-30 10:00).
- bea: only received mail (10-25 09:00), plus a message after the as-of date.
- cal: only a connection event (2021-06-17).
- dev: I wrote 06-01 10:00; his answer came 19 days later (outside the 7-day reply window);
  I answered him the next day (26 h); I recommended him 2025-12-01.
- eli + fay: a thread with several people. eli wrote to me with fay in Cc (09-01 09:00),
  I answered both (eli To, fay Cc, 15:00), fay answered eli with me in Cc (09-02 09:00).
- gus: I wrote once (2025-01-10); his later mail is bulk and must not count.
- hal: my invitation, not accepted (10-20). ivy: her invitation, pending (10-28).
- jo: four threads in March 2025, every message of hers answered (2 h, 4 h, 10 h; then two
  of hers, 03-20 and 03-21 09:00, answered at once on 03-22 09:00).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import duckdb
import polars as pl
import pytest

from transforms import schemas
from transforms.resolve.people import Resolution
from transforms.schemas import MATCH_DECISIONS, PERSON_ID_HISTORY, PERSON_IDENTITIES
from transforms.settings import MetricSettings
from transforms.warehouse import build as warehouse
from transforms.warehouse.frames import load_frame
from transforms.warehouse.models import build_order, create_statement, macros

AS_OF = date(2026, 11, 1)

# Small tiers so a ten-person network spans all five (ranks 1, 2, 3, 4, rest).
SETTINGS = MetricSettings.from_dict({"tier_sizes": [1, 2, 3, 4], "cadence_overrides": {"p_bea": 3}})


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


PEOPLE = [
    ("p_own", "Owner", True),
    ("p_ada", "Ada", False),
    ("p_bea", "Bea", False),
    ("p_cal", "Cal", False),
    ("p_dev", "Dev", False),
    ("p_eli", "Eli", False),
    ("p_fay", "Fay", False),
    ("p_gus", "Gus", False),
    ("p_hal", "Hal", False),
    ("p_ivy", "Ivy", False),
    ("p_jo", "Jo", False),
]

IDENTITIES = [
    ("p_own", "email", "me@example.com"),
    ("p_ada", "email", "ada@acme.example.com"),
    ("p_ada", "email", "ada.home@mail.example.org"),
    ("p_ada", "linkedin_url", "https://www.linkedin.com/in/ada"),
    ("p_bea", "email", "bea@mail.example.org"),
    ("p_cal", "linkedin_url", "https://www.linkedin.com/in/cal"),
    ("p_dev", "email", "dev@acme.example.com"),
    ("p_eli", "email", "eli@mail.example.org"),
    ("p_fay", "email", "fay@fay.example.net"),
    ("p_gus", "email", "gus@news.example.net"),
    ("p_hal", "linkedin_url", "https://www.linkedin.com/in/hal"),
    ("p_ivy", "linkedin_url", "https://www.linkedin.com/in/ivy"),
    ("p_jo", "email", "jo@mail.example.org"),
    ("p_jo", "name", "Jo"),
]

# (profile_url, company, connected_at): cal's older row names a company he left.
CONNECTIONS = [
    ("https://www.linkedin.com/in/ada", " Acme Corp ", utc(2024, 2, 5)),
    ("https://www.linkedin.com/in/cal", "Old Co", utc(2019, 1, 1)),
    ("https://www.linkedin.com/in/cal", "Bolt", utc(2021, 6, 17)),
]
# Hidden connections (a date and nothing else), in two exports: September 2025 holds two in
# export a and one in export b (which may be one of a's), so the month counts two.
HIDDEN = [("a/Connections.csv", utc(2025, 9, 3)), ("a/Connections.csv", utc(2025, 9, 20))]
HIDDEN += [("b/Connections.csv", utc(2025, 9, 3)), ("b/Connections.csv", utc(2026, 12, 1))]

# (person, channel, direction, occurred_at, thread_id, role, n_participants, is_bulk)
INTERACTIONS = [
    ("p_ada", "linkedin_invitation", "sent", utc(2024, 2, 3, 10), None, "to", 2, False),
    ("p_ada", "linkedin_connection", "mutual", utc(2024, 2, 5), None, None, 2, False),
    ("p_ada", "linkedin_endorsement", "received", utc(2026, 5, 10, 12), None, "from", 2, False),
    ("p_ada", "email", "received", utc(2026, 10, 1, 8), "t_a1", "from", 2, False),
    ("p_ada", "email", "sent", utc(2026, 10, 2, 9), "t_a1", "to", 2, False),
    ("p_ada", "linkedin_message", "sent", utc(2026, 10, 20, 12), "t_a2", "to", 2, False),
    ("p_ada", "linkedin_message", "received", utc(2026, 10, 21, 18), "t_a2", "from", 2, False),
    ("p_ada", "email", "sent", utc(2026, 10, 30, 10), "t_a3", "to", 2, False),
    ("p_bea", "email", "received", utc(2026, 10, 25, 9), "t_b1", "from", 2, False),
    ("p_bea", "email", "sent", utc(2026, 11, 2, 8), "t_b1", "to", 2, False),  # after as-of
    ("p_cal", "linkedin_connection", "mutual", utc(2021, 6, 17), None, None, 2, False),
    ("p_dev", "linkedin_recommendation", "sent", utc(2025, 12, 1, 12), None, "to", 2, False),
    ("p_dev", "email", "sent", utc(2026, 6, 1, 10), "t_d1", "to", 2, False),
    ("p_dev", "email", "received", utc(2026, 6, 20, 10), "t_d1", "from", 2, False),
    ("p_dev", "email", "sent", utc(2026, 6, 21, 12), "t_d1", "to", 2, False),
    ("p_eli", "email", "received", utc(2026, 9, 1, 9), "t_g", "from", 3, False),
    ("p_eli", "email", "sent", utc(2026, 9, 1, 15), "t_g", "to", 3, False),
    ("p_fay", "email", "sent", utc(2026, 9, 1, 15), "t_g", "cc", 3, False),
    ("p_fay", "email", "received", utc(2026, 9, 2, 9), "t_g", "from", 3, False),
    ("p_gus", "email", "sent", utc(2025, 1, 10, 10), "t_n1", "to", 2, False),
    ("p_gus", "email", "received", utc(2026, 10, 30, 7), "t_n2", "from", 2, True),  # bulk
    ("p_hal", "linkedin_invitation", "sent", utc(2026, 10, 20, 10), None, "to", 2, False),
    ("p_ivy", "linkedin_invitation", "received", utc(2026, 10, 28, 8), None, "from", 2, False),
    ("p_jo", "email", "received", utc(2025, 3, 3, 9), "t_j1", "from", 2, False),
    ("p_jo", "email", "sent", utc(2025, 3, 3, 11), "t_j1", "to", 2, False),
    ("p_jo", "email", "received", utc(2025, 3, 10, 9), "t_j2", "from", 2, False),
    ("p_jo", "email", "sent", utc(2025, 3, 10, 13), "t_j2", "to", 2, False),
    ("p_jo", "email", "received", utc(2025, 3, 17, 9), "t_j3", "from", 2, False),
    ("p_jo", "email", "sent", utc(2025, 3, 17, 19), "t_j3", "to", 2, False),
    ("p_jo", "email", "received", utc(2025, 3, 20, 9), "t_j4", "from", 2, False),
    ("p_jo", "email", "received", utc(2025, 3, 21, 9), "t_j4", "from", 2, False),
    ("p_jo", "email", "sent", utc(2025, 3, 22, 9), "t_j4", "to", 2, False),
]

TS = pl.Datetime("us", "UTC")

# The interactions of these channels are messages (interactions.is_message).
MESSAGE_CHANNELS = ("email", "email_chat", "linkedin_message")


def load_core(
    con: duckdb.DuckDBPyConnection,
    interactions: list[tuple],
    settings: MetricSettings,
    as_of: date = AS_OF,
) -> None:
    """Core tables, run_params and metric_settings from inline rows."""
    con.execute("set TimeZone = 'UTC'")
    people = pl.DataFrame(
        [(p, n, o, 1, utc(2026, 1, 1)) for p, n, o in PEOPLE],
        schema={
            "person_id": pl.String,
            "display_name": pl.String,
            "is_owner": pl.Boolean,
            "n_identities": pl.Int32,
            "first_seen_at": TS,
        },
        orient="row",
    )
    identities = pl.DataFrame(
        [(p, k, v, 1) for p, k, v in IDENTITIES],
        schema={"person_id": pl.String, "kind": pl.String, "value": pl.String, "n_seen": pl.Int32},
        orient="row",
    )
    rows = [
        (
            f"i{n:03d}",
            *row[:2],
            row[1] in MESSAGE_CHANNELS,
            *row[2:],
            None,
            "hand",
            f"row {n}",
        )
        for n, row in enumerate(interactions)
    ]
    inter = pl.DataFrame(
        rows,
        schema={
            "interaction_id": pl.String,
            "person_id": pl.String,
            "channel": pl.String,
            "is_message": pl.Boolean,
            "direction": pl.String,
            "occurred_at": TS,
            "thread_id": pl.String,
            "role": pl.String,
            "n_participants": pl.Int32,
            "is_bulk": pl.Boolean,
            "is_reply": pl.Boolean,
            "source_file": pl.String,
            "location": pl.String,
        },
        orient="row",
    )
    connections = pl.concat(
        [
            pl.DataFrame(
                CONNECTIONS,
                schema={"profile_url": pl.String, "company": pl.String, "connected_at": TS},
                orient="row",
            ),
            pl.DataFrame(
                HIDDEN, schema={"source_file": pl.String, "connected_at": TS}, orient="row"
            ),
        ],
        how="diagonal",
    )
    connections = schemas.conform(connections, schemas.STG_LINKEDIN_CONNECTIONS)
    run = warehouse.RunInfo("r1", utc(2026, 11, 2, 3), as_of)
    for name, frame in (
        ("people", people),
        ("person_identities", identities),
        ("interactions", inter),
        ("stg_linkedin_connections", connections),
        ("run_params", warehouse.run_params(run)),
        ("metric_settings", settings.to_frame()),
    ):
        load_frame(con, name, frame)


def build_marts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(macros())
    for name in build_order("marts"):
        con.execute(create_statement("marts", name))


@pytest.fixture(scope="module")
def marts() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load_core(con, INTERACTIONS, SETTINGS)
    build_marts(con)
    yield con
    con.close()


def fetch(con: duckdb.DuckDBPyConnection, query: str) -> list[dict]:
    """Rows as dicts (column name -> value)."""
    rel = con.sql(query)
    names = rel.columns
    return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]


@pytest.fixture(scope="session")
def hand() -> SimpleNamespace:
    """The network's rows and loaders (tests import nothing from conftest)."""
    return SimpleNamespace(
        AS_OF=AS_OF,
        SETTINGS=SETTINGS,
        INTERACTIONS=INTERACTIONS,
        load_core=load_core,
        build_marts=build_marts,
        fetch=fetch,
    )


# -- a resolved network of three (the owner, A and B), for tests that build a warehouse
# without parsing: warehouse.build needs a resolution, these tests need nothing more.
_T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def three_people() -> SimpleNamespace:
    """`.resolution` (people p_own, p_a, p_b with one address each) and `.no_stats` (an
    empty pipeline_file_stats frame)."""
    resolution = Resolution(
        people=pl.DataFrame(
            [
                ("p_own", "Owner", True, 1, _T0),
                ("p_a", "A", False, 1, _T0),
                ("p_b", "B", False, 1, _T0),
            ],
            schema=schemas.PEOPLE,
            orient="row",
        ),
        person_identities=pl.DataFrame(
            [
                ("p_own", "email", "me@example.com", 1),
                ("p_a", "email", "a@example.com", 1),
                ("p_b", "email", "b@example.com", 1),
            ],
            schema=PERSON_IDENTITIES,
            orient="row",
        ),
        match_decisions=pl.DataFrame(schema=MATCH_DECISIONS),
        person_id_history=pl.DataFrame(schema=PERSON_ID_HISTORY),
    )
    no_stats = schemas.empty(schemas.FILE_STATS)
    return SimpleNamespace(resolution=resolution, no_stats=no_stats)
