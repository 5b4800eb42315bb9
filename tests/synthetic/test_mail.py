"""synthetic/mail.py: the mbox has Takeout's shape; body_bytes pads bodies and nothing else."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from synthetic import generate
from tests.synthetic.readers import is_bulk, mbox_messages


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


def test_body_bytes_pads_messages(tmp_path):
    small = generate(people=10, seed=4, out=tmp_path / "a", noise=0.3)
    big = generate(people=10, seed=4, out=tmp_path / "b", noise=0.3, body_bytes=2000)
    n = small.counts["mbox_copies"]
    grown = big.mbox_path.stat().st_size - small.mbox_path.stat().st_size
    assert grown >= n * 2000
    assert (tmp_path / "a" / "truth.csv").read_bytes() == (
        tmp_path / "b" / "truth.csv"
    ).read_bytes()
