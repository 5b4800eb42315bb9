"""Benchmark of kith's mbox reader against the read / split ceilings and stdlib `mailbox`.

Usage:
    uv run python benchmarks/bench_mbox.py [--mb 300] [--lf] [--repeat 5]
        [--kith-run [--kith-run-rounds 3]]

Generates (once; reused afterwards) a Gmail-Takeout-style mbox of about `--mb` MB in
benchmarks/out/ (git-ignored): CRLF like Takeout, X-GM-THRID / X-Gmail-Labels first, 1-4
Received hops, ARC/DKIM signatures folded over several lines, RFC 2047 and raw UTF-8 display
names, replies with References, multipart text+HTML bodies of 1-5 KB, and 8% of messages
with a 20-400 KB base64 attachment. Correspondents follow a Zipf-like law, as in a real
mailbox (a few people write most of the mail).

Then, in one run, `--repeat` rounds; each round runs every mode once, back to back, each
in a fresh subprocess (file in page cache):
  read      1 MiB read() loop (I/O ceiling)
  split     kith's scanner alone: From_ lines + header blocks, no parsing (the ceiling)
  stdlib    `for m in mailbox.mbox(p): m['From'], m['To'], m['Date']`
  kith      the file as kith's parse step reads it on Prefect's task runner: cut into byte
            ranges at message starts (transforms.run.units.cut), one `parse` task per range
            on a ProcessPoolTaskRunner with a worker per core, each writing its staged
            Parquet, inside a flow on kith's Prefect server (started once per benchmark).
            The pool's workers are started (and import kith) before the clock starts: what
            a pool costs to start is reported on its own, as `pool start`
  kith1     `transforms.sources.mail.mbox.read_mbox(path)` in one process (staged frames
            and rejects in memory): the reader itself, no task runner
and prints MB/s, msgs/s, peak RSS (VmHWM) and cpu seconds (parent + children) of each mode's
best round, and the ratios the acceptance asks for as the median of the per-round ratios
(with each round's ratio and best-against-best beside it). On a shared 2-core machine wall
and even cpu times drift by tens of percent within minutes; ratios taken within a round
are what stay comparable.
`--kith-run` also times `kith run` on the big file minus `kith run` on the shipped sample
(median of `--kith-run-rounds` rounds).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"

_FIRST = "Anna Ben Carla David Emma Felix Greta Hugo Ines Jonas Klara Lukas Maria Noah Olga".split()
_LAST = "Smith Müller García Rossi Dubois Kowalski Nakamura Silva Jensen O'Brien Novak".split()
_WORDS = (
    "project meeting update quarterly report budget review draft notes lunch call "
    "proposal contract invoice schedule follow up question introduction demo feedback "
    "launch roadmap hiring offsite agenda slides"
).split()
_DOMAINS = ["example.com", "example.org", "mail.example.net", "corp.example.co.uk", "gmail.com"]
_OWNER = "owner.person@gmail.com"


def _b64(rng: random.Random, n: int) -> str:
    return base64.b64encode(rng.randbytes(n)).decode()


def _folded_b64(rng: random.Random, n: int, indent: str = "        ") -> str:
    s = _b64(rng, n)
    return ("\r\n" + indent).join(s[i : i + 72] for i in range(0, len(s), 72))


def _people(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        local = f"{first}.{last}".lower().replace("'", "").encode("ascii", "ignore").decode()
        addr = f"{local}{i}@{rng.choice(_DOMAINS)}"
        r = rng.random()
        plain = f"{first} {last}".isascii()
        if r < 0.05 or (r >= 0.07 and not plain):  # RFC 2047 encoded name
            enc = base64.b64encode(f"{first} {last}".encode()).decode()
            name = f"=?UTF-8?B?{enc}?="
        elif r < 0.07:  # raw UTF-8 name
            name = f'"{first} {last}"'
        elif r < 0.2:
            name = f'"{last}, {first}"'
        else:
            name = f"{first} {last}"
        out.append((name, addr))
    return out


def _addr(p: tuple[str, str]) -> str:
    return f"{p[0]} <{p[1]}>"


def _message(rng: random.Random, i: int, people, ts: datetime, thread: list[str]) -> bytes:
    sent = rng.random() < 0.3
    weights_pick = min(int(rng.paretovariate(1.1)) - 1, len(people) - 1)
    other = people[weights_pick]
    gid = (int(ts.timestamp() * 1000) << 20) | rng.getrandbits(20)
    thrid = thread[0] if thread else str(gid)
    msgid = f"<CA+{_b64(rng, 24).replace('/', 'x')}@mail.gmail.com>"
    subject_words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 7)))
    subject = ("Re: " if thread else "") + subject_words.capitalize()
    date = ts.strftime("%a, %d %b %Y %H:%M:%S +0000")
    labels = (
        ["Sent"]
        if sent
        else rng.choice(
            [
                ["Inbox", "Important", "Opened", "Category Personal"],
                ["Opened", "Category Updates"],
                ["Inbox", "Opened"],
                ["Archived", "Opened", "Category Promotions"],
                ['"Work, 2024"', "Opened"],
            ]
        )
    )
    cc = [people[rng.randrange(len(people))] for _ in range(rng.choice([0, 0, 0, 1, 2, 4]))]
    h: list[str] = [
        f"From {gid}@xxx {ts.strftime('%a %b %d %H:%M:%S +0000 %Y')}",
        f"X-GM-THRID: {thrid}",
        f"X-Gmail-Labels: {','.join(labels)}",
    ]
    if not sent:
        h.append(f"Delivered-To: {_OWNER}")
        for hop in range(rng.randint(1, 4)):
            h.append(
                f"Received: by 2002:a05:6{hop}00:{rng.getrandbits(16):x} with SMTP id "
                f"{_b64(rng, 9)};\r\n        {date}"
            )
        h.append(
            f"X-Received: by 2002:a17:90a:{rng.getrandbits(16):x} with SMTP id "
            f"{_b64(rng, 9)}.{rng.randint(1, 99)};\r\n        {date}"
        )
        h.append(
            f"ARC-Seal: i=1; a=rsa-sha256; t={int(ts.timestamp())}; cv=none;\r\n"
            f"        d=google.com; s=arc-20160816;\r\n        b={_folded_b64(rng, 256)}"
        )
        h.append(
            "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com;"
            " s=arc-20160816;\r\n        h=to:subject:message-id:date:from:mime-version"
            f":dkim-signature;\r\n        bh={_b64(rng, 32)};\r\n"
            f"        b={_folded_b64(rng, 256)}"
        )
        h.append(
            f"ARC-Authentication-Results: i=1; mx.google.com;\r\n       dkim=pass "
            f"header.i=@{other[1].split('@')[1]} header.s=s1 header.b={_b64(rng, 6)};"
            "\r\n       spf=pass (google.com: domain designates 209.85.220.41 as "
            "permitted sender)"
        )
        h.append(f"Return-Path: <{other[1]}>")
        h.append(
            f"Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. "
            f"[209.85.220.41])\r\n        by mx.google.com with SMTPS id {_b64(rng, 12)}"
            f"\r\n        for <{_OWNER}>\r\n        (Google Transport Security);\r\n"
            f"        {date}"
        )
        h.append(
            "Received-SPF: pass (google.com: domain of sender designates 209.85.220.41 "
            "as permitted sender) client-ip=209.85.220.41;"
        )
        h.append(
            f"Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@"
            f"{other[1].split('@')[1]} header.s=s1 header.b={_b64(rng, 6)};\r\n"
            "       spf=pass smtp.mailfrom=sender; dmarc=pass (p=NONE sp=NONE dis=NONE)"
        )
        if rng.random() < 0.15:
            h.append(f"List-Unsubscribe: <mailto:unsub-{i}@lists.example.com>")
            h.append("Precedence: bulk")
    h.append(
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n        d=gmail.com;"
        f" s=20230601; t={int(ts.timestamp())}; x={int(ts.timestamp()) + 604800};"
        " darn=gmail.com;\r\n        h=to:subject:message-id:date:from:in-reply-to:"
        f"references\r\n         :mime-version:from:to:cc:subject:date;\r\n"
        f"        bh={_b64(rng, 32)};\r\n        b={_folded_b64(rng, 256)}"
    )
    h.append(f"X-Gm-Message-State: {_folded_b64(rng, 90)}")
    h.append(f"X-Google-Smtp-Source: {_b64(rng, 70)}")
    h.append("MIME-Version: 1.0")
    sender, to = ((("Owner Person", _OWNER)), other) if sent else (other, ("Owner", _OWNER))
    h.append(f"From: {_addr(sender)}")
    h.append(f"Date: {date}")
    if thread:
        h.append(f"References: {' '.join(thread[1:])}".replace(" <", "\r\n <"))
        h.append(f"In-Reply-To: {thread[-1]}")
    h.append(f"Message-ID: {msgid}")
    h.append(f"Subject: {subject}")
    h.append(f"To: {_addr(to)}")
    if cc:
        h.append("Cc: " + ",\r\n ".join(_addr(p) for p in cc))
    boundary = f"000000000000{rng.getrandbits(48):012x}"
    attach = rng.random() < 0.08
    kind = "mixed" if attach else "alternative"
    h.append(f'Content-Type: multipart/{kind}; boundary="{boundary}"')
    text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(150, 800)))
    lines = [text[j : j + 76] for j in range(0, len(text), 76)]
    body = [
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="UTF-8"',
        "",
        *lines,
        "",
        f"--{boundary}",
        'Content-Type: text/html; charset="UTF-8"',
        "",
        '<div dir="ltr">',
        *(f"<div>{line}</div>" for line in lines),
        "</div>",
        "",
    ]
    if rng.random() < 0.02:  # an unquoted "From " line in a body
        body.insert(5, "From the desk of the editor, with regards")
    if attach:
        size = int(rng.uniform(20_000, 400_000))
        data = base64.b64encode(rng.randbytes(size * 3 // 4)).decode()
        body += [
            f"--{boundary}",
            'Content-Type: application/pdf; name="report.pdf"',
            'Content-Disposition: attachment; filename="report.pdf"',
            "Content-Transfer-Encoding: base64",
            "",
            *(data[j : j + 76] for j in range(0, len(data), 76)),
        ]
    body += [f"--{boundary}--", ""]
    msg = "\r\n".join(h + body) + "\r\n"
    thread.append(msgid)
    if len(thread) == 1:
        thread.insert(0, str(gid))
    return msg.encode("utf-8")


def generate(path: Path, target_mb: float, lf: bool = False, seed: int = 5) -> None:
    rng = random.Random(seed)
    people = _people(rng, 3000)
    ts = datetime(2012, 1, 1, tzinfo=UTC)
    threads: list[list[str]] = []
    target = int(target_mb * 1e6)
    written = 0
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb", buffering=1 << 20) as fh:
        i = 0
        while written < target:
            if threads and rng.random() < 0.45:
                thread = threads[rng.randrange(len(threads))]
            else:
                thread = []
                threads.append(thread)
                threads[:] = threads[-200:]
            data = _message(rng, i, people, ts, thread)
            if lf:
                data = data.replace(b"\r\n", b"\n")
            fh.write(data)
            written += len(data)
            ts += timedelta(seconds=rng.randint(60, 20_000))
            i += 1
    os.replace(tmp, path)


# -- modes (each runs in a fresh subprocess) ---------------------------------------------------


def _peak_rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _mode(mode: str, path: Path) -> dict:
    """Time one mode; imports happen before the clock starts (they are a constant)."""
    import mailbox
    import resource

    from transforms.sources.mail.mbox import read_mbox
    from transforms.sources.mail.scanner import iter_messages
    from transforms.sources.mail.stream import open_mbox

    cpu0 = sum(
        getattr(resource.getrusage(w), f)
        for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for f in ("ru_utime", "ru_stime")
    )
    t0 = time.perf_counter()
    n = 0
    if mode == "read":
        with open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass
    elif mode == "split":
        with open_mbox(path) as fh:
            for _ in iter_messages(fh):
                n += 1
    elif mode == "stdlib":
        for m in mailbox.mbox(path, create=False):
            m["From"], m["To"], m["Date"]
            n += 1
    elif mode == "kith1":
        parsed = read_mbox(path)
        n = parsed.rows_in
        assert parsed.balanced
    elif mode == "kith":
        n, seconds, pool_start = _through_the_runner(path)
    else:
        raise SystemExit(f"unknown mode {mode}")
    if mode != "kith":
        seconds = time.perf_counter() - t0
    import resource

    cpu = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        ru = resource.getrusage(who)
        cpu += ru.ru_utime + ru.ru_stime
    return {
        "mode": mode,
        "pool_start": pool_start if mode == "kith" else None,
        "seconds": seconds,
        "cpu": cpu - cpu0,
        "messages": n,
        "rss_mib": max(
            _peak_rss_mib(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        ),
    }


def _through_the_runner(path: Path) -> tuple[int, float, float]:
    """(messages, seconds from the first range submitted to the last one done, seconds the
    pool took to start) for the `kith` mode."""
    import tempfile

    from prefect import flow, task
    from prefect.task_runners import ProcessPoolTaskRunner

    from flows.nightly import parse
    from transforms.run.units import cut, range_bytes
    from transforms.sources.discover import Input

    @task
    def warm(seconds: float) -> int:
        import transforms.run.units  # noqa: F401 - what a parse task imports

        time.sleep(seconds)
        return os.getpid()

    @flow
    def parse_file(out: str) -> tuple[int, float, float]:
        workers = os.cpu_count() or 1
        with ProcessPoolTaskRunner(max_workers=workers) as runner:
            began = time.perf_counter()
            pids = [runner.submit(warm, {"seconds": 1.0}) for _ in range(workers)]
            assert len({f.result() for f in pids}) == workers  # every worker is up
            pool_start = time.perf_counter() - began
            t0 = time.perf_counter()
            size = path.stat().st_size
            target = range_bytes("process_pool", size, workers)  # as the parse step cuts it
            units = cut(0, Input("mbox", path, folder="All mail"), Path(out), target=target)
            futures = [runner.submit(parse, {"unit": u}) for u in units]
            n = sum(s["rows_in"] for f in futures for s in f.result().stats)
            seconds = time.perf_counter() - t0
        return n, seconds, pool_start

    with tempfile.TemporaryDirectory() as out:
        return parse_file(out)


def _run_once(mode: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _run_rounds(modes: list[str], path: Path, rounds: int) -> list[dict[str, dict]]:
    """Each round runs every mode once, back to back (fresh process each): a host whose
    speed drifts within minutes then slows a round's modes alike, and the ratios taken
    within a round stay fair."""
    return [{mode: _run_once(mode, path) for mode in modes} for _ in range(rounds)]


@contextmanager
def _prefect_server() -> Iterator[None]:
    """kith's Prefect server in a scratch KITH_HOME for the children (the `kith` mode runs a
    flow), stopped at the end."""
    import tempfile

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "KITH_HOME": home}
        env.pop("PREFECT_API_URL", None)
        cli = [sys.executable, "-m", "flows.cli", "server"]
        subprocess.run([*cli, "start"], check=True, capture_output=True, cwd=REPO, env=env)
        state = json.loads((Path(home) / "prefect" / "server.json").read_text())
        before = dict(os.environ)
        os.environ.update(
            KITH_HOME=home,
            PREFECT_HOME=str(Path(home) / "prefect"),
            PREFECT_API_URL=state["api_url"],
            PREFECT_LOGGING_TO_API_ENABLED="false",
            PREFECT_LOGGING_LEVEL="ERROR",
        )
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(before)
            subprocess.run([*cli, "stop"], check=True, capture_output=True, cwd=REPO, env=env)


def _kith_run(sources: list[str], tmp: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        ["uv", "run", "kith", "run", *sources, "--db", str(tmp / "bench.duckdb")],
        check=True,
        cwd=REPO,
        capture_output=True,
        env={**os.environ, "KITH_HOME": str(tmp / "home")},
    )
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=300)
    ap.add_argument("--lf", action="store_true", help="LF line ends instead of Takeout CRLF")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--modes", default="read,split,stdlib,kith,kith1")
    ap.add_argument("--kith-run", action="store_true")
    ap.add_argument("--kith-run-rounds", type=int, default=3)
    ap.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_mode(args.child[0], Path(args.child[1]))))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"gmail_{int(args.mb)}mb{'_lf' if args.lf else ''}.mbox"
    if not path.exists():
        t0 = time.perf_counter()
        generate(path, args.mb, lf=args.lf)
        print(f"generated {path.name} in {time.perf_counter() - t0:.1f}s")
    size_mb = path.stat().st_size / 1e6
    with open(path, "rb") as fh:  # warm the page cache
        while fh.read(1 << 24):
            pass
    modes = args.modes.split(",")
    print(
        f"file: {path.name}  {size_mb:.1f} MB  ({args.repeat} rounds of {', '.join(modes)},"
        " fresh process each; table: best of the rounds)"
    )
    print(
        f"{'mode':8} {'seconds':>8} {'cpu s':>7} {'MB/s':>9} {'msgs':>8} {'msgs/s':>9}"
        f" {'peak RSS':>10}"
    )
    with _prefect_server():
        rounds = _run_rounds(modes, path, args.repeat)
    results: dict[str, dict] = {}
    for mode in modes:
        r = min((rnd[mode] for rnd in rounds), key=lambda x: x["seconds"])
        r["rss_mib"] = max(rnd[mode]["rss_mib"] for rnd in rounds)
        results[mode] = r
        msgs = r["messages"] or "-"
        rate = f"{r['messages'] / r['seconds']:9.0f}" if r["messages"] else f"{'-':>9}"
        print(
            f"{mode:8} {r['seconds']:8.2f} {r['cpu']:7.2f} {size_mb / r['seconds']:9.1f}"
            f" {msgs:>8} {rate}"
            f" {r['rss_mib']:7.0f} MiB"
        )

    def ratios(a: str, b: str) -> str:
        """`b` is `ratio` times faster than `a`: median of the rounds (each round's own
        pair), then the rounds, then best against best."""
        if a not in results or b not in results:
            return "n/a"
        per_round = [rnd[b]["seconds"] / rnd[a]["seconds"] for rnd in rounds]
        best = results[b]["seconds"] / results[a]["seconds"]
        rounds_text = ", ".join(f"{x:.2f}" for x in per_round)
        return f"{statistics.median(per_round):.2f}  (rounds: {rounds_text}; best/best {best:.2f})"

    print("ratios: median of the rounds, each round's modes measured back to back")
    print(f"kith  / stdlib : {ratios('kith', 'stdlib')}   acceptance: >= 10x")
    print(f"kith1 / stdlib : {ratios('kith1', 'stdlib')}")
    print(f"kith  / split  : {ratios('kith', 'split')}   acceptance: >= 0.50")
    print(f"kith1 / split  : {ratios('kith1', 'split')}")
    if "kith" in results:
        starts = ", ".join(f"{rnd['kith']['pool_start']:.1f}" for rnd in rounds)
        print(f"pool start (kith, not in its seconds): {starts} s")
    if args.kith_run:
        import tempfile

        # Each `kith run` starts a Prefect server (~30 s, varying by seconds): the marginal
        # is a difference of two such runs, so it is taken in rounds, back to back.
        sample = REPO / "data" / "sample"
        marginals = []
        for i in range(args.kith_run_rounds):
            with tempfile.TemporaryDirectory() as tmp:
                base = _kith_run([str(sample)], Path(tmp) / "a")
                big = _kith_run([str(sample), str(path)], Path(tmp) / "b")
            marginals.append(big - base)
            print(f"kith run round {i + 1}: sample {base:.1f}s  sample+file {big:.1f}s")
        marginal = statistics.median(marginals)
        print(
            f"kith run marginal (median of {len(marginals)}): {marginal:.1f}s"
            f"  (rounds: {', '.join(f'{m:.1f}' for m in marginals)})"
        )
        if "stdlib" in results:
            stdlib = statistics.median(rnd["stdlib"]["seconds"] for rnd in rounds)
            print(
                f"marginal / stdlib iteration (median {stdlib:.1f}s): {marginal / stdlib:.2f}"
                "   (acceptance: < 1)"
            )


if __name__ == "__main__":
    main()
