"""Shared setup of the mail reader tests."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from tests.sources.mail.support import CORPUS, FIXTURES
from transforms.sources.mail.eml import read_header_bytes
from transforms.sources.mail.mbox import looks_like_mbox
from transforms.sources.mail.scanner import iter_messages
from transforms.sources.mail.stream import open_mbox


class MailBlock(NamedTuple):
    name: str  # file name, plus `@offset` for an mbox message
    header: bytes
    from_line: bytes | None
    truncated: bool


def _blocks(root: Path) -> list[MailBlock]:
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix in (".txt", ".md", ".msf") or "LICENSES" in path.parts:
            continue
        if looks_like_mbox(path):
            with open_mbox(path) as fh:
                for raw in iter_messages(fh):
                    out.append(
                        MailBlock(
                            f"{path.name}@{raw.offset}", raw.header, raw.from_line, raw.truncated
                        )
                    )
        else:
            from_line, header = read_header_bytes(path)
            out.append(MailBlock(path.name, header, from_line, False))
    return out


@pytest.fixture(scope="session")
def mail_blocks() -> list[MailBlock]:
    """Every message's header block in the hand-made fixtures and, when `../shared` is
    beside the checkout, the public corpora (the fixtures alone are enough to test with)."""
    return _blocks(FIXTURES) + (_blocks(CORPUS) if CORPUS.is_dir() else [])
