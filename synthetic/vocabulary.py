"""The invented world the generator draws from: names, companies, positions and texts.

Every value here is made up. Domains are example.com/.org/.net (and sub-domains) plus
gmail.com, so a generated network can be shared, committed and shown without exposing
anyone. The lists are drawn from in a fixed order by one `random.Random`; reordering or
extending a list changes every file a seed writes, so add at the end and regenerate
data/sample on purpose.
"""

from __future__ import annotations

# -- people: names (Latin script, some accented), and a few in other scripts -------------

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
# Emoji some people put in their display names.
EMOJI = ["🚀", "🌱", "✨", "🌐"]
# Given name -> the short form friends and mail clients use.
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

# -- where people work -----------------------------------------------------------------

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
# Personal mailboxes: mostly Gmail (whose dots and +tags make address variants).
PERSONAL_DOMAINS = ["gmail.com"] * 6 + ["mail.example.net", "post.example.org"]
# Connections.csv Position: blanks and a quoted word are what exports contain.
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

# -- what people write about ----------------------------------------------------------

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
# E-mail subjects; {company} and {topic} are filled per thread.
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
# Lines of a personal e-mail body.
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
# LinkedIn message texts: multi-line, quoted, emoji-only and one-character ones occur.
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
# Sponsored InMail arrives as HTML with unfilled placeholders.
SPONSORED_TEXTS = [
    '<p class="spinmail-quill-editor__spin-break">Hi %FIRSTNAME%, discover the new '
    "Example Cloud analytics suite &amp; save 20%.</p>",
    '<p class="spinmail-quill-editor__spin-break">%FIRSTNAME%, are you hiring? '
    "Post a job on Example Jobs today.</p>",
]
# Most invitations carry no note.
INVITATION_NOTES = [
    "",
    "",
    "",
    "Hi {first}, we talked about {topic} at the meetup, would be great to connect.",
    "Enjoyed your talk, let's keep in touch!",
]

# -- mail nobody wrote by hand ----------------------------------------------------------

# Bulk / automated senders: (display name, address, List-Id or None, kind), kind being
# the Gmail category (promo -> Promotions, updates -> Updates).
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
# Every bulk body (CRLF, like every line of the Takeout mbox).
BULK_BODY = "You are receiving this because you subscribed.\r\nUnsubscribe at any time."
# Subjects per kind.
BULK_SUBJECTS = {
    "promo": ["This week: 5 reads on {topic}", "Your October digest", "20% off, today only"],
    "updates": ["Your invoice is ready", "Security alert", "You have 3 new notifications"],
}
# Gmail user labels; quoted when they contain a comma, as X-Gmail-Labels writes them.
RECEIVED_USER_LABELS = ['"Friends, family"', "Projects/Kith", '"Clients, 2024"', "Follow up"]
# Time zones the senders' Date headers are written in.
ZONES = [0, 0, -300, 60, 330, -480, 120]  # minutes east of UTC

# -- calendars ------------------------------------------------------------------------------

# A calendar's X-WR-TIMEZONE: zones with daylight saving, so that series cross its changes.
CALENDAR_ZONES = ["America/New_York", "Europe/Berlin", "Europe/London", "America/Los_Angeles"]
# (name, address) and CUTYPE of rooms and resources invited as guests.
ROOMS = [
    (("Board room", "board.room@rooms.example.com"), "ROOM"),
    (("HQ-3-Atlas (8)", "c_1882a3b4c5d6@resource.calendar.google.com"), "RESOURCE"),
    (("Projector", "projector@rooms.example.com"), "RESOURCE"),
]
# Note-takers that join meetings like a guest, as they name themselves.
MEETING_BOTS = [
    ("Fireflies.ai Notetaker", "fred@fireflies.ai"),
    ("Otter.ai", "otter@otter.ai"),
    ("Read.ai meeting notes", "notes@read.ai"),
]
