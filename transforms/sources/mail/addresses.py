"""Address headers: From, Sender, To, Cc, Bcc, Delivered-To, Reply-To as participant rows.

An address-list value is split on the raw text first, then each display name is decoded
(an RFC 2047 word may hide a comma). Quotes, comments, groups (`team: a@x, b@y;`), obsolete
source routes and unquoted commas in names (`Smith, Bob <bob@x.org>`) are handled; each
address is validated and normalised by `resolve.keys`. An invalid address becomes a problem
(its reason, never the address), not a participant. Everything is cached per distinct
value: a mailbox repeats its correspondents.
"""

from __future__ import annotations

import re
from email.utils import getaddresses
from functools import lru_cache

from transforms.resolve.keys import email_problem, normalize_email
from transforms.sources.mail.text import clean_text, unfold

# (header, role, label in problem reasons) in the order participant rows are produced.
_ADDRESS_ROLES = (
    ("from", "from", "From"),
    ("sender", "sender", "Sender"),
    ("to", "to", "To"),
    ("cc", "cc", "Cc"),
    ("bcc", "bcc", "Bcc"),
    ("delivered-to", "delivered_to", "Delivered-To"),
    ("reply-to", "reply_to", "Reply-To"),
)
_ADDR_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"?|\((?:\\.|[^()\\])*\)?|<[^<>]*>?|[,;:]|[^,;:"(<]+')
_PLAIN_WORDS = re.compile(r"^[^\W\d_][\w .'-]*$")

# A participant: (role, normalised address, decoded display name or None).
Participant = tuple[str, str, str | None]


def _unquote(piece: str) -> str:
    if len(piece) >= 2 and piece[0] == '"' and piece[-1] == '"':
        piece = piece[1:-1]
    elif piece.startswith('"'):
        piece = piece[1:]
    return re.sub(r"\\(.)", r"\1", piece) if "\\" in piece else piece


def _tokens(value: str) -> list[tuple[str, str | None, str | None]]:
    """Split an address-list value into (raw token, name part, angle address or None).

    Commas and semicolons split at top level (outside quotes, comments and <>); a group's
    display name ("team:" / "undisclosed-recipients:") is dropped; empty entries vanish.
    """
    simple = _simple_tokens(value)
    return simple if simple is not None else _tokens_general(value)


# One entry of a simple list: `Name <addr>` or `"Quoted, Name" <addr>` (no specials in the
# unquoted name, no backslash or quote in the quoted one, none in the address), then a
# comma or the end.
_SIMPLE_ENTRY = re.compile(
    r'(?:([^",;:()<>\\]*)|[ \t]*"([^"\\]*)"[ \t]*)<([^<>",;:()\\\s]+)>[ \t]*(?:,|\Z)'
)


def _simple_tokens(value: str) -> list[tuple[str, str | None, str | None]] | None:
    """`_tokens_general` for a list of simple entries (nearly every From/To/Cc value), in
    one regex step per entry; None for anything else. `tests/sources/mail/test_addresses.py`
    checks the two agree."""
    out: list[tuple[str, str | None, str | None]] = []
    pos, end = 0, len(value)
    match = _SIMPLE_ENTRY.match
    while pos < end:
        m = match(value, pos)
        if m is None:
            return None
        bare, quoted, angle = m.groups()
        raw = value[pos : m.end()].rstrip(",").strip()
        out.append((raw, bare.strip() if quoted is None else quoted, angle))
        pos = m.end()
    if not out or value.endswith(","):
        return None
    return out


def _tokens_general(value: str) -> list[tuple[str, str | None, str | None]]:
    """The general tokenizer behind `_tokens`: quotes, comments, groups, source routes,
    unquoted commas in names."""
    out: list[tuple[str, str | None, str | None]] = []
    pieces: list[str] = []
    name_pieces: list[str] = []
    angle: str | None = None

    def flush() -> None:
        raw = "".join(pieces).strip()
        if raw:
            name = " ".join(p for p in name_pieces if p) if angle is not None else None
            out.append((raw, name, angle))

    for piece in _ADDR_TOKEN.findall(value):
        if piece in (",", ";"):
            flush()
            pieces, name_pieces, angle = [], [], None
        elif piece == ":":
            if angle is None:  # group display name: drop it
                pieces, name_pieces = [], []
            else:
                pieces.append(piece)
        else:
            pieces.append(piece)
            first = piece[0]
            if first == "<":
                angle = piece[1:].rstrip(">").strip()
                if ":" in angle:  # obsolete source route <@a,@b:user@host>
                    angle = angle.rsplit(":", 1)[1]
            elif angle is None:
                if first == '"':
                    name_pieces.append(_unquote(piece))
                elif first != "(":
                    name_pieces.append(piece.strip())
    flush()

    # "Smith, Bob <bob@x.org>" (unquoted comma): glue the bare words to the next name.
    merged: list[tuple[str, str | None, str | None]] = []
    i = 0
    while i < len(out):
        raw, name, angle = out[i]
        if (
            angle is None
            and "@" not in raw
            and i + 1 < len(out)
            and out[i + 1][2] is not None
            and out[i + 1][1]
            and _PLAIN_WORDS.match(raw)
        ):
            nraw, nname, nangle = out[i + 1]
            merged.append((f"{raw}, {nraw}", f"{raw}, {nname}", nangle))
            i += 2
            continue
        merged.append((raw, name, angle))
        i += 1
    return merged


