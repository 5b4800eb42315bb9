"""Who the owner is: every identity the sources say is the owner's, from one function.

`owner_identities` is the only place owner identities come from; clusters.py then makes
them one person before any other link (forced, whatever their number of profile URLs), so
no quirk of one file can make two owners, and `OWNER` (an identity every run has) makes
sure there is one even when nothing names them. What counts as the owner's:

* `OWNER` (``owner:me``), always;
* the addresses given with ``--owner-email`` or in kith.toml, and the rows of
  stg_owner_identities (Email Addresses.csv; any linkedin_url / linkedin_urn row);
* mail: the From of every message in a Sent folder (drafts aside);
* LinkedIn, export by export (the files of one folder or zip folder), URL evidence only:
  the inviter of OUTGOING and the invitee of INCOMING invitations (URL and member URN),
  else the one profile URL present in every conversation (10+ column messages.csv lists
  recipients), else the sender in the most conversations, alone at the top and confirmed
  by being named in the TO of someone else's message (or by Profile.csv's name). An export
  showing none of these names no owner URL.

Profile.csv's name never adds an identity: a real 2024 export holds a second account with
the owner's exact name as an ordinary connection; it stays a contact, and `namesakes` lets
resolution flag it (a match_decisions row) for the user to merge by override if it is theirs.
"""

from __future__ import annotations

from collections import Counter

import polars as pl

from transforms import schemas
from transforms.resolve.clusters import Identity
from transforms.resolve.keys import (
    canonical_linkedin_url,
    canonical_member_urn,
    name_key,
    normalize_email,
)

#: The owner's own identity: present in every run, so the owner always exists, once.
OWNER: Identity = ("owner", "me")


def _frame(staged: dict[str, pl.DataFrame], name: str) -> pl.DataFrame:
    return staged.get(name, schemas.empty(schemas.STAGED[name]))


def owner_identities(staged: dict[str, pl.DataFrame], owner_emails: list[str]) -> set[Identity]:
    """Every identity that the config, the CLI and the staged sources say is the owner's."""
    owner: set[Identity] = {OWNER}
    own = _frame(staged, "stg_owner_identities")
    for kind, value in own.select("kind", "value").iter_rows():
        if kind == "email" and (addr := normalize_email(value)):
            owner.add(("email", addr))
        elif kind == "linkedin_url" and (url := canonical_linkedin_url(value)):
            owner.add(("linkedin_url", url))
        elif kind == "linkedin_urn" and (urn := canonical_member_urn(value)):
            owner.add(("linkedin_urn", urn))
    for raw in owner_emails:
        if addr := normalize_email(raw):
            owner.add(("email", addr))
    # Gmail: the From of every message labelled Sent is one of the owner's addresses.
    mail = _frame(staged, "stg_email_messages")
    sent_from = mail.filter(pl.col("is_sent_folder") & ~pl.col("is_draft").fill_null(False))
    for addr in sent_from["from_addr"].drop_nulls().unique().to_list():
        owner.add(("email", addr))
    return owner | linkedin_owner(staged)


def profile_names(staged: dict[str, pl.DataFrame]) -> list[str]:
    """The owner's name(s) as Profile.csv gives them, whitespace collapsed, in file order."""
    own = _frame(staged, "stg_owner_identities").filter(pl.col("kind") == "name")
    names = [" ".join(v.split()) for v in own["value"].drop_nulls().to_list()]
    return list(dict.fromkeys(n for n in names if n))


def export_of(source_file: str) -> str:
    """The export a staged row's file belongs to: its folder (in a zip, its zip folder)."""
    zip_path, bang, inner = source_file.replace("\\", "/").rpartition("!")
    if bang:
        return f"{zip_path}!{inner.rpartition('/')[0]}"
    return inner.rpartition("/")[0]


