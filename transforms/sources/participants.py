"""Who an ATTENDEE or ORGANIZER of a calendar event is: a person, or a room, a resource, a
group, a calendar or a bot that sits in the attendee list without being anyone.

Calendars list much that is not a person: meeting rooms (`CUTYPE=ROOM`, Google's
`c_…@resource.calendar.google.com`), equipment (`CUTYPE=RESOURCE`), mailing lists
(`CUTYPE=GROUP`), Google calendars invited as guests (`…@group.calendar.google.com`), and
note-takers and recorders that join meetings (Otter.ai, Fireflies, Read.ai, Fathom, …),
recognised by their services' domains and names. The lists below are the built-in ones;
`[calendar] bots` in kith.toml adds entries (an entry marks an attendee whose address's
domain is it or under it, or whose name contains it).
"""

from __future__ import annotations

import re

from transforms.resolve.keys import normalize_email

#: Domains of rooms, resources and calendars that calendar services invite as guests.
SERVICE_DOMAINS = {
    "resource.calendar.google.com": "room",
    "group.calendar.google.com": "calendar",
    "group.v.calendar.google.com": "calendar",
    "import.calendar.google.com": "calendar",
}

#: Note-takers, recorders and meeting assistants that are invited like a guest.
BOT_DOMAINS = frozenset(
    {
        "otter.ai",
        "fireflies.ai",
        "read.ai",
        "fathom.video",
        "tldv.io",
        "avoma.com",
        "sembly.ai",
        "chorus.ai",
        "krisp.ai",
        "notta.ai",
        "tactiq.io",
        "meetgeek.ai",
        "airgram.io",
        "supernormal.com",
        "bluedothq.com",
        "circleback.ai",
        "jamie.ai",
        "zoomcrc.com",
    }
)

#: Display names bots join with ("Fireflies.ai Notetaker", "Read.ai meeting notes", …).
BOT_NAMES = re.compile(
    r"\b(note ?-?taker|meeting (notes|assistant|recorder|bot)|recorder|bot|otter\.ai|"
    r"fireflies|read\.ai|fathom|tl;dv|chorus\.ai|avoma|sembly)\b",
    re.IGNORECASE,
)

#: CUTYPE values (RFC 5545 §3.2.3) that are not a person.
NOT_PEOPLE = {"ROOM": "room", "RESOURCE": "resource", "GROUP": "group"}

#: Every value `participant_kind` returns (docs/warehouse.md lists the same).
KINDS = frozenset({"person", "bot", *NOT_PEOPLE.values(), *SERVICE_DOMAINS.values()})


def address_of(value: str) -> str | None:
    """The normalised address of a `CAL-ADDRESS` (`mailto:Ada@Example.com`), or None for
    one without an address (Outlook's `invalid:nomail`, a `urn:uuid:`)."""
    text = value.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    elif ":" in text.split("@", 1)[0]:
        return None  # another URI scheme
    return normalize_email(text)


def _under(domain: str, parent: str) -> bool:
    return domain == parent or domain.endswith("." + parent)


def participant_kind(
    address: str, name: str | None, cutype: str | None, extra_bots: tuple[str, ...] = ()
) -> str:
    """`person`, or what else the participant is: `room`, `resource`, `group`, `calendar`
    or `bot`."""
    if cutype and cutype.upper() in NOT_PEOPLE:
        return NOT_PEOPLE[cutype.upper()]
    domain = address.rpartition("@")[2]
    for parent, kind in SERVICE_DOMAINS.items():
        if _under(domain, parent):
            return kind
    if any(_under(domain, d) for d in BOT_DOMAINS):
        return "bot"
    if name and BOT_NAMES.search(name):
        return "bot"
    for entry in extra_bots:
        wanted = entry.strip().lower()
        if wanted and (_under(domain, wanted.lstrip("@")) or (name and wanted in name.lower())):
            return "bot"
    return "person"
