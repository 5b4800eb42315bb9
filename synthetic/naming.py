"""How one invented person is spelled: full names, e-mail addresses, LinkedIn slugs, variants.

`Namer` hands out values no one else in the network has (a full name, a mailbox, a slug),
so the truth can say "this value is this person" without ambiguity except where a step
makes it ambiguous on purpose (namesakes, in people.py). The spellings a real archive shows
for one person (name order, initials, credentials, nicknames, ASCII transliterations) come
from `name_variants`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from synthetic.frame import Dice
from synthetic.vocabulary import (
    EMOJI,
    FIRST_NAMES,
    LAST_NAMES,
    NICKNAMES,
    NON_LATIN_FIRST,
    NON_LATIN_LAST,
    PERSONAL_DOMAINS,
)

# Letters NFKD does not decompose into a base letter plus accents.
_ASCII_FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d"}
)


@dataclass(frozen=True)
class Name:
    """A full name as written, and its ASCII transliteration (for addresses and slugs)."""

    first: str  # may carry a middle initial: "Ana M."
    last: str
    first_ascii: str
    last_ascii: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


def ascii_fold(text: str) -> str:
    """`text` without accents: "Søren Åström" -> "Soren Astrom"."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return "".join(c for c in folded if not unicodedata.combining(c))


def local_part(text: str) -> str:
    """Lower-case ASCII letters and digits only, as in an address's local part."""
    return "".join(c for c in ascii_fold(text).lower() if c.isalnum() and c.isascii())


def mailbox_key(address: str) -> str:
    """The mailbox an address delivers to: Gmail ignores dots and +tags, others +tags."""
    local, _, domain = address.lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        return local.replace(".", "") + "@gmail.com"
    return f"{local}@{domain}"


def _slug_script_ok(c: str) -> bool:
    """Characters a non-ASCII slug may keep: Latin letters with accents and Cyrillic."""
    if c.isascii():
        return True
    if not c.isalpha():
        return c.isspace()
    name = unicodedata.name(c, "")
    return (name.startswith("LATIN") and c != "ß") or name.startswith("CYRILLIC")


class Namer:
    """Invents names, addresses and slugs that are unique across one network."""

    def __init__(self, dice: Dice) -> None:
        self.dice = dice
        self.used_names: set[str] = set()  # casefolded full names
        self.used_mailboxes: set[str] = set()  # mailbox_key of every address handed out
        self.used_slugs: set[str] = set()  # canonical (NFC, lower) slugs

    def unique_name(self, non_latin: bool) -> Name:
        """A full name no one else has; a middle initial once the name space is crowded."""
        rng = self.dice.rng
        for attempt in range(60):
            if non_latin:
                f, fa = rng.choice(NON_LATIN_FIRST)
                last, la = rng.choice(NON_LATIN_LAST)
            else:
                f = fa = rng.choice(FIRST_NAMES)
                last = la = rng.choice(LAST_NAMES)
                fa, la = ascii_fold(fa), ascii_fold(la)
            if attempt >= 20:  # crowded: add a middle initial
                initial = chr(ord("A") + rng.randrange(26))
                f, fa = f"{f} {initial}.", f"{fa} {initial}."
            if f"{f} {last}".casefold() not in self.used_names:
                self.used_names.add(f"{f} {last}".casefold())
                return Name(f, last, fa, la)
        raise RuntimeError("name space exhausted")  # pragma: no cover

    def new_email(self, name: Name, company_domain: str, work: bool) -> str:
        """A work (company domain) or personal address whose mailbox no one else has."""
        rng = self.dice.rng
        f, last = local_part(name.first_ascii.split()[0]), local_part(name.last_ascii)
        f = f or "x"
        last = last or "y"
        domain = company_domain if work else rng.choice(PERSONAL_DOMAINS)
        patterns = (
            [f"{f}.{last}", f"{f[0]}{last}", f, f"{f}{last[0]}"]
            if work
            else [f"{f}.{last}", f"{f}{last}", f"{f[0]}.{last}", f"{last}.{f}"]
        )
        for i in range(200):
            local = rng.choice(patterns) if i < 8 else f"{f}.{last}{rng.randrange(10, 9999)}"
            address = f"{local}@{domain}"
            key = mailbox_key(address)
            if key not in self.used_mailboxes:
                self.used_mailboxes.add(key)
                return address
        raise RuntimeError("address space exhausted")  # pragma: no cover

    def new_slug(self, name: Name) -> str:
        """A LinkedIn profile slug, as written in the export (accents, mixed case and all)."""
        dice, rng = self.dice, self.dice.rng
        accented = not (name.first + name.last).isascii()
        keep = (
            accented
            and all(_slug_script_ok(c) for c in name.first + name.last)
            and dice.chance(0.4 + 0.4 * dice.noise)
        )
        src = name.full if keep else f"{name.first_ascii} {name.last_ascii}"
        words = ["".join(c for c in w.lower() if c.isalnum()) for w in src.split()]
        base = "-".join(w for w in words if w) or "member"
        if base.casefold() != base:  # canonical lower must equal casefold (no ß, ς)
            words = [local_part(w) for w in f"{name.first_ascii} {name.last_ascii}".split()]
            base = "-".join(w for w in words if w) or "member"
        if any(e in name.last for e in EMOJI) and dice.chance(0.5):
            base += "-" + next(e for e in EMOJI if e in name.last)
        for i in range(200):
            r = rng.random()
            if r < 0.7 or i > 3:
                slug = f"{base}-{rng.getrandbits(36):09x}"
            elif r < 0.85:
                slug = base
            else:
                slug = f"{base.replace('-', '')}{rng.randrange(1, 999)}"
            canon = unicodedata.normalize("NFC", slug).lower()
            if canon not in self.used_slugs:
                self.used_slugs.add(canon)
                if dice.noisy(0.1):  # mixed-case spelling of the same slug
                    slug = "-".join(w[:1].upper() + w[1:] for w in slug.split("-"))
                return slug
        raise RuntimeError("slug space exhausted")  # pragma: no cover


def name_variants(dice: Dice, name: Name, company: str) -> list[str | None]:
    """One or two display-name spellings of `name` in mail (None: an address with no name)."""
    first, last, full = name.first.split()[0], name.last, name.full
    options: list[str | None] = [
        f"{last.upper()} {first}",
        f"{last}, {first}",
        f"{first[0]}. {last}",
        f"{full}, PhD",
        f"{full} ({company.split(',')[0]})",
        None,
        full.lower(),
        full.upper(),
    ]
    if first in NICKNAMES:
        options += [f"{NICKNAMES[first]} {last}"] * 3
    if not full.isascii() and all(c.isascii() or c.isalpha() or c == " " for c in full):
        options += [f"{name.first_ascii} {name.last_ascii}"] * 3
    return [dice.rng.choice(options) for _ in range(dice.rng.randint(1, 2))]
