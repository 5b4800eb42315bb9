"""Fuzzy matching through resolve(): merges on names, and every constraint that refuses one."""

from datetime import UTC, datetime

import polars as pl

from transforms import schemas
from transforms.resolve.overrides import Overrides
from transforms.resolve.people import Previous, resolve

NOW = datetime(2026, 11, 1, tzinfo=UTC)
URL = "https://www.linkedin.com/in/"
ME = "me@example.org"


def frame(name, rows):
    return schemas.conform(pl.DataFrame(rows), schemas.STAGED[name])


def staged(conns=(), mails=()):
    """conns: (name, slug, email, company); mails: (key, thread, sender, sender_name, to...)."""
    messages, parts = [], []
    for key, thread, sender, name, *to in mails:
        messages.append(
            {
                "message_key": key,
                "thread_key": thread,
                "from_addr": sender,
                "sent_at": NOW,
                "is_bulk": False,
                "is_sent_folder": sender == ME,
                "is_draft": False,
                "is_spam": False,
                "kind": "email",
            }
        )
        parts.append({"message_key": key, "role": "from", "address": sender, "display_name": name})
        for addr, to_name in to:
            parts.append(
                {"message_key": key, "role": "to", "address": addr, "display_name": to_name}
            )
    out = {
        "stg_email_messages": frame("stg_email_messages", messages),
        "stg_email_participants": frame("stg_email_participants", parts),
    }
    if conns:
        out["stg_linkedin_connections"] = frame(
            "stg_linkedin_connections",
            [
                {"full_name": n, "profile_url": URL + s, "email": e, "company": c}
                for n, s, e, c in conns
            ],
        )
    return out


def person_of(res):
    rows = res.person_identities.filter(pl.col("kind") != "name").select("value", "person_id")
    return dict(rows.iter_rows())


def run(data, overrides=None, previous=None):
    return resolve(data, [ME], previous, NOW, overrides=overrides or Overrides())


def to_me(key, addr, name, thread=None):
    return (key, thread or key, addr, name, (ME, "Me"))


def test_address_missing_from_connections_joins_the_profile_by_name():
    data = staged(
        [("Jane Doe", "jane-doe", None, "Acme Analytics")],
        [to_me("m1", "jane.doe@example.net", "DOE Jane")],
    )
    res = run(data)
    p = person_of(res)
    assert p["jane.doe@example.net"] == p[URL + "jane-doe"]
    row = res.match_decisions.filter(pl.col("rule") == "fuzzy:name").row(0, named=True)
    assert row["decision"] == "merged"
    assert '"name": 1.0' in row["features"]


def test_name_shared_by_two_profiles_merges_with_neither():
    data = staged(
        [("Jane Doe", "jane-doe-1", None, "Acme"), ("Jane Doe", "jane-doe-2", None, "Globex")],
        [to_me("m1", "jane.doe@example.net", "Jane Doe")],
    )
    res = run(data)
    p = person_of(res)
    assert len({p["jane.doe@example.net"], p[URL + "jane-doe-1"], p[URL + "jane-doe-2"]}) == 3
    decisions = set(res.match_decisions["decision"].to_list())
    # Three clusters carry "Jane Doe": the name alone cannot say which profile is meant.
    assert {"refused:ambiguous_name", "refused:two_linkedin_profiles"} <= decisions


def test_domain_naming_one_namesakes_company_breaks_the_tie():
    data = staged(
        [("Jane Doe", "jane-doe-1", None, "Acme"), ("Jane Doe", "jane-doe-2", None, "Globex")],
        [to_me("m1", "jane.doe@globex.example.com", "Jane Doe")],
    )
    p = person_of(run(data))
    assert p["jane.doe@globex.example.com"] == p[URL + "jane-doe-2"]
    assert p[URL + "jane-doe-1"] != p[URL + "jane-doe-2"]


def test_an_initial_fitting_two_people_does_not_chain_them():
    # "J. Doe" shares threads with Jane Doe and with John Doe: it fits both, joins neither,
    # and Jane and John never meet through it.
    data = staged(
        mails=[
            ("m1", "t1", "jane@example.com", "Jane Doe", (ME, "Me"), ("jd@example.net", "J. Doe")),
            ("m2", "t2", "john@example.org", "John Doe", (ME, "Me"), ("jd@example.net", "J. Doe")),
        ]
    )
    res = run(data)
    p = person_of(res)
    assert len({p["jane@example.com"], p["john@example.org"], p["jd@example.net"]}) == 3
    assert "refused:ambiguous_initial" in res.match_decisions["decision"].to_list()


