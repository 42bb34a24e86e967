"""Text typed by users (organisation names, sector groups, assessment notes, file names, who
applied a file) is shown as typed on every page: never as Markdown, HTML or a Plotly label
that makes the reader's browser fetch an address or follow a link (issue 11)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from src.ingest import apply, prepare
from src.store import storage
from src.views.cell_view import short_name
from tests.browser_support import dashboard, settle

TRAP = "198.51.100.7"  # TEST-NET-2: nothing answers there
IMAGE = f"![x](http://{TRAP}/pixel.png)"
LINK = f"[click](http://{TRAP}/)"
TAG = f"<img src=http://{TRAP}/a.png>"
BOLD = "<b>bold</b>"
COLOUR = ":red[x]"
NOTE = f"{LINK} {TAG} $x^2$ :material/lock: <a href='http://{TRAP}/n'>n</a>"
GROUP = f"![g](http://{TRAP}/group.png)"
FILE = f"[tệp](http://{TRAP}/f).csv"
WHO = f"![who](http://{TRAP}/who.png)"

# CQ-01..CQ-05 renamed, CQ-01 and CQ-02 moved to a hostile group; a hostile note on T3.
ORGS = (
    "org_code,name,kind,parent_code,group,active_from,active_to\n"
    f'CQ-01,"{IMAGE}",grassroots_cell,DBCQ,"{GROUP}",,\n'
    f'CQ-02,"{LINK}",grassroots_cell,DBCQ,"{GROUP}",,\n'
    f'CQ-03,"{TAG}",grassroots_cell,DBCQ,"Khối Đảng, đoàn thể",,\n'
    f'CQ-04,"{BOLD}",grassroots_cell,DBCQ,"Khối Đảng, đoàn thể",,\n'
    f'CQ-05,"{COLOUR}",grassroots_cell,DBCQ,"Khối Đảng, đoàn thể",,\n'
)
ASSESSMENT = f'year,goal_code,status,note\n2025,T3,met,"{NOTE}"\n'
VALUES = "year,org_code,indicator_code,value\n2025,CQ-01,members_total,31\n"


def _load(db: Path, text: str, name: str) -> None:
    con = storage.connect(db)
    try:
        data = text.encode("utf-8")
        plan = prepare(con, data, name)
        assert plan.ok, [p.render("en") for p in plan.errors]
        apply(con, plan, applied_by=WHO, data=data)
    finally:
        con.close()


@pytest.fixture(scope="module")
def hostile_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("hostile") / "dash.duckdb"
    shutil.copy(demo_db, db)
    _load(db, ORGS, "to-chuc.csv")
    _load(db, ASSESSMENT, "danh-gia.csv")
    _load(db, VALUES, FILE)  # the last file applied: named in every page's footer
    with dashboard(db) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    yield context.new_page()
    context.close()


def _no_live_markup(page: Page) -> None:
    """Nothing in the page points at the trap address: no image, link, or Plotly link."""
    found = page.evaluate(
        """(trap) => {
            const out = [];
            for (const el of document.querySelectorAll('img, image, a, source, iframe')) {
                for (const attr of ['src', 'href', 'xlink:href', 'srcset']) {
                    const v = el.getAttribute(attr);
                    if (v && v.includes(trap)) out.push(el.tagName + ' ' + attr + '=' + v);
                }
            }
            for (const el of document.querySelectorAll('b, strong, [style*="red"]')) {
                if (el.textContent === 'bold' || el.textContent === 'x') {
                    out.push(el.tagName + ' ' + el.textContent);
                }
            }
            for (const el of document.querySelectorAll('.katex')) out.push('katex');
            return out;
        }""",
        TRAP,
    )
    assert found == [], (page.url, found)


def _visible(page: Page, text: str) -> None:
    """The literal text is on the page, as typed (in HTML text or in a chart's SVG text)."""
    body = page.evaluate(
        """() => document.body.innerText + '\\n' +
            Array.from(document.querySelectorAll('svg text')).map(t => t.textContent).join('\\n')"""
    )
    assert text in body, text


def _open(page: Page, url: str, wait: str) -> None:
    page.goto(url)
    page.wait_for_selector(wait, timeout=30_000)
    settle(page)
    page.wait_for_timeout(200)


def test_user_text_shows_as_typed_and_nothing_is_fetched_on_any_page(
    page: Page, hostile_url: str
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    u = hostile_url

    # overview, one hostile cell chosen (its name in the caption), the last file in the footer
    _open(page, f"{u}/?cells=CQ-02", ".st-key-goal-A4")
    assert LINK in page.locator("[data-testid='stCaptionContainer']").first.inner_text()
    _visible(page, FILE)
    _no_live_markup(page)
    # the sidebar's list of cells, opened
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input").last.click()
    page.wait_for_selector("[role='option']")
    _visible(page, f"{IMAGE} (CQ-01)")
    _no_live_markup(page)
    page.keyboard.press("Escape")

    # goal page: ranked bars with the names, provenance with names and files
    _open(page, f"{u}/chi-tieu?goal=A4&year=2025", ".js-plotly-plot")
    page.get_by_text("Nguồn gốc số liệu").click()
    page.wait_for_selector("text=Các tệp đã đưa vào các giá trị này")
    for text in (IMAGE, LINK, TAG, BOLD, COLOUR, FILE):
        _visible(page, text)
        assert page.get_by_text(text).count() > 0, text
    _no_live_markup(page)
    # a qualitative goal: the assessment's note on its card
    _open(page, f"{u}/chi-tieu?goal=T3&year=2025", "text=Nhận xét")
    _visible(page, NOTE)
    _no_live_markup(page)

    # cells page: heatmap, scorecard, a hostile cell's profile
    _open(page, f"{u}/chi-bo?year=2025&cell=CQ-03", ".js-plotly-plot")
    for code, text in (("CQ-01", IMAGE), ("CQ-03", TAG), ("CQ-04", BOLD)):
        _visible(page, f"{code} · {short_name(text)}")  # the heatmap's row, cut for a phone
    _visible(page, TAG)  # whole in the profile's heading
    _no_live_markup(page)

    # reports page for one hostile cell
    # (its preview's heading: "Báo cáo" alone is also the sidebar's link, there before the page)
    _open(page, f"{u}/bao-cao?cells=CQ-05", "text=Bảng 1 của báo cáo")
    _visible(page, COLOUR)
    _no_live_markup(page)

    # upload page: history (file names, who), undo's list of files, organisations
    _open(page, f"{u}/cap-nhat", "text=Lịch sử cập nhật")
    page.get_by_role("tab", name="Lịch sử cập nhật").click()
    page.wait_for_selector("text=Các tệp đã cập nhật")
    page.locator("[data-testid='stSelectbox']").filter(has_text="Lần cập nhật").click()
    page.wait_for_selector("[role='option']")
    _visible(page, FILE)
    _no_live_markup(page)
    page.keyboard.press("Escape")
    page.get_by_role("tab", name=re.compile("Tổ chức")).click()
    page.wait_for_timeout(300)
    _no_live_markup(page)

    assert [r for r in requests if TRAP in r] == []
