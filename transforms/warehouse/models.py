"""The SQL models shipped in transforms/sql/, and the order they build in.

A model is one file named after the table it builds, holding one `select`: the core models
in `sql/core/` (intermediate `int_*` views, then `interactions`), the marts in
`sql/marts/` (with intermediate views of their own), the invariant checks in
`sql/checks/`. The build order is read from the SQL
itself: a model builds after every model of its folder that it names in a `from` or a
`join`, so adding a mart never means editing a list, and a cycle is an error at once.
Shared expressions live once, as DuckDB macros in `sql/macros.sql`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import duckdb

_REFERENCE = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)


def sql_text(*parts: str) -> str:
    """Read a SQL file shipped inside the transforms package."""
    return files("transforms").joinpath("sql", *parts).read_text(encoding="utf-8")


def sql_names(folder: str) -> list[str]:
    """Sorted SQL file stems of a folder under transforms/sql."""
    root = files("transforms").joinpath("sql", folder)
    return sorted(p.name[:-4] for p in root.iterdir() if p.name.endswith(".sql"))


def references(sql: str) -> set[str]:
    """Every name the SQL reads from (`from x`, `join x`): tables, views and CTEs alike."""
    return {name.lower() for name in _REFERENCE.findall(sql)}


def dependency_order(texts: dict[str, str]) -> tuple[str, ...]:
    """Model names ordered so that each comes after the models it reads; ties by name.

    Raises ValueError on a cycle (two models reading each other can never be built).
    """
    needs = {name: references(sql) & (texts.keys() - {name}) for name, sql in texts.items()}
    order: list[str] = []
    done: set[str] = set()
    while len(order) < len(needs):
        ready = sorted(n for n in needs if n not in done and needs[n] <= done)
        if not ready:
            left = sorted(needs.keys() - done)
            raise ValueError(f"the SQL models {left} read each other in a cycle")
        order.extend(ready)
        done.update(ready)
    return tuple(order)


@cache
def build_order(folder: str) -> tuple[str, ...]:
    """The models of one folder (`core`, `marts`) in the order they must be built."""
    return dependency_order({name: sql_text(folder, f"{name}.sql") for name in sql_names(folder)})


def is_intermediate(name: str) -> bool:
    """`int_*` models are steps of other models: temporary tables of the build, dropped
    when their readers are built, never tables of the warehouse (so they need no
    documentation of their own, and no export). Materialised, not views: each is then its
    own statement, whose memory DuckDB can bound (and spill) on its own, where one query
    inlining every view holds all their hash tables at once."""
    return name.startswith("int_")


def mart_order() -> tuple[str, ...]:
    """The marts (tables) in build order; each may read the core tables and the marts
    before it."""
    return tuple(name for name in build_order("marts") if not is_intermediate(name))


def create_statement(folder: str, name: str) -> str:
    """The statement that builds one model: a temporary table for an intermediate model,
    else a table."""
    kind = "or replace temp table" if is_intermediate(name) else "table"
    return f"create {kind} {name} as " + sql_text(folder, f"{name}.sql")


def intermediates(folder: str, feeding: str | None = None) -> list[str]:
    """The intermediate models of a folder in build order; with `feeding`, only those that
    model reads, directly or through others."""
    names = [name for name in build_order(folder) if is_intermediate(name)]
    if feeding is None:
        return names
    needed, todo = set(), [feeding]
    while todo:
        for name in references(sql_text(folder, f"{todo.pop()}.sql")) & set(names):
            if name not in needed:
                needed.add(name)
                todo.append(name)
    return [name for name in names if name in needed]


def drop_intermediates(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    """Drop a folder's intermediate tables once what reads them is built (frees memory)."""
    for name in intermediates(folder):
        con.execute(f"drop table if exists temp.{name}")


def macros() -> str:
    """The `create temp macro` statements every build runs first."""
    return sql_text("macros.sql")
