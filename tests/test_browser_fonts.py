"""The page as Chromium draws it: the bundled font comes from the dashboard's own server (no
request leaves for another host) and is the one in use; no gauge's number meets its arc, on a
desk and on a phone."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Response

from tests.browser_support import settle


@pytest.fixture(scope="module")
def app_url(read_only_app_url: str) -> str:
    """This module only reads: the dashboard shared by the read-only modules."""
    return read_only_app_url


FONT_FACES_JS = """async () => {
    await document.fonts.ready;
    return [...document.fonts]
        .filter(f => f.family.replaceAll('"', '') === 'Be Vietnam Pro')
        .map(f => f.weight + ':' + f.status);
}"""

# Each gauge: the box of its number and of its arc (with the arc's tick labels), page px.
GAUGE_BOXES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(p => p.querySelector('.bg-arc'))
    .map(p => {
        const box = e => { const r = e.getBoundingClientRect();
                           return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
        const arc = [p.querySelector('.bg-arc'),
                     ...p.querySelectorAll('.angularaxistick text')].map(box);
        return {
            number: box(p.querySelector('.annotation-text')),
            text: p.querySelector('.annotation-text').textContent,
            arcBottom: Math.max(...arc.map(b => b.bottom)),
        };
    })"""


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desk", "phone"])
def test_the_page_draws_in_the_bundled_font_served_by_the_dashboard_itself(
    browser: Browser, app_url: str, size: tuple[int, int]
) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    hosts: set[str] = set()
    fonts: list[Response] = []
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.on("response", lambda r: fonts.append(r) if "/static/fonts/" in r.url else None)
    try:
        page.goto(app_url + "/")
        page.wait_for_selector(".js-plotly-plot .bg-arc", state="attached", timeout=60_000)
        settle(page)
        faces = page.evaluate(FONT_FACES_JS)
        assert "400:loaded" in faces, faces
        family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
        assert family.startswith('"Be Vietnam Pro"'), family
        assert fonts and all(r.status == 200 for r in fonts)
        assert all(urlsplit(r.url).path.startswith("/app/static/fonts/") for r in fonts)
        assert hosts == {urlsplit(app_url).netloc}, hosts  # nothing from another machine
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desk", "phone"])
def test_no_gauges_number_meets_its_arc(
    browser: Browser, app_url: str, size: tuple[int, int]
) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        page.goto(app_url + "/?year=2024")
        # every gauge drawn (Plotly draws them one by one, after Streamlit's run has settled)
        page.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot .bg-arc').length >= 8",
            timeout=60_000,
        )
        settle(page)
        # a rerun may redraw a gauge (its arc and number go and come back): wait until every
        # gauge has both again before measuring
        page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')]"
            ".filter(p => p.querySelector('.bg-arc') && p.querySelector('.annotation-text'))"
            ".length >= 8",
            timeout=60_000,
        )
        gauges = page.evaluate(GAUGE_BOXES_JS)
        assert len(gauges) >= 8
        for g in gauges:
            assert g["number"]["top"] >= g["arcBottom"], g  # the number stands below the arc
            assert "%" in g["text"] or g["text"].strip(), g
    finally:
        context.close()
