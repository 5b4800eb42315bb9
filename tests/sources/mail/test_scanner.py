"""The From_ scanner: which `From ` lines start a message, chunk boundaries, and a
property test on random byte soup. Expected values are read off the fixtures by hand."""

from __future__ import annotations

import mailbox

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sources.mail.support import (
    CORPUS,
    FIXTURES,
    check_contract,
    offset_of,
)
from transforms.sources.mail.mbox import looks_like_mbox, read_mbox


def test_unquoted_from_body_lines_do_not_split():
    path = FIXTURES / "from_body_line.mbox"
    parsed = read_mbox(path)
    messages, _ = check_contract(parsed)
    assert parsed.rows_in == 2
    assert messages["message_key"].to_list() == ["body-1@example.org", "body-2@example.org"]
    assert messages["location"][1] == offset_of(path, b"From sender@example.org Sun")
    assert len(mailbox.mbox(path, create=False)) == 4  # it splits on every "From " line


def test_bom_and_blank_line_before_first_from_line():
    path = FIXTURES / "bom.mbox"
    assert looks_like_mbox(path)
    parsed = read_mbox(path)
    messages, _ = check_contract(parsed)
    assert messages.select("location", "from_addr").rows() == [("byte 4", "dora@example.org")]


def test_chunk_boundaries_do_not_change_results(tmp_path, monkeypatch):
    """Tiny read chunks force every split/refill path; results must be identical."""
    import transforms.sources.mail.scanner as scanner_module

    joined = tmp_path / "many.mbox"
    parts = [(FIXTURES / n).read_bytes() for n in ("takeout_crlf.mbox", "from_body_line.mbox")]
    joined.write_bytes(b"\n".join(parts * 3))
    paths = [joined, *sorted(FIXTURES.glob("*.mbox"))]
    if CORPUS.is_dir():
        paths += sorted(CORPUS.glob("*.mbox"))
    for path in paths:
        monkeypatch.setattr(scanner_module, "CHUNK", 1 << 20)
        expected = read_mbox(path)
        for size in (1, 2, 3, 5, 7, 64):
            monkeypatch.setattr(scanner_module, "CHUNK", size)
            got = read_mbox(path)
            assert (got.rows_in, got.rows_loaded) == (expected.rows_in, expected.rows_loaded)
            assert got.rejects.equals(expected.rejects)
            for name, frame in expected.tables.items():
                assert got.tables[name].equals(frame), (path.name, size, name)
    assert read_mbox(joined).rows_in == 18


# -- property test ------------------------------------------------------------------------------

_SOUP = st.lists(
    st.sampled_from(
        [
            b"From - Mon Jan 01 09:00:00 2024\n",
            b"From 1@xxx Tue Aug 05 08:00:23 +0000 2008\r\n",
            b"From: a@example.org\n",
            b"From: =?x-bad?Q?=FF?= <@>\n",
            b'To: undisclosed-recipients:;, bob@, "x\n',
            b"Date: Mon, 01 Jan 2024 10:00:00 +0000\n",
            b"Date: 2024-13-45\n",
            b"X-Mozilla-Status: 0009\n",
            b'X-Gmail-Labels: "a,b",=?UTF-8?Q?=C3?=\n',
            b"References: <a@b> <\n",
            b" folded continuation\n",
            b"\n",
            b"\r\n",
            b"From now on 10:30 in 2024\n",
            b"body text \xff\xfe\n",
            b"\xef\xbb\xbf",
        ]
    )
    | st.binary(max_size=40),
    max_size=30,
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(head=st.booleans(), pieces=_SOUP)
def test_property_never_raises_and_balances(tmp_path, head, pieces):
    data = (b"From - Mon Jan 01 09:00:00 2024\n" if head else b"") + b"".join(pieces)
    path = tmp_path / "soup.mbox"
    path.write_bytes(data)
    parsed = read_mbox(path)
    assert parsed.rows_in == parsed.rows_loaded + parsed.rows_rejected
    if parsed.tables:
        assert parsed.tables["stg_email_messages"].height == parsed.rows_loaded
