"""synthetic/linkedin.py: the LinkedIn export files have the real exports' shape."""

from __future__ import annotations

import json
import re
from datetime import datetime

from tests.synthetic.readers import canonical_url, connections, invitations, linkedin_messages

NOTES = (
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"'
)
MESSAGES_HEADER = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER"
)


def test_connections_shape(sample):
    raw = (sample / "linkedin" / "Connections.csv").read_bytes()
    assert not raw.endswith(b"\n") and b"\r" not in raw
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == "Notes:"
    assert lines[1] == NOTES
    assert lines[2] == ""
    assert lines[3] == "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
    rows = connections(sample)
    dates = [datetime.strptime(r["Connected On"], "%d %b %Y") for r in rows]
    assert all(re.fullmatch(r"\d\d [A-Z][a-z]{2} \d{4}", r["Connected On"]) for r in rows)
    assert dates == sorted(dates, reverse=True)  # newest first
    blank = [r for r in rows if not any(v for k, v in r.items() if k != "Connected On")]
    assert blank and len(blank) < len(rows) * 0.1
    assert any(line.startswith(",,,,,,") for line in lines[4:])
    urls = [r["URL"] for r in rows if r["URL"]]
    assert all(u.startswith("https://www.linkedin.com/in/") and u.isascii() for u in urls)
    assert any("%" in u for u in urls)  # percent-encoded non-ASCII slug
    with_email = [r for r in rows if r["Email Address"]]
    assert 0 < len(with_email) < len(rows) - len(blank)


def test_linkedin_messages_and_invitations_shape(sample):
    text = (sample / "linkedin" / "messages.csv").read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == MESSAGES_HEADER
    rows = linkedin_messages(sample)
    meta = json.loads((sample / "truth_meta.json").read_text(encoding="utf-8"))
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", r["DATE"]) for r in rows)
    assert all(re.fullmatch(r"2-[A-Za-z0-9+/]+==", r["CONVERSATION ID"]) for r in rows)
    # grouped by conversation, newest first inside each
    order: list[str] = []
    for r in rows:
        if not order or order[-1] != r["CONVERSATION ID"]:
            assert r["CONVERSATION ID"] not in order
            order.append(r["CONVERSATION ID"])
    for cid in order:
        stamps = [r["DATE"] for r in rows if r["CONVERSATION ID"] == cid]
        assert stamps == sorted(stamps, reverse=True)
    sponsored = [r for r in rows if r["CONVERSATION TITLE"] == "Sponsored Conversation"]
    assert sponsored and all(
        r["FROM"] == "LinkedIn Member" and not r["SENDER PROFILE URL"] for r in sponsored
    )
    owner_rows = [
        r for r in rows if canonical_url(r["SENDER PROFILE URL"]) == meta["owner_linkedin_url"]
    ]
    assert owner_rows and len(owner_rows) < len(rows)
    assert any(len(r["RECIPIENT PROFILE URLS"].split(",")) >= 2 for r in rows)  # group
    assert any("\n" in r["CONTENT"] for r in rows)
    assert any(not r["SENDER PROFILE URL"].isascii() for r in rows)  # raw non-ASCII slug

    raw = (sample / "linkedin" / "Invitations.csv").read_text(encoding="utf-8")
    assert raw.split("\n", 1)[0] == (
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl"
    )
    invs = invitations(sample)
    assert invs and {r["Direction"] for r in invs} <= {"INCOMING", "OUTGOING"}
    for r in invs:
        assert re.fullmatch(r"[1-9]\d?/[1-9]\d?/\d\d, [1-9]\d?:\d\d [AP]M", r["Sent At"])
        assert f'"{r["Sent At"]}"' in raw
        owner_side = (
            r["inviterProfileUrl"] if r["Direction"] == "OUTGOING" else r["inviteeProfileUrl"]
        )
        assert canonical_url(owner_side) == meta["owner_linkedin_url"]
    connected = {canonical_url(r["URL"]) for r in connections(sample)}
    assert not any(
        canonical_url(r["inviteeProfileUrl"]) in connected
        or canonical_url(r["inviterProfileUrl"]) in connected
        for r in invs
    )
