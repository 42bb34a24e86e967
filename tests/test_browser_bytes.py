"""What a page sends to the browser does not grow with the number of organisations past a
screenful (issue 15): the same pages, opened in Chromium on a committee of 40 cells and on
one of 400, send about as many bytes on their WebSocket. Rankings show the weakest and the
strongest, tables a page, the cell box a list up to MAX_CELL_OPTIONS cells and past it a
box of typed codes, which keeps what the reader typed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from bench import generate
from bench.browser import TIMEOUT_MS, Counter, until_quiet
from src.engine import aggregates
from src.services import bootstrap
from tests.browser_support import SETTLED_JS, dashboard, drawn, pick, warm_up

PAGES = ["", "chi-tieu?goal=A4&year=2024", "chi-bo?year=2024", "bao-cao", "cap-nhat"]
SMALL, LARGE = 40, 400
# What more organisations may add: longer numbers, names in the one screenful shown
SLACK_SHARE, SLACK_BYTES = 0.10, 6_000


def build(path: Path, units: int) -> Path:
    con = bootstrap.open_database(path)
    try:
        generate.generate(con, generate.tiny(seed=7, units=units))
        aggregates.rebuild(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def sent(browser: Browser, *urls: str) -> list[dict[str, int]]:
    """Bytes received on the WebSocket by a view of each page of each server, after a first
    run. The views are opened side by side, each in a tab of its own (a session of its own):
    only their bytes are compared, and one after the other they spent most of their time
    waiting for the quiet that says a run has sent everything."""
    warm_up(browser, *urls)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    # Plotly's script is not loaded, so its charts are not drawn: what the server sends does
    # not depend on it (the same bytes with and without), and ten tabs drawing their charts
    # side by side took a fifth of this test's time
    context.route("**/PlotlyChart.*.js", lambda route: route.abort())
    try:
        tabs = []
        for url in urls:
            for path in PAGES:
                page = context.new_page()
                tabs.append((url, path or "overview", page, Counter(page)))
                page.goto(f"{url}/{path}", wait_until="commit", timeout=TIMEOUT_MS)
        out: dict[str, dict[str, int]] = {url: {} for url in urls}
        for url, name, page, counter in tabs:
            drawn(page, TIMEOUT_MS)
            assert until_quiet(page, counter, time.perf_counter() + TIMEOUT_MS / 1000), name
            out[url][name] = counter.bytes
        return [out[url] for url in urls]
    finally:
        context.close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The dashboard on a committee of SMALL cells and on one of LARGE, side by side."""
    small = build(tmp_path_factory.mktemp("small") / "small.duckdb", SMALL)
    large = build(tmp_path_factory.mktemp("large") / "large.duckdb", LARGE)
    with dashboard(small) as small_url, dashboard(large) as large_url:
        yield small_url, large_url


@pytest.fixture(scope="module")
def large_url(servers: tuple[str, str]) -> str:
    return servers[1]


@pytest.fixture(scope="module")
def bytes_by_size(
    browser: Browser, servers: tuple[str, str]
) -> tuple[dict[str, int], dict[str, int]]:
    small, large = sent(browser, *servers)
    print(f"\nbytes sent, {SMALL} cells: {small}\nbytes sent, {LARGE} cells: {large}")
    return small, large


@pytest.mark.parametrize("page", [p or "overview" for p in PAGES])
def test_a_page_sends_about_as_much_for_ten_times_the_cells(
    bytes_by_size: tuple[dict[str, int], dict[str, int]], page: str
) -> None:
    small, large = bytes_by_size
    assert small[page] > 0
    assert large[page] <= small[page] * (1 + SLACK_SHARE) + SLACK_BYTES, (small[page], large[page])


def test_past_the_list_codes_typed_in_the_cell_box_select_those_cells(
    browser: Browser, large_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(large_url + "/?year=2024")
        drawn(page)
        box = page.locator(".st-key-cells_text input")
        pick(page, "cells", "G0000002, G0000003")
        page.wait_for_url("**cells=G0000002**", timeout=60_000)
        page.wait_for_function(SETTLED_JS, timeout=60_000)
        assert "cells=G0000003" in page.url
        assert "2 tổ chức cơ sở đã chọn" in page.inner_text("body")
        assert box.input_value() == "G0000002, G0000003"  # what was typed stays typed
    finally:
        context.close()
