"""Connections.csv rows as people: each named row is one, across every export given.

Three facts about Connections.csv decide this module, and they hold whatever resolver
weighs the fuzzy evidence afterwards:

* **Every connection row is a person.** A row's identity is its profile URL, else its
  (valid) e-mail, else its `connection_key` (``<connected-on date>|<name key>``, staged by
  the reader): exports from 2019 to mid-2023 have no URL column and an e-mail on a few
  percent of rows, and a name with the date is all they say. That key stays the same from
  night to night and from export to export while the name does. Such a row is resolved
  against the other sources by its name, like any display name. A hidden row (a date and
  nothing else) is a connection but no person: it has no identity here.
* **One connection, one person, in every export.** The same connection's `Connected On`
  never changes from one export to the next, and its company rarely does; its name and
  vanity URL may. Exports are taken newest first (by their latest connection date), and
  each row of the next one joins the connection of an earlier one made on the same day,
  by the first that decides it alone: a shared identity, then the same name, then the same
  company with a name word in common, then, among what is left of that day, being each
  other's only candidate with a name word in common (the family name, when their companies
  differ). Each join is a
  forced link (`LINK_RULES`): it holds even when the two rows carry different profile URLs
  (a changed vanity URL), never against the owner rule or a cannot-link.
* **Two connections are never one person.** Rows of two different connections (two rows
  of one file, or rows of different days) that a name could join are kept apart by
  cannot-link pairs. Only pairs sharing a name drawer (block.py) with a row that has no URL
  are written: two URLs are kept apart already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from transforms.resolve.block import block_keys
from transforms.resolve.clusters import Identity, Link
from transforms.resolve.keys import name_key, normalize_email
from transforms.resolve.names import fold, parse_name

#: The match_decisions rules of joins across exports, by the evidence that decided them.
LINK_RULES = {
    "email": "same_connection:email",  # same day, one e-mail, two different profile URLs
    "name": "same_connection:name",  # same day, same name: the URL changed (or appeared)
    "company": "same_connection:company",  # same day and company, a name word: renamed
    "date": "same_connection:date",  # the one match left that day with a name word in common
}
SOURCE = "linkedin_connection"  # Observations.source of a connection row's identity
KIND = "linkedin_connection"  # the identity kind of a row without URL or e-mail


@dataclass(eq=False)  # rows and connections are told apart by identity, not by value
class Row:
    """One named Connections.csv row."""

    file: str
    on: date | None  # Connected On (a loaded row always has one; hand-made frames may not)
    ident: Identity  # the row's identity: URL, else e-mail, else its connection key
    idents: set[Identity]  # every identity the row carries
    name: str | None  # as written (full_name)
    name_key: str | None
    company: str  # folded, letters and digits only ("" when none)
    has_url: bool


@dataclass(eq=False)
class Connection:
    """One connection across exports: at most one row per file."""

    rows: dict[str, Row] = field(default_factory=dict)

    @property
    def first(self) -> Row:
        return next(iter(self.rows.values()))

    def idents(self) -> set[Identity]:
        return set().union(*(r.idents for r in self.rows.values()))

    def name_keys(self) -> set[str]:
        return {r.name_key for r in self.rows.values() if r.name_key}

    def companies(self) -> set[str]:
        return {r.company for r in self.rows.values() if r.company}


@dataclass
class ConnectionEvidence:
    """What Connections.csv says about people, for observations and clustering."""

    rows: list[Row]
    links: list[Link]  # forced joins of one connection's rows across exports
    cannot: list[tuple[Identity, Identity]]  # pairs that are two different connections


def _company(raw: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(raw)) if raw and raw.strip() else ""


def named_rows(conn: pl.DataFrame) -> list[Row]:
    """Every Connections.csv row that names someone (hidden rows aside).

    An address two rows of one file share (a couple's, a team's) is no row's identity: it
    would make two connections one person.
    """
    out = []
    cols = ("source_file", "connected_at", "full_name", "profile_url", "email")
    frame = conn.select(*cols, "company", "connection_key").with_columns(
        pl.col("email").map_elements(normalize_email, return_dtype=pl.String).alias("email")
    )
    shared = {
        (f, e)
        for f, e, n in frame.group_by("source_file", "email").len().iter_rows()
        if e is not None and n > 1
    }
    for file, at, name, url, addr, company, key in frame.iter_rows():
        addr = None if (file, addr) in shared else addr
        idents: set[Identity] = set()
        if url:
            idents.add(("linkedin_url", url))
        if addr:
            idents.add(("email", addr))
        if not idents and key:
            idents.add((KIND, key))
        if not idents:
            continue
        ident = ("linkedin_url", url) if url else ("email", addr) if addr else (KIND, key)
        key_of_name, folded = name_key(name), _company(company)
        on = at.date() if at is not None else None
        out.append(Row(file, on, ident, idents, name, key_of_name, folded, bool(url)))
    return out


def connection_evidence(conn: pl.DataFrame) -> ConnectionEvidence:
    """The rows, the joins across exports and the cannot-links of Connections.csv."""
    rows = named_rows(conn)
    connections, links = _join_exports(rows)
    if all(r.has_url for r in rows):  # one profile URL per person keeps them apart already
        return ConnectionEvidence(rows, links, [])
    return ConnectionEvidence(rows, links, _apart(connections))


def _join_exports(rows: list[Row]) -> tuple[list[Connection], list[Link]]:
    """Connections, each with its rows of every export, and the links that joined them."""
    by_file: dict[str, list[Row]] = {}
    for row in rows:
        by_file.setdefault(row.file, []).append(row)
    newest = {f: max((r.on for r in rs if r.on), default=date.min) for f, rs in by_file.items()}
    files = sorted(by_file, key=lambda f: (-newest[f].toordinal(), f))
    by_day: dict[date, list[Connection]] = {}
    connections: list[Connection] = []
    links: list[Link] = []
    for file in files:
        day_rows: dict[date, list[Row]] = {}
        for row in by_file[file]:
            day_rows.setdefault(row.on, []).append(row)  # type: ignore[arg-type]
        for on, new in sorted(day_rows.items(), key=lambda kv: kv[0] or date.min):
            # an undated row (hand-made frames only) joins nothing
            known = [c for c in by_day.get(on, []) if file not in c.rows] if on else []
            for row, conn, why in _pair(new, known):
                conn.rows[file] = row
                if row.ident != conn.first.ident and why != "identity":
                    links.append(Link(row.ident, conn.first.ident, LINK_RULES[why]))
            for row in new:
                if not any(c.rows.get(file) is row for c in known):
                    conn = Connection({file: row})
                    connections.append(conn)
                    by_day.setdefault(on, []).append(conn)
    return connections, links


def _pair(new: list[Row], known: list[Connection]) -> list[tuple[Row, Connection, str]]:
    """Rows of one file and day matched to earlier connections of that day, each step
    deciding only what it decides alone (one candidate on each side)."""
    pairs: list[tuple[Row, Connection, str]] = []
    left, right = list(new), list(known)

    def take(key_row, key_conn, why: str, also=lambda r, c: True) -> None:
        rows_by: dict[object, list[Row]] = {}
        conns_by: dict[object, list[Connection]] = {}
        for r in left:
            for k in key_row(r):
                rows_by.setdefault(k, []).append(r)
        for c in right:
            for k in key_conn(c):
                conns_by.setdefault(k, []).append(c)
        for k, rs in rows_by.items():
            cs = conns_by.get(k, [])
            if len(rs) != 1 or len(cs) != 1 or not also(rs[0], cs[0]):
                continue
            if rs[0] in left and cs[0] in right:
                shared = "email" if why == "identity" and _email_only(rs[0], cs[0]) else why
                pairs.append((rs[0], cs[0], shared))
                left.remove(rs[0])
                right.remove(cs[0])

    take(lambda r: r.idents, lambda c: c.idents(), "identity")
    take(lambda r: {r.name_key} - {None}, lambda c: c.name_keys(), "name")
    # one company is not enough alone: a job change and a hidden profile on one day can
    # leave two different people as each other's only match (seen in a stress test)
    take(lambda r: {r.company} - {""}, lambda c: c.companies(), "company", _share_a_word)
    # what is left of the day: a row and a connection that are each other's only match
    fits = {id(r): [c for c in right if _may_be_one(r, c)] for r in left}
    for r in left:
        if len(fits[id(r)]) == 1:
            c = fits[id(r)][0]
            if [x for x in left if c in fits[id(x)]] == [r]:
                pairs.append((r, c, "date"))
    return pairs


def _email_only(row: Row, conn: Connection) -> bool:
    """The two share an e-mail but not their identity (their profile URLs differ)."""
    return row.ident not in conn.idents()


def _words(name: str | None) -> set[str]:
    return {w for w in fold(name or "").split() if len(w) > 1}


def _share_a_word(row: Row, conn: Connection) -> bool:
    return any(_words(row.name) & _words(r.name) for r in conn.rows.values())


def _may_be_one(row: Row, conn: Connection) -> bool:
    """A name word in common; the family name itself when their companies differ (a new
    job and a new given name: "Kim Park" at Hooli, later "Kimberly Park" at Pied Piper)."""
    companies = conn.companies()
    if row.company and companies and row.company not in companies:
        family = _family(row.name)
        return bool(family) and any(_family(r.name) == family for r in conn.rows.values())
    return _share_a_word(row, conn)


def _family(raw: str | None) -> str:
    name = parse_name(raw)
    return name.family_key if name else ""


def _apart(connections: list[Connection]) -> list[tuple[Identity, Identity]]:
    """Cannot-link pairs between rows of different connections (see `apart`)."""
    return apart([[(r.ident, r.name, r.has_url) for r in c.rows.values()] for c in connections])


Member = list[tuple[Identity, str | None, bool]]  # one member's (identity, name, has a URL)


def apart(members: list[Member]) -> list[tuple[Identity, Identity]]:
    """Cannot-link pairs between the identities of different members (different people for
    certain) that share a name drawer, at least one of the two without a profile URL (two
    URLs are never one person already)."""
    drawers: dict[tuple[str, str], list[tuple[int, Identity, bool]]] = {}
    for i, member in enumerate(members):
        for ident, raw, has_url in member:
            name = parse_name(raw)
            for drawer in block_keys([name] if name else []):
                drawers.setdefault(drawer, []).append((i, ident, has_url))
    pairs: set[tuple[Identity, Identity]] = set()
    for drawn in drawers.values():
        if all(has_url for _, _, has_url in drawn):
            continue
        for a, (i, x, x_url) in enumerate(drawn):
            for j, y, y_url in drawn[a + 1 :]:
                if i != j and not (x_url and y_url) and x != y:
                    pairs.add((min(x, y), max(x, y)))
    return sorted(pairs)
