"""The owner's own files (Profile, Email Addresses, Phone Numbers) → stg_owner_identities."""

from __future__ import annotations

from collections.abc import Callable

from transforms import schemas
from transforms.rejects import Parsed
from transforms.resolve.keys import collapse_spaces
from transforms.sources.linkedin.table import Columns, finish, location_of, prepare, trimmed


def _owner_rows(
    text: str,
    source_file: str,
    canonical: str,
    required: list[str],
    kind: str,
    value_of: Callable[[Columns], Callable[[list[str]], str | None]],
    empty_reason: str,
) -> Parsed:
    cols, rows, failed = prepare(text, source_file, canonical, required)
    if failed:
        return failed
    assert cols is not None
    get = value_of(cols)
    out: dict[str, list] = {k: [] for k in schemas.STG_OWNER_IDENTITIES.names()}
    rejects: list[tuple[str, str]] = []
    for rec in rows:
        if rec.fields is None:
            rejects.append((location_of(rec), rec.error))
            continue
        value = get(rec.fields)
        if value is None:
            rejects.append((location_of(rec), empty_reason))
            continue
        out["source_file"].append(source_file)
        out["location"].append(location_of(rec))
        out["kind"].append(kind)
        out["value"].append(value)
    return finish(
        source_file,
        canonical,
        "stg_owner_identities",
        schemas.STG_OWNER_IDENTITIES,
        out,
        len(rows),
        rejects,
    )


def read_profile(text: str, source_file: str) -> Parsed:
    """Profile.csv → the owner's name (First + Last, whitespace collapsed)."""

    def value_of(cols: Columns) -> Callable[[list[str]], str | None]:
        first, last = cols.getter("First Name"), cols.getter("Last Name")
        return lambda row: collapse_spaces(f"{first(row)} {last(row)}")

    return _owner_rows(
        text,
        source_file,
        "Profile.csv",
        ["First Name", "Last Name"],
        "name",
        value_of,
        "empty First Name and Last Name",
    )


def read_email_addresses(text: str, source_file: str) -> Parsed:
    """Email Addresses.csv → the owner's own addresses, as written (trimmed)."""

    def value_of(cols: Columns) -> Callable[[list[str]], str | None]:
        address = cols.getter("Email Address")
        return lambda row: trimmed(address(row))

    return _owner_rows(
        text,
        source_file,
        "Email Addresses.csv",
        ["Email Address"],
        "email",
        value_of,
        "empty Email Address",
    )


# -- PhoneNumbers.csv → owner identities ------------------------------------------------------


def read_phone_numbers(text: str, source_file: str) -> Parsed:
    """PhoneNumbers.csv / Phone Numbers.csv → the owner's numbers (kind ``phone``).

    ``Extension,Number,Type``; the number is kept as written (trimmed), an extension is
    appended as `` ext <n>``. Entirely empty rows (seen in real files) are rejected.
    """

    def value_of(cols: Columns) -> Callable[[list[str]], str | None]:
        number, ext = cols.getter("Number"), cols.getter("Extension")

        def value(row: list[str]) -> str | None:
            num = collapse_spaces(number(row))
            if num is None:
                return None
            extension = trimmed(ext(row))
            return f"{num} ext {extension}" if extension else num

        return value

    return _owner_rows(
        text, source_file, "PhoneNumbers.csv", ["Number"], "phone", value_of, "empty Number"
    )
