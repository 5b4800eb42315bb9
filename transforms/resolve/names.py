"""Person names as matching evidence: parse a display name into (given, family), compare two.

Display names in the wild carry much more than a name: "DOE Jane", "Doe, Jane", "J. Doe",
"Jane Doe, PhD", "Jane Doe (Acme)", "Jane Doe ✨", "Bob Doe" for Robert, "JANE DOE", no
accents, or the address itself. `parse_name` turns each into one `Name` whose parts are
ASCII-folded (unidecode), lower-case and free of titles, credentials, emoji and company
parts, so that the comparisons below can be simple and explainable.

Names are weak evidence: the resolver never merges on a name alone without checking that the
name points to one person only (see match.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from nameparser import HumanName
from nicknames import NickNamer
from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

# Post-nominal letters and generational suffixes: dropped, they never tell two people apart
# in an address book (and "Jane Doe, PhD" is how people sign, not a different name).
CREDENTIALS = frozenset(
    "phd ph.d md mba cfa cpa jr sr ii iii iv esq pe pmp msc bsc ma ba mphil dphil rn "
    "dds frcs facs cissp pmp acca ceng mieee fca cfp llm jd dr prof mr mrs ms mx "
    "msw edd dvm od do mpa mph".split()
)
# Words that mark a company rather than a person ("Doe, Acme Inc").
COMPANY_WORDS = frozenset(
    "inc inc. llc ltd ltd. gmbh ag sa sarl bv nv plc corp corporation co co. company "
    "group team limited".split()
)
_BRACKETS = re.compile(r"[\(\[\{<][^\)\]\}>]*[\)\]\}>]")
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|@|/|via|at)\s+", re.IGNORECASE)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", '"': " "})

_NICKNAMER = NickNamer()


@dataclass(frozen=True, order=True)
class Name:
    """A parsed person name: folded `given` (maybe one letter) and `family` (maybe empty)."""

    given: str
    family: str
    middle: str = ""  # initial of a middle name, when written ("Jane A. Doe")
    # given and family as written (case-folded, accents kept): "Dóra" and "Dora" fold alike
    # but an exact spelling is better evidence than a folded one
    written: str = field(default="", compare=False)

    @property
    def is_initial(self) -> bool:
        return len(self.given) == 1

    @property
    def family_key(self) -> str:
        """The family name with spaces, hyphens and apostrophes removed (a blocking key)."""
        return re.sub(r"[^a-z0-9]", "", self.family)

    def __str__(self) -> str:
        return f"{self.given} {self.family}".strip()


def fold(text: str) -> str:
    """ASCII, lower case, letters/digits/spaces/hyphens/apostrophes only, spaces collapsed."""
    ascii_text = unidecode(unicodedata.normalize("NFC", text)).lower()
    kept = re.sub(r"[^a-z0-9' \-]", " ", ascii_text)
    return " ".join(kept.replace("'", "").split())


def _strip_symbols(text: str) -> str:
    """Drop emoji and other symbols while keeping letters of any script."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LMN" or ch in " ,.-'":
            out.append(ch)
        elif cat[0] in "ZP" or ch in "\t":
            out.append(" ")
    return "".join(out)


def _is_credential(segment: str) -> bool:
    words = [w.strip(".").lower() for w in segment.split()]
    return bool(words) and all(w in CREDENTIALS or w.replace(".", "") in CREDENTIALS for w in words)


def _is_company(segment: str) -> bool:
    return any(w.strip(".,").lower() in COMPANY_WORDS for w in segment.split())


