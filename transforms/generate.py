"""Synthetic relationship network: a LinkedIn export, a Gmail Takeout mbox and the truth.

`generate(people, seed, out)` invents an owner and `people` contacts, writes what their
exchanges would look like in the two sources (shaped like the real files described in
../shared/formats/linkedin.md and email.md) and, next to them, the answers a correct
warehouse must reproduce:

    out/linkedin/Connections.csv, messages.csv, Invitations.csv, Profile.csv,
                 Email Addresses.csv
    out/mail/takeout.mbox
    out/truth.csv          kind,value,truth_person_id  (every identity value emitted)
    out/truth_people.csv   per-person contact dates and sent/received counts
    out/truth_meta.json    parameters, owner identities, counts

The truth is computed from the generator's own records of what it wrote, applying the
counting rules below; the warehouse implements the same rules from the files alone.

Counting rules
    email: deduplicated by Message-ID; bulk mail never counts. From the owner: +1 sent for
        each distinct recipient person in To/Cc/Bcc. From a person with an owner address in
        To/Cc: +1 received for the sender only.
    linkedin_message: sponsored rows never count. From the owner: +1 sent per recipient URL.
        From a person: +1 received for that sender.
    linkedin_connection: Connected On at 00:00 UTC is a contact event (no counts).
    linkedin_invitation: Sent At is a contact event either way (no counts).

Everything is a pure function of (people, seed, noise, as_of, body_bytes): one
`random.Random(seed)`, no clock, no set iteration in output order. Names, companies,
addresses and texts are invented; domains are example.com/.org/.net (and sub-domains)
plus gmail.com.
"""

from __future__ import annotations

import base64
import calendar
import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from random import Random
from urllib.parse import quote

__all__ = ["GeneratedNetwork", "generate"]

DAY = 86_400
LINKEDIN_PREFIX = "https://www.linkedin.com/in/"
NOTES_SENTENCE = (
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"'
)
CONNECTIONS_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
MESSAGES_HEADER = [
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
]
INVITATIONS_HEADER = [
    "From",
    "To",
    "Sent At",
    "Message",
    "Direction",
    "inviterProfileUrl",
    "inviteeProfileUrl",
]
PROFILE_HEADER = [
    "First Name",
    "Last Name",
    "Maiden Name",
    "Address",
    "Birth Date",
    "Headline",
    "Summary",
    "Industry",
    "Zip Code",
    "Geo Location",
    "Twitter Handles",
    "Websites",
    "Instant Messengers",
]
EMAIL_ADDRESSES_HEADER = ["Email Address", "Confirmed", "Primary", "Updated On"]
TRUTH_PEOPLE_HEADER = [
    "truth_person_id",
    "display_name",
    "first_contact_at",
    "last_contact_at",
    "last_sent_at",
    "last_received_at",
    "days_since_last_contact",
    "sent_count",
    "received_count",
]
SPONSORED_TITLE = "Sponsored Conversation"
LINKEDIN_MEMBER = "LinkedIn Member"

# -- invented vocabulary ------------------------------------------------------------------

