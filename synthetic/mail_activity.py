"""What the owner's mailbox receives and sends: threads, bulk mail and duplicate copies;
the third step, after linkedin_activity.py.

`schedule_mail` decides every message (who is in From/To/Cc/Bcc under which address and
display name, the subject, body, labels, ids and threading); it writes no file (mail.py
renders the mbox) and counts nothing (truth.py applies the counting rules). The noise
a real Takeout shows is drawn here: the owner only in Cc or Bcc, a person's second
address in Cc, re-capitalised addresses, bulk senders and a second copy of a few messages
under other labels.
"""

from __future__ import annotations

import dataclasses

from synthetic.frame import Dice, Frame
from synthetic.mail_records import Ids, Mail, MailActivity, Mailbox, Mailboxes
from synthetic.mail_threads import thread
from synthetic.people import Cast
from synthetic.vocabulary import BULK_BODY, BULK_SENDERS, BULK_SUBJECTS, TOPICS, ZONES


def schedule_mail(dice: Dice, frame: Frame, cast: Cast) -> MailActivity:
    """Draw every message of the owner's Takeout mbox."""
    rng = dice.rng
    ids, boxes = Ids(dice), Mailboxes(dice, cast)
    pool = [p for p in cast.persons if p.use_email]
    messages: list[Mail] = []
    for p in pool:
        k = max(1, p.tier - p.tier // 2 if p.use_li else p.tier)  # LinkedIn has the rest
        while k > 0:
            size = min(k, rng.choice([1, 1, 2, 2, 3, 4, 6]))
            messages += thread(dice, frame, ids, boxes, p, size, pool)
            k -= size
    # people who only ever appear in Cc of mail someone else sent the owner
    received = [m for m in messages if m.sender.pid not in ("owner", "")]
    for p in cast.persons:
        if p.kind == "cc" and received:
            rng.choice(received).cc.append(boxes.person(p))
    messages += _bulk(dice, frame, ids, boxes, n=max(3, len(messages) // 3))
    messages.sort(key=lambda m: m.gid)
    return MailActivity(messages, _second_copies(dice, messages))


def _bulk(dice: Dice, frame: Frame, ids: Ids, boxes: Mailboxes, n: int) -> list[Mail]:
    """Newsletters and notifications: List-* / Precedence headers, Gmail categories."""
    rng = dice.rng
    mails = []
    for _ in range(n):
        name, addr, list_id, kind = rng.choice(BULK_SENDERS)
        ts = rng.randint(frame.start, frame.end - 1)
        headers = [f"List-Id: {name} <{list_id}>"] if list_id else []
        domain = addr.rpartition("@")[2]
        headers.append(
            f"List-Unsubscribe: <mailto:unsubscribe@{domain}?subject=unsubscribe>, "
            f"<https://{domain}/u/{rng.getrandbits(40):010x}>"
        )
        if kind == "promo" or dice.chance(0.5):
            headers.append("Precedence: bulk")
        if kind == "updates":
            headers.append("Auto-Submitted: auto-generated")
        labels = ["Inbox" if dice.chance(0.5) else "Archived"]
        labels += ["Unread" if dice.chance(0.6) else "Opened"]
        labels.append("Category Promotions" if kind == "promo" else "Category Updates")
        gid = ids.gmail_id(ts)
        zone = rng.choice(ZONES)
        subject = rng.choice(BULK_SUBJECTS[kind]).format(topic=rng.choice(TOPICS))
        mails.append(
            Mail(
                gid=gid,
                instant=ts,
                zone=zone,
                sender=Mailbox("", name, addr),
                to=[boxes.owner(0)],
                cc=[],
                bcc=[],
                subject=subject,
                msgid=ids.message_id(addr),
                labels=labels,
                body=BULK_BODY,
                thrid=gid,
                delivered_to=boxes.owner(0).address,
                list_headers=headers,
                bulk=True,
            )
        )
    return mails


def _second_copies(dice: Dice, messages: list[Mail]) -> list[Mail]:
    """A second copy of ~3% of messages with other labels, as label-by-label exports do."""
    copies = []
    for m in messages:
        if dice.chance(0.03):
            labels = list(m.labels)
            if "Inbox" in labels:
                labels[labels.index("Inbox")] = "Archived"
            else:
                labels.insert(0, "Starred")
            copies.append(dataclasses.replace(m, labels=labels))
    return copies
