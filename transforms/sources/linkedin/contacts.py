"""Imported address-book contacts → stg_linkedin_contacts: people the owner uploaded.

* ``Contacts.csv`` (2024): CamelCase headers ``Source,FirstName,LastName,Emails,
  PhoneNumbers,CreatedAt,FullName``; ``Source`` names the address book (``GMAIL``, ...).
* ``ImportedContacts.csv`` / ``Imported Contacts.csv`` (2018): Title Case with spaces
  (``First Name``, ``Email Address``, ``Phone Numbers``, ``Created At``, ``Full Name``).

Several e-mails or phones in one field (``", "`` in 2024, ``;`` too) become a list (a number
written twice in two spellings, seen on most multi-number fields of a real 2024 file, once);
``Companies`` may be the literal ``null`` (read as empty). A row
with no name, no e-mail and no phone carries nothing and is rejected; ``CreatedAt`` may be
blank.
"""

from __future__ import annotations

import re

from transforms.rejects import Parsed
from transforms.resolve.keys import collapse_spaces
from transforms.sources.linkedin import table
from transforms.sources.linkedin.csv_text import norm_col

#: The e-mail column under its spellings; the header is the first record holding one.
_EMAILS = ("Emails", "Email Address", "EmailAddress", "Email Addresses")


def _is_header(h: list[str]) -> bool:
    return any(norm_col(c) in h for c in _EMAILS)


LAYOUT = table.Layout(
    "Contacts.csv",
    "stg_linkedin_contacts",
    required=(),  # any one of _EMAILS, checked when binding
    is_header=_is_header,
    read_too=(*_EMAILS, "FirstName", "First Name", "LastName", "Last Name", "FullName"),
)


def _split_list(value: str) -> list[str]:
    """Several e-mails / phones in one field, joined by ", " (2024) or ";"."""
    return [p for p in (collapse_spaces(x) for x in re.split(r"[,;]", value)) if p]


def _phones(value: str) -> list[str]:
    """The phone numbers of one field, each once: real files write one number twice in two
    spellings (`` +91 98765 43210, +919876543210``); the first spelling is kept."""
    seen: dict[str, str] = {}
    for phone in _split_list(value):
        seen.setdefault(re.sub(r"\D", "", phone) or phone, phone)
    return list(seen.values())


def _rows(cols: table.Columns) -> table.RowFn:
    if not _is_header(list(cols.index)):  # no record named an e-mail column
        raise table.MissingColumn("Emails")
    source = cols.getter_any("Source")
    first = cols.getter_any("FirstName", "First Name")
    last = cols.getter_any("LastName", "Last Name")
    full = cols.getter_any("FullName", "Full Name")
    emails = cols.getter_any(*_EMAILS)
    phones = cols.getter_any("PhoneNumbers", "Phone Numbers")
    created = cols.getter_any("CreatedAt", "Created At")
    parse_date = cols.date("CreatedAt" if cols.has("CreatedAt") else "Created At", optional=True)

    def row(fields: list[str], line: int) -> table.Values:
        when = parse_date(created(fields))
        names = table.person(first(fields), last(fields))
        names["full_name"] = collapse_spaces(full(fields)) or names["full_name"]
        mails, nums = _split_list(emails(fields)), _phones(phones(fields))
        if names["full_name"] is None and not mails and not nums:
            raise table.RowRejected("no name, e-mail or phone")
        return {
            **names,
            "source": table.trimmed(source(fields)),
            "emails": mails,
            "phones": nums,
            "created_at": when,
        }

    return row


def read_contacts(text: str, source_file: str) -> Parsed:
    """Contacts.csv / ImportedContacts.csv / Imported Contacts.csv (address-book uploads)."""
    return table.read(text, source_file, LAYOUT, _rows)
