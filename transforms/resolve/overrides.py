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
do not. `kith people merge|split|ignore` append entries; editing by hand is fine too.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from transforms.resolve.clusters import Identity
from transforms.resolve.keys import canonical_linkedin_url, normalize_email

KINDS = ("email", "linkedin_url")


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
    if sep and kind in KINDS:
        raw = value
    if url := canonical_linkedin_url(raw):
        return ("linkedin_url", url)
    if addr := normalize_email(raw):
        return ("email", addr)
    raise BadIdentity("not an e-mail address or a LinkedIn profile URL")


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


def save(path: Path, overrides: Overrides) -> None:
    """Write the file privately (TOML basic strings are JSON strings), atomically."""
    lines = [
        "# kith overrides: replayed on every run. Edit by hand or use `kith people`.",
        "# Identities are kind:value (email:... or linkedin_url:...).",
    ]
    for table, pairs in (
        ("must_link", overrides.must_link),
        ("cannot_link", overrides.cannot_link),
    ):
        for left, right in pairs:
            lines += ["", f"[[{table}]]"]
            lines.append(f"left = {json.dumps(format_identity(left), ensure_ascii=False)}")
            lines.append(f"right = {json.dumps(format_identity(right), ensure_ascii=False)}")
    for ident in sorted(overrides.ignore):
        lines += ["", "[[ignore]]"]
        lines.append(f"identity = {json.dumps(format_identity(ident), ensure_ascii=False)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def add_must_link(path: Path, left: Identity, right: Identity) -> None:
    """Record that two identities are one person (and drop a contrary cannot-link)."""
    ov = load(path)
    pair = {left, right}
    ov.cannot_link = [p for p in ov.cannot_link if set(p) != pair]
    if not any(set(p) == pair for p in ov.must_link):
        ov.must_link.append((left, right))
    save(path, ov)


def add_cannot_link(path: Path, left: Identity, rights: list[Identity]) -> None:
    """Record that `left` is never the same person as any of `rights`."""
    ov = load(path)
    for right in rights:
        pair = {left, right}
        ov.must_link = [p for p in ov.must_link if set(p) != pair]
        if not any(set(p) == pair for p in ov.cannot_link):
            ov.cannot_link.append((left, right))
    save(path, ov)


def add_ignore(path: Path, ident: Identity) -> None:
    ov = load(path)
    ov.ignore.add(ident)
    save(path, ov)