FIRST_NAMES = (
    "Aaron Abigail Adele Adrian Agnes Aidan Alana Albert Alexander Alice Alma Amara Amos "
    "Andrea Angela Anthony Arlo Astrid Aurora Beatrix Benjamin Bernard Bianca Blake Bram "
    "Brenna Caleb Camille Carmen Casper Cecily Celeste Christopher Clara Colin Cora Cyrus "
    "Daisy Damon Daniel Daphne Delia Desmond Dora Edgar Edith Elias Elizabeth Elliot Elsa "
    "Emmett Esme Ezra Felix Fern Fiona Flynn Freya Gideon Greta Hazel Hector Helena Hugo "
    "Ida Imogen Ira Iris Isla Ivo Jasper Jennifer Joan Jonathan Joseph Jude Juno Kai Karin "
    "Katherine Keira Kit Lara Leander Leona Levi Linus Lorna Lucian Mabel Magnus Malia "
    "Margaret Marlow Mateo Maude Michael Mila Milo Mira Nadia Nell Nicholas Nico Nora Odette "
    "Olive Orson Otis Patricia Pearl Penn Petra Phoebe Quentin Quinn Rafe Rebecca Remy Rhea "
    "Robert Rosa Rowan Ruth Samuel Selma Silas Sol Stellan Suri Talia Thea Theo Thomas "
    "Tobias Una Uri Vera Victoria Viggo Wade Willa William Wren Xander Yara Yves Zara Zeke"
).split() + [
    "José",
    "Zoë",
    "Chloé",
    "François",
    "Inés",
    "Andrés",
    "Renée",
    "Björn",
    "Jürgen",
    "Mónica",
    "Raúl",
    "Noémie",
    "Ángel",
    "Søren",
    "Łukasz",
    "Anaïs",
    "Joël",
    "Siân",
    "Zoltán",
    "Dóra",
]
LAST_NAMES = (
    "Abernathy Ashdown Bancroft Barlowe Beckett Birchwood Blackwood Bramble Brightwater "
    "Calloway Carrow Castellan Chadwick Clearwater Coldridge Copperfield Corrigan Crane "
    "Dalloway Darrow Delacroix Dunmore Eastwick Ellery Emberly Fairbanks Falconer Farrow "
    "Fenwick Fletcher Foxley Galloway Garrick Gladstone Goodacre Greaves Hadley Halloway "
    "Harrow Hawthorne Heathcote Holloway Huxley Ingram Ironside Jessup Kestrel Kingsley "
    "Lachlan Langley Larkin Lockwood Loxley Marchetti Merriweather Mistral Montague "
    "Moorcroft Morrow Nightingale Northcote Oakes Okonkwo Ormsby Padgett Pemberton "
    "Penhallow Quill Radcliffe Ravensworth Redfern Rookwood Rowntree Saltmarsh Sandoval "
    "Sayer Sedgwick Shelby Sinclair Somerset Sparrow Stanwick Stormont Sutherland Tamsin "
    "Thackeray Thistlewood Thornbury Trelawney Underhill Vance Varga Wainwright Wakefield "
    "Waverly Westbrook Whitlock Wilder Winslow Woodhouse Wrenfield Yardley Yelland Zeller "
    "Achterberg Brennan Castellano Dragomir Eklund Ferreira Gallagher Haverkamp Ilves "
    "Jaramillo Kowalczyk Lindqvist Mbeki Nakashima Oyelaran Petrakis Quintero Rasmussen "
    "Szabo Tanaka Uchenna Valdivia Wozniak Yamada Zielinski Adeyemi Balogun Chaudhry Desai "
    "Estrada Fonseca Gupta Hosseini Iwasaki Jovanovic Kaplan Lindgren Moreau Novak Olsen"
).split() + [
    "García",
    "Müller",
    "Núñez",
    "Lefèvre",
    "Åström",
    "Ødegaard",
    "Dvořák",
    "Gómez",
    "Łęcka",
    "Çelik",
    "Ibáñez",
    "Schröder",
    "Pérez",
    "Söderberg",
    "Kovács",
    "Brontë",
    "Ferrández",
    "Jäger",
]
# (display, ascii transliteration): a few contacts whose names are not in Latin script.
NON_LATIN_FIRST = [
    ("Дмитрий", "Dmitriy"),
    ("Ольга", "Olga"),
    ("Светлана", "Svetlana"),
    ("Νίκος", "Nikos"),
    ("Ελένη", "Eleni"),
    ("美咲", "Misaki"),
    ("建国", "Jianguo"),
    ("지민", "Jimin"),
]
NON_LATIN_LAST = [
    ("Волкова", "Volkova"),
    ("Орлов", "Orlov"),
    ("Παπαδάκη", "Papadaki"),
    ("高橋", "Takahashi"),
    ("陈", "Chen"),
    ("김", "Kim"),
]
EMOJI = ["🚀", "🌱", "✨", "🌐"]
NICKNAMES = {
    "Robert": "Bob",
    "William": "Bill",
    "Elizabeth": "Liz",
    "Katherine": "Kate",
    "Alexander": "Alex",
    "Margaret": "Maggie",
    "Michael": "Mike",
    "Jennifer": "Jen",
    "Daniel": "Dan",
    "Thomas": "Tom",
    "Christopher": "Chris",
    "Jonathan": "Jon",
    "Samuel": "Sam",
    "Victoria": "Vicky",
    "Nicholas": "Nick",
    "Benjamin": "Ben",
    "Joseph": "Joe",
    "Anthony": "Tony",
    "Patricia": "Pat",
    "Rebecca": "Becky",
    "Theo": "Teddy",
    "Abigail": "Abby",
}
# (company name, mail domain); all domains are invented sub-domains of example.*.
COMPANIES = [
    ("Acme Analytics", "acme.example.com"),
    ("Northwind Labs", "northwind.example.org"),
    ("Bluefin Robotics", "bluefin.example.net"),
    ("Copperleaf, Inc.", "copperleaf.example.com"),
    ("Globex Systems", "globex.example.com"),
    ("Riverbend Foods", "riverbend.example.org"),
    ("Lumen & Oak", "lumenoak.example.net"),
    ("Tidewater Health", "tidewater.example.org"),
    ("Quarry Street Capital", "quarry.example.com"),
    ("Halcyon Games", "halcyon.example.net"),
    ("Pinecone Logistics", "pinecone.example.com"),
    ("Saffron & Sage Ltd", "saffron.example.org"),
    ("Vantage Point Consulting", "vantage.example.com"),
    ("Orbital Coffee Co.", "orbital.example.net"),
    ("Meridian University", "meridian.example.org"),
    ("Kestrel Energy", "kestrel.example.com"),
    ("Brightline Media, LLC", "brightline.example.net"),
    ("Cobalt Freight", "cobalt.example.org"),
    ("Foxglove Studio", "foxglove.example.com"),
    ("Ironbark Security", "ironbark.example.net"),
]
PERSONAL_DOMAINS = ["gmail.com"] * 6 + ["mail.example.net", "post.example.org"]
POSITIONS = [
    "Data Engineer",
    "Senior Software Engineer",
    "Product Manager",
    "VP, Sales",
    "Head of Data",
    'Lead "Platform" Engineer',
    "Founder & CEO",
    "Recruiter",
    "UX Researcher",
    "Analytics Manager",
    "Director, Partnerships",
    "Staff Engineer",
    "Operations Lead",
    "Marketing Specialist",
    "Research Scientist",
    " ",
    "",
]
TOPICS = [
    "the data platform",
    "the Q3 roadmap",
    "your talk",
    "the hiring plan",
    "the migration",
    "the dashboard",
    "the conference",
    "the pilot project",
    "the budget",
    "the offsite",
]
SUBJECTS = [
    "Quick question",
    "Catching up",
    "Intro: {company}",
    "Notes from today",
    "Coffee next week?",
    "Follow-up on {topic}",
    "Draft for review",
    "Thanks!",
    "Re-connecting",
    "Lunch on Friday",
    "Slides from {topic}",
]
EMAIL_LINES = [
    "Thanks for the quick reply.",
    "Attaching the notes from our call about {topic}.",
    "Could we move our meeting to Thursday, maybe 3pm?",
    "Happy to help with {topic}, just let me know.",
    "Great seeing you last week. Let's do it again soon.",
    "Here is the link I mentioned; no rush on this.",
    "Looping back on {topic}: any news on your side?",
    "Sounds good to me.",
]
LI_TEXTS = [
    "Hi {first}, great to connect!",
    "Thanks for the intro, I'll follow up next week.",
    "Congrats on the new role at {company}!",
    "Sounds good, talk soon",
    "Sure, Tuesday works. Let's say 10am, your time?",
    "Hi {first},\nquick question about {topic}.\nDo you have 15 minutes this week?",
    'Loved your post on {topic}. "Ship small, ship often" indeed.',
    "?",
    "Thanks 🙏",
    "Are you going to the meetup on {topic}?",
    "Would love to hear more about {topic}, coffee sometime?",
]
SPONSORED_TEXTS = [
    '<p class="spinmail-quill-editor__spin-break">Hi %FIRSTNAME%, discover the new '
    "Example Cloud analytics suite &amp; save 20%.</p>",
    '<p class="spinmail-quill-editor__spin-break">%FIRSTNAME%, are you hiring? '
    "Post a job on Example Jobs today.</p>",
]
INVITATION_NOTES = [
    "",
    "",
    "",
    "Hi {first}, we talked about {topic} at the meetup, would be great to connect.",
    "Enjoyed your talk, let's keep in touch!",
]
# Bulk / automated senders: (display name, address, list id, kind).
BULK_SENDERS = [
    ("Acme Weekly", "newsletter@news.acme.example.com", "weekly.news.acme.example.com", "promo"),
    ("Example Cloud", "no-reply@cloud.example.net", None, "updates"),
    (
        "Northwind Digest",
        "digest@lists.northwind.example.org",
        "digest.northwind.example.org",
        "promo",
    ),
    ("Globex Notifications", "notifications@globex.example.com", None, "updates"),
    ("Team Halcyon", "team@halcyon.example.net", "team.halcyon.example.net", "promo"),
    ("Orbital Coffee Co.", "hello@mail.orbital.example.net", "offers.orbital.example.net", "promo"),
    ("Example Jobs", "jobs-noreply@jobs.example.com", None, "updates"),
    ("Meetup Reminders", "info@events.example.org", "events.example.org", "promo"),
    ("LinkedIn Example", "messages-noreply@linkedin.example.com", None, "updates"),
    ("Calendar", "calendar-notification@example.com", None, "updates"),
]
BULK_SUBJECTS = {
    "promo": ["This week: 5 reads on {topic}", "Your October digest", "20% off, today only"],
    "updates": ["Your invoice is ready", "Security alert", "You have 3 new notifications"],
}
RECEIVED_USER_LABELS = ['"Friends, family"', "Projects/Kith", '"Clients, 2024"', "Follow up"]
ZONES = [0, 0, -300, 60, 330, -480, 120]  # minutes east of UTC
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
_ASCII_FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d"}
)


