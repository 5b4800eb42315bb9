"""Name normalisation: each display-name shape seen in mail and LinkedIn, parsed by hand."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.resolve.names import (
    Name,
    given_similarity,
    local_family_candidates,
    local_part_score,
    name_similarity,
    names_from_local,
    parse_name,
)


@pytest.mark.parametrize(
    ("raw", "given", "family"),
    [
        ("Jane Doe", "jane", "doe"),
        ("Doe, Jane", "jane", "doe"),  # "Last, First"
        ("DOE Jane", "jane", "doe"),  # upper-case family name first
        ("JANE DOE", "jane", "doe"),  # all capitals: order as written
        ("jane doe", "jane", "doe"),
        ("Jane Doe, PhD", "jane", "doe"),  # credential after a comma
        ("Dr. Jane Doe", "jane", "doe"),  # title
        ("Jane Doe (Acme Analytics)", "jane", "doe"),  # company in brackets
        ("Jane Doe | Acme", "jane", "doe"),  # company after a bar
        ("Jane Doe ✨", "jane", "doe"),  # emoji
        ("Zoë Brontë", "zoe", "bronte"),  # accents folded
        ("J. Doe", "j", "doe"),  # initial
        ("Jane van der Berg", "jane", "van der berg"),  # particles stay in the family name
    ],
)
def test_parse_name(raw, given, family):
    parsed = parse_name(raw)
    assert (parsed.given, parsed.family) == (given, family)


@pytest.mark.parametrize("raw", [None, "", "   ", "jane@example.com", "jane.doe"])
def test_no_name_in_empty_or_address_only_display_names(raw):
    assert parse_name(raw) is None


def test_middle_initial_is_kept_and_two_different_ones_never_agree():
    assert parse_name("Jane A. Doe").middle == "a"
    assert name_similarity(parse_name("Jane A. Doe"), parse_name("Jane B. Doe")) == 0.0
    assert name_similarity(parse_name("Jane A. Doe"), parse_name("Jane Doe")) == 0.95


def test_nickname_is_weak_evidence_and_only_for_a_short_form():
    assert given_similarity("bob", "robert") == 0.6  # Bob is a short form of Robert
    assert given_similarity("casper", "jasper") == 0.0  # related in lists, different names
    assert given_similarity("jane", "jane") == 1.0
    assert given_similarity("j", "jane") == 0.6
    assert given_similarity("jane", "john") == 0.0


def test_accent_difference_scores_below_an_exact_spelling():
    assert name_similarity(parse_name("Dóra Hadley"), parse_name("Dora Hadley")) == 0.9
    assert name_similarity(parse_name("Dóra Hadley"), parse_name("HADLEY Dóra")) == 1.0


@pytest.mark.parametrize(
    ("address", "score"),
    [
        ("jane.smith@example.com", 1.0),
        ("janesmith@example.com", 1.0),
        ("smith.jane@example.com", 1.0),
        ("j.smith@example.com", 0.9),
        ("jsmith@example.com", 0.9),
        ("smithj@example.com", 0.9),
        ("jane@example.com", 0.4),
        ("jane.smith+news@example.com", 1.0),  # +tag dropped
        ("peter.smith@example.com", 0.0),
    ],
)
def test_local_part_against_name(address, score):
    assert local_part_score(address, Name("jane", "smith")) == score


def test_names_from_local_part_use_known_family_names_only():
    assert names_from_local("jdoe@example.com", {"doe"}) == [Name("j", "doe")]
    assert names_from_local("jdoe@example.com", set()) == []
    assert names_from_local("doe.jane@example.com", {"doe"}) == [Name("jane", "doe")]


@settings(max_examples=300, deadline=None)
@given(
    local=st.from_regex(r"[a-z]{1,6}([._-][a-z]{1,6})?[0-9]?", fullmatch=True),
    families=st.sets(st.from_regex(r"[a-z]{2,6}", fullmatch=True), max_size=30),
)
def test_local_family_candidates_are_all_a_guess_looks_up(local, families):
    """A delta resolution relies on it: a family name outside these words never changes
    what an address-only identity is guessed to be."""
    address = f"{local}@example.com"
    words = local_family_candidates(address)
    assert names_from_local(address, families) == names_from_local(address, families & words)


def test_local_family_candidates_by_hand():
    assert local_family_candidates("jane.doe@x.org") == {"jane", "doe"}
    # one token: every split leaving three letters at least on the tail side
    assert local_family_candidates("jdoe@x.org") == {"j", "doe"}
    assert local_family_candidates("jsmith@x.org") == {"j", "smith", "js", "mith", "jsm", "ith"}
    assert local_family_candidates("a.b.c@x.org") == set()
