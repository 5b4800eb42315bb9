"""Endorsements and recommendations, given and received: favours between the owner and others.

* ``Endorsement_Given_Info.csv`` / ``Endorsement_Received_Info.csv`` →
  stg_linkedin_endorsements. The other party is the ``Endorsee`` / ``Endorser``;
  ``Endorsement Date`` reads ``2022/04/01 11:05:54 UTC``; the ``... Public Url`` has no
  scheme (``www.linkedin.com/in/<slug>``) and is missing in 2021-2022 exports.
* ``Recommendations_Given.csv`` / ``Recommendations_Received.csv`` (2017-2020: with spaces,
  ``Recommendations Given.csv``) → stg_linkedin_recommendations:
  ``First Name,Last Name,Company,Job Title,Text,Creation Date,Status`` in both files;
  ``Creation Date`` reads ``5/4/25, 3:30 PM``. ``Text`` (long, multi-line) is deliberately
  never read: it is private prose.

All four are one shape: a direction, a date, the other party's name, a few plain columns.
"""

from __future__ import annotations

from collections.abc import Callable

from transforms import schemas
from transforms.rejects import Parsed
from transforms.sources.linkedin import table


def _endorsements(name: str, party: str) -> table.Layout:
    """`party` is the header prefix of the other party: "Endorsee" / "Endorser"."""
    return table.Layout(
        name,
        "stg_linkedin_endorsements",
        schemas.STG_LINKEDIN_ENDORSEMENTS,
        required=("Endorsement Date", f"{party} First Name"),
        trimmed={"skill": "Skill Name", "status": "Endorsement Status"},
        urls={"profile_url": f"{party} Public Url"},  # no scheme; absent before 2022
    )


def _recommendations(name: str) -> table.Layout:
    return table.Layout(
        name,
        "stg_linkedin_recommendations",
        schemas.STG_LINKEDIN_RECOMMENDATIONS,
        required=("First Name", "Last Name", "Creation Date"),
        trimmed={"company": "Company", "job_title": "Job Title", "status": "Status"},
    )


ENDORSEMENTS_GIVEN = _endorsements("Endorsement_Given_Info.csv", "Endorsee")
ENDORSEMENTS_RECEIVED = _endorsements("Endorsement_Received_Info.csv", "Endorser")
RECOMMENDATIONS_GIVEN = _recommendations("Recommendations_Given.csv")
RECOMMENDATIONS_RECEIVED = _recommendations("Recommendations_Received.csv")


def _rows(
    direction: str, dated: str, header: str, party: str = ""
) -> Callable[[table.Columns], table.RowFn]:
    """Row functions for one file: `dated` is the staged column of the `header` date."""

    def bind(cols: table.Columns) -> table.RowFn:
        when = cols.getter(header)
        first, last = cols.getters(f"{party} First Name".lstrip(), f"{party} Last Name".lstrip())
        return lambda fields, line: {
            "direction": direction,
            dated: table.dated(when(fields), header),
            **table.person(first(fields), last(fields)),
        }

    return bind


def read_endorsements_given(text: str, source_file: str) -> Parsed:
    """Endorsement_Given_Info.csv: endorsements the owner gave."""
    rows = _rows("given", "endorsed_at", "Endorsement Date", "Endorsee")
    return table.read(text, source_file, ENDORSEMENTS_GIVEN, rows)


def read_endorsements_received(text: str, source_file: str) -> Parsed:
    """Endorsement_Received_Info.csv: endorsements the owner received."""
    rows = _rows("received", "endorsed_at", "Endorsement Date", "Endorser")
    return table.read(text, source_file, ENDORSEMENTS_RECEIVED, rows)


def read_recommendations_given(text: str, source_file: str) -> Parsed:
    """Recommendations_Given.csv / Recommendations Given.csv: the owner recommended them."""
    rows = _rows("given", "created_at", "Creation Date")
    return table.read(text, source_file, RECOMMENDATIONS_GIVEN, rows)


def read_recommendations_received(text: str, source_file: str) -> Parsed:
    """Recommendations_Received.csv / Recommendations Received.csv: they recommended the owner."""
    rows = _rows("received", "created_at", "Creation Date")
    return table.read(text, source_file, RECOMMENDATIONS_RECEIVED, rows)
