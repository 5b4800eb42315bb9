"""Clustering constraints: what may merge, what never does, and that it is all explained."""

from transforms.resolve.clusters import Link, cluster

URL_A = ("linkedin_url", "https://www.linkedin.com/in/a")
URL_B = ("linkedin_url", "https://www.linkedin.com/in/b")
MAIL_A = ("email", "a@example.com")
MAIL_A2 = ("email", "a.work@example.org")
OWNER = ("email", "me@example.com")


def test_links_merge_and_are_explained():
    state = cluster([URL_A, MAIL_A], [Link(URL_A, MAIL_A, "same_record:connection")], [])
    groups = list(state.groups().values())
    assert groups == [[MAIL_A, URL_A]]
    assert [d.decision for d in state.decisions] == ["merged"]


def test_two_profile_urls_never_merge_even_through_a_shared_address():
    links = [
        Link(URL_A, MAIL_A, "same_record:connection"),
        Link(URL_B, MAIL_A, "same_record:connection"),
    ]
    state = cluster([URL_A, URL_B, MAIL_A], links, [])
    groups = sorted(state.groups().values())
    assert len(groups) == 2
    assert all(sum(1 for m in g if m[0] == "linkedin_url") == 1 for g in groups)
    assert "refused:two_linkedin_profiles" in [d.decision for d in state.decisions]


def test_owner_never_merges_with_a_contact():
    state = cluster([MAIL_A, OWNER], [Link(MAIL_A, OWNER, "same_mailbox")], [OWNER])
    assert len(state.groups()) == 2
    assert state.decisions[-1].decision == "refused:owner_with_contact"


def test_owner_identities_are_one_person():
    owner_url = ("linkedin_url", "https://www.linkedin.com/in/me")
    state = cluster([], [], [OWNER, owner_url])
    assert len(state.groups()) == 1


def test_chain_of_links_is_order_independent():
    links = [Link(MAIL_A, MAIL_A2, "same_mailbox"), Link(URL_A, MAIL_A, "same_record:connection")]
    one = cluster([URL_A, MAIL_A, MAIL_A2], links, []).groups()
    two = cluster([MAIL_A2, MAIL_A, URL_A], list(reversed(links)), []).groups()
    assert one == two
    assert len(one) == 1
