"""Blocking: which pairs of exact-key clusters are worth comparing at all.

Comparing every cluster with every other grows with the square of the network. Instead each
cluster is filed under (family name, first letter of the given name) for every name it
carries, with the given name's nickname relatives filed too (Bob also under R for Robert),
and only clusters sharing a drawer are compared. Drawers stay small (a family name and an
initial), so the work grows about linearly with the number of identities.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from itertools import combinations

from transforms.resolve.names import Name, given_initials

# A drawer this full is a name too common to decide anything on (and would cost n²).
MAX_BLOCK = 400


def block_keys(names: Iterable[Name]) -> set[tuple[str, str]]:
    """(family key, initial) drawers for a cluster's names; names without family are skipped."""
    keys: set[tuple[str, str]] = set()
    for name in names:
        fam = name.family_key
        if not fam or not name.given:
            continue
        for initial in given_initials(name.given) | {name.given[0]}:
            keys.add((fam, initial))
    return keys


def candidate_pairs(keys_by_item: dict[Hashable, set[tuple[str, str]]]) -> tuple[set, int]:
    """Distinct unordered pairs sharing a drawer, and the number of drawers skipped as too full."""
    drawers: dict[tuple[str, str], list] = {}
    for item, keys in keys_by_item.items():
        for key in keys:
            drawers.setdefault(key, []).append(item)
    pairs: set = set()
    skipped = 0
    for members in drawers.values():
        if len(members) > MAX_BLOCK:
            skipped += 1
            continue
        for a, b in combinations(sorted(members), 2):
            pairs.add((a, b))
    return pairs, skipped
