"""Every staged and core frame's schema, declared once.

Parsers finish with `conform(frame, SCHEMA)`; the warehouse loads staged tables from these
schemas; tests compare DuckDB tables against them. Timestamps are UTC, microseconds.
"""

from __future__ import annotations

import polars as pl

UTC = pl.Datetime("us", "UTC")

# -- staged rows: one schema per stg_ table -------------------------------------------------

# Connections.csv: one row per line of the file (hidden-profile rows included: they carry
# no identity and resolution skips them, but they were read, so they are loaded).
STG_LINKEDIN_CONNECTIONS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,  # "line N" (1-based physical line of the record's start)
        "first_name": pl.String,
        "last_name": pl.String,
        "full_name": pl.String,  # first + last, whitespace collapsed
        "profile_url": pl.String,  # canonical https://www.linkedin.com/in/<slug>, or null
        "email": pl.String,  # as written (normalised later), or null
        "company": pl.String,
        "position": pl.String,
        "connected_at": UTC,  # date-only in the export: 00:00 UTC that day
        # "<connected-on date>|<name folded>" ("#2" after a second such row of one file): the
        # row's identity when it has no URL and no e-mail; null for a hidden row
        "connection_key": pl.String,
    }
)

# messages.csv: one row per message. Participants other than the sender are listed by URL
# (RECIPIENT PROFILE URLS) and by raw TO names, which cannot be split reliably.
STG_LINKEDIN_MESSAGES = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,
        "message_key": pl.String,  # hash of conversation, sender, date, row (stable)
        "conversation_id": pl.String,
        "conversation_title": pl.String,
        "from_name": pl.String,
        "from_url": pl.String,  # canonical, or null (LinkedIn Member, system, sponsored)
        "to_names": pl.String,  # raw TO field
        "to_urls": pl.List(pl.String),  # canonical recipient URLs (may be empty)
        "sent_at": UTC,
        "folder": pl.String,
        "direction_hint": pl.String,  # 2018 exports: INCOMING / OUTGOING; else null
        "is_draft": pl.Boolean,
        "is_sponsored": pl.Boolean,  # sponsored / marketing / LinkedIn system sender
        "is_system": pl.Boolean,  # no sender and no recipient (e.g. "Message request accepted")
    }
)

# Invitations.csv
STG_LINKEDIN_INVITATIONS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,
        "from_name": pl.String,
        "to_name": pl.String,
        "sent_at": UTC,
        "direction": pl.String,  # INCOMING / OUTGOING as in the file
        "inviter_url": pl.String,
        "invitee_url": pl.String,
        "inviter_urn": pl.String,  # urn:li:member:<digits> (Jul 2023 exports), or null
        "invitee_urn": pl.String,
    }
)

# The owner's own identities, from Profile.csv, Email Addresses.csv and phone numbers (the
# others come from resolve/owner.py: config, CLI, sent mail, LinkedIn URL evidence).
STG_OWNER_IDENTITIES = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,
        "kind": pl.String,  # email / linkedin_url / name / phone (PhoneNumbers.csv)
        "value": pl.String,  # raw value; normalised by resolve.keys
    }
)

# Email: one row per message copy found (dedupe happens in SQL on message_key).
STG_EMAIL_MESSAGES = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,  # "byte N" for mbox, file path for .eml/Maildir
        "message_key": pl.String,  # normalised Message-ID, else a stable header hash
        "message_id": pl.String,  # as found (angle brackets stripped), or null
        "sent_at": UTC,
        "date_source": pl.String,  # header / from_line / received / delivery (Maildir) / mtime
        "from_addr": pl.String,  # normalised address of From (or Sender), or null
        "subject": pl.String,  # decoded; stored in the warehouse, never logged
        "thread_key": pl.String,  # X-GM-THRID, else References root, else message_key
        "in_reply_to": pl.String,
        "gmail_labels": pl.List(pl.String),
        "folder": pl.String,  # mailbox / folder name the copy sat in
        "kind": pl.String,  # email / chat
        "is_bulk": pl.Boolean,
        "bulk_reason": pl.String,
        "is_sent_folder": pl.Boolean,  # labelled Sent or in a Sent folder
        "is_draft": pl.Boolean,
        "is_spam": pl.Boolean,
        "is_trash": pl.Boolean,  # labelled Trash (real mail; reports may exclude it)
        "parent_message_id": pl.String,  # In-Reply-To, else last References id (replies)
        "date_tz_unknown": pl.Boolean,  # the Date had no usable offset; UTC assumed
        "gmail_msgid": pl.String,  # Takeout From_ line id (decimal X-GM-MSGID), or null
    }
)

