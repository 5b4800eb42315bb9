"""Address books (.vcf): one row per contact card, with its addresses, phones and names.

Reads vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350) as Google Contacts (Takeout's
`Takeout/Contacts/<group>/<group>.vcf`, or Export), Apple Contacts, Outlook and phones write
them: single files, folders, or the `*.vcf` members of a Takeout zip / tgz. Each card is
cut out of the file at its BEGIN:VCARD / END:VCARD lines and parsed with vobject, so one
broken card is a reject row, not a lost file.

A card is identity evidence, never a contact by itself: its addresses belong to one person
(resolution links them as `same_record:vcard`), its formatted name (FN) is the name the
user wrote for them, its nickname and organisation are matching evidence
(transforms/resolve/observations.py). The same card in two groups of one export (Takeout's
"My Contacts" and "Starred") has the same `card_key` and is one card to resolution.

Quirks handled: folded lines; grouped properties (`item1.EMAIL`, Apple's labels);
quoted-printable values with `CHARSET=` (vCard 2.1, old phones); files in UTF-16 or
Windows-1252; `TEL;VALUE=uri:tel:+1…` (4.0); LinkedIn profiles in `URL` or
`X-SOCIALPROFILE`; a card without FN is named from N. A line vobject cannot read is
dropped from its card (a reject row says so) and the rest of the card is kept.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

import polars as pl
import vobject

from transforms import schemas
from transforms.rejects import Parsed, reject_rows, whole_file
from transforms.resolve.keys import canonical_linkedin_url, collapse_spaces, normalize_email
from transforms.sources import archive
from transforms.sources.formats import (
    VCARD_MARKER,
    is_vcard_member,
)

KIND = "vcard"
MARKER = VCARD_MARKER
_CARD = re.compile(
    r"^BEGIN:VCARD[ \t]*\r?\n(.*?)^END:VCARD[ \t]*\r?$", re.IGNORECASE | re.MULTILINE | re.DOTALL
)
# A content line (`group.NAME;params:value`), a folded continuation, or a QP soft break.
_CONTENT_LINE = re.compile(r"^([A-Za-z0-9-]+\.)?[A-Za-z0-9-]+[;:]|^[ \t]")


def read_vcards(path: Path) -> Parsed:
    """Every card of one .vcf file, or of every `*.vcf` member of an archive, as one Parsed.

    `rows_in` counts cards (BEGIN:VCARD … END:VCARD blocks).
    """
    path = Path(path)
    rows: list[tuple] = []
    rejects: list[tuple[str, str]] = []
    counts = [0, 0]  # cards read, cards refused
    if archive.archive_kind(path) is None:
        try:
            text = archive.text_of(path.read_bytes())
        except OSError as err:
            return whole_file(path, f"cannot read file ({type(err).__name__})", KIND)
        if not _read_text(text, "", path.stem, rows, rejects, counts):
            return whole_file(path, "not a readable address book", KIND)
    else:
        try:
            for name, data in archive.members(path, is_vcard_member):
                book = PurePosixPath(name).stem
                if data is None:
                    rejects.append((name, "member too large to be an address book"))
                elif not _read_text(archive.text_of(data), name + " ", book, rows, rejects, counts):
                    rejects.append((name, "not a readable address book"))
        except archive.ARCHIVE_ERRORS as err:
            rejects.append(("file", f"read error, rest of archive skipped ({type(err).__name__})"))
    frame = pl.DataFrame(
        [(str(path), *row) for row in rows], schema=schemas.STG_VCARD_CARDS, orient="row"
    )
    return Parsed(
        source_file=str(path),
        kind=KIND,
        rows_in=counts[0],
        rows_loaded=counts[0] - counts[1],
        rows_rejected=counts[1],
        tables={"stg_vcard_cards": frame},
        rejects=reject_rows(path, rejects),
    )


def _read_text(
    text: str,
    prefix: str,
    book: str,
    rows: list[tuple],
    rejects: list[tuple[str, str]],
    counts: list[int],
) -> bool:
    """Stage every card of one file's text; False when it holds no card at all."""
    if not archive.first_line_is(text[:4096].encode("utf-8", "replace"), MARKER):
        return False
    for match in _CARD.finditer(text):
        counts[0] += 1
        location = f"{prefix}line {text.count(chr(10), 0, match.start()) + 1}"
        card = _parse(match.group(0), location, rejects)
        if card is None:
            counts[1] += 1
            rejects.append((location, "unreadable card"))
            continue
        rows.append((location, book, *_fields(card, location, rejects)))
    return True


def _parse(block: str, location: str, rejects: list[tuple[str, str]]):
    """The vobject component of one card; unreadable lines dropped (and said so)."""
    try:
        return vobject.readOne(block, allowQP=True)
    except Exception:  # noqa: BLE001 - vobject raises several kinds on bad input
        pass
    lines = block.splitlines()
    kept = [ln for i, ln in enumerate(lines) if _CONTENT_LINE.match(ln) or _soft_break(lines, i)]
    if len(kept) == len(lines):
        return None
    rejects.append((location, f"{len(lines) - len(kept)} unreadable line(s) skipped"))
    try:
        return vobject.readOne("\r\n".join(kept) + "\r\n", allowQP=True)
    except Exception:  # noqa: BLE001
        return None


def _soft_break(lines: list[str], i: int) -> bool:
    """A quoted-printable value continued after a soft line break (`=` at line end)."""
    return i > 0 and lines[i - 1].endswith("=")


def _values(card, name: str) -> list:
    return [line.value for line in card.contents.get(name, [])]


def _text(value) -> str | None:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if str(v).strip())
    return collapse_spaces(str(value)) if value is not None else None


def _fields(card, location: str, rejects: list[tuple[str, str]]) -> tuple:
    """(card_key, version, formatted_name, given, family, nickname, organization, emails,
    phones, profile_urls) of one card."""
    given = family = None
    for n in _values(card, "n")[:1]:
        given = _text(getattr(n, "given", None))
        family = _text(getattr(n, "family", None))
    formatted = next((t for v in _values(card, "fn") if (t := _text(v))), None)
    if formatted is None and (given or family):
        formatted = " ".join(p for p in (given, family) if p)
    nickname = next((t for v in _values(card, "nickname") if (t := _text(v))), None)
    org = None
    for value in _values(card, "org")[:1]:
        parts = value if isinstance(value, list) else [value]
        org = _text(parts[0]) if parts else None
    emails = [e for v in _values(card, "email") if (e := _text(v))]
    bad = sum(1 for e in emails if normalize_email(e) is None)
    if bad:
        rejects.append((location, f"{bad} invalid e-mail address(es) on the card"))
    phones = [p.removeprefix("tel:") for v in _values(card, "tel") if (p := _text(v))]
    urls = []
    for v in _values(card, "url") + _values(card, "x-socialprofile"):
        url = canonical_linkedin_url(_text(v))
        if url and url not in urls:
            urls.append(url)
    version = next((t for v in _values(card, "version") if (t := _text(v))), None)
    uid = next((t for v in _values(card, "uid") if (t := _text(v))), None)
    content = "|".join([formatted or "", *sorted(e.lower() for e in emails), *sorted(phones)])
    key = uid or "sha:" + hashlib.sha256(content.encode()).hexdigest()[:32]
    return key, version, formatted, given, family, nickname, org, emails, phones, urls