@lru_cache(maxsize=200_000)
def parse_name(raw: str | None) -> Name | None:
    """The `Name` in a display name, or None when there is none (empty, an address, a role).

    >>> parse_name("DOE Jane (Acme)")
    Name(given='jane', family='doe')
    >>> parse_name("Doe, Jane, PhD")
    Name(given='jane', family='doe')
    """
    if raw is None:
        return None
    text = unicodedata.normalize("NFC", raw).translate(_QUOTES).strip().strip("'")
    if not text or "@" in text:
        return None  # empty, or the address written as its own display name
    if " " not in text.strip() and re.search(r"[._]", text.strip(".")):
        return None  # a local part ("jane.doe") standing in for a name
    text = _BRACKETS.sub(" ", text)  # "(Acme)", "[External]"
    text = _SEPARATORS.split(text)[0]  # "Jane Doe | Acme", "Jane Doe via Team"
    text = _strip_symbols(text)
    segments = [s.strip() for s in text.split(",") if s.strip()]
    segments = [s for s in segments if not _is_credential(s)]
    if len(segments) > 1:
        segments = [segments[0]] + [s for s in segments[1:] if not _is_company(s)]
    if not segments:
        return None
    if len(segments) >= 2:  # "Doe, Jane": family first
        family_part, given_part = segments[0], segments[1]
    else:
        family_part, given_part = _split_single(segments[0])
    given_words = _fold_words(given_part)
    family_words = _fold_words(family_part)
    given_words = [w for w in given_words if w.replace(".", "") not in CREDENTIALS] or given_words
    if not given_words and not family_words:
        return None
    given = given_words[0] if given_words else ""
    middle = given_words[1][0] if len(given_words) > 1 else ""
    family = " ".join(family_words)
    if not given and family:  # one word only: keep it as a given name, family unknown
        given, family = family_words[0], " ".join(family_words[1:])
    written = " ".join(
        unicodedata.normalize("NFC", w).casefold().strip(".")
        for w in (given_part.split()[:1] + family_part.split())
    )
    return Name(given=given, family=family, middle=middle, written=written)


def _fold_words(text: str) -> list[str]:
    """Folded words; a word of CJK characters stays one word (unidecode spaces syllables)."""
    words = [fold(w).replace(" ", "") for w in text.replace(".", ". ").split()]
    return [w for w in words if w.strip("-")]


def _split_single(text: str) -> tuple[str, str]:
    """(family, given) parts of a name written without a comma."""
    words = [w for w in text.split() if w.strip(".-")]
    words = [w for w in words if w.strip(".").lower() not in CREDENTIALS or len(words) <= 2]
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    caps = [w.isupper() and len(w.strip(".")) > 1 for w in words]
    if caps[0] and not all(caps):  # "DOE Jane": an upper-case family name comes first
        n = caps.index(False)
        return " ".join(words[:n]), " ".join(words[n:])
    if len(words) == 2 and not any(w.strip(".").lower() in CREDENTIALS for w in words):
        return words[1], words[0]  # the common case; nameparser costs ~1 ms a name
    human = HumanName(" ".join(words))
    first, last = human.first, human.last
    given = " ".join(p for p in (first, human.middle) if p)
    if not last:
        return "", given
    if not given:
        return last, ""
    return last, given


@lru_cache(maxsize=50_000)
def related_given(given: str) -> frozenset[str]:
    """The given name with its nicknames and the names it is a nickname of (Bob ↔ Robert)."""
    if len(given) < 2:
        return frozenset({given})
    out = {given}
    out |= {n.lower() for n in _NICKNAMER.canonicals_of(given)}
    out |= {n.lower() for n in _NICKNAMER.nicknames_of(given)}
    return frozenset(out)


@lru_cache(maxsize=500_000)
def given_similarity(a: str, b: str) -> float:
    """How well two given names agree: 1 same, 0.6 initial or short form, 0.5 spelling.

    Only a short form of the other name counts as a nickname (Bob / Robert, Kit /
    Christopher): two different full names that a nickname list relates (Casper / Jasper,
    Alice / Elizabeth through Lisa) are different people far more often than not.
    """
    if not a or not b:
        return 0.0
    if a == b and len(a) > 1:
        return 1.0
    if len(a) == 1 or len(b) == 1:  # "J." agrees with Jane, John and another "J." alike
        return 0.6 if a[0] == b[0] else 0.0
    short, long = sorted((a, b), key=lambda x: (len(x), x))
    if len(short) < len(long) and (short in related_given(long) or long in related_given(short)):
        return 0.6  # a nickname is as weak as an initial: Angel is not always Angela
    if len(a) >= 5 and len(b) >= 5 and JaroWinkler.similarity(a, b) >= 0.93:
        return 0.5  # spelling or transliteration variant (Dmitriy / Dmitrii): weak
    return 0.0


@lru_cache(maxsize=500_000)
def family_similarity(a: str, b: str) -> float:
    """How well two family names agree: 1 same, 0.85 close spelling or one part of two."""
    if not a or not b:
        return 0.0
    ka, kb = re.sub(r"[^a-z0-9]", "", a), re.sub(r"[^a-z0-9]", "", b)
    if ka == kb:
        return 1.0
    ta, tb = set(re.split(r"[ \-]", a)), set(re.split(r"[ \-]", b))
    if (ta < tb or tb < ta) and min(len(ka), len(kb)) >= 4:
        return 0.85  # "garcia" vs "garcia lopez"
    if min(len(ka), len(kb)) >= 5 and JaroWinkler.similarity(ka, kb) >= 0.94:
        return 0.85
    return 0.0


