"""Identity resolution benchmark: kith's resolver against Splink on generated networks.

For each (N, seed) a network is generated (`synthetic.generate`, noise 0.3-0.5), parsed
with the real readers, and resolved by `resolve()` directly (no Prefect). Pairwise
precision, recall and F1 of the identity -> person clustering (e-mail and LinkedIn URL
identities) are computed against truth.csv; identities with no true person (bulk senders)
count as singletons. Splink (DuckDB backend, `uv sync --group bench`) gets the same
identity records with the same name normalisation and a standard Fellegi-Sunter model.

    uv run --group bench python benchmarks/bench_resolve.py            # 2k and 20k, 3 seeds
    uv run --group bench python benchmarks/bench_resolve.py --quick    # 2k, 1 seed
"""

from __future__ import annotations

import argparse
import csv
import logging
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from synthetic import generate
from transforms import schemas
from transforms.resolve.keys import mailbox_key
from transforms.resolve.names import parse_name
from transforms.resolve.overrides import Overrides
from transforms.resolve.people import resolve
from transforms.run.stage import parse_input
from transforms.sources import discover as discovery

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def staged_frames(root: Path, n: int, seed: int, noise: float) -> tuple[dict, Path]:
    net = generate(people=n, seed=seed, out=root / f"n{n}_s{seed}", noise=noise, body_bytes=0)
    found = discovery.discover([net.linkedin_dir, net.mbox_path])
    frames: dict[str, list[pl.DataFrame]] = {}
    for item in found.inputs:
        for parsed in parse_input(item):
            for table, rows in parsed.tables.items():
                frames.setdefault(table, []).append(rows)
    staged = {
        t: schemas.conform(pl.concat(fs, how="diagonal_relaxed"), schemas.STAGED[t])
        if (fs := frames.get(t))
        else schemas.empty(schemas.STAGED[t])
        for t in schemas.STAGED
    }
    return staged, net.truth_path


def read_truth(path: Path) -> dict[tuple[str, str], str]:
    truth = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if row["kind"] != "name":
                truth[(row["kind"], row["value"])] = row["truth_person_id"] or f"none{i}"
    return truth


