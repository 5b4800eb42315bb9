"""Normalisation of the two exact identity keys: e-mail addresses and LinkedIn URLs."""

import unicodedata

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.resolve.keys import (
    _plain_address,
    canonical_linkedin_url,
    collapse_spaces,
    email_problem,
    mailbox_key,
    normalize_email,
)

CANON = "https://www.linkedin.com/in/"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.linkedin.com/in/ada-marsh-1a2b3c", CANON + "ada-marsh-1a2b3c"),
        ("www.linkedin.com/in/ada-marsh-1a2b3c", CANON + "ada-marsh-1a2b3c"),  # Endorsements
        ("http://linkedin.com/in/Ada-Marsh-1A2B3C/", CANON + "ada-marsh-1a2b3c"),
        ("https://uk.linkedin.com/in/ada-marsh?trk=profile#top", CANON + "ada-marsh"),
        ("https://www.linkedin.com/en-us/in/ada-marsh", CANON + "ada-marsh"),
        # Connections.csv percent-encodes non-ASCII slugs; messages.csv writes them raw.
        ("https://www.linkedin.com/in/jos%C3%A9-pe%C3%B1a-9", CANON + "josé-peña-9"),
        ("https://www.linkedin.com/in/José-Peña-9", CANON + "josé-peña-9"),
        ("  https://www.linkedin.com/in/ada  ", CANON + "ada"),
        ("https://www.linkedin.com/company/acme", None),
        ("https://example.com/in/ada", None),
        ("", None),
        (None, None),
        ("not a url at all", None),
    ],
)
def test_canonical_linkedin_url(raw, expected):
    assert canonical_linkedin_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ada.Marsh@Example.COM", "ada.marsh@example.com"),
        ("  <ada@example.org> ", "ada@example.org"),
        ("ada@", None),
        ("ada", None),
        ("ada@localhost", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_email(raw, expected):
    assert normalize_email(raw) == expected


def test_email_problem_says_why():
    assert email_problem("bob") == "address has no @"
    assert email_problem("  ") == "empty address"
    assert email_problem("bob@").startswith("invalid address:")


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("ada.marsh@gmail.com", "adamarsh@gmail.com"),
        ("ada.marsh+news@googlemail.com", "adamarsh@gmail.com"),
        ("ada.marsh+news@example.com", "ada.marsh@example.com"),
        ("+only@example.com", "+only@example.com"),
    ],
)
def test_mailbox_key(address, key):
    assert mailbox_key(address) == key


def test_collapse_spaces():
    assert collapse_spaces("  Ada   Marsh ") == "Ada Marsh"
    assert collapse_spaces("   ") is None


# -- the plain-ASCII fast path of normalize_email gives email-validator's answer ----------


def _validator(text: str) -> str | None:
    """normalize_email as it was before the fast path: email-validator alone."""
    try:
        info = validate_email(text, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return None
    return unicodedata.normalize("NFC", info.normalized).lower()


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        ("Ada.Marsh@Example.COM", "ada.marsh@example.com"),
        ("o'brien+tag@mail.example.co.uk", "o'brien+tag@mail.example.co.uk"),
        ("a!#$%&'*+-/=?^_`{|}~@x-y.org", "a!#$%&'*+-/=?^_`{|}~@x-y.org"),
        ("a@b.co", "a@b.co"),
        ("l" * 70 + "@example.com", "l" * 70 + "@example.com"),  # local > 64: not strict
        ("a@" + "d" * 63 + ".com", "a@" + "d" * 63 + ".com"),  # 63-character label
        ("a@" + "d" * 64 + ".com", None),  # label too long
        ("l" * 240 + "@example.com", "l" * 240 + "@example.com"),  # 252 characters
        ("l" * 243 + "@example.com", None),  # 255 characters
        ("a@1.2.3.example", "a@1.2.3.example"),
        ("a@b.c1", None),  # TLD must end with a letter
        ("a@localhost", None),  # no dot
        ("a@host.local", None),  # special-use domains
        ("a@x.test", None),
        ("a@mail.invalid", None),
        ("a@x.onion", None),
        ("a@10.in-addr.arpa", None),
        ("a@localhost.com", "a@localhost.com"),  # only the suffix is special
        ("a@b-.com", None),
        ("a@-b.com", None),
        ("a@b--c.com", None),  # "--" always goes to email-validator
        ("a@xn--bcher-kva.example", None),  # Punycode: email-validator decodes it
        (".a@b.com", None),
        ("a.@b.com", None),
        ("a..b@b.com", None),
        ('"a b"@b.com', None),
        ("jos\u00e9@b.com", None),  # non-ASCII
        ("a@b.com.", None),
        ("a@@b.com", None),
        ("a b@c.com", None),
    ],
)
def test_plain_address_fast_path_examples(text, fast):
    assert _plain_address(text) == fast
    if fast is not None:  # every fast answer is email-validator's answer
        assert _validator(text) == fast
    assert normalize_email(text) == _validator(text)


_ATEXT = "aZ09_!#$%&'*+-/=?^`{|}~"
_ODD = '"@ \u00e9\\()<>,;:[].'  # characters that make an address odd or invalid
_LABEL_CHARS = "abcXYZ0189-"
_SUFFIXES = ["", ".com", ".co.uk", ".local", ".test", ".arpa", ".invalid", ".onion",
             ".localhost", ".x1", "-", ".xn--p1ai", ".example", "."]  # fmt: skip


@st.composite
def _addresses(draw) -> str:
    """Mostly near-valid addresses (dot-atoms, hostname labels) with occasional odd
    characters, repeats around the 63 / 64 / 254 limits, and special-use suffixes."""
    atoms = draw(
        st.lists(st.text(st.sampled_from(_ATEXT), min_size=1, max_size=6), min_size=1, max_size=4)
    )
    local = ".".join(atoms)
    if draw(st.integers(0, 4)) == 0:
        local = local * draw(st.integers(1, 40))
    labels = draw(
        st.lists(
            st.text(st.sampled_from(_LABEL_CHARS), min_size=1, max_size=6), min_size=1, max_size=4
        )
    )
    if draw(st.integers(0, 4)) == 0:
        labels[0] = labels[0] * draw(st.integers(1, 20))
    suffix = draw(st.sampled_from(_SUFFIXES)) if draw(st.booleans()) else ".org"
    address = f"{local}@{'.'.join(labels)}{suffix}"
    if draw(st.integers(0, 3)) == 0:  # one odd character (an empty atom or label: ".")
        at = draw(st.integers(0, len(address)))
        address = address[:at] + draw(st.sampled_from(_ODD)) + address[at:]
    return address


@settings(max_examples=1500, deadline=None)
@given(_addresses())
def test_plain_address_fast_path_equals_email_validator(text):
    fast = _plain_address(text)
    if fast is not None:
        assert _validator(text) == fast
    assert normalize_email(text) == _validator(text.strip().strip("<>").strip())
