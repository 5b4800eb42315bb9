"""Fuzzy matching of exact-key clusters: candidates, features, rules, and constrained merges.

Exact keys (an address, a profile URL, one mailbox) have already grouped identities into
clusters. This step proposes further merges between clusters from weaker evidence:

features (per candidate pair, recorded in match_decisions.features; docs/resolution.md)
    name, local_part, domain, threads, guessed

rules (first that applies)
    name                 full names agree (given + family, accents aside; middle initials
                         must not differ)
    initial+support      initial (or nickname) + family agree, and domain or threads, and the
                         initial fits no other cluster
    local_part           no display name, the local part spells the full name
    local_part+support   no display name, initial + family in the local part, and domain or
                         threads

constraints (a rule's verdict is not enough)
    - whole-network ambiguity: a merge on a name alone ("name" or "local_part" with no
      domain or thread support) needs the full name (accents folded, middle initial
      ignored) to be carried by no third cluster anywhere in the network; otherwise
      refused:ambiguous_name. An address-only cluster carries the names its local part spells;
    - a cluster in a drawer over block.MAX_BLOCK is decided by full name only: initial and
      nickname rules are refused:block_too_large (a row per member and drawer explains it);
    - mutual best: a cluster without a LinkedIn profile merges only with its best-named
      candidates (a nickname match loses to an exact one);
    - a cluster whose name could be two different LinkedIn people merges with neither
      (unless exactly one of them works where the address's domain points);
    - a cluster with two incompatible names (a shared mailbox) never merges fuzzily;
    - role addresses and the owner never take part;
    - merges are applied strongest first and only when every name already in one side agrees
      with every name in the other (complete linkage): weak links cannot chain;
    - at most one LinkedIn URL per person; cannot-link overrides are honoured.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from transforms.resolve import block
from transforms.resolve.clusters import Identity, Link
from transforms.resolve.names import (
    COMPANY_WORDS,
    Name,
    fold,
    full_key,
    local_part_score,
    name_similarity,
    names_from_local,
    parse_name,
)

WEAK_RULES = {"initial+support", "local_part+support"}
NAME_ONLY_RULES = {"name", "local_part"}  # rules that may fire on a name and nothing else
FULL = 0.75  # full given + family names agree (accents aside 0.9, one middle initial 0.95)
WEAK = 0.5  # initial + family
_GENERIC_LABELS = {"mail", "email", "e-mail", "www", "co", "com", "org", "net", "smtp", "mx"}
_STOP = {"and", "the", "of", "for", "&"} | COMPANY_WORDS


@dataclass
class Evidence:
    """What the staged frames say beyond the keys themselves."""

    display_names: dict[Identity, Counter[str]]  # raw display names seen with each identity
    company_by_url: dict[str, str] = field(default_factory=dict)  # Connections.csv Company
    threads_by_email: dict[str, set[str]] = field(default_factory=dict)
    excluded: set[Identity] = field(default_factory=set)  # owner, role and ignored identities


@dataclass
class Profile:
    root: Identity
    rep: Identity  # the identity that stands for the cluster in match_decisions
    url: str | None
    emails: list[str]
    names: list[Name]  # parsed display names
    guessed: list[Name]  # names read from local parts (only when no display name)
    company: set[str]  # folded company words and their concatenation
    threads: set[str]


@dataclass
class Verdict:
    left: Identity
    right: Identity
    rule: str
    score: float
    features: dict
    decision: str  # accept / no_match / refused:<why>


ThreadPair = tuple[Identity, Identity, list[str], list[str], int]


@dataclass
class MatchResult:
    links: list[Link]  # accepted merges, strongest first
    refused: list[Verdict]  # every other pair considered
    crowded_blocks: int = 0  # drawers too full to compare pairwise
    profiles: list[Profile] = field(default_factory=list)  # the clusters that took part
    blocking: block.Blocking = field(default_factory=block.Blocking)
    address_only: list[str] = field(default_factory=list)  # addresses of nameless clusters
    # Pairs whose recorded features count shared threads (left rep, right rep, their
    # addresses, the count): new mail in a thread of theirs may change that count.
    thread_pairs: list[ThreadPair] = field(default_factory=list)


def company_words(company: str | None) -> set[str]:
    """Folded distinctive words of a company name, plus all of them joined ("lumenoak")."""
    if not company:
        return set()
    words = [w for w in re.split(r"[^a-z0-9]+", fold(company)) if w and w not in _STOP]
    return set(words) | ({"".join(words)} if words else set())


def domain_names_company(address: str, company: set[str]) -> bool:
    """True when a label of the address's domain is a word of the company (acme.* ~ Acme)."""
    if not company:
        return False
    labels = address.rpartition("@")[2].split(".")[:-1]
    return any(len(lb) >= 3 and lb not in _GENERIC_LABELS and lb in company for lb in labels)