# -- result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedNetwork:
    """Where `generate` wrote and how much."""

    out: Path
    linkedin_dir: Path
    mbox_path: Path
    truth_path: Path
    truth_people_path: Path
    meta_path: Path
    people: int  # contact persons invented (owner and bulk senders excluded)
    truth_people: int  # rows in truth_people.csv (persons with at least one counted event)
    counts: dict[str, int] = field(default_factory=dict)

    def files(self) -> list[Path]:
        """Every file written, in a stable order."""
        names = [
            "Connections.csv",
            "messages.csv",
            "Invitations.csv",
            "Profile.csv",
            "Email Addresses.csv",
        ]
        return [self.linkedin_dir / n for n in names] + [
            self.mbox_path,
            self.truth_path,
            self.truth_people_path,
            self.meta_path,
        ]


# -- internal records -----------------------------------------------------------------------


@dataclass
class _Person:
    pid: str
    first: str
    last: str
    first_ascii: str
    last_ascii: str
    company: tuple[str, str]
    position: str
    kind: str = "email"  # connection / pending / inmail / email / cc
    tier: int = 0  # number of planned exchanges
    slug: str | None = None  # as written in the data (may be mixed case / non-ASCII)
    emails: list[str] = field(default_factory=list)  # as written, primary first
    conn_email: str | None = None  # Email Address column of Connections.csv
    conn_first: str = ""
    conn_last: str = ""
    connected_on: date | None = None
    li_name: str = ""  # display name on LinkedIn messages / invitations
    mail_names: list[str | None] = field(default_factory=list)  # display names used in mail
    use_email: bool = False
    use_li: bool = False
    win: tuple[int, int] = (0, 0)  # activity window, epoch seconds

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class _Mail:
    gid: int
    instant: int
    zone: int
    from_pid: str  # "owner", a person id, or "" for bulk
    from_hdr: str
    to: list[tuple[str, str]]  # (pid or "" , formatted address)
    cc: list[tuple[str, str]]
    bcc: list[tuple[str, str]]
    subject: str
    msgid: str
    labels: list[str]
    body: str
    thrid: int = 0
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # extra header lines (bulk, Delivered-To)
    bulk: bool = False


# -- small helpers --------------------------------------------------------------------------


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return "".join(c for c in folded if not unicodedata.combining(c))


def _local(text: str) -> str:
    return "".join(c for c in _ascii(text).lower() if c.isalnum() and c.isascii())


def _slug_script_ok(c: str) -> bool:
    """Characters a non-ASCII slug may keep: Latin letters with accents and Cyrillic."""
    if c.isascii():
        return True
    if not c.isalpha():
        return c.isspace()
    name = unicodedata.name(c, "")
    return (name.startswith("LATIN") and c != "ß") or name.startswith("CYRILLIC")


def _mailbox_key(address: str) -> str:
    local, _, domain = address.lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        return local.replace(".", "") + "@gmail.com"
    return f"{local}@{domain}"


def _iso(ts: int | None) -> str:
    if ts is None:
        return ""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _us_datetime(ts: int) -> str:
    """`M/D/YY, h:mm AM` as in Invitations.csv (unpadded month/day/hour)."""
    d = datetime.fromtimestamp(ts, UTC)
    hour = d.hour % 12 or 12
    ampm = "AM" if d.hour < 12 else "PM"
    return f"{d.month}/{d.day}/{d.year % 100:02d}, {hour}:{d.minute:02d} {ampm}"


def _date_header(ts: int, zone: int) -> str:
    d = datetime.fromtimestamp(ts + zone * 60, UTC)
    sign = "+" if zone >= 0 else "-"
    hh, mm = divmod(abs(zone), 60)
    return (
        f"{WEEKDAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year} "
        f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} {sign}{hh:02d}{mm:02d}"
    )


def _from_line_date(ts: int) -> str:
    d = datetime.fromtimestamp(ts, UTC)
    return (
        f"{WEEKDAYS[d.weekday()]} {MONTHS[d.month - 1]} {d.day:02d} "
        f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} +0000 {d.year}"
    )


@lru_cache(maxsize=65_536)
def _encoded_words(text: str, use_b: bool) -> str:
    """RFC 2047 encoded words for a display name, split at character boundaries."""
    words: list[str] = []
    chunk: list[str] = []
    size = 0
    for ch in text:
        raw = ch.encode("utf-8")
        if use_b:
            piece, cost = raw, len(raw) * 4 // 3 + 2
        elif ch == " ":
            piece, cost = "_", 1
        elif ch.isascii() and (ch.isalnum() or ch in "!*+-/"):
            piece, cost = ch, 1
        else:
            piece, cost = "".join(f"={b:02X}" for b in raw), 3 * len(raw)
        if size + cost > 45 and chunk:
            words.append(_finish_word(chunk, use_b))
            chunk, size = [], 0
        chunk.append(piece)  # type: ignore[arg-type]
        size += cost
    if chunk:
        words.append(_finish_word(chunk, use_b))
    return " ".join(words)


def _finish_word(chunk: list, use_b: bool) -> str:
    if use_b:
        return "=?UTF-8?B?" + base64.b64encode(b"".join(chunk)).decode("ascii") + "?="
    return "=?UTF-8?Q?" + "".join(chunk) + "?="


@lru_cache(maxsize=131_072)
def _format_address(name: str | None, address: str, use_b: bool = False) -> str:
    if not name:
        return address
    if not name.isascii():
        return f"{_encoded_words(name, use_b)} <{address}>"
    if any(c in name for c in ',.()<>@:;[]"\\'):
        escaped = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}" <{address}>'
    return f"{name} <{address}>"


def _fold(name: str, items: list[str], sep: str = ",") -> str:
    """`Name: a, b` folded with CRLF + space before a line would exceed ~76 characters."""
    pieces = [item + sep for item in items[:-1]] + items[-1:]
    lines: list[str] = []
    line = f"{name}:"
    for piece in pieces:
        if len(line) + 1 + len(piece) > 76 and not line.endswith(":"):
            lines.append(line)
            line = ""
        line += " " + piece
    lines.append(line)
    return "\r\n".join(lines)


def _labels(labels: list[str]) -> str:
    return ",".join(labels)