def name_similarity(a: Name, b: Name) -> float:
    """Agreement of two full names in [0, 1]; 0 unless both family and given agree."""
    fam = family_similarity(a.family, b.family)
    if fam == 0.0:
        return 0.0
    if a.middle and b.middle and a.middle != b.middle:
        return 0.0  # Jane A. Doe and Jane B. Doe
    accents = 1.0 if not a.written or not b.written or a.written == b.written else 0.9
    return (
        fam * given_similarity(a.given, b.given) * (1.0 if a.middle == b.middle else 0.95) * accents
    )


def full_key(name: Name) -> tuple[str, str] | None:
    """(given, family key) of a name written in full, accents folded; None for "J. Doe".

    The key under which the resolver counts how many clusters carry a name: "Dóra Doe",
    "DORA DOE" and "Dora A. Doe" share one key, so namesakes are counted together.
    """
    if name.is_initial or not name.given or not name.family_key:
        return None
    return (name.given, name.family_key)


def given_initials(given: str) -> set[str]:
    """First letters under which a given name is filed (Bob also under R for Robert)."""
    return {given[0]} | {
        r[0] for r in related_given(given) if r and given_similarity(given, r) >= 0.6
    }


# -- e-mail local parts ---------------------------------------------------------------------

_LOCAL_SPLIT = re.compile(r"[._\-]+")


@lru_cache(maxsize=200_000)
def local_tokens(address: str) -> list[str]:
    """Alphabetic tokens of an address's local part, +tag and digits dropped."""
    local = address.rpartition("@")[0].split("+", 1)[0].lower()
    return [t for t in (re.sub(r"[0-9]", "", t) for t in _LOCAL_SPLIT.split(local)) if t]


@lru_cache(maxsize=500_000)
def local_part_score(address: str, name: Name) -> float:
    """How clearly an address's local part spells `name` (j.smith, jsmith, smithj, jane…).

    1.0 both parts in full; 0.9 initial + family; 0.5 family or given alone; else 0.
    """
    tokens = local_tokens(address)
    if not tokens or not name.family_key:
        return 0.0
    fam = name.family_key
    joined = "".join(tokens)
    best = 0.0
    forms = (
        {name.given}
        if name.is_initial
        else {r for r in related_given(name.given) if given_similarity(name.given, r) >= 0.6}
        | {name.given}
    )
    for given in forms:
        g = re.sub(r"[^a-z0-9]", "", given)
        if not g:
            continue
        full = {g + fam, fam + g}
        if not name.is_initial and joined in full:
            best = max(best, 1.0 if given == name.given else 0.9)
        elif joined in {g[0] + fam, fam + g[0]} or (
            len(tokens) == 2 and set(tokens) in ({g[0], fam},)
        ):
            best = max(best, 0.9)
        elif joined in {g + fam[0], fam} and len(joined) >= 4:
            best = max(best, 0.5)
        elif joined == g and len(g) >= 3:
            best = max(best, 0.4)
    return best


def local_family_candidates(address: str) -> set[str]:
    """Every word `names_from_local` may look up in the family names for this address.

    A new family name changes what an address-only identity may stand for only when it is
    one of these words (the incremental resolver checks exactly that).
    """
    tokens = local_tokens(address)
    if len(tokens) == 2:
        return set(tokens)
    if len(tokens) == 1:
        word = tokens[0]
        return {part for i in range(1, len(word) - 2) for part in (word[:i], word[i:])}
    return set()


def names_from_local(address: str, families: set[str]) -> list[Name]:
    """Names an address-only identity may stand for, using the family names seen elsewhere.

    "jane.doe" → Jane Doe (and Doe Jane); "jdoe" → J. Doe when "doe" is a known family name.
    """
    tokens = local_tokens(address)
    out: list[Name] = []
    if len(tokens) == 2:
        a, b = tokens
        if b in families and len(a) >= 1:
            out.append(Name(a, b))
        if a in families and len(b) >= 1:
            out.append(Name(b, a))
    elif len(tokens) == 1:
        word = tokens[0]
        for i in range(1, len(word) - 2):
            head, tail = word[:i], word[i:]
            if tail in families and (i == 1 or len(head) >= 3):
                out.append(Name(head, tail))
            if head in families and len(head) >= 3 and len(tail) == 1:
                out.append(Name(tail, head))
    return out
