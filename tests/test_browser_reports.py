"""The reports page in headless Chromium on the demo data: the two download buttons produce a
Word report and an Excel workbook that open again and hold the numbers of the data layer,
for the year and for the term. A screenshot of the page goes to docs/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page

from src.engine.progress import progress_table
from src.i18n import fmt_pct
from src.store import storage
from tests.browser_support import SHOTS, settle


@pytest.fixture(scope="module")
def app_url(read_only_app_url: str) -> str:
    """This module only reads: the dashboard shared by the read-only modules."""
    return read_only_app_url


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1400, "height": 1100}, accept_downloads=True, locale="vi-VN"
    )
    yield context.new_page()
    context.close()


def a4(demo_db: Path, year: int) -> str:
    con = storage.connect(demo_db, read_only=True)
    try:
        table = progress_table(con, year)
    finally:
        con.close()
    return fmt_pct(float(table.set_index("goal_code").loc["A4", "actual"]))


def test_download_buttons_produce_the_word_report_and_the_workbook(
    page: Page, app_url: str, demo_db: Path, tmp_path: Path
) -> None:
    page.goto(app_url)  # a fresh server knows its pages after a first run of the app
    page.wait_for_selector("text=Tổng quan thực hiện chỉ tiêu", timeout=30_000)
    page.goto(app_url + "/bao-cao")
    page.wait_for_selector("text=Bảng 1 của báo cáo, năm 2025", timeout=30_000)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000, state="attached")
    settle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "reports.png"))

    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Tải báo cáo Word (.docx)").click()
    word = tmp_path / download.value.suggested_filename
    download.value.save_as(word)
    assert word.name == "bao-cao-chi-tieu-2025.docx"
    doc = Document(str(word))
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert any(t.endswith("nhiệm kỳ 2020-2025, năm 2025") for t in texts)
    table = next(tb for tb in doc.tables if tb.rows[0].cells[0].text == "TT")
    a4_row = next(r for r in table.rows if r.cells[0].text == "A4")
    assert a4_row.cells[-2].text == a4(demo_db, 2025)
    assert "DỮ LIỆU MẪU" in "\n".join(texts)
    assert len(doc.inline_shapes) == 2  # the charts, drawn by the server's Chromium

    page.get_by_text("Từ đầu nhiệm kỳ đến năm 2025").click()
    page.wait_for_selector("text=Bảng 1 của báo cáo, giai đoạn 2020-2025", timeout=30_000)
    settle(page)
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Tải bảng tính Excel (.xlsx)").click()
    excel = tmp_path / download.value.suggested_filename
    download.value.save_as(excel)
    assert excel.name == "bao-cao-chi-tieu-2020-2025.xlsx"
    workbook = load_workbook(excel)
    assert workbook.sheetnames == [
        "Chỉ tiêu 2020-2025",
        "Kết quả theo tổ chức",
        "Số liệu gốc",
        "Thông tin",
    ]
    ws = workbook["Chỉ tiêu 2020-2025"]
    header = [c.value for c in ws[6]]
    row = next(r for r in ws.iter_rows(min_row=7, values_only=True) if r[0] == "A4")
    value = row[header.index("Năm 2025")]
    assert isinstance(value, float) and fmt_pct(value * 100) == a4(demo_db, 2025)
