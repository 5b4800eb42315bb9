"""Union-find over identity keys, with the constraints that stop false merges.

Exact-key evidence (one record carrying two keys, two spellings of one mailbox) links
identities. A link is refused when it would put two different LinkedIn profile URLs, or the
owner and a contact, into one cluster: such conflicts are recorded, never merged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

Identity = tuple[str, str]  # (kind, value)


@dataclass
class Link:
    """Evidence that two identities are one person."""

    left: Identity
    right: Identity
    rule: str  # e.g. "same_record:connection", "same_mailbox", "fuzzy:name"
    score: float = 1.0
    features: str = ""  # JSON of the evidence behind a fuzzy link


@dataclass
class Decision:
    left: Identity
    right: Identity
    rule: str
    score: float
    decision: str  # merged / already_merged / refused:<why>
    features: str = ""


@dataclass
class Clustering:
    """Union-find state; `decisions` explains every merge and every refusal."""

    parent: dict[Identity, Identity] = field(default_factory=dict)
    urls: dict[Identity, set[str]] = field(default_factory=dict)  # root -> LinkedIn URLs
    owner: dict[Identity, bool] = field(default_factory=dict)  # root -> holds an owner id
    decisions: list[Decision] = field(default_factory=list)
    members: dict[Identity, set[Identity]] = field(default_factory=dict)  # root -> members
    cannot: dict[Identity, set[Identity]] = field(default_factory=dict)  # cannot-link pairs

    def add(self, ident: Identity, is_owner: bool = False) -> None:
        if ident not in self.parent:
            self.parent[ident] = ident
            self.urls[ident] = {ident[1]} if ident[0] == "linkedin_url" else set()
            self.owner[ident] = is_owner
            self.members[ident] = {ident}
        elif is_owner:
            self.owner[self.find(ident)] = True

    def find(self, ident: Identity) -> Identity:
        root = ident
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[ident] != root:  # path compression
            self.parent[ident], ident = root, self.parent[ident]
        return root

    def forbid(self, left: Identity, right: Identity) -> None:
        """Never put these two identities in one cluster (a cannot-link override)."""
        self.cannot.setdefault(left, set()).add(right)
        self.cannot.setdefault(right, set()).add(left)

    def _forbidden(self, a: Identity, b: Identity) -> bool:
        small, big = sorted((self.members[a], self.members[b]), key=len)
        return any(self.cannot.get(m, set()) & big for m in small)

    def link(self, link: Link, force: bool = False) -> None:
        """Merge the two clusters unless a constraint refuses; `force` (a must-link override)
        overrides the one-profile rule but never the owner rule or a cannot-link."""
        self.add(link.left)
        self.add(link.right)
        a, b = self.find(link.left), self.find(link.right)
        if a == b:
            decision = "already_merged"
        elif self.cannot and self._forbidden(a, b):
            decision = "refused:cannot_link"
        elif self.urls[a] and self.urls[b] and not force:
            decision = "refused:two_linkedin_profiles"
        elif self.owner[a] != self.owner[b]:
            decision = "refused:owner_with_contact"
        else:
            if b < a:  # deterministic root: the smaller identity
                a, b = b, a
            self.parent[b] = a
            self.urls[a] |= self.urls.pop(b)
            self.owner[a] = self.owner[a] or self.owner.pop(b)
            self.members[a] |= self.members.pop(b)
            decision = "merged"
        self.decisions.append(
            Decision(link.left, link.right, link.rule, link.score, decision, link.features)
        )

    def groups(self) -> dict[Identity, list[Identity]]:
        """root -> sorted member identities."""
        out: dict[Identity, list[Identity]] = {}
        for ident in sorted(self.parent):
            out.setdefault(self.find(ident), []).append(ident)
        return out


def cluster(
    identities: Iterable[Identity],
    links: Iterable[Link],
    owner: Iterable[Identity],
    must_link: Iterable[tuple[Identity, Identity]] = (),
    cannot_link: Iterable[tuple[Identity, Identity]] = (),
    forced: Iterable[Link] = (),
) -> Clustering:
    """Cluster identities; owner identities are one person first, and never join a contact.

    The owner's identities are linked before anything else and by force: however many
    profile URLs they hold (an old and a new vanity URL, two exports), they are one person,
    so no file can make two owners. User overrides come next: cannot-link pairs are
    forbidden, then must-link pairs are merged (even two LinkedIn profiles); then the
    `forced` links (one connection's rows across exports, which may carry two URLs: a
    changed vanity URL), then the exact links.
    """
    state = Clustering()
    for ident in sorted(set(owner)):
        state.add(ident, is_owner=True)
    for ident in sorted(set(identities)):
        state.add(ident)
    # Owner identities are one person: link them together first, whatever they are.
    owner_sorted = sorted(set(owner))
    for other in owner_sorted[1:]:
        state.link(Link(owner_sorted[0], other, "owner_identity"), force=True)
    # Overrides about identities not seen in this run's data are kept but have no effect.
    for left, right in cannot_link:
        if left in state.parent and right in state.parent:
            state.forbid(left, right)
    for left, right in must_link:
        if left in state.parent and right in state.parent:
            state.link(Link(left, right, "override:must_link"), force=True)
    for link in sorted(forced, key=lambda k: (k.rule, k.left, k.right)):
        if link.left in state.parent and link.right in state.parent:
            state.link(link, force=True)
    for link in sorted(links, key=lambda k: (k.rule, k.left, k.right)):
        state.link(link)
    return state
