"""Mail readers: mbox files and Takeout archives, .eml files, Maildirs -> staged email rows.

Modules by job, entry points first:
- `mbox`: read_mbox, read_mbox_range / range_cuts (a big file as byte ranges),
  read_mbox_from (an appended tail), looks_like_mbox, is_plain_mbox
- `eml`, `maildir`: single-message files
- `scanner`: From_ lines, where each message and its header block are
- `stream`: one mbox byte stream staged message by message
- `archives`: Gmail Takeout zip / tgz members, read in place
- `staging`: stage_block and StagingBuffer, shared by every reader
- `rows`: MessageRow and ParticipantRow, the staged rows by name
- `headers`: message_row, a header block -> its row (`fastheaders` splits the block);
  its parts: `text`, `addresses`, `dates`, `ids`, `labels`
"""

from transforms.sources.mail.archives import looks_like_mail_archive
from transforms.sources.mail.eml import read_eml
from transforms.sources.mail.headers import parse_header_block
from transforms.sources.mail.maildir import read_maildir
from transforms.sources.mail.mbox import is_plain_mbox, looks_like_mbox, read_mbox, read_mbox_from
from transforms.sources.mail.rows import MessageRow, ParticipantRow

__all__ = [
    "MessageRow",
    "ParticipantRow",
    "is_plain_mbox",
    "looks_like_mail_archive",
    "looks_like_mbox",
    "parse_header_block",
    "read_eml",
    "read_maildir",
    "read_mbox",
    "read_mbox_from",
]