def _compatible(a: Iterable[Name], b: Iterable[Name]) -> bool:
    """Every name on one side agrees at least at initial level with every name on the other."""
    b = list(b)
    return all(name_similarity(x, y) >= WEAK for x in a for y in b if x.family and y.family)


def matched_keys(a: Iterable[Name], b: Iterable[Name]) -> set[tuple[str, str]]:
    """Full-name keys of the names by which two clusters agree in full (name >= FULL)."""
    b = list(b)
    keys: set[tuple[str, str]] = set()
    for x in a:
        for y in b:
            if name_similarity(x, y) >= FULL:
                keys |= {k for k in (full_key(x), full_key(y)) if k is not None}
    return keys


def build_profiles(
    groups: dict[Identity, list[Identity]],
    ev: Evidence,
    known_families: frozenset[str] | set[str] = frozenset(),
    address_only: list[str] | None = None,
) -> list[Profile]:
    """One profile per cluster that may take part in fuzzy matching.

    `known_families` adds the family names of clusters matched earlier (a delta run sees
    only the new clusters but guesses names from local parts with the whole network's).
    """
    profiles: list[Profile] = []
    families: set[str] = set(known_families)
    pending: list[Profile] = []
    for root, members in groups.items():
        if any(m in ev.excluded for m in members):
            continue
        names: set[Name] = set()
        for m in members:
            for raw in ev.display_names.get(m, ()):
                if (parsed := parse_name(raw)) is not None and parsed.family:
                    names.add(parsed)
        ordered = sorted(names)
        if not _compatible(ordered, ordered):
            continue  # a shared mailbox or a mixed-up cluster: never merged on names
        urls = [v for k, v in members if k == "linkedin_url"]
        emails = [v for k, v in members if k == "email"]
        company = set()
        for url in urls:
            company |= company_words(ev.company_by_url.get(url))
        threads: set[str] = set()
        for e in emails:
            threads |= ev.threads_by_email.get(e, set())
        rep = ("linkedin_url", urls[0]) if urls else ("email", emails[0]) if emails else root
        prof = Profile(root, rep, urls[0] if urls else None, emails, ordered, [], company, threads)
        families.update(n.family_key for n in ordered)
        (profiles if ordered or prof.url else pending).append(prof)
    for prof in pending:  # address-only clusters: names guessed from local parts
        if address_only is not None:
            address_only.extend(prof.emails)
        guessed = {n for e in prof.emails for n in names_from_local(e, families)}
        prof.guessed = sorted(guessed)
        if prof.guessed:
            profiles.append(prof)
    return profiles


