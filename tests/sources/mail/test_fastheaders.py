"""The hand-written header fast path gives exactly what the email package gives.

Compared on every message of the hand-made fixtures and the shared public corpora (raw
header values and the whole parsed record), and on random header soup.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.sources.mail import headers
from transforms.sources.mail.fastheaders import compile_wanted, split_plain


def test_fast_path_equals_email_package_on_every_test_message(monkeypatch, mail_blocks):
    blocks = [(b.name, b.header, b.from_line) for b in mail_blocks]
    fast_hits = 0
    for name, block, _from_line in blocks:
        fast = split_plain(block, headers._WANTED_RE)
        if fast is not None:
            fast_hits += 1
            assert fast == headers._raw_headers_email(block), name
    with_fast = [headers.parse_header_block(b, f, "Inbox") for _, b, f in blocks]
    monkeypatch.setattr(headers, "split_plain", lambda block, wanted: None)
    without = [headers.parse_header_block(b, f, "Inbox") for _, b, f in blocks]
    for (name, _, _), a, b in zip(blocks, with_fast, without, strict=True):
        assert a == b, name
    # Not vacuous: most real messages are plain and take the fast path.
    assert len(blocks) >= 40
    assert fast_hits >= 0.8 * len(blocks)


@pytest.mark.parametrize(
    ("block", "plain"),
    [
        (b"From: a@x.org\r\nTo: b@y.org\r\n", True),
        (b"FROM: a@x.org\nto:\n\tb@y.org\n", True),  # any case; value starts on next line
        (b" folded first line\nFrom: a@x.org\n", False),  # continuation first
        (b"From: a@x.org\nnot a header line\nTo: b@y.org\n", False),  # ends headers early
        (b"From: a@x.org\rTo: b@y.org\n", False),  # lone CR breaks the line
        (b"Subject : hi\nFrom: a@x.org\n", False),  # space before the colon
        (b"From: a@x.org\nFrom nobody Mon Jan  1 00:00:00 2024\n", False),  # envelope inside
        (b": no name\nFrom: a@x.org\n", False),
        (b"", True),
    ],
)
def test_odd_blocks_go_to_the_email_package(block, plain):
    fast = split_plain(block, headers._WANTED_RE)
    assert (fast is not None) is plain
    if fast is not None:
        assert fast == headers._raw_headers_email(block)


def test_values_keep_folding_case_and_8bit_bytes():
    block = (
        b"Message-ID: <AbC@X.org>\r\nX-Other: skip me\r\nTO: Jos\xc3\xa9 <j@x.org>,\r\n"
        b"\tb@y.org\r\nto: c@z.org\r\n"
    )
    assert split_plain(block, headers._WANTED_RE) == {
        "message-id": ["<AbC@X.org>"],
        "to": ["Jos\udcc3\udca9 <j@x.org>,\r\n\tb@y.org", "c@z.org"],
    }


_NAMES = st.sampled_from(
    ["From", "to", "CC", "Subject", "Date", "Message-ID", "References", "X-Gmail-Labels",
     "Received", "X-Junk", "List-Id", "", "From ", "Subject "]
)  # fmt: skip
_VALUE = st.binary(max_size=30).map(lambda b: b.replace(b"\n", b" ") if b else b)
_EOL = st.sampled_from([b"\n", b"\r\n", b"\r", b""])


@st.composite
def _soup(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            lines.append(draw(st.sampled_from([b" ", b"\t"])) + draw(_VALUE))
        elif kind == 1:
            lines.append(draw(_VALUE))
        else:
            lines.append(draw(_NAMES).encode() + b":" + draw(_VALUE))
        lines.append(draw(_EOL))
    return b"".join(lines)


@settings(max_examples=400, deadline=None)
@given(_soup())
def test_random_header_soup_fast_equals_email_package(block):
    fast = split_plain(block, headers._WANTED_RE)
    if fast is not None:
        assert fast == headers._raw_headers_email(block)


@settings(max_examples=200, deadline=None)
@given(
    st.sets(
        st.sampled_from(
            [
                "t",
                "to",
                "tox",
                "x-",
                "x-gm-thrid",
                "x-gmail-labels",
                "from",
                "f",
                "cc",
                "content-type",
                "a-b.c",
            ]
        ),
        min_size=1,
    ),  # fmt: skip
    st.lists(
        st.sampled_from(
            [
                "t",
                "to",
                "tox",
                "toy",
                "x-",
                "x-gm",
                "x-gm-thrid",
                "from",
                "fro",
                "cc",
                "c",
                "content-type",
                "a-b.c",
                "a-bxc",
            ]
        )
    ),  # fmt: skip
)
def test_wanted_pattern_matches_exactly_the_wanted_names(names, lines):
    # The prefix-tree alternation picks a line iff its name is one of the wanted names,
    # also when one wanted name is a prefix of another ("t", "to", "tox").
    block = "".join(f"{name}: v\n" for name in lines).encode()
    got = split_plain(block, compile_wanted(frozenset(names)))
    assert got is not None
    expected: dict[str, list[str]] = {}
    for name in lines:
        if name in names:
            expected.setdefault(name, []).append("v")
    assert got == expected
