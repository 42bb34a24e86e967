"""Domain logic: status, pace, projection and the target-vs-actual computation.

Pure functions over plain values and DataFrames: no database, no Streamlit. The inputs are
what :mod:`src.queries` returns; :mod:`src.progress` wires the two together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from src.models import Expr, Goal, GoalKind, Level, PaceStatus, Status

NEAR_POINTS = 5.0  # a ratio within 5 percentage points of its target is "near"
NEAR_SHARE = 0.9  # a count at 90% of its target or more is "near"
# Ratios are computed in floating point and printed to 6 decimals: 79.99999999 (shown as
# 80.0) meets 80. Real ratios of whole numbers never come this close to a target.
EPS = 1e-6

PROGRESS_COLUMNS = [
    "goal_code",
    "year",
    "kind",
    "level",
    "actual",
    "target",
    "comparison",
    "status",
    "numerator",
    "denominator",
    "reported",
    "expected",
    "applicable",
    "pace_target",
    "pace_status",
    "projection",
    "cap_exceeded",
    "cap_share",
    "assessment_note",
]


def status_for(
    kind: GoalKind, comparison: str | None, actual: float | None, target: float | None
) -> Status:
    """The contract's status rule for one goal value."""
    if actual is None or (isinstance(actual, float) and math.isnan(actual)) or target is None:
        return Status.NO_DATA
    if comparison == "<=":  # ratings: 1 is best; no "near" on an ordinal scale
        return Status.MET if actual <= target + EPS else Status.MISSED
    if actual >= target - EPS:
        return Status.MET
    if kind == GoalKind.ANNUAL_RATIO:
        return Status.NEAR if actual >= target - NEAR_POINTS - EPS else Status.MISSED
    if kind == GoalKind.ANNUAL_RATING:
        return Status.MISSED
    return Status.NEAR if actual >= NEAR_SHARE * target - EPS else Status.MISSED


def years_elapsed(year: int, term_years: Sequence[int]) -> int:
    """Reporting years of the term up to and including ``year``."""
    return sum(1 for y in term_years if y <= year)


def pace_target(target: float, year: int, term_years: Sequence[int]) -> float:
    """The target spread evenly over the term's reporting years, reached by ``year``."""
    return target * years_elapsed(year, term_years) / len(term_years)


def projection(cumulative: float, year: int, term_years: Sequence[int]) -> float | None:
    """The value at the end of the term if the average yearly rate so far goes on."""
    elapsed = years_elapsed(year, term_years)
    if elapsed == 0:
        return None
    return cumulative / elapsed * len(term_years)


def pace_status(cumulative: float, pace: float) -> PaceStatus:
    return PaceStatus.ON_TRACK if cumulative >= pace - EPS else PaceStatus.BEHIND


def wide_values(values: pd.DataFrame) -> pd.DataFrame:
    """Long (org_code, indicator_code, value) → one row per organisation, one column per code."""
    if values.empty:
        return pd.DataFrame(index=pd.Index([], name="org_code"))
    return values.pivot(index="org_code", columns="indicator_code", values="value")


def _expr_per_org(expr: Expr, wide: pd.DataFrame) -> pd.Series:
    if expr.kind == "count":
        col = wide[expr.codes[0]]
        if expr.op is None or expr.value is None:
            return col.notna().astype(float)
        ops = {
            "<=": col <= expr.value + EPS,
            ">=": col >= expr.value - EPS,
            "<": col < expr.value - EPS,
            ">": col > expr.value + EPS,
            "=": (col - expr.value).abs() < EPS,
        }
        return ops[expr.op].astype(float)
    return wide[list(expr.codes)].sum(axis=1)


@dataclass(frozen=True)
class Ratio:
    numerator: float
    denominator: float
    reported: int  # organisations that reported every indicator the goal uses
    orgs: pd.Index  # those organisations

    @property
    def percent(self) -> float | None:
        if self.reported == 0 or self.denominator <= 0:
            return None
        return 100.0 * self.numerator / self.denominator


def ratio(goal: Goal, wide: pd.DataFrame) -> Ratio:
    """Sum of numerators over sum of denominators, over the organisations that reported
    every number the goal uses."""
    codes = list(goal.indicator_codes())
    num, den = goal.num_expr(), goal.den_expr()
    if num is None or den is None or any(c not in wide.columns for c in codes):
        return Ratio(0.0, 0.0, 0, pd.Index([]))
    complete = wide[wide[codes].notna().all(axis=1)]
    if complete.empty:
        return Ratio(0.0, 0.0, 0, pd.Index([]))
    return Ratio(
        float(_expr_per_org(num, complete).sum()),
        float(_expr_per_org(den, complete).sum()),
        len(complete),
        complete.index,
    )


