"""Connections.csv → stg_linkedin_connections."""

from __future__ import annotations

from transforms import schemas
from transforms.rejects import Parsed
from transforms.resolve.keys import collapse_spaces
from transforms.sources.linkedin.table import (
    as_written,
    canonical_url,
    dated_records,
    finish,
    location_of,
    prepare,
    trimmed,
)


def read_connections(text: str, source_file: str) -> Parsed:
    """Connections.csv (6- or 7-column, with or without the Notes: preamble)."""
    canonical = "Connections.csv"
    cols, rows, failed = prepare(
        text,
        source_file,
        canonical,
        ["First Name", "Last Name", "Connected On"],
        is_header=lambda h: bool(h) and h[0] == "first name",
    )
    if failed:
        return failed
    assert cols is not None
    first, last, url, email, company, position, connected = (
        cols.getter(c)
        for c in (
            "First Name",
            "Last Name",
            "URL",
            "Email Address",
            "Company",
            "Position",
            "Connected On",
        )
    )
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_CONNECTIONS.names()}
    rejects: list[tuple[str, str]] = []
    for rec, row, when in dated_records(rows, connected, "Connected On", rejects):
        fn, ln = as_written(first(row)), as_written(last(row))
        out["source_file"].append(source_file)
        out["location"].append(location_of(rec))
        out["first_name"].append(fn)
        out["last_name"].append(ln)
        out["full_name"].append(collapse_spaces(f"{fn or ''} {ln or ''}"))
        out["profile_url"].append(canonical_url(url(row)))
        out["email"].append(trimmed(email(row)))
        out["company"].append(trimmed(company(row)))
        out["position"].append(trimmed(position(row)))
        out["connected_at"].append(when)
    return finish(
        source_file,
        canonical,
        "stg_linkedin_connections",
        schemas.STG_LINKEDIN_CONNECTIONS,
        out,
        len(rows),
        rejects,
    )
