"""`kith people …`: correct and explain identity resolution.

merge / split / ignore append entries to the overrides file (`transforms.paths.overrides_file()`)
that the next run replays; they never edit the warehouse. explain reads the warehouse.
Arguments naming an identity take `email:…`, `linkedin_url:…`, a bare address or a profile
URL; a person is a `p_…` id from the warehouse, or any of their identities.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from flows.console import DbOption, console, fail
from transforms import paths
from transforms.resolve import overrides
from transforms.resolve.clusters import Identity

people_app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.split("\n")[0])


def _identity(text: str) -> Identity:
    try:
        return overrides.parse_identity(text)
    except overrides.BadIdentity as err:
        raise fail(str(err)) from None


def _members(db: Path | None, person: str) -> tuple[str, list[Identity]]:
    """(person_id, key identities) of a person named by id or by one of their identities."""
    from transforms.readers import connect_read_only

    target = db or paths.default_warehouse()
    if not target.exists():
        raise fail(f"no warehouse at {target}; run `kith run` first")
    con = connect_read_only(target)
    try:
        if person.startswith("p_"):
            pid = person
        else:
            kind, value = _identity(person)
            row = con.execute(
                "select person_id from person_identities where kind = ? and value = ?",
                [kind, value],
            ).fetchall()
            if not row:
                raise fail("that identity is in no person of the warehouse")
            pid = row[0][0]
        rows = con.execute(
            "select kind, value from person_identities where person_id = ? "
            "and kind != 'name' order by kind desc, value",
            [pid],
        ).fetchall()
    finally:
        con.close()
    if not rows:
        raise fail(f"no person {pid} in the warehouse")
    return pid, [(k, v) for k, v in rows]


def _anchor(db: Path | None, text: str) -> Identity:
    """An identity for a person id (their LinkedIn URL, else first address) or identity text."""
    if text.startswith("p_"):
        return _members(db, text)[1][0]
    return _identity(text)


@people_app.command()
def merge(
    a: Annotated[str, typer.Argument(help="Person id or identity.")],
    b: Annotated[str, typer.Argument(help="Person id or identity.")],
    db: DbOption = None,
) -> None:
    """Record that A and B are one person (a must-link, replayed on every run)."""
    left, right = _anchor(db, a), _anchor(db, b)
    if left == right:
        raise fail("A and B are the same identity")
    overrides.add_must_link(paths.overrides_file(), left, right)
    console.print(f"must-link recorded in {paths.overrides_file()}; applies from the next run")


@people_app.command()
def split(
    person: Annotated[str, typer.Argument(help="Person id (p_…).")],
    identity: Annotated[str, typer.Argument(help="The identity that is someone else.")],
    db: DbOption = None,
) -> None:
    """Record that IDENTITY is not the person ID (cannot-links with each of their identities)."""
    ident = _identity(identity)
    _, members = _members(db, person)
    if ident not in members:
        raise fail("that identity does not belong to this person")
    others = [m for m in members if m != ident]
    overrides.add_cannot_link(paths.overrides_file(), ident, others)
    console.print(
        f"{len(others)} cannot-link(s) recorded in {paths.overrides_file()}; "
        "applies from the next run"
    )


@people_app.command()
def ignore(identity: Annotated[str, typer.Argument(help="Identity that is no person.")]) -> None:
    """Record that IDENTITY is no person (a shared inbox, a dead alias)."""
    overrides.add_ignore(paths.overrides_file(), _identity(identity))
    console.print(f"ignore recorded in {paths.overrides_file()}; applies from the next run")


@people_app.command()
def explain(
    person: Annotated[str, typer.Argument(help="Person id or one of their identities.")],
    db: DbOption = None,
) -> None:
    """Show a person's identities and the decisions that put each of them there."""
    from transforms.readers import connect_read_only

    pid, members = _members(db, person)
    con = connect_read_only(db or paths.default_warehouse())
    try:
        decisions = con.execute(
            "select left_kind, left_value, right_kind, right_value, rule, score, decision, "
            "features from match_decisions where person_id = ? "
            "or (right_kind, right_value) in (select kind, value from person_identities "
            "where person_id = ?) order by decision, rule",
            [pid, pid],
        ).fetchall()
        display = con.execute(
            "select display_name from people where person_id = ?", [pid]
        ).fetchall()
    finally:
        con.close()
    name = display[0][0] if display else ""
    console.print(f"[bold]{pid}[/bold] {name}: {len(members)} identities", highlight=False)
    for kind, value in members:
        console.print(f"  {kind}:{value}", highlight=False)
    table = Table(title="why")
    for col in ("left", "right", "rule", "score", "decision", "evidence"):
        table.add_column(col, overflow="fold")
    for lk, lv, rk, rv, rule, score, decision, features in decisions:
        evidence = ""
        if features:
            data = json.loads(features)
            evidence = ", ".join(f"{k}={v}" for k, v in data.items())
        table.add_row(f"{lk}:{lv}", f"{rk}:{rv}", rule, f"{score:.2f}", decision, evidence)
    if not members[1:]:
        console.print("  a single identity: nothing was merged")
    console.print(table)
