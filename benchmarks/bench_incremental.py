"""Incremental runs against a full run, on a generated network with a ~300 MB mbox.

Prefect's start-up (the temporary server) is a fixed cost of every `kith run`; it is
measured once, on its own, with `kith run` on the shipped sample. The runs themselves are
measured as the pipeline's steps (`flows.nightly.run_in_process`, the same steps the flow
runs) and reported as marginal costs over the same steps on the shipped sample:

    full       every input parsed (`--full`)
    no change  the same inputs again (cache hit; core tables reused; marts recomputed)
    append     one day of mail appended to the mbox (20 messages from known correspondents,
               10 from first-time senders): only the tail is parsed, and the new
               identities are resolved on their own when that provably equals a full
               resolution (the log line says which path was taken)

Ratios: no change / full must stay under 0.10, append / full under 0.20. Each round measures
the baseline and the three runs back to back; medians over rounds are printed.

    uv run python benchmarks/bench_incremental.py [--people 2000] [--body-bytes 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"


def known_senders(net_dir: Path, n: int, seed: int = 3) -> list[tuple[str, str]]:
    """(display name, address) of `n` people who wrote to the owner before, as they
    wrote then (a real day's mail comes mostly from known correspondents)."""
    people = {
        line.split(",")[1]
        for line in (net_dir / "truth.csv").read_text(encoding="utf-8").splitlines()[1:]
        if line.startswith("email,")
    }
    data = (net_dir / "mail" / "takeout.mbox").read_bytes()
    seen: dict[str, str] = {}
    for m in re.finditer(rb"\nFrom: ([A-Za-z][A-Za-z .'-]+) <([^<>\s]+)>\r?\n", data):
        name, addr = m.group(1).decode(), m.group(2).decode()
        if addr in people:
            seen.setdefault(addr, name)
    picked = random.Random(seed).sample(sorted(seen.items()), n)
    return [(name, addr) for addr, name in picked]


def one_day_of_mail(net_dir: Path, n_known: int, n_new: int, body_bytes: int) -> str:
    """A day (2026-10-31) in Takeout form: `n_known` messages from known correspondents and
    `n_new` from first-time senders, each in a new thread, bodies padded like the big file's."""
    pad = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo" * 3)[:76]
    body = "\r\n".join([pad] * max(1, body_bytes // 78))
    meta = json.loads((net_dir / "truth_meta.json").read_text(encoding="utf-8"))
    owner = meta["owner_emails"][0]
    senders = known_senders(net_dir, n_known) + [
        (f"Bench Sender {i}", f"bench.sender{i}@example.net") for i in range(n_new)
    ]
    out = []
    for i, (name, addr) in enumerate(senders):
        out.append(
            f"From {9_000_000 + i}@xxx Sat Oct 31 {8 + i % 12:02d}:00:00 +0000 2026\r\n"
            f"X-GM-THRID: {9_000_000 + i}\r\n"
            "X-Gmail-Labels: Inbox,Category Personal\r\n"
            f"From: {name} <{addr}>\r\n"
            f"To: {owner}\r\n"
            f"Date: Sat, 31 Oct 2026 {8 + i % 12:02d}:{i % 60:02d}:00 +0000\r\n"
            "Subject: bench\r\n"
            f"Message-ID: <bench-{i}@example.net>\r\n"
            "\r\n"
            f"{body}\r\n"
        )
    return "".join(out)


def steps_seconds(sources: list[Path], db: Path, full: bool = False) -> float:
    from flows.nightly import run_in_process
    from transforms.run.spec import new_run

    spec = new_run(sources, db, [], date(2026, 11, 1), full=full)
    started = time.perf_counter()
    run_in_process(spec)
    return time.perf_counter() - started


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--body-bytes", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds")
    parser.add_argument("--skip-startup", action="store_true", help="do not time `kith run`")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kith-bench-inc-"))
    os.environ["KITH_HOME"] = str(work / "home")
    from synthetic import generate

    net_dir = OUT / f"net-{args.people}-{args.body_bytes}"
    if not (net_dir / "truth_meta.json").exists():
        generate(people=args.people, seed=5, out=net_dir, noise=0.3, body_bytes=args.body_bytes)
    big = work / "net"
    shutil.copytree(net_dir, big)
    mbox = big / "mail" / "takeout.mbox"
    sources = [big / "linkedin", mbox]
    sample = [REPO / "data" / "sample"]
    print(f"network: {args.people} people, mbox {mbox.stat().st_size / 1e6:.0f} MB")

    startup = None
    if not args.skip_startup:
        env = {**os.environ, "KITH_HOME": str(work / "home-cli")}
        env.pop("PREFECT_API_URL", None)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "flows.cli", "run", "--db", str(work / "cli.duckdb")],
            cwd=REPO, env=env, check=True, capture_output=True,
        )  # fmt: skip
        startup = time.perf_counter() - started

    db = work / "big.duckdb"

    def appended() -> float:
        shutil.copyfile(net_dir / "mail" / "takeout.mbox", mbox)
        steps_seconds(sources, db)  # the cache knows the original file
        with open(mbox, "a", newline="") as fh:
            fh.write(one_day_of_mail(net_dir, 20, 10, args.body_bytes))
        return steps_seconds(sources, db)

    # Rounds, each measuring the baseline and the three runs back to back: the machine's
    # speed drifts over minutes, so each round's marginals are taken against its own
    # baseline, and the medians over rounds are reported.
    rounds = []
    for _ in range(args.repeat):
        base = steps_seconds(sample, work / "sample.duckdb", full=True)
        full = steps_seconds(sources, db, full=True)
        same = steps_seconds(sources, db)
        append = appended()
        rounds.append((base, full, same, append))
    med = [statistics.median(r[i] for r in rounds) for i in range(4)]
    same_ratios = [(r[2] - r[0]) / (r[1] - r[0]) for r in rounds]
    append_ratios = [(r[3] - r[0]) / (r[1] - r[0]) for r in rounds]
    if startup is not None:
        print(f"fixed start-up: kith run on the shipped sample, end to end: {startup:.1f} s")
    print(f"rounds: {args.repeat} (medians; marginals against each round's own baseline)")
    print(f"pipeline steps on the shipped sample (baseline): {med[0]:.2f} s")
    full_marginal = statistics.median(r[1] - r[0] for r in rounds)
    print(f"full run:   {med[1]:.2f} s  marginal {full_marginal:.2f} s")
    print(
        f"no change:  {med[2]:.2f} s  ratio {statistics.median(same_ratios):.3f}"
        f"  (rounds: {', '.join(f'{x:.3f}' for x in same_ratios)})"
    )
    print(
        f"append day: {med[3]:.2f} s  ratio {statistics.median(append_ratios):.3f}"
        f"  (rounds: {', '.join(f'{x:.3f}' for x in append_ratios)})"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
