"""The scorecard shows a screenful, whatever the committee's size: searched by code or name,
ordered by name or weakest first on a goal, one page at a time."""

from __future__ import annotations

import math

import pandas as pd

from src.views import cell_view


def grid(n: int) -> cell_view.Grid:
    codes = [f"C{i:05d}" for i in range(n)]
    values = pd.DataFrame(
        {
            "name": [f"Chi bộ số {i}" for i in range(n)],
            "group": ["Khối A"] * n,
            "A1": [math.nan if i % 7 == 0 else float(i % 100) for i in range(n)],
        },
        index=pd.Index(codes, name="org_code"),
    )
    statuses = pd.DataFrame({"A1": ["met"] * n}, index=values.index)
    return cell_view.Grid(values, statuses, ["A1"])


def test_a_page_never_holds_more_than_a_screenful_whatever_the_number_of_cells() -> None:
    whole = grid(250_000 // 50)  # 5,000 cells: pages of PAGE_ROWS
    shown = cell_view.window(whole)
    assert len(shown.grid.values) == cell_view.PAGE_ROWS
    assert shown.pages == math.ceil(5_000 / cell_view.PAGE_ROWS)
    assert (shown.first, shown.last, shown.matched, shown.total) == (1, 40, 5_000, 5_000)
    last = cell_view.window(whole, page=10_000)  # past the end: the last page
    assert last.page == last.pages and last.last == 5_000


def test_search_finds_cells_by_code_or_name_ignoring_case() -> None:
    whole = grid(300)
    assert list(cell_view.window(whole, "c00042").grid.values.index) == ["C00042"]
    named = cell_view.window(whole, "CHI BỘ SỐ 29")
    assert set(named.grid.values.index) == {"C00029", *[f"C00{i}" for i in range(290, 300)]}
    none = cell_view.window(whole, "không có")
    assert none.matched == 0 and (none.first, none.last) == (0, 0) and none.pages == 1


def test_ordering_by_a_goal_puts_the_weakest_first_and_no_value_last() -> None:
    whole = grid(300)
    shown = cell_view.window(whole, order="A1")
    firsts = shown.grid.values["A1"].tolist()
    assert firsts[:2] == [0.0, 0.0] and firsts == sorted(firsts)  # C00100, C00200
    last = cell_view.window(whole, order="A1", page=shown.pages)
    assert math.isnan(last.grid.values["A1"].iloc[-1])
    assert list(last.grid.statuses.index) == list(last.grid.values.index)


def test_the_profile_picker_offers_the_screenful_and_the_cell_already_chosen() -> None:
    whole = grid(300)
    shown = cell_view.window(whole)
    assert cell_view.pickable(shown, whole, None) == list(shown.grid.values.index)
    far = cell_view.pickable(shown, whole, "C00299")
    assert far[0] == "C00299" and len(far) == cell_view.PAGE_ROWS + 1
    assert "C99999" not in cell_view.pickable(shown, whole, "C99999")


def ranked(n: int) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "org_code": [f"C{i:05d}" for i in range(n)],
            "name": [f"Chi bộ số {i}" for i in range(n)],
            "actual": [math.nan if i >= n - 3 else float(i) for i in range(n)],
        }
    )
    return rows  # weakest first, no value last, as analysis.ranking orders it


def test_the_goal_pages_bars_show_the_weakest_and_the_strongest_past_two_screenfuls() -> None:
    from src.views import goal_view

    small = ranked(30)
    assert goal_view.extremes(small) is small  # short: every cell
    ends = goal_view.extremes(ranked(250_000 // 100))
    assert len(ends) == 2 * goal_view.EXTREMES
    assert ends["actual"].iloc[0] == 0.0 and ends["actual"].iloc[-1] == 2_500 - 4
    assert ends["actual"].notna().all()


def test_the_ranking_table_is_paged_and_searched() -> None:
    from src.views import goal_view

    rows = ranked(1_000)
    first = goal_view.ranking_page(rows)
    assert len(first.rows) == goal_view.RANK_ROWS and first.pages == 25 and first.matched == 1_000
    found = goal_view.ranking_page(rows, "c00999")
    assert list(found.rows["org_code"]) == ["C00999"] and found.pages == 1
    assert goal_view.ranking_page(rows, page=99).page == 25


def test_the_reporting_tables_list_the_committee_and_the_scorecards_screenful_only() -> None:
    orgs = pd.DataFrame(
        {
            "org_code": ["ROOT", "A", "B", "B1"],
            "name": ["Đảng bộ", "Chi bộ A", "Chi bộ B", "Tổ B1"],
            "kind": ["root", "grassroots_cell", "grassroots_committee", "subcell"],
        }
    )
    matrix = pd.DataFrame({"org_code": ["A", "B"], "year": [2025, 2025], "n": [3, 4]})
    table = cell_view.reporting_grid(matrix, orgs, [2025], "vi", ["A"])
    assert list(table.index) == ["ROOT", "A"]
    assert list(cell_view.reporting_grid(matrix, orgs, [2025], "vi").index) == ["ROOT", "A", "B"]
    reported = pd.DataFrame({"org_code": ["B"], "indicator_code": ["x"]})
    detail = cell_view.reported_detail(reported, orgs, [], "vi", ["B"])
    assert list(detail.index) == ["ROOT", "B"]


def test_the_organisations_tab_shows_a_searched_page_of_the_organisations() -> None:
    from src.views.upload_view import organisations_page

    orgs = pd.DataFrame(
        {
            "org_code": [f"C{i:05d}" for i in range(500)],
            "name": [f"Chi bộ {i}" for i in range(500)],
            "group": ["Khối Đảng" if i % 2 else None for i in range(500)],
        }
    )
    first = organisations_page(orgs, "", 1)
    assert len(first.rows) == 40 and (first.pages, first.matched, first.total) == (13, 500, 500)
    assert organisations_page(orgs, "KHỐI ĐẢNG", 1).matched == 250
    assert list(organisations_page(orgs, "c00007", 1).rows["org_code"]) == ["C00007"]