def score_pair(a: Profile, b: Profile) -> tuple[str, float, dict]:
    """(rule or "no_match", strength, features) for two clusters."""
    a_names, b_names = a.names or a.guessed, b.names or b.guessed
    guessed = not a.names or not b.names
    name = max((name_similarity(x, y) for x in a_names for y in b_names), default=0.0)
    if name < WEAK:  # no rule can fire: skip the costlier features
        return "no_match", round(name, 3), {"name": round(name, 3), "guessed": guessed}
    local = max(
        [local_part_score(e, n) for e in a.emails for n in b_names]
        + [local_part_score(e, n) for e in b.emails for n in a_names]
        + [0.0]
    )
    domain = any(domain_names_company(e, b.company) for e in a.emails) or any(
        domain_names_company(e, a.company) for e in b.emails
    )
    threads = len(a.threads & b.threads)
    features = {
        "name": round(name, 3),
        "local_part": round(local, 3),
        "domain": domain,
        "threads": threads,
        "guessed": guessed,
    }
    support = domain or threads > 0
    strength = name + 0.1 * local + 0.1 * domain + 0.05 * (threads > 0)
    if not a.names and not b.names:
        rule = "local_part+threads" if name >= FULL and threads else "no_match"
    elif not guessed:
        rule = "name" if name >= FULL else "initial+support" if name >= WEAK and support else ""
    else:
        rule = (
            "local_part"
            if name >= FULL
            else "local_part+support"
            if name >= WEAK and (domain or threads)
            else ""
        )
    return rule or "no_match", round(strength, 3), features


