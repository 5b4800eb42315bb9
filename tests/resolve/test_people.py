"""resolve(): people from staged frames, the owner, bulk senders, and ids that stay put."""

from datetime import UTC, datetime

import polars as pl

from transforms import schemas
from transforms.resolve.people import Previous, mint_person_id, resolve

NOW = datetime(2026, 11, 1, tzinfo=UTC)
LATER = datetime(2026, 11, 2, tzinfo=UTC)
URL = "https://www.linkedin.com/in/"


def frame(name, rows):
    return schemas.conform(pl.DataFrame(rows), schemas.STAGED[name])


def connections(*rows):
    return frame(
        "stg_linkedin_connections",
        [{"full_name": n, "profile_url": u, "email": e, "connected_at": NOW} for n, u, e in rows],
    )


def mail(messages, participants):
    return {
        "stg_email_messages": frame("stg_email_messages", messages),
        "stg_email_participants": frame("stg_email_participants", participants),
    }


def message(key, sender, *, bulk=False, sent=False):
    return {
        "message_key": key,
        "from_addr": sender,
        "sent_at": NOW,
        "is_bulk": bulk,
        "is_sent_folder": sent,
        "is_draft": False,
        "is_spam": False,
        "kind": "email",
    }


def part(key, role, address, name=None):
    return {"message_key": key, "role": role, "address": address, "display_name": name}


def ids_by_value(res):
    return dict(
        res.person_identities.filter(pl.col("kind") != "name")
        .select("value", "person_id")
        .iter_rows()
    )


def test_connection_with_email_is_one_person_named_as_on_linkedin():
    staged = {
        "stg_linkedin_connections": connections(("Ada Marsh", URL + "ada", "Ada@Example.com")),
        **mail(
            [message("m1", "ada@example.com")],
            [part("m1", "from", "ada@example.com", "A. Marsh"), part("m1", "to", "me@example.org")],
        ),
    }
    res = resolve(staged, ["me@example.org"], None, NOW)
    people = res.people.filter(~pl.col("is_owner"))
    assert people.height == 1
    assert people["display_name"][0] == "Ada Marsh"
    ids = ids_by_value(res)
    assert ids["ada@example.com"] == ids[URL + "ada"]
    owner = res.people.filter(pl.col("is_owner"))
    assert owner.height == 1 and ids["me@example.org"] == owner["person_id"][0]
    merged = res.match_decisions.filter(pl.col("decision") == "merged")
    # the owner's address joins the owner's own identity (owner:me, every run has it)
    assert merged.select("rule", "left_kind", "right_value").rows() == [
        ("owner_identity", "email", "me"),
        ("same_record:connection", "linkedin_url", "ada@example.com"),
    ]


def test_bulk_sender_is_not_a_person_unless_the_owner_wrote_to_it():
    staged = mail(
        [
            message("n1", "news@lists.example.com", bulk=True),
            message("n2", "digest@lists.example.com", bulk=True),
            message("s1", "me@example.org", sent=True),
        ],
        [
            part("n1", "from", "news@lists.example.com"),
            part("n2", "from", "digest@lists.example.com"),
            part("s1", "from", "me@example.org"),
            part("s1", "to", "digest@lists.example.com"),
        ],
    )
    res = resolve(staged, [], None, NOW)
    values = set(ids_by_value(res))
    assert "news@lists.example.com" not in values
    assert "digest@lists.example.com" in values  # the owner wrote to it
    assert "me@example.org" in values  # found as owner from the Sent label


def test_gmail_spellings_of_one_mailbox_are_one_person():
    staged = mail(
        [message("a", "jo.ray@gmail.com"), message("b", "joray+work@gmail.com")],
        [part("a", "from", "jo.ray@gmail.com"), part("b", "from", "joray+work@gmail.com")],
    )
    res = resolve(staged, ["me@example.org"], None, NOW)
    ids = ids_by_value(res)
    assert ids["jo.ray@gmail.com"] == ids["joray+work@gmail.com"]


def previous_of(res):
    return Previous(
        identity_map=res.person_identities.filter(pl.col("kind") != "name").select(
            "kind", "value", "person_id"
        ),
        first_seen=res.people.select("person_id", "first_seen_at"),
        history=res.person_id_history,
    )


def test_ids_are_stable_and_the_older_id_survives_a_merge():
    night1 = {
        "stg_linkedin_connections": connections(("Ada Marsh", URL + "ada", None)),
        **mail([message("m1", "ada@example.com")], [part("m1", "from", "ada@example.com")]),
    }
    first = resolve(night1, ["me@example.org"], None, NOW)
    ids1 = ids_by_value(first)
    assert ids1[URL + "ada"] != ids1["ada@example.com"]  # nothing links them yet

    # Night 2: a newer export lists her address on the connection: the two people merge.
    night2 = dict(night1)
    night2["stg_linkedin_connections"] = connections(("Ada Marsh", URL + "ada", "ada@example.com"))
    second = resolve(night2, ["me@example.org"], previous_of(first), LATER)
    ids2 = ids_by_value(second)
    assert ids2[URL + "ada"] == ids2["ada@example.com"]
    survivor = ids2[URL + "ada"]
    assert survivor in {ids1[URL + "ada"], ids1["ada@example.com"]}
    history = second.person_id_history.to_dicts()
    assert len(history) == 1
    assert history[0]["new_person_id"] == survivor
    assert history[0]["reason"] == "merged"
    assert (
        history[0]["old_person_id"]
        == ({ids1[URL + "ada"], ids1["ada@example.com"]} - {survivor}).pop()
    )

    # Night 3: same input again: nothing changes.
    third = resolve(night2, ["me@example.org"], previous_of(second), LATER)
    assert third.people.equals(second.people)
    assert third.person_identities.equals(second.person_identities)
    assert third.person_id_history.height == 1


def test_minted_ids_look_like_the_contract():
    pid = mint_person_id(("email", "ada@example.com"))
    assert pid.startswith("p_") and len(pid) == 12
    assert pid == mint_person_id(("email", "ada@example.com"))
    assert pid != mint_person_id(("email", "ada@example.com"), salt=1)