def cap_share(goal: Goal, wide: pd.DataFrame, orgs: pd.Index | Sequence[str]) -> float | None:
    """The "of which" numerator as a percentage of the group its legal cap is measured on
    (``cap_denominator``; the goal's own denominator when none), over ``orgs``."""
    num = goal.num_expr()
    den = Expr.parse(goal.cap_denominator) if goal.cap_denominator else goal.den_expr()
    if num is None or den is None or not len(orgs):
        return None
    if any(c not in wide.columns for c in den.codes + num.codes):
        return None
    rows = wide.loc[orgs] if isinstance(orgs, pd.Index) else wide.loc[list(orgs)]
    total = float(_expr_per_org(den, rows).sum())
    if total <= 0:
        return None
    return 100.0 * float(_expr_per_org(num, rows).sum()) / total


def sum_reported(code: str, wide: pd.DataFrame) -> tuple[float | None, int]:
    """Total of one indicator over the organisations that reported it, and how many did."""
    if code not in wide.columns:
        return None, 0
    col = wide[code].dropna()
    return (float(col.sum()) if len(col) else None), len(col)


@dataclass(frozen=True)
class YearData:
    """Everything the computation needs for one year and one selection."""

    wide: pd.DataFrame  # one row per grassroots organisation (index org_code), per indicator
    root_values: Mapping[str, float]  # indicator_code → value for the root
    expected_units: int  # active grassroots organisations selected

    @staticmethod
    def from_long(
        values: pd.DataFrame, root_values: Mapping[str, float], expected_units: int
    ) -> YearData:
        """From (org_code, indicator_code, value) rows."""
        return YearData(wide_values(values), root_values, expected_units)


