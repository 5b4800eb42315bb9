"""The LinkedIn export writer: the five CSV files of a "Get a copy of your data" archive,
shaped like the real ones.

    Connections.csv       a "Notes:" preamble, then rows newest first, no final newline;
                          the URL's slug percent-encoded
    messages.csv          UPPER CASE headers, conversations newest first; slugs raw
    Invitations.csv       Sent At as `M/D/YY, h:mm AM`
    Profile.csv           the owner
    Email Addresses.csv   the owner's addresses, no final newline

Everything written comes from the records of linkedin_activity.py and people.py; this
module draws nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from synthetic.encoding import csv_text, day_month_year, us_datetime, utc_stamp, write_text
from synthetic.frame import DAY, Frame
from synthetic.linkedin_activity import Connection, Invitation, LinkedInActivity
from synthetic.people import LINKEDIN_PREFIX, Cast

FILES = [
    "Connections.csv",
    "messages.csv",
    "Invitations.csv",
    "Profile.csv",
    "Email Addresses.csv",
]
NOTES_SENTENCE = (
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"'
)


def _header(line: str) -> list[str]:
    """Column names, given as the header line the export writes (no field needs quotes)."""
    return line.split(",")


CONNECTIONS_HEADER = _header("First Name,Last Name,URL,Email Address,Company,Position,Connected On")
MESSAGES_HEADER = _header(
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER"
)
INVITATIONS_HEADER = _header(
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl"
)
PROFILE_HEADER = _header(
    "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
    "Geo Location,Twitter Handles,Websites,Instant Messengers"
)
EMAIL_ADDRESSES_HEADER = _header("Email Address,Confirmed,Primary,Updated On")


def write_linkedin(folder: Path, frame: Frame, cast: Cast, activity: LinkedInActivity) -> None:
    """Write the five export files into `folder` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    connections = [CONNECTIONS_HEADER] + [_connection_row(c) for c in activity.connections]
    write_text(
        folder / "Connections.csv",
        "Notes:\n" + NOTES_SENTENCE + "\n\n" + csv_text(connections, trailing_newline=False),
    )
    write_text(folder / "messages.csv", csv_text([MESSAGES_HEADER] + _message_rows(activity)))
    invitations = [_invitation_row(cast, i) for i in activity.invitations]
    write_text(folder / "Invitations.csv", csv_text([INVITATIONS_HEADER] + invitations))
    write_text(folder / "Profile.csv", csv_text([PROFILE_HEADER, _profile_row(cast)]))
    updated = us_datetime(frame.start + 30 * DAY)
    addresses = [
        [e, "Yes", "Yes" if i == 0 else "No", updated] for i, e in enumerate(cast.owner_emails)
    ]
    write_text(
        folder / "Email Addresses.csv",
        csv_text([EMAIL_ADDRESSES_HEADER] + addresses, trailing_newline=False),
    )


def _connection_row(c: Connection) -> list[str]:
    when = day_month_year(datetime.fromtimestamp(c.day, UTC).date())
    p = c.person
    if p is None:  # the member hides everything but the date
        return ["", "", "", "", "", "", when]
    url = LINKEDIN_PREFIX + quote(p.slug or "", safe="-")
    return [p.conn_first, p.conn_last, url, p.conn_email or "", p.company[0], p.position, when]


def _message_rows(activity: LinkedInActivity) -> list[list[str]]:
    rows = []
    for c in activity.conversations:
        for m in c.messages:
            rows.append(
                [
                    c.conversation_id,
                    c.title,
                    m.sender.name,
                    m.sender.url,
                    ",".join(r.name for r in m.recipients),
                    ",".join(r.url for r in m.recipients),
                    utc_stamp(m.at),
                    m.subject,
                    m.text,
                    m.folder,
                ]
            )
    return rows


def _invitation_row(cast: Cast, i: Invitation) -> list[str]:
    owner, p = cast.owner, i.person
    sent = us_datetime(i.at)
    if i.outgoing:
        return [owner.name, p.li_name, sent, i.note, "OUTGOING", owner.profile_url, p.profile_url]
    return [p.li_name, owner.name, sent, i.note, "INCOMING", p.profile_url, owner.profile_url]


def _profile_row(cast: Cast) -> list[str]:
    o = cast.owner
    return [
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
