"""What the resolver knew after a run, kept so the next run can resolve only new mail.

A night usually adds a day of mail to an archive of years. Resolving everything again costs
as much as the first night; most of the new mail comes from people already known, and the
new addresses rarely have anything in common with the old ones. `ResolverState` holds the
few facts about the last resolution that decide whether new identities could interact with
old ones at all (blocking drawers, full-name keys, family names, mailbox keys…) and what
the new mail could change about old ones (names, candidacy, threads). `delta.py` uses it
to prove a delta run gives exactly what a full run would, and falls back to a full run
whenever it cannot.

The state is personal data (addresses, names): it is written 0600 in kith's cache folder.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from transforms.resolve.block import block_keys
from transforms.resolve.clusters import Identity
from transforms.resolve.keys import mailbox_key, name_key
from transforms.resolve.match import Evidence, MatchResult, ThreadPair
from transforms.resolve.names import full_key, local_family_candidates
from transforms.resolve.observations import NAME_SOURCES

#: Bump when the fields below or their meaning change: older states are then not used.
STATE_VERSION = "3"


@dataclass
class ResolverState:
    """Facts of one resolution (see the module docstring); sets of plain strings/tuples."""

    names: dict[Identity, set[str]] = field(default_factory=dict)  # raw names seen, per key
    email_rows: set[tuple[str, str | None]] = field(default_factory=set)  # (address, name)
    candidates: set[Identity] = field(default_factory=set)  # may become people
    conn_named: set[Identity] = field(default_factory=set)  # named by a card or a connection
    owner: set[Identity] = field(default_factory=set)
    owner_names: set[str] = field(default_factory=set)  # name keys of the owner's names
    threads: dict[str, set[str]] = field(default_factory=dict)  # address -> personal threads
    thread_pairs: list[ThreadPair] = field(default_factory=list)  # see MatchResult
    pairs_by_email: dict[str, list[int]] = field(default_factory=dict)  # -> thread_pairs
    drawers: set[tuple[str, str]] = field(default_factory=set)
    full_keys: set[tuple[str, str]] = field(default_factory=set)
    families: set[str] = field(default_factory=set)
    local_words: set[str] = field(default_factory=set)  # looked up for nameless addresses
    mailbox_keys: set[str] = field(default_factory=set)
    message_keys: set[str] = field(default_factory=set)
    signature: str = ""  # inputs signature of the warehouse built with this resolution
    input_keys: list[str] = field(default_factory=list)  # cache keys of that run's inputs
    context: str = ""  # reader/resolver versions, owner addresses, overrides of that run
    version: str = STATE_VERSION

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(self, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> ResolverState | None:
        """The saved state, or None when missing, unreadable or of another version."""
        try:
            with open(path, "rb") as fh:
                state = pickle.load(fh)  # noqa: S301 - kith's own private cache file
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None
        if not isinstance(state, cls) or getattr(state, "version", None) != STATE_VERSION:
            return None
        return state


def observed_facts(ids: pl.DataFrame, state: ResolverState) -> None:
    """Add what the identity observations say (names, candidacy, mailbox keys) to `state`."""
    for kind, value, name, source, candidate in ids.select(
        "kind", "value", "name", "source", "is_candidate"
    ).iter_rows():
        ident = (kind, value)
        names = state.names.setdefault(ident, set())
        if name is not None:
            names.add(name)
        if candidate:
            state.candidates.add(ident)
        if source == "email":
            state.email_rows.add((value, name))
        if source in NAME_SOURCES and name and name.strip() and "@" not in name:
            state.conn_named.add(ident)
        if kind == "email":
            state.mailbox_keys.add(mailbox_key(value))


def matching_facts(fuzzy: MatchResult, state: ResolverState) -> None:
    """Add what fuzzy matching looked at (drawers, full names, families, compared clusters)."""
    for prof in fuzzy.profiles:
        names = prof.names or prof.guessed
        state.drawers |= block_keys(names)
        state.full_keys |= {k for n in names if (k := full_key(n)) is not None}
        state.families |= {n.family_key for n in prof.names if n.family_key}
    for pair in fuzzy.thread_pairs:
        index = len(state.thread_pairs)
        state.thread_pairs.append(pair)
        for address in {*pair[2], *pair[3]}:
            state.pairs_by_email.setdefault(address, []).append(index)
    for address in fuzzy.address_only:
        state.local_words |= local_family_candidates(address)


def evidence_facts(ev: Evidence, state: ResolverState) -> None:
    for address, threads in ev.threads_by_email.items():
        state.threads.setdefault(address, set()).update(threads)


def capture(
    ids: pl.DataFrame,
    owner: set[Identity],
    ev: Evidence,
    fuzzy: MatchResult,
    message_keys: pl.Series,
    owner_names: list[str] | None = None,
) -> ResolverState:
    """The state of a full resolution."""
    names = {k for n in owner_names or [] if (k := name_key(n))}
    state = ResolverState(owner=set(owner), owner_names=names)
    observed_facts(ids, state)
    evidence_facts(ev, state)
    matching_facts(fuzzy, state)
    state.message_keys = set(message_keys.drop_nulls().to_list())
    return state
