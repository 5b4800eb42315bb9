"""Every value resolution writes into `match_decisions.rule`, `match_decisions.decision` and
`person_id_history.reason`, in one place. docs/warehouse.md lists the same values and
tests/test_docs.py holds the two together and against the code that writes them."""

from __future__ import annotations

#: Exact links (one record or one mailbox carries both identities) and overrides.
EXACT_RULES = frozenset(
    {
        "owner_identity",  # two identities of the owner
        "same_record:connection",  # one Connections.csv row carries a URL and an address
        "same_record:imported_contact",  # one imported address-book card lists both
        "same_record:vcard",  # one card of the user's own address book (.vcf) lists both
        "same_mailbox",  # two spellings of one mailbox (Gmail dots, +tags)
        "same_invitation",  # one invitation in two exports: by member URN, then by URL
        "override:must_link",  # the user said so (overrides.toml)
    }
)
#: Forced joins of one connection's Connections.csv rows across exports (connections.py):
#: the same Connected On date and, deciding alone, one e-mail, the same name, the same
#: company (and a name word), or being each other's only candidate left that day.
CONNECTION_RULES = frozenset(
    {"same_connection:email", "same_connection:name", "same_connection:company"}
    | {"same_connection:date"}
)
#: A contact carrying the owner's exact name (a namesake or a second account): flagged with
#: decision refused:owner_with_contact, never merged (owner.py).
FLAG_RULES = frozenset({"owner_name"})
#: Fuzzy rules (match.py), written as `fuzzy:<rule>`.
FUZZY_RULES = frozenset(
    {"name", "initial+support", "local_part", "local_part+support", "local_part+threads"}
)
#: Every rule a match_decisions row can carry: a fuzzy link as `fuzzy:<rule>`, a refused
#: pair with the bare rule that fitted it, `no_match` for a pair no rule fits, `block` for a
#: member of a blocking drawer too large to compare (right_kind `block`).
RULES = (
    EXACT_RULES
    | CONNECTION_RULES
    | FLAG_RULES
    | {f"fuzzy:{rule}" for rule in FUZZY_RULES}
    | FUZZY_RULES
    | {"no_match", "block"}
)

DECISIONS = frozenset(
    {
        "merged",
        "already_merged",
        "no_match",
        "refused:cannot_link",
        "refused:two_linkedin_profiles",
        "refused:owner_with_contact",
        "refused:block_too_large",
        "refused:ambiguous_name",
        "refused:not_mutual_best",
        "refused:ambiguous_initial",
        "refused:ambiguous_better_name_elsewhere",
        "refused:ambiguous_domain_elsewhere",
        "refused:ambiguous",
        "refused:chain_conflict",
    }
)

#: Why a person id stopped being used.
ID_CHANGE_REASONS = frozenset({"merged", "split"})
