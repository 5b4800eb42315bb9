"""Time and memory of whole `kith run`s on big inputs, as a user runs them.

    uv run python benchmarks/bench_scale.py [--modes mbox,network] [--mbox-mb 2000]
        [--people 150000] [--seed 5]

mbox     `kith run` on the shipped sample plus a Takeout-style mbox of `--mbox-mb` MB
         (bench_mbox.py's generator, kept in benchmarks/out/); the baseline, measured in
         the same run, is `kith run` on the sample alone. Goal: the whole run's peak
         memory under 500 MB.
network  `kith generate --people N` (kept in benchmarks/out/), then `kith run` on it.
         Goals: under 2 minutes and under 2 GB at about a million messages.

Every run is a fresh `kith run` process on kith's Prefect server (started once, before the
clock, in a scratch KITH_HOME), with a cold stage cache. Memory is the peak of the sum of
the resident memory of the run's whole process tree (the flow's process and any parse
workers), sampled every 50 ms from /proc; wall time is from start to exit.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree_rss(root: int) -> int:
    """Bytes resident in `root` and all its descendants now."""
    tree, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            pass
        todo += tree.get(pid, [])
    return total


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak MiB of the process tree, stdout) of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.05)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} failed:\n{err[-3000:]}")
    return seconds, peak / 2**20, out


def kith_run(sources: list[Path], home: Path, db: Path, api: str) -> tuple[float, float, str]:
    """`kith run` with its own (cold) KITH_HOME, on the server at `api`."""
    env = {**os.environ, "KITH_HOME": str(home), "PREFECT_API_URL": api}
    command = [sys.executable, "-m", "flows.cli", "run", *map(str, sources), "--db", str(db)]
    return measured([*command, "--as-of", "2026-11-01"], env)


def _server(home: Path, action: str) -> str:
    """Start or stop kith's server in `home`; its API address."""
    env = {**os.environ, "KITH_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    state = home / "prefect" / "server.json"
    api = json.loads(state.read_text(encoding="utf-8"))["api_url"] if state.exists() else ""
    subprocess.run(
        [sys.executable, "-m", "flows.cli", "server", action],
        cwd=REPO, env=env, check=True, capture_output=True,
    )  # fmt: skip
    return api or json.loads(state.read_text(encoding="utf-8"))["api_url"]


def mbox_mode(mb: int, scratch: Path) -> None:
    path = OUT / f"gmail_{mb}mb.mbox"
    if not path.exists():
        subprocess.run(
            [sys.executable, "benchmarks/bench_mbox.py", "--mb", str(mb), "--modes", "read",
             "--repeat", "1"],
            cwd=REPO, check=True, capture_output=True,
        )  # fmt: skip
    sample = REPO / "data" / "sample"
    home = scratch / "mbox"
    api = _server(home, "start")
    try:
        base = kith_run([sample], home / "a", scratch / "a.duckdb", api)
        big = kith_run([sample, path], home / "b", scratch / "b.duckdb", api)
    finally:
        _server(home, "stop")
    print(f"mbox  sample alone     : {base[0]:6.1f} s, peak {base[1]:6.0f} MiB")
    print(f"mbox  sample + {mb} MB : {big[0]:6.1f} s, peak {big[1]:6.0f} MiB   goal: < 500 MiB")
    print(f"mbox  marginal         : {big[0] - base[0]:6.1f} s, {big[1] - base[1]:+6.0f} MiB")


def network_mode(people: int, seed: int, scratch: Path) -> None:
    net = OUT / f"network_{people}_{seed}"
    if not (net / "truth_meta.json").exists():
        subprocess.run(
            [sys.executable, "-m", "flows.cli", "generate", "--people", str(people),
             "--seed", str(seed), "--out", str(net)],
            cwd=REPO, check=True, capture_output=True,
        )  # fmt: skip
    meta = json.loads((net / "truth_meta.json").read_text(encoding="utf-8"))
    home = scratch / "network"
    api = _server(home, "start")
    try:
        seconds, peak, out = kith_run([net], home / "run", scratch / "net.duckdb", api)
    finally:
        _server(home, "stop")
    summary = out.strip().splitlines()[-2:]
    print(f"network {people} people: {json.dumps({k: meta[k] for k in sorted(meta)})}")
    print(f"network kith run: {seconds:6.1f} s (goal < 120 s), peak {peak:6.0f} MiB (goal < 2048)")
    print("network report: " + " ".join(line.strip() for line in summary))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modes", default="mbox,network")
    parser.add_argument("--mbox-mb", type=int, default=2000)
    parser.add_argument("--people", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kith-bench-scale-") as tmp:
        if "mbox" in args.modes:
            mbox_mode(args.mbox_mb, Path(tmp))
        if "network" in args.modes:
            network_mode(args.people, args.seed, Path(tmp))


if __name__ == "__main__":
    main()
