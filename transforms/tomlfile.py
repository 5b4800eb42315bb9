"""The TOML files kith writes for the user (kith.toml, overrides.toml), edited in place.

Both are the user's files too: they may add comments, reorder or hand-edit entries. kith
reads them with tomlkit and writes back the same document with its change, so whatever
the user wrote survives; the write is atomic and private (0600).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import tomlkit
from tomlkit import TOMLDocument


def read(path: Path, new: str = "") -> TOMLDocument:
    """The document in `path`, or one parsed from `new` when there is no file yet."""
    text = path.read_text(encoding="utf-8") if path.exists() else new
    return tomlkit.parse(text)


def write(path: Path, doc: TOMLDocument) -> None:
    """Write the document atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(tomlkit.dumps(doc))
    os.replace(tmp, path)


@contextmanager
def editing(path: Path, new: str = "") -> Iterator[TOMLDocument]:
    """`with editing(path) as doc:` change `doc`; it is written back when the block ends."""
    doc = read(path, new)
    yield doc
    write(path, doc)
