"""The overrides file: parsing identities, round trips, and the `kith people` commands."""

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from transforms import paths
from transforms.resolve import overrides

URL = "https://www.linkedin.com/in/jane-doe"


def test_parse_identity_accepts_prefixed_bare_and_url_forms():
    assert overrides.parse_identity("email:Jane@Example.com") == ("email", "jane@example.com")
    assert overrides.parse_identity("Jane@Example.com") == ("email", "jane@example.com")
    assert overrides.parse_identity("linkedin.com/in/Jane-Doe/") == ("linkedin_url", URL)
    with pytest.raises(overrides.BadIdentity):
        overrides.parse_identity("Jane Doe")


def test_entries_round_trip_through_the_toml_file(tmp_path):
    path = tmp_path / "overrides.toml"
    overrides.add_must_link(path, ("email", "a@example.com"), ("linkedin_url", URL))
    overrides.add_cannot_link(path, ("email", "b@example.com"), [("linkedin_url", URL)])
    overrides.add_ignore(path, ("email", "office@example.com"))
    overrides.add_must_link(path, ("email", "a@example.com"), ("linkedin_url", URL))  # twice
    got = overrides.load(path)
    assert got.must_link == [(("email", "a@example.com"), ("linkedin_url", URL))]
    assert got.cannot_link == [(("email", "b@example.com"), ("linkedin_url", URL))]
    assert got.ignore == {("email", "office@example.com")}
    # a later must-link for the same pair replaces the cannot-link
    overrides.add_must_link(path, ("email", "b@example.com"), ("linkedin_url", URL))
    assert overrides.load(path).cannot_link == []
    assert path.stat().st_mode & 0o077 == 0


@pytest.fixture
def warehouse(tmp_path):
    db = tmp_path / "kith.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table people (person_id varchar, display_name varchar)")
    con.execute("insert into people values ('p_jane', 'Jane Doe')")
    con.execute("create table person_identities (person_id varchar, kind varchar, value varchar)")
    con.execute(
        "insert into person_identities values ('p_jane', 'linkedin_url', ?), "
        "('p_jane', 'email', 'jane@example.net'), ('p_jane', 'email', 'jd@example.org')",
        [URL],
    )
    con.execute(
        "create table match_decisions (left_kind varchar, left_value varchar, "
        "right_kind varchar, right_value varchar, rule varchar, score double, "
        "decision varchar, person_id varchar, features varchar)"
    )
    con.execute(
        "insert into match_decisions values ('email', 'jane@example.net', 'linkedin_url', ?, "
        "'fuzzy:name', 1.1, 'merged', 'p_jane', '{\"name\": 1.0, \"domain\": false}')",
        [URL],
    )
    con.close()
    return db


def test_people_commands_write_overrides_and_explain_reads_the_warehouse(warehouse):
    runner = CliRunner()
    db = ["--db", str(warehouse)]
    out = runner.invoke(app, ["people", "split", "p_jane", "jd@example.org", *db])
    assert out.exit_code == 0, out.output
    out = runner.invoke(app, ["people", "merge", "p_jane", "email:other@example.com", *db])
    assert out.exit_code == 0, out.output
    out = runner.invoke(app, ["people", "ignore", "office@example.com"])
    assert out.exit_code == 0, out.output
    got = overrides.load(paths.overrides_file())
    assert got.cannot_link == [
        (("email", "jd@example.org"), ("linkedin_url", URL)),
        (("email", "jd@example.org"), ("email", "jane@example.net")),
    ]
    assert got.must_link == [(("linkedin_url", URL), ("email", "other@example.com"))]
    assert got.ignore == {("email", "office@example.com")}

    out = runner.invoke(app, ["people", "explain", "jane@example.net", *db])
    assert out.exit_code == 0, out.output
    assert "p_jane" in out.output and "3 identities" in out.output
    assert "fuzzy:name" in out.output and "name=1.0" in out.output


def test_split_refuses_an_identity_of_someone_else(warehouse):
    out = CliRunner().invoke(
        app, ["people", "split", "p_jane", "nobody@example.com", "--db", str(warehouse)]
    )
    assert out.exit_code == 2


def test_what_the_user_wrote_in_the_file_survives_an_added_entry(tmp_path):
    path = tmp_path / "overrides.toml"
    mine = (
        "# my corrections, kept by hand\n"
        "[[must_link]]\n"
        "# she changed her name\n"
        'left = "email:a@example.com"  # old address\n'
        'right = "email:b@example.com"\n'
    )
    path.write_text(mine, encoding="utf-8")
    overrides.add_ignore(path, ("email", "office@example.com"))
    assert path.read_text(encoding="utf-8").startswith(mine)  # unchanged, new entry after
    overrides.add_must_link(path, ("email", "c@example.com"), ("email", "d@example.com"))
    text = path.read_text(encoding="utf-8")
    for line in mine.splitlines():
        assert line in text
    got = overrides.load(path)
    assert got.must_link == [
        (("email", "a@example.com"), ("email", "b@example.com")),
        (("email", "c@example.com"), ("email", "d@example.com")),
    ]
    assert got.ignore == {("email", "office@example.com")}


def test_parse_identity_names_every_key_kind():
    assert overrides.parse_identity("linkedin_connection:2021-05-20|mei li") == (
        "linkedin_connection",
        "2021-05-20|mei li",
    )
    assert overrides.parse_identity("linkedin_urn:URN:li:member:42") == (
        "linkedin_urn",
        "urn:li:member:42",
    )
    assert overrides.parse_identity("owner:me") == ("owner", "me")