# Email: one row per (message copy x address) in From/Sender/To/Cc/Bcc/Delivered-To.
STG_EMAIL_PARTICIPANTS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,
        "message_key": pl.String,
        "role": pl.String,  # from / sender / to / cc / bcc / delivered_to / reply_to
        "address": pl.String,  # validated, lower-cased address
        "display_name": pl.String,  # decoded display name, or null
    }
)

# Endorsement_Received_Info.csv / Endorsement_Given_Info.csv: one row per endorsement. The
# other party is named by first/last name and (2022+) a scheme-less public URL.
STG_LINKEDIN_ENDORSEMENTS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,
        "direction": pl.String,  # given (by the owner) / received (by the owner)
        "endorsed_at": UTC,
        "first_name": pl.String,  # the other party (endorsee when given, endorser when received)
        "last_name": pl.String,
        "full_name": pl.String,  # first + last, whitespace collapsed
        "profile_url": pl.String,  # canonical, or null (older exports have no URL column)
        "skill": pl.String,
        "status": pl.String,  # as in the file: ACCEPTED (REJECTED / PENDING reported)
    }
)

# Recommendations_Given.csv / Recommendations_Received.csv (2017-2020: with spaces). The
# recommendation Text is never read into the warehouse: only who, when and where.
STG_LINKEDIN_RECOMMENDATIONS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,
        "direction": pl.String,  # given / received
        "created_at": UTC,
        "first_name": pl.String,  # the other party
        "last_name": pl.String,
        "full_name": pl.String,
        "company": pl.String,
        "job_title": pl.String,
        "status": pl.String,  # VISIBLE / HIDDEN / null
    }
)

# Positions.csv: the owner's own job history (company names hint at the owner's domains).
STG_LINKEDIN_POSITIONS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,
        "company": pl.String,
        "title": pl.String,
        "place": pl.String,  # the file's Location column (renamed: location is the line)
        "started_on": pl.Date,  # "Jan 2024" -> first day of the month
        "finished_on": pl.Date,  # null for the current role
    }
)

# Contacts.csv / ImportedContacts.csv / Imported Contacts.csv: the owner's uploaded address
# book (phone / mail contacts, not necessarily LinkedIn members).
STG_LINKEDIN_CONTACTS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,
        "source": pl.String,  # e.g. MOBILE_CONTACTS (2024+), null in 2018 files
        "first_name": pl.String,
        "last_name": pl.String,
        "full_name": pl.String,  # FullName column, else first + last
        "emails": pl.List(pl.String),  # as written, split on ","; normalised by resolve.keys
        "phones": pl.List(pl.String),
        "created_at": UTC,
    }
)

# Calendars (.ics): one row per VEVENT read (a series, one override of it, a single event).
STG_CALENDAR_EVENTS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,  # "line N" of its BEGIN:VEVENT (archives: "<member> line N")
        "calendar_name": pl.String,  # X-WR-CALNAME, else the file's name without .ics
        "uid": pl.String,  # UID (a hash of file and line when the event has none)
        "recurrence_id": UTC,  # RECURRENCE-ID: the occurrence an override replaces, or null
        "sequence": pl.Int32,  # SEQUENCE (revision), 0 when absent
        "status": pl.String,  # CONFIRMED / TENTATIVE / CANCELLED / null, upper case
        "starts_at": UTC,  # DTSTART (a date: 00:00 UTC)
        "ends_at": UTC,  # DTEND, or null
        "is_all_day": pl.Boolean,  # DTSTART is a date
        "is_recurring": pl.Boolean,  # has RRULE or RDATE
        "modified_at": UTC,  # LAST-MODIFIED, else DTSTAMP: which copy is the latest
        "n_occurrences": pl.Int32,  # occurrences staged (0: no attendee, or none before horizon)
        "time_zone_assumed": pl.Boolean,  # floating time, no calendar zone: UTC assumed
    }
)

