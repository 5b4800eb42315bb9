"""Resolve identities into people with ids that stay put from one night to the next.

`resolve()` is the whole step: observe identities in the staged frames, apply the user's
overrides, cluster them on exact keys under constraints, then merge clusters on fuzzy
evidence (match.py: names, local parts, domains, threads; never chained), carry person ids
over from the previous warehouse, and explain every pair considered in `match_decisions`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from transforms import paths
from transforms.resolve import overrides as overrides_mod
from transforms.resolve.clusters import Clustering, Decision, Identity, cluster
from transforms.resolve.match import Evidence, MatchResult, match
from transforms.resolve.observations import (
    NAME_SOURCES,
    Observations,
    card_companies,
    is_role_address,
    observe,
)
from transforms.resolve.owner import OWNER, namesakes
from transforms.resolve.result import Previous, Resolution
from transforms.resolve.state import capture
from transforms.schemas import MATCH_DECISIONS, PEOPLE, PERSON_ID_HISTORY, PERSON_IDENTITIES


@dataclass
class Matched:
    """Clusters after exact keys and fuzzy matching, with what was considered."""

    clustering: Clustering
    evidence: Evidence
    fuzzy: MatchResult


def mint_person_id(anchor: Identity, salt: int = 0) -> str:
    """`p_` + 10 base32 characters from the cluster's anchor identity (deterministic)."""
    digest = hashlib.sha256(f"{anchor[0]}:{anchor[1]}:{salt}".encode()).digest()
    return "p_" + base64.b32encode(digest).decode("ascii")[:10].lower()


def claimed_by_owner(owner: set[Identity], overrides: overrides_mod.Overrides) -> set[Identity]:
    """Identities the user must-linked to one of the owner's: theirs too (a second account,
    a namesake flag resolved by `kith people merge`). An owner is never merged with a
    contact, so saying "this is me" makes the identity an owner identity instead."""
    out: set[Identity] = set()
    for left, right in overrides.must_link:
        if left in owner:
            out.add(right)
        elif right in owner:
            out.add(left)
    return out


def key_identities(
    ids: pl.DataFrame, owner: set[Identity], overrides: overrides_mod.Overrides
) -> set[Identity]:
    """Identities that may become people: candidates and the owner, minus ignored ones."""
    keep = ids.filter(pl.col("is_candidate"))
    key_idents = {(k, v) for k, v in keep.select("kind", "value").iter_rows()} | owner
    return key_idents - (overrides.ignore - owner)


def cluster_and_match(
    staged: dict[str, pl.DataFrame],
    ids: pl.DataFrame,
    links: list,
    key_idents: set[Identity],
    owner: set[Identity],
    overrides: overrides_mod.Overrides,
    known_families: frozenset[str] | set[str] = frozenset(),
    obs: Observations | None = None,
) -> Matched:
    """Exact-key clusters under constraints, then fuzzy merges between them.

    `obs` adds what the sources themselves rule (observations.py): forced joins of one
    connection across exports, pairs that are never one person (cannot-links, beside the
    user's), and the owner's names, whose bearers among the contacts are flagged.
    """
    links = [lk for lk in links if lk.left in key_idents and lk.right in key_idents]
    forced = [lk for lk in (obs.forced if obs else []) if {lk.left, lk.right} <= key_idents]
    cannot = [*overrides.cannot_link, *(obs.cannot if obs else [])]
    # Only owner identities among key_idents form the owner's cluster (a delta run has none).
    own = owner & key_idents
    state = cluster(key_idents, links, own, overrides.must_link, cannot, forced)
    exact_groups = state.groups()
    evidence = _evidence(staged, ids, key_idents, owner)
    fuzzy = match(exact_groups, evidence, cannot, known_families)
    for link in fuzzy.links:
        state.link(link)
    if obs is not None:
        for ident in namesakes(evidence.display_names, obs.owner_names, owner):
            # a contact named exactly as the owner: a namesake, or the owner's second
            # account (kept a contact: merging would turn their exchange into self-talk)
            state.decisions.append(
                Decision(OWNER, ident, "owner_name", 0.0, "refused:owner_with_contact")
            )
    return Matched(state, evidence, fuzzy)


