"""The goal and cells pages in headless Chromium on the demo data: they render with their
charts and no exception, a link with year, cells and goal opens that view, and a change of
filter is answered quickly. Screenshots go to docs/."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser_support import SETTLED_JS, SHOTS


@pytest.fixture(scope="module")
def app_url(read_only_app_url: str) -> str:
    """This module only reads: the dashboard shared by the read-only modules."""
    return read_only_app_url


SETTLED = """() => !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && document.querySelectorAll('.js-plotly-plot .main-svg').length > 0"""


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    """A fresh context on the module's server, which app_url has already run once (so that
    it knows its pages and answers a deep link)."""
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    yield context.new_page()
    context.close()


def settle(page: Page) -> None:
    page.wait_for_function(SETTLED, timeout=30_000)
    page.wait_for_timeout(300)


def no_exception(page: Page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.inner_text("body")


def test_a_link_with_goal_year_and_cells_opens_that_goal_view(page: Page, app_url: str) -> None:
    page.goto(app_url + "/chi-tieu?goal=A4&year=2023&cells=CQ-13&cells=CQ-14")
    page.wait_for_selector("text=Chỉ tiêu A4: Đảng viên hoàn thành tốt nhiệm vụ trở lên")
    settle(page)
    body = page.inner_text("body")
    assert "năm 2023" in body and "2 tổ chức cơ sở đã chọn" in body
    assert "Định nghĩa" in body and "Ban Tổ chức Đảng ủy" in body  # unit in charge
    assert "Các chi bộ, từ thấp đến cao (năm 2023)" in body
    # gauge, trend, ranked bars: each drawn. A drawn chart holds two .main-svg layers, so
    # count the charts that hold one, not the layers (that passed on a single chart).
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot')]
            .filter((c) => c.querySelector('.main-svg')).length >= 3""",
        timeout=30_000,
    )
    assert page.locator(".js-plotly-plot:has(.main-svg)").count() >= 3
    no_exception(page)


def test_goal_page_shows_ranking_trend_and_provenance(page: Page, app_url: str) -> None:
    page.goto(app_url + "/chi-tieu?goal=A4&year=2024")
    page.wait_for_selector("text=Các chi bộ, từ thấp đến cao (năm 2024)")
    settle(page)
    page.get_by_text("Nguồn gốc số liệu").click()
    page.wait_for_selector("text=Các tệp đã đưa vào các giá trị này")
    assert "demo/observations.csv" in page.inner_text("body")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "goal.png"))
    no_exception(page)
    # a change of year is answered quickly
    page.locator(".st-key-year input").click()
    page.keyboard.type("2021")
    page.keyboard.press("Enter")
    start = time.perf_counter()  # from the choice made to the page drawn
    page.wait_for_selector("text=Các chi bộ, từ thấp đến cao (năm 2021)")
    page.wait_for_function(SETTLED, timeout=30_000)
    print(f"\ngoal page, year changed: {(time.perf_counter() - start) * 1000:.0f} ms")


def test_term_goal_shows_pace_projection_and_what_is_still_needed(page: Page, app_url: str) -> None:
    page.goto(app_url + "/chi-tieu?goal=T1&year=2022")
    page.wait_for_selector("text=Lũy kế đến hết năm 2022")
    settle(page)
    body = page.inner_text("body")
    assert "Tiến độ năm 2022" in body and "Dự báo đến 2025" in body
    assert "đảng viên/năm để đạt chỉ tiêu" in body
    page.screenshot(path=str(SHOTS / "goal-term.png"))
    no_exception(page)


def test_coverage_goal_lists_the_organisations_not_covered(page: Page, app_url: str) -> None:
    page.goto(app_url + "/chi-tieu?goal=A8&year=2024")
    page.wait_for_selector("text=Tổ chức chưa được tính vào tử số năm 2024")
    settle(page)
    no_exception(page)


