"""The overview in headless Chromium on the demo data: every gauge drawn, Vietnamese, no
exception, nothing fetched from outside the machine, filters answer quickly."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, Page

from src.engine.progress import progress_table
from src.i18n import fmt_num
from tests.browser_support import SHOTS, pick, settle


@pytest.fixture(scope="module")
def app_url(read_only_app_url: str) -> str:
    """This module only reads: the dashboard shared by the read-only modules."""
    return read_only_app_url


QUANTITATIVE = [
    "A1",
    "A3",
    "A3a",
    "A4",
    "A4a",
    "A5",
    "A5a",
    "A6",
    "A7",
    "A8",
    "A9",
    "A10",
    "T1",
    "T2",
]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


SETTLED = """n => document.querySelectorAll('.js-plotly-plot .indicatorlayer').length === n
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stStatusWidget"]')"""


def wait_for_gauges(page: Page, count: int, timeout: float = 30_000) -> None:
    """Wait until exactly ``count`` gauges are drawn and no element of a previous run is left."""
    page.wait_for_function(SETTLED, arg=count, timeout=timeout)


def gauge_numbers(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        ".js-plotly-plot .annotation-text", "els => els.map(e => e.textContent)"
    )


def a1_2024(db: Path) -> tuple[float, float]:
    """A1's numbers for 2024 as the data layer computes them on the demo database."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = progress_table(con, 2024).set_index("goal_code").loc["A1"]
        return float(row["numerator"]), float(row["denominator"])
    finally:
        con.close()


def test_overview_draws_a_gauge_for_every_quantitative_goal_in_vietnamese(
    page: Page, app_url: str, demo_db: Path
) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    page.goto(app_url + "/?year=2024")
    wait_for_gauges(page, len(QUANTITATIVE))
    for code in QUANTITATIVE:
        card = page.locator(f".st-key-goal-{code}")
        assert card.locator(".js-plotly-plot").count() == 1, code
    body = page.inner_text("body")
    assert "Tổng quan thực hiện chỉ tiêu" in body
    assert "Dữ liệu mẫu" in body
    assert "chỉ tiêu đạt" in body
    assert "Chưa đạt" in body or "Gần đạt" in body
    num, den = a1_2024(demo_db)
    assert f"{fmt_num(num)} / {fmt_num(den)} đảng viên" in body  # A1, Vietnamese format
    assert page.locator("[data-testid='stException']").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 3000})
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "overview.png"))
    assert outside == [], outside


def wait_numbers_change(page: Page, before: list[str]) -> None:
    page.wait_for_function(
        "old => JSON.stringify([...document.querySelectorAll("
        "'.js-plotly-plot .annotation-text')].map(e => e.textContent)) !== old",
        arg=json.dumps(before, separators=(",", ":"), ensure_ascii=False),
    )


def test_changing_year_and_cells_updates_every_gauge_quickly(page: Page, app_url: str) -> None:
    page.goto(app_url + "/?year=2024")
    wait_for_gauges(page, len(QUANTITATIVE))
    before = gauge_numbers(page)
    start = pick(page, "year", "2021")
    wait_numbers_change(page, before)
    wait_for_gauges(page, len(QUANTITATIVE))
    year_ms = (time.perf_counter() - start) * 1000
    after = gauge_numbers(page)
    assert len(after) == len(before) and after != before
    page.wait_for_url("**year=2021**")
    start = pick(page, "cells", "CQ-01")
    page.wait_for_selector("text=Chỉ tiêu đánh giá ở cấp Đảng bộ")
    wait_numbers_change(page, after)
    settle(page)  # the run is over: a card it no longer draws is gone, not merely stale
    cell_ms = (time.perf_counter() - start) * 1000
    assert page.locator(".st-key-goal-A6 .js-plotly-plot").count() == 0
    assert page.locator(".st-key-goal-A1 .js-plotly-plot").count() == 1
    page.wait_for_url("**cells=CQ-01**")
    print(f"\nyear change: every gauge redrawn in {year_ms:.0f} ms; one cell: {cell_ms:.0f} ms")


def test_a_link_with_year_and_cells_opens_that_view(page: Page, app_url: str) -> None:
    page.goto(app_url + "/?year=2022&cells=CQ-01&cells=CQ-02")
    page.wait_for_selector("text=2 tổ chức cơ sở đã chọn")
    wait_for_gauges(page, len(QUANTITATIVE) - 3)
    body = page.inner_text("body")
    assert "năm 2022" in body
    assert "Chỉ tiêu đánh giá ở cấp Đảng bộ" in body


def test_english_on_request(page: Page, app_url: str, demo_db: Path) -> None:
    page.goto(app_url + "/?year=2024&lang=en")
    wait_for_gauges(page, len(QUANTITATIVE))
    body = page.inner_text("body")
    assert "Targets at a glance" in body
    num, den = a1_2024(demo_db)
    assert f"{fmt_num(num, 'en')} / {fmt_num(den, 'en')} members" in body
