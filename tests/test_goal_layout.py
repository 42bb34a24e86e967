"""Which panels the goal page shows is decided in one place, views.goal_view.layout, from the
goal's kind and level: the page itself holds no branch on kinds."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from src.domain.models import Goal
from src.store import queries
from src.views import goal_view
from src.views.goal_view import CellsPanel, TrendPanel

PAGE = Path(__file__).resolve().parent.parent / "pages" / "goal.py"


@pytest.fixture(scope="module")
def goals(demo_db: Path) -> dict[str, Goal]:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        return {g.code: g for g in queries.goals(con, queries.resolution(con, None).code)}


def test_a_yearly_ratio_of_organisations_is_ranked_with_a_gauge(goals: dict[str, Goal]) -> None:
    a1 = goals["A1"]
    shape = goal_view.layout(a1, applicable=True)
    assert (shape.gauge, shape.trend) == (True, TrendPanel.YEARLY)
    expected = CellsPanel.NOT_COVERED if a1.counts_organisations else CellsPanel.RANKING
    assert shape.cells == expected


def test_a_goal_that_counts_organisations_lists_those_not_covered(
    goals: dict[str, Goal],
) -> None:
    counting = [g for g in goals.values() if g.counts_organisations and g.level == "org"]
    assert counting, "the demo resolution has goals that count organisations (A3a, A8)"
    for goal in counting:
        assert goal_view.layout(goal, applicable=True).cells == CellsPanel.NOT_COVERED


def test_a_whole_term_total_draws_its_pace_and_a_rating_has_no_gauge(
    goals: dict[str, Goal],
) -> None:
    term = next(g for g in goals.values() if g.kind == "term_cumulative")
    assert goal_view.layout(term, applicable=True).trend == TrendPanel.CUMULATIVE
    rating = next(g for g in goals.values() if g.kind == "annual_rating")
    assert goal_view.layout(rating, applicable=True).gauge is False


def test_a_goal_that_does_not_apply_shows_its_note_instead_of_a_chart(
    goals: dict[str, Goal],
) -> None:
    for goal in goals.values():
        if goal.kind != "qualitative":
            assert goal_view.layout(goal, applicable=False).trend == TrendPanel.NOTE


def test_the_goal_page_holds_no_branch_on_goal_kinds() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert ".kind" not in text and ".level" not in text
