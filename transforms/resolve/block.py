"""Blocking: which pairs of exact-key clusters are worth comparing at all.

Comparing every cluster with every other grows with the square of the network. Instead each
cluster is filed under (family name, first letter of the given name) for every name it
carries, with the given name's nickname relatives filed too (Bob also under R for Robert),
and only clusters sharing a drawer are compared.

A drawer holding more than `MAX_BLOCK` clusters is a name too common to decide anything on
by an initial, a nickname or a spelling variant: its members are not compared with each
other (that would cost n² and every initial in it would fit many people anyway). Clusters
that carry the very same full name are still paired, by dictionary lookup, so cost stays
about linear in the number of clusters while exact namesakes are still seen (and then judged
ambiguous or not by match.py).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from transforms.resolve.names import Name, full_key, given_initials, given_similarity

# A drawer with more clusters than this is too common a name to decide on by name alone.
MAX_BLOCK = 25

Drawer = tuple[str, str]  # (family key, initial)


@dataclass
class Blocking:
    """Candidate pairs, and the drawers too full to compare pairwise (drawer -> members)."""

    pairs: set[tuple] = field(default_factory=set)
    crowded: dict[Drawer, list] = field(default_factory=dict)


def block_keys(names: Iterable[Name]) -> set[Drawer]:
    """(family key, initial) drawers for a cluster's names; names without family are skipped."""
    keys: set[Drawer] = set()
    for name in names:
        fam = name.family_key
        if not fam or not name.given:
            continue
        for initial in given_initials(name.given) | {name.given[0]}:
            keys.add((fam, initial))
    return keys


def candidate_pairs(
    names_by_item: dict[Hashable, list[Name]], max_block: int = MAX_BLOCK
) -> Blocking:
    """Unordered pairs whose names could agree: they share a drawer of at most `max_block`
    clusters and their given names are related (same, initial, nickname, close spelling), or
    they carry the same full name (found by lookup whatever the drawer size)."""
    drawers: dict[Drawer, dict[str, set]] = {}  # drawer -> given name -> items
    same_name: dict[tuple[str, str], set] = {}
    for item, names in names_by_item.items():
        for name in names:
            fam = name.family_key
            if not fam or not name.given:
                continue
            for initial in given_initials(name.given) | {name.given[0]}:
                drawers.setdefault((fam, initial), {}).setdefault(name.given, set()).add(item)
            if (key := full_key(name)) is not None:
                same_name.setdefault(key, set()).add(item)
    out = Blocking()
    for key, by_given in drawers.items():
        members = set().union(*by_given.values())
        if len(members) > max_block:
            out.crowded[key] = sorted(members)
            continue
        # Within a drawer the family names agree; only related given names can match, so
        # unrelated ones (Jane / John) are never paired: no O(drawer²) scoring of non-matches.
        givens = sorted(by_given)
        for i, g in enumerate(givens):
            for h in givens[i:]:
                if given_similarity(g, h) > 0:
                    _add_pairs(out.pairs, by_given[g], by_given[h])
    for members in same_name.values():
        if 1 < len(members) <= max_block:
            _add_pairs(out.pairs, members, members)
    return out


def _add_pairs(pairs: set, left: set, right: set) -> None:
    for a in left:
        for b in right:
            if a != b:
                pairs.add((a, b) if a < b else (b, a))
