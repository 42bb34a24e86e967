"""The pure domain functions: status, pace, projection, ratios and catalogue expressions."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from src.domain.goals import (
    pace_status,
    pace_target,
    projection,
    ratio,
    status_for,
    years_elapsed,
)
from src.domain.models import Expr, Goal, GoalKind, Level, PaceStatus, Status

TERM = tuple(range(2020, 2026))  # 2020-2025: six reporting years

RATIO = GoalKind.ANNUAL_RATIO
COUNT = GoalKind.ANNUAL_COUNT
RATING = GoalKind.ANNUAL_RATING
TERM_GOAL = GoalKind.TERM_CUMULATIVE


def goal(numerator: str, denominator: str) -> Goal:
    return Goal(
        code="X",
        kind=RATIO,
        level=Level.ORG,
        title_vi="x",
        title_en="x",
        comparison=">=",
        target=80.0,
        numerator=numerator,
        denominator=denominator,
    )


def wide(rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    """One row per organisation, one column per indicator; an absent key is a missing number."""
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "org_code"
    return frame


# --- status -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (80.0, Status.MET),
        (80.5, Status.MET),
        (100 * (0.1 + 0.7), Status.MET),  # 79.99999999999999 in floating point
        (79.99999999, Status.MET),  # printed as 80.0: must not read "near"
        (79.99, Status.NEAR),
        (75.0, Status.NEAR),  # exactly 5 points below: still near
        (74.99, Status.MISSED),
        (0.0, Status.MISSED),
    ],
)
def test_ratio_status_is_met_at_the_target_and_near_within_five_points(
    actual: float, expected: Status
) -> None:
    assert status_for(RATIO, ">=", actual, 80.0) == expected


def test_a_hundred_percent_target_is_near_from_ninety_five() -> None:
    assert status_for(RATIO, ">=", 100.0, 100.0) == Status.MET
    assert status_for(RATIO, ">=", 95.0, 100.0) == Status.NEAR
    assert status_for(RATIO, ">=", 94.9, 100.0) == Status.MISSED


@pytest.mark.parametrize(
    ("kind", "actual", "target", "expected"),
    [
        (COUNT, 2.0, 2.0, Status.MET),
        (COUNT, 3.0, 2.0, Status.MET),
        (COUNT, 1.8, 2.0, Status.NEAR),  # 90% of 2
        (COUNT, 1.79, 2.0, Status.MISSED),
        (COUNT, 1.0, 2.0, Status.MISSED),
        (COUNT, 0.0, 2.0, Status.MISSED),  # zero is a number, not "no data"
        (TERM_GOAL, 400.0, 400.0, Status.MET),
        (TERM_GOAL, 360.0, 400.0, Status.NEAR),  # 90% of 400
        (TERM_GOAL, 359.0, 400.0, Status.MISSED),
    ],
)
def test_count_status_is_near_from_ninety_percent_of_the_target(
    kind: GoalKind, actual: float, target: float, expected: Status
) -> None:
    assert status_for(kind, ">=", actual, target) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (1.0, Status.MET),
        (2.0, Status.MET),
        (2.0000000001, Status.MET),
        (2.5, Status.MISSED),
        (3.0, Status.MISSED),  # no "near" on an ordinal scale
        (4.0, Status.MISSED),
    ],
)
def test_rating_status_is_met_at_or_below_the_target_level(actual: float, expected: Status) -> None:
    assert status_for(RATING, "<=", actual, 2.0) == expected


@pytest.mark.parametrize("kind", [RATIO, COUNT, RATING, TERM_GOAL])
@pytest.mark.parametrize("actual", [None, math.nan, float("nan")])
def test_a_missing_value_has_no_data_status_never_missed(
    kind: GoalKind, actual: float | None
) -> None:
    comparison = "<=" if kind == RATING else ">="
    assert status_for(kind, comparison, actual, 2.0) == Status.NO_DATA


def test_a_goal_without_a_target_has_no_data_status() -> None:
    assert status_for(RATIO, ">=", 50.0, None) == Status.NO_DATA


# --- term pace and projection ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "elapsed"), [(2019, 0), (2020, 1), (2022, 3), (2025, 6), (2030, 6)]
)
def test_years_elapsed_counts_the_terms_reporting_years_up_to_and_including_the_year(
    year: int, elapsed: int
) -> None:
    assert years_elapsed(year, TERM) == elapsed


def test_years_elapsed_follows_the_reporting_years_not_the_calendar() -> None:
    assert years_elapsed(2023, (2020, 2022, 2024)) == 2


@pytest.mark.parametrize(
    ("year", "pace"),
    [(2019, 0.0), (2020, 400 / 6), (2021, 800 / 6), (2022, 200.0), (2025, 400.0)],
)
def test_pace_spreads_the_target_evenly_over_the_term(year: int, pace: float) -> None:
    # pace = target × years elapsed / years in term = 400 × elapsed / 6
    assert pace_target(400.0, year, TERM) == pytest.approx(pace)


def test_projection_goes_on_at_the_average_yearly_rate_so_far() -> None:
    # 205 admitted in 3 years: 205 / 3 × 6 = 410 by the end of the term
    assert projection(205.0, 2022, TERM) == pytest.approx(410.0)
    # 60 in the first year: 60 × 6 = 360
    assert projection(60.0, 2020, TERM) == pytest.approx(360.0)
    assert projection(400.0, 2025, TERM) == pytest.approx(400.0)
    assert projection(0.0, 2021, TERM) == 0.0


def test_projection_before_the_term_has_no_value() -> None:
    assert projection(10.0, 2019, TERM) is None


def test_pace_status_is_on_track_when_the_cumulative_value_reaches_the_pace() -> None:
    assert pace_status(200.0, 200.0) == PaceStatus.ON_TRACK
    assert pace_status(199.0, 200.0) == PaceStatus.BEHIND
    # 400 × 1 / 6 computed in floating point, reached by 66.66666666666667
    assert pace_status(400 / 6, pace_target(400.0, 2020, TERM)) == PaceStatus.ON_TRACK


# --- ratios ---------------------------------------------------------------------------------


def test_ratio_sums_numerators_and_denominators_over_organisations() -> None:
    values = wide(
        {
            "A": {"members_studied": 38, "members_total": 40},
            "B": {"members_studied": 54, "members_total": 60},
            "C": {"members_studied": 100, "members_total": 100},
        }
    )
    r = ratio(goal("members_studied", "members_total"), values)
    # (38 + 54 + 100) / (40 + 60 + 100) = 192 / 200 = 96%
    # (not the mean of the per-organisation shares, (95 + 90 + 100) / 3 = 95%)
    assert (r.numerator, r.denominator, r.reported) == (192.0, 200.0, 3)
    assert r.percent == pytest.approx(96.0)
    assert tuple(r.orgs) == ("A", "B", "C")


def test_ratio_skips_an_organisation_missing_any_indicator_the_goal_uses() -> None:
    values = wide(
        {
            "A": {"members_excellent": 3, "members_good": 13},
            "B": {"members_excellent": 2},  # members_good missing: B is left out
            "C": {"members_excellent": 1, "members_good": 9},
        }
    )
    r = ratio(goal("members_excellent", "members_excellent + members_good"), values)
    # (3 + 1) / ((3 + 13) + (1 + 9)) = 4 / 26 = 15.38%
    assert (r.numerator, r.denominator, r.reported, tuple(r.orgs)) == (4.0, 26.0, 2, ("A", "C"))
    assert r.percent == pytest.approx(100 * 4 / 26)


def test_ratio_counts_organisations_whose_value_qualifies() -> None:
    values = wide(
        {
            "A": {"org_rating": 1, "inspected": 1},
            "B": {"org_rating": 2, "inspected": 0},
            "C": {"org_rating": 3, "inspected": 0},
            "D": {"inspected": 1},  # not rated: out of A3, in A8
        }
    )
    a3 = ratio(goal("count(org_rating <= 2)", "count(org_rating)"), values)
    # rated good or better: A, B of A, B, C rated = 2 / 3
    assert (a3.numerator, a3.denominator, a3.reported) == (2.0, 3.0, 3)
    a3a = ratio(goal("count(org_rating = 1)", "count(org_rating <= 2)"), values)
    # excellent: A of A, B = 1 / 2
    assert (a3a.numerator, a3a.denominator) == (1.0, 2.0)
    a8 = ratio(goal("inspected", "count(inspected)"), values)
    # inspected: A, D of the four reporting the flag = 2 / 4
    assert (a8.numerator, a8.denominator, a8.reported) == (2.0, 4.0, 4)
    assert a8.percent == pytest.approx(50.0)


def test_ratio_without_any_complete_organisation_has_no_value() -> None:
    values = wide({"A": {"members_total": 10}, "B": {"members_studied": 5}})
    r = ratio(goal("members_studied", "members_total"), values)
    assert r.reported == 0 and r.percent is None


def test_ratio_of_an_indicator_nobody_reported_has_no_value() -> None:
    values = wide({"A": {"members_total": 10}})
    r = ratio(goal("staff_advanced", "staff_total"), values)
    assert r.reported == 0 and r.percent is None
    assert ratio(goal("staff_advanced", "staff_total"), pd.DataFrame()).percent is None


def test_ratio_over_an_empty_group_has_no_value() -> None:
    values = wide({"A": {"staff_emulation": 0, "staff_advanced": 0}})
    r = ratio(goal("staff_emulation", "staff_advanced"), values)
    assert r.reported == 1 and r.percent is None  # 0 / 0 is not a percentage


# --- catalogue expressions ------------------------------------------------------------------


def test_expression_of_one_indicator_is_a_sum_of_one() -> None:
    assert Expr.parse("members_total") == Expr("sum", ("members_total",))


def test_expression_with_plus_sums_the_indicators() -> None:
    assert Expr.parse(" members_excellent +members_good ") == Expr(
        "sum", ("members_excellent", "members_good")
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("count(org_rating)", Expr("count", ("org_rating",))),
        ("count(inspected)", Expr("count", ("inspected",))),
        ("count(org_rating <= 2)", Expr("count", ("org_rating",), "<=", 2.0)),
        ("count( org_rating = 1 )", Expr("count", ("org_rating",), "=", 1.0)),
        ("count(org_rating>=3)", Expr("count", ("org_rating",), ">=", 3.0)),
        ("count(org_rating < 2.5)", Expr("count", ("org_rating",), "<", 2.5)),
    ],
)
def test_count_expression_counts_organisations_reporting_or_qualifying(
    text: str, expected: Expr
) -> None:
    assert Expr.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "members_total - members_studied",
        "members_total +",
        "Members_Total",
        "count(org_rating <= )",
        "count(org_rating <= 2",
        "sum(members_total)",
        "100 * members_studied",
    ],
)
def test_a_bad_expression_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a catalogue expression"):
        Expr.parse(text)


def test_goal_lists_each_indicator_it_reads_once() -> None:
    g = goal("members_excellent", "members_excellent + members_good")
    assert g.indicator_codes() == ("members_excellent", "members_good")
    assert goal("count(org_rating <= 2)", "count(org_rating)").indicator_codes() == ("org_rating",)
