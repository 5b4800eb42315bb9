"""The user's corrections to resolution, kept in a plain TOML file and replayed on every run.

    # $KITH_HOME/overrides.toml
    [[must_link]]       # these two identities are one person
    left = "email:jane@example.com"
    right = "linkedin_url:https://www.linkedin.com/in/jane-doe"

    [[cannot_link]]     # these two identities are never one person
    left = "email:j.doe@example.org"
    right = "linkedin_url:https://www.linkedin.com/in/jane-doe"

    [[ignore]]          # not a person at all (a shared inbox, an old alias)
    identity = "email:office@example.com"

Entries name identities, never person ids: ids can change when people merge, identities
do not. `kith people merge|split|ignore` append entries to the file as the user left it
(comments and order kept, through tomlkit); editing by hand is fine too.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from tomlkit import TOMLDocument

from transforms import tomlfile
from transforms.resolve.clusters import Identity
from transforms.resolve.keys import canonical_linkedin_url, canonical_member_urn, normalize_email

KINDS = ("email", "linkedin_url", "linkedin_urn", "linkedin_connection", "owner")


class BadIdentity(ValueError):
    """Text that names no e-mail address or LinkedIn profile."""


@dataclass
class Overrides:
    must_link: list[tuple[Identity, Identity]] = field(default_factory=list)
    cannot_link: list[tuple[Identity, Identity]] = field(default_factory=list)
    ignore: set[Identity] = field(default_factory=set)


def parse_identity(text: str) -> Identity:
    """`kind:value`, a bare address or a profile URL → a normalised identity.

    >>> parse_identity("Jane@Example.com")
    ('email', 'jane@example.com')
    """
    raw = text.strip()
    kind, sep, value = raw.partition(":")
    if sep and kind in ("linkedin_connection", "owner") and value.strip():
        return (kind, value.strip())  # a connection key or the owner's own: kept as written
    if sep and kind == "linkedin_urn" and (urn := canonical_member_urn(value)):
        return ("linkedin_urn", urn)
    if sep and kind in KINDS:
        raw = value
    if url := canonical_linkedin_url(raw):
        return ("linkedin_url", url)
    if addr := normalize_email(raw):
        return ("email", addr)
    raise BadIdentity("not an e-mail address, a LinkedIn profile URL or a kind:value identity")


def format_identity(ident: Identity) -> str:
    return f"{ident[0]}:{ident[1]}"


def load(path: Path) -> Overrides:
    """The overrides in `path` (an absent file means none); bad entries raise BadIdentity."""
    if not path.exists():
        return Overrides()
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    out = Overrides()
    for entry in data.get("must_link", []):
        out.must_link.append((parse_identity(entry["left"]), parse_identity(entry["right"])))
    for entry in data.get("cannot_link", []):
        out.cannot_link.append((parse_identity(entry["left"]), parse_identity(entry["right"])))
    for entry in data.get("ignore", []):
        out.ignore.add(parse_identity(entry["identity"]))
    return out


_HEADER = """\
# kith overrides: replayed on every run. Edit by hand or use `kith people`.
# Identities are kind:value (email:... or linkedin_url:...).
"""


def _pairs(doc: TOMLDocument, table: str) -> list[tuple[Identity, Identity]]:
    return [(parse_identity(e["left"]), parse_identity(e["right"])) for e in doc.get(table, [])]


def _drop_pair(doc: TOMLDocument, table: str, pair: set[Identity]) -> None:
    """Remove every entry of `table` naming this pair (in either order)."""
    entries = doc.get(table)
    if entries is None:
        return
    for i in reversed(range(len(entries))):
        entry = entries[i]
        if {parse_identity(entry["left"]), parse_identity(entry["right"])} == pair:
            del entries[i]


def _append(doc: TOMLDocument, table: str, **values: str) -> None:
    """Add one `[[table]]` entry at the end of the file."""
    entry = tomlkit.table()
    entry.update(values)
    entry.trivia.indent = "\n"  # a blank line before each entry, as a person would write it
    if table not in doc:
        doc.append(table, tomlkit.aot())
    doc[table].append(entry)


def add_must_link(path: Path, left: Identity, right: Identity) -> None:
    """Record that two identities are one person (and drop a contrary cannot-link)."""
    with tomlfile.editing(path, _HEADER) as doc:
        pair = {left, right}
        _drop_pair(doc, "cannot_link", pair)
        if not any(set(p) == pair for p in _pairs(doc, "must_link")):
            _append(doc, "must_link", left=format_identity(left), right=format_identity(right))


def add_cannot_link(path: Path, left: Identity, rights: list[Identity]) -> None:
    """Record that `left` is never the same person as any of `rights`."""
    with tomlfile.editing(path, _HEADER) as doc:
        for right in rights:
            pair = {left, right}
            _drop_pair(doc, "must_link", pair)
            if not any(set(p) == pair for p in _pairs(doc, "cannot_link")):
                _append(
                    doc, "cannot_link", left=format_identity(left), right=format_identity(right)
                )


def add_ignore(path: Path, ident: Identity) -> None:
    """Record that an identity is no person at all."""
    with tomlfile.editing(path, _HEADER) as doc:
        known = {parse_identity(e["identity"]) for e in doc.get("ignore", [])}
        if ident not in known:
            _append(doc, "ignore", identity=format_identity(ident))
