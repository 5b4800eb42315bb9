"""How values are spelled in the files the generator writes: CSV text, the date formats
each export uses, and RFC 2047 / 5322 header syntax.

Writers share these so one export's quirk is spelled once (Invitations.csv's unpadded
`M/D/YY, h:mm AM`, Connections.csv's `07 Mar 2024`, mbox From_ lines in UTC). Month and
weekday names are spelled here, not by strftime's `%a`/`%b`, which follow the locale.
"""

from __future__ import annotations

import base64
import csv
import io
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


# -- files ------------------------------------------------------------------------------------


def csv_text(rows: list[list[str]], trailing_newline: bool = True) -> str:
    """Rows as CSV with LF line ends; some exports end without a final newline."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    text = buf.getvalue()
    return text if trailing_newline else text[:-1]


def write_text(path: Path, text: str) -> None:
    """UTF-8 bytes exactly as given: no newline translation on any platform."""
    path.write_bytes(text.encode("utf-8"))


# -- dates ------------------------------------------------------------------------------------


def iso_utc(ts: int | None) -> str:
    """`2024-03-07T14:05:00Z`, or "" for no instant (truth files)."""
    if ts is None:
        return ""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def us_datetime(ts: int) -> str:
    """`M/D/YY, h:mm AM` as in Invitations.csv (unpadded month/day/hour)."""
    d = datetime.fromtimestamp(ts, UTC)
    hour = d.hour % 12 or 12
    ampm = "AM" if d.hour < 12 else "PM"
    return f"{d.month}/{d.day}/{d.year % 100:02d}, {hour}:{d.minute:02d} {ampm}"


def day_month_year(d: date) -> str:
    """`07 Mar 2024` as in Connections.csv's Connected On."""
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def utc_stamp(ts: int) -> str:
    """`2024-03-07 14:05:00 UTC` as in messages.csv's DATE."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def date_header(ts: int, zone: int) -> str:
    """An RFC 5322 Date header value in the sender's zone (minutes east of UTC)."""
    d = datetime.fromtimestamp(ts + zone * 60, UTC)
    sign = "+" if zone >= 0 else "-"
    hh, mm = divmod(abs(zone), 60)
    return (
        f"{WEEKDAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year} "
        f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} {sign}{hh:02d}{mm:02d}"
    )


def from_line_date(ts: int) -> str:
    """The date of a Gmail Takeout From_ line: `Thu Mar 07 14:05:00 +0000 2024`."""
    d = datetime.fromtimestamp(ts, UTC)
    return (
        f"{WEEKDAYS[d.weekday()]} {MONTHS[d.month - 1]} {d.day:02d} "
        f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} +0000 {d.year}"
    )


# -- headers ----------------------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def encoded_words(text: str, use_b: bool) -> str:
    """RFC 2047 encoded words for a display name, split at character boundaries."""
    words: list[str] = []
    chunk: list = []  # bytes for B, str pieces for Q
    size = 0
    for ch in text:
        raw = ch.encode("utf-8")
        if use_b:
            piece, cost = raw, len(raw) * 4 // 3 + 2
        elif ch == " ":
            piece, cost = "_", 1
        elif ch.isascii() and (ch.isalnum() or ch in "!*+-/"):
            piece, cost = ch, 1
        else:
            piece, cost = "".join(f"={b:02X}" for b in raw), 3 * len(raw)
        if size + cost > 45 and chunk:
            words.append(_finish_word(chunk, use_b))
            chunk, size = [], 0
        chunk.append(piece)
        size += cost
    if chunk:
        words.append(_finish_word(chunk, use_b))
    return " ".join(words)


def _finish_word(chunk: list, use_b: bool) -> str:
    if use_b:
        return "=?UTF-8?B?" + base64.b64encode(b"".join(chunk)).decode("ascii") + "?="
    return "=?UTF-8?Q?" + "".join(chunk) + "?="


@lru_cache(maxsize=131_072)
def format_address(name: str | None, address: str, use_b: bool = False) -> str:
    """`Name <addr>`: encoded words when not ASCII, quoted when it holds specials."""
    if not name:
        return address
    if not name.isascii():
        return f"{encoded_words(name, use_b)} <{address}>"
    if any(c in name for c in ',.()<>@:;[]"\\'):
        escaped = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}" <{address}>'
    return f"{name} <{address}>"


def fold(name: str, items: list[str], sep: str = ",") -> str:
    """`Name: a, b` folded with CRLF + space before a line would exceed ~76 characters."""
    pieces = [item + sep for item in items[:-1]] + items[-1:]
    lines: list[str] = []
    line = f"{name}:"
    for piece in pieces:
        if len(line) + 1 + len(piece) > 76 and not line.endswith(":"):
            lines.append(line)
            line = ""
        line += " " + piece
    lines.append(line)
    return "\r\n".join(lines)
