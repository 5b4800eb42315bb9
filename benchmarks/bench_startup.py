"""What a `kith run` costs beyond Prefect itself, on kith's lasting server and from cold.

    uv run python benchmarks/bench_startup.py [--rounds 5]

warm   kith's Prefect server is started once (in a temporary KITH_HOME); then, in rounds,
       back to back: a trivial one-task Prefect flow on that server (the yardstick: every
       Prefect program pays it), and `kith run` on the shipped sample on the same server.
       Reported: the median over rounds of (kith - trivial), kith's extra cost, and the
       ratio. The sample is unchanged between rounds, as on most nights: its files come
       from the stage cache after the first round, and the marts are rebuilt.
cold   a new machine's first run: in rounds, a fresh KITH_HOME each time, `kith run` (which
       starts the lasting server and leaves it running; stopped after the round) against
       `kith run --ephemeral` (Prefect's temporary server, as every run used to pay).
       Reported: the median of the per-round ratios cold / ephemeral.

Each command is a fresh process, timed from outside (wall clock), as a user meets it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

TRIVIAL_FLOW = """
from prefect import flow, task

@task
def one() -> int:
    return 1

@flow
def trivial() -> int:
    return one()

trivial()
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one command as a fresh process; fails loudly if it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} failed:\n{done.stderr[-3000:]}")
    return seconds


def kith(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args]


def base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(KITH_HOME=str(home), DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    return env


def warm(rounds: int, scratch: Path) -> None:
    home = scratch / "warm"
    env = base_env(home)
    script = scratch / "trivial_flow.py"
    script.write_text(TRIVIAL_FLOW, encoding="utf-8")
    timed(kith("server", "start"), env)
    try:
        state = json.loads((home / "prefect" / "server.json").read_text(encoding="utf-8"))
        flow_env = {
            **env,
            "PREFECT_API_URL": state["api_url"],
            "PREFECT_HOME": str(home / "prefect"),
            "PREFECT_LOGGING_TO_API_ENABLED": "false",
        }
        run = kith("run", "--db", str(scratch / "warm.duckdb"), "--as-of", "2026-11-01")
        timed(run, env)  # the first run parses the sample; later nights reuse the cache
        trivial, ours = [], []
        for _ in range(rounds):
            trivial.append(timed([sys.executable, str(script)], flow_env))
            ours.append(timed(run, env))
    finally:
        timed(kith("server", "stop"), env)
    extra = [o - t for o, t in zip(ours, trivial, strict=True)]
    print(f"warm  trivial flow: median {statistics.median(trivial):.2f} s ({_list(trivial)})")
    print(f"warm  kith run    : median {statistics.median(ours):.2f} s ({_list(ours)})")
    print(
        f"warm  kith's extra cost: median {statistics.median(extra):.2f} s "
        f"(rounds {_list(extra)})   goal: <= 1.5 s"
    )


def cold(rounds: int, scratch: Path) -> None:
    lasting, ephemeral = [], []
    for n in range(rounds):
        for mode in ("lasting", "ephemeral"):
            home = scratch / f"cold-{mode}-{n}"
            env = base_env(home)
            db = str(home / "kith.duckdb")
            args = ("run", "--db", db, "--as-of", "2026-11-01")
            if mode == "ephemeral":
                ephemeral.append(timed(kith(*args, "--ephemeral"), env))
            else:
                lasting.append(timed(kith(*args), env))
                timed(kith("server", "stop"), env)
            shutil.rmtree(home, ignore_errors=True)
    ratios = [a / b for a, b in zip(lasting, ephemeral, strict=True)]
    print(f"cold  kith run (starts the server): median {statistics.median(lasting):.1f} s")
    print(f"cold  kith run --ephemeral        : median {statistics.median(ephemeral):.1f} s")
    print(
        f"cold  ratio: median {statistics.median(ratios):.2f} (rounds {_list(ratios)})"
        "   goal: <= 1.00"
    )


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--modes", default="warm,cold")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kith-bench-startup-") as tmp:
        scratch = Path(tmp)
        if "warm" in args.modes:
            warm(args.rounds, scratch)
        if "cold" in args.modes:
            cold(args.rounds, scratch)


if __name__ == "__main__":
    main()
