"""synthetic/network.py: determinism, the files generate() reports, and its speed."""

from __future__ import annotations

from synthetic import generate
from tests.synthetic.readers import digest, truth_people


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


def test_twenty_thousand_people(tmp_path):
    # How long it takes is no test's business (a busy host doubles it): it is in
    # benchmarks/bench_resolve.py's figures; here only what it makes.
    result = generate(people=20_000, seed=1, out=tmp_path, noise=0.3)
    assert result.people == 20_000
    assert result.truth_people > 15_000
    assert result.counts["mbox_messages"] > 20_000