def _csv_text(rows: list[list[str]], trailing_newline: bool = True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    text = buf.getvalue()
    return text if trailing_newline else text[:-1]


def _canonical_url(slug: str) -> str:
    return LINKEDIN_PREFIX + unicodedata.normalize("NFC", slug).lower()


# -- the generator --------------------------------------------------------------------------


class _Builder:
    def __init__(self, people: int, seed: int, noise: float, as_of: date, body_bytes: int):
        self.rng = Random(seed)
        self.seed = seed
        self.n = people
        self.noise = max(0.0, min(1.0, noise))
        self.as_of = as_of
        self.body_bytes = max(0, body_bytes)
        self.end = calendar.timegm(as_of.timetuple())  # exclusive
        self.start = self.end - 6 * 365 * DAY
        self.identities: set[tuple[str, str, str]] = set()
        self.used_mailboxes: set[str] = set()
        self.used_slugs: set[str] = set()
        self.used_names: set[str] = set()
        self.used_msgids = 0
        self.persons: list[_Person] = []
        self.li_rows: list[list[str]] = []
        self.conn_rows: list[tuple[int, int, list[str]]] = []
        self.inv_rows: list[tuple[int, list[str]]] = []
        self.mails: list[_Mail] = []
        self.dup_mails: list[_Mail] = []
        # tally: pid -> [first, last, last_sent, last_received, sent, received]
        self.tally: dict[str, list] = {}
        self.counts: dict[str, int] = {}

    # ---- identity bookkeeping

    def note(self, kind: str, value: str | None, pid: str) -> None:
        if not value:
            return
        if kind == "email":
            value = value.lower()
        elif kind == "linkedin_url":
            value = _canonical_url(value[len(LINKEDIN_PREFIX) :])
        else:
            value = " ".join(value.split())
        self.identities.add((kind, value, pid))

    def event(self, pid: str, ts: int, direction: str = "") -> None:
        t = self.tally.get(pid)
        if t is None:
            t = self.tally[pid] = [ts, ts, None, None, 0, 0]
        if ts < t[0]:
            t[0] = ts
        if ts > t[1]:
            t[1] = ts
        if direction == "sent":
            t[4] += 1
            if t[2] is None or ts > t[2]:
                t[2] = ts
        elif direction == "received":
            t[5] += 1
            if t[3] is None or ts > t[3]:
                t[3] = ts

    def chance(self, base: float) -> bool:
        return self.rng.random() < base

    def noisy(self, scale: float) -> bool:
        return self.noise > 0 and self.rng.random() < min(1.0, scale * self.noise)

    # ---- people

    def unique_name(self, non_latin: bool) -> tuple[str, str, str, str]:
        rng = self.rng
        for attempt in range(60):
            if non_latin:
                f, fa = rng.choice(NON_LATIN_FIRST)
                last, la = rng.choice(NON_LATIN_LAST)
            else:
                f = fa = rng.choice(FIRST_NAMES)
                last = la = rng.choice(LAST_NAMES)
                fa, la = _ascii(fa), _ascii(la)
            if attempt >= 20:  # crowded: add a middle initial
                initial = chr(ord("A") + rng.randrange(26))
                f, fa = f"{f} {initial}.", f"{fa} {initial}."
            if f"{f} {last}".casefold() not in self.used_names:
                self.used_names.add(f"{f} {last}".casefold())
                return f, last, fa, la
        raise RuntimeError("name space exhausted")  # pragma: no cover

    def new_email(self, p: _Person, work: bool) -> str:
        rng = self.rng
        f, last = _local(p.first_ascii.split()[0]), _local(p.last_ascii)
        f = f or "x"
        last = last or "y"
        domain = p.company[1] if work else rng.choice(PERSONAL_DOMAINS)
        patterns = (
            [f"{f}.{last}", f"{f[0]}{last}", f, f"{f}{last[0]}"]
            if work
            else [f"{f}.{last}", f"{f}{last}", f"{f[0]}.{last}", f"{last}.{f}"]
        )
        for i in range(200):
            local = rng.choice(patterns) if i < 8 else f"{f}.{last}{rng.randrange(10, 9999)}"
            address = f"{local}@{domain}"
            key = _mailbox_key(address)
            if key not in self.used_mailboxes:
                self.used_mailboxes.add(key)
                return address
        raise RuntimeError("address space exhausted")  # pragma: no cover

    def new_slug(self, p: _Person) -> str:
        rng = self.rng
        accented = not (p.first + p.last).isascii()
        keep = (
            accented
            and all(_slug_script_ok(c) for c in p.first + p.last)
            and self.chance(0.4 + 0.4 * self.noise)
        )
        src = f"{p.first} {p.last}" if keep else f"{p.first_ascii} {p.last_ascii}"
        words = ["".join(c for c in w.lower() if c.isalnum()) for w in src.split()]
        base = "-".join(w for w in words if w) or "member"
        if base.casefold() != base:  # canonical lower must equal casefold (no ß, ς)
            words = [_local(w) for w in f"{p.first_ascii} {p.last_ascii}".split()]
            base = "-".join(w for w in words if w) or "member"
        if any(e in p.last for e in EMOJI) and self.chance(0.5):
            base += "-" + next(e for e in EMOJI if e in p.last)
        for i in range(200):
            r = rng.random()
            if r < 0.7 or i > 3:
                slug = f"{base}-{rng.getrandbits(36):09x}"
            elif r < 0.85:
                slug = base
            else:
                slug = f"{base.replace('-', '')}{rng.randrange(1, 999)}"
            canon = unicodedata.normalize("NFC", slug).lower()
            if canon not in self.used_slugs:
                self.used_slugs.add(canon)
                if self.noisy(0.1):  # mixed-case spelling of the same slug
                    slug = "-".join(w[:1].upper() + w[1:] for w in slug.split("-"))
                return slug
        raise RuntimeError("slug space exhausted")  # pragma: no cover

    def name_variants(self, p: _Person) -> list[str | None]:
        """Display-name spellings of one person (noise > 0 only)."""
        first, last = p.first.split()[0], p.last
        options: list[str | None] = [
            f"{last.upper()} {first}",
            f"{last}, {first}",
            f"{first[0]}. {last}",
            f"{p.name}, PhD",
            f"{p.name} ({p.company[0].split(',')[0]})",
            None,
            p.name.lower(),
            p.name.upper(),
        ]
        if first in NICKNAMES:
            options += [f"{NICKNAMES[first]} {last}"] * 3
        if not p.name.isascii() and all(c.isascii() or c.isalpha() or c == " " for c in p.name):
            options += [f"{p.first_ascii} {p.last_ascii}"] * 3
        return [self.rng.choice(options) for _ in range(self.rng.randint(1, 2))]

    def make_people(self) -> None:
        rng, n = self.rng, self.n
        of, ol, ofa, ola = self.unique_name(False)
        self.owner = _Person("owner", of, ol, ofa, ola, rng.choice(COMPANIES), "Data Lead")
        self.owner.slug = self.new_slug(self.owner)
        self.owner_emails = [self.new_email(self.owner, False), self.new_email(self.owner, True)]
        self.owner_url = LINKEDIN_PREFIX + self.owner.slug

        non_latin_n = max(1 if n >= 20 else 0, round(n * 0.015))
        non_latin = set(rng.sample(range(n), min(n, non_latin_n)))
        emoji_n = 0 if n < 5 else (1 if n < 100 else 2)
        emoji = set(rng.sample(range(n), emoji_n))
        for i in range(n):
            f, last, fa, la = self.unique_name(i in non_latin)
            if i in emoji:
                last = f"{last} {rng.choice(EMOJI)}"
            p = _Person(
                f"t{i + 1:05d}", f, last, fa, la, rng.choice(COMPANIES), rng.choice(POSITIONS)
            )
            self.persons.append(p)

        # hard negatives: different people sharing a full name (noise > 0); both are
        # connections so the shared name is written verbatim in Connections.csv
        same_name: set[str] = set()
        if self.noise > 0 and n >= 4:
            plain = [i for i in range(n) if i not in emoji]
            pairs = min(len(plain) // 2, max(1, round(n * self.noise * 0.005)))
            picked = rng.sample(plain, 2 * pairs)
            for a, b in zip(picked[::2], picked[1::2], strict=True):
                pa, pb = self.persons[a], self.persons[b]
                pb.first, pb.last, pb.first_ascii, pb.last_ascii = (
                    pa.first,
                    pa.last,
                    pa.first_ascii,
                    pa.last_ascii,
                )
                same_name.update((pa.pid, pb.pid))

        for p in self.persons:
            r = rng.random()
            p.kind = (
                "connection"
                if r < 0.55
                else "pending"
                if r < 0.60
                else "inmail"
                if r < 0.63
                else "email"
                if r < 0.98
                else "cc"
            )
            if p.pid in same_name:
                p.kind = "connection"
            r = rng.random()
            p.tier = (
                rng.randint(20, 90)
                if r < 0.04
                else rng.randint(4, 16)
                if r < 0.20
                else rng.randint(1, 3)
            )
            if p.kind == "connection":
                p.use_email, p.use_li = self.chance(0.35), self.chance(0.45)
            elif p.kind == "pending":
                # not a connection, so no Connections.csv e-mail could link an address to
                # the profile: only with noise
                p.use_email, p.use_li = self.noisy(0.5), self.chance(0.25)
            elif p.kind == "inmail":
                p.use_li = True
            elif p.kind == "email":
                p.use_email = True
            # activity window, skewed towards recent years
            a = self.start + int((self.end - self.start - DAY) * (1 - rng.random() ** 1.25))
            span = DAY * (rng.randint(400, 2000) if p.tier > 15 else rng.randint(2, 365))
            b = min(self.end - 1, a + span)
            p.win = (a, b)

            has_linkedin = p.kind in ("connection", "pending", "inmail")
            if has_linkedin:
                p.slug = self.new_slug(p)
            # e-mail addresses: one at noise 0; work + personal and gmail variants with noise
            if p.use_email or p.kind in ("cc", "connection"):
                work = self.chance(0.45)
                p.emails.append(self.new_email(p, work))
                if self.noisy(0.6):
                    p.emails.append(self.new_email(p, not work))
                gmail = [e for e in p.emails if e.endswith("@gmail.com")]
                if gmail and self.noisy(0.3):
                    local = gmail[0].split("@")[0]
                    if "." in local and self.chance(0.5):
                        variant = local.replace(".", "")
                    else:
                        tag = rng.choice(["news", "work", "li", "shop"])
                        variant = f"{local}+{tag}"
                    p.emails.append(f"{variant}@gmail.com")
            # names per source
            p.conn_first, p.conn_last = p.first, p.last
            if p.pid not in same_name and self.noisy(0.1):
                p.conn_last = f"{p.last}, {rng.choice(['PhD', 'CFA', 'MBA'])}"
            p.li_name = p.name
            if self.noisy(0.4):
                p.li_name = rng.choice(
                    [f"{p.name}, PhD", f"{p.name} ✨", f"{p.name} ({p.company[0]})"]
                    + ([f"{NICKNAMES[p.first]} {p.last}"] if p.first in NICKNAMES else [])
                )
            p.mail_names = [p.name]
            if self.noisy(0.8):
                p.mail_names += self.name_variants(p)
            # Connections.csv e-mail column
            if p.kind == "connection" and p.emails:
                if p.use_email:
                    if not self.noisy(2.5) or self.chance(0.1):
                        p.conn_email = p.emails[0]
                elif self.chance(0.1 * (1 - self.noise) + 0.02):
                    p.conn_email = p.emails[0]
                if p.conn_email and self.noisy(0.2):
                    p.conn_email = p.conn_email[:1].upper() + p.conn_email[1:]
            if p.kind == "connection" and not p.use_email and not p.conn_email:
                p.emails = []  # an address nobody would ever see

    def address(self, p: _Person, index: int | None = None) -> str:
        rng = self.rng
        if index is None:
            index = 0 if len(p.emails) == 1 or self.chance(0.6) else rng.randrange(len(p.emails))
        address = p.emails[index]
        if self.noisy(0.05):
            local, _, domain = address.partition("@")
            address = f"{local[:1].upper()}{local[1:]}@{domain.capitalize()}"
        return address

    def person_hdr(self, p: _Person, index: int | None = None) -> str:
        name = p.mail_names[0] if len(p.mail_names) == 1 else self.rng.choice(p.mail_names)
        addr = self.address(p, index)
        self.note("email", addr, p.pid)
        self.note("name", name, p.pid)
        return _format_address(name, addr, use_b=self.chance(0.2))

    def owner_hdr(self, index: int | None = None) -> str:
        if index is None:
            index = 0 if self.chance(0.7) else 1
        addr = self.owner_emails[index]
        self.note("email", addr, "owner")
        self.note("name", self.owner.name, "owner")
        return _format_address(self.owner.name, addr)

    # ---- LinkedIn

    def conversation_id(self) -> str:
        raw = f"{self.rng.getrandbits(64):016x}_{len(self.li_rows):08d}".encode("ascii")
        return "2-" + base64.b64encode(raw).decode("ascii")

    def li_text(self, p: _Person) -> str:
        return self.rng.choice(LI_TEXTS).format(
            first=p.first.split()[0], company=p.company[0], topic=self.rng.choice(TOPICS)
        )

    def times(self, k: int, win: tuple[int, int], max_gap: int) -> list[int]:
        """`k` increasing instants starting inside `win`, all strictly before as_of."""
        rng = self.rng
        gaps = [rng.randint(60, max_gap) for _ in range(k - 1)]
        latest = self.end - 1 - sum(gaps)
        lo, hi = win
        lo = max(self.start, min(lo, latest - rng.randint(0, 60 * DAY)))
        hi = max(lo, min(hi, latest))
        t = rng.randint(lo, hi)
        out = [t]
        for g in gaps:
            t += g
            out.append(t)
        return out

    def li_conversation(
        self, participants: list[_Person], k: int, title: str = "", first_from: str = ""
    ) -> None:
        rng = self.rng
        cid = self.conversation_id()
        win = participants[0].win
        times = self.times(k, win, 5 * DAY)
        everyone = ["owner"] + [p.pid for p in participants]
        by_pid = {p.pid: p for p in participants}
        rows = []
        for j, ts in enumerate(times):
            if j == 0 and first_from:
                sender = first_from
            elif len(participants) == 1:
                sender = "owner" if (j % 2 == 0) != (rng.random() < 0.5) else participants[0].pid
            else:
                sender = rng.choice(everyone)
            others = [x for x in everyone if x != sender]

            def name_of(x: str) -> str:
                return self.owner.name if x == "owner" else by_pid[x].li_name

            def url_of(x: str) -> str:
                return self.owner_url if x == "owner" else LINKEDIN_PREFIX + by_pid[x].slug

            for x in everyone:
                self.note("name", name_of(x), x)
                self.note("linkedin_url", url_of(x), x)
            if sender == "owner":
                for x in others:
                    self.event(x, ts, "sent")
                text = self.li_text(by_pid[others[0]])
            else:
                self.event(sender, ts, "received")
                text = self.li_text(self.owner)
            stamp = datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            rows.append(
                [
                    cid,
                    title,
                    name_of(sender),
                    url_of(sender),
                    ",".join(name_of(x) for x in others),
                    ",".join(url_of(x) for x in others),
                    stamp,
                    title if title and j == 0 else "",
                    text,
                    "ARCHIVE" if self.chance(0.15) else "INBOX",
                ]
            )
        rows.reverse()  # newest first within the conversation
        self.li_conversations.append((times[-1], rows))

    def make_linkedin(self) -> None:
        rng = self.rng
        self.li_conversations: list[tuple[int, list[list[str]]]] = []
        li_people = []
        for p in self.persons:
            if p.use_li:
                k = max(1, p.tier // 2 if p.use_email else p.tier)
                if p.kind == "inmail":
                    company = p.company[0].split(",")[0]
                    self.li_conversation(
                        [p], min(k, 3), title=f"Opportunity at {company}", first_from=p.pid
                    )
                else:
                    self.li_conversation([p], k)
                    li_people.append(p)
        connections = [p for p in self.persons if p.kind == "connection"]
        groups = len(connections) // 60 + (1 if len(connections) >= 3 else 0)
        for _ in range(groups):
            members = rng.sample(connections, rng.randint(2, min(3, len(connections))))
            self.li_conversation(members, rng.randint(2, 8), title=rng.choice(["", "Offsite"]))
        for _ in range(max(1, self.n // 40)):
            ts = rng.randint(self.start, self.end - 1)
            stamp = datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            recipients = self.owner_url if self.chance(0.5) else ""
            row = [
                self.conversation_id(),
                SPONSORED_TITLE,
                LINKEDIN_MEMBER,
                "",
                self.owner.name,
                recipients,
                stamp,
                "",
                rng.choice(SPONSORED_TEXTS),
                "INBOX",
            ]
            self.note("name", LINKEDIN_MEMBER, "")
            self.li_conversations.append((ts, [row]))
        self.li_conversations.sort(key=lambda c: -c[0])
        for _, rows in self.li_conversations:
            self.li_rows.extend(rows)
        self.counts["linkedin_messages"] = len(self.li_rows)
        self.counts["linkedin_conversations"] = len(self.li_conversations)
        self.counts["sponsored_messages"] = max(1, self.n // 40)

        # connections
        for i, p in enumerate(self.persons):
            if p.kind != "connection":
                continue
            a, b = p.win
            day = rng.randint(max(self.start, a - 200 * DAY), b) // DAY * DAY
            p.connected_on = datetime.fromtimestamp(day, UTC).date()
            self.event(p.pid, day)
            url = LINKEDIN_PREFIX + quote(p.slug, safe="-")
            self.note("linkedin_url", LINKEDIN_PREFIX + p.slug, p.pid)
            self.note("name", f"{p.conn_first} {p.conn_last}", p.pid)
            self.note("email", p.conn_email, p.pid)
            row = [
                p.conn_first,
                p.conn_last,
                url,
                p.conn_email or "",
                p.company[0],
                p.position,
                self.conn_date(p.connected_on),
            ]
            self.conn_rows.append((day, i, row))
        n_conn = len(self.conn_rows)
        blanks = round(n_conn * 0.05)
        for j in range(blanks):
            day = rng.randint(self.start, self.end - 1) // DAY * DAY
            when = datetime.fromtimestamp(day, UTC).date()
            self.conn_rows.append((day, self.n + j, ["", "", "", "", "", "", self.conn_date(when)]))
        self.conn_rows.sort(key=lambda r: (-r[0], r[1]))
        self.counts["connections"] = n_conn
        self.counts["connections_hidden_rows"] = blanks

        # pending invitations
        for p in self.persons:
            if p.kind != "pending":
                continue
            ts = rng.randint(max(self.start, self.end - 365 * DAY), self.end - 1) // 60 * 60
            self.event(p.pid, ts)
            self.note("name", p.li_name, p.pid)
            self.note("linkedin_url", LINKEDIN_PREFIX + p.slug, p.pid)
            self.note("name", self.owner.name, "owner")
            self.note("linkedin_url", self.owner_url, "owner")
            note = rng.choice(INVITATION_NOTES).format(
                first=p.first.split()[0], topic=rng.choice(TOPICS)
            )
            purl = LINKEDIN_PREFIX + p.slug
            if self.chance(0.5):
                row = [self.owner.name, p.li_name, _us_datetime(ts), note, "OUTGOING"]
                row += [self.owner_url, purl]
            else:
                row = [p.li_name, self.owner.name, _us_datetime(ts), note, "INCOMING"]
                row += [purl, self.owner_url]
            self.inv_rows.append((ts, row))
        self.inv_rows.sort(key=lambda r: -r[0])
        self.counts["invitations"] = len(self.inv_rows)

    @staticmethod
    def conn_date(d: date) -> str:
        return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"

    # ---- mail

    def gmail_id(self, ts: int) -> int:
        return ((ts * 1000 + self.rng.randrange(1000)) << 20) | self.rng.getrandbits(20)

    def message_id(self, from_addr: str) -> str:
        self.used_msgids += 1
        domain = from_addr.rpartition("@")[2].lower()
        token = f"{self.rng.getrandbits(72):018x}.{self.used_msgids:x}"
        if domain == "gmail.com":
            return f"<CA+{token}@mail.gmail.com>"
        return f"<{token}@{domain}>"

    def mail_body(self, greet: str, sign: str) -> str:
        rng = self.rng
        lines = [f"Hi {greet},", ""]
        for _ in range(rng.randint(1, 3)):
            lines.append(rng.choice(EMAIL_LINES).format(topic=rng.choice(TOPICS)))
        lines += ["", "Best,", sign]
        return "\r\n".join(lines)

    def received_labels(self) -> list[str]:
        rng = self.rng
        labels = ["Inbox" if self.chance(0.75) else "Archived"]
        if self.chance(0.2):
            labels.append("Important")
        labels += ["Opened", "Category Personal"]
        if self.chance(0.08):
            labels.append(rng.choice(RECEIVED_USER_LABELS))
        return labels

    def sent_labels(self) -> list[str]:
        labels = ["Sent"]
        if self.chance(0.15):
            labels.append("Important")
        if self.chance(0.05):
            labels.append('"Clients, 2024"')
        return labels

    def email_thread(self, p: _Person, k: int, pool: list[_Person]) -> None:
        rng = self.rng
        times = self.times(k, p.win, 3 * DAY)
        subject = rng.choice(SUBJECTS).format(company=p.company[0], topic=rng.choice(TOPICS))
        co = None
        if pool and self.chance(0.1):
            co = rng.choice(pool)
            if co is p:
                co = None
        owner_turn = self.chance(0.5)
        history: list[str] = []
        thrid = 0
        for j, ts in enumerate(times):
            if j > 0 and not self.chance(0.15):
                owner_turn = not owner_turn
            to: list[tuple[str, str]]
            cc: list[tuple[str, str]] = []
            bcc: list[tuple[str, str]] = []
            extra: list[str] = []
            owner_index = 0 if self.chance(0.7) else 1
            if owner_turn:
                from_pid, from_hdr = "owner", self.owner_hdr(owner_index)
                from_addr = self.owner_emails[owner_index]
                to = [(p.pid, self.person_hdr(p))]
                if len(p.emails) > 1 and self.noisy(0.3):  # same person, second address
                    cc.append((p.pid, self.person_hdr(p, len(p.emails) - 1)))
                if co is not None:
                    cc.append((co.pid, self.person_hdr(co)))
                if pool and self.chance(0.04):
                    other = rng.choice(pool)
                    if other is not p:
                        bcc.append((other.pid, self.person_hdr(other)))
                labels = self.sent_labels()
                greet, sign = p.first_ascii.split()[0], self.owner.first_ascii
            else:
                sender = co if co is not None and self.chance(0.25) else p
                listener = p if sender is co else co
                from_pid, from_hdr = sender.pid, self.person_hdr(sender)
                from_addr = sender.emails[0]
                owner = ("owner", self.owner_hdr(owner_index))
                extra.append(f"Delivered-To: {self.owner_emails[owner_index]}")
                if listener is not None:
                    to = [owner]
                    cc = [(listener.pid, self.person_hdr(listener))]
                elif pool and self.chance(0.1):  # owner only in Cc
                    other = rng.choice(pool)
                    if other is sender:
                        to = [owner]
                    else:
                        to = [(other.pid, self.person_hdr(other))]
                        cc = [owner]
                elif pool and self.noisy(0.05):  # owner Bcc'd: not in To/Cc
                    other = rng.choice(pool)
                    to = [owner] if other is sender else [(other.pid, self.person_hdr(other))]
                else:
                    to = [owner]
                labels = self.received_labels()
                greet, sign = self.owner.first_ascii, sender.first_ascii.split()[0]
            gid = self.gmail_id(ts)
            if j == 0:
                thrid = gid
            msgid = self.message_id(from_addr)
            mail = _Mail(
                gid=gid,
                instant=ts,
                zone=rng.choice(ZONES),
                from_pid=from_pid,
                from_hdr=from_hdr,
                to=to,
                cc=cc,
                bcc=bcc,
                subject=subject if j == 0 else f"Re: {subject}",
                msgid=msgid,
                labels=labels,
                body=self.mail_body(greet, sign),
                thrid=thrid,
                in_reply_to=history[-1] if history else None,
                references=list(history[-8:]),
                extra=extra,
            )
            history.append(msgid)
            self.mails.append(mail)

    def make_mail(self) -> None:
        rng = self.rng
        pool = [p for p in self.persons if p.use_email]
        for p in pool:
            k = max(1, p.tier - p.tier // 2 if p.use_li else p.tier)
            while k > 0:
                size = min(k, rng.choice([1, 1, 2, 2, 3, 4, 6]))
                self.email_thread(p, size, pool)
                k -= size
        # people who only ever appear in Cc of mail someone else sent the owner
        received = [m for m in self.mails if m.from_pid not in ("owner", "")]
        for p in self.persons:
            if p.kind == "cc" and received:
                m = rng.choice(received)
                m.cc.append((p.pid, self.person_hdr(p)))
        # bulk mail
        n_bulk = max(3, len(self.mails) // 3)
        for _ in range(n_bulk):
            name, addr, list_id, kind = rng.choice(BULK_SENDERS)
            self.note("email", addr, "")
            self.note("name", name, "")
            ts = rng.randint(self.start, self.end - 1)
            extra = [f"Delivered-To: {self.owner_emails[0]}"]
            if list_id:
                extra.append(f"List-Id: {name} <{list_id}>")
            domain = addr.rpartition("@")[2]
            extra.append(
                f"List-Unsubscribe: <mailto:unsubscribe@{domain}?subject=unsubscribe>, "
                f"<https://{domain}/u/{rng.getrandbits(40):010x}>"
            )
            if kind == "promo" or self.chance(0.5):
                extra.append("Precedence: bulk")
            if kind == "updates":
                extra.append("Auto-Submitted: auto-generated")
            labels = ["Inbox" if self.chance(0.5) else "Archived"]
            labels += ["Unread" if self.chance(0.6) else "Opened"]
            labels.append("Category Promotions" if kind == "promo" else "Category Updates")
            gid = self.gmail_id(ts)
            self.mails.append(
                _Mail(
                    gid=gid,
                    instant=ts,
                    zone=rng.choice(ZONES),
                    from_pid="",
                    from_hdr=_format_address(name, addr),
                    to=[("owner", self.owner_hdr(0))],
                    cc=[],
                    bcc=[],
                    subject=rng.choice(BULK_SUBJECTS[kind]).format(topic=rng.choice(TOPICS)),
                    msgid=self.message_id(addr),
                    labels=labels,
                    body="You are receiving this because you subscribed.\r\n"
                    "Unsubscribe at any time.",
                    thrid=gid,
                    extra=extra,
                    bulk=True,
                )
            )
        self.mails.sort(key=lambda m: m.gid)
        # a second copy of a few messages, with other labels (label exports)
        for m in self.mails:
            if self.chance(0.03):
                labels = list(m.labels)
                if "Inbox" in labels:
                    labels[labels.index("Inbox")] = "Archived"
                else:
                    labels.insert(0, "Starred")
                self.dup_mails.append(
                    _Mail(**{**m.__dict__, "labels": labels, "references": m.references})
                )
        # tally (unique messages only)
        for m in self.mails:
            if m.bulk:
                continue
            if m.from_pid == "owner":
                recipients = {pid for pid, _ in m.to + m.cc + m.bcc if pid not in ("owner", "")}
                for pid in sorted(recipients):
                    self.event(pid, m.instant, "sent")
            elif any(pid == "owner" for pid, _ in m.to + m.cc):
                self.event(m.from_pid, m.instant, "received")
        self.counts["mbox_messages"] = len(self.mails)
        self.counts["mbox_copies"] = len(self.mails) + len(self.dup_mails)
        self.counts["mbox_duplicates"] = len(self.dup_mails)
        self.counts["mbox_bulk"] = n_bulk

    # ---- writing

    def padding_lines(self) -> list[str]:
        if not self.body_bytes:
            return []
        blob = base64.b64encode(self.rng.randbytes(57 * 1024)).decode("ascii")
        return [blob[i : i + 76] for i in range(0, len(blob), 76)]

    def render_mail(self, m: _Mail, pad: list[str], pad_at: int) -> str:
        head = [
            f"From {m.gid}@xxx {_from_line_date(m.instant)}",
            f"X-GM-THRID: {m.thrid}",
            f"X-Gmail-Labels: {_labels(m.labels)}",
        ]
        head += [e for e in m.extra if e.startswith("Delivered-To")]
        head += ["MIME-Version: 1.0", f"Date: {_date_header(m.instant, m.zone)}"]
        head.append(f"Message-ID: {m.msgid}")
        if m.in_reply_to:
            head.append(f"In-Reply-To: {m.in_reply_to}")
            head.append(_fold("References", m.references, sep=""))
        head.append(f"Subject: {m.subject}")
        head.append(f"From: {m.from_hdr}")
        head.append(_fold("To", [a for _, a in m.to]))
        if m.cc:
            head.append(_fold("Cc", [a for _, a in m.cc]))
        if m.bcc:
            head.append(_fold("Bcc", [a for _, a in m.bcc]))
        head += [e for e in m.extra if not e.startswith("Delivered-To")]
        head.append('Content-Type: text/plain; charset="UTF-8"')
        head.append("Content-Transfer-Encoding: 7bit")
        body = m.body
        if pad:
            need = (self.body_bytes + 77) // 78
            lines = [pad[(pad_at + i) % len(pad)] for i in range(need)]
            body += "\r\n\r\n" + "\r\n".join(lines)
        return "\r\n".join(head) + "\r\n\r\n" + body + "\r\n\r\n"

    def write(self, out: Path) -> GeneratedNetwork:
        li_dir, mail_dir = out / "linkedin", out / "mail"
        li_dir.mkdir(parents=True, exist_ok=True)
        mail_dir.mkdir(parents=True, exist_ok=True)

        def put(path: Path, text: str) -> None:
            path.write_bytes(text.encode("utf-8"))

        conn = "Notes:\n" + NOTES_SENTENCE + "\n\n"
        conn += _csv_text([CONNECTIONS_HEADER] + [r for _, _, r in self.conn_rows], False)
        put(li_dir / "Connections.csv", conn)
        put(li_dir / "messages.csv", _csv_text([MESSAGES_HEADER] + self.li_rows))
        put(
            li_dir / "Invitations.csv",
            _csv_text([INVITATIONS_HEADER] + [r for _, r in self.inv_rows]),
        )
        o = self.owner
        profile = [
            o.first,
            o.last,
            "",
            "",
            "Mar 7",
            "Data Lead, relationship nerd",
            "I build small, local-first tools.\nOpinions are my own.",
            "Software Development",
            "",
            "Example City",
            "",
            f"[PORTFOLIO:{o.company[1]}]",
            "",
        ]
        self.note("name", o.name, "owner")
        put(li_dir / "Profile.csv", _csv_text([PROFILE_HEADER, profile]))
        updated = _us_datetime(self.start + 30 * DAY)
        rows = [
            [e, "Yes", "Yes" if i == 0 else "No", updated] for i, e in enumerate(self.owner_emails)
        ]
        for e in self.owner_emails:
            self.note("email", e, "owner")
        put(li_dir / "Email Addresses.csv", _csv_text([EMAIL_ADDRESSES_HEADER] + rows, False))

        pad = self.padding_lines()
        mbox_path = mail_dir / "takeout.mbox"
        with mbox_path.open("wb") as fh:
            for i, m in enumerate(self.mails + self.dup_mails):
                fh.write(self.render_mail(m, pad, i * 7).encode("utf-8"))

        truth_rows = sorted(self.identities)
        truth = _csv_text([["kind", "value", "truth_person_id"]] + [list(r) for r in truth_rows])
        put(out / "truth.csv", truth)

        people_rows = [TRUTH_PEOPLE_HEADER]
        for p in self.persons:
            t = self.tally.get(p.pid)
            if t is None:
                continue
            last_day = datetime.fromtimestamp(t[1], UTC).date()
            people_rows.append(
                [
                    p.pid,
                    p.name,
                    _iso(t[0]),
                    _iso(t[1]),
                    _iso(t[2]),
                    _iso(t[3]),
                    str((self.as_of - last_day).days),
                    str(t[4]),
                    str(t[5]),
                ]
            )
        put(out / "truth_people.csv", _csv_text(people_rows))

        self.counts["people"] = self.n
        self.counts["truth_people"] = len(people_rows) - 1
        self.counts["identities"] = len(truth_rows)
        self.counts["sent_total"] = sum(t[4] for t in self.tally.values())
        self.counts["received_total"] = sum(t[5] for t in self.tally.values())
        meta = {
            "seed": self.seed,
            "people": self.n,
            "noise": self.noise,
            "as_of": self.as_of.isoformat(),
            "body_bytes": self.body_bytes,
            "owner_emails": list(self.owner_emails),
            "owner_linkedin_url": _canonical_url(self.owner.slug or ""),
            "owner_name": self.owner.name,
            "counts": dict(sorted(self.counts.items())),
        }
        put(out / "truth_meta.json", json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
        return GeneratedNetwork(
            out=out,
            linkedin_dir=li_dir,
            mbox_path=mbox_path,
            truth_path=out / "truth.csv",
            truth_people_path=out / "truth_people.csv",
            meta_path=out / "truth_meta.json",
            people=self.n,
            truth_people=self.counts["truth_people"],
            counts=dict(sorted(self.counts.items())),
        )


def generate(
    people: int,
    seed: int,
    out: Path,
    noise: float = 0.3,
    as_of: date = date(2026, 11, 1),
    body_bytes: int = 0,
) -> GeneratedNetwork:
    """Invent an owner and `people` contacts; write their exports and the truth under `out`.

    Deterministic for (people, seed, noise, as_of, body_bytes). `noise` in [0, 1] scales the
    identity noise (missing Connections e-mails, extra addresses, name variants, shared
    names); at 0 every person is linkable by exact keys. `body_bytes` adds that many bytes
    of base64-looking padding to every mbox body (for benchmarks).
    """
    if people < 0:
        raise ValueError("people must be >= 0")
    builder = _Builder(people, seed, noise, as_of, body_bytes)
    builder.make_people()
    builder.make_linkedin()
    builder.make_mail()
    return builder.write(Path(out))
