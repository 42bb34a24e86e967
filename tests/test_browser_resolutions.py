"""The Nghị quyết page in headless Chromium, as a committee office uses it: download the
example, upload it, read each goal in plain words, install it; then follow it on every page
(the choice, and the language, go with the reader from page to page)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Download, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from src.ingest import resolution_book
from src.store.catalogue import load_indicators
from tests.browser_support import SHOTS, settle

EXAMPLE_MENU = "Ví dụ: Nghị quyết 2025-2030 (dữ liệu mẫu)"


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1300}, accept_downloads=True)
    yield context.new_page()
    context.close()


def _open(page: Page, url: str, marker: str) -> None:
    page.goto(url)
    page.wait_for_selector(marker, timeout=60_000)
    settle(page)


def _value(page: Page, key: str) -> str:
    """What a select box shows."""
    box = page.locator(f".st-key-{key}")
    shown = box.locator("input").input_value() or box.inner_text()
    return shown.strip()


def _choose(page: Page, key: str, option: str) -> None:
    page.locator(f".st-key-{key} input").click()
    page.get_by_role("option", name=option).click()
    settle(page)


def _download_after_rerun(page: Page, button: str) -> Download:
    """Click a deferred download button drawn again by the rerun a choice just started. The
    page can look settled before that rerun has begun; a click then reaches the button the
    rerun replaces, and its file is never asked for: the click is made once more, after the
    rerun, when no download came."""
    page.wait_for_timeout(300)
    settle(page)
    for attempt in range(2):
        try:
            with page.expect_download(timeout=20_000) as download:
                page.locator(button).click()
            return download.value
        except PlaywrightTimeoutError:
            if attempt:
                raise
            settle(page)
    raise AssertionError("unreachable")


def test_the_example_is_downloaded_uploaded_previewed_installed_and_followed(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    # (a fresh server answers a first deep link with Streamlit's "Page not found" dialog over
    # the right page, streamlit/streamlit#9992: the overview first)
    _open(page, app_url, ".st-key-lang")
    _open(page, app_url + "/nghi-quyet", "text=Các nghị quyết đã cài đặt")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải sổ ví dụ 2025-2030 (dữ liệu mẫu)").click()
    book = tmp_path / download.value.suggested_filename
    download.value.save_as(book)
    assert book.name == "vi-du-nghi-quyet-2025-2030.xlsx"

    page.locator("[class*='st-key-res_upload'] input[type=file]").set_input_files(str(book))
    page.wait_for_selector("text=Sẽ cài đặt là phiên bản 1", timeout=60_000)
    settle(page)
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "11 chỉ tiêu, 3 chỉ số riêng" in body
    assert page.locator("[data-testid=stDataFrame]").count() == 2  # installed, and the goals
    page.screenshot(path=str(SHOTS / "resolution-preview.png"), full_page=True)
    page.get_by_role("button", name="Cài đặt nghị quyết").click()
    page.wait_for_selector("text=Đã cài đặt nghị quyết VI-DU-2025-2030", timeout=60_000)
    settle(page)
    assert page.get_by_role("button", name="Cài đặt nghị quyết").count() == 0  # emptied
    page.screenshot(path=str(SHOTS / "resolutions.png"), full_page=True)

    # the installed one's workbook, made when its button is clicked, reads back the same
    page.locator(".st-key-res_download_pick input").click()
    page.keyboard.type("2025-2030")  # the one installed now: the other is 2020-2025
    page.keyboard.press("Enter")
    installed = _download_after_rerun(page, ".st-key-res_download button")
    again = tmp_path / "again" / installed.suggested_filename
    installed.save_as(again)
    assert again.name == "nghi-quyet-VI-DU-2025-2030.xlsx"
    reread = resolution_book.read_book(again.read_bytes(), again.name, load_indicators())
    assert reread.doc is not None and reread.doc.resolution.code == "VI-DU-2025-2030"
    assert len(reread.doc.goals) == 11

    # The reader follows the new resolution: its years on the overview, and on the upload
    # page the same choice, with the base year offered for the template.
    _open(page, app_url, ".st-key-res input")
    _choose(page, "res", EXAMPLE_MENU)
    page.wait_for_selector(f"text={EXAMPLE_MENU} · năm", timeout=60_000)  # the caption
    settle(page)
    assert _value(page, "year") in {"2026", "2027", "2028", "2029", "2030"}
    page.screenshot(path=str(SHOTS / "overview-2025-2030.png"), full_page=True)
    page.get_by_role("link", name="Cập nhật số liệu").click()
    page.wait_for_selector(".st-key-tyear", timeout=60_000)
    settle(page)
    assert _value(page, "res") == EXAMPLE_MENU
    assert _value(page, "tyear") == "2030"


def test_the_language_chosen_stays_from_page_to_page(page: Page, app_url: str) -> None:
    _open(page, app_url, ".st-key-lang")
    page.locator(".st-key-lang").get_by_text("English").click()
    settle(page)
    page.wait_for_selector("text=Filters", timeout=30_000)
    page.get_by_role("link", name="Resolutions").click()
    page.wait_for_selector("text=Installed resolutions", timeout=60_000)
    settle(page)
    assert "Installed resolutions" in page.locator("[data-testid=stMain]").inner_text()
