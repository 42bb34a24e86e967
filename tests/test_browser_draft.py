"""The Nghị quyết page's draft in headless Chromium, as a committee office uses it: paste the
resolution's text, see each proposed goal's target highlighted in its sentence, see the
workbook's preview, install; the draft is then gone (no second install)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from tests.browser_support import SHOTS, settle

ARTICLE = Path(__file__).resolve().parent / "data" / "draft" / "resolution-article-vi.txt"
WIDE = ViewportSize(width=1366, height=768)
PHONE = ViewportSize(width=390, height=844)
# how Streamlit draws :orange-background[…]: a span coloured in the theme's orange
HIGHLIGHT = ".st-key-draft_sources span.stMarkdownColoredBackground"


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=WIDE)
    yield context.new_page()
    context.close()


def _open(page: Page, url: str, marker: str) -> None:
    page.goto(url)
    page.wait_for_selector(marker, timeout=60_000)
    settle(page)


def _shoot(page: Page, name: str, at: str) -> None:
    """The page at a laptop's and a phone's size, scrolled to ``at`` (Streamlit scrolls its
    main block itself: a full-page shot holds one screen)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, tag in ((WIDE, "wide"), (PHONE, "phone")):
        page.set_viewport_size(size)
        settle(page)
        page.locator(at).first.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(SHOTS / f"{name}-{tag}.png"), full_page=True)
    page.set_viewport_size(WIDE)
    settle(page)


def test_the_text_pasted_shows_each_target_highlighted_and_installs_once(
    page: Page, app_url: str
) -> None:
    # (the overview first: a fresh server's first deep link opens a "Page not found" dialog)
    _open(page, app_url, ".st-key-lang")
    _open(page, app_url + "/nghi-quyet", "text=Soạn nghị quyết từ văn bản")
    page.locator(".st-key-draft_text_0 textarea").fill(ARTICLE.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Đề xuất các chỉ tiêu").click()
    page.wait_for_selector("text=Đề xuất 15 chỉ tiêu", timeout=60_000)
    page.wait_for_selector("text=Sẽ cài đặt là phiên bản 1", timeout=60_000)
    settle(page)

    marks = page.locator(HIGHLIGHT).all_inner_texts()
    assert len(marks) == 15
    assert {"100%", "ít nhất 20%", "400", "hoàn thành tốt nhiệm vụ trở lên"} <= set(marks)
    sources = page.locator(".st-key-draft_sources").inner_text()
    assert "\\" not in sources  # the escapes do not show
    assert page.locator(".st-key-draft_editor_1_vi").count() == 1  # the editable table
    _shoot(page, "draft-sources", ".st-key-draft_sources")
    _shoot(page, "draft-table", ".st-key-draft_editor_1_vi")
    _shoot(page, "draft-preview", ".st-key-draft_go")

    assert page.locator(".st-key-draft_go button").is_enabled()
    page.locator(".st-key-draft_go button").click()
    page.wait_for_selector("text=Đã cài đặt nghị quyết NQ-2020-2025", timeout=60_000)
    settle(page)
    assert page.locator(".st-key-draft_go").count() == 0  # the draft is gone
    assert page.locator(HIGHLIGHT).count() == 0
    installed = page.locator("[data-testid=stMain]").inner_text()
    assert "NQ-2020-2025" in installed
    _shoot(page, "draft-installed", "[data-testid=stAlertContentSuccess]")
