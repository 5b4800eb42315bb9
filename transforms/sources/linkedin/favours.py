"""Endorsements and recommendations, given and received."""

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


def _read_endorsements(text: str, source_file: str, canonical: str, direction: str) -> Parsed:
    """Endorsement_{Given,Received}_Info.csv: the other party is the endorsee / endorser."""
    who = "Endorsee" if direction == "given" else "Endorser"
    cols, rows, failed = prepare(
        text, source_file, canonical, ["Endorsement Date", f"{who} First Name"]
    )
    if failed:
        return failed
    assert cols is not None
    date, skill, first, last, url, status = (
        cols.getter(c)
        for c in (
            "Endorsement Date",
            "Skill Name",
            f"{who} First Name",
            f"{who} Last Name",
            f"{who} Public Url",  # no scheme: www.linkedin.com/in/<slug>; absent before 2022
            "Endorsement Status",
        )
    )
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_ENDORSEMENTS.names()}
    rejects: list[tuple[str, str]] = []
    # Endorsement Date: 2022/04/01 11:05:54 UTC
    for rec, row, when in dated_records(rows, date, "Endorsement Date", rejects):
        fn, ln = as_written(first(row)), as_written(last(row))
        out["source_file"].append(source_file)
        out["location"].append(location_of(rec))
        out["direction"].append(direction)
        out["endorsed_at"].append(when)
        out["first_name"].append(fn)
        out["last_name"].append(ln)
        out["full_name"].append(collapse_spaces(f"{fn or ''} {ln or ''}"))
        out["profile_url"].append(canonical_url(url(row)))
        out["skill"].append(trimmed(skill(row)))
        out["status"].append(trimmed(status(row)))
    return finish(
        source_file,
        canonical,
        "stg_linkedin_endorsements",
        schemas.STG_LINKEDIN_ENDORSEMENTS,
        out,
        len(rows),
        rejects,
    )


def read_endorsements_given(text: str, source_file: str) -> Parsed:
    """Endorsement_Given_Info.csv: endorsements the owner gave."""
    return _read_endorsements(text, source_file, "Endorsement_Given_Info.csv", "given")


def read_endorsements_received(text: str, source_file: str) -> Parsed:
    """Endorsement_Received_Info.csv: endorsements the owner received."""
    return _read_endorsements(text, source_file, "Endorsement_Received_Info.csv", "received")


# -- Recommendations --------------------------------------------------------------------------


def _read_recommendations(text: str, source_file: str, canonical: str, direction: str) -> Parsed:
    """``First Name,Last Name,Company,Job Title,Text,Creation Date,Status`` (both files).

    ``Text`` (long, multi-line) is deliberately never read: it is private prose.
    """
    cols, rows, failed = prepare(
        text, source_file, canonical, ["First Name", "Last Name", "Creation Date"]
    )
    if failed:
        return failed
    assert cols is not None
    first, last, company, title, created, status = (
        cols.getter(c)
        for c in ("First Name", "Last Name", "Company", "Job Title", "Creation Date", "Status")
    )
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_RECOMMENDATIONS.names()}
    rejects: list[tuple[str, str]] = []
    # Creation Date: "5/4/25, 3:30 PM"
    for rec, row, when in dated_records(rows, created, "Creation Date", rejects):
        fn, ln = as_written(first(row)), as_written(last(row))
        out["source_file"].append(source_file)
        out["location"].append(location_of(rec))
        out["direction"].append(direction)
        out["created_at"].append(when)
        out["first_name"].append(fn)
        out["last_name"].append(ln)
        out["full_name"].append(collapse_spaces(f"{fn or ''} {ln or ''}"))
        out["company"].append(trimmed(company(row)))
        out["job_title"].append(trimmed(title(row)))
        out["status"].append(trimmed(status(row)))
    return finish(
        source_file,
        canonical,
        "stg_linkedin_recommendations",
        schemas.STG_LINKEDIN_RECOMMENDATIONS,
        out,
        len(rows),
        rejects,
    )


def read_recommendations_given(text: str, source_file: str) -> Parsed:
    """Recommendations_Given.csv / Recommendations Given.csv: the owner recommended them."""
    return _read_recommendations(text, source_file, "Recommendations_Given.csv", "given")


def read_recommendations_received(text: str, source_file: str) -> Parsed:
    """Recommendations_Received.csv / Recommendations Received.csv: they recommended the owner."""
    return _read_recommendations(text, source_file, "Recommendations_Received.csv", "received")
