"""Positions.csv → stg_linkedin_positions."""

from __future__ import annotations

from transforms import schemas
from transforms.rejects import Parsed
from transforms.resolve.keys import collapse_spaces
from transforms.sources.linkedin.dates import parse_month
from transforms.sources.linkedin.table import finish, location_of, prepare, quoted


def read_positions(text: str, source_file: str) -> Parsed:
    """Positions.csv: ``Company Name,Title,Description,Location,Started On,Finished On``.

    The owner's own history. ``Description`` is not read; trailing spaces in company names
    (seen in real files) are trimmed.
    """
    canonical = "Positions.csv"
    cols, rows, failed = prepare(text, source_file, canonical, ["Company Name"])
    if failed:
        return failed
    assert cols is not None
    company, title, place, started, finished = (
        cols.getter(c) for c in ("Company Name", "Title", "Location", "Started On", "Finished On")
    )
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_POSITIONS.names()}
    rejects: list[tuple[str, str]] = []
    for rec in rows:
        if rec.fields is None:
            rejects.append((location_of(rec), rec.error))
            continue
        row = rec.fields
        start, ok_start = parse_month(started(row))
        if not ok_start:
            rejects.append((location_of(rec), f"unparseable Started On {quoted(started(row))}"))
            continue
        end, ok_end = parse_month(finished(row))
        if not ok_end:
            rejects.append((location_of(rec), f"unparseable Finished On {quoted(finished(row))}"))
            continue
        out["source_file"].append(source_file)
        out["location"].append(location_of(rec))
        out["company"].append(collapse_spaces(company(row)))
        out["title"].append(collapse_spaces(title(row)))
        out["place"].append(collapse_spaces(place(row)))
        out["started_on"].append(start)
        out["finished_on"].append(end)
    return finish(
        source_file,
        canonical,
        "stg_linkedin_positions",
        schemas.STG_LINKEDIN_POSITIONS,
        out,
        len(rows),
        rejects,
    )
