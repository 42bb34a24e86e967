"""What a card leads with, as a leader reads it: mid-term, a goal with a pace says whether
it is on the way, not a red "Chưa đạt"; for some cells, a committee-wide whole-term target
is not theirs, so their share of it is shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from src.domain.models import Resolution
from src.domain.rows import rows_by_goal
from src.engine import progress
from src.store import queries
from src.views import overview


@pytest.fixture
def demo(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


def view(
    con: duckdb.DuckDBPyConnection, year: int, orgs: list[str] | None = None
) -> tuple[Resolution, dict[str, overview.GoalCard]]:
    resolution = queries.resolution(con, None)
    table = progress.progress_table(con, year, orgs, resolution.code)
    goals = queries.goals(con, resolution.code)
    built = overview.build(
        table, goals, queries.indicators(con), resolution, year, "x", "vi", orgs is not None
    )
    cards = built.gauges_annual + built.gauges_term + built.cards
    return resolution, {c.code: c for c in cards}


def test_mid_term_a_whole_term_goal_leads_with_its_pace_not_with_missed(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    resolution, cards = view(demo, 2022)
    t1 = cards["T1"]
    assert t1.status == "missed"  # 2022's running sum is short of the whole-term 400
    assert t1.status_text in {"✓ Đúng tiến độ", "≈ Chậm tiến độ"}
    assert t1.badge in {"met", "near"}
    assert "Chưa đạt" not in t1.status_text
    # at the end of the term the result itself leads again
    _, cards = view(demo, resolution.term_end)
    assert cards["T1"].badge == cards["T1"].status


def test_for_some_cells_a_committee_wide_term_target_shows_their_share(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    rows = demo.execute(
        "SELECT org_code FROM organisations WHERE kind = 'grassroots_cell'"
        " ORDER BY org_code LIMIT 2"
    ).fetchall()
    cells = [str(r[0]) for r in rows]
    _, cards = view(demo, 2025, cells)
    t1 = cards["T1"]
    assert t1.badge == "share" and t1.status_text == "• Phần đóng góp"
    assert "của toàn Đảng bộ" in t1.numbers_text and "400" in t1.numbers_text
    assert t1.pace_text == ""  # the committee's pace is not theirs either
    # a yearly ratio of the same cells is judged as usual
    assert cards["A1"].badge == cards["A1"].status


def test_the_overview_says_exceeded_where_the_report_does_for_the_same_result(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    from src.reports.content import status_words

    resolution, cards = view(demo, 2025)
    table = progress.progress_table(demo, 2025, None, resolution.code)
    rows = rows_by_goal(table)
    goals = {g.code: g for g in queries.goals(demo, resolution.code)}
    seen = set()
    for code, c in cards.items():
        if goals[code].kind == "qualitative" or c.badge != c.status:
            continue
        words = status_words(goals[code], rows[code], resolution.term_end, "vi")
        assert c.status_text.endswith(words), (code, c.status_text, words)
        seen.add(words)
    assert "Vượt" in seen and "Đạt" in seen  # both occur in the demo's 2025


@pytest.mark.parametrize(
    ("comparison", "target", "target_max", "actual", "exceeded"),
    [
        (">=", 80.0, None, 86.7, True),
        (">=", 80.0, None, 80.0, False),
        (">", 90.0, None, 95.0, True),
        ("<", 1.0, None, 0.5, False),  # under a ceiling is met, not passed
        ("<=", 1.0, None, 0.5, False),
        ("between", 8.0, 9.0, 8.5, False),  # inside a range is met, not passed
    ],
)
def test_only_a_target_to_reach_can_be_exceeded(
    comparison: str, target: float, target_max: float | None, actual: float, exceeded: bool
) -> None:
    from src.domain.models import Goal, Measure

    g = Goal(
        code="G",
        title_vi="G",
        measure=Measure.RATIO,
        comparison=comparison,
        target=target,
        target_max=target_max,
    )
    assert overview.exceeds(g, actual) is exceeded


def test_the_overview_table_shows_every_goal_with_its_change_against_last_year(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    resolution = queries.resolution(demo, None)
    goals = queries.goals(demo, resolution.code)
    now = progress.progress_table(demo, 2025, None, resolution.code)
    before = progress.progress_table(demo, 2024, None, resolution.code)
    built = overview.build(
        now, goals, queries.indicators(demo), resolution, 2025, "x", "vi", False, before
    )
    table = built.table
    assert table is not None
    assert list(table.columns) == [
        "Mã",
        "Kết quả 2025",
        "Mục tiêu",
        "Đánh giá",
        "So với 2024",
        "Chỉ tiêu",
    ]
    assert list(table["Mã"]) == [g.code for g in goals]  # every goal, in the resolution's order
    rows = table.set_index("Mã")
    a1_now = float(now.set_index("goal_code").loc["A1", "actual"])
    a1_then = float(before.set_index("goal_code").loc["A1", "actual"])
    arrow = "↑" if a1_now > a1_then else "↓"
    assert rows.loc["A1", "So với 2024"].startswith(arrow)
    assert rows.loc["A1", "So với 2024"].endswith("điểm")
    t1_now = float(now.set_index("goal_code").loc["T1", "actual"])
    t1_then = float(before.set_index("goal_code").loc["T1", "actual"])
    assert rows.loc["T1", "So với 2024"] == f"+ {int(t1_now - t1_then)}"  # the year's addition
    assert rows.loc["A2", "Mục tiêu"] == "Tốt trở lên"
    assert "None" not in table.to_string() and "nan" not in table.to_string()
    # no year before: no change column filled
    first = overview.build(now, goals, queries.indicators(demo), resolution, 2025, "x", "vi")
    assert first.table is not None and set(first.table["So với 2024"]) == {""}


def test_the_count_line_counts_each_goal_as_its_card_leads_mid_term_and_for_some_cells(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    resolution = queries.resolution(demo, None)
    goals = queries.goals(demo, resolution.code)
    indicators = queries.indicators(demo)
    table = progress.progress_table(demo, 2022, None, resolution.code)
    built = overview.build(table, goals, indicators, resolution, 2022, "x", "vi")
    cards = {c.code: c for c in built.gauges_annual + built.gauges_term + built.cards}
    assert cards["T1"].status == "missed" and cards["T1"].badge in {"met", "near"}
    shown = [c for c in cards.values() if c.applicable]
    for status in ("met", "near", "missed", "no_data"):
        assert built.counts[status] == sum(c.badge == status for c in shown), status
    assert built.counts["total"] == len(shown)
    assert f"{built.counts['missed']} chưa đạt" in built.summary
    # for some cells the committee's whole-term target is shown as their share: not judged
    rows = demo.execute(
        "SELECT org_code FROM organisations WHERE kind = 'grassroots_cell'"
        " ORDER BY org_code LIMIT 2"
    ).fetchall()
    cells = [str(r[0]) for r in rows]
    part = progress.progress_table(demo, 2025, cells, resolution.code)
    built = overview.build(part, goals, indicators, resolution, 2025, "x", "vi", True)
    every = built.gauges_annual + built.gauges_term + built.cards
    shares = [c for c in every if c.badge == "share"]
    assert shares
    assert built.counts["total"] == sum(c.applicable for c in every) - len(shares)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_overview_tables_short_columns_are_wide_enough_for_their_longest_words(
    demo: duckdb.DuckDBPyConnection, lang: str
) -> None:
    """Each short column is given a width that holds its header and its longest value
    (at most 7.5 px a character in the page's 14 px font, and the cell's padding), over every
    year of the term, so no status reads "Đúng tiến đ"."""
    resolution = queries.resolution(demo, None)
    goals = queries.goals(demo, resolution.code)
    for year in resolution.term_years:
        now = progress.progress_table(demo, year, None, resolution.code)
        before = progress.progress_table(demo, year - 1, None, resolution.code)
        built = overview.build(
            now, goals, queries.indicators(demo), resolution, year, "x", lang, False, before
        )
        assert built.table is not None
        widths = built.table_widths
        assert list(widths) == list(built.table.columns[:5])  # the title takes the rest
        for column, px in widths.items():
            longest = max(len(str(v)) for v in [column, *built.table[column]])
            assert longest * 7.5 + 16 <= px, (year, column, longest, px)
