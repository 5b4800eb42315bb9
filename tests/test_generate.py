"""The synthetic network generator: file shapes, determinism, and a truth that the
counting rules, re-applied here to the written files with the stdlib only, reproduce."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import time
from collections import defaultdict
from datetime import UTC, date, datetime
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote

import pytest

from transforms.generate import generate

FROM_LINE = re.compile(
    rb"^From (\d+)@xxx [A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \+0000 \d{4}$"
)
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


# -- readers used by the tests (stdlib only, independent of the generator) -----------------


def canonical_url(url: str) -> str:
    return unquote(url).lower()


def read_truth(out: Path) -> list[dict[str, str]]:
    with (out / "truth.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def truth_maps(out: Path) -> dict[str, dict[str, str]]:
    maps: dict[str, dict[str, str]] = {"email": {}, "linkedin_url": {}}
    for row in read_truth(out):
        if row["kind"] in maps:
            value = row["value"]
            assert value not in maps[row["kind"]], f"{value} maps to two people"
            maps[row["kind"]][value] = row["truth_person_id"]
    return maps


def connections(out: Path) -> list[dict[str, str]]:
    text = (out / "linkedin" / "Connections.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    return list(csv.DictReader(io.StringIO("\n".join(lines[start:]))))


def linkedin_messages(out: Path) -> list[dict[str, str]]:
    with (out / "linkedin" / "messages.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def invitations(out: Path) -> list[dict[str, str]]:
    with (out / "linkedin" / "Invitations.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def mbox_messages(out: Path) -> list:
    """Every message copy's header block, parsed with the email package."""
    data = (out / "mail" / "takeout.mbox").read_bytes()
    parser = BytesHeaderParser(policy=compat32)
    messages = []
    for chunk in re.split(rb"\r\n(?=From \d+@xxx )", data):
        first, _, rest = chunk.partition(b"\r\n")
        assert FROM_LINE.match(first), first
        header_block = rest.split(b"\r\n\r\n", 1)[0]
        messages.append(parser.parsebytes(header_block + b"\r\n\r\n"))
    return messages


def addresses(msg, *fields: str) -> list[tuple[str, str]]:
    values = []
    for name in fields:
        values += [str(v) for v in msg.get_all(name) or []]
    out = []
    for display, address in getaddresses(values):
        if address:
            name = str(make_header(decode_header(display))) if display else ""
            out.append((name, address.lower()))
    return out


def is_bulk(msg) -> bool:
    precedence = (msg.get("Precedence") or "").strip().lower()
    return bool(msg.get("List-Id") or msg.get("List-Unsubscribe") or precedence in {"bulk", "list"})


def epoch(dt: datetime) -> int:
    return int(dt.timestamp())