def linkedin_owner(staged: dict[str, pl.DataFrame]) -> set[Identity]:
    """The owner's profile URL and member URN, export by export, from URL evidence only."""
    inv = _frame(staged, "stg_linkedin_invitations")
    msgs = _frame(staged, "stg_linkedin_messages").filter(
        pl.col("conversation_id").is_not_null()
        & ~pl.col("is_draft").fill_null(False)
        & ~pl.col("is_sponsored").fill_null(False)
        & ~pl.col("is_system").fill_null(False)
    )
    names = {k for n in profile_names(staged) if (k := name_key(n))}
    inv_by, msgs_by = _by_export(inv), _by_export(msgs)
    owner: set[Identity] = set()
    for export in sorted(set(inv_by) | set(msgs_by)):
        inv_e = inv_by.get(export, inv.clear())
        msgs_e = msgs_by.get(export, msgs.clear())
        if urn := _invited(inv_e, "urn"):
            owner.add(("linkedin_urn", urn))
        url = _invited(inv_e, "url") or _in_every_conversation(msgs_e) or _top_sender(msgs_e, names)
        if url:
            owner.add(("linkedin_url", url))
    return owner


def _by_export(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The rows of `frame` by the export their file belongs to."""
    exports = {f: export_of(f) for f in frame["source_file"].unique().to_list() if f}
    keyed = frame.with_columns(
        pl.col("source_file")
        .replace_strict(exports, default="", return_dtype=pl.String)
        .alias("_e")
    )
    return {e: part.drop("_e") for (e,), part in keyed.partition_by("_e", as_dict=True).items()}


def _invited(inv: pl.DataFrame, kind: str) -> str | None:
    """The most frequent OUTGOING inviter / INCOMING invitee (`kind` "url" or "urn")."""
    out = inv.filter(pl.col("direction") == "OUTGOING")[f"inviter_{kind}"].to_list()
    inc = inv.filter(pl.col("direction") == "INCOMING")[f"invitee_{kind}"].to_list()
    counts = Counter(v for v in out + inc if v)
    return counts.most_common(1)[0][0] if counts else None


def _participants(msgs: pl.DataFrame) -> dict[str, set[str]]:
    """conversation -> the profile URLs of its senders and recipients."""
    out: dict[str, set[str]] = {}
    for conv, sender, recipients in msgs.select(
        "conversation_id", "from_url", "to_urls"
    ).iter_rows():
        urls = out.setdefault(conv, set())
        urls.update(u for u in [sender, *(recipients or [])] if u)
    return {c: u for c, u in out.items() if u}


def _in_every_conversation(msgs: pl.DataFrame) -> str | None:
    """The one profile URL in every conversation (of two or more), else None."""
    conversations = list(_participants(msgs).values())
    if len(conversations) < 2:
        return None
    common = set.intersection(*conversations)
    return next(iter(common)) if len(common) == 1 else None


def _top_sender(msgs: pl.DataFrame, profile: set[str]) -> str | None:
    """The sender URL in the most conversations, alone at the top, and named in the TO of
    another sender's message (the owner is listed in TO whenever someone else writes) or
    named as in Profile.csv; else None (an export may show no owner at all)."""
    senders = msgs.filter(pl.col("from_url").is_not_null())
    if not senders.height:
        return None
    per_url = (
        senders.group_by("from_url")
        .agg(pl.col("conversation_id").n_unique().alias("n"), pl.col("from_name").drop_nulls())
        .sort("n", "from_url", descending=[True, False])
    )
    top = per_url.row(0, named=True)
    if per_url.height > 1 and per_url["n"][1] == top["n"]:
        return None
    names = {k for n in top["from_name"] if (k := name_key(n))}
    if names & profile:
        return top["from_url"]
    others = senders.filter(pl.col("from_url") != top["from_url"])
    addressed = {name_key(t) or "" for t in others["to_names"].drop_nulls().to_list()}
    named = any(n in t for n in names for t in addressed)
    return top["from_url"] if named else None


def namesakes(
    names_by_ident: dict[Identity, Counter[str]], owner_names: list[str], owner: set[Identity]
) -> list[Identity]:
    """Identities of others carrying the owner's exact name (a namesake, or a second
    account of the owner's): sorted, for a flag in match_decisions."""
    keys = {k for n in owner_names if (k := name_key(n))}
    return sorted(
        ident
        for ident, names in names_by_ident.items()
        if ident not in owner and any(name_key(n) in keys for n in names)
    )
