"""Which files of a LinkedIn "Get a copy of your data" export kith reads, and with what.

Files are matched by basename (case, spaces and underscores ignored, a 2026 ``_<member id>``
suffix dropped) anywhere in a zip or folder up to three levels deep (archive.py); columns
are always mapped by header NAME, never by position (table.py). The files read, each
reader's module listing the variants it handles:

* ``Connections.csv`` → ``stg_linkedin_connections`` (connections.py)
* ``messages.csv`` / ``Messages.csv`` → ``stg_linkedin_messages`` (messages.py)
* ``Invitations.csv`` (and an owner's ``InvitationsIn.csv`` / ``InvitationsOut.csv``) →
  ``stg_linkedin_invitations`` (invitations.py)
* ``Profile.csv`` (kind ``name``), ``Email Addresses.csv`` (``email``),
  ``PhoneNumbers.csv`` / ``Phone Numbers.csv`` (``phone``) → ``stg_owner_identities``
  (owner.py)
* ``Endorsement_Given_Info.csv`` / ``Endorsement_Received_Info.csv`` →
  ``stg_linkedin_endorsements``; ``Recommendations_Given.csv`` /
  ``Recommendations_Received.csv`` → ``stg_linkedin_recommendations`` (favours.py)
* ``Positions.csv`` → ``stg_linkedin_positions`` (positions.py)
* ``Contacts.csv`` / ``ImportedContacts.csv`` / ``Imported Contacts.csv`` →
  ``stg_linkedin_contacts`` (contacts.py)
* ``Events.csv`` → ``stg_linkedin_events`` (events.py)
* ``coach_messages.csv``, ``learning_coach_messages.csv``, ``learning_role_play_messages.csv``,
  ``guide_messages.csv`` → ``stg_linkedin_assistant_messages``, read with a note: AI
  assistants, no person, not counted (assistants.py)

A zip or folder lacking one of these (``EXPECTED``) gets a skipped entry "<file> not in
this export" with zero rows, so the run report says what was missing. Known files that
carry no identity (``IGNORED``) are reported as "known, not read"; any other file as
"unknown file, not read". Bytes are decoded leniently (csv_text.py). No reader raises on a
bad row, and no file fails the export: a layout a reader does not know is refused whole as
``unknown layout: <columns>``, a reader that fails on a file refuses that file only; per
file ``rows_in == rows_loaded + rows_rejected``. Names and e-mails never appear in reject
reasons. Two copies of one file in one upload are read once, the original preferred
(copies.py); an invitations file of another account is set aside (accounts.py).

A new file: a reader module (a Layout, and a row function for what it computes; see
table.py), a line in READERS, a group in EXPECTED when every export should hold it. A new
layout of a known file: its reader module. A new date spelling: dates.SHAPES.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import NamedTuple

from transforms.rejects import Parsed, whole_file
from transforms.sources.linkedin import accounts, archive, assistants, copies
from transforms.sources.linkedin.archive import normalise_file_name
from transforms.sources.linkedin.connections import read_connections
from transforms.sources.linkedin.contacts import read_contacts
from transforms.sources.linkedin.csv_text import decode_bytes
from transforms.sources.linkedin.events import read_events
from transforms.sources.linkedin.favours import (
    read_endorsements_given,
    read_endorsements_received,
    read_recommendations_given,
    read_recommendations_received,
)
from transforms.sources.linkedin.invitations import read_invitations
from transforms.sources.linkedin.messages import read_messages
from transforms.sources.linkedin.owner import read_email_addresses, read_phone_numbers, read_profile
from transforms.sources.linkedin.positions import read_positions


class Reader(NamedTuple):
    """One export file kith reads: its name, its reader, the staged table it fills."""

    name: str  # canonical file name, used in Parsed.kind ("linkedin:<name>")
    read: Callable[[str, str], Parsed]  # (text, source_file) → Parsed
    table: str  # staged table it fills

    @property
    def kind(self) -> str:
        return f"linkedin:{self.name}"


READERS: dict[str, Reader] = {
    normalise_file_name(r.name): r
    for r in (
        Reader("Connections.csv", read_connections, "stg_linkedin_connections"),
        Reader("messages.csv", read_messages, "stg_linkedin_messages"),
        Reader("Invitations.csv", read_invitations, "stg_linkedin_invitations"),
        Reader("InvitationsIn.csv", read_invitations, "stg_linkedin_invitations"),
        Reader("InvitationsOut.csv", read_invitations, "stg_linkedin_invitations"),
        Reader("Profile.csv", read_profile, "stg_owner_identities"),
        Reader("Email Addresses.csv", read_email_addresses, "stg_owner_identities"),
        Reader("PhoneNumbers.csv", read_phone_numbers, "stg_owner_identities"),
        Reader("Endorsement_Given_Info.csv", read_endorsements_given, "stg_linkedin_endorsements"),
        Reader(
            "Endorsement_Received_Info.csv",
            read_endorsements_received,
            "stg_linkedin_endorsements",
        ),
        Reader(
            "Recommendations_Given.csv", read_recommendations_given, "stg_linkedin_recommendations"
        ),
        Reader(
            "Recommendations_Received.csv",
            read_recommendations_received,
            "stg_linkedin_recommendations",
        ),
        Reader("Positions.csv", read_positions, "stg_linkedin_positions"),
        Reader("Contacts.csv", read_contacts, "stg_linkedin_contacts"),
        Reader("ImportedContacts.csv", read_contacts, "stg_linkedin_contacts"),
        Reader("Events.csv", read_events, "stg_linkedin_events"),
        *(
            Reader(name, assistants.reader(name), "stg_linkedin_assistant_messages")
            for name in assistants.LAYOUTS
        ),
    )
}

#: The identity-bearing files kith reads; each group is one file under its spellings. A run
#: on an export lacking one says so (a member can leave categories out of a download).
EXPECTED: tuple[tuple[str, ...], ...] = (
    ("Connections.csv",),
    ("messages.csv",),
    ("Invitations.csv", "InvitationsIn.csv", "InvitationsOut.csv"),
    ("Profile.csv",),
    ("Email Addresses.csv",),
    ("PhoneNumbers.csv",),
    ("Endorsement_Given_Info.csv",),
    ("Endorsement_Received_Info.csv",),
    ("Recommendations_Given.csv",),
    ("Recommendations_Received.csv",),
    ("Positions.csv",),
    ("Contacts.csv", "ImportedContacts.csv"),
)
MISSING = "not in this export"

#: Known export files that carry no identity kith reads (yet): skipped as "known, not read".
IGNORED: frozenset[str] = frozenset(
    normalise_file_name(n)
    for n in (
        "Account Status History.csv",
        "Ad_Targeting.csv",
        "Articles.csv",
        "Calendar.csv",
        "Causes You Care About.csv",
        "Certifications.csv",
        "Comments.csv",
        "Company Follows.csv",
        "Duolingo.csv",
        "Education.csv",
        "Hashtag_Follows.csv",
        "Honors.csv",
        "Inferences_about_you.csv",
        "InstantReposts.csv",
        "Job Applicant Saved Answers.csv",
        "Job Applications.csv",
        "Job Seeker Preferences.csv",
        "Languages.csv",
        "Learning.csv",
        "Logins.csv",
        "Member_Follows.csv",
        "Private_identity_asset.csv",
        "Profile Summary.csv",
        "Projects.csv",
        "Publications.csv",
        "Reactions.csv",
        "Receipts.csv",
        "Receipts_v2.csv",
        "Registration.csv",
        "Rich_Media.csv",
        "Saved_Items.csv",
        "Saved Jobs.csv",
        "SavedJobAlerts.csv",
        "Search Queries.csv",
        "Security Challenges.csv",
        "Shares.csv",
        "Skills.csv",
        "Test Scores.csv",
        "Verifications.csv",
        "Videos.csv",
        "Volunteering.csv",
        "Votes.csv",
        "Whatsapp Phone Numbers.csv",
    )
)
#: Sub-folders whose contents are all known and not read (Articles/*.html, Jobs/*.csv, ...).
_IGNORED_DIRS = {"articles", "jobs", "verifications"}


def classify(parts: tuple[str, ...]) -> tuple[Reader | None, str | None]:
    """(reader, None) for a read file; (None, why) for a skipped one."""
    key = normalise_file_name(parts[-1])
    if key in READERS:
        return READERS[key], None
    if key in IGNORED or any(normalise_file_name(p) in _IGNORED_DIRS for p in parts[:-1]):
        return None, "known, not read"
    return None, "unknown file, not read"


def missing_files(
    found: set[str], where: Callable[[str], str], read_dir: tuple[str, ...] = ()
) -> list[Parsed]:
    """A skipped entry (rows_in 0) for each EXPECTED file none of whose spellings was read.

    `found` holds the canonical names of the readers used; `where(name)` is the source_file
    the file would have had.
    """
    out = []
    for group in EXPECTED:
        if not any(name in found for name in group):
            name = group[0]
            out.append(
                Parsed(
                    source_file=where(name),
                    kind="skipped",  # as the pipeline's own skipped files: nothing read
                    skipped_reason=MISSING,
                )
            )
    return out


def read_file_bytes(data: bytes, source_file: str, file_name: str) -> Parsed:
    """Route one file's bytes to its reader by name (or report it as skipped)."""
    reader, why = classify((file_name,))
    if reader is None:
        return Parsed(source_file=source_file, kind=f"linkedin:{file_name}", skipped_reason=why)
    return _read_one(reader, data, source_file)