def resolve(
    staged: dict[str, pl.DataFrame],
    owner_emails: list[str],
    previous: Previous | None,
    now: datetime,
    overrides: overrides_mod.Overrides | None = None,
) -> Resolution:
    """People, their identities, the decisions behind them and id changes since last run.

    `overrides` defaults to the user's file (`paths.overrides_file()`), so every run replays it.
    """
    if overrides is None:
        overrides = overrides_mod.load(paths.overrides_file())
    obs = observe(staged, owner_emails)
    obs.owner |= claimed_by_owner(obs.owner, overrides)
    ids = obs.identities
    key_idents = key_identities(ids, obs.owner, overrides)
    m = cluster_and_match(staged, ids, obs.links, key_idents, obs.owner, overrides, obs=obs)
    groups = m.clustering.groups()

    prev_map: dict[Identity, str] = {}
    first_seen: dict[str, datetime] = {}
    if previous is not None:
        prev_map = {
            (k, v): p
            for k, v, p in previous.identity_map.select("kind", "value", "person_id").iter_rows()
        }
        first_seen = dict(previous.first_seen.select("person_id", "first_seen_at").iter_rows())
    assigned = assign_people(
        groups,
        ids,
        obs.owner,
        prev_map,
        first_seen,
        now,
        owner_name=next(iter(obs.owner_names), None),
    )
    prev_history = (
        previous.history if previous is not None else pl.DataFrame(schema=PERSON_ID_HISTORY)
    )
    msgs = staged.get("stg_email_messages")
    state = capture(
        ids,
        obs.owner,
        m.evidence,
        m.fuzzy,
        msgs["message_key"] if msgs is not None else pl.Series([], dtype=pl.String),
        obs.owner_names,
    )
    return Resolution(
        people=assigned.people,
        person_identities=assigned.person_identities,
        match_decisions=decisions_frame(m, assigned.member_person),
        person_id_history=pl.concat([prev_history, assigned.history]),
        state=state,
    )


@dataclass
class Assigned:
    people: pl.DataFrame
    person_identities: pl.DataFrame
    history: pl.DataFrame
    member_person: dict[Identity, str]


def name_counts(
    ids: pl.DataFrame,
) -> tuple[dict[Identity, Counter[str]], dict[Identity, tuple[int, str]]]:
    """Display names seen per identity (whitespace collapsed), and per identity the name a
    naming source gave it with that source's rank in NAME_SOURCES (0 = best)."""
    names_by_key: dict[Identity, Counter[str]] = {}
    named: dict[Identity, tuple[int, str]] = {}
    for kind, value, name, source in ids.select("kind", "value", "name", "source").iter_rows():
        if name and name.strip() and "@" not in name:
            clean = " ".join(name.split())
            names_by_key.setdefault((kind, value), Counter())[clean] += 1
            if source in NAME_SOURCES:
                given = (NAME_SOURCES.index(source), clean)
                named[(kind, value)] = min(named.get((kind, value), given), given)
    return names_by_key, named


