"""From staged frames to identity observations, exact-key links and the owner's identities.

An observation is one identity seen in one record, with the display name beside it. Keys
are addresses, profile URLs, member URNs (Invitations.csv, Jul 2023) and, for a Connections
row with neither URL nor e-mail, its connection key (connections.py); names are kept as
weak evidence for later matching. The owner's identities come from owner.py (and the
calendars' own names, `calendar_owner`). Calendars add the people the owner met; address
books (vCards) add no people, only evidence: the addresses of one card belong together and
its name is the one the user wrote.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from transforms.resolve.clusters import Identity, Link
from transforms.resolve.connections import SOURCE, apart, connection_evidence
from transforms.resolve.keys import mailbox_key, name_key, normalize_email
from transforms.resolve.owner import owner_identities, profile_names

#: Sources whose name becomes the person's display name, best first: the name the user
#: wrote in their own address book, then the LinkedIn connection's own name.
NAME_SOURCES = ("vcard", "linkedin_connection")
#: Google's addresses of calendars, which name a calendar, never its owner.
_CALENDAR_DOMAINS = ("calendar.google.com",)

# Local parts of shared or automated mailboxes: never a person unless the owner wrote to them.
ROLE_LOCAL = re.compile(
    r"^(no-?reply|do-?not-?reply|noreply|mailer-daemon|postmaster|bounces?|notifications?|"
    r"info|team|support|help|hello|contact|sales|admin|office|news(letter)?|updates?|"
    r"marketing|billing|jobs|careers|hr|press|security|alerts?|digest)([+.\-_].*)?$"
)


@dataclass
class Observations:
    identities: pl.DataFrame  # kind, value, name, source, is_candidate
    links: list[Link]
    owner: set[Identity]
    owner_names: list[str]  # Profile.csv's names, then the names seen on owner identities
    forced: list[Link] = field(default_factory=list)  # one connection's rows across exports
    cannot: list[tuple[Identity, Identity]] = field(default_factory=list)  # never one person


def is_role_address(address: str) -> bool:
    return bool(ROLE_LOCAL.match(address.split("@", 1)[0]))


def observe(
    staged: dict[str, pl.DataFrame],
    owner_emails: list[str],
    known_owner: set[Identity] | frozenset[Identity] = frozenset(),
) -> Observations:
    """Collect identities, exact links and the owner from every staged table.

    `known_owner` adds owner identities found elsewhere (a delta run reads only new mail
    but must know every owner address to tell who the owner wrote to).
    """
    owner = owner_identities(staged, owner_emails) | set(known_owner)
    owner |= calendar_owner(staged, owner)
    rows: list[tuple[str, str, str | None, str, bool]] = []
    links: list[Link] = []
    forced, cannot = _from_connections(staged, rows, links)
    _from_linkedin_messages(staged, rows)
    cannot += _from_invitations(staged, rows, links)
    _from_endorsements(staged, rows)
    _from_contacts(staged, rows, links)
    _from_email(staged, rows, owner)
    _from_calendar(staged, rows, owner)
    _from_vcards(staged, rows, links)
    owner |= own_card(owner, links)
    frame = pl.DataFrame(
        rows,
        schema={
            "kind": pl.String,
            "value": pl.String,
            "name": pl.String,
            "source": pl.String,
            "is_candidate": pl.Boolean,
        },
        orient="row",
    )
    frame = promote_card_identities(frame, links)
    # Two spellings of one mailbox (Gmail dots, +tags) are one person.
    emails = frame.filter(pl.col("kind") == "email")["value"].unique().sort().to_list()
    by_box: dict[str, str] = {}
    for addr in emails:
        box = mailbox_key(addr)
        if box in by_box:
            links.append(Link(("email", by_box[box]), ("email", addr), "same_mailbox"))
        else:
            by_box[box] = addr
    for ident in list(owner):  # owner aliases spelled differently are the owner too
        if ident[0] == "email" and mailbox_key(ident[1]) in by_box:
            owner.add(("email", by_box[mailbox_key(ident[1])]))
    keys = pl.Series([f"{k}\x1f{v}" for k, v in sorted(owner)], dtype=pl.String)
    seen = frame.filter(pl.concat_str("kind", "value", separator="\x1f").is_in(keys.implode()))
    owner_names = list(dict.fromkeys([*profile_names(staged), *_names(seen["name"])]))
    return Observations(frame, links, owner, owner_names, forced, cannot)


def _names(names: pl.Series) -> list[str]:
    """Distinct display names, whitespace collapsed, the most frequent first."""
    counts = Counter(" ".join(n.split()) for n in names.drop_nulls().to_list() if n.strip())
    return [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _frame(staged: dict[str, pl.DataFrame], name: str) -> pl.DataFrame:
    from transforms import schemas

    return staged.get(name, schemas.empty(schemas.STAGED[name]))


def _from_connections(staged, rows, links) -> tuple[list[Link], list[tuple[Identity, Identity]]]:
    """Every named row's identities (connections.py); its joins across exports and the
    pairs that are two different connections."""
    evidence = connection_evidence(_frame(staged, "stg_linkedin_connections"))
    for row in evidence.rows:
        for kind, value in sorted(row.idents):
            rows.append((kind, value, row.name, SOURCE, True))
        urls = sorted(v for k, v in row.idents if k == "linkedin_url")
        for addr in sorted(v for k, v in row.idents if k == "email"):
            for url in urls:
                links.append(Link(("linkedin_url", url), ("email", addr), "same_record:connection"))
    return evidence.links, evidence.cannot


def _from_linkedin_messages(staged, rows) -> None:
    msgs = _frame(staged, "stg_linkedin_messages").filter(
        ~pl.col("is_sponsored").fill_null(False) & ~pl.col("is_draft").fill_null(False)
    )
    for url, name in msgs.select("from_url", "from_name").unique().sort("from_url").iter_rows():
        if url:
            rows.append(("linkedin_url", url, name, "linkedin_message", True))
    for url in msgs["to_urls"].explode().drop_nulls().unique().sort().to_list():
        rows.append(("linkedin_url", url, None, "linkedin_message", True))


def _from_invitations(staged, rows, links) -> list[tuple[Identity, Identity]]:
    """Inviters and invitees by URL and by member URN. One invitation seen in two exports,
    by URN in one and by URL in the other, links the two (`same_invitation`); two member
    URNs are two people (cannot-links between URNs a name could join)."""
    inv = _frame(staged, "stg_linkedin_invitations")
    other: dict[tuple, set[Identity]] = {}  # one invitation -> its other party's identities
    urns: dict[Identity, str | None] = {}
    for direction, at, frm, to, *ids in inv.select(
        "direction",
        "sent_at",
        "from_name",
        "to_name",
        "inviter_url",
        "invitee_url",
        "inviter_urn",
        "invitee_urn",
    ).iter_rows():
        inviter_url, invitee_url, inviter_urn, invitee_urn = ids
        for kind, value, name in (
            ("linkedin_url", inviter_url, frm),
            ("linkedin_url", invitee_url, to),
            ("linkedin_urn", inviter_urn, frm),
            ("linkedin_urn", invitee_urn, to),
        ):
            if value:
                rows.append((kind, value, name, "linkedin_invitation", True))
                if kind == "linkedin_urn":
                    urns.setdefault((kind, value), name)
        theirs = (
            (invitee_url, invitee_urn) if direction == "OUTGOING" else (inviter_url, inviter_urn)
        )
        key = (direction, at, name_key(frm), name_key(to))
        other.setdefault(key, set()).update(
            (kind, v) for kind, v in zip(("linkedin_url", "linkedin_urn"), theirs, strict=True) if v
        )
    for idents in other.values():
        by_kind = {k: [i for i in idents if i[0] == k] for k in ("linkedin_url", "linkedin_urn")}
        if len(by_kind["linkedin_url"]) == 1 and len(by_kind["linkedin_urn"]) == 1:
            url, urn = by_kind["linkedin_url"][0], by_kind["linkedin_urn"][0]
            links.append(Link(urn, url, "same_invitation"))
    return apart([[(urn, name, False)] for urn, name in sorted(urns.items())])


def _from_endorsements(staged, rows) -> None:
    """Endorsers and endorsees are LinkedIn members: their profile URL is a key."""
    endorsements = _frame(staged, "stg_linkedin_endorsements")
    for url, name in endorsements.select("profile_url", "full_name").iter_rows():
        if url:
            rows.append(("linkedin_url", url, name, "linkedin_endorsement", True))


def _from_contacts(staged, rows, links) -> None:
    """Address-book entries: their addresses belong together, but an entry alone does not
    make a person (an address book holds thousands of people one never wrote to)."""
    contacts = _frame(staged, "stg_linkedin_contacts")
    for emails, name in contacts.select("emails", "full_name").iter_rows():
        addrs = sorted({a for e in emails or [] if (a := normalize_email(e))})
        for addr in addrs:
            rows.append(("email", addr, name, "linkedin_contacts", False))
        for other in addrs[1:]:
            links.append(
                Link(("email", addrs[0]), ("email", other), "same_record:imported_contact")
            )


def _from_email(staged, rows, owner: set[Identity]) -> None:
    msgs = _frame(staged, "stg_email_messages")
    parts = _frame(staged, "stg_email_participants")
    if not parts.height:
        return
    owner_addrs = {v for k, v in owner if k == "email"}
    flags = msgs.group_by("message_key").agg(
        pl.col("is_bulk").fill_null(False).any().alias("is_bulk"),
        (pl.col("is_spam").fill_null(False) | pl.col("is_draft").fill_null(False))
        .any()
        .alias("is_junk"),
        pl.col("is_sent_folder").fill_null(False).any().alias("is_sent_folder"),
        pl.col("from_addr").first().alias("from_addr"),
    )
    joined = parts.filter(pl.col("role").is_in(["from", "sender", "to", "cc", "bcc"])).join(
        flags, on="message_key", how="left"
    )
    # Who the owner wrote to: those addresses are people even if they look like role boxes.
    owner_sent = joined.filter(
        pl.col("from_addr").is_in(list(owner_addrs)) | pl.col("is_sent_folder").fill_null(False)
    )
    written_to = set(
        owner_sent.filter(pl.col("role").is_in(["to", "cc", "bcc"]))["address"].to_list()
    )
    seen: Counter[tuple[str, str | None]] = Counter()
    candidate: dict[str, bool] = {}
    for addr, name, bulk, junk in joined.select(
        "address", "display_name", "is_bulk", "is_junk"
    ).iter_rows():
        if addr is None:
            continue
        seen[(addr, name)] += 1
        personal = not bulk and not junk and not is_role_address(addr)
        candidate[addr] = candidate.get(addr, False) or personal or addr in written_to
    for (addr, name), _ in sorted(seen.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        rows.append(("email", addr, name, "email", candidate[addr]))


def calendar_owner(staged: dict[str, pl.DataFrame], owner: set[Identity]) -> set[Identity]:
    """The owner's address from the calendars' own names (Google names a primary calendar,
    and its Takeout file, after its owner's address).

    A calendar named by an address is the owner's when it is the only calendar so named and
    no calendar is named by an address already known to be the owner's (then the others,
    shared with the owner, are someone else's).
    """
    names = _frame(staged, "stg_calendar_events")["calendar_name"].drop_nulls().unique()
    named = {
        addr
        for name in names.to_list()
        if (addr := normalize_email(name)) and not addr.endswith(_CALENDAR_DOMAINS)
    }
    known = {value for kind, value in owner if kind == "email"}
    if len(named) != 1 or named & known:
        return set()
    return {("email", named.pop())}


def _from_calendar(staged, rows, owner: set[Identity]) -> None:
    """Meeting participants: a person (not a room, bot or list) who shares a standing event
    with the owner may become a person; everyone else seen in calendars is evidence only."""
    people = _frame(staged, "stg_calendar_attendees").filter(pl.col("participant_kind") == "person")
    if not people.height:
        return
    owner_addrs = [v for k, v in owner if k == "email"]
    declined = pl.col("partstat").fill_null("") == "DECLINED"
    events = _frame(staged, "stg_calendar_events").select(
        "source_file", "location", pl.col("status").fill_null("").alias("status")
    )
    with_owner = (
        people.filter(pl.col("address").is_in(owner_addrs) & ~declined)
        .select("source_file", "location")
        .unique()
        .join(events, on=["source_file", "location"])
        .filter(pl.col("status") != "CANCELLED")
        .with_columns(pl.lit(True).alias("with_owner"))
        .drop("status")
    )
    seen = people.join(with_owner, on=["source_file", "location"], how="left").with_columns(
        (pl.col("with_owner").fill_null(False) & ~declined).alias("met")
    )
    per = seen.group_by("address", "display_name").agg(pl.col("met").any())
    for addr, name, met in per.sort("address", "display_name", nulls_last=True).iter_rows():
        rows.append(("email", addr, name, "calendar", met and not is_role_address(addr)))


def _from_vcards(staged, rows, links) -> None:
    """Address-book cards: each card's addresses and LinkedIn profiles are one person named
    as the card says (its nickname with the family name is evidence too). A card is never a
    contact by itself; an address on cards of two different names (a family's shared
    address) links nothing, nor does a role address."""
    cards = _frame(staged, "stg_vcard_cards").unique("card_key", keep="first", maintain_order=True)
    keyed = []
    names_of: dict[Identity, set[str]] = {}
    for name, nick, family, emails, urls in cards.select(
        "formatted_name", "nickname", "family_name", "emails", "profile_urls"
    ).iter_rows():
        idents = sorted(
            {("email", a) for e in emails or [] if (a := normalize_email(e))}
            | {("linkedin_url", u) for u in urls or []}
        )
        for ident in idents:
            rows.append((*ident, name, "vcard", False))
            if nick and family and " " not in nick.strip():
                rows.append((*ident, f"{nick.strip()} {family}", "vcard_nickname", False))
            names_of.setdefault(ident, set()).add((name or "").casefold())
        keyed.append(idents)
    for idents in keyed:
        linkable = [
            i
            for i in idents
            if len(names_of[i]) == 1 and not (i[0] == "email" and is_role_address(i[1]))
        ]
        for n, left in enumerate(linkable):
            for right in linkable[n + 1 :]:
                links.append(Link(left, right, "same_record:vcard"))


def card_reach(seeds: set[Identity], links: list[Link]) -> set[Identity]:
    """The identities cards link to `seeds`, directly or through other cards of the same
    person (two cards sharing an address), `seeds` themselves left out."""
    neighbours: dict[Identity, set[Identity]] = {}
    for lk in links:
        if lk.rule == "same_record:vcard":
            neighbours.setdefault(lk.left, set()).add(lk.right)
            neighbours.setdefault(lk.right, set()).add(lk.left)
    found: set[Identity] = set()
    todo = [i for i in seeds if i in neighbours]
    while todo:
        for other in neighbours[todo.pop()]:
            if other not in seeds and other not in found:
                found.add(other)
                todo.append(other)
    return found


def own_card(owner: set[Identity], links: list[Link]) -> set[Identity]:
    """The owner's own card (one that links an owner identity, like Apple's "My Card"): its
    other addresses and profiles are the owner's too."""
    return card_reach(owner, links)


def promote_card_identities(frame: pl.DataFrame, links: list[Link]) -> pl.DataFrame:
    """A card's other identities join the person one of them already is: when one identity
    a card links is a candidate (seen in mail, a meeting, LinkedIn), so are the others."""
    if not frame.height:
        return frame
    candidates = {
        (k, v) for k, v in frame.filter(pl.col("is_candidate")).select("kind", "value").iter_rows()
    }
    promoted = card_reach(candidates, links)
    if not promoted:
        return frame
    keys = pl.Series([f"{k}\x1f{v}" for k, v in promoted], dtype=pl.String)
    hit = (pl.col("kind") + "\x1f" + pl.col("value")).is_in(keys.implode())
    return frame.with_columns((pl.col("is_candidate") | hit).alias("is_candidate"))


def card_companies(staged: dict[str, pl.DataFrame]) -> dict[str, str]:
    """Profile URL -> the organisation its address-book card names (matching evidence)."""
    cards = _frame(staged, "stg_vcard_cards").filter(pl.col("organization").is_not_null())
    out: dict[str, str] = {}
    for org, urls in cards.select("organization", "profile_urls").iter_rows():
        for url in urls or []:
            out.setdefault(url, org)
    return out
