"""Shared pieces of the mail reader tests: where the fixtures are, and the frame contract."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from transforms import schemas

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mail"
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpora" / "email"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"shared email corpus not found at {CORPUS}"
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def frames(parsed) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Counts balance and schemas conform; returns (messages, participants)."""
    assert parsed.balanced
    messages = parsed.tables["stg_email_messages"]
    participants = parsed.tables["stg_email_participants"]
    assert messages.schema == schemas.STG_EMAIL_MESSAGES
    assert participants.schema == schemas.STG_EMAIL_PARTICIPANTS
    assert parsed.rejects.schema == schemas.REJECTS
    return messages, participants


def check_contract(parsed) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`frames` of an mbox read, whose every staged row is a message."""
    assert parsed.kind == "mbox"
    messages, participants = frames(parsed)
    assert messages.height == parsed.rows_loaded
    return messages, participants


def offset_of(path: Path, marker: bytes) -> str:
    return f"byte {path.read_bytes().index(marker)}"
