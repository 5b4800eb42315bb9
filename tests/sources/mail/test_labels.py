"""Gmail labels and folder names. Expected values worked out by hand from the inputs."""

from __future__ import annotations

from transforms.sources.mail.labels import folder_flags, parse_labels


def test_labels_csv_quoted_comma_and_nested():
    assert parse_labels('"Work, 2024",Inbox,Family/Kids') == ["Work, 2024", "Inbox", "Family/Kids"]


def test_labels_encoded_as_a_whole_then_split():
    assert parse_labels("=?UTF-8?Q?=C3=85pnet,Kategori:_Reklame?=") == [
        "Åpnet",
        "Kategori: Reklame",
    ]


def test_labels_empty_entries_and_spaces_dropped():
    assert parse_labels(" Inbox , ,Opened,") == ["Inbox", "Opened"]
    assert parse_labels(None) == []


def test_folder_flags():
    assert folder_flags("Sent Items") == (True, False, False)
    assert folder_flags("[Gmail]/Sent Mail") == (True, False, False)
    assert folder_flags("Drafts") == (False, True, False)
    assert folder_flags("Junk") == (False, False, True)
    assert folder_flags("Inbox") == (False, False, False)
