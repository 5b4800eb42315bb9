"""What happens between the owner and the contacts on LinkedIn: messages, connections,
invitations; the second step, after people.py.

`schedule_linkedin` decides who writes to whom and when, the texts and folders; it writes
no file (linkedin.py does) and counts nothing (truth.py applies the counting rules to the
records kept here). Conversations are one-to-one for people who use LinkedIn, an InMail
opener for recruiters, a few group threads among connections, and sponsored messages
from "LinkedIn Member" that never count.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from synthetic.frame import DAY, Dice, Frame
from synthetic.people import Cast, Person
from synthetic.vocabulary import INVITATION_NOTES, LI_TEXTS, SPONSORED_TEXTS, TOPICS

SPONSORED_TITLE = "Sponsored Conversation"
LINKEDIN_MEMBER = "LinkedIn Member"


@dataclass(frozen=True)
class Member:
    """One side of a LinkedIn message, as the export shows it."""

    pid: str  # "owner", a person id, or "" for the anonymous sponsored sender
    name: str
    url: str  # profile URL as written; "" where the export leaves it blank


@dataclass(frozen=True)
class LinkedInMessage:
    sender: Member
    recipients: list[Member]
    at: int  # epoch seconds
    subject: str
    text: str
    folder: str  # INBOX or ARCHIVE


@dataclass(frozen=True)
class Conversation:
    conversation_id: str
    title: str
    messages: list[LinkedInMessage]  # newest first, as messages.csv lists them
    last_at: int  # the newest message's instant; conversations are listed newest first
    sponsored: bool = False


@dataclass(frozen=True)
class Connection:
    """A Connections.csv row: a person, or None for a connection who hides everything."""

    day: int  # Connected On, epoch seconds at 00:00 UTC
    person: Person | None


@dataclass(frozen=True)
class Invitation:
    at: int  # Sent At, whole minutes
    person: Person
    note: str
    outgoing: bool  # sent by the owner


@dataclass(frozen=True)
class LinkedInActivity:
    """Everything the LinkedIn export will show, in the order its files list it."""

    conversations: list[Conversation]
    connections: list[Connection]  # newest first
    invitations: list[Invitation]  # newest first

    def counts(self) -> dict[str, int]:
        return {
            "linkedin_messages": sum(len(c.messages) for c in self.conversations),
            "linkedin_conversations": len(self.conversations),
            "sponsored_messages": sum(len(c.messages) for c in self.conversations if c.sponsored),
            "connections": sum(1 for c in self.connections if c.person is not None),
            "connections_hidden_rows": sum(1 for c in self.connections if c.person is None),
            "invitations": len(self.invitations),
        }


def schedule_linkedin(dice: Dice, frame: Frame, cast: Cast) -> LinkedInActivity:
    """Draw every LinkedIn message, connection and pending invitation of the network."""
    conversations = _personal_conversations(dice, frame, cast)
    conversations += _group_conversations(dice, frame, cast)
    conversations += _sponsored(dice, frame, cast)
    conversations.sort(key=lambda c: -c.last_at)
    connections = _connections(dice, frame, cast.persons)
    invitations = _invitations(dice, frame, cast.persons)
    return LinkedInActivity(conversations, connections, invitations)


def _conversation_id(dice: Dice) -> str:
    # "2-" + base64 of "<16 hex digits>_00000000": the zeros were once meant as a row
    # counter that was never filled in; kept so that every seed's files stay the same
    raw = f"{dice.rng.getrandbits(64):016x}_00000000".encode("ascii")
    return "2-" + base64.b64encode(raw).decode("ascii")


def _text(dice: Dice, to: Person) -> str:
    return dice.rng.choice(LI_TEXTS).format(
        first=to.first.split()[0], company=to.company[0], topic=dice.rng.choice(TOPICS)
    )


def _conversation(
    dice: Dice,
    frame: Frame,
    cast: Cast,
    participants: list[Person],
    k: int,
    title: str = "",
    first_from: str = "",
) -> Conversation:
    """`k` messages between the owner and `participants`; `first_from` opens if given."""
    rng = dice.rng
    cid = _conversation_id(dice)
    times = dice.instants(frame, k, participants[0].win, 5 * DAY)
    everyone = ["owner"] + [p.pid for p in participants]
    by_pid = {p.pid: p for p in participants}
    owner = cast.owner
    members = {"owner": Member("owner", owner.name, owner.profile_url)}
    members.update({p.pid: Member(p.pid, p.li_name, p.profile_url) for p in participants})
    messages = []
    for j, ts in enumerate(times):
        if j == 0 and first_from:
            sender = first_from
        elif len(participants) == 1:  # mostly alternating turns
            sender = "owner" if (j % 2 == 0) != (rng.random() < 0.5) else participants[0].pid
        else:
            sender = rng.choice(everyone)
        others = [x for x in everyone if x != sender]
        text = _text(dice, by_pid[others[0]] if sender == "owner" else owner)
        messages.append(
            LinkedInMessage(
                sender=members[sender],
                recipients=[members[x] for x in others],
                at=ts,
                subject=title if title and j == 0 else "",
                text=text,
                folder="ARCHIVE" if dice.chance(0.15) else "INBOX",
            )
        )
    messages.reverse()  # newest first within the conversation
    return Conversation(cid, title, messages, last_at=times[-1])


def _personal_conversations(dice: Dice, frame: Frame, cast: Cast) -> list[Conversation]:
    """One thread per LinkedIn user; recruiters (inmail) open with an opportunity."""
    conversations = []
    for p in cast.persons:
        if not p.use_li:
            continue
        k = max(1, p.tier // 2 if p.use_email else p.tier)  # mail takes the other half
        if p.kind == "inmail":
            company = p.company[0].split(",")[0]
            title = f"Opportunity at {company}"
            conversations.append(
                _conversation(dice, frame, cast, [p], min(k, 3), title=title, first_from=p.pid)
            )
        else:
            conversations.append(_conversation(dice, frame, cast, [p], k))
    return conversations


def _group_conversations(dice: Dice, frame: Frame, cast: Cast) -> list[Conversation]:
    """A few threads among two or three connections and the owner (one per 60 connections)."""
    rng = dice.rng
    connections = [p for p in cast.persons if p.kind == "connection"]
    groups = len(connections) // 60 + (1 if len(connections) >= 3 else 0)
    conversations = []
    for _ in range(groups):
        members = rng.sample(connections, rng.randint(2, min(3, len(connections))))
        k = rng.randint(2, 8)
        title = rng.choice(["", "Offsite"])
        conversations.append(_conversation(dice, frame, cast, members, k, title=title))
    return conversations


def _sponsored(dice: Dice, frame: Frame, cast: Cast) -> list[Conversation]:
    """Sponsored InMail from "LinkedIn Member" with no profile URL (one per 40 people)."""
    rng = dice.rng
    owner = cast.owner
    conversations = []
    for _ in range(max(1, frame.people // 40)):
        ts = rng.randint(frame.start, frame.end - 1)
        # half the rows leave the recipient's profile URL blank
        owner_url = owner.profile_url if dice.chance(0.5) else ""
        cid = _conversation_id(dice)
        message = LinkedInMessage(
            sender=Member("", LINKEDIN_MEMBER, ""),
            recipients=[Member("owner", owner.name, owner_url)],
            at=ts,
            subject="",
            text=rng.choice(SPONSORED_TEXTS),
            folder="INBOX",
        )
        conversations.append(Conversation(cid, SPONSORED_TITLE, [message], ts, sponsored=True))
    return conversations


def _connections(dice: Dice, frame: Frame, persons: list[Person]) -> list[Connection]:
    """Connected On for every connection, plus 5% hidden rows; newest first."""
    rng = dice.rng
    keyed: list[tuple[int, int, Connection]] = []
    for i, p in enumerate(persons):
        if p.kind != "connection":
            continue
        a, b = p.win
        day = rng.randint(max(frame.start, a - 200 * DAY), b) // DAY * DAY
        keyed.append((day, i, Connection(day, p)))
    for j in range(round(len(keyed) * 0.05)):
        # a connection who hides everything but the date: an empty row
        day = rng.randint(frame.start, frame.end - 1) // DAY * DAY
        keyed.append((day, len(persons) + j, Connection(day, None)))
    keyed.sort(key=lambda r: (-r[0], r[1]))
    return [c for _, _, c in keyed]


def _invitations(dice: Dice, frame: Frame, persons: list[Person]) -> list[Invitation]:
    """One open invitation per pending person, either way, within the last year."""
    rng = dice.rng
    invitations = []
    for p in persons:
        if p.kind != "pending":
            continue
        ts = rng.randint(max(frame.start, frame.end - 365 * DAY), frame.end - 1) // 60 * 60
        note = rng.choice(INVITATION_NOTES).format(
            first=p.first.split()[0], topic=rng.choice(TOPICS)
        )
        invitations.append(Invitation(ts, p, note, outgoing=dice.chance(0.5)))
    invitations.sort(key=lambda r: -r.at)
    return invitations
