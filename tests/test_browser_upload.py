"""The upload flow in headless Chromium, as a user does it: download the template, fill it,
upload it, read the preview, apply, see the gauge change, undo, see it back. Screenshots of
the preview with errors and of the history go to docs/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page

from tests.browser_support import SHOTS, settle

CLASSES = "Lớp bồi dưỡng LLCT cho đối tượng kết nạp Đảng"  # A6's indicator, Vietnamese header


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1300}, accept_downloads=True)
    yield context.new_page()
    context.close()


def a6_value(page: Page, url: str, year: int) -> str:
    page.goto(f"{url}/?year={year}")
    page.wait_for_selector(".st-key-goal-A6 .annotation-text", timeout=30_000)
    settle(page)
    return str(page.text_content(".st-key-goal-A6 .annotation-text"))


def test_template_upload_preview_apply_undo_round_trip(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    before = a6_value(page, app_url, 2025)
    page.goto(app_url + "/cap-nhat")
    page.wait_for_selector("text=Tải tệp mẫu", timeout=30_000)
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải tệp mẫu Excel (.xlsx)").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "mau-so-lieu-2025.xlsx"

    # The committee office fills in the template: A6's classes for 2025 become 5.
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Năm", "Mã tổ chức", "Tên tổ chức"]
    col = header.index(CLASSES) + 1
    root_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "DBCQ")
    ws.cell(root_row, col).value = 5
    filled = tmp_path / "so-lieu-2025.xlsx"
    wb.save(filled)

    # First a file with mistakes: the preview lists them by row and column, writes nothing.
    bad = tmp_path / "loi.csv"
    bad.write_text(
        "year,org_code,indicator_code,value\n2025,CQ-01,members_total,abc\n"
        "2025,CQ-99,members_total,10\n2025,CQ-02,inspected,2\n",
        encoding="utf-8",
    )
    page.locator("input[type=file]").set_input_files(str(bad))
    page.wait_for_selector("text=Tệp có 3 lỗi", timeout=30_000)
    settle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "upload-preview-errors.png"))
    assert page.get_by_role("button", name="Cập nhật vào cơ sở dữ liệu").count() == 0

    page.locator("input[type=file]").set_input_files(str(filled))
    page.wait_for_selector("text=Số liệu dạng ngang", timeout=30_000)
    settle(page)
    assert "Giá trị thay đổi (cũ → mới)" in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "upload-preview.png"))
    # a look at the history and back: the file chosen is still chosen, its preview shown
    page.get_by_role("tab", name="Lịch sử cập nhật").click()
    page.wait_for_selector("text=Các tệp đã cập nhật", timeout=30_000)
    settle(page)
    page.get_by_role("tab", name="Tải tệp lên").click()
    page.wait_for_selector("text=Số liệu dạng ngang", timeout=30_000)
    settle(page)
    assert "so-lieu-2025.xlsx" in page.inner_text("body")
    page.get_by_role("button", name="Cập nhật vào cơ sở dữ liệu").click()
    page.wait_for_selector("text=Đã cập nhật (lần cập nhật số", timeout=30_000)
    settle(page)
    # the same file again is refused, not applied twice
    assert "Tệp này đã được cập nhật ngày" in page.inner_text("body")

    assert a6_value(page, app_url, 2025) == "5"

    page.goto(app_url + "/cap-nhat")
    page.wait_for_selector("text=Lịch sử cập nhật", timeout=30_000)
    page.get_by_role("tab", name="Lịch sử cập nhật").click()
    page.wait_for_selector("text=Các tệp đã cập nhật")
    # the heading comes first: the history's table and the undo below it are drawn after
    page.wait_for_selector("text=Tôi đã xem và đồng ý hoàn tác", timeout=30_000)
    page.wait_for_selector("[data-testid=stDataFrame]", timeout=30_000)
    settle(page)
    page.screenshot(path=str(SHOTS / "upload-history.png"))
    # undo picks the file just applied, says what goes back, and waits for a confirmation
    body = page.inner_text("body")
    assert "tệp «so-lieu-2025.xlsx»" in body and "trở về giá trị trước đó" in body, body
    assert page.get_by_role("button", name="Hoàn tác").is_disabled()
    page.get_by_text("Tôi đã xem và đồng ý hoàn tác").click()
    settle(page)
    page.get_by_role("button", name="Hoàn tác").click()
    page.wait_for_selector("text=Đã hoàn tác lần cập nhật", timeout=30_000)

    assert a6_value(page, app_url, 2025) == before


# A wide file with a mistake of each kind in every row: long messages (a rule broken, named
# by the indicators' Vietnamese names; a rating out of its levels) next to short ones.
MANY_MISTAKES = "".join(f"2025,CQ-{n:02d},28,99,abc,9\n" for n in range(1, 16))
MANY_HEADER = "Năm,Mã tổ chức,Tổng số đảng viên,members_studied,new_members,org_rating\n"

# every cell of the problems table shows its whole text: nothing cut, nothing hidden past
# the table's edge, no cell wider than the page
CUT_CELLS_JS = """() => {
    const table = document.querySelector('.st-key-errors [data-testid="stTable"]');
    if (!table) return ['no problems table'];
    const cut = [];
    for (const cell of table.querySelectorAll('td, th')) {
        if (cell.scrollWidth > cell.clientWidth + 1) cut.push(cell.innerText);
        const box = cell.getBoundingClientRect();
        if (box.right > document.documentElement.clientWidth) cut.push('past: ' + cell.innerText);
    }
    return cut;
}"""


@pytest.mark.parametrize("width", [1400, 390])
def test_every_problem_of_a_file_reads_in_full_on_the_upload_page(
    browser: Browser, app_url: str, tmp_path: Path, width: int
) -> None:
    """Some fifty problems of a file (type errors and broken rules together) in one table
    whose long messages wrap instead of being cut, on a desk and on a phone."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    try:
        page.goto(app_url + "/cap-nhat")
        page.wait_for_selector("text=Tải tệp mẫu", timeout=30_000)
        settle(page)
        bad = tmp_path / "nhieu-loi.csv"
        bad.write_text(MANY_HEADER + MANY_MISTAKES, encoding="utf-8")
        page.locator("input[type=file]").set_input_files(str(bad))
        page.wait_for_selector("text=/Tệp có \\d+ lỗi/", timeout=30_000)
        page.wait_for_selector('.st-key-errors [data-testid="stTable"] td', timeout=30_000)
        settle(page)
        table = page.locator(".st-key-errors")
        text = table.text_content() or ""
        # the rule broken and the typing mistakes of one row, all listed, with their columns
        assert "99 lớn hơn tổng số đảng viên (28)" in text, text
        assert "D · members_studied" in text and "E · new_members" in text, text
        assert page.evaluate(CUT_CELLS_JS) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        table.screenshot(path=str(SHOTS / f"upload-many-errors-{width}.png"))
        page.screenshot(path=str(SHOTS / f"upload-many-errors-page-{width}.png"))
    finally:
        context.close()
