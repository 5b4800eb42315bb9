"""The invented humans: the owner and the contacts, how each knows the owner, and the
identities (addresses, profile, display names) each source will show for them.

`make_people` is the generator's first step. It decides everything about a person that
does not depend on what happens between them and the owner: the relationship (`kind`),
how much they exchange (`tier`), when (`win`), and the identity noise that makes
resolution hard (second addresses, Gmail variants, credentials and nicknames in names,
Connections.csv rows without an e-mail, namesakes). At noise 0 every person has one
address, one profile and one spelling, so exact keys link everything.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from synthetic.frame import DAY, Dice, Frame
from synthetic.naming import Name, Namer, name_variants
from synthetic.vocabulary import COMPANIES, EMOJI, NICKNAMES, POSITIONS

LINKEDIN_PREFIX = "https://www.linkedin.com/in/"


@dataclass
class Person:
    """One invented human as the sources will show them; filled in by `make_people`."""

    pid: str  # truth_person_id: "owner" or t00001, t00002, ...
    first: str
    last: str
    first_ascii: str
    last_ascii: str
    company: tuple[str, str]  # (name, mail domain)
    position: str
    # connection: in Connections.csv; pending: an open invitation; inmail: wrote once on
    # LinkedIn; email: mail only; cc: only ever in Cc of mail someone else sent the owner
    kind: str = "email"
    tier: int = 0  # number of planned exchanges
    slug: str | None = None  # as written in the data (may be mixed case / non-ASCII)
    emails: list[str] = field(default_factory=list)  # as written, primary first
    conn_email: str | None = None  # Email Address column of Connections.csv
    conn_first: str = ""
    conn_last: str = ""
    li_name: str = ""  # display name on LinkedIn messages / invitations
    mail_names: list[str | None] = field(default_factory=list)  # display names used in mail
    use_email: bool = False  # exchanges mail with the owner
    use_li: bool = False  # exchanges LinkedIn messages with the owner
    win: tuple[int, int] = (0, 0)  # activity window, epoch seconds

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def spelled(self) -> Name:
        return Name(self.first, self.last, self.first_ascii, self.last_ascii)

    @property
    def profile_url(self) -> str:
        """The profile URL as written in messages and invitations (slug not encoded)."""
        return LINKEDIN_PREFIX + (self.slug or "")


@dataclass(frozen=True)
class Cast:
    """Everyone in the network: the owner (with both their addresses) and the contacts."""

    owner: Person
    owner_emails: list[str]  # personal first, then work
    persons: list[Person]


def make_people(dice: Dice, frame: Frame) -> Cast:
    """Invent the owner and `frame.people` contacts with their identities and noise."""
    namer = Namer(dice)
    owner = _invent_owner(dice, namer)
    owner_emails = [
        namer.new_email(owner.spelled, owner.company[1], work=False),
        namer.new_email(owner.spelled, owner.company[1], work=True),
    ]
    persons, with_emoji = _invent_contacts(dice, namer, frame.people)
    namesakes = _share_names(dice, persons, with_emoji)
    for p in persons:  # each person's draws in this order, then the next person's
        _cast_role(dice, p, is_namesake=p.pid in namesakes)
        p.win = _activity_window(dice, frame, p.tier)
        if p.kind in ("connection", "pending", "inmail"):
            p.slug = namer.new_slug(p.spelled)
        if p.use_email or p.kind in ("cc", "connection"):
            p.emails = _addresses(dice, namer, p)
        _spell_per_source(dice, p, is_namesake=p.pid in namesakes)
        _connections_email(dice, p)
    return Cast(owner, owner_emails, persons)


def _invent_owner(dice: Dice, namer: Namer) -> Person:
    name = namer.unique_name(non_latin=False)
    owner = Person("owner", *_fields(name), dice.rng.choice(COMPANIES), "Data Lead")
    owner.slug = namer.new_slug(owner.spelled)
    return owner


def _fields(name: Name) -> tuple[str, str, str, str]:
    return name.first, name.last, name.first_ascii, name.last_ascii


def _invent_contacts(dice: Dice, namer: Namer, n: int) -> tuple[list[Person], set[int]]:
    """`n` contacts with unique names; a few in non-Latin scripts, one or two with emoji."""
    rng = dice.rng
    non_latin_n = max(1 if n >= 20 else 0, round(n * 0.015))
    non_latin = set(rng.sample(range(n), min(n, non_latin_n)))
    emoji_n = 0 if n < 5 else (1 if n < 100 else 2)
    with_emoji = set(rng.sample(range(n), emoji_n))
    persons = []
    for i in range(n):
        name = namer.unique_name(i in non_latin)
        if i in with_emoji:  # the emoji is in the display name only, not the transliteration
            name = dataclasses.replace(name, last=f"{name.last} {rng.choice(EMOJI)}")
        company, position = rng.choice(COMPANIES), rng.choice(POSITIONS)
        persons.append(Person(f"t{i + 1:05d}", *_fields(name), company, position))
    return persons, with_emoji


def _share_names(dice: Dice, persons: list[Person], with_emoji: set[int]) -> set[str]:
    """Hard negatives: pairs of different people given one full name (noise > 0 only).

    Both become connections, so the shared name is written verbatim in Connections.csv.
    Returns the ids of everyone who now shares a name.
    """
    n = len(persons)
    namesakes: set[str] = set()
    if dice.noise > 0 and n >= 4:
        plain = [i for i in range(n) if i not in with_emoji]
        pairs = min(len(plain) // 2, max(1, round(n * dice.noise * 0.005)))
        picked = dice.rng.sample(plain, 2 * pairs)
        for a, b in zip(picked[::2], picked[1::2], strict=True):
            pa, pb = persons[a], persons[b]
            pb.first, pb.last, pb.first_ascii, pb.last_ascii = _fields(pa.spelled)
            namesakes.update((pa.pid, pb.pid))
    return namesakes


def _cast_role(dice: Dice, p: Person, is_namesake: bool) -> None:
    """How `p` knows the owner (kind), how much they exchange (tier), and on which channel."""
    rng = dice.rng
    r = rng.random()
    p.kind = (
        "connection"
        if r < 0.55
        else "pending"
        if r < 0.60
        else "inmail"
        if r < 0.63
        else "email"
        if r < 0.98
        else "cc"
    )
    if is_namesake:
        p.kind = "connection"
    r = rng.random()
    p.tier = (
        rng.randint(20, 90) if r < 0.04 else rng.randint(4, 16) if r < 0.20 else rng.randint(1, 3)
    )
    if p.kind == "connection":
        p.use_email, p.use_li = dice.chance(0.35), dice.chance(0.45)
    elif p.kind == "pending":
        # not a connection, so no Connections.csv e-mail could link an address to
        # the profile: only with noise
        p.use_email, p.use_li = dice.noisy(0.5), dice.chance(0.25)
    elif p.kind == "inmail":
        p.use_li = True
    elif p.kind == "email":
        p.use_email = True


def _activity_window(dice: Dice, frame: Frame, tier: int) -> tuple[int, int]:
    """When `p`'s exchanges happen: skewed towards recent years; long for frequent contacts."""
    rng = dice.rng
    a = frame.start + int((frame.end - frame.start - DAY) * (1 - rng.random() ** 1.25))
    span = DAY * (rng.randint(400, 2000) if tier > 15 else rng.randint(2, 365))
    return a, min(frame.end - 1, a + span)


