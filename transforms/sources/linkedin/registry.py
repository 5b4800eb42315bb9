"""LinkedIn "Get a copy of your data" export reader (zip or folder) → staged frames.

Files read (matched by basename, case-, space- and underscore-insensitively, anywhere in the
archive up to three levels deep), columns always mapped by normalised header NAME:

* ``Connections.csv`` → ``stg_linkedin_connections``. Header found by scanning the first 20
  records for one whose first field is ``First Name`` (the mid-2021+ ``Notes:`` preamble is
  skipped, never a fixed count). Variants: 6 columns
  ``First Name,Last Name,Email Address,Company,Position,Connected On`` (2018 - mid-2023) and
  7 columns with ``URL`` as 3rd column (late 2023+). ``Connected On``: ``05 Feb 2014``,
  ``1/8/18, 6:14 PM`` (2018), ISO dates, spreadsheet ``29-Feb-20``. Hidden-profile rows
  (``,,,,,,03 Sep 2023``) are loaded, not rejected.
* ``messages.csv`` / ``Messages.csv`` → ``stg_linkedin_messages``. Every header generation:
  2018 ``From,To,Date,Subject,Content,Direction,Folder`` (and its upper-case 2020 twin);
  9 columns ``CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,
  CONTENT,FOLDER``; 10 columns (+ ``RECIPIENT PROFILE URLS``); + ``ATTACHMENTS`` /
  ``IS MESSAGE DRAFT`` / ``IS CONVERSATION DRAFT``; the fully quoted 2026 form. ``CONTENT``
  is read only to spot ``%FIRSTNAME%`` marketing mail and is never stored.
* ``Invitations.csv`` → ``stg_linkedin_invitations``: ``From,To,Sent At,Message,Direction``
  and the same + ``inviterProfileUrl,inviteeProfileUrl``.
* ``Profile.csv`` → ``stg_owner_identities`` kind ``name`` (First + Last).
* ``Email Addresses.csv`` → ``stg_owner_identities`` kind ``email``.
* ``PhoneNumbers.csv`` / ``Phone Numbers.csv`` (2018) → ``stg_owner_identities`` kind
  ``phone`` (``Extension,Number,Type``; entirely empty rows are rejected).
* ``Endorsement_Given_Info.csv`` / ``Endorsement_Received_Info.csv`` →
  ``stg_linkedin_endorsements`` (``Endorsement Date`` ``2022/04/01 11:05:54 UTC``; the
  ``Endorsee/Endorser Public Url`` has no scheme and is missing in 2021-2022 exports).
* ``Recommendations_Given.csv`` / ``Recommendations_Received.csv`` (2017-2020: with
  spaces) → ``stg_linkedin_recommendations``; ``Text`` is never read.
* ``Positions.csv`` → ``stg_linkedin_positions`` (the owner's history; ``Jan 2024`` dates).
* ``Contacts.csv`` (2024, CamelCase headers) / ``ImportedContacts.csv`` /
  ``Imported Contacts.csv`` (2018, Title Case) → ``stg_linkedin_contacts``; several
  e-mails or phones in one field are joined by ``", "``.

A zip or folder lacking one of the files above (``EXPECTED``) gets a skipped entry
"<file> not in this export" with zero rows, so the run report says what was missing.

Known non-identity files (``IGNORED``) are reported as "known, not read"; any other file as
"unknown file, not read". Bytes are decoded leniently: UTF-8 BOM stripped, UTF-16 (BOM)
accepted, invalid UTF-8 replaced. No reader raises on a bad row; per file
``rows_in == rows_loaded + rows_rejected``. Names and e-mails never appear in reject reasons.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from transforms.rejects import Parsed, whole_file
from transforms.sources.linkedin.archive import (
    MAX_MEMBER_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    RATIO_MIN_BYTES,
    is_zip,
    normalise_file_name,
    walk,
    zip_members,
)
from transforms.sources.linkedin.connections import read_connections
from transforms.sources.linkedin.contacts import read_contacts
from transforms.sources.linkedin.csv_text import decode_bytes
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
    name: str  # canonical file name, used in Parsed.kind ("linkedin:<name>")
    read: Callable[[str, str], Parsed]
    table: str  # staged table it fills


READERS: dict[str, Reader] = {
    normalise_file_name(r.name): r
    for r in (
        Reader("Connections.csv", read_connections, "stg_linkedin_connections"),
        Reader("messages.csv", read_messages, "stg_linkedin_messages"),
        Reader("Invitations.csv", read_invitations, "stg_linkedin_invitations"),
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
    )
}

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
        "Coach_Messages.csv",
        "Comments.csv",
        "Company Follows.csv",
        "Duolingo.csv",
        "Education.csv",
        "Events.csv",
        "Guide_Messages.csv",
        "Hashtag_Follows.csv",
        "Honors.csv",
        "Inferences_about_you.csv",
        "InstantReposts.csv",
        "Job Applicant Saved Answers.csv",
        "Job Applications.csv",
        "Job Seeker Preferences.csv",
        "Languages.csv",
        "Learning.csv",
        "Learning_Coach_Messages.csv",
        "Learning_Role_Play_Messages.csv",
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


def read_file_bytes(data: bytes, source_file: str, file_name: str) -> Parsed:
    """Route one file's bytes to its reader by name (or report it as skipped)."""
    reader, why = classify((file_name,))
    if reader is None:
        return Parsed(source_file=source_file, kind=f"linkedin:{file_name}", skipped_reason=why)
    return reader.read(decode_bytes(data), source_file)


