"""Identity keys: the normalised forms that decide "same identity" exactly.

Two kinds of exact key exist: an e-mail address and a LinkedIn profile URL. Both are
normalised here, once, and every reader and the resolver call these functions, so a key
looks the same whichever file it came from.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

_LINKEDIN_HOST = re.compile(r"^(?:[a-z]{2,3}\.|www\.|m\.)?linkedin\.com$")
_PROFILE_PATH = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(in|pub)/([^/?#]+)", re.IGNORECASE)

# A plain ASCII address that email-validator (2.x, as called below) accepts and normalises to
# itself up to case: a dot-atom local part of RFC 5322 atext (no length limit: not strict
# mode), then hostname labels of 1-63 letters/digits/hyphens not starting or ending with a
# hyphen, at least two labels, the last ending with a letter. The rest is checked in
# `_plain_address`: total length, domain length, "--" (R-LDH and Punycode labels, which
# email-validator decodes) and the special-use domains it refuses.
_ATEXT = r"[a-zA-Z0-9_!#$%&'*+\-/=?^`{|}~]"
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_PLAIN_ADDRESS = re.compile(rf"{_ATEXT}+(?:\.{_ATEXT}+)*@((?:{_LABEL}\.)+{_LABEL})(?<=[a-zA-Z])")
_MAX_ADDRESS = 254  # email_validator.rfc_constants.EMAIL_MAX_LENGTH
_MAX_DOMAIN = 253  # email_validator.rfc_constants.DOMAIN_MAX_LENGTH
_SPECIAL_USE = tuple(SPECIAL_USE_DOMAIN_NAMES)

# Mail providers that ignore dots in the local part and treat both domains as one mailbox.
_GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def canonical_linkedin_url(raw: str | None) -> str | None:
    """`https://www.linkedin.com/in/<slug>` for any spelling of a profile URL, else None.

    Handles a missing scheme (Endorsements), country sub-domains, locale path prefixes,
    query strings and fragments, trailing slashes, percent-encoded non-ASCII slugs
    (Connections.csv) against raw ones (messages.csv), and upper case.

    >>> canonical_linkedin_url("www.linkedin.com/in/Ana-L%C3%B3pez-1a2b/?trk=x")
    'https://www.linkedin.com/in/ana-lópez-1a2b'
    """
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not _LINKEDIN_HOST.match(host):
        return None
    match = _PROFILE_PATH.match(parts.path)
    if not match:
        return None
    slug = unicodedata.normalize("NFC", unquote(match.group(2))).casefold().strip()
    if not slug:
        return None
    return f"https://www.linkedin.com/in/{slug}"


_MEMBER_URN = re.compile(r"^urn:li:(?:member|person|fs_profile):([A-Za-z0-9_-]+)$", re.IGNORECASE)


def canonical_member_urn(raw: str | None) -> str | None:
    """`urn:li:member:<id>` for a member URN as Invitations.csv wrote it (Jul 2023), else None.

    A URN names a member by number: it cannot be turned into a profile URL, so it is an
    identity of its own kind (`linkedin_urn`), never a URL.

    >>> canonical_member_urn(" URN:li:member:123456789 ")
    'urn:li:member:123456789'
    """
    if raw is None:
        return None
    m = _MEMBER_URN.match(raw.strip())
    return f"urn:li:member:{m.group(1)}" if m else None


@lru_cache(maxsize=200_000)
def normalize_email(raw: str | None) -> str | None:
    """The lower-cased, syntax-checked address, or None when it is not a valid address.

    No DNS lookups. The local part is lower-cased too: real providers treat it
    case-insensitively even though RFC 5321 allows otherwise.
    """
    if raw is None:
        return None
    text = raw.strip().strip("<>").strip()
    if not text or "@" not in text:
        return None
    plain = _plain_address(text)
    if plain is not None:
        return plain
    try:
        info = validate_email(text, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return None
    return unicodedata.normalize("NFC", info.normalized).lower()


def _plain_address(text: str) -> str | None:
    """`text` lower-cased when it is a plain ASCII address, else None (not "invalid": the
    caller then asks email-validator).

    Why: email-validator costs ~150 us per distinct address (IDNA tables, per-character
    Unicode checks); nearly every address in a mailbox is plain ASCII, for which its
    answer is the input lower-cased. `tests/resolve/test_keys.py` proves the equality.
    """
    m = _PLAIN_ADDRESS.fullmatch(text)
    if m is None or len(text) > _MAX_ADDRESS:
        return None
    domain = m.group(1).lower()
    if len(domain) > _MAX_DOMAIN or "--" in domain:
        return None
    for special in _SPECIAL_USE:
        if domain == special or domain.endswith("." + special):
            return None
    return text.lower()


def email_problem(raw: str) -> str:
    """Why `raw` is not a usable address, in words, for a rejects row."""
    text = raw.strip().strip("<>").strip()
    if not text:
        return "empty address"
    if "@" not in text:
        return "address has no @"
    try:
        validate_email(text, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as err:
        return f"invalid address: {err}"
    return "valid"


def mailbox_key(address: str) -> str:
    """The key under which two spellings of one mailbox meet (Gmail dots, +tags).

    Applied on top of `normalize_email`. Gmail ignores dots and both Gmail domains are one
    mailbox; `+tag` sub-addressing is stripped for every domain (widely supported).
    """
    local, _, domain = address.rpartition("@")
    local = local.split("+", 1)[0] or local
    if domain in _GMAIL_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def name_key(text: str | None) -> str | None:
    """A name as a key: NFKC (𝕁𝕙𝕒 → Jha, full-width → ASCII), case-folded, whitespace
    collapsed; None when empty. Spelling, punctuation and emoji are kept: a key, not a match.
    """
    if text is None:
        return None
    return collapse_spaces(unicodedata.normalize("NFKC", text).casefold())


def collapse_spaces(text: str | None) -> str | None:
    """Trimmed text with runs of whitespace collapsed to one space; None when empty."""
    if text is None:
        return None
    out = " ".join(text.split())
    return out or None
