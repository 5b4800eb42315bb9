"""Warehouse access for the dashboard: every query on a short-lived read-only connection.

The nightly run replaces the warehouse file with os.replace. DuckDB caches an open database
per path inside one process, so a connection kept open (or opened while another is still
open) would keep showing the old file. Hence: one query at a time per process (a lock),
each on its own connection that is closed at once, and results cached under the file's
identity (inode, mtime, size) so a swapped file is a cache miss, never a stale hit. A lock
held by a writer elsewhere (DuckDB IOException) is waited for briefly.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from transforms import paths
from transforms.readers import connect_read_only

_QUERY_LOCK = threading.Lock()
_ATTEMPTS = 20  # re-reads when the file was swapped during a query

Version = tuple[int, int, int]


def warehouse_path(argv: list[str] | None = None) -> Path:
    """`--db PATH` after `--` on the streamlit command line, else $KITH_DB or the default."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db", default=None)
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return Path(args.db or paths.default_warehouse()).expanduser().absolute()


def file_version(db: Path) -> Version | None:
    """What changes when the file is swapped; None when there is no warehouse."""
    try:
        info = os.stat(db)
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def run_query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> pl.DataFrame:
    """One query on its own read-only connection, closed before returning.

    Retries while a writer holds the file's lock and when the file was swapped while the
    query ran (the answer might then mix two versions in the cache's eyes).
    """
    for _ in range(_ATTEMPTS):
        before = file_version(db)
        with _QUERY_LOCK:
            con = connect_read_only(db)  # waits out a writer's lock
            try:
                frame = con.sql(sql, params=list(params) or None).pl()
            finally:
                con.close()
        if file_version(db) == before:
            return frame
    raise RuntimeError("the warehouse kept changing while it was read")


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(db: str, version: Version, sql: str, params: tuple[Any, ...]) -> pl.DataFrame:
    """Cache key includes the file version: a new warehouse never hits an old entry."""
    return run_query(Path(db), sql, params)


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> pl.DataFrame:
    """A cached query result for the warehouse as it is on disk now."""
    version = file_version(db)
    if version is None:
        raise FileNotFoundError(db)
    return _cached(str(db), version, sql, tuple(params))


def scalar(db: Path, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """The first column of the first row (None when there is no row)."""
    frame = query(db, sql, params)
    return frame.item(0, 0) if frame.height else None


def open_warehouse() -> Path:
    """The warehouse path, or stop the page with what to do when it is not built yet."""
    db = warehouse_path()
    if file_version(db) is None:
        st.info(f"No warehouse at `{db}` yet: run `kith run` first.")
        st.stop()
    tables = set(query(db, "select table_name from information_schema.tables")["table_name"])
    missing = {"run_params", "follow_up_queue", "relationship_history"} - tables
    if missing:
        st.warning("This warehouse was built by an older kith: run `kith run` again.")
        st.stop()
    return db


def as_of(db: Path) -> Any:
    """The date every mart is computed for."""
    return scalar(db, "select as_of from run_params")


def has_email(db: Path) -> bool:
    """Whether any email source was read (LinkedIn-only networks show a hint instead)."""
    return bool(scalar(db, "select count(*) > 0 from stg_email_messages"))


def no_email_note(db: Path) -> None:
    """The empty state for pages that are thin without mail."""
    if not has_email(db):
        st.info(
            "No email sources configured: only LinkedIn is counted. Add an mbox, Maildir or "
            "folder of .eml files to `sources` in kith.toml (or pass it to `kith run`)."
        )


CHANNEL_WORDS = {
    "email": "email",
    "email_chat": "chat",
    "linkedin_message": "LinkedIn message",
    "linkedin_connection": "LinkedIn connection",
    "linkedin_invitation": "LinkedIn invitation",
    "linkedin_endorsement": "LinkedIn endorsement",
    "linkedin_recommendation": "LinkedIn recommendation",
    "meeting": "meeting",
}

KIND_WORDS = {
    "unanswered_inbound": "they wrote, you have not answered",
    "awaiting_reply": "you wrote, no answer yet",
    "overdue_cadence": "time to get in touch again",
    "pending_invitation": "their invitation waits",
    "invitation_not_accepted": "your invitation is not accepted",
    "met_no_message": "you met, no message since",
}

RULE_WORDS = {
    "same_record:connection": "one LinkedIn connection row carries both",
    "same_mailbox": "two spellings of one mailbox (dots, +tag, googlemail)",
    "owner_identity": "one of your own identities",
    "same_record:vcard": "one card of your address book lists both",
}


def words(mapping: dict[str, str], value: str | None) -> str:
    """A code in words, or the code itself when it has no wording yet."""
    if value is None:
        return ""
    return mapping.get(value, value.replace("_", " "))
