"""The owner's own files → stg_owner_identities: who "me" is in every other source.

* ``Profile.csv`` → kind ``name`` (``First Name`` + ``Last Name``, whitespace collapsed).
* ``Email Addresses.csv`` → kind ``email`` (``Email Address``, as written, trimmed).
* ``PhoneNumbers.csv`` / ``Phone Numbers.csv`` (2018) → kind ``phone``
  (``Extension,Number,Type``; entirely empty rows, seen in real files, are rejected).
"""

from __future__ import annotations

from transforms.rejects import Parsed
from transforms.resolve.keys import collapse_spaces
from transforms.sources.linkedin import table

PROFILE = table.Layout("Profile.csv", "stg_owner_identities", ("First Name", "Last Name"))
EMAIL_ADDRESSES = table.Layout("Email Addresses.csv", "stg_owner_identities", ("Email Address",))
PHONE_NUMBERS = table.Layout("PhoneNumbers.csv", "stg_owner_identities", ("Number",))


def _identity(kind: str, value: str | None, empty_reason: str) -> table.Values:
    if value is None:
        raise table.RowRejected(empty_reason)
    return {"kind": kind, "value": value}


def _names(cols: table.Columns) -> table.RowFn:
    first, last = cols.getters("First Name", "Last Name")
    return lambda fields, line: _identity(
        "name", collapse_spaces(f"{first(fields)} {last(fields)}"), "empty First Name and Last Name"
    )


def _emails(cols: table.Columns) -> table.RowFn:
    address = cols.getter("Email Address")
    return lambda fields, line: _identity(
        "email", table.trimmed(address(fields)), "empty Email Address"
    )


def _phones(cols: table.Columns) -> table.RowFn:
    number, ext = cols.getters("Number", "Extension")

    def row(fields: list[str], line: int) -> table.Values:
        num = collapse_spaces(number(fields))
        extension = table.trimmed(ext(fields))
        # the number as written (trimmed); an extension is appended as " ext <n>"
        value = f"{num} ext {extension}" if num is not None and extension else num
        return _identity("phone", value, "empty Number")

    return row


def read_profile(text: str, source_file: str) -> Parsed:
    """Profile.csv → the owner's name (First + Last, whitespace collapsed)."""
    return table.read(text, source_file, PROFILE, _names)


def read_email_addresses(text: str, source_file: str) -> Parsed:
    """Email Addresses.csv → the owner's own addresses, as written (trimmed)."""
    return table.read(text, source_file, EMAIL_ADDRESSES, _emails)


def read_phone_numbers(text: str, source_file: str) -> Parsed:
    """PhoneNumbers.csv / Phone Numbers.csv → the owner's numbers (kind ``phone``)."""
    return table.read(text, source_file, PHONE_NUMBERS, _phones)
