"""Address lists: splitting, names, the simple-list fast path. Expected values by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.sources.mail.addresses import (
    _simple_tokens,
    _tokens,
    _tokens_general,
    split_addresses,
)


def test_split_encoded_comma_is_not_a_separator():
    got = split_addresses("=?iso-8859-1?Q?Last=DFlName=2C_FirstName?= <comma.name@example.com>")
    assert [(n, a) for n, a, _ in got] == [("LastßlName, FirstName", "comma.name@example.com")]


def test_split_torture_list():
    value = (
        'undisclosed-recipients:;, "Smith, Bob" <bob@example.org>,'
        " Smith, Carol <carol@example.org>,"
        " bob@, team: dan@example.com, erin@example.org;, alice@example.com <lists@example.org>,"
        " frank@example.org (Frank Ho)"
    )
    got = [(n, a) for n, a, _ in split_addresses(value)]
    assert got == [
        ("Smith, Bob", "bob@example.org"),
        ("Smith, Carol", "carol@example.org"),
        (None, None),  # bob@: nothing usable, reported by the caller
        (None, "dan@example.com"),
        (None, "erin@example.org"),
        ("alice@example.com", "lists@example.org"),
        ("Frank Ho", "frank@example.org"),
    ]


def test_semicolon_separated_list():
    got = [a for _, a, _ in split_addresses("a@example.org; b@example.com")]
    assert got == ["a@example.org", "b@example.com"]


# -- the simple-list fast path of the address tokenizer ------------------------------------

_NAMES = st.sampled_from(
    ["", "Anna Smith", "Anna  Smith ", '"Smith, Anna"', '""', '"  "', "=?UTF-8?B?QW5uYQ==?=",
     "Smith, Anna", '"Anna \\"A\\" Smith"', "Anna (work)", "a@x.org", "Anna;", "team:",
     "Ann\u00e9", '"Anna" Smith', "Anna\\", "Anna>", "\u00a0Anna\u00a0"]
)  # fmt: skip
_ANGLES = st.sampled_from(
    ["<a@x.org>", "< a@x.org >", "<@r.org:a@x.org>", "<a@x.org", "<>", "<a b@x.org>", ""]
)
_SEPS = st.sampled_from([",", ", ", " ,", ";", ",,", ", \t", ""])
_TAILS_ = st.sampled_from(["", " ", " (c)", "x", ","])


_SIMPLE_NAMES = st.sampled_from(["", "Anna Smith", '"Smith, Anna"', "=?UTF-8?B?QW5uYQ==?="])


@st.composite
def _address_lists(draw) -> str:
    """Lists of simple entries, some with one odd name, address, separator or tail."""
    n = draw(st.integers(1, 4))
    odd = draw(st.integers(-n, n - 1))  # the entry that gets odd parts (none when < 0)
    parts = []
    for i in range(n):
        names, angles, seps = (
            (_NAMES, _ANGLES, _SEPS)
            if i == odd
            else (_SIMPLE_NAMES, st.sampled_from(["<a@x.org>", "<b.c@y.org>"]), st.just(", "))
        )
        parts.append(draw(names) + draw(st.sampled_from([" ", ""])) + draw(angles))
        parts.append(draw(seps))
    tail = draw(_TAILS_) if odd >= 0 else ""
    return ("".join(parts[:-1]) + tail).strip()


@settings(max_examples=1500, deadline=None)
@given(_address_lists())
def test_simple_address_lists_tokenize_as_the_general_path(value):
    assert _tokens(value) == _tokens_general(value)


@pytest.mark.parametrize(
    ("value", "tokens"),
    [
        (
            '"Smith, Anna" <a@x.org>, Bob <b@y.org>',
            [
                ('"Smith, Anna" <a@x.org>', "Smith, Anna", "a@x.org"),
                ("Bob <b@y.org>", "Bob", "b@y.org"),
            ],
        ),
        ("<a@x.org>", [("<a@x.org>", "", "a@x.org")]),
    ],
)
def test_simple_address_lists_examples(value, tokens):
    assert _simple_tokens(value) == tokens
    assert _tokens_general(value) == tokens