def recompute(out: Path) -> dict[str, dict[str, object]]:
    """Apply the counting rules to the written files; return truth_people-shaped rows."""
    meta = json.loads((out / "truth_meta.json").read_text(encoding="utf-8"))
    owner_emails = {e.lower() for e in meta["owner_emails"]}
    owner_url = meta["owner_linkedin_url"]
    maps = truth_maps(out)
    as_of = date.fromisoformat(meta["as_of"])
    events: dict[str, list[tuple[int, str]]] = defaultdict(list)

    seen: set[str] = set()
    for msg in mbox_messages(out):
        msgid = msg["Message-ID"].strip()
        if msgid in seen:
            continue
        seen.add(msgid)
        if is_bulk(msg):
            continue
        ts = epoch(parsedate_to_datetime(msg["Date"]))
        sender = addresses(msg, "From")[0][1]
        if sender in owner_emails:
            recipients = {
                maps["email"][a]
                for _, a in addresses(msg, "To", "Cc", "Bcc")
                if a not in owner_emails
            }
            for pid in recipients:
                events[pid].append((ts, "sent"))
        elif any(a in owner_emails for _, a in addresses(msg, "To", "Cc")):
            events[maps["email"][sender]].append((ts, "received"))

    for row in linkedin_messages(out):
        if row["CONVERSATION TITLE"] == "Sponsored Conversation" or not row["SENDER PROFILE URL"]:
            continue
        when = datetime.strptime(row["DATE"], "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC)
        sender = canonical_url(row["SENDER PROFILE URL"])
        if sender == owner_url:
            for url in row["RECIPIENT PROFILE URLS"].split(","):
                events[maps["linkedin_url"][canonical_url(url)]].append((epoch(when), "sent"))
        else:
            events[maps["linkedin_url"][sender]].append((epoch(when), "received"))

    for row in connections(out):
        if not row["URL"]:
            continue
        day = datetime.strptime(row["Connected On"], "%d %b %Y").replace(tzinfo=UTC)
        events[maps["linkedin_url"][canonical_url(row["URL"])]].append((epoch(day), ""))

    for row in invitations(out):
        when = datetime.strptime(row["Sent At"], "%m/%d/%y, %I:%M %p").replace(tzinfo=UTC)
        urls = {canonical_url(row["inviterProfileUrl"]), canonical_url(row["inviteeProfileUrl"])}
        (other,) = urls - {owner_url}
        events[maps["linkedin_url"][other]].append((epoch(when), ""))

    def iso(ts: int | None) -> str:
        return "" if ts is None else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    result = {}
    for pid, evs in events.items():
        stamps = [t for t, _ in evs]
        sent = [t for t, d in evs if d == "sent"]
        received = [t for t, d in evs if d == "received"]
        last = max(stamps)
        result[pid] = {
            "first_contact_at": iso(min(stamps)),
            "last_contact_at": iso(last),
            "last_sent_at": iso(max(sent) if sent else None),
            "last_received_at": iso(max(received) if received else None),
            "days_since_last_contact": str((as_of - datetime.fromtimestamp(last, UTC).date()).days),
            "sent_count": str(len(sent)),
            "received_count": str(len(received)),
        }
    return result


def truth_people(out: Path) -> dict[str, dict[str, str]]:
    with (out / "truth_people.csv").open(encoding="utf-8", newline="") as fh:
        return {row.pop("truth_person_id"): row for row in csv.DictReader(fh)}


def digest(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(people=150, seed=7, out=out, noise=0.3)
    return out


# -- tests ----------------------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_differs(tmp_path, sample):
    again = generate(people=150, seed=7, out=tmp_path / "again", noise=0.3)
    assert digest(sample) == digest(again.out)
    assert len(digest(sample)) == 9
    other = generate(people=150, seed=8, out=tmp_path / "other", noise=0.3)
    differing = {k for k, v in digest(other.out).items() if digest(sample)[k] != v}
    assert {"linkedin/Connections.csv", "mail/takeout.mbox", "truth.csv"} <= differing


def test_result_lists_every_file(sample, tmp_path):
    result = generate(people=20, seed=2, out=tmp_path, noise=0.3)
    assert all(p.is_file() for p in result.files())
    assert {str(p.relative_to(tmp_path)) for p in result.files()} == set(digest(tmp_path))
    assert result.truth_people == len(truth_people(tmp_path))


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


def test_mbox_shape(sample):
    data = (sample / "mail" / "takeout.mbox").read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")  # CRLF only
    messages = mbox_messages(sample)
    ids = [m["Message-ID"] for m in messages]
    assert len(set(ids)) < len(ids)  # some duplicate copies
    for m in messages:
        assert m["X-GM-THRID"].isdigit() and m["X-Gmail-Labels"]
        assert parsedate_to_datetime(m["Date"]).tzinfo is not None
    zones = {m["Date"].rsplit(" ", 1)[1] for m in messages}
    assert {"+0000", "-0500", "+0100", "+0530"} <= zones
    assert any(m["In-Reply-To"] and m["In-Reply-To"] in (m["References"] or "") for m in messages)
    assert any("=?UTF-8?Q?" in (m["From"] or "") + (m["To"] or "") for m in messages)
    assert any(m.get("Bcc") for m in messages)
    assert any('"' in m["X-Gmail-Labels"] for m in messages)
    bulk = [m for m in messages if is_bulk(m)]
    assert bulk and all(
        "Category Promotions" in m["X-Gmail-Labels"] or "Category Updates" in m["X-Gmail-Labels"]
        for m in bulk
    )


def test_truth_covers_every_identity_in_the_data(sample):
    truth = read_truth(sample)
    by_kind: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in truth:
        by_kind[row["kind"]][row["value"]].add(row["truth_person_id"])
    meta = json.loads((sample / "truth_meta.json").read_text(encoding="utf-8"))
    for e in meta["owner_emails"]:
        assert by_kind["email"][e] == {"owner"}
    assert by_kind["linkedin_url"][meta["owner_linkedin_url"]] == {"owner"}

    bulk_senders = set()
    for msg in mbox_messages(sample):
        for name, address in addresses(msg, "From", "To", "Cc", "Bcc"):
            assert address in by_kind["email"], address
            if name:
                assert " ".join(name.split()) in by_kind["name"], name
        if is_bulk(msg):
            bulk_senders.add(addresses(msg, "From")[0][1])
    assert bulk_senders and all(by_kind["email"][a] == {""} for a in bulk_senders)

    urls = [r["URL"] for r in connections(sample) if r["URL"]]
    for r in linkedin_messages(sample):
        urls.append(r["SENDER PROFILE URL"])
        urls += r["RECIPIENT PROFILE URLS"].split(",")
    for r in invitations(sample):
        urls += [r["inviterProfileUrl"], r["inviteeProfileUrl"]]
    for url in filter(None, urls):
        ids = by_kind["linkedin_url"][canonical_url(url)]
        assert ids and "" not in ids, url
    for r in connections(sample):
        if r["Email Address"]:
            assert r["Email Address"].lower() in by_kind["email"]
    # hard negatives: some full names belong to two different people
    assert any(len(ids - {""}) > 1 for ids in by_kind["name"].values())
    # every truth person id in truth_people has at least one identity
    people_ids = {row["truth_person_id"] for row in truth}
    assert set(truth_people(sample)) <= people_ids


@pytest.mark.parametrize(("people", "seed", "noise"), [(5, 1, 0.0), (40, 11, 0.0), (120, 3, 0.7)])
def test_counts_recomputed_from_files_match_truth(tmp_path, people, seed, noise):
    generate(people=people, seed=seed, out=tmp_path, noise=noise)
    expected = truth_people(tmp_path)
    got = recompute(tmp_path)
    assert set(got) == set(expected)
    for pid, row in expected.items():
        assert {k: v for k, v in row.items() if k != "display_name"} == got[pid], pid
    assert any(int(r["sent_count"]) > 0 for r in expected.values())
    assert any(int(r["received_count"]) > 0 for r in expected.values())


def test_events_strictly_before_as_of(sample):
    rows = truth_people(sample)
    assert rows
    for row in rows.values():
        assert row["last_contact_at"] < "2026-11-01T00:00:00Z"
        assert row["first_contact_at"] >= "2020-01-01T00:00:00Z"
        assert int(row["days_since_last_contact"]) >= 1


def test_noise_zero_is_linkable_by_exact_keys(tmp_path):
    generate(people=300, seed=5, out=tmp_path, noise=0.0)
    truth = read_truth(tmp_path)
    emails: dict[str, set[str]] = defaultdict(set)
    urls: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    for row in truth:
        pid = row["truth_person_id"]
        if pid in {"", "owner"}:
            continue
        {"email": emails, "linkedin_url": urls, "name": names}[row["kind"]][pid].add(row["value"])
    assert all(len(v) == 1 for v in emails.values())
    assert all(len(v) == 1 for v in urls.values())
    assert all(len(v) == 1 for v in names.values())  # one spelling per person
    spelled = [next(iter(v)) for v in names.values()]
    assert len(spelled) == len(set(spelled))  # no two people share a name
    conn_email = {
        canonical_url(r["URL"]): r["Email Address"].lower()
        for r in connections(tmp_path)
        if r["URL"]
    }
    both = set(emails) & set(urls)
    assert both
    for pid in both:
        (url,) = urls[pid]
        assert conn_email.get(url) == next(iter(emails[pid])), pid


def test_body_bytes_pads_messages(tmp_path):
    small = generate(people=10, seed=4, out=tmp_path / "a", noise=0.3)
    big = generate(people=10, seed=4, out=tmp_path / "b", noise=0.3, body_bytes=2000)
    n = small.counts["mbox_copies"]
    grown = big.mbox_path.stat().st_size - small.mbox_path.stat().st_size
    assert grown >= n * 2000
    assert (tmp_path / "a" / "truth.csv").read_bytes() == (
        tmp_path / "b" / "truth.csv"
    ).read_bytes()


def test_twenty_thousand_people(tmp_path):
    started = time.perf_counter()
    result = generate(people=20_000, seed=1, out=tmp_path, noise=0.3)
    assert time.perf_counter() - started < 30
    assert result.people == 20_000
    assert result.truth_people > 15_000
    assert result.counts["mbox_messages"] > 20_000
