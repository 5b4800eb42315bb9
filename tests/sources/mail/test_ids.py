"""Message-ID normalisation. Expected values worked out by hand."""

from __future__ import annotations

from transforms.sources.mail.ids import normalize_message_id


def test_normalize_message_id():
    assert normalize_message_id("  <Abc.1@Example.org> ") == "Abc.1@Example.org"  # case kept
    assert normalize_message_id("<a@x.org> <b@y.org>") == "a@x.org"
    assert normalize_message_id("bare@example.org") == "bare@example.org"
    assert normalize_message_id(" <> ") is None
