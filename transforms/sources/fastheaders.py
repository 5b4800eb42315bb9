"""A hand-written fast path for splitting a header block into the few headers kith keeps.

Why: `BytesHeaderParser(policy=compat32)` walks every line of every header through
Python-level feedparser code, although a Gmail header block is 60-100 lines of which kith
reads about ten. Here one C-level regex scan does the job: it picks the wanted headers with
their folded continuation lines and stops at the first line that is not plain (every line
must be `Name:` or a continuation); a block holding a CR is also checked for lone CRs.
For a plain block the result is exactly what `msg.raw_items()` gives under compat32 (same
names, same raw values with folding kept and 8-bit bytes as surrogate escapes); anything
else returns None and the caller uses the email package. `tests/sources/test_fastheaders.py`
checks the equality on every test message and on random header soup.
"""

from __future__ import annotations

import re

# A line (after the newline) that is not plain: neither a continuation (space/tab) nor a
# non-empty compat32 header name followed by `:`. The end of the block is fine. One search
# that stops at newlines only (a literal prefix: fast in C); possessive, so linear.
_ODD_LINE = re.compile(r"\n(?![ \t]|\Z)(?:[!-9;-~]++(?!:)|(?![!-9;-~]))")
# A CR that does not start a CRLF (the last character aside): the feedparser breaks lines
# there.
_LONE_CR = re.compile(r"\r(?!\n|\Z)")


def _trie(words: list[str]) -> str:
    """A regex alternation of distinct `words` shaped as a prefix tree
    (`c(?:c|ontent-type)`): at each line start the engine tries one branch per first
    letter, not one per name."""
    if len(words) == 1:
        return re.escape(words[0])
    groups: dict[str, list[str]] = {}
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word[1:])
    branches = [re.escape(c) + _trie(rest) for c, rest in sorted(groups.items())]
    if len(branches) == 1 and "" not in words:
        return branches[0]
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if "" in words else body


def compile_wanted(names: frozenset[str]) -> re.Pattern[str]:
    """Pattern matching `\\n<name>:` (lower case) for the wanted names, then the folded value;
    or an odd line (`_ODD_LINE`, group 1 None), so one scan both picks the values and proves
    the block plain (a wanted header's continuation lines are plain by construction).

    It runs on a lower-cased copy of the block: a case-sensitive alternation is ~5x faster
    than re.IGNORECASE, and lower() of ASCII plus surrogate escapes keeps every offset.
    """
    alternatives = _trie(sorted(n.lower() for n in names))
    return re.compile(
        r"\n(?:("
        + alternatives
        + r"):[ \t]*+([^\n]*+(?:\n[ \t][^\n]*+)*+)|"
        + _ODD_LINE.pattern[2:]
        + ")"
    )


def split_plain(block: bytes, wanted: re.Pattern[str]) -> dict[str, list[str]] | None:
    """{lower-case name: [raw values in order]} for the wanted headers, or None if odd.

    Values are as compat32 stores them: leading blanks of the first line stripped,
    continuation lines kept with their line ends, trailing CR/LF stripped, 8-bit bytes as
    surrogate escapes. Odd means: a line that is neither `Name:` nor a continuation (the
    feedparser would end the headers there or drop it), a first line that is a
    continuation, or a CR that does not start a CRLF (the feedparser breaks lines there).
    The block is decoded once (ASCII with surrogate escapes: a copy for ASCII text), so
    values need no decoding of their own.
    """
    text = "\n" + block.decode("ascii", "surrogateescape")
    if text[1:2] in (" ", "\t"):
        return None
    cr = "\r" in text  # LF files (Takeout) skip the CR checks
    if cr and _LONE_CR.search(text):
        return None
    out: dict[str, list[str]] = {}
    for m in wanted.finditer(text.lower()):  # lower(): ASCII case only, offsets kept
        key = m.group(1)
        if key is None:  # an odd line
            return None
        start, end = m.span(2)
        value = text[start:end].rstrip("\r\n") if cr else text[start:end]
        values = out.get(key)
        if values is None:
            out[key] = [value]
        else:
            values.append(value)
    return out
