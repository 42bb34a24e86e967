"""Ranking, contribution, term pace and legal caps on hand-made data with worked answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from src.domain import analysis
from src.domain import goals as domain
from src.domain.models import Goal, GoalKind, Level

A4 = Goal(
    "A4",
    GoalKind.ANNUAL_RATIO,
    Level.ORG,
    "t",
    "t",
    comparison=">=",
    target=80,
    numerator="members_excellent + members_good",
    denominator="members_rated",
)
A4A = Goal(
    "A4a",
    GoalKind.ANNUAL_RATIO,
    Level.ORG,
    "t",
    "t",
    comparison=">=",
    target=15,
    numerator="members_excellent",
    denominator="members_excellent + members_good",
    cap=20,
    cap_denominator="members_good",
)
A8 = Goal(
    "A8",
    GoalKind.ANNUAL_RATIO,
    Level.ORG,
    "t",
    "t",
    comparison=">=",
    target=20,
    numerator="inspected",
    denominator="count(inspected)",
    counts_organisations=True,
)


def per_org(goal: Goal, rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    wide = pd.DataFrame.from_dict(rows, orient="index")
    wide.index.name = "org_code"
    table = domain.per_org([goal], wide)
    table["name"] = table["org_code"]
    table["group"] = "g"
    return table


def test_cells_are_ranked_weakest_first_with_no_data_last() -> None:
    table = per_org(
        A4,
        {
            "P": {"members_excellent": 2, "members_good": 14, "members_rated": 20},  # 80%
            "Q": {"members_excellent": 1, "members_good": 5, "members_rated": 10},  # 60%
            "R": {"members_excellent": 3, "members_good": 27, "members_rated": 30},  # 100%
            "S": {"members_excellent": 1, "members_rated": 5},  # members_good missing
        },
    )
    ranked = analysis.ranking(A4, table)
    assert list(ranked["org_code"]) == ["Q", "P", "R", "S"]
    assert list(ranked["rank"]) == [1, 2, 3, 4]
    assert math.isnan(ranked.iloc[3]["gain_if_met"])


def test_cells_with_the_same_value_are_ranked_by_code_whatever_order_they_come_in() -> None:
    same = {"members_excellent": 1.0, "members_good": 5.0, "members_rated": 10.0}  # 60% each
    table = per_org(
        A4,
        {
            "Z": same,
            "B": {"members_excellent": 2, "members_good": 14, "members_rated": 20},  # 80%
            "M": same,
            "A": same,
            "N": {"members_excellent": 1, "members_rated": 5},  # no data
        },
    )
    assert list(analysis.ranking(A4, table)["org_code"]) == ["A", "M", "Z", "B", "N"]
    in_code_order = table.sort_values("org_code").reset_index(drop=True)
    assert list(analysis.ranking(A4, in_code_order)["org_code"]) == ["A", "M", "Z", "B", "N"]


def test_gain_if_met_is_the_points_the_total_would_gain() -> None:
    table = per_org(
        A4,
        {
            "P": {"members_excellent": 2, "members_good": 14, "members_rated": 20},  # 16/20
            "Q": {"members_excellent": 1, "members_good": 5, "members_rated": 10},  # 6/10
            "R": {"members_excellent": 3, "members_good": 27, "members_rated": 30},  # 30/30
        },
    )
    ranked = analysis.ranking(A4, table).set_index("org_code")
    # total 52/60 = 86.67%. Q meeting 80% would have 8 instead of 6: (52 + 2) / 60 = 90%,
    # a gain of 2/60 = 3.33 points. P and R already meet the target: no gain.
    assert ranked.loc["Q", "gain_if_met"] == pytest.approx(100 * 2 / 60)
    assert ranked.loc["P", "gain_if_met"] == 0
    assert ranked.loc["R", "gain_if_met"] == 0


def test_pull_says_how_far_each_cell_moves_the_total_and_adds_up_to_zero() -> None:
    table = per_org(
        A4,
        {
            "P": {"members_excellent": 2, "members_good": 14, "members_rated": 20},
            "Q": {"members_excellent": 1, "members_good": 5, "members_rated": 10},
            "R": {"members_excellent": 3, "members_good": 27, "members_rated": 30},
        },
    )
    ranked = analysis.ranking(A4, table).set_index("org_code")
    overall = 52 / 60
    # Q: (6 - 0.8667 * 10) / 60 = -4.44 points: it pulls the total down
    assert ranked.loc["Q", "pull"] == pytest.approx(100 * (6 - overall * 10) / 60)
    assert ranked.loc["Q", "pull"] < 0 < ranked.loc["R", "pull"]
    assert ranked["pull"].sum() == pytest.approx(0, abs=1e-12)


def test_for_goals_counting_organisations_meeting_means_being_counted() -> None:
    table = per_org(
        A8, {"P": {"inspected": 1}, "Q": {"inspected": 0}, "R": {"inspected": 0}, "S": {}}
    )
    ranked = analysis.ranking(A8, table).set_index("org_code")
    # 1 of 3 reporting organisations inspected; Q being inspected would make it 2 of 3:
    # +33.3 points (not 20% of an organisation)
    assert ranked.loc["Q", "gain_if_met"] == pytest.approx(100 / 3)
    missing = analysis.not_covered(A8, table)
    assert list(missing["org_code"]) == ["Q", "R", "S"]
    assert list(missing["reported"]) == [True, True, False]


def test_still_needed_per_year_spreads_what_is_left_over_the_remaining_years() -> None:
    term = range(2020, 2026)
    # 400 over 2020-2025; 139 admitted by the end of 2022: 261 left over 3 years = 87 a year
    assert analysis.needed_per_year(400, 139, 2022, term) == 87
    assert analysis.needed_per_year(400, 139.5, 2022, term) == 87  # rounded up: 86.83
    assert analysis.needed_per_year(400, 401, 2022, term) == 0
    assert analysis.needed_per_year(400, 300, 2025, term) is None  # no year left
    assert analysis.needed_per_year(400, None, 2020, term) == 80


def test_projection_line_runs_from_the_last_year_with_data_at_the_average_rate() -> None:
    trend = pd.DataFrame({"year": [2020, 2021, 2022, 2023], "actual": [70, 150, 210, None]})
    line = analysis.projection_line(trend, range(2020, 2026))
    # 210 in 3 years: 70 a year → 280, 350, 420 in 2023, 2024, 2025
    assert list(line["year"]) == [2022, 2023, 2024, 2025]
    assert list(line["value"]) == pytest.approx([210, 280, 350, 420])


def test_cap_is_measured_on_its_own_group_not_on_the_goals_denominator() -> None:
    # 5 excellent, 22 good: share of good-or-better 5/27 = 18.5% (the goal's value), but the
    # legal cap is 20% of those rated good: 5/22 = 22.7% > 20%: flagged
    wide = pd.DataFrame(
        {"members_excellent": [5.0], "members_good": [22.0]}, index=pd.Index(["P"], name="org_code")
    )
    data = domain.YearData(wide, {}, 1)
    row = domain.evaluate_goal(A4A, 2024, range(2020, 2026), {2024: data}, True)
    assert row["actual"] == pytest.approx(100 * 5 / 27)
    assert row["cap_share"] == pytest.approx(100 * 5 / 22)
    assert row["cap_exceeded"] is True
    table = domain.per_org([A4A], wide)
    assert bool(table["cap_exceeded"].iloc[0]) is True
    wide.loc["P", "members_good"] = 25.0  # 5/25 = 20%: at the cap, allowed
    row = domain.evaluate_goal(
        A4A, 2024, range(2020, 2026), {2024: domain.YearData(wide, {}, 1)}, True
    )
    assert row["cap_exceeded"] is False
