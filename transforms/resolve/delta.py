"""Resolve only the mail a night added, when that provably gives what a full run would.

A full resolution looks at every identity of the network. When the only change since the
last run is new mail (an mbox that grew), most of the network cannot be affected by it:
`resolve_delta` checks, against the `ResolverState` of the last run, every way the new rows
could reach an old decision, and resolves the new identities on their own when none can:

- the new messages are new (no Message-ID seen before) and hold only e-mail rows;
- the owner's addresses are the same; no override names a new identity;
- a known identity neither becomes a candidate nor brings a display name it never had;
- a new thread shared by two clusters fuzzy matching compared changes their count of
  shared threads (recorded in match_decisions.features), never from none to some;
- a new address shares no mailbox (Gmail dots, +tags) with an old one, and none carries
  the owner's name (a full run flags such a contact);
- the new clusters share no blocking drawer and no full name with old clusters, and their
  family names are no word an old nameless address could be read as.

Under these conditions the old clusters, their person ids and their decisions are exactly
those of a full run, and the new clusters are decided from the new rows alone (with the
whole network's family names and claimed ids). What the new mail adds to old people (more
sightings of a display name) is added to their name counts and display names. Otherwise
`resolve_delta` says why not, and the caller runs the full resolution.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from transforms.resolve import overrides as overrides_mod
from transforms.resolve.block import block_keys
from transforms.resolve.keys import mailbox_key, name_key
from transforms.resolve.names import full_key
from transforms.resolve.observations import observe
from transforms.resolve.people import (
    Matched,
    Resolution,
    assign_people,
    cluster_and_match,
    decisions_frame,
    key_identities,
    name_counts,
)
from transforms.resolve.result import PreviousTables
from transforms.resolve.state import (
    ResolverState,
    evidence_facts,
    matching_facts,
    observed_facts,
)
from transforms.schemas import MATCH_DECISIONS, PEOPLE, PERSON_IDENTITIES

EMAIL_TABLES = ("stg_email_messages", "stg_email_participants")


@dataclass
class DeltaOutcome:
    resolution: Resolution | None  # None: not provably equal to a full run
    reason: str  # why not (no personal data), or "delta"


def _refuse(reason: str) -> DeltaOutcome:
    return DeltaOutcome(None, reason)


def resolve_delta(
    delta: dict[str, pl.DataFrame],
    owner_emails: list[str],
    state: ResolverState,
    previous: PreviousTables,
    now: datetime,
    overrides: overrides_mod.Overrides,
) -> DeltaOutcome:
    """The full run's resolution of (old rows + `delta`), from the old one and `delta`."""
    if any(frame.height for name, frame in delta.items() if name not in EMAIL_TABLES):
        return _refuse("new rows other than e-mail")
    msgs = delta.get("stg_email_messages")
    if msgs is None or not msgs.height:
        return _refuse("no new messages")
    keys = msgs["message_key"].drop_nulls()
    if any(key in state.message_keys for key in keys.to_list()):
        return _refuse("a new row repeats a message seen before")

    obs = observe(delta, owner_emails, known_owner=state.owner)
    if obs.owner - state.owner:
        return _refuse("new owner address")
    ids = obs.identities
    known = pl.Series([f"{k}\x1f{v}" for k, v in state.names], dtype=pl.String)
    is_known = (pl.col("kind") + "\x1f" + pl.col("value")).is_in(known.implode())
    old_ids, new_ids = ids.filter(is_known), ids.filter(~is_known)

    # Known identities: more sightings are fine; a new name or a new candidate is not.
    extra_rows: list[tuple[str, str, str | None, str]] = []
    for kind, value, name, source, candidate in old_ids.select(
        "kind", "value", "name", "source", "is_candidate"
    ).iter_rows():
        ident = (kind, value)
        if candidate and ident not in state.candidates:
            return _refuse("a known identity becomes a candidate")
        if source == "email" and (value, name) in state.email_rows:
            continue
        if name is not None and name not in state.names[ident] and ident in state.candidates:
            return _refuse("a known identity has a new display name")
        extra_rows.append((kind, value, name, source))

    # New identities: no shared mailbox, no override, no link to an old identity, and none
    # named as the owner (a full run would flag it: owner.namesakes).
    new_keys = {(k, v) for k, v in new_ids.select("kind", "value").iter_rows()}
    if any(name_key(n) in state.owner_names for n in new_ids["name"].drop_nulls().to_list()):
        return _refuse("a new identity carries the owner's name")
    for kind, value in new_keys:
        if kind == "email" and mailbox_key(value) in state.mailbox_keys:
            return _refuse("a new address shares a mailbox with a known one")
    named = {i for pair in (*overrides.must_link, *overrides.cannot_link) for i in pair}
    if (named | overrides.ignore) & new_keys:
        return _refuse("an override names a new identity")
    links = []
    for link in obs.links:
        ends = {link.left in new_keys, link.right in new_keys}
        if ends == {True, False}:
            return _refuse("a new identity is linked to a known one")
        if ends == {True}:
            links.append(link)

    key_idents = key_identities(new_ids, set(), overrides)
    m = cluster_and_match(delta, ids, links, key_idents, state.owner, overrides, state.families)

    # Known addresses that fuzzy matching compared: their shared threads are evidence. A
    # count may grow (it is recorded in the pair's features); support may not appear.
    recount = _thread_counts(state, m.evidence.threads_by_email)
    if recount is None:
        return _refuse("new threads turn a compared pair's support on")

    # The new clusters must not meet old ones in blocking, full names or guessed names.
    families: set[str] = set()
    for prof in m.fuzzy.profiles:
        names = prof.names or prof.guessed
        if block_keys(names) & state.drawers:
            return _refuse("a new cluster shares a blocking drawer with a known one")
        if {full_key(n) for n in names} & state.full_keys:
            return _refuse("a new cluster carries a known full name")
        families |= {n.family_key for n in prof.names if n.family_key}
    if (families - state.families) & state.local_words:
        return _refuse("a new family name could name a known address")

    first_seen = dict(previous.people.select("person_id", "first_seen_at").iter_rows())
    assigned = assign_people(
        m.clustering.groups(), new_ids, state.owner, {}, first_seen, now, claimed=set(first_seen)
    )
    people, identities = _renamed_people(previous, extra_rows, state)
    resolution = Resolution(
        people=pl.concat([people, assigned.people]).sort("person_id").cast(PEOPLE),
        person_identities=pl.concat([identities, assigned.person_identities])
        .sort("person_id", "kind", "value")
        .cast(PERSON_IDENTITIES),
        match_decisions=_sorted(
            pl.concat(
                [
                    _recounted(previous.match_decisions, state, recount),
                    decisions_frame(m, assigned.member_person),
                ]
            )
        ),
        person_id_history=pl.concat([previous.person_id_history, assigned.history]),
        state=_advance(state, ids, m, keys, recount),
    )
    return DeltaOutcome(resolution, "delta")


