"""Header text as real text: 8-bit bytes, folded lines and RFC 2047 encoded words.

Mail headers arrive as bytes in whatever charset the sending client used, often none
declared: raw 8-bit bytes are read as UTF-8, and the bytes that are not UTF-8 as cp1252
(a valid UTF-8 name next to one stray Latin-1 byte keeps its UTF-8 part). Encoded words
with unknown charsets or bad encodings never raise: they fall back the same way.
"""

from __future__ import annotations

import codecs
from email.header import decode_header


def decode_bytes(raw: bytes, charset: str | None = None) -> str:
    """Bytes as text: the declared charset if Python knows it, else UTF-8 with any
    non-UTF-8 bytes read as cp1252."""
    if charset:
        try:
            codecs.lookup(charset)
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError, ValueError):
            pass
    return raw.decode("utf-8", errors=_CP1252_FALLBACK)


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as cp1252 (mixed values)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="replace"), err.end


_CP1252_FALLBACK = "kith-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


def unfold(value: str) -> str:
    """A raw compat32 header value as one line of real text (8-bit bytes decoded)."""
    if "\n" in value or "\r" in value:
        value = value.replace("\r", "").replace("\n", "")
    if not value.isascii():
        try:
            value = decode_bytes(value.encode("ascii", "surrogateescape"))
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
    return value.strip()


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded words; unknown charsets and bad encodings never raise."""
    if "=?" not in text:
        return text
    try:
        parts = decode_header(text)
    except Exception:  # malformed encoded words: keep the text as written
        return text
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:
            try:
                out.append(chunk.decode("raw-unicode-escape"))
            except UnicodeDecodeError:
                out.append(chunk.decode("latin-1"))
        else:
            out.append(decode_bytes(chunk, charset))
    return "".join(out)


def clean_text(text: str | None) -> str | None:
    """A display name or subject as kept: words decoded, whitespace collapsed; None if empty."""
    if not text:
        return None
    out = " ".join(decode_words(text).split())
    return out or None
