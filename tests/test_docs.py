"""docs/warehouse.md documents every table and every column of a warehouse built from the
shipped sample, and its value lists are exactly what the code can write.

A column counts as documented when its table's section (`## <table>`) names it in backticks
or in the first cell of a table row; a mart's columns may be documented in its section of
docs/metrics.md instead, and metric_settings' in the Settings section there. The value
lists (`## Value lists`) are compared with the literals the SQL models assign to each
column, and with the vocabulary resolution declares (checked against its source code and
against the values real builds write)."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from flows.nightly import run_in_process
from transforms.resolve import vocabulary
from transforms.run.spec import new_run
from transforms.sources import participants
from transforms.warehouse.models import mart_order, sql_names, sql_text

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
NETWORK = REPO / "tests" / "fixtures" / "network"


def sections(text: str) -> dict[str, str]:
    """`## heading` -> the text under it (level-two headings only)."""
    parts = re.split(r"^## (.+?)\s*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def documented_names(section: str) -> set[str]:
    """Names a section documents: words in backticks, and every name in the first cell of
    a table row (cells list several columns separated by commas or slashes)."""
    names = set(re.findall(r"`([a-z_][a-z0-9_]*)", section))
    for line in section.splitlines():
        if line.startswith("|") and not set(line) <= set("|-: "):
            first = line.strip().strip("|").split("|")[0]
            names |= {w.strip(" `") for w in re.split(r"[,/]", first)}
    return names


def value_lists() -> dict[str, set[str]]:
    """`table.column` -> the values listed for it in `## Value lists`."""
    section = sections((DOCS / "warehouse.md").read_text(encoding="utf-8"))["Value lists"]
    out = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and "." in cells[0] and not set(cells[0]) <= set("-: "):
            out[cells[0].strip("`")] = set(re.findall(r"`([^`]+)`", cells[1]))
    return out


def assigned_literals(sql: str, column: str) -> set[str]:
    """String literals the SQL writes into `column`: in each select item `<expr> as column`,
    the literals the expression yields (after then / else, first in the item, or an argument
    such as coalesce's), not those it compares against (after when, =, in ...)."""
    sql = re.sub(r"--[^\n]*", "", sql)
    found: set[str] = set()
    for match in re.finditer(rf"\bas\s+{column}\b", sql):
        depth, i = 0, match.start()
        while i > 0:  # back to the start of the select item: a top-level comma or paren
            i -= 1
            if sql[i] == ")":
                depth += 1
            elif sql[i] == "(":
                if depth == 0:
                    break
                depth -= 1
            elif sql[i] == "," and depth == 0:
                break
        item = re.split(r"\bselect\b(?:\s+distinct\b)?", sql[i + 1 : match.start()])[-1]
        for lit in re.finditer(r"(?:\bthen|\belse|^|,|\()\s*'([^']*)'", item.strip()):
            found.add(lit.group(1))
    return found


def models_of(*folders: str) -> str:
    return "\n".join(sql_text(f, f"{n}.sql") for f in folders for n in sql_names(f))


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "kith.duckdb"
    run_in_process(new_run([REPO / "data" / "sample"], db, [], date(2026, 11, 1)))
    return db


@pytest.fixture(scope="module")
def tables(sample_db, fetch) -> dict[str, list[str]]:
    rows = fetch(
        sample_db,
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'main' order by table_name, ordinal_position",
    )
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def test_the_sample_builds_every_kind_of_table(tables):
    assert {"people", "interactions", "match_decisions", "rejects"} <= set(tables)
    assert set(mart_order()) <= set(tables)
    assert len([t for t in tables if t.startswith("stg_")]) == 16


def test_every_table_has_a_section(tables):
    documented = sections((DOCS / "warehouse.md").read_text(encoding="utf-8"))
    assert sorted(set(tables) - set(documented)) == []


def test_every_column_of_every_table_is_documented(tables):
    warehouse_md = sections((DOCS / "warehouse.md").read_text(encoding="utf-8"))
    metrics_md = sections((DOCS / "metrics.md").read_text(encoding="utf-8"))
    elsewhere = {mart: metrics_md.get(mart, "") for mart in mart_order()}
    elsewhere["metric_settings"] = metrics_md["Settings"]
    missing = []
    for table, columns in tables.items():
        names = documented_names(warehouse_md.get(table, "") + elsewhere.get(table, ""))
        missing += [f"{table}.{c}" for c in columns if c not in names]
    assert missing == []


@pytest.mark.parametrize(
    ("column", "folders"),
    [
        ("interactions.channel", ("core",)),
        ("interactions.direction", ("core",)),
        ("interactions.role", ("core",)),
        ("contact_recency.recency_bucket", ("marts",)),
        ("contact_recency.cadence_source", ("marts",)),
        ("reciprocity.whose_turn", ("marts",)),
        ("follow_up_queue.item_kind", ("marts",)),
        ("network_composition.dimension", ("marts",)),
    ],
)
def test_documented_values_are_those_the_sql_writes(column, folders):
    name = column.split(".")[1]
    assert value_lists()[column] == assigned_literals(models_of(*folders), name)


def test_the_literal_finder_tells_values_from_conditions():
    sql = (
        "select case when d = 'OUTGOING' then 'sent' else 'received' end as direction, "
        "coalesce(r.role, 'from') as role, 'x' as other from t"
    )
    assert assigned_literals(sql, "direction") == {"sent", "received"}
    assert assigned_literals(sql, "role") == {"from"}


DECLARED_VALUES = {
    "match_decisions.rule": vocabulary.RULES,
    "match_decisions.decision": vocabulary.DECISIONS,
    "person_id_history.reason": vocabulary.ID_CHANGE_REASONS,
    "stg_calendar_attendees.participant_kind": participants.KINDS,
}


@pytest.mark.parametrize("column", sorted(DECLARED_VALUES))
def test_documented_values_are_the_declared_ones(column):
    assert value_lists()[column] == set(DECLARED_VALUES[column])


def test_resolution_code_writes_no_value_the_vocabulary_lacks():
    """Every decision-shaped or exact-rule-shaped string in transforms/resolve is declared."""
    shapes = re.compile(
        r"^(refused:\w+|same_record:\w+|same_connection:\w+|override:\w+|same_mailbox"
        r"|same_invitation|owner_identity|owner_name)$"
    )
    literals = set()
    for path in (REPO / "transforms" / "resolve").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if shapes.match(node.value):
                    literals.add(node.value)
    assert literals, "the scan found nothing: the shapes no longer match the code"
    assert sorted(literals - vocabulary.RULES - vocabulary.DECISIONS) == []


def test_built_warehouses_hold_only_declared_values(sample_db, tmp_path, fetch):
    noisy = tmp_path / "net.duckdb"
    run_in_process(new_run([NETWORK], noisy, [], date(2026, 11, 1)))
    for db in (sample_db, noisy):
        rules = {r for (r,) in fetch(db, "select distinct rule from match_decisions")}
        decisions = {d for (d,) in fetch(db, "select distinct decision from match_decisions")}
        reasons = {r for (r,) in fetch(db, "select distinct reason from person_id_history")}
        assert rules and rules <= vocabulary.RULES
        assert decisions and decisions <= vocabulary.DECISIONS
        assert reasons <= vocabulary.ID_CHANGE_REASONS