def pairwise(truth: dict, predicted: dict) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1; identities the predictor left out are singletons."""

    def pairs(c: Counter) -> int:
        return sum(k * (k - 1) // 2 for k in c.values())

    cells, tc, pc = Counter(), Counter(), Counter()
    for ident, t in truth.items():
        p = predicted.get(ident, ("single", ident))
        cells[(t, p)] += 1
        tc[t] += 1
        pc[p] += 1
    tp, tpairs, ppairs = pairs(cells), pairs(tc), pairs(pc)
    prec = tp / ppairs if ppairs else 1.0
    rec = tp / tpairs if tpairs else 1.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def run_kith(staged: dict) -> tuple[dict, float]:
    started = time.perf_counter()
    res = resolve(staged, [], None, NOW, overrides=Overrides())
    seconds = time.perf_counter() - started
    ids = res.person_identities.filter(pl.col("kind") != "name")
    return {(k, v): p for k, v, p in ids.select("kind", "value", "person_id").iter_rows()}, seconds


def splink_records(staged: dict) -> pl.DataFrame:
    """One record per e-mail / URL identity: names parsed like kith's, address parts, company,
    and the exact keys a record carries (its mailbox, the profile of its Connections row)."""
    rows: dict[tuple[str, str], dict] = {}

    def put(kind: str, value: str, name: str | None, url: str | None, company: str | None):
        rec = rows.setdefault(
            (kind, value),
            {"kind": kind, "value": value, "names": Counter(), "url": None, "company": None},
        )
        if name and (parsed := parse_name(name)) is not None and parsed.family:
            rec["names"][(parsed.given, parsed.family)] += 1
        rec["url"] = rec["url"] or url
        rec["company"] = rec["company"] or company

    conn = staged["stg_linkedin_connections"]
    for url, email, name, comp in conn.select(
        "profile_url", "email", "full_name", "company"
    ).iter_rows():
        if url:
            put("linkedin_url", url, name, url, comp)
        if email and url:
            put("email", email.strip().lower(), name, url, comp)
    msgs = staged["stg_linkedin_messages"].filter(~pl.col("is_sponsored").fill_null(False))
    for url, name in msgs.select("from_url", "from_name").iter_rows():
        if url:
            put("linkedin_url", url, name, url, None)
    inv = staged["stg_linkedin_invitations"]
    for a, an, b, bn in inv.select(
        "inviter_url", "from_name", "invitee_url", "to_name"
    ).iter_rows():
        if a:
            put("linkedin_url", a, an, a, None)
        if b:
            put("linkedin_url", b, bn, b, None)
    parts = staged["stg_email_participants"]
    for addr, name in parts.select("address", "display_name").iter_rows():
        if addr:
            put("email", addr, name, None, None)
    out = []
    for i, rec in enumerate(rows.values()):
        (given, family), _ = rec["names"].most_common(1)[0] if rec["names"] else ((None, None), 0)
        email = rec["value"] if rec["kind"] == "email" else None
        out.append(
            {
                "unique_id": i,
                "kind": rec["kind"],
                "value": rec["value"],
                "first_name": given,
                "surname": family,
                "email": email,
                "mailbox": mailbox_key(email) if email else None,
                "email_local": mailbox_key(email).split("@")[0] if email else None,
                "email_domain": email.rpartition("@")[2] if email else None,
                "linkedin_url": rec["url"],
                "company": rec["company"],
            }
        )
    return pl.DataFrame(out, infer_schema_length=None)


def run_splink(staged: dict) -> tuple[dict, float]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    records = splink_records(staged)
    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("surname", "substr(first_name, 1, 1)"),
            block_on("mailbox"),
            block_on("linkedin_url"),
            block_on("email_local"),
        ],
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.ExactMatch("mailbox"),
            cl.ExactMatch("linkedin_url"),
            cl.ExactMatch("email_domain"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(records.to_pandas()), settings, log_level="ERROR")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("mailbox"), block_on("linkedin_url")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("email_domain"), estimate_without_term_frequencies=True
    )
    preds = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(preds, 0.9)
    frame = pl.from_pandas(clusters.as_pandas_dataframe())
    seconds = time.perf_counter() - started
    by_id = dict(
        zip(records["unique_id"], zip(records["kind"], records["value"], strict=True), strict=True)
    )
    return {by_id[u]: c for u, c in frame.select("unique_id", "cluster_id").iter_rows()}, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="N=2000, one seed")
    ap.add_argument("--sizes", type=int, nargs="*", default=[2000, 20000])
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    ap.add_argument("--no-splink", action="store_true")
    args = ap.parse_args()
    sizes, seeds = ([2000], [1]) if args.quick else (args.sizes, args.seeds)
    noises = [0.3, 0.4, 0.5]
    head = f"{'N':>6} {'seed':>4} {'noise':>5} | {'kith P':>7} {'R':>6} {'F1':>6} {'s':>6}"
    print(head + f" | {'splink P':>8} {'R':>6} {'F1':>6} {'s':>6}")
    times: dict[int, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            for i, seed in enumerate(seeds):
                noise = noises[i % len(noises)]
                staged, truth_path = staged_frames(Path(tmp), n, seed, noise)
                truth = read_truth(truth_path)
                kith, k_s = run_kith(staged)
                kp, kr, kf = pairwise(truth, kith)
                times.setdefault(n, []).append(k_s)
                line = f"{n:>6} {seed:>4} {noise:>5} | {kp:7.4f} {kr:6.4f} {kf:6.4f} {k_s:6.1f}"
                if not args.no_splink:
                    try:
                        spl, s_s = run_splink(staged)
                        sp, sr, sf = pairwise(truth, spl)
                        line += f" | {sp:8.4f} {sr:6.4f} {sf:6.4f} {s_s:6.1f}"
                    except Exception as err:  # noqa: BLE001 - report, keep benchmarking
                        line += f" | splink failed: {type(err).__name__}: {err}"[:120]
                print(line, flush=True)
    if len(times) > 1:
        lo, hi = min(times), max(times)
        ratio = (sum(times[hi]) / len(times[hi])) / (sum(times[lo]) / len(times[lo]))
        print(f"kith time {lo} -> {hi} people: x{ratio:.1f} for x{hi / lo:.0f} people")


if __name__ == "__main__":
    main()
