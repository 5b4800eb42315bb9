"""Who the owner is (owner.py), and that the owner is one person whatever the files say.

Inputs are the hand-made fixtures of tests/fixtures/linkedin/ read by the real readers;
the owner each should give is worked out from the rules in owner.py's docstring (and the
format notes' "The owner seen twice"), not from the code's output.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import polars as pl

from tests.sources.linkedin.support import FIX, IN, read_fixture
from transforms import schemas
from transforms.resolve.clusters import cluster
from transforms.resolve.overrides import Overrides
from transforms.resolve.owner import OWNER, export_of, linkedin_owner, namesakes, owner_identities
from transforms.resolve.people import resolve
from transforms.sources.linkedin.invitations import read_invitations
from transforms.sources.linkedin.messages import read_messages
from transforms.sources.linkedin.registry import read_linkedin_export

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def staged_of(*paths, reader=None) -> dict[str, pl.DataFrame]:
    """The staged frames of exports (or of single files through `reader`), as the parse
    step would stage them."""
    frames: dict[str, list[pl.DataFrame]] = {}
    for path in paths:
        results = [read_fixture(reader, path)] if reader else read_linkedin_export(FIX / path)
        for parsed in results:
            for table, frame in parsed.tables.items():
                frames.setdefault(table, []).append(frame)
    return {
        t: schemas.conform(pl.concat(fs, how="diagonal_relaxed"), schemas.STAGED[t])
        for t, fs in frames.items()
    }


def test_the_one_url_in_every_conversation_is_the_owner_though_another_sends_more():
    # Omar sends in two conversations, Pat in one; Pat is a recipient in all three
    staged = staged_of("messages_owner_in_every_recipient_list.csv", reader=read_messages)
    assert linkedin_owner(staged) == {("linkedin_url", IN + "pat-owner-77")}


def test_an_owner_nothing_shows_is_unknown_and_still_one_person():
    # every TO is "LinkedIn Member": Omar sends most, but nobody ever writes to him by name
    staged = staged_of("export_owner_invisible")
    assert owner_identities(staged, []) == {OWNER}
    res = resolve(staged, [], None, NOW, overrides=Overrides())
    owner = res.people.filter(pl.col("is_owner"))
    assert owner.height == 1
    assert owner["display_name"].to_list() == [None]  # nothing names them
    ids = res.person_identities.filter(pl.col("person_id") == owner["person_id"][0])
    assert ids.select("kind", "value").rows() == [OWNER]
    omar = res.person_identities.filter(pl.col("value") == IN + "omar-haddad")
    assert omar.height == 1 and omar["person_id"][0] != owner["person_id"][0]


def test_no_input_at_all_still_has_its_owner():
    res = resolve({}, [], None, NOW, overrides=Overrides())
    assert res.people.select("is_owner", "display_name", "n_identities").rows() == [(True, None, 1)]


def test_member_urns_of_the_owner_come_from_invitations():
    staged = staged_of("invitations_7col_urns_2023.csv", reader=read_invitations)
    assert linkedin_owner(staged) == {("linkedin_urn", "urn:li:member:100200300")}


def test_a_second_account_with_the_owners_name_stays_a_flagged_contact():
    staged = staged_of("export_second_account")
    janedoe, doejane = IN + "janedoe", IN + "doejane"
    assert linkedin_owner(staged) == {("linkedin_url", janedoe)}  # never doejane
    owner = owner_identities(staged, [])
    assert owner == {
        OWNER,
        ("linkedin_url", janedoe),
        ("email", "janedoe@example-mail.com"),
        ("email", "jdoework@example-mail.com"),
    }
    res = resolve(staged, [], None, NOW, overrides=Overrides())
    people = res.people
    assert people.filter(pl.col("is_owner")).select("display_name", "n_identities").rows() == [
        ("Jane Doe", 4)
    ]
    person = dict(res.person_identities.select("value", "person_id").iter_rows())
    contact = people.filter(pl.col("person_id") == person[doejane])
    assert contact.select("display_name", "is_owner").rows() == [("Jane Doe", False)]
    flags = res.match_decisions.filter(pl.col("rule") == "owner_name")
    assert flags.select("left_kind", "left_value", "right_value", "decision").rows() == [
        ("owner", "me", doejane, "refused:owner_with_contact")
    ]


def test_owner_identities_are_one_person_even_with_two_profile_urls():
    # an old and a new vanity URL (two exports), and two addresses: one owner, by force
    owner = [OWNER, ("linkedin_url", IN + "pat-old"), ("linkedin_url", IN + "pat-new")]
    owner += [("email", "pat@example.com")]
    state = cluster(owner, [], owner)
    assert len(state.groups()) == 1
    assert {d.decision for d in state.decisions} == {"merged"}


def test_owner_names_flag_only_exact_namesakes():
    names = {
        ("linkedin_url", IN + "doejane"): Counter({"Jane  Doe": 2}),
        ("linkedin_url", IN + "jane-doe-smith"): Counter({"Jane Doe-Smith": 1}),
        ("linkedin_url", IN + "janedoe"): Counter({"Jane Doe": 5}),
    }
    owner = {("linkedin_url", IN + "janedoe")}
    assert namesakes(names, ["JANE DOE"], owner) == [("linkedin_url", IN + "doejane")]


def test_the_export_of_a_file_is_its_folder_or_zip_folder():
    assert export_of("/u/exp/messages.csv") == "/u/exp"
    assert export_of("/u/a.zip!messages.csv") == "/u/a.zip!"
    assert export_of("/u/a.zip!Basic/messages.csv") == "/u/a.zip!Basic"


def test_a_must_link_to_the_owner_makes_the_second_account_the_owners():
    staged = staged_of("export_second_account")
    doejane = ("linkedin_url", IN + "doejane")
    res = resolve(staged, [], None, NOW, overrides=Overrides(must_link=[(OWNER, doejane)]))
    owners = res.people.filter(pl.col("is_owner"))
    assert owners.height == 1
    person = dict(res.person_identities.select("value", "person_id").iter_rows())
    assert person[IN + "doejane"] == person[IN + "janedoe"] == owners["person_id"][0]
