"""Every header, value and message in the reader's language: no raw codes, no "None", no
file paths of the demo in the Vietnamese UI."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.page_support import open_tab

ROOT = Path(__file__).resolve().parent.parent
RAW = ("org_code", "members_total", "grassroots_cell", "None", "demo/")


def _page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    if name != "overview":
        at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def _headers(at: AppTest) -> list[str]:
    out: list[str] = []
    for frame in at.dataframe:
        value = frame.value
        out += [str(c) for c in value.columns] + [str(value.index.name or "")]
    return out


@pytest.mark.parametrize("name", ["overview", "cells"])
def test_the_pages_tables_and_footer_show_no_raw_codes_or_paths(page_db: Path, name: str) -> None:
    at = _page(name)
    headers = _headers(at)
    assert headers, "the page shows tables"
    for word in RAW:
        assert not any(word in h for h in headers), (word, headers)
    footer = [str(c.value) for c in at.caption if "cập nhật lần cuối" in str(c.value)]
    assert footer and all("dữ liệu mẫu" in f and "demo/" not in f for f in footer), footer


def test_the_years_reporting_detail_names_each_indicator_in_words(page_db: Path) -> None:
    at = _page("cells")
    detail = at.dataframe[-1].value  # the expander under the reporting table
    assert "Tổng số đảng viên" in " ".join(map(str, detail.columns))
    assert detail.index.name == "Mã tổ chức"


def test_the_organisations_tab_names_kinds_and_headers_in_words(page_db: Path) -> None:
    at = open_tab(_page("upload"), "tab_orgs")
    orgs = next(f.value for f in at.dataframe if "Tên tổ chức" in list(f.value.columns))
    assert list(orgs.columns)[:3] == ["Mã tổ chức", "Tên tổ chức", "Loại"]
    kinds = set(orgs["Loại"])
    assert "Đảng bộ (cấp trên cơ sở)" in kinds
    assert not kinds & {"root", "grassroots_cell", "grassroots_committee", "subcell"}
    assert "None" not in orgs.to_string() and "nan" not in orgs.to_string()


def test_organisations_a_goal_did_not_count_are_not_called_failed_and_each_says_why(
    demo_db: Path,
) -> None:
    import duckdb

    from src.engine import progress
    from src.store import queries
    from src.views import goal_view

    con = duckdb.connect(str(demo_db), read_only=True)
    resolution = queries.resolution(con, None)
    goals = {g.code: g for g in queries.goals(con, resolution.code)}
    card = progress.scorecard(con, 2025, None, resolution.code)
    head = goal_view.not_covered_head(goals["A8"], queries.indicators(con), 2025, "vi")
    assert "chưa đạt" not in head.lower() and "tử số năm 2025" in head
    table = goal_view.not_covered_table(goals["A8"], card, "vi")
    con.close()
    assert set(table["Trạng thái"]) == {"đã báo cáo, chưa được tính", "chưa báo cáo"}


def test_each_overview_card_says_its_words_and_coverage_in_one_block(page_db: Path) -> None:
    """A card's status, numbers and coverage are one Markdown element (the coverage small and
    grey): each element is a message to send and draw, and the overview draws eighteen."""
    at = _page("overview")
    covered = [str(m.value) for m in at.markdown if "tổ chức đã báo cáo" in str(m.value)]
    assert len(covered) >= 14  # every gauge's card
    assert all(":gray[:small[" in m and "Chỉ tiêu" in m for m in covered), covered[:2]
    assert not [c for c in at.caption if "tổ chức đã báo cáo" in str(c.value)]
