"""Turn the paths a user gives into typed inputs, by content rather than by name.

A path may be a LinkedIn export (zip or folder), an mbox (plain or gzip), an Apple Mail
export bundle (`Name.mbox/mbox`), a single .eml file, a calendar (.ics), an address book
(.vcf), or a folder holding any of these. A Takeout zip is one input per kind it holds
(its `*.mbox`, `*.ics` and `*.vcf` members).
A path the user named that is none of them raises `NotAnExport`; files found while walking a
folder that are not sources are listed as skipped, never an error.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from transforms.sources import formats, linkedin
from transforms.sources.mail import archives, mbox

# Files that are never mail even when their first line could pass a loose check.
_NEVER_MAIL = {".csv", ".json", ".md", ".txt.gz", ".msf", ".dat", ".html", ".py", ".toml"}


# Archives whose `*.mbox` members are read in place (Gmail Takeout); one folder per member.
_ARCHIVES = {".zip", ".tgz", ".gz", ".tar"}


class NotAnExport(ValueError):
    """The user named a path that kith cannot read as any supported source."""


@dataclass(frozen=True)
class Input:
    """One source to parse: its reader kind, where it is, and the mail folder it stands for."""

    kind: str  # linkedin / mbox / eml / maildir / calendar / vcard
    path: Path
    folder: str | None = None
    # calendars: recurrences are expanded up to this ISO date (part of the cache key; set
    # per run by `for_run`), and attendees matching these entries are bots
    horizon: str | None = None
    bots: tuple[str, ...] = ()


@dataclass
class Discovery:
    inputs: list[Input]
    skipped: list[tuple[str, str]]  # (path, why) for files seen but not read


def discover(paths: list[Path]) -> Discovery:
    """Classify every path; raise NotAnExport for a named path that is not a source."""
    found = Discovery(inputs=[], skipped=[])
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise NotAnExport(f"{path} does not exist")
        before = len(found.inputs)
        _classify(path, found, named=True)
        if len(found.inputs) == before and path.is_dir():
            raise NotAnExport(
                f"{path} holds no LinkedIn export (.zip or folder), mbox, .eml, Maildir, "
                "calendar (.ics) or address book (.vcf)"
            )
    # The same file named twice (or reached by two routes) is read once (per kind: a
    # Takeout zip is read for its mail and for its calendars).
    unique: dict[tuple[str, Path], Input] = {}
    for item in found.inputs:
        unique.setdefault((item.kind, item.path.resolve()), item)
    found.inputs = sorted(unique.values(), key=lambda i: (i.kind, str(i.path)))
    return found


def _classify(path: Path, found: Discovery, named: bool) -> None:
    if linkedin.looks_like_linkedin_export(path):
        found.inputs.append(Input("linkedin", path))
        return
    if path.is_dir():
        if (path / "cur").is_dir() and (path / "new").is_dir():  # Maildir (and Maildir++)
            found.inputs.append(Input("maildir", path, folder=path.name))
            return
        bundle = path / "mbox"
        if path.suffix == ".mbox" and bundle.is_file():  # Apple Mail "Export Mailbox…"
            found.inputs.append(Input("mbox", bundle, folder=path.stem))
            return
        for child in sorted(path.iterdir()):
            if child.name.startswith("."):
                continue
            _classify(child, found, named=False)
        return
    if _classify_calendar_and_vcard(path, found):
        return
    kind = _file_kind(path)
    if kind is not None:
        archive = path.suffix.lower() in _ARCHIVES and archives.looks_like_mail_archive(path)
        folder = None if archive else _folder_name(path)
        found.inputs.append(Input(kind, path, folder=folder))
    elif named and not any(i.path == path for i in found.inputs):
        raise NotAnExport(
            f"{path} is not a LinkedIn export (.zip or folder), an mbox, .eml, Maildir, "
            "calendar (.ics) or address book (.vcf)"
        )
    elif not any(i.path == path for i in found.inputs):
        found.skipped.append((str(path), "not a LinkedIn export or mail file"))


def _classify_calendar_and_vcard(path: Path, found: Discovery) -> bool:
    """Add a calendar or address book file, or an archive's calendars and address books.

    True when the file is a calendar or an address book and nothing else (an archive may
    hold mail too: it is then looked at again)."""
    if path.suffix.lower() in _ARCHIVES:
        if formats.looks_like_calendar_archive(path):
            found.inputs.append(Input("calendar", path))
        if formats.looks_like_vcard_archive(path):
            found.inputs.append(Input("vcard", path))
        return False
    for kind, looks_like in (
        ("calendar", formats.looks_like_calendar),
        ("vcard", formats.looks_like_vcard),
    ):
        if looks_like(path):
            found.inputs.append(Input(kind, path))
            return True
    return False


def for_run(found: Discovery, horizon: date, bots: tuple[str, ...]) -> Discovery:
    """The inputs with this run's calendar settings: the expansion horizon and extra bots."""
    found.inputs = [
        replace(i, horizon=horizon.isoformat(), bots=tuple(bots)) if i.kind == "calendar" else i
        for i in found.inputs
    ]
    return found


def _file_kind(path: Path) -> str | None:
    if path.suffix.lower() in _NEVER_MAIL:
        return None
    try:
        if mbox.looks_like_mbox(path) or archives.looks_like_mail_archive(path):
            return "mbox"
        if _looks_like_eml(path):
            return "eml"
    except OSError:
        return None
    return None


_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
_KEY_HEADER = re.compile(rb"^(from|date|message-id):", re.IGNORECASE | re.MULTILINE)


def _looks_like_eml(path: Path) -> bool:
    """One RFC 822 message: starts with a header line (or a From_ line) and has From/Date."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
    if head.startswith(b"From "):  # some converters leave the mbox separator on top
        head = head.split(b"\n", 1)[-1]
    return bool(_HEADER_LINE.match(head)) and bool(_KEY_HEADER.search(head))


def _folder_name(path: Path) -> str:
    """The mail folder a file stands for: its stem (Inbox.mbox → Inbox, Sent → Sent).

    Thunderbird keeps subfolders in `<parent>.sbd/` directories: `Inbox.sbd/Work` is the
    folder `Inbox/Work`.
    """
    name = path.name
    for suffix in (".gz", ".mbox", ".eml"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    parent = path.parent
    while parent.name.endswith(".sbd") and len(parent.name) > 4:
        name = f"{parent.name[:-4]}/{name}"
        parent = parent.parent
    return name or os.path.basename(str(path))