def assign_people(
    groups: dict[Identity, list[Identity]],
    ids: pl.DataFrame,
    owner: set[Identity],
    prev_map: dict[Identity, str],
    first_seen: dict[str, datetime],
    now: datetime,
    claimed: set[str] | None = None,
    owner_name: str | None = None,
) -> Assigned:
    """A person id per cluster (carried over where possible), with names and id history.

    `claimed` holds ids already taken by people decided elsewhere (a delta run's old people).
    The owner's display name is `owner_name` (Profile.csv's), else the most frequent name
    seen on their identities, else none: an owner nothing names is still one person.
    """
    names_by_key, named = name_counts(ids)
    # Biggest clusters choose first, so a split leaves the old id with the larger part.
    ordered = sorted(groups.values(), key=lambda members: (-len(members), members[0]))
    claimed = set(claimed or ())
    history: list[tuple[str, str, str, datetime]] = []
    people_rows, ident_rows = [], []
    member_person: dict[Identity, str] = {}
    for members in ordered:
        prior = sorted(
            {prev_map[m] for m in members if m in prev_map},
            key=lambda pid: (first_seen.get(pid, now), pid),
        )
        free = [pid for pid in prior if pid not in claimed]
        if free:
            person_id = free[0]
        else:
            salt = 0
            person_id = mint_person_id(members[0])
            while person_id in claimed or person_id in first_seen:
                salt += 1
                person_id = mint_person_id(members[0], salt)
        claimed.add(person_id)
        for pid in prior:
            if pid != person_id:
                reason = "merged" if pid in free else "split"
                history.append((pid, person_id, reason, now))
        is_owner = any(m in owner for m in members)
        names: Counter[str] = Counter()
        for m in members:
            names.update(names_by_key.get(m, Counter()))
        if is_owner:
            display = owner_name or (_display_name(members, names, {}) if names else None)
        else:
            display = _display_name(members, names, named)
        people_rows.append(
            (person_id, display, is_owner, len(members), first_seen.get(person_id, now))
        )
        for kind, value in members:
            member_person[(kind, value)] = person_id
            ident_rows.append((person_id, kind, value, 1))
        for name, count in sorted(names.items()):
            ident_rows.append((person_id, "name", name, count))
    return Assigned(
        people=pl.DataFrame(people_rows, schema=PEOPLE, orient="row").sort("person_id"),
        person_identities=pl.DataFrame(ident_rows, schema=PERSON_IDENTITIES, orient="row").sort(
            "person_id", "kind", "value"
        ),
        history=pl.DataFrame(history, schema=PERSON_ID_HISTORY, orient="row"),
        member_person=member_person,
    )


def decisions_frame(m: Matched, member_person: dict[Identity, str]) -> pl.DataFrame:
    """Every pair considered, exact and fuzzy, in a stable order (sorted on all columns)."""
    considered = m.clustering.decisions + [
        Decision(v.left, v.right, v.rule, v.score, v.decision, json.dumps(v.features))
        for v in m.fuzzy.refused
    ]
    rows = [
        (
            d.left[0],
            d.left[1],
            d.right[0],
            d.right[1],
            d.rule,
            d.score,
            d.decision,
            member_person.get(d.left),
            d.features,
        )
        for d in considered
    ]
    frame = pl.DataFrame(rows, schema=MATCH_DECISIONS, orient="row")
    return frame.sort(frame.columns, nulls_last=True)


def _evidence(
    staged: dict[str, pl.DataFrame],
    ids: pl.DataFrame,
    key_idents: set[Identity],
    owner: set[Identity],
) -> Evidence:
    """Display names, Connections companies and e-mail threads, for fuzzy matching."""
    names: dict[Identity, Counter[str]] = {}
    for kind, value, name in ids.select("kind", "value", "name").iter_rows():
        if name and (kind, value) in key_idents:
            names.setdefault((kind, value), Counter())[name] += 1
    conn = staged.get("stg_linkedin_connections")
    company: dict[str, str] = {}
    if conn is not None and conn.height:
        for url, comp in conn.select("profile_url", "company").drop_nulls().iter_rows():
            company.setdefault(url, comp)
    for url, comp in card_companies(staged).items():  # the address book's organisation
        company.setdefault(url, comp)
    threads: dict[str, set[str]] = {}
    parts, msgs = staged.get("stg_email_participants"), staged.get("stg_email_messages")
    if parts is not None and msgs is not None and parts.height:
        personal = msgs.filter(~pl.col("is_bulk").fill_null(False)).select(
            "message_key", "thread_key"
        )
        per = (
            parts.filter(pl.col("role").is_in(["from", "to", "cc", "bcc"]))
            .join(personal.unique("message_key"), on="message_key")
            .group_by("address")
            .agg(pl.col("thread_key").unique())
        )
        threads = {a: set(t) for a, t in per.iter_rows()}
    excluded = set(owner) | {(k, v) for k, v in key_idents if k == "email" and is_role_address(v)}
    return Evidence(names, company, threads, excluded)


def _display_name(
    members: list[Identity], names: Counter[str], named: dict[Identity, tuple[int, str]]
) -> str:
    """The name the user's address book gives, else the LinkedIn connection's name, else the
    most frequent display name, else a key's readable part."""
    given = [named[m] for m in members if m in named]
    if given:
        return min(given)[1]
    if names:
        return sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    kind, value = members[0]
    if kind == "email":
        return value.split("@", 1)[0]
    return value.rsplit("/", 1)[-1]
