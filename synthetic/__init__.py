"""A synthetic relationship network: a LinkedIn export, a Gmail Takeout mbox and the truth.

Not a pipeline step: a test oracle and a demo tool (`kith generate`). `generate(people,
seed, out)` invents an owner and `people` contacts, writes what their exchanges would look
like in the two sources and, next to them, the answers a correct warehouse must reproduce:

    out/linkedin/Connections.csv, messages.csv, Invitations.csv, Profile.csv,
                 Email Addresses.csv
    out/mail/takeout.mbox
    out/truth.csv, truth_people.csv, truth_meta.json

Modules, in the order generate() runs them:

    frame.py              parameters, time span, the one random source
    vocabulary.py         invented names, companies, subjects and texts
    naming.py             unique names, addresses, slugs; display-name variants
    people.py             step 1: the owner and contacts, their identities and noise
    linkedin_activity.py  step 2: LinkedIn messages, connections, invitations
    mail_threads.py       step 3: personal e-mail threads ...
    mail_activity.py      ... with Cc-only people, bulk mail, second copies
    mail_records.py       the mbox's records, ids and per-header mailboxes
    linkedin.py           writer: the five LinkedIn CSV files
    mail.py               writer: the mbox (and its padding)
    encoding.py           CSV text, date formats, RFC 2047/5322 header syntax
    truth.py              counting rules and the three truth files
    network.py            generate() and GeneratedNetwork

Where to add: identity noise of one person (nicknames, transliterations, initials-only
names, credentials, emoji) in naming.py; kinds of people and how they know the owner
(several addresses under one name, namesakes, job changes) in people.py; a new source
(a calendar's .ics, an address book's .vcf) as a `<source>_activity.py` step plus a writer
beside linkedin.py and mail.py, its identities and counting rules in truth.py. A new draw
anywhere changes the files every seed writes after it: regenerate data/sample on purpose.

Everything is a pure function of (people, seed, noise, as_of, body_bytes). Names,
companies, addresses and texts are invented; domains are example.com/.org/.net (and
sub-domains) plus gmail.com.
"""

from synthetic.network import GeneratedNetwork, generate

__all__ = ["GeneratedNetwork", "generate"]
