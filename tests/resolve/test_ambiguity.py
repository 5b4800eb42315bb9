"""Name ambiguity across the whole network, address-only identities, and the block-size cap.

Inputs are hand-made: a Connections row is (name, slug, email, company); a mail is sent to
the owner by (address, display name). Expected people are worked out from the rules in
docs/resolution.md, not from the resolver's output.
"""

import polars as pl

from tests.resolve.test_match import ME, URL, person_of, run, staged, to_me
from transforms.resolve import block
from transforms.resolve.block import candidate_pairs
from transforms.resolve.names import given_similarity, name_similarity, parse_name


def decisions(res) -> list[str]:
    return res.match_decisions["decision"].to_list()


def test_a_name_carried_by_three_clusters_merges_none_of_them():
    # One profile and two unrelated addresses all say "Jane Doe": the addresses could be the
    # profile's owner or a namesake; the name alone cannot tell, so nothing merges.
    data = staged(
        [("Jane Doe", "jane-doe", None, "Acme")],
        [
            to_me("m1", "jane.doe@example.net", "Jane Doe"),
            to_me("m2", "jdoe@example.org", "Jane Doe"),
        ],
    )
    res = run(data)
    p = person_of(res)
    assert len({p["jane.doe@example.net"], p["jdoe@example.org"], p[URL + "jane-doe"]}) == 3
    assert "refused:ambiguous_name" in decisions(res)


def test_two_address_only_clusters_with_one_name_and_nothing_else_merge():
    # Exactly two clusters carry the name: no third candidate, the merge is unambiguous.
    data = staged(
        mails=[
            to_me("m1", "jane.doe@example.net", "Jane Doe"),
            to_me("m2", "jdoe@example.org", "Jane Doe"),
        ]
    )
    p = person_of(run(data))
    assert p["jane.doe@example.net"] == p["jdoe@example.org"]


def test_names_differing_only_by_accents_count_as_one_name():
    # "Dóra Kovács", "Dora Kovacs" and "DÓRA KOVÁCS" fold to one name carried three times.
    data = staged(
        [("Dóra Kovács", "dora-kovacs", None, "Acme")],
        [
            to_me("m1", "dora.kovacs@example.net", "Dora Kovacs"),
            to_me("m2", "dkovacs@example.org", "DÓRA KOVÁCS"),
        ],
    )
    res = run(data)
    p = person_of(res)
    assert (
        len({p["dora.kovacs@example.net"], p["dkovacs@example.org"], p[URL + "dora-kovacs"]}) == 3
    )
    assert "refused:ambiguous_name" in decisions(res)


def test_a_middle_initial_does_not_hide_a_namesake():
    # The profile says "Jane A. Doe"; two addresses say "Jane Doe". The middle initial is
    # ignored when counting carriers, so "Jane Doe" is carried three times: no merge.
    data = staged(
        [("Jane A. Doe", "jane-a-doe", None, "Acme")],
        [
            to_me("m1", "jane.doe@example.net", "Jane Doe"),
            to_me("m2", "jdoe@example.org", "Jane Doe"),
        ],
    )
    p = person_of(run(data))
    assert len({p["jane.doe@example.net"], p["jdoe@example.org"], p[URL + "jane-a-doe"]}) == 3


def test_supporting_evidence_lets_one_of_the_namesakes_merge():
    # Same three carriers, but one address is at acme.example.com and the profile works at
    # Acme: that one merges (not a name-only match), the other stays apart.
    data = staged(
        [("Jane Doe", "jane-doe", None, "Acme")],
        [
            to_me("m1", "jane.doe@acme.example.com", "Jane Doe"),
            to_me("m2", "jdoe@example.org", "Jane Doe"),
        ],
    )
    p = person_of(run(data))
    assert p["jane.doe@acme.example.com"] == p[URL + "jane-doe"]
    assert p["jdoe@example.org"] != p[URL + "jane-doe"]