def split_addresses(value: str) -> list[tuple[str | None, str | None, str]]:
    """(decoded display name, address as written or None, raw token) for each entry.

    `value` is an unfolded, 8-bit-decoded header value. An address of None means the
    token held nothing `getaddresses` could read (e.g. `bob@`).
    """
    result: list[tuple[str | None, str | None, str]] = []
    for raw, name, angle in _tokens(value):
        result.extend(_token_addresses(raw, name, angle))
    return result


@lru_cache(maxsize=100_000)
def _token_addresses(
    raw: str, name: str | None, angle: str | None
) -> tuple[tuple[str | None, str | None, str], ...]:
    if angle is not None:
        return ((clean_text(name), angle, raw),)
    found = [(n, a) for n, a in getaddresses([raw]) if a]
    if not found:
        return ((None, None, raw),)
    return tuple((clean_text(n), a, raw) for n, a in found)


@lru_cache(maxsize=100_000)
def address_entries(value: str) -> tuple[tuple[str | None, str | None, str | None], ...]:
    """(display name, normalised address or None, problem or None) per entry of a value.

    Cached per value and per token: the same From/To values and the same people recur
    across a mailbox, so each is split, decoded and validated once.
    """
    return tuple(_checked(name, addr, token) for name, addr, token in split_addresses(value))


@lru_cache(maxsize=100_000)
def _raw_address_entries(
    raw: str,
) -> tuple[tuple[str | None, str | None, str | None], ...]:
    """`address_entries` of a raw (folded, 8-bit) header value: unfold included in the cache."""
    return address_entries(unfold(raw))


# (participant rows, problems, valid addresses in order) of one role.
RoleEntries = tuple[tuple[Participant, ...], tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=100_000)
def _role_entries(raw: str, role: str, label: str) -> RoleEntries:
    """(participant rows, problems, valid addresses in order) of one raw address header
    value in one role: rows are (role, address, display name), one per distinct address.
    Cached: From/To/Cc values recur, and the loop over their entries is per-message work."""
    return _role_entries_many((raw,), role, label)


def _role_entries_many(raws: tuple[str, ...], role: str, label: str) -> RoleEntries:
    """`_role_entries` over several values of one header (a repeated To:, say)."""
    rows: list[Participant] = []
    problems: list[str] = []
    addrs: list[str] = []
    seen: set[str] = set()
    for raw in raws:
        for name, norm, problem in _raw_address_entries(raw):
            if norm is None:
                problems.append(f"invalid address in {label}: {problem}")
                continue
            addrs.append(norm)
            if norm not in seen:
                seen.add(norm)
                rows.append((role, norm, name))
    return tuple(rows), tuple(problems), tuple(addrs)


@lru_cache(maxsize=100_000)
def _checked(
    name: str | None, addr: str | None, token: str
) -> tuple[str | None, str | None, str | None]:
    norm = normalize_email(addr) if addr else None
    return (name, norm, None if norm else email_problem(addr or token))


def message_addresses(
    h: dict[str, list[str]],
) -> tuple[list[Participant], list[str], tuple[str, ...], str | None]:
    """(participants, problems, From addresses, sender address) of one message's raw
    headers. The sender is the first valid From address, else the first valid Sender one;
    only the first Delivered-To counts (the account address; list software adds more below)."""
    participants: list[Participant] = []
    problems: list[str] = []
    from_addrs: tuple[str, ...] = ()
    sender_addr: str | None = None
    get = h.get
    for header, role, label in _ADDRESS_ROLES:
        values = get(header)
        if not values:
            continue
        if len(values) == 1 or header == "delivered-to":
            rows, role_problems, addrs = _role_entries(values[0], role, label)
        else:  # the header is repeated: one role's rows over all its values
            rows, role_problems, addrs = _role_entries_many(tuple(values), role, label)
        participants += rows
        if role_problems:
            problems += role_problems
        if role == "from":
            from_addrs = addrs
        elif role == "sender" and addrs:
            sender_addr = addrs[0]
    return participants, problems, from_addrs, from_addrs[0] if from_addrs else sender_addr
