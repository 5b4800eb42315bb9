"""LinkedIn "Get a copy of your data" export (zip or folder) → staged frames.

Only a face: which files are read, and by what, is registry.py; each family of files has
its reader module. Code outside the package imports from here.
"""

from transforms.sources.linkedin.archive import looks_like_linkedin_export, normalise_file_name
from transforms.sources.linkedin.connections import read_connections
from transforms.sources.linkedin.contacts import read_contacts
from transforms.sources.linkedin.csv_text import decode_bytes
from transforms.sources.linkedin.dates import parse_linkedin_datetime, parse_month
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
from transforms.sources.linkedin.registry import (
    EXPECTED,
    IGNORED,
    MISSING,
    READERS,
    Reader,
    missing_files,
    read_linkedin_export,
)

__all__ = ["read_linkedin_export", "looks_like_linkedin_export"]  # what the pipeline calls
__all__ += ["EXPECTED", "IGNORED", "MISSING", "READERS", "Reader", "missing_files"]
__all__ += ["decode_bytes", "normalise_file_name", "parse_linkedin_datetime", "parse_month"]
__all__ += ["read_connections", "read_messages", "read_invitations", "read_positions"]
__all__ += ["read_profile", "read_email_addresses", "read_phone_numbers", "read_contacts"]
__all__ += ["read_endorsements_given", "read_endorsements_received"]
__all__ += ["read_recommendations_given", "read_recommendations_received"]
