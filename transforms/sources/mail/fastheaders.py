"""A hand-written fast path for splitting a header block into the few headers kith keeps.

Why: `BytesHeaderParser(policy=compat32)` walks every line of every header through
Python-level feedparser code, although a Gmail header block is 60-100 lines of which kith
reads about ten. Here one C-level regex scan over the raw bytes does the job: it picks the
wanted headers with their folded continuation lines and stops at the first line that is
not plain (every line must be `Name:` or a continuation); a block holding a CR is also
checked for lone CRs. Only the wanted values are decoded. For a plain block the result is
exactly what `msg.raw_items()` gives under compat32 (same names, lower-cased; same raw
values with folding kept and 8-bit bytes as surrogate escapes); anything else returns None
and the caller uses the email package. `tests/sources/test_fastheaders.py` checks the
equality on every test message and on random header soup.
"""

from __future__ import annotations

import re

# A line (after the newline, known not to be a continuation) that is not plain: not a
# non-empty compat32 header name followed by `:`. The end of the block is fine.
# Possessive, so linear.
_ODD_REST = rb"(?!\Z)(?:[!-9;-~]++(?!:)|(?![!-9;-~]))"
# A CR that does not start a CRLF (the last character aside): the feedparser breaks lines
# there. A class, not a lookahead (`\r(?!\n|\Z)`): the same matches for a third fewer
# instructions, and CRLF blocks (Takeout) pay this scan on every message.
_LONE_CR = re.compile(rb"\r[^\n]")
_CONTINUATION = (b" ", b"\t")


def _letter(c: str) -> str:
    """One name character, ASCII case-insensitively (`[fF]`): a case-sensitive pattern
    with classes is several times faster than re.IGNORECASE and needs no lower-cased copy
    of the block."""
    return f"[{c.lower()}{c.upper()}]" if c.isascii() and c.isalpha() else re.escape(c)


def _trie(words: list[str]) -> str:
    """A regex alternation of distinct lower-case `words` shaped as a prefix tree
    (`[cC](?:[cC]|[oO]ntent...)`): at each line start the engine tries one branch per
    first letter, not one per name."""
    if len(words) == 1:
        return "".join(_letter(c) for c in words[0])
    groups: dict[str, list[str]] = {}
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word[1:])
    branches = [_letter(c) + _trie(rest) for c, rest in sorted(groups.items())]
    if len(branches) == 1 and "" not in words:
        return branches[0]
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if "" in words else body


def compile_wanted(names: frozenset[str]) -> re.Pattern[bytes]:
    """Pattern matching `\n<name>:` (any case) for the wanted names, then the folded
    value; or an odd line (group 1 None), so one scan both picks the values and proves the
    block plain (a wanted header's continuation lines are plain by construction). A
    continuation line is passed over at its first character."""
    alternatives = _trie(sorted(n.lower() for n in names)).encode("ascii")
    return re.compile(
        rb"\n(?![ \t])(?:("
        + alternatives
        + rb"):[ \t]*+([^\n]*+(?:\n[ \t][^\n]*+)*+)|"
        + _ODD_REST
        + rb")"
    )


_KEYS: dict[bytes, str] = {}  # raw header name -> lower-case str (a few spellings each)


def split_plain(block: bytes, wanted: re.Pattern[bytes]) -> dict[str, list[str]] | None:
    """{lower-case name: [raw values in order]} for the wanted headers, or None if odd.

    Values are as compat32 stores them: leading blanks of the first line stripped,
    continuation lines kept with their line ends, trailing CR/LF stripped, 8-bit bytes as
    surrogate escapes. Odd means: a line that is neither `Name:` nor a continuation (the
    feedparser would end the headers there or drop it), a first line that is a
    continuation, or a CR that does not start a CRLF (the feedparser breaks lines there).
    """
    if block[:1] in _CONTINUATION:
        return None
    data = b"\n" + block
    cr = b"\r" in block  # LF files skip the CR checks (Takeout writes CRLF)
    if cr and _LONE_CR.search(data):
        return None
    out: dict[str, list[str]] = {}
    for name, value in wanted.findall(data):  # tuples: cheaper than match objects
        if not name:  # an odd line (a wanted name is never empty)
            return None
        key = _KEYS.get(name)
        if key is None:
            key = name.decode("ascii").lower()
            if len(_KEYS) < 4096:
                _KEYS[name] = key
        text = (value.rstrip(b"\r\n") if cr else value).decode("ascii", "surrogateescape")
        values = out.get(key)
        if values is None:
            out[key] = [text]
        else:
            values.append(text)
    return out