def _row(goal: Goal, year: int, **values: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(PROGRESS_COLUMNS)
    row.update(
        goal_code=goal.code,
        year=year,
        kind=str(goal.kind),
        level=str(goal.level),
        target=goal.target,
        comparison=goal.comparison,
        applicable=True,
        cap_exceeded=False,
    )
    row.update(values)
    if row["status"] is None:
        row["status"] = str(
            status_for(goal.kind, goal.comparison, row["actual"], goal.target)  # type: ignore[arg-type]
        )
    return row


def evaluate_goal(
    goal: Goal,
    year: int,
    term_years: Sequence[int],
    data_by_year: Mapping[int, YearData],
    include_root: bool,
    assessment: tuple[str, str | None] | None = None,
) -> dict[str, object]:
    """One row of the target-vs-actual table."""
    data = data_by_year.get(year) or YearData(pd.DataFrame(), {}, 0)
    if goal.kind == GoalKind.QUALITATIVE:
        status, note = assessment if assessment else (str(Status.NO_DATA), None)
        return _row(
            goal,
            year,
            status=status,
            assessment_note=note,
            expected=1,
            reported=1 if assessment else 0,
        )
    if goal.level == Level.ROOT and not include_root:
        return _row(goal, year, status=str(Status.NO_DATA), applicable=False)

    if goal.kind == GoalKind.ANNUAL_RATIO:
        wide = data.wide
        r = ratio(goal, wide)
        actual = r.percent
        row = _row(
            goal,
            year,
            actual=actual,
            numerator=r.numerator if r.reported else None,
            denominator=r.denominator if r.reported else None,
            reported=r.reported,
            expected=data.expected_units,
        )
        if goal.cap is not None and actual is not None:
            share = cap_share(goal, wide, r.orgs)
            row["cap_share"] = share
            row["cap_exceeded"] = share is not None and share > goal.cap + EPS
        return row

    if goal.kind == GoalKind.ANNUAL_RATING:
        ratings = [data.root_values.get(c) for c in goal.rating_indicators]
        known = [float(v) for v in ratings if v is not None]
        worst = max(known) if known else None
        rating_status: str | None = None
        if worst is not None and len(known) < len(ratings) and worst <= (goal.target or 0):
            rating_status = str(Status.NO_DATA)  # the reported one passes, the other is missing
        return _row(
            goal,
            year,
            actual=worst,
            status=rating_status,
            reported=len(known),
            expected=len(ratings),
        )

    if goal.kind == GoalKind.ANNUAL_COUNT:
        code = goal.indicator_codes()[0]
        value = data.root_values.get(code)
        return _row(
            goal, year, actual=value, numerator=value, reported=int(value is not None), expected=1
        )

    if goal.kind == GoalKind.TERM_CUMULATIVE:
        return _term_row(goal, year, term_years, data_by_year)
    raise ValueError(f"unknown goal kind {goal.kind}")


def _term_row(
    goal: Goal, year: int, term_years: Sequence[int], data_by_year: Mapping[int, YearData]
) -> dict[str, object]:
    code = goal.indicator_codes()[0]
    total: float | None = None
    reported = expected = 0
    for y in term_years:
        if y > year:
            break
        data = data_by_year.get(y)
        if data is None:
            continue
        if goal.level == Level.ROOT:
            value = data.root_values.get(code)
            count = int(value is not None)
            exp = 1
        else:
            value, count = sum_reported(code, data.wide)
            exp = data.expected_units
        if value is not None:
            total = (total or 0.0) + value
        if y == year:
            reported, expected = count, exp
    if reported == 0:
        total = None  # nothing reported this year: no data, not the earlier years' total
    target = goal.target or 0.0
    pace = pace_target(target, year, term_years) if year in term_years else None
    return _row(
        goal,
        year,
        actual=total,
        numerator=total,
        reported=reported,
        expected=expected,
        pace_target=pace,
        pace_status=str(pace_status(total, pace)) if total is not None and pace else None,
        projection=projection(total, year, term_years) if total is not None else None,
    )


def compute_progress(
    goals: Iterable[Goal],
    year: int,
    term_years: Sequence[int],
    data_by_year: Mapping[int, YearData],
    include_root: bool,
    assessments: Mapping[str, tuple[str, str | None]] | None = None,
) -> pd.DataFrame:
    """The target-vs-actual table: one row per goal, in catalogue order."""
    assessments = assessments or {}
    rows = [
        evaluate_goal(g, year, term_years, data_by_year, include_root, assessments.get(g.code))
        for g in goals
    ]
    return progress_frame(rows)


NUMERIC_PROGRESS_COLUMNS = (
    "actual",
    "target",
    "numerator",
    "denominator",
    "pace_target",
    "projection",
    "cap_share",
)


def progress_frame(rows: list[Any]) -> pd.DataFrame:
    """Progress rows (tuples or dicts) as the table, its numbers as floats (NaN: no data)."""
    frame = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    for col in NUMERIC_PROGRESS_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame


def summary(progress: pd.DataFrame) -> dict[str, int]:
    """How many goals are met, near, missed and without data (applicable goals only)."""
    shown = progress[progress["applicable"].astype(bool)]
    counts = shown["status"].value_counts()
    return {str(s): int(counts.get(str(s), 0)) for s in Status} | {"total": len(shown)}


SCORECARD_COLUMNS = [
    "org_code",
    "goal_code",
    "numerator",
    "denominator",
    "actual",
    "status",
    "cap_exceeded",
]


def per_org(goals: Iterable[Goal], wide: pd.DataFrame) -> pd.DataFrame:
    """Each organisation's own value and status for every annual ratio goal measured per
    organisation (the scorecard), vectorised over organisations.

    An organisation that did not report every number a goal uses has no value for it.
    """
    frames = []
    for goal in goals:
        if goal.kind != GoalKind.ANNUAL_RATIO or goal.level != Level.ORG:
            continue
        num_e, den_e = goal.num_expr(), goal.den_expr()
        if num_e is None or den_e is None:
            continue
        codes = list(goal.indicator_codes())
        frame = pd.DataFrame(
            {"org_code": wide.index.astype(str), "goal_code": goal.code, "cap_exceeded": False}
        )
        if wide.empty or any(c not in wide.columns for c in codes):
            frame["numerator"] = frame["denominator"] = frame["actual"] = float("nan")
        else:
            complete = wide[codes].notna().all(axis=1).to_numpy()
            num = _expr_per_org(num_e, wide).to_numpy(dtype=float, copy=True)
            den = _expr_per_org(den_e, wide).to_numpy(dtype=float, copy=True)
            num[~complete] = float("nan")
            den[~complete] = float("nan")
            frame["numerator"], frame["denominator"] = num, den
            with np.errstate(divide="ignore", invalid="ignore"):
                actual = np.where(den > 0, num * 100.0 / den, np.nan)
            frame["actual"] = actual
            if goal.cap is not None:
                cap_e = Expr.parse(goal.cap_denominator) if goal.cap_denominator else den_e
                if all(c in wide.columns for c in cap_e.codes):
                    cap_den = _expr_per_org(cap_e, wide).to_numpy(dtype=float)
                    with np.errstate(divide="ignore", invalid="ignore"):
                        share = np.where(cap_den > 0, num * 100.0 / cap_den, np.nan)
                    frame["cap_exceeded"] = share > goal.cap + EPS
        frame["status"] = vector_status(goal, frame["actual"])
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=SCORECARD_COLUMNS)
    return pd.concat(frames, ignore_index=True)[SCORECARD_COLUMNS]


def vector_status(goal: Goal, actual: pd.Series) -> pd.Series:
    """:func:`status_for` over a column of values."""
    target = goal.target if goal.target is not None else float("nan")
    values = actual.astype(float)
    status = pd.Series(str(Status.MISSED), index=actual.index, dtype=object)
    if goal.comparison == "<=":
        status[values <= target + EPS] = str(Status.MET)
    else:
        near = NEAR_POINTS if goal.kind == GoalKind.ANNUAL_RATIO else (1 - NEAR_SHARE) * target
        status[values >= target - near - EPS] = str(Status.NEAR)
        status[values >= target - EPS] = str(Status.MET)
    status[values.isna()] = str(Status.NO_DATA)
    return status
