"""Personal e-mail threads between the owner and one person, sometimes a second one.

A thread is a run of replies with one subject: turns mostly alternate; the owner writes
from either address; a co-correspondent may be in Cc or write one of the replies; now and
then someone else is Bcc'd, or the owner is only in Cc (or Bcc'd, so in neither To nor
Cc: such a message is received but does not count). Each reply carries In-Reply-To and
the last eight References.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from synthetic.frame import DAY, Dice, Frame
from synthetic.mail_records import Ids, Mail, Mailbox, Mailboxes
from synthetic.people import Person
from synthetic.vocabulary import EMAIL_LINES, RECEIVED_USER_LABELS, SUBJECTS, TOPICS, ZONES


@dataclass(frozen=True)
class _Between:
    """Who one thread is between: the owner, `p`, perhaps `co`; `pool` for a Cc or Bcc."""

    p: Person
    co: Person | None
    pool: list[Person]  # everyone who exchanges mail with the owner


@dataclass
class _Turn:
    """Who one message of a thread is from and to, and how its body greets and signs."""

    sender: Mailbox
    sender_address: str  # the Message-ID's domain: a person's primary, the owner's From
    to: list[Mailbox]
    cc: list[Mailbox] = field(default_factory=list)
    bcc: list[Mailbox] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    greet: str = ""
    sign: str = ""
    delivered_to: str | None = None


def thread(
    dice: Dice,
    frame: Frame,
    ids: Ids,
    boxes: Mailboxes,
    p: Person,
    k: int,
    pool: list[Person],
) -> list[Mail]:
    """`k` messages between the owner and `p` (and perhaps one other from `pool`)."""
    rng = dice.rng
    times = dice.instants(frame, k, p.win, 3 * DAY)
    subject = rng.choice(SUBJECTS).format(company=p.company[0], topic=rng.choice(TOPICS))
    co = None
    if pool and dice.chance(0.1):
        co = rng.choice(pool)
        if co is p:
            co = None
    between = _Between(p, co, pool)
    owner_turn = dice.chance(0.5)
    history: list[str] = []
    thrid = 0
    mails = []
    for j, ts in enumerate(times):
        if j > 0 and not dice.chance(0.15):
            owner_turn = not owner_turn
        owner_index = 0 if dice.chance(0.7) else 1
        writes = _owner_writes if owner_turn else _contact_writes
        turn = writes(dice, boxes, between, owner_index)
        gid = ids.gmail_id(ts)
        if j == 0:
            thrid = gid
        msgid = ids.message_id(turn.sender_address)
        zone = rng.choice(ZONES)
        mails.append(
            Mail(
                gid=gid,
                instant=ts,
                zone=zone,
                sender=turn.sender,
                to=turn.to,
                cc=turn.cc,
                bcc=turn.bcc,
                subject=subject if j == 0 else f"Re: {subject}",
                msgid=msgid,
                labels=turn.labels,
                body=_body(dice, turn.greet, turn.sign),
                thrid=thrid,
                in_reply_to=history[-1] if history else None,
                references=list(history[-8:]),
                delivered_to=turn.delivered_to,
            )
        )
        history.append(msgid)
    return mails


def _owner_writes(dice: Dice, boxes: Mailboxes, between: _Between, owner_index: int) -> _Turn:
    """The owner writes to `p`; `co` in Cc; rarely a third person Bcc'd."""
    p, co, pool = between.p, between.co, between.pool
    owner = boxes.cast.owner
    turn = _Turn(
        sender=boxes.owner(owner_index),
        sender_address=boxes.cast.owner_emails[owner_index],
        to=[boxes.person(p)],
    )
    if len(p.emails) > 1 and dice.noisy(0.3):  # same person, second address
        turn.cc.append(boxes.person(p, len(p.emails) - 1))
    if co is not None:
        turn.cc.append(boxes.person(co))
    if pool and dice.chance(0.04):
        other = dice.rng.choice(pool)
        if other is not p:
            turn.bcc.append(boxes.person(other))
    turn.labels = _sent_labels(dice)
    turn.greet, turn.sign = p.first_ascii.split()[0], owner.first_ascii
    return turn


def _contact_writes(dice: Dice, boxes: Mailboxes, between: _Between, owner_index: int) -> _Turn:
    """`p` (or `co`) writes to the owner: the owner in To, only in Cc, or Bcc'd."""
    p, co, pool = between.p, between.co, between.pool
    rng = dice.rng
    sender = co if co is not None and dice.chance(0.25) else p
    listener = p if sender is co else co
    owner = boxes.owner(owner_index)
    turn = _Turn(
        sender=boxes.person(sender),
        sender_address=sender.emails[0],
        to=[owner],
        delivered_to=boxes.cast.owner_emails[owner_index],
    )
    if listener is not None:
        turn.cc = [boxes.person(listener)]
    elif pool and dice.chance(0.1):  # owner only in Cc
        other = rng.choice(pool)
        if other is not sender:
            turn.to = [boxes.person(other)]
            turn.cc = [owner]
    elif pool and dice.noisy(0.05):  # owner Bcc'd: not in To/Cc
        other = rng.choice(pool)
        if other is not sender:
            turn.to = [boxes.person(other)]
    turn.labels = _received_labels(dice)
    turn.greet, turn.sign = boxes.cast.owner.first_ascii, sender.first_ascii.split()[0]
    return turn


def _body(dice: Dice, greet: str, sign: str) -> str:
    rng = dice.rng
    lines = [f"Hi {greet},", ""]
    for _ in range(rng.randint(1, 3)):
        lines.append(rng.choice(EMAIL_LINES).format(topic=rng.choice(TOPICS)))
    lines += ["", "Best,", sign]
    return "\r\n".join(lines)


def _received_labels(dice: Dice) -> list[str]:
    labels = ["Inbox" if dice.chance(0.75) else "Archived"]
    if dice.chance(0.2):
        labels.append("Important")
    labels += ["Opened", "Category Personal"]
    if dice.chance(0.08):
        labels.append(dice.rng.choice(RECEIVED_USER_LABELS))
    return labels


def _sent_labels(dice: Dice) -> list[str]:
    labels = ["Sent"]
    if dice.chance(0.15):
        labels.append("Important")
    if dice.chance(0.05):
        labels.append('"Clients, 2024"')
    return labels
