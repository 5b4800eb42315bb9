"""Imported address-book contacts → stg_linkedin_contacts."""

from __future__ import annotations

import re

from transforms import schemas
from transforms.rejects import Parsed, whole_file
from transforms.resolve.keys import collapse_spaces
from transforms.sources.linkedin.archive import normalise_file_name
from transforms.sources.linkedin.csv_text import norm_col
from transforms.sources.linkedin.table import (
    as_written,
    dated_records,
    finish,
    location_of,
    prepare,
    trimmed,
)


def _split_list(value: str) -> list[str]:
    """Several e-mails / phones in one field, joined by ", " (2024) or ";"."""
    return [p for p in (collapse_spaces(x) for x in re.split(r"[,;]", value)) if p]


def read_contacts(text: str, source_file: str) -> Parsed:
    """Contacts.csv / ImportedContacts.csv / Imported Contacts.csv (address-book uploads).

    2018 headers are Title Case with spaces (``First Name``, ``Email Address``,
    ``Phone Numbers``, ``Created At``, ``Full Name``); 2024 ones are CamelCase (``FirstName``,
    ``Emails``, ``PhoneNumbers``, ``CreatedAt``, ``FullName``) plus ``Source``. A row with no
    name, no e-mail and no phone carries nothing and is rejected.
    """
    canonical = "Contacts.csv"
    emails_cols = ("Emails", "Email Address", "EmailAddress", "Email Addresses")

    def is_header(h: list[str]) -> bool:
        return any(norm_col(c) in h for c in emails_cols)

    cols, rows, failed = prepare(text, source_file, canonical, [], is_header=is_header)
    if failed:
        return failed
    assert cols is not None
    if not is_header(list(cols.index)):
        base = str(source_file).rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
        known = {"contacts.csv", "importedcontacts.csv"}
        name = base if normalise_file_name(base) in known else canonical
        return whole_file(
            source_file, f"{name} has no 'Emails' column", f"linkedin:{canonical}", len(rows)
        )
    source = cols.getter_any("Source")
    first = cols.getter_any("FirstName", "First Name")
    last = cols.getter_any("LastName", "Last Name")
    full = cols.getter_any("FullName", "Full Name")
    emails = cols.getter_any(*emails_cols)
    phones = cols.getter_any("PhoneNumbers", "Phone Numbers")
    created = cols.getter_any("CreatedAt", "Created At")
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_CONTACTS.names()}
    rejects: list[tuple[str, str]] = []
    for rec, row, when in dated_records(rows, created, "CreatedAt", rejects, optional=True):
        fn, ln = as_written(first(row)), as_written(last(row))
        name = collapse_spaces(full(row)) or collapse_spaces(f"{fn or ''} {ln or ''}")
        mails, nums = _split_list(emails(row)), _split_list(phones(row))
        if name is None and not mails and not nums:
            rejects.append((location_of(rec), "no name, e-mail or phone"))
            continue
        out["source_file"].append(source_file)
        out["location"].append(location_of(rec))
        out["source"].append(trimmed(source(row)))
        out["first_name"].append(fn)
        out["last_name"].append(ln)
        out["full_name"].append(name)
        out["emails"].append(mails)
        out["phones"].append(nums)
        out["created_at"].append(when)
    return finish(
        source_file,
        canonical,
        "stg_linkedin_contacts",
        schemas.STG_LINKEDIN_CONTACTS,
        out,
        len(rows),
        rejects,
    )
