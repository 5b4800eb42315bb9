"""Normalisation of the two exact identity keys: e-mail addresses and LinkedIn URLs."""

import pytest

from transforms.resolve.keys import (
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