def test_address_without_display_name_merges_only_with_a_unique_name():
    alone = staged(
        [("Jane Doe", "jane-doe", None, "Acme")], [to_me("m1", "jane.doe@example.net", None)]
    )
    p = person_of(run(alone))
    assert p["jane.doe@example.net"] == p[URL + "jane-doe"]  # "jane.doe" spells one person

    crowded = staged(
        [("Jane Doe", "jane-doe", None, "Acme")],
        [to_me("m1", "jane.doe@example.net", None), to_me("m2", "jd@example.org", "Jane Doe")],
    )
    res = run(crowded)
    p = person_of(res)
    assert p["jane.doe@example.net"] != p[URL + "jane-doe"]
    assert p["jane.doe@example.net"] != p["jd@example.org"]
    assert "refused:ambiguous_name" in decisions(res)


def test_an_initial_never_agrees_in_full_with_another_initial():
    # "A. Adeyemi" twice may be Aaron and Adrian: as weak as an initial against a full name.
    assert given_similarity("a", "a") == 0.6
    assert name_similarity(parse_name("A. Adeyemi"), parse_name("A. Adeyemi")) == 0.6
    data = staged(
        mails=[
            to_me("m1", "aaron@example.net", "A. Adeyemi"),
            to_me("m2", "adrian@example.org", "A. Adeyemi"),
        ]
    )
    p = person_of(run(data))
    assert p["aaron@example.net"] != p["adrian@example.org"]


def test_crowded_drawer_pairs_only_identical_full_names():
    n = parse_name
    names = {
        ("email", "a"): [n("Jane Doe")],
        ("email", "b"): [n("Jane Doe")],
        ("email", "c"): [n("John Doe")],
        ("email", "d"): [n("J. Doe")],
        ("email", "e"): [n("Peter Doe")],
    }
    out = candidate_pairs(names, max_block=3)
    # (doe, j) holds four clusters > 3: only the two "Jane Doe" are paired, by lookup.
    assert out.crowded == {
        ("doe", "j"): [("email", "a"), ("email", "b"), ("email", "c"), ("email", "d")]
    }
    assert out.pairs == {(("email", "a"), ("email", "b"))}
    # Without the cap: Jane/Jane, and the initial J. with each J-name; never Jane/John.
    wide = candidate_pairs(names, max_block=10)
    assert wide.pairs == {
        (("email", "a"), ("email", "b")),
        (("email", "a"), ("email", "d")),
        (("email", "b"), ("email", "d")),
        (("email", "c"), ("email", "d")),
    }


def test_nickname_in_a_crowded_drawer_is_refused_and_recorded(monkeypatch):
    # Bob Doe shares a thread with Robert Doe: a nickname plus support merges...
    mails = [
        (
            "m1",
            "t1",
            "bob@example.net",
            "Bob Doe",
            (ME, "Me"),
            ("robert@example.org", "Robert Doe"),
        ),
        to_me("m2", "rachel@example.com", "Rachel Doe"),
        to_me("m3", "ruth@example.com", "Ruth Doe"),
    ]
    p = person_of(run(staged(mails=mails)))
    assert p["bob@example.net"] == p["robert@example.org"]
    # ...unless the (doe, r) drawer (Bob, Robert, Rachel, Ruth) is over the cap: too common a
    # name to decide by a nickname; each member gets a refused:block_too_large row.
    monkeypatch.setattr(block, "MAX_BLOCK", 3)
    res = run(staged(mails=mails))
    p = person_of(res)
    assert p["bob@example.net"] != p["robert@example.org"]
    rows = res.match_decisions.filter(pl.col("rule") == "block")
    assert sorted(rows["left_value"].to_list()) == sorted(
        ["bob@example.net", "robert@example.org", "rachel@example.com", "ruth@example.com"]
    )
    assert set(rows["decision"].to_list()) == {"refused:block_too_large"}