def test_cells_page_draws_the_scorecard_and_a_cells_profile(page: Page, app_url: str) -> None:
    page.goto(app_url + "/chi-bo?year=2024&cell=CQ-25")
    page.wait_for_selector("text=Hồ sơ: Chi bộ Sở Giao thông vận tải")
    settle(page)
    body = page.inner_text("body")
    assert "Bảng điểm năm 2024" in body and "Tình hình báo cáo" in body
    # Plotly draws the heatmap's layer just after Streamlit's run settles
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", state="attached", timeout=30_000)
    assert page.locator(".js-plotly-plot .heatmaplayer").count() == 1
    page.screenshot(path=str(SHOTS / "cells.png"))
    no_exception(page)
    page.locator(".st-key-year input").click()
    page.keyboard.type("2022")
    page.keyboard.press("Enter")
    start = time.perf_counter()  # from the choice made to the page drawn
    page.wait_for_selector("text=Bảng điểm năm 2022")
    page.wait_for_function(SETTLED, timeout=30_000)
    print(f"\nscorecard, year changed: {(time.perf_counter() - start) * 1000:.0f} ms")


def test_a_square_of_the_scorecard_opens_that_goal_for_that_cell(page: Page, app_url: str) -> None:
    page.goto(app_url + "/chi-bo?year=2025")
    page.wait_for_selector(".st-key-scorecard [id^='glide-cell']", state="attached", timeout=60_000)
    settle(page)
    code = page.locator(".st-key-scorecard #glide-cell-1-1").inner_text().strip()
    box = page.locator(".st-key-scorecard").bounding_box()
    assert box is not None and code
    # the second row's name (rows of 35 px under a header of 35 px), then two squares right:
    # past the group (no goal: nothing opens), onto the first goal, A1
    page.mouse.click(box["x"] + 150, box["y"] + 35 + 35 + 17)
    page.wait_for_timeout(1500)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1500)
    assert "/chi-bo" in page.url
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("text=Chỉ tiêu A1: Cán bộ, đảng viên", timeout=60_000)
    settle(page)
    assert "/chi-tieu" in page.url and f"cells={code}" in page.url  # (A1: the default goal)
    assert f"({code})" in page.locator("[data-testid='stSidebar']").inner_text()
    no_exception(page)


def test_the_scorecard_shows_each_cells_change_against_last_year_on_request(
    page: Page, app_url: str
) -> None:
    page.goto(app_url + "/chi-bo?year=2025")
    page.wait_for_selector(".st-key-scorecard [id^='glide-cell']", state="attached", timeout=60_000)
    settle(page)

    def numbers() -> list[float]:  # the grid's values as its accessible table holds them
        texts = page.locator(".st-key-scorecard [id^='glide-cell']").all_inner_texts()
        out = []
        for x in texts:
            with contextlib.suppress(ValueError):
                out.append(float(x))
        return out

    assert min(numbers()) >= 0  # the year's results
    page.get_by_text("Thay đổi so với 2024").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll(".st-key-scorecard [id^='glide-cell']")]
            .some(td => parseFloat(td.innerText) < 0)""",
        timeout=60_000,
    )
    assert min(numbers()) < 0  # changes: some cells went down since 2024
    no_exception(page)


# On a phone (390 px): the cells' bars and the scorecard keep room for what they show.
PHONE: ViewportSize = {"width": 390, "height": 844}
TICKS_X = """key => [...document.querySelectorAll(`.st-key-${key} .xtick text`)]
    .map(e => e.getBoundingClientRect()).map(r => r.x + r.width / 2)"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh context on a phone's screen."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def open_chart(page: Page, url: str, key: str) -> None:
    """Open ``url`` and wait until the chart of ``key`` is drawn and the run has ended."""
    page.goto(url)
    page.wait_for_selector(f".st-key-{key} .main-svg", timeout=60_000)
    page.wait_for_function(SETTLED, timeout=30_000)


