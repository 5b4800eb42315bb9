"""messages.csv → stg_linkedin_messages."""

from __future__ import annotations

import hashlib
import re

from transforms import schemas
from transforms.rejects import Parsed
from transforms.sources.linkedin.table import (
    as_written,
    canonical_url,
    dated_records,
    finish,
    location_of,
    prepare,
    trimmed,
)

_SYSTEM_SENDER = re.compile(
    r"(@\s*linkedin\b|\bfrom\s+linkedin\b|\bat\s+linkedin\b|^\s*linkedin\s*$)", re.IGNORECASE
)
_YES = {"yes", "true", "y", "1"}


def _message_key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:16]


def read_messages(text: str, source_file: str) -> Parsed:
    """messages.csv in any header generation (2018 → 2026)."""
    canonical = "messages.csv"
    cols, rows, failed = prepare(text, source_file, canonical, ["FROM", "TO", "DATE"])
    if failed:
        return failed
    assert cols is not None
    g = {
        c: cols.getter(c)
        for c in (
            "CONVERSATION ID",
            "CONVERSATION TITLE",
            "FROM",
            "SENDER PROFILE URL",
            "TO",
            "RECIPIENT PROFILE URLS",
            "DATE",
            "CONTENT",
            "FOLDER",
            "DIRECTION",
            "IS MESSAGE DRAFT",
            "IS CONVERSATION DRAFT",
        )
    }
    out: dict[str, list] = {k: [] for k in schemas.STG_LINKEDIN_MESSAGES.names()}
    rejects: list[tuple[str, str]] = []
    for rec, row, when in dated_records(rows, g["DATE"], "DATE", rejects):
        conv = g["CONVERSATION ID"](row).strip()
        title = g["CONVERSATION TITLE"](row).strip()
        from_raw = g["FROM"](row)
        sender_raw = g["SENDER PROFILE URL"](row)
        to_raw = g["TO"](row)
        recips_raw = g["RECIPIENT PROFILE URLS"](row)
        from_url = canonical_url(sender_raw)
        to_urls = [u for u in map(canonical_url, recips_raw.split(",")) if u]
        sponsored = (
            title.casefold() == "sponsored conversation"
            or (not sender_raw.strip() and bool(_SYSTEM_SENDER.search(from_raw)))
            or "%FIRSTNAME%" in g["CONTENT"](row).upper()
        )
        system = not (
            from_raw.strip() or sender_raw.strip() or to_raw.strip() or recips_raw.strip()
        )
        draft = (
            g["IS MESSAGE DRAFT"](row).strip().casefold() in _YES
            or g["IS CONVERSATION DRAFT"](row).strip().casefold() in _YES
        )
        direction = g["DIRECTION"](row).strip().upper() or None
        out["source_file"].append(source_file)
        out["location"].append(location_of(rec))
        out["message_key"].append(
            _message_key(
                conv, from_url or from_raw.strip(), g["DATE"](row).strip(), to_raw, str(rec.line)
            )
        )
        out["conversation_id"].append(conv or None)
        out["conversation_title"].append(title or None)
        out["from_name"].append(as_written(from_raw))
        out["from_url"].append(from_url)
        out["to_names"].append(as_written(to_raw))
        out["to_urls"].append(to_urls)
        out["sent_at"].append(when)
        out["folder"].append(trimmed(g["FOLDER"](row)))
        out["direction_hint"].append(direction)
        out["is_draft"].append(draft)
        out["is_sponsored"].append(sponsored)
        out["is_system"].append(system)
    return finish(
        source_file,
        canonical,
        "stg_linkedin_messages",
        schemas.STG_LINKEDIN_MESSAGES,
        out,
        len(rows),
        rejects,
    )
