"""What labels, folders and list headers say about a message: sent, draft, spam, trash,
chat, and whether it is bulk (and why).

Gmail Takeout writes labels in `X-Gmail-Labels` (CSV, encoded words allowed, names in the
account's UI language); other clients say the same through the folder a copy sat in
(`Sent Items`, `Gesendet`, `[Gmail].Spam`). Bulk mail is told by list and auto-reply
headers, a no-reply sender, or a Gmail category label, in that order of precedence.
Thunderbird marks expunged messages in `X-Mozilla-Status` (still in the file until
compacted): those are rejects, not mail.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from typing import NamedTuple

from transforms.sources.mail.text import decode_words, unfold

_AUTOMATED_LOCAL = re.compile(
    r"^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|notifications?)(?:[+._-]|$)"
)
_BULK_LABELS = {
    "category promotions": "promotions",
    "category updates": "updates",
    "category forums": "forums",
    "category social": "social",
}
_SENT_FOLDERS = frozenset(
    {
        "sent",
        "sent items",
        "sent messages",
        "sent mail",
        "gesendet",
        "gesendete elemente",
        "gesendete objekte",
        "envoyés",
        "éléments envoyés",
        "enviados",
        "elementos enviados",
        "posta inviata",
        "inviati",
        "verzonden",
        "verzonden items",
    }
)
_DRAFT_FOLDERS = frozenset({"draft", "drafts", "entwürfe", "brouillons", "borradores", "bozze"})
_SPAM_FOLDERS = frozenset({"spam", "junk", "junk e-mail", "junk email", "bulk mail"})


class LabelFacts(NamedTuple):
    """What one X-Gmail-Labels value in one folder says."""

    labels: tuple[str, ...]
    kind: str  # email / chat
    is_sent: bool
    is_draft: bool
    is_spam: bool
    is_trash: bool
    bulk: str | None  # the reason a Gmail category label gives, or None


def parse_labels(value: str | None) -> list[str]:
    """X-Gmail-Labels: decode encoded words, then split as CSV, strip, drop empties."""
    if not value:
        return []
    text = decode_words(value)
    try:
        rows = list(csv.reader([text], skipinitialspace=True))
    except csv.Error:
        rows = [text.split(",")]
    return [label.strip() for label in (rows[0] if rows else []) if label.strip()]


@lru_cache(maxsize=4096)
def label_facts(raw: str | None, folder: str | None) -> LabelFacts:
    """The facts of a raw X-Gmail-Labels value (or None) in a folder: label sets repeat,
    so each is read once."""
    labels = tuple(parse_labels(unfold(raw))) if raw is not None else ()
    cf = frozenset(label.casefold() for label in labels)
    f_sent, f_draft, f_spam = folder_flags(folder)
    bulk = None
    for label, short in _BULK_LABELS.items():
        if label in cf:
            bulk = f"gmail category {short}"
            break
    return LabelFacts(
        labels=labels,
        kind="chat" if "chat" in cf else "email",
        is_sent=f_sent or "sent" in cf,
        is_draft=f_draft or "draft" in cf or "drafts" in cf,
        is_spam=f_spam or "spam" in cf,
        is_trash="trash" in cf,
        bulk=bulk,
    )


@lru_cache(maxsize=4096)
def folder_flags(folder: str | None) -> tuple[bool, bool, bool]:
    """(is_sent, is_draft, is_spam) from a folder name's last component."""
    if not folder:
        return False, False, False
    last = re.split(r"[/\\]", folder.strip())[-1].strip().casefold()
    if last.startswith("[gmail]."):
        last = last[8:]
    return last in _SENT_FOLDERS, last in _DRAFT_FOLDERS, last in _SPAM_FOLDERS


@lru_cache(maxsize=100_000)
def _automated(addr: str) -> bool:
    """A no-reply / mailer-daemon / notifications sender address (senders repeat)."""
    return _AUTOMATED_LOCAL.match(addr.rpartition("@")[0]) is not None


def bulk_reason(
    h: dict[str, list[str]], from_addrs: tuple[str, ...], label_bulk: str | None
) -> str | None:
    """Why a message is bulk, or None: what its headers say (list, precedence, auto-reply,
    bounce), else an automated From address, else `label_bulk` (its Gmail category)."""
    for name in ("list-id", "list-unsubscribe", "list-post", "mailing-list"):
        if name in h:
            return f"{name} header"
    precedence = unfold(h["precedence"][0]).lower() if "precedence" in h else ""
    if precedence in ("bulk", "list", "junk"):
        return f"precedence: {precedence}"
    if "auto-submitted" in h:
        value = unfold(h["auto-submitted"][0]).lower()
        word = value.split("(")[0].split(";")[0].strip()
        if word != "no":
            return f"auto-submitted: {word or 'empty'}"[:60]
    if "x-autoreply" in h or "x-autorespond" in h:
        return "autoreply header"
    if "return-path" in h and unfold(h["return-path"][0]).replace(" ", "") == "<>":
        return "return-path <>"
    if "content-type" in h and unfold(h["content-type"][0]).lower().startswith("multipart/report"):
        return "multipart/report"
    for addr in from_addrs:
        if _automated(addr):
            return "automated sender"
    return label_bulk


def is_expunged(status: str) -> bool:
    """Thunderbird's X-Mozilla-Status (raw value) has its expunged bit (0x0008) set:
    deleted, not yet compacted away."""
    status = unfold(status)
    try:
        return bool(int(status, 16) & 0x0008) if status else False
    except ValueError:
        return False
