"""Readers of a generated network's files, stdlib only and independent of the generator:
the tests check the generator through what a stranger's parser would see."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import unquote

FROM_LINE = re.compile(
    rb"^From (\d+)@xxx [A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \+0000 \d{4}$"
)


def canonical_url(url: str) -> str:
    return unquote(url).lower()


def read_truth(out: Path) -> list[dict[str, str]]:
    with (out / "truth.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def truth_maps(out: Path) -> dict[str, dict[str, str]]:
    maps: dict[str, dict[str, str]] = {"email": {}, "linkedin_url": {}}
    for row in read_truth(out):
        if row["kind"] in maps:
            value = row["value"]
            assert value not in maps[row["kind"]], f"{value} maps to two people"
            maps[row["kind"]][value] = row["truth_person_id"]
    return maps


def connections(out: Path) -> list[dict[str, str]]:
    text = (out / "linkedin" / "Connections.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    return list(csv.DictReader(io.StringIO("\n".join(lines[start:]))))


def linkedin_messages(out: Path) -> list[dict[str, str]]:
    with (out / "linkedin" / "messages.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def invitations(out: Path) -> list[dict[str, str]]:
    with (out / "linkedin" / "Invitations.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def mbox_messages(out: Path) -> list:
    """Every message copy's header block, parsed with the email package."""
    data = (out / "mail" / "takeout.mbox").read_bytes()
    parser = BytesHeaderParser(policy=compat32)
    messages = []
    for chunk in re.split(rb"\r\n(?=From \d+@xxx )", data):
        first, _, rest = chunk.partition(b"\r\n")
        assert FROM_LINE.match(first), first
        header_block = rest.split(b"\r\n\r\n", 1)[0]
        messages.append(parser.parsebytes(header_block + b"\r\n\r\n"))
    return messages


def addresses(msg, *fields: str) -> list[tuple[str, str]]:
    values = []
    for name in fields:
        values += [str(v) for v in msg.get_all(name) or []]
    out = []
    for display, address in getaddresses(values):
        if address:
            name = str(make_header(decode_header(display))) if display else ""
            out.append((name, address.lower()))
    return out


def is_bulk(msg) -> bool:
    precedence = (msg.get("Precedence") or "").strip().lower()
    return bool(msg.get("List-Id") or msg.get("List-Unsubscribe") or precedence in {"bulk", "list"})


def truth_people(out: Path) -> dict[str, dict[str, str]]:
    with (out / "truth_people.csv").open(encoding="utf-8", newline="") as fh:
        return {row.pop("truth_person_id"): row for row in csv.DictReader(fh)}


def digest(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }
