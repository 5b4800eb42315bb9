"""The dashboard in a real browser: `kith dashboard` on a free local port, every page loaded
in headless Chromium (Debian's package, driven by Playwright), key text present, no
Streamlit exception, no request leaving 127.0.0.1; screenshots in tests/screenshots/
(git-ignored). Then a run swaps the warehouse while the server is up, and a reload shows
the new data.

`playwright install` cannot download browsers here: Chromium comes from apt (.ci/run
installs it). Without it the test skips locally, but fails in CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.dashboards.support import build

pytestmark = pytest.mark.slow  # starts processes

SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"kith dashboard exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("kith dashboard did not answer in time")


@pytest.fixture(scope="module")
def server(network, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """`kith dashboard` on its own copy of the warehouse (the swap test replaces it)."""
    chromium()
    db = tmp_path_factory.mktemp("served") / "kith.duckdb"
    shutil.copy(network.db, db)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "dashboard", "--db", str(db), "--port", str(port)],
        cwd=tmp_path_factory.mktemp("cwd"),  # the command must not depend on the caller's cwd
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, db
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    url, _ = server
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on(
            "request",
            lambda r: None if r.url.startswith((url, "data:", "blob:")) else outside.append(r.url),
        )
        yield page, url, outside
        browser.close()


def settle(page, *selectors: str) -> None:
    """Wait for the page's own elements, then for Streamlit to stop running the script."""
    for selector in selectors:
        page.wait_for_selector(selector, timeout=30_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=30_000)
    page.wait_for_timeout(800)


def check(page, name: str, *texts: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.inner_text("body")
    for text in texts:
        assert text in body, f"{text!r} not on the {name} page"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_every_page_renders_in_chromium(browser_page, network):
    page, url, outside = browser_page
    oldest = max(network.truth, key=lambda r: int(r["days_since_last_contact"] or -1))

    page.goto(f"{url}/")
    settle(page, '[data-testid="stMetric"]', '[data-testid="stPageLink"]')
    check(
        page,
        "today",
        "Today",
        "As of 2026-11-08",
        "Overdue follow-ups",
        "Reconnect",
        "Reciprocity",
        "Person",
        "Network",
        oldest["display_name"],  # top of the most-urgent list
    )

    page.goto(f"{url}/reconnect")
    settle(page, '[data-testid="stDataFrame"]')
    check(page, "reconnect", "Reconnect", "open items shown")

    page.goto(f"{url}/reciprocity")
    settle(page, '[data-testid="stVegaLiteChart"]', '[data-testid="stDataFrame"]')
    check(page, "reciprocity", "Only you write", "Only they write", "Reply latency")

    page.goto(f"{url}/person")
    settle(page, '[data-testid="stTextInput"] input')
    page.fill('[data-testid="stTextInput"] input', oldest["display_name"])
    page.keyboard.press("Enter")
    settle(page, '[data-testid="stVegaLiteChart"]', '[data-testid="stHeading"] h2')
    check(page, "person", oldest["display_name"], "Identities", "Timeline", "Strength over time")

    page.goto(f"{url}/network")
    settle(page, '[data-testid="stVegaLiteChart"]', '[data-testid="stMetric"]')
    check(page, "network", "Growth by month", "Company diversity (Blau)", "Email domains")

    assert outside == []  # no fonts, CDNs or telemetry: nothing leaves the machine


def test_survives_a_warehouse_swap(browser_page, server, network):
    page, url, _ = browser_page
    _, db = server
    page.goto(f"{url}/")
    settle(page, '[data-testid="stMetric"]')
    assert "As of 2026-11-08" in page.inner_text("body")
    inode = db.stat().st_ino
    build(network.sources, db, date(2026, 11, 15))  # a nightly run: build aside, os.replace
    assert db.stat().st_ino != inode
    page.reload()
    settle(page, '[data-testid="stMetric"]')
    body = page.inner_text("body")
    assert "As of 2026-11-15" in body
    assert "Changes since the snapshot of 2026-11-08." in body
    assert page.locator('[data-testid="stException"]').count() == 0