def match(
    groups: dict[Identity, list[Identity]],
    ev: Evidence,
    cannot: Iterable[tuple[Identity, Identity]] = (),
    known_families: frozenset[str] | set[str] = frozenset(),
) -> MatchResult:
    """Propose, filter and apply fuzzy merges between exact-key clusters."""
    address_only: list[str] = []
    profiles = build_profiles(groups, ev, known_families, address_only)
    by_root = {p.root: p for p in profiles}
    blocking = block.candidate_pairs(
        {p.root: p.names or p.guessed for p in profiles}, max_block=block.MAX_BLOCK
    )
    pairs = blocking.pairs
    # Who carries each full name, across the whole network (accents folded, middle initial
    # ignored; an address-only cluster carries the names its local part spells).
    carriers: dict[tuple[str, str], set[Identity]] = {}
    for p in profiles:
        for name in p.names or p.guessed:
            if (key := full_key(name)) is not None:
                carriers.setdefault(key, set()).add(p.root)

    refused: list[Verdict] = []
    # A drawer too full to compare: its members are decided by full name only.
    crowded: set[Identity] = set()
    for (fam, initial), members in sorted(blocking.crowded.items()):
        for root in members:
            crowded.add(root)
            features = {"block_size": len(members), "max_block": block.MAX_BLOCK}
            refused.append(
                Verdict(
                    by_root[root].rep,
                    ("block", f"{fam}/{initial}"),
                    "block",
                    0.0,
                    features,
                    "refused:block_too_large",
                )
            )
    accepted: list[tuple[float, Profile, Profile, str, dict]] = []
    n_fit: Counter[Identity] = Counter()  # clusters each one's names fit, weakly or better
    thread_pairs: list[ThreadPair] = []
    for ra, rb in sorted(pairs):
        a, b = by_root[ra], by_root[rb]
        rule, strength, features = score_pair(a, b)
        if "threads" in features:
            thread_pairs.append((a.rep, b.rep, a.emails, b.emails, features["threads"]))
        if features["name"] >= WEAK:
            n_fit[ra] += 1
            n_fit[rb] += 1
        if a.url and b.url:
            if rule != "no_match":  # a namesake with another profile: the hard negative
                refused.append(
                    Verdict(a.rep, b.rep, rule, strength, features, "refused:two_linkedin_profiles")
                )
            continue
        if rule == "no_match":
            refused.append(Verdict(a.rep, b.rep, rule, strength, features, "no_match"))
        else:
            accepted.append((strength, a, b, rule, features))

    # Ambiguity: a cluster that fits several LinkedIn people goes with none of them, unless
    # exactly one of them works where its address's domain points.
    fits: dict[Identity, list[tuple[float, Profile, Profile, str, dict]]] = {}
    for cand in accepted:
        _, a, b, _, _ = cand
        fits.setdefault(a.root, []).append(cand)
        fits.setdefault(b.root, []).append(cand)
    dropped: dict[int, str] = {}
    for cand in accepted:
        _, a, b, rule, features = cand
        if rule in WEAK_RULES and (a.root in crowded or b.root in crowded):
            dropped[id(cand)] = "refused:block_too_large"  # an initial among too many
        elif rule in NAME_ONLY_RULES and not (features["domain"] or features["threads"]):
            # The name alone decides only when no third cluster in the network carries it.
            keys = matched_keys(a.names or a.guessed, b.names or b.guessed)
            holders = set().union(*(carriers.get(k, set()) for k in keys))
            if holders - {a.root, b.root}:
                dropped[id(cand)] = "refused:ambiguous_name"
                features["name_carriers"] = len(holders)
    for root, cands in fits.items():
        if by_root[root].url:
            continue
        # Mutual best: a cluster without a profile only takes its best-named candidates
        # (Kit Padgett's address goes with "Kit Padgett", not with "Christopher Padgett").
        best = max(c[4]["name"] for c in cands)
        for c in cands:
            if c[4]["name"] < best:
                dropped[id(c)] = "refused:not_mutual_best"
        cands = [c for c in cands if id(c) not in dropped]
        # An initial ("J. Doe", "jdoe") is evidence only when it fits one cluster alone.
        if n_fit[root] > 1:
            for c in cands:
                if c[3] in WEAK_RULES:
                    dropped[id(c)] = "refused:ambiguous_initial"
        with_url = [c for c in cands if (c[2] if c[1].root == root else c[1]).url]
        with_url = [c for c in with_url if id(c) not in dropped]
        if len(with_url) < 2:
            continue
        ranked = sorted(with_url, key=lambda c: -c[4]["name"])
        by_domain = [c for c in with_url if c[4]["domain"]]
        if ranked[0][4]["name"] > ranked[1][4]["name"]:
            keep, why = ranked[0], "refused:ambiguous_better_name_elsewhere"
        elif len(by_domain) == 1:
            keep, why = by_domain[0], "refused:ambiguous_domain_elsewhere"
        else:
            keep, why = None, "refused:ambiguous"
        for c in cands if keep is None else with_url:
            if c is not keep:
                dropped[id(c)] = why

    parent = {p.root: p.root for p in profiles}
    names = {p.root: list(p.names or p.guessed) for p in profiles}
    url = {p.root: p.url for p in profiles}
    members = {p.root: {p.root} for p in profiles}
    group_of = {m: r for r, ms in groups.items() for m in ms}
    forbidden = {
        (group_of.get(x), group_of.get(y))
        for x, y in cannot
        if group_of.get(x) is not None and group_of.get(y) is not None
    }

    def find(x: Identity) -> Identity:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links: list[Link] = []
    for cand in sorted(accepted, key=lambda c: (-c[0], c[1].rep, c[2].rep)):
        strength, a, b, rule, features = cand
        verdict = Verdict(a.rep, b.rep, rule, strength, features, "accept")
        if id(cand) in dropped:
            verdict.decision = dropped[id(cand)]
            refused.append(verdict)
            continue
        x, y = find(a.root), find(b.root)
        if x == y:
            links.append(Link(a.rep, b.rep, f"fuzzy:{rule}", strength, json.dumps(features)))
            continue
        if url[x] and url[y]:
            verdict.decision = "refused:two_linkedin_profiles"
        elif any(
            (m, n) in forbidden or (n, m) in forbidden for m in members[x] for n in members[y]
        ):
            verdict.decision = "refused:cannot_link"
        elif not _compatible(names[x], names[y]):
            verdict.decision = "refused:chain_conflict"
        if verdict.decision != "accept":
            refused.append(verdict)
            continue
        parent[y] = x
        names[x] = sorted(set(names[x]) | set(names.pop(y)))
        url[x] = url[x] or url[y]
        members[x] |= members.pop(y)
        links.append(Link(a.rep, b.rep, f"fuzzy:{rule}", strength, json.dumps(features)))
    return MatchResult(
        links=links,
        refused=refused,
        crowded_blocks=len(blocking.crowded),
        profiles=profiles,
        blocking=blocking,
        address_only=address_only,
        thread_pairs=thread_pairs,
    )