def test_on_a_phone_the_cells_bars_keep_the_width_and_each_name_is_written_whole(
    phone: Page, app_url: str
) -> None:
    page = phone
    open_chart(page, app_url + "/chi-tieu?goal=A4&year=2025", "ranked")
    chart = page.locator(".st-key-ranked .main-svg").first.bounding_box()
    assert chart is not None
    plot = page.locator(".st-key-ranked .bglayer rect.bg").first.bounding_box()
    assert plot is not None
    # the bars' area spans most of the chart: names no longer take two thirds of it
    assert plot["width"] / chart["width"] >= 0.85, (plot, chart)
    names = page.evaluate(
        """() => [...document.querySelectorAll('.st-key-ranked .annotation-text')]
            .map(e => { const r = e.getBoundingClientRect();
                        return [e.textContent, r.left, r.right]; })"""
    )
    bars = page.locator(".st-key-ranked .barlayer .point").count()
    assert bars >= 20 and len(names) == bars
    for text, left, right in names:
        assert text and left >= chart["x"] - 1 and right <= chart["x"] + chart["width"] + 1
    assert "Chi bộ Cơ quan Liên đoàn Lao động tỉnh" in [n[0] for n in names]


def test_on_a_phone_the_scorecards_squares_keep_their_size_and_scroll_sideways(
    phone: Page, app_url: str
) -> None:
    page = phone
    open_chart(page, app_url + "/chi-bo?year=2025", "heatmap")
    ticks = sorted(page.evaluate(TICKS_X, "heatmap"))
    assert len(ticks) >= 5
    assert min(b - a for a, b in zip(ticks, ticks[1:], strict=False)) >= 36, ticks
    box = page.locator(".st-key-heatmap-box").evaluate(
        "e => [e.parentElement.scrollWidth, e.parentElement.clientWidth]"
    )
    assert box[0] > box[1] <= PHONE["width"]  # its own box scrolls, not the page
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"]
    labels = page.evaluate(
        "() => [...document.querySelectorAll('.st-key-heatmap .ytick text')]"
        ".map(e => e.textContent)"
    )
    assert labels and all(label.startswith("CQ-") for label in labels)


UPLOADER_WORDS = """() => [...document.querySelectorAll('[data-testid=stFileUploaderDropzone]')]
    .map(z => [...z.querySelectorAll(
        'button p, [data-testid=stFileUploaderDropzoneInstructions] span')]
        .map(e => [getComputedStyle(e, '::after').content, getComputedStyle(e).fontSize]))"""


def test_the_file_boxes_say_upload_and_their_limit_in_vietnamese(page: Page, app_url: str) -> None:
    for path in ("cap-nhat", "nghi-quyet"):  # the data's file box; the resolution's two
        page.goto(f"{app_url}/{path}")
        page.wait_for_selector("[data-testid=stFileUploaderDropzone]", timeout=60_000)
        page.wait_for_function(SETTLED_JS, timeout=30_000)
        # the page's style element may land a frame after the box it styles: wait for it
        drawn = f"() => ({UPLOADER_WORDS})().every(p => p.length == 2 && p[0][0] != 'none')"
        with contextlib.suppress(PlaywrightTimeoutError):  # then the asserts say what is shown
            page.wait_for_function(drawn, timeout=15_000)
        boxes = page.evaluate(UPLOADER_WORDS)
        assert boxes and all(len(parts) == 2 for parts in boxes)
        for (button, button_px), (limit, limit_px) in boxes:
            assert button == '"Tải tệp lên"' and button_px == "0px"  # "Upload" is not shown
            assert "MB mỗi tệp" in limit and limit.startswith('"Tối đa ') and limit_px == "0px"
    page.goto(f"{app_url}/cap-nhat?lang=en")  # English: Streamlit's own words, as they are
    page.wait_for_selector("[data-testid=stFileUploaderDropzone]", timeout=60_000)
    page.wait_for_function(SETTLED_JS, timeout=30_000)
    assert all(after == "none" for parts in page.evaluate(UPLOADER_WORDS) for after, _ in parts)


def test_the_cell_lists_select_all_reads_in_vietnamese(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/?year=2025")
    page.wait_for_function(SETTLED, timeout=60_000)
    page.locator(".st-key-cells input").first.click()
    option = page.locator('[role="option"][data-key="__select_all__"] > div').first
    option.wait_for(timeout=30_000)
    after = option.evaluate("e => getComputedStyle(e, '::after').content")
    assert after == '"Chọn tất cả"'
    assert option.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # not "Select all"