def _addresses(dice: Dice, namer: Namer, p: Person) -> list[str]:
    """One address at noise 0; with noise a second (work + personal) and Gmail variants."""
    work = dice.chance(0.45)
    emails = [namer.new_email(p.spelled, p.company[1], work)]
    if dice.noisy(0.6):
        emails.append(namer.new_email(p.spelled, p.company[1], not work))
    gmail = [e for e in emails if e.endswith("@gmail.com")]
    if gmail and dice.noisy(0.3):
        # the same Gmail mailbox written without its dots, or with a +tag
        local = gmail[0].split("@")[0]
        if "." in local and dice.chance(0.5):
            variant = local.replace(".", "")
        else:
            tag = dice.rng.choice(["news", "work", "li", "shop"])
            variant = f"{local}+{tag}"
        emails.append(f"{variant}@gmail.com")
    return emails


def _spell_per_source(dice: Dice, p: Person, is_namesake: bool) -> None:
    """The name Connections.csv, LinkedIn messages and mail headers each show for `p`."""
    rng = dice.rng
    p.conn_first, p.conn_last = p.first, p.last
    if not is_namesake and dice.noisy(0.1):  # credentials typed into the last name
        p.conn_last = f"{p.last}, {rng.choice(['PhD', 'CFA', 'MBA'])}"
    p.li_name = p.name
    if dice.noisy(0.4):
        p.li_name = rng.choice(
            [f"{p.name}, PhD", f"{p.name} ✨", f"{p.name} ({p.company[0]})"]
            + ([f"{NICKNAMES[p.first]} {p.last}"] if p.first in NICKNAMES else [])
        )
    p.mail_names = [p.name]
    if dice.noisy(0.8):
        p.mail_names += name_variants(dice, p.spelled, p.company[0])


def _connections_email(dice: Dice, p: Person) -> None:
    """Connections.csv's Email Address: shown by few connections, and more rarely with noise."""
    if p.kind == "connection" and p.emails:
        if p.use_email:
            if not dice.noisy(2.5) or dice.chance(0.1):
                p.conn_email = p.emails[0]
        elif dice.chance(0.1 * (1 - dice.noise) + 0.02):
            p.conn_email = p.emails[0]
        if p.conn_email and dice.noisy(0.2):  # capitalised as the member typed it
            p.conn_email = p.conn_email[:1].upper() + p.conn_email[1:]
    if p.kind == "connection" and not p.use_email and not p.conn_email:
        p.emails = []  # an address nobody would ever see