#: The identity-bearing files kith reads; each group is one file under its spellings. A run
#: on an export lacking one says so (a member can leave categories out of a download).
EXPECTED: tuple[tuple[str, ...], ...] = (
    ("Connections.csv",),
    ("messages.csv",),
    ("Invitations.csv",),
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


def read_linkedin_export(path: Path) -> list[Parsed]:
    """One Parsed per file of a LinkedIn export zip or folder (or a single CSV file).

    For a zip or folder, each EXPECTED file that is absent adds a skipped entry saying so.
    """
    path = Path(path)
    results: list[Parsed] = []
    found: set[str] = set()
    home: tuple[str, ...] | None = None  # folder (relative) of the first file read
    if path.is_dir():
        for file, parts in walk(path):
            reader, why = classify(parts)
            if reader is None:
                results.append(
                    Parsed(source_file=str(file), kind=f"linkedin:{parts[-1]}", skipped_reason=why)
                )
                continue
            found.add(reader.name)
            home = parts[:-1] if home is None else home
            try:
                data = file.read_bytes()
            except OSError as err:
                results.append(
                    whole_file(
                        file, f"cannot read file ({type(err).__name__})", reader_kind(reader)
                    )
                )
                continue
            results.append(reader.read(decode_bytes(data), str(file)))
        base = path.joinpath(*(home or ()))
        return results + missing_files(found, lambda name: str(base / name))
    if is_zip(path):
        try:
            zf = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile, ValueError) as err:
            return [whole_file(path, f"cannot open zip ({type(err).__name__})", "linkedin:zip")]
        budget = Budget()
        with zf:
            for info, parts in zip_members(zf):
                source = f"{path}!{'/'.join(parts)}"
                reader, why = classify(parts)
                if reader is None:
                    results.append(
                        Parsed(source_file=source, kind=f"linkedin:{parts[-1]}", skipped_reason=why)
                    )
                    continue
                found.add(reader.name)
                home = parts[:-1] if home is None else home
                results.append(read_member(zf, info, source, reader, budget))
        prefix = "".join(f"{p}/" for p in home or ())
        return results + missing_files(found, lambda name: f"{path}!{prefix}{name}")
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as err:
            return [whole_file(path, f"cannot read file ({type(err).__name__})", "linkedin:file")]
        return [read_file_bytes(data, str(path), path.name)]
    return [whole_file(path, "path does not exist", "linkedin:export")]


def reader_kind(reader: Reader) -> str:
    return f"linkedin:{reader.name}"


class Budget:
    """Uncompressed bytes read so far from one zip (the total-size zip-bomb guard)."""

    def __init__(self) -> None:
        self.used = 0


def read_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    source: str,
    reader: Reader,
    budget: Budget | None = None,
) -> Parsed:
    """One zip member through its reader, refused whole when it looks like a zip bomb.

    Guards: the member's uncompressed size (declared and actual), the whole zip's total,
    and the compression ratio (real CSVs compress 3-20x; a bomb compresses 1000x).
    """
    kind = reader_kind(reader)
    budget = budget or Budget()
    limit_mb = MAX_MEMBER_BYTES // (1024 * 1024)
    too_big = f"zip member larger than {limit_mb} MB uncompressed, refused"
    if info.file_size > MAX_MEMBER_BYTES:
        return whole_file(source, too_big, kind)
    if budget.used + info.file_size > MAX_TOTAL_BYTES:
        total_mb = MAX_TOTAL_BYTES // (1024 * 1024)
        return whole_file(source, f"zip larger than {total_mb} MB uncompressed, refused", kind)
    if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return whole_file(
            source, f"zip member compressed more than {MAX_RATIO}:1 (zip bomb?), refused", kind
        )
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)  # the declared size may lie
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError) as err:
        return whole_file(source, f"cannot read zip member ({type(err).__name__})", kind)
    if len(data) > MAX_MEMBER_BYTES:
        return whole_file(source, too_big, kind)
    budget.used += len(data)
    return reader.read(decode_bytes(data), source)
