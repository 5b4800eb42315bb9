"""The loop every reader shares (table.py): whatever the text, no reader raises and every
file balances (rows_in == rows_loaded + rows_rejected)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sources.linkedin.support import IN
from transforms.sources.linkedin.connections import read_connections
from transforms.sources.linkedin.contacts import read_contacts
from transforms.sources.linkedin.favours import (
    read_endorsements_given,
    read_endorsements_received,
    read_recommendations_given,
    read_recommendations_received,
)
from transforms.sources.linkedin.invitations import read_invitations
from transforms.sources.linkedin.messages import read_messages
from transforms.sources.linkedin.owner import read_email_addresses, read_phone_numbers, read_profile
from transforms.sources.linkedin.positions import read_positions

_HEADERS = {
    read_connections: "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    read_messages: "CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,"
    "CONTENT\n",
    read_invitations: "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n",
    read_profile: "First Name,Last Name\n",
    read_email_addresses: "Email Address,Confirmed\n",
    read_phone_numbers: "Extension,Number,Type\n",
    read_endorsements_given: "Endorsement Date,Skill Name,Endorsee First Name,"
    "Endorsee Last Name,Endorsee Public Url,Endorsement Status\n",
    read_endorsements_received: "Endorsement Date,Skill Name,Endorser First Name,"
    "Endorser Last Name,Endorser Public Url,Endorsement Status\n",
    read_recommendations_given: "First Name,Last Name,Company,Job Title,Text,Creation Date,"
    "Status\n",
    read_recommendations_received: "First Name,Last Name,Company,Job Title,Text,Creation Date,"
    "Status\n",
    read_positions: "Company Name,Title,Description,Location,Started On,Finished On\n",
    read_contacts: "Source,FirstName,LastName,Emails,PhoneNumbers,CreatedAt,FullName\n",
}


_TOKENS = list(',"\n\r \tAb1/:é🌐\x00\ufeff') + [
    "05 Feb 2014",
    "1/8/18, 6:14 PM",
    "2022/04/01 11:05:54 UTC",
    "Jan 2024",
    "a@example.com, b@example.org",
    IN + "x",
]


_CSVISH = st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(st.text(), _CSVISH), with_header=st.booleans())
def test_readers_never_raise_and_balance(body, with_header):
    for reader, header in _HEADERS.items():
        parsed = reader((header if with_header else "") + body, "/t/prop.csv")
        assert parsed.rows_in == parsed.rows_loaded + parsed.rows_rejected