def _read_one(reader: Reader, data: bytes, source_file: str) -> Parsed:
    """One file through its reader; a reader failing on it refuses this file only."""
    try:
        return reader.read(decode_bytes(data), source_file)
    except Exception as err:  # noqa: BLE001 - one odd file must not lose the export
        return whole_file(source_file, f"unreadable ({type(err).__name__})", reader.kind)


def read_linkedin_export(path: Path) -> list[Parsed]:
    """One Parsed per file of a LinkedIn export zip or folder (or a single CSV file).

    For a zip or folder, each EXPECTED file that is absent adds a skipped entry saying so.
    """
    path = Path(path)
    if path.is_dir():
        return _read_members(archive.folder_members(path), partial(archive.folder_source, path))
    if archive.is_zip(path):
        try:
            zf = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile, ValueError) as err:
            return [whole_file(path, f"cannot open zip ({type(err).__name__})", "linkedin:zip")]
        with zf:
            return _read_members(archive.zip_members(zf, path), partial(archive.zip_source, path))
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as err:
            return [whole_file(path, f"cannot read file ({type(err).__name__})", "linkedin:file")]
        return [read_file_bytes(data, str(path), path.name)]
    return [whole_file(path, "path does not exist", "linkedin:export")]


def _read_members(
    members: Iterable[archive.Member], where: Callable[[tuple[str, ...]], str]
) -> list[Parsed]:
    """Each member through its reader (or skipped), then the EXPECTED files not seen.

    Copies of one file are read once (copies.py); invitations of another account are set
    aside (accounts.py). A missing file is placed in the folder of the first file read
    (`where(parts)` is the source_file at those parts), so it sits beside its siblings in
    the run report.
    """
    results: list[Parsed] = []
    found: set[str] = set()
    home: tuple[str, ...] | None = None  # folder (relative) of the first file read
    listed = [(m, *classify(m.parts)) for m in members]
    skip = _second_copies([(m, r) for m, r, _ in listed if r is not None])
    for member, reader, why in listed:
        if reader is None:
            kind = f"linkedin:{member.parts[-1]}"
            results.append(Parsed(source_file=member.source, kind=kind, skipped_reason=why))
            continue
        found.add(reader.name)
        home = member.parts[:-1] if home is None else home
        if member.source in skip:
            results.append(Parsed(member.source, reader.kind, skipped_reason=copies.SECOND_COPY))
            continue
        data = member.load()
        if isinstance(data, archive.Refused):
            results.append(whole_file(member.source, data.reason, reader.kind))
        else:
            results.append(_read_one(reader, data, member.source))
    results = accounts.set_aside_foreign(results, _profile_name(results))
    return results + missing_files(found, lambda name: where((*(home or ()), name)))


def _second_copies(read: list[tuple[archive.Member, Reader]]) -> set[str]:
    """The source_file of every member that is a second copy of a file another member of
    the export holds (one read per reader, the original preferred: copies.py)."""
    by_reader: dict[str, list[archive.Member]] = {}
    for member, reader in read:
        by_reader.setdefault(reader.name, []).append(member)
    skip: set[str] = set()
    for name, members in by_reader.items():
        if len(members) < 2:
            continue
        usable = [(m, d) for m in members if isinstance(d := m.load(), bytes)]
        if len(usable) > 1:
            best = usable[copies.preferred([(m.parts, d) for m, d in usable], name)][0]
            skip |= {m.source for m, _ in usable if m is not best}
    return skip


def _profile_name(results: list[Parsed]) -> str | None:
    """The owner's name as Profile.csv gives it, if it was read."""
    for parsed in results:
        if parsed.kind == "linkedin:Profile.csv":
            names = parsed.tables.get("stg_owner_identities")
            if names is not None and names.height:
                return names["value"][0]
    return None