def test_initial_fitting_one_person_with_a_shared_thread_merges():
    data = staged(
        mails=[
            ("m1", "t1", "jane@example.com", "Jane Doe", (ME, "Me"), ("jd@example.net", "J. Doe")),
        ]
    )
    p = person_of(run(data))
    assert p["jane@example.com"] == p["jd@example.net"]


def test_role_address_never_merges_into_a_person():
    data = staged(
        [("Jane Doe", "jane-doe", None, "Acme")],
        [(f"m{i}", f"m{i}", ME, "Me", ("info@acme.example.com", "Jane Doe")) for i in range(2)],
    )
    p = person_of(run(data))
    assert p["info@acme.example.com"] != p[URL + "jane-doe"]


def test_owner_never_merges_with_a_namesake_contact():
    data = staged(
        [("Me Myself", "me-myself", None, "Acme")],
        [(f"m{i}", f"m{i}", ME, "Me Myself", ("x@example.net", "Xavier Quill")) for i in range(2)],
    )
    res = run(data)
    p = person_of(res)
    assert p[ME] != p[URL + "me-myself"]
    owner = res.people.filter(pl.col("is_owner"))["person_id"].to_list()
    assert owner == [p[ME]]


def test_shared_mailbox_with_two_names_never_merges_by_name():
    data = staged(
        [("Jane Doe", "jane-doe", None, "Acme")],
        [
            to_me("m1", "desk@example.net", "Jane Doe"),
            to_me("m2", "desk@example.net", "Peter Quill"),
        ],
    )
    p = person_of(run(data))
    assert p["desk@example.net"] != p[URL + "jane-doe"]


def test_nickname_alone_does_not_merge_but_the_full_name_does():
    data = staged(
        [("Robert Smith", "robert-smith", None, "Acme")],
        [
            to_me("m1", "bob@example.net", "Bob Smith"),
            to_me("m2", "rs@example.org", "Robert Smith"),
        ],
    )
    p = person_of(run(data))
    assert p["rs@example.org"] == p[URL + "robert-smith"]
    assert p["bob@example.net"] != p[URL + "robert-smith"]


def test_must_link_cannot_link_and_ignore_are_replayed():
    data = staged(
        [("Jane Doe", "jane-doe", None, "Acme")],
        [
            to_me("m1", "jane.doe@example.net", "Jane Doe"),
            to_me("m2", "zed@example.org", "Zed Quill"),
            to_me("m3", "old@example.org", "Old Alias"),
        ],
    )
    ov = Overrides(
        must_link=[(("email", "zed@example.org"), ("linkedin_url", URL + "jane-doe"))],
        cannot_link=[(("email", "jane.doe@example.net"), ("linkedin_url", URL + "jane-doe"))],
        ignore={("email", "old@example.org")},
    )
    res = run(data, ov)
    p = person_of(res)
    assert p["zed@example.org"] == p[URL + "jane-doe"]
    assert p["jane.doe@example.net"] != p[URL + "jane-doe"]
    assert "old@example.org" not in p
    assert "override:must_link" in res.match_decisions["rule"].to_list()


def test_person_id_survives_a_second_run_with_an_address_that_joins_it():
    first = run(staged([("Jane Doe", "jane-doe", None, "Acme")]))
    pid = person_of(first)[URL + "jane-doe"]
    previous = Previous(
        identity_map=first.person_identities.filter(pl.col("kind") != "name").select(
            "kind", "value", "person_id"
        ),
        first_seen=first.people.select("person_id", "first_seen_at"),
        history=first.person_id_history,
    )
    second = run(
        staged(
            [("Jane Doe", "jane-doe", None, "Acme")],
            [to_me("m1", "jane.doe@example.net", "Jane Doe")],
        ),
        previous=previous,
    )
    p = person_of(second)
    assert p[URL + "jane-doe"] == pid
    assert p["jane.doe@example.net"] == pid