# Calendars: one row per occurrence as it finally stands (EXDATEs removed, overrides moved
# or cancelled in place), up to the expansion horizon (transforms/sources/calendar.py).
STG_CALENDAR_OCCURRENCES = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,  # the VEVENT it stands as (an override for a moved one)
        "occurrence_key": pl.String,  # hash of UID + original start: one per occurrence
        "starts_at": UTC,
        "ends_at": UTC,
        "is_all_day": pl.Boolean,
        "time_zone_assumed": pl.Boolean,
    }
)

# Calendars: one row per (VEVENT x ORGANIZER or ATTENDEE) with a usable address.
STG_CALENDAR_ATTENDEES = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,  # the VEVENT's location
        "role": pl.String,  # organizer / attendee
        "address": pl.String,  # validated, lower-cased
        "display_name": pl.String,  # CN, or null (also when CN is only the address)
        "partstat": pl.String,  # ACCEPTED / TENTATIVE / NEEDS-ACTION / DECLINED / ... / null
        "cutype": pl.String,  # INDIVIDUAL / ROOM / RESOURCE / GROUP / null
        "participation_role": pl.String,  # ROLE: CHAIR / REQ-PARTICIPANT / OPT-... / null
        "participant_kind": pl.String,  # person / room / resource / group / calendar / bot
    }
)

# Address books (.vcf): one row per card found (the same card in two groups: two rows).
STG_VCARD_CARDS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,  # "line N" of its BEGIN:VCARD
        "address_book": pl.String,  # the file's name without .vcf (Takeout: the group)
        "card_key": pl.String,  # UID, else a hash of name, addresses and phones
        "version": pl.String,  # 2.1 / 3.0 / 4.0 as written
        "formatted_name": pl.String,  # FN (else N's given + family): the name the user wrote
        "given_name": pl.String,
        "family_name": pl.String,
        "nickname": pl.String,
        "organization": pl.String,  # ORG's first part
        "emails": pl.List(pl.String),  # as written; normalised by resolve.keys
        "phones": pl.List(pl.String),
        "profile_urls": pl.List(pl.String),  # canonical LinkedIn URLs from URL / X-SOCIALPROFILE
    }
)

# Events.csv: events the owner signed up for. Not people: no identity, no interaction.
STG_LINKEDIN_EVENTS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,
        "event_name": pl.String,
        "starts_at": UTC,  # Event Time's range, start and end (no zone given: UTC)
        "ends_at": UTC,
        "status": pl.String,  # APPROVED / RELINQUISHED as in the file
        "external_url": pl.String,
    }
)

# coach_messages.csv, learning_coach_messages.csv, learning_role_play_messages.csv,
# guide_messages.csv: the owner's conversations with LinkedIn's AI assistants. Kept apart
# from stg_linkedin_messages so they make no person and count in no interaction.
STG_LINKEDIN_ASSISTANT_MESSAGES = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,
        "assistant": pl.String,  # coach / learning_coach / learning_role_play / guide
        "conversation_id": pl.String,
        "sent_at": UTC,
        "is_from_owner": pl.Boolean,  # the owner's turn (FROM filled), else the assistant's
    }
)

STAGED: dict[str, pl.Schema] = {
    "stg_linkedin_connections": STG_LINKEDIN_CONNECTIONS,
    "stg_linkedin_messages": STG_LINKEDIN_MESSAGES,
    "stg_linkedin_invitations": STG_LINKEDIN_INVITATIONS,
    "stg_owner_identities": STG_OWNER_IDENTITIES,
    "stg_email_messages": STG_EMAIL_MESSAGES,
    "stg_email_participants": STG_EMAIL_PARTICIPANTS,
    "stg_linkedin_endorsements": STG_LINKEDIN_ENDORSEMENTS,
    "stg_linkedin_recommendations": STG_LINKEDIN_RECOMMENDATIONS,
    "stg_linkedin_positions": STG_LINKEDIN_POSITIONS,
    "stg_linkedin_contacts": STG_LINKEDIN_CONTACTS,
    "stg_calendar_events": STG_CALENDAR_EVENTS,
    "stg_calendar_occurrences": STG_CALENDAR_OCCURRENCES,
    "stg_calendar_attendees": STG_CALENDAR_ATTENDEES,
    "stg_vcard_cards": STG_VCARD_CARDS,
    "stg_linkedin_events": STG_LINKEDIN_EVENTS,
    "stg_linkedin_assistant_messages": STG_LINKEDIN_ASSISTANT_MESSAGES,
}

