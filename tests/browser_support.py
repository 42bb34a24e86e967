"""Starting the dashboard and Debian's Chromium for browser tests (no downloaded browser)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
# Screenshots the browser tests take, to look at: never into the repository (the README's
# images in docs/ are tracked); `make screenshots` refreshes them on purpose, through a scratch
# SCREENSHOT_DIR from which it copies the images docs/ keeps.
SHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "nq-screenshots")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The tests' browser only (the benchmark times a reader's single tab with CHROMIUM_ARGS): a
# test that opens pages side by side has them drawn at full speed, not as throttled
# background tabs.
TEST_CHROMIUM_ARGS = [
    *CHROMIUM_ARGS,
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def dashboard(
    db: Path, env: dict[str, str] | None = None, app: Path | None = None
) -> Iterator[str]:
    """Run the dashboard as ``make run`` does (or another script, ``app``, with ``streamlit
    run``) on a free port against ``db``; yield its URL."""
    port = free_port()
    full_env = dict(os.environ, DASHBOARD_DB=str(db), **(env or {}))
    log = open(db.with_suffix(".log"), "w")  # noqa: SIM115 - closed below
    # the dashboard as `make run` starts it (src.ui.serve: its modules loaded before it
    # listens); another script with plain `streamlit run`
    start = ["-m", "src.ui.serve"] if app is None else ["-m", "streamlit", "run", str(app)]
    proc = subprocess.Popen(
        [sys.executable, *start, "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("dashboard did not start: " + db.with_suffix(".log").read_text())
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def have_chromium() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


# Streamlit has finished a run: no element of the previous run left, no "running" status.
SETTLED_JS = """() => !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stStatusWidget"]')"""


def settle(page: Page, timeout: float = 30_000) -> None:
    """Wait until the app's current run is drawn completely."""
    page.wait_for_function(SETTLED_JS, timeout=timeout)


def drawn(page: Page, timeout: float = 60_000) -> None:
    """Wait until a page's first run is drawn: its title is on the page (the run has begun:
    a blank page looks settled) and nothing is stale or running."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout)
    settle(page, timeout)


def pick(page: Page, key: str, text: str) -> float:
    """Choose an option of a select widget as a user does: click, type, Enter. Returns the
    moment the choice was made (Enter pressed). Past MAX_CELL_OPTIONS the cell box is a
    text box of codes (key ``cells_text``): the code is typed there the same way."""
    where = f".st-key-{key} input"
    if key == "cells":  # the list, or past it the box of codes: whichever the page draws
        where += ", .st-key-cells_text input"
    page.locator(where).first.click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    return time.perf_counter()


def warm_up(browser: Browser, *urls: str) -> None:
    """One first run of the app on each fresh server, side by side in a context of its own
    that is then closed: Streamlit learns the app's pages at the first run of app.py, and
    before it a deep link is answered with its "Page not found" dialog
    (streamlit/streamlit#9992). Done once per server, so that each test can open its own page
    straight away."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        pages = []
        for url in urls:
            page = context.new_page()
            page.goto(url + "/", wait_until="commit")
            pages.append(page)
        for page in pages:  # the run drawn is enough: its charts need not be
            drawn(page, timeout=60_000)
    finally:
        context.close()
