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
"""

from __future__ import annotations

from transforms.rejects import Parsed
from transforms.sources.linkedin import table


def _endorsements(name: str, direction: str, party: str) -> table.Layout:
    """`party` is the header prefix naming the other party: "Endorsee" / "Endorser"."""
    return table.Layout(
        name,
        "stg_linkedin_endorsements",
        required=("Endorsement Date", f"{party} First Name"),
        dated=("endorsed_at", "Endorsement Date"),
        names=(f"{party} First Name", f"{party} Last Name"),
        trimmed={"skill": "Skill Name", "status": "Endorsement Status"},
        urls={"profile_url": f"{party} Public Url"},  # no scheme; absent before 2022
        fixed={"direction": direction},
    )


def _recommendations(name: str, direction: str) -> table.Layout:
    return table.Layout(
        name,
        "stg_linkedin_recommendations",
        required=("First Name", "Last Name", "Creation Date"),
        dated=("created_at", "Creation Date"),
        names=("First Name", "Last Name"),
        trimmed={"company": "Company", "job_title": "Job Title", "status": "Status"},
        fixed={"direction": direction},
    )


ENDORSEMENTS_GIVEN = _endorsements("Endorsement_Given_Info.csv", "given", "Endorsee")
ENDORSEMENTS_RECEIVED = _endorsements("Endorsement_Received_Info.csv", "received", "Endorser")
RECOMMENDATIONS_GIVEN = _recommendations("Recommendations_Given.csv", "given")
RECOMMENDATIONS_RECEIVED = _recommendations("Recommendations_Received.csv", "received")


def read_endorsements_given(text: str, source_file: str) -> Parsed:
    """Endorsement_Given_Info.csv: endorsements the owner gave."""
    return table.read(text, source_file, ENDORSEMENTS_GIVEN)


def read_endorsements_received(text: str, source_file: str) -> Parsed:
    """Endorsement_Received_Info.csv: endorsements the owner received."""
    return table.read(text, source_file, ENDORSEMENTS_RECEIVED)


def read_recommendations_given(text: str, source_file: str) -> Parsed:
    """Recommendations_Given.csv / Recommendations Given.csv: the owner recommended them."""
    return table.read(text, source_file, RECOMMENDATIONS_GIVEN)


def read_recommendations_received(text: str, source_file: str) -> Parsed:
    """Recommendations_Received.csv / Recommendations Received.csv: they recommended the owner."""
    return table.read(text, source_file, RECOMMENDATIONS_RECEIVED)