def _thread_counts(state: ResolverState, new_threads: dict[str, set[str]]) -> dict[int, int] | None:
    """New shared-thread counts of the compared pairs the new mail touches (index in
    `state.thread_pairs` -> count); None when a pair goes from none to some (or back),
    which can change a decision."""
    touched: set[int] = set()
    for address, threads in new_threads.items():
        if threads - state.threads.get(address, set()):
            touched.update(state.pairs_by_email.get(address, ()))
    out: dict[int, int] = {}
    for index in sorted(touched):
        _, _, left, right, old = state.thread_pairs[index]

        def threads_of(addresses: list[str]) -> set[str]:
            found: set[str] = set()
            for a in addresses:
                found |= state.threads.get(a, set()) | new_threads.get(a, set())
            return found

        count = len(threads_of(left) & threads_of(right))
        if (count > 0) != (old > 0):
            return None
        if count != old:
            out[index] = count
    return out


def _recounted(
    decisions: pl.DataFrame, state: ResolverState, recount: dict[int, int]
) -> pl.DataFrame:
    """match_decisions with the touched pairs' thread counts updated in their features."""
    if not recount:
        return decisions
    counts = {(*state.thread_pairs[i][0], *state.thread_pairs[i][1]): n for i, n in recount.items()}

    def patched(row: dict) -> str | None:
        key = (row["left_kind"], row["left_value"], row["right_kind"], row["right_value"])
        features = row["features"]
        if key not in counts or not features:
            return features
        parsed = json.loads(features)
        if "threads" not in parsed:
            return features
        parsed["threads"] = counts[key]
        return json.dumps(parsed)

    return decisions.with_columns(
        pl.struct("left_kind", "left_value", "right_kind", "right_value", "features")
        .map_elements(patched, return_dtype=pl.String)
        .alias("features")
    )


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.cast(MATCH_DECISIONS)
    return frame.sort(frame.columns, nulls_last=True)