# -- core: the resolver's output -----------------------------------------------------------

PEOPLE = pl.Schema(
    {
        "person_id": pl.String,
        "display_name": pl.String,
        "is_owner": pl.Boolean,
        "n_identities": pl.Int32,
        "first_seen_at": UTC,
    }
)
PERSON_IDENTITIES = pl.Schema(
    {"person_id": pl.String, "kind": pl.String, "value": pl.String, "n_seen": pl.Int32}
)
MATCH_DECISIONS = pl.Schema(
    {
        "left_kind": pl.String,
        "left_value": pl.String,
        "right_kind": pl.String,
        "right_value": pl.String,
        "rule": pl.String,
        "score": pl.Float64,
        "decision": pl.String,
        "person_id": pl.String,
        "features": pl.String,  # JSON: the evidence behind a fuzzy pair (empty for exact keys)
    }
)
PERSON_ID_HISTORY = pl.Schema(
    {
        "old_person_id": pl.String,
        "new_person_id": pl.String,
        "reason": pl.String,
        "changed_at": UTC,
    }
)

#: The four tables resolution writes, by warehouse table name.
RESOLVED: dict[str, pl.Schema] = {
    "people": PEOPLE,
    "person_identities": PERSON_IDENTITIES,
    "match_decisions": MATCH_DECISIONS,
    "person_id_history": PERSON_ID_HISTORY,
}

# -- bookkeeping: what each run read, loaded and refused ------------------------------------

PIPELINE_RUNS = pl.Schema(
    {
        "run_id": pl.String,
        "started_at": UTC,
        "finished_at": UTC,
        "status": pl.String,  # ok / partial (some file refused whole)
        "as_of": pl.Date,
        "n_files": pl.Int64,
        "rows_in": pl.Int64,
        "rows_loaded": pl.Int64,
        "rows_rejected": pl.Int64,
        "n_people": pl.Int64,
        "n_interactions": pl.Int64,
        "duration_s": pl.Float64,
    }
)

# One row per file a run saw; the parse step reports these columns but run_id.
FILE_STATS = pl.Schema(
    {
        "source_file": pl.String,
        "kind": pl.String,
        "rows_in": pl.Int64,
        "rows_loaded": pl.Int64,
        "rows_rejected": pl.Int64,
        "skipped_reason": pl.String,
        "note": pl.String,  # what the reader says of a file it read (never a name)
        "parse_seconds": pl.Float64,
        "is_cached": pl.Boolean,  # staged output reused: the file was unchanged
    }
)
PIPELINE_FILE_STATS = pl.Schema({"run_id": pl.String, **FILE_STATS})

# The run's parameters, one row: every mart reads its as-of date from here.
RUN_PARAMS = pl.Schema(
    {
        "run_id": pl.String,
        "as_of": pl.Date,
        "as_of_end": UTC,  # as_of + 1 day, 00:00 UTC: windows end here
        "started_at": UTC,
    }
)

# -- rejects --------------------------------------------------------------------------------

REJECTS = pl.Schema(
    {
        "source_file": pl.String,
        "location": pl.String,  # line N / byte N / Message-ID / "file"
        "reason": pl.String,  # what was wrong; may quote the raw value of a date, never a name
    }
)


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Select the schema's columns in order and cast; missing columns become nulls."""
    cols = []
    for name, dtype in schema.items():
        if name in frame.columns:
            cols.append(pl.col(name).cast(dtype))
        else:
            cols.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(cols) if frame.width else pl.DataFrame(schema=schema).select(cols)


def empty(schema: pl.Schema) -> pl.DataFrame:
    """A zero-row frame of the schema."""
    return pl.DataFrame(schema=schema)
