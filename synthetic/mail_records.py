"""The mbox's records, and the draws every message shares: Gmail ids, Message-IDs, and
the address and display name a person is written with in one header.

Records are filled by mail_threads.py and mail_activity.py, rendered by mail.py and
counted by truth.py; an address is kept as written (case and all) so the truth can
list exactly what the warehouse will see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from synthetic.frame import Dice
from synthetic.people import Cast, Person


@dataclass(frozen=True)
class Mailbox:
    """One address in a header, with the display name written before it."""

    pid: str  # "owner", a person id, or "" for a bulk sender
    name: str | None  # None: the bare address
    address: str  # as written (may be re-capitalised)
    encode_b: bool = False  # a non-ASCII name in RFC 2047 B rather than Q encoding


@dataclass
class Mail:
    """One message of the mbox, before it is rendered."""

    gid: int  # Gmail's message id (the From_ line)
    instant: int  # epoch seconds
    zone: int  # minutes east of UTC the Date header is written in
    sender: Mailbox
    to: list[Mailbox]
    cc: list[Mailbox]
    bcc: list[Mailbox]
    subject: str
    msgid: str
    labels: list[str]
    body: str
    thrid: int = 0  # X-GM-THRID: the first message's gid
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    delivered_to: str | None = None
    list_headers: list[str] = field(default_factory=list)  # List-*, Precedence, Auto-Submitted
    bulk: bool = False


@dataclass(frozen=True)
class MailActivity:
    """The mbox's messages: each once in gid order, then the second copies."""

    messages: list[Mail]
    copies: list[Mail]  # the same Message-ID again, under other labels

    def counts(self) -> dict[str, int]:
        return {
            "mbox_messages": len(self.messages),
            "mbox_copies": len(self.messages) + len(self.copies),
            "mbox_duplicates": len(self.copies),
            "mbox_bulk": sum(1 for m in self.messages if m.bulk),
        }


class Ids:
    """Gmail message ids and Message-IDs, unique across the mbox."""

    def __init__(self, dice: Dice) -> None:
        self.dice = dice
        self.issued = 0  # Message-IDs so far: a counter keeps them unique

    def gmail_id(self, ts: int) -> int:
        """Gmail's 64-bit id: milliseconds since the epoch in the high bits, then noise."""
        rng = self.dice.rng
        return ((ts * 1000 + rng.randrange(1000)) << 20) | rng.getrandbits(20)

    def message_id(self, from_addr: str) -> str:
        """A Message-ID shaped like the sender's server makes them (Gmail's `CA+...`)."""
        self.issued += 1
        domain = from_addr.rpartition("@")[2].lower()
        token = f"{self.dice.rng.getrandbits(72):018x}.{self.issued:x}"
        if domain == "gmail.com":
            return f"<CA+{token}@mail.gmail.com>"
        return f"<{token}@{domain}>"


class Mailboxes:
    """Which of a person's addresses and display names one header shows."""

    def __init__(self, dice: Dice, cast: Cast) -> None:
        self.dice = dice
        self.cast = cast
        self._owner = [Mailbox("owner", cast.owner.name, e) for e in cast.owner_emails]

    def person(self, p: Person, index: int | None = None) -> Mailbox:
        """`p` under one of their display names and (unless `index`) mostly their primary."""
        dice, rng = self.dice, self.dice.rng
        name = p.mail_names[0] if len(p.mail_names) == 1 else rng.choice(p.mail_names)
        if index is None:
            index = 0 if len(p.emails) == 1 or dice.chance(0.6) else rng.randrange(len(p.emails))
        address = p.emails[index]
        if dice.noisy(0.05):  # a client that capitalised the address
            local, _, domain = address.partition("@")
            address = f"{local[:1].upper()}{local[1:]}@{domain.capitalize()}"
        return Mailbox(p.pid, name, address, encode_b=dice.chance(0.2))

    def owner(self, index: int) -> Mailbox:
        """The owner's personal (0) or work (1) address, always under their own name."""
        return self._owner[index]
