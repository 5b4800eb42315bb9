"""synthetic/people.py: at noise 0 every person is linkable by exact keys."""

from __future__ import annotations

from collections import defaultdict

from synthetic import generate
from tests.synthetic.readers import canonical_url, connections, read_truth


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