def _renamed_people(
    previous: PreviousTables,
    extra_rows: list[tuple[str, str, str | None, str]],
    state: ResolverState,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Old people with the display names the new sightings add to their counts."""
    people, identities = previous.people, previous.person_identities
    if not extra_rows:
        return people, identities
    rows = pl.DataFrame(
        extra_rows, schema=["kind", "value", "name", "source"], orient="row"
    ).with_columns(pl.lit(True).alias("is_candidate"))
    increments, _ = name_counts(rows)
    if not increments:
        return people, identities
    owner_of = {
        (k, v): p
        for p, k, v in identities.filter(pl.col("kind") != "name")
        .select("person_id", "kind", "value")
        .iter_rows()
    }
    added: dict[str, Counter[str]] = {}
    for ident, counts in increments.items():
        if (pid := owner_of.get(ident)) is not None:
            added.setdefault(pid, Counter()).update(counts)
    if not added:
        return people, identities
    touched = list(added)
    counts: dict[str, Counter[str]] = {pid: Counter() for pid in touched}
    for pid, name, n in (
        identities.filter((pl.col("kind") == "name") & pl.col("person_id").is_in(touched))
        .select("person_id", "value", "n_seen")
        .iter_rows()
    ):
        counts[pid][name] += n
    has_conn_name = {
        pid
        for (kind, value), pid in owner_of.items()
        if pid in added and (kind, value) in state.conn_named
    }
    name_rows, display = [], {}
    for pid in touched:
        counts[pid].update(added[pid])
        name_rows += [(pid, "name", name, n) for name, n in sorted(counts[pid].items())]
        if pid not in has_conn_name and counts[pid]:
            display[pid] = sorted(counts[pid].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    identities = pl.concat(
        [
            identities.filter(~((pl.col("kind") == "name") & pl.col("person_id").is_in(touched))),
            pl.DataFrame(name_rows, schema=PERSON_IDENTITIES, orient="row"),
        ]
    )
    if display:
        new_names = pl.DataFrame(
            list(display.items()), schema=["person_id", "new_name"], orient="row"
        )
        people = (
            people.join(new_names, on="person_id", how="left")
            .with_columns(pl.coalesce("new_name", "display_name").alias("display_name"))
            .drop("new_name")
        )
    return people, identities


def _advance(
    state: ResolverState,
    ids: pl.DataFrame,
    m: Matched,
    keys: pl.Series,
    recount: dict[int, int],
) -> ResolverState:
    """`state` moved on, in place, to what a full run over old + new rows would capture
    (the caller loaded it for this run only; it is saved once the run is published)."""
    for index, count in recount.items():
        state.thread_pairs[index] = (*state.thread_pairs[index][:4], count)
    state.message_keys |= set(keys.to_list())
    observed_facts(ids, state)
    evidence_facts(m.evidence, state)
    matching_facts(m.fuzzy, state)
    return state
