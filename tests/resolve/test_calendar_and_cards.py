"""Resolution with calendars and address books: who the owner is, which meeting
participants may become people, and what a card's addresses and name do (inline staged
rows; every expected person is read off the rows by hand)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from transforms import schemas
from transforms.resolve.observations import calendar_owner, observe
from transforms.resolve.overrides import Overrides
from transforms.resolve.people import resolve

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def frame(table: str, rows: list[dict]) -> pl.DataFrame:
    schema = schemas.STAGED[table]
    full = [{name: row.get(name) for name in schema} for row in rows]
    return pl.DataFrame(full, schema=schema, orient="row")


def events(*rows: tuple[str, str, str | None]) -> pl.DataFrame:
    """(location, calendar_name, status) rows of stg_calendar_events."""
    return frame(
        "stg_calendar_events",
        [
            {"source_file": "c.ics", "location": loc, "calendar_name": cal, "status": status}
            for loc, cal, status in rows
        ],
    )


def attendees(*rows: tuple) -> pl.DataFrame:
    """(location, role, address, name, partstat, kind) rows of stg_calendar_attendees."""
    return frame(
        "stg_calendar_attendees",
        [
            {
                "source_file": "c.ics",
                "location": loc,
                "role": role,
                "address": addr,
                "display_name": name,
                "partstat": partstat,
                "participant_kind": kind,
            }
            for loc, role, addr, name, partstat, kind in rows
        ],
    )


def cards(*rows: tuple) -> pl.DataFrame:
    """(card_key, formatted_name, nickname, family, emails, urls) rows of stg_vcard_cards."""
    return frame(
        "stg_vcard_cards",
        [
            {
                "source_file": "c.vcf",
                "location": f"line {n}",
                "card_key": key,
                "formatted_name": fn,
                "nickname": nick,
                "family_name": family,
                "emails": emails,
                "profile_urls": urls,
            }
            for n, (key, fn, nick, family, emails, urls) in enumerate(rows, start=1)
        ],
    )


def people_of(resolution) -> dict[str, tuple[str, frozenset[str]]]:
    """display name -> (is_owner flag as 'owner'/'', the person's keys)."""
    keys = resolution.person_identities.filter(pl.col("kind") != "name")
    out = {}
    for pid, name, is_owner in resolution.people.select(
        "person_id", "display_name", "is_owner"
    ).iter_rows():
        values = frozenset(keys.filter(pl.col("person_id") == pid)["value"])
        out[name] = ("owner" if is_owner else "", values)
    return out


def test_a_calendar_named_by_an_address_is_the_owners():
    one = {"stg_calendar_events": events(("line 1", "me@example.com", None), ("l2", "Work", None))}
    assert calendar_owner(one, set()) == {("email", "me@example.com")}
    # the owner's address is already known: a second address-named calendar is someone else's
    two = {
        "stg_calendar_events": events(
            ("line 1", "me@example.com", None), ("line 2", "boss@example.com", None)
        )
    }
    assert calendar_owner(two, {("email", "me@example.com")}) == set()
    assert calendar_owner(two, set()) == set()  # two candidates, none known: neither
    google = {"stg_calendar_events": events(("l", "abc@group.calendar.google.com", None))}
    assert calendar_owner(google, set()) == set()


MEETINGS = {
    "stg_calendar_events": events(
        ("line 1", "me@example.com", "CONFIRMED"),
        ("line 2", "me@example.com", None),
        ("line 3", "me@example.com", "CANCELLED"),
        ("line 4", "me@example.com", None),
    ),
    "stg_calendar_attendees": attendees(
        # 1: I organise; Ada accepts, Ben declines, a room and a bot
        ("line 1", "organizer", "me@example.com", None, None, "person"),
        ("line 1", "attendee", "ada@example.com", "Ada Lovelace", "ACCEPTED", "person"),
        ("line 1", "attendee", "ben@example.com", "Ben Berg", "DECLINED", "person"),
        ("line 1", "attendee", "room@example.com", "Room", "ACCEPTED", "room"),
        ("line 1", "attendee", "bot@otter.ai", "Otter.ai", "ACCEPTED", "bot"),
        # 2: Cy organises, I attend (tentatively); a role address is invited too
        ("line 2", "organizer", "cy@example.com", "Cy Cruz", None, "person"),
        ("line 2", "attendee", "me@example.com", None, "TENTATIVE", "person"),
        ("line 2", "attendee", "team@example.com", "Team", None, "person"),
        # 3: cancelled, with Dee
        ("line 3", "organizer", "me@example.com", None, None, "person"),
        ("line 3", "attendee", "dee@example.com", "Dee Dunn", "ACCEPTED", "person"),
        # 4: I am not in it
        ("line 4", "organizer", "eli@example.com", "Eli Epp", None, "person"),
        ("line 4", "attendee", "fay@example.com", "Fay Fox", "ACCEPTED", "person"),
    ),
}


def test_who_a_calendar_makes_a_candidate():
    obs = observe(MEETINGS, [])
    assert ("email", "me@example.com") in obs.owner
    seen = {
        (value, candidate)
        for value, candidate in obs.identities.filter(pl.col("source") == "calendar")
        .select("value", "is_candidate")
        .iter_rows()
    }
    assert seen == {
        ("me@example.com", True),
        ("ada@example.com", True),
        ("ben@example.com", False),  # declined
        ("cy@example.com", True),  # the organizer of a meeting I attended
        ("team@example.com", False),  # a role address
        ("dee@example.com", False),  # only in a cancelled meeting
        ("eli@example.com", False),  # not my meeting
        ("fay@example.com", False),
    }  # rooms and bots are not even observed


def test_a_card_joins_addresses_names_the_person_and_adds_no_one():
    staged = {
        **MEETINGS,
        "stg_vcard_cards": cards(
            # Ada's card: her meeting address and one seen nowhere else, under the name the
            # user wrote (the calendar says "Ada Lovelace" too, the card "Ada King")
            ("k1", "Ada King", "Addie", "King", ["ada@example.com", "ADA@home.example.org"], []),
            # the same card again (another group of the export)
            ("k1", "Ada King", "Addie", "King", ["ada@example.com", "ADA@home.example.org"], []),
            # Cy's card lists his LinkedIn profile
            ("k2", "Cyrus Cruz", None, "Cruz", ["cy@example.com"],
             ["https://www.linkedin.com/in/cyrus"]),
            # a card alone is no person
            ("k3", "Gus Gray", None, "Gray", ["gus@example.com"], []),
        ),
    }  # fmt: skip
    got = people_of(resolve(staged, [], None, NOW, overrides=Overrides()))
    assert got == {
        # the owner: no name anywhere (Profile.csv is absent); owner:me is every run's
        None: ("owner", frozenset({"me@example.com", "me"})),
        "Ada King": ("", frozenset({"ada@example.com", "ada@home.example.org"})),
        "Cyrus Cruz": ("", frozenset({"cy@example.com", "https://www.linkedin.com/in/cyrus"})),
    }
    obs = observe(staged, [])
    rules = {(lk.left[1], lk.right[1], lk.rule) for lk in obs.links}
    assert ("ada@example.com", "ada@home.example.org", "same_record:vcard") in rules
    # the duplicate card is observed once: "Ada King" was seen once per identity
    ada = obs.identities.filter(
        (pl.col("value") == "ada@example.com") & (pl.col("source") == "vcard")
    )
    assert ada["name"].to_list() == ["Ada King"]
    nick = obs.identities.filter(pl.col("source") == "vcard_nickname")
    assert set(nick["name"]) == {"Addie King"}


def test_a_shared_or_role_address_on_cards_links_nothing():
    staged = {
        "stg_calendar_events": events(("line 1", "me@example.com", None)),
        "stg_calendar_attendees": attendees(
            ("line 1", "organizer", "me@example.com", None, None, "person"),
            ("line 1", "attendee", "sam@example.net", "Sam", None, "person"),
            ("line 1", "attendee", "sky@example.net", "Sky", None, "person"),
            ("line 1", "attendee", "ola@example.net", "Ola", None, "person"),
        ),
        "stg_vcard_cards": cards(
            ("a", "Sam Shared", None, None, ["family@example.net", "sam@example.net"], []),
            ("b", "Sky Shared", None, None, ["family@example.net", "sky@example.net"], []),
            ("c", "Ola Olsen", None, None, ["info@example.net", "ola@example.net"], []),
            ("d", "Ulf Olsen", None, None, ["info@example.net", "ulf@example.net"], []),
        ),
    }
    obs = observe(staged, [])
    assert [lk for lk in obs.links if lk.rule == "same_record:vcard"] == []
    got = people_of(resolve(staged, [], None, NOW, overrides=Overrides()))
    assert got["Sam Shared"][1] == {"sam@example.net"}
    assert got["Sky Shared"][1] == {"sky@example.net"}
    assert got["Ola Olsen"][1] == {"ola@example.net"}


def test_the_owners_own_card_makes_its_addresses_the_owners():
    staged = {
        **MEETINGS,
        "stg_vcard_cards": cards(
            # Apple's "My Card": the calendar's address and a work address met elsewhere
            ("me", "Owen Owner", None, "Owner", ["me@example.com", "owen@work.example.com"],
             []),
        ),
        "stg_calendar_attendees": pl.concat(
            [
                MEETINGS["stg_calendar_attendees"],
                attendees(("line 2", "attendee", "owen@work.example.com", "Owen", None, "person")),
            ]
        ),
    }  # fmt: skip
    obs = observe(staged, [])
    assert {("email", "me@example.com"), ("email", "owen@work.example.com")} <= obs.owner
    got = people_of(resolve(staged, [], None, NOW, overrides=Overrides()))
    owner = [v for v in got.values() if v[0] == "owner"]
    # owner:me (every run's identity) beside both of the card's addresses
    assert owner == [("owner", frozenset({"me@example.com", "owen@work.example.com", "me"}))]
