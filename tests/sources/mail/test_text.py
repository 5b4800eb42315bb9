"""Encoded words and 8-bit header text. Expected values worked out by hand."""

from __future__ import annotations

from transforms.sources.mail.text import decode_words


def test_decode_words_unknown_charset_falls_back_without_raising():
    # x-unknown is not a Python codec: bytes are read as UTF-8 (valid here).
    assert decode_words("=?x-unknown?Q?Caf=C3=A9?=") == "Café"
    # not UTF-8 either -> cp1252
    assert decode_words("=?unknown-8bit?Q?Caf=E9?=") == "Café"


def test_decode_words_mixed_plain_and_encoded():
    assert decode_words("Re: =?utf-8?q?caf=C3=A9?= time") == "Re: café time"
