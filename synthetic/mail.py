"""The mbox writer: a Gmail Takeout mbox (../shared/formats/email.md), CRLF throughout.

Each message opens with Takeout's `From <gid>@xxx <date>` line and X-GM-THRID /
X-Gmail-Labels, then the RFC 5322 headers in the order Gmail writes them, with display
names in RFC 2047 encoded words and long address lists folded. The unique messages come
in Gmail-id order, then the second copies. `body_bytes` pads every body with lines that
look like base64, for benchmarks.
"""

from __future__ import annotations

import base64
from pathlib import Path

from synthetic.encoding import date_header, fold, format_address, from_line_date
from synthetic.frame import Dice
from synthetic.mail_records import Mail, MailActivity, Mailbox


def draw_padding(dice: Dice, body_bytes: int) -> list[str]:
    """76-character base64 lines to pad bodies with; none (and no draw) when body_bytes is 0.

    The network's last draw, so that padding changes no other byte of any file.
    """
    if not body_bytes:
        return []
    blob = base64.b64encode(dice.rng.randbytes(57 * 1024)).decode("ascii")
    return [blob[i : i + 76] for i in range(0, len(blob), 76)]


def write_mbox(path: Path, activity: MailActivity, padding: list[str], body_bytes: int) -> None:
    """Write every message, then every second copy, to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        for i, m in enumerate(activity.messages + activity.copies):
            # each message starts at another place in the padding, so bodies differ
            fh.write(_render(m, padding, i * 7, body_bytes).encode("utf-8"))


def _address(box: Mailbox) -> str:
    return format_address(box.name, box.address, box.encode_b)


def _render(m: Mail, pad: list[str], pad_at: int, body_bytes: int) -> str:
    head = [
        f"From {m.gid}@xxx {from_line_date(m.instant)}",
        f"X-GM-THRID: {m.thrid}",
        f"X-Gmail-Labels: {','.join(m.labels)}",
    ]
    if m.delivered_to:
        head.append(f"Delivered-To: {m.delivered_to}")
    head += ["MIME-Version: 1.0", f"Date: {date_header(m.instant, m.zone)}"]
    head.append(f"Message-ID: {m.msgid}")
    if m.in_reply_to:
        head.append(f"In-Reply-To: {m.in_reply_to}")
        head.append(fold("References", m.references, sep=""))
    head.append(f"Subject: {m.subject}")
    head.append(f"From: {_address(m.sender)}")
    head.append(fold("To", [_address(b) for b in m.to]))
    if m.cc:
        head.append(fold("Cc", [_address(b) for b in m.cc]))
    if m.bcc:
        head.append(fold("Bcc", [_address(b) for b in m.bcc]))
    head += m.list_headers
    head.append('Content-Type: text/plain; charset="UTF-8"')
    head.append("Content-Transfer-Encoding: 7bit")
    body = m.body
    if pad:
        need = (body_bytes + 77) // 78
        lines = [pad[(pad_at + i) % len(pad)] for i in range(need)]
        body += "\r\n\r\n" + "\r\n".join(lines)
    return "\r\n".join(head) + "\r\n\r\n" + body + "\r\n\r\n"
