"""The "Nghị quyết" page and the resolution the reader follows across pages (AppTest)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from src.ingest import resolution_book as rb

ROOT = Path(__file__).resolve().parent.parent
SEED = "DBCQ-BK-2020-2025"


def _install_example() -> None:
    from src.ingest import resolutions
    from src.store import queries
    from src.ui import cache

    data = rb.write_book(rb.example_doc())
    found = rb.read_book(data, "vi-du.xlsx", queries.indicators(cache.con()))
    assert found.doc is not None
    resolutions.install(cache.con(), found.doc, "vi-du.xlsx", data, "test")
    cache.after_write()


def _page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()  # the default page, the overview
    if name != "overview":
        at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    parts = [str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.title]]
    return "\n".join(parts)


def test_the_page_lists_the_installed_resolutions_and_offers_the_templates(page_db: Path) -> None:
    at = _page("resolutions")
    table = at.dataframe[0].value
    assert list(table["Mã"]) == [SEED]
    assert list(table["Mặc định"]) == ["✓"]
    downloads = [b for b in at.get("download_button")]
    assert len(downloads) >= 3  # the chosen one as a workbook, the template, the example


def test_every_page_follows_the_chosen_resolution_and_its_reporting_years(page_db: Path) -> None:
    _page("overview")
    _install_example()
    at = _page("overview")
    chooser = at.selectbox(key="res")
    assert chooser.value == SEED and len(chooser.options) == 2  # the default first
    chooser.select(rb.EXAMPLE_CODE).run()
    assert not at.exception, at.exception
    years = [int(y) for y in at.selectbox(key="year").options]
    assert years == [2026, 2027, 2028, 2029, 2030]
    # (that the choice goes with the reader to the other pages is checked in a real browser,
    # tests/test_browser_resolutions.py: AppTest drops the frame's widgets after a run)


def test_the_overview_draws_no_heading_for_a_group_the_resolution_has_no_goal_in(
    page_db: Path,
) -> None:
    at = _page("overview")
    headings = [str(h.value) for h in at.subheader]
    assert "Chỉ tiêu cả nhiệm kỳ" in headings  # the seed has whole-term goals
    _install_example()
    at = _page("overview")
    at.selectbox(key="res").select(rb.EXAMPLE_CODE).run()
    assert not at.exception, at.exception
    headings = [str(h.value) for h in at.subheader]
    assert "Chỉ tiêu hằng năm" in headings
    assert "Chỉ tiêu cả nhiệm kỳ" not in headings  # the example has none


def test_setting_the_default_on_the_page_makes_every_page_open_on_it(page_db: Path) -> None:
    _page("resolutions")
    _install_example()
    at = _page("resolutions")
    at.selectbox(key="res_default_pick").select(rb.EXAMPLE_CODE).run()
    at.button(key="res_default").click().run()
    assert not at.exception, at.exception
    fresh = _page("overview")
    assert fresh.selectbox(key="res").value == rb.EXAMPLE_CODE
    assert [int(y) for y in fresh.selectbox(key="year").options][0] == 2026


def test_changing_a_goals_target_on_the_page_installs_a_new_version_in_the_history(
    page_db: Path,
) -> None:
    from src.store import queries
    from src.ui import cache

    at = _page("resolutions")
    goal = queries.goals(cache.con(), SEED)[0]
    form = [n for n in at.number_input if n.label == "Mức chỉ tiêu"][0]
    assert form.value == goal.target
    form.set_value(95.0)
    submit = next(b for b in at.button if b.label == "Lưu phiên bản mới")  # the form's
    submit.click().run()
    assert not at.exception, at.exception
    assert queries.goals(cache.con(), SEED)[0].target == 95.0
    assert queries.resolution_versions(cache.con())[SEED][0] == 2
    assert queries.batches(cache.con()).iloc[0]["file_kind"] == "resolution"
