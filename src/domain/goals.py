"""Domain logic: status, pace, projection and the target-vs-actual computation.

Pure functions over plain values and DataFrames: no database, no Streamlit. The inputs are
what :mod:`src.store.queries` returns; :mod:`src.engine.progress` wires the two together.

One module, past 400 lines, because it is the goal semantics of docs/resolutions.md, one
function per rule, with each rule's scalar and column forms side by side so they agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from src.domain import sums
from src.domain.models import Goal, GoalKind, Level, Measure, Over, PaceStatus, Status
from src.domain.rows import COLUMNS
from src.domain.sums import EPS

NEAR_POINTS = 5.0  # a ratio within 5 percentage points of its target is "near"
NEAR_SHARE = 0.9  # a count at 90% of its target or more is "near"

# the statuses by their code in :func:`judge_codes`
_STATUSES = (Status.MET, Status.NEAR, Status.MISSED, Status.NO_DATA)
_STATUS_NAMES = np.array([str(s) for s in _STATUSES], dtype=object)

PROGRESS_COLUMNS = COLUMNS  # the progress table's columns: ProgressRow's fields, in order


def judge(
    comparison: str | None,
    actual: float | None,
    target: float | None,
    target_max: float | None = None,
    percent: bool = False,
    ordinal: bool = False,
) -> Status:
    """The status rule of docs/resolutions.md for one value: met by the comparison; else
    near when the miss is within 5 points of the nearest bound (``percent``: ratios, growth,
    sums of a percent indicator and their averages) or within 10% of that bound (counts and
    amounts); never near on an ordinal scale (``ordinal``: ratings); no value: no data.
    One rule: this is :func:`judge_codes` for a single value."""
    value = float("nan") if actual is None else float(actual)
    code = judge_codes(comparison, np.array([value]), target, target_max, percent, ordinal)[0]
    return _STATUSES[int(code)]


def judge_codes(
    comparison: str | None,
    values: np.ndarray,
    target: float | None,
    target_max: float | None = None,
    percent: bool = False,
    ordinal: bool = False,
) -> np.ndarray:
    """:func:`judge` over an array of values, as indexes into ``_STATUS_NAMES`` (0 met,
    1 near, 2 missed, 3 no data): the status rule, written once."""
    low = float("nan") if target is None else float(target)
    high = float("nan") if target_max is None else float(target_max)
    with np.errstate(invalid="ignore"):
        if comparison == "between":
            met = (values >= low - EPS) & (values <= high + EPS)
            bound = np.where(values < low, low, high)
        elif comparison == ">":
            met, bound = values > low + EPS, np.full(len(values), low)
        elif comparison == "<=":
            met, bound = values <= low + EPS, np.full(len(values), low)
        elif comparison == "<":
            met, bound = values < low - EPS, np.full(len(values), low)
        else:  # ">=", the default
            met, bound = values >= low - EPS, np.full(len(values), low)
        if ordinal:
            near = np.zeros(len(values), dtype=bool)
        else:
            allowed = NEAR_POINTS if percent else (1 - NEAR_SHARE) * np.abs(bound)
            near = np.abs(values - bound) <= allowed + EPS
    codes = np.where(met, 0, np.where(near, 1, 2)).astype(np.int8)
    codes[np.isnan(values) | math.isnan(low)] = 3
    if comparison == "between" and math.isnan(high):
        codes[:] = 3  # a range without its upper bound judges nothing
    return codes


def goal_status(goal: Goal, actual: float | None, target: float | None = None) -> Status:
    """:func:`judge` with the goal's comparison, bounds and scale (``target``: another
    lower bound, e.g. a pace target)."""
    return judge(
        goal.comparison,
        actual,
        goal.target if target is None else target,
        goal.target_max if target is None else None,
        percent=goal.is_percent,
        ordinal=goal.measure == Measure.RATING,
    )


def status_for(
    kind: GoalKind, comparison: str | None, actual: float | None, target: float | None
) -> Status:
    """The seed's status rule, by kind: :func:`judge` for a goal of that kind."""
    return judge(
        comparison,
        actual,
        target,
        percent=kind == GoalKind.ANNUAL_RATIO,
        ordinal=kind == GoalKind.ANNUAL_RATING,
    )


def pace_met(goal: Goal, value: float, pace: float) -> PaceStatus:
    """Whether a value meets the pace target by the goal's own comparison (``between``:
    that of its lower bound)."""
    comparison = ">=" if goal.comparison == "between" else goal.comparison
    met = judge(comparison, value, pace) == Status.MET
    return PaceStatus.ON_TRACK if met else PaceStatus.BEHIND


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
    every number the goal uses (:mod:`src.domain.sums`, over a table in memory)."""
    wanted = sums.spec(goal) if goal.measure == Measure.RATIO else None
    if wanted is None:
        return Ratio(0.0, 0.0, 0, pd.Index([]))
    got = sums.frame_sums(wanted, wide)
    if not sums.count(got):
        return Ratio(0.0, 0.0, 0, pd.Index([]))
    return Ratio(
        float(got["num"] or 0.0),
        float(got["den"] or 0.0),
        sums.count(got),
        sums.complete_rows(wanted, wide).index,
    )


@dataclass(frozen=True)
class YearData:
    """Everything the computation needs for one year and one selection."""

    wide: pd.DataFrame  # one row per grassroots organisation (index org_code), per indicator
    root_values: Mapping[str, float]  # indicator_code → value for the root
    expected_units: int  # active grassroots organisations selected
    # goal code → its totals over the organisations, computed by the database
    # (src/store/goal_sums.py); None: computed from ``wide``
    totals: Mapping[str, sums.Sums] | None = None

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
        target_max=goal.target_max,
        comparison=goal.comparison,
        applicable=True,
        cap_exceeded=False,
    )
    row.update(values)
    if row["status"] is None:
        row["status"] = str(goal_status(goal, row["actual"]))  # type: ignore[arg-type]
    return row


@dataclass(frozen=True)
class Value:
    """A goal's value for one year and selection (docs/resolutions.md, "What a year's value
    is"), with what it is made of."""

    actual: float | None
    numerator: float | None = None
    denominator: float | None = None
    reported: int = 0
    expected: int = 0
    cap_share: float | None = None  # ratios with a legal cap: the "of which" share


def root_frame(data: YearData) -> pd.DataFrame:
    """The root's own values as a one-row table (the same shape as ``wide``)."""
    return pd.DataFrame([dict(data.root_values)], index=pd.Index(["__root__"], name="org_code"))


def _root_rating(goal: Goal, frame: pd.DataFrame) -> Value:
    """The root's listed ratings, the worst (highest) counting. One missing: no data, unless
    those reported already miss the target, which the missing one cannot mend (the seed's
    rule, kept)."""
    codes = list(goal.rating_indicators)
    given = [c for c in codes if c in frame.columns and frame[c].notna().all()]
    if not given:
        return Value(None, reported=0, expected=len(codes))
    worst = float(frame[given].to_numpy(dtype=float).max())
    if len(given) < len(codes) and goal_status(goal, worst) == Status.MET:
        return Value(None, reported=len(given), expected=len(codes))
    return Value(worst, reported=len(given), expected=len(codes))


def value_of(goal: Goal, got: sums.Sums | None, expected: int) -> Value:
    """The goal's value from its totals (:func:`src.domain.sums.spec`) over ``expected``
    organisations: no data when no organisation reported every value it reads."""
    n = sums.count(got)
    if got is None or not n:
        return Value(None, expected=expected)
    num = got.get("num")
    if goal.measure == Measure.RATING:
        return Value(got.get(sums.WORST), None, None, n, expected)
    if goal.measure == Measure.RATIO:
        den = got.get("den") or 0.0
        top = num or 0.0
        actual = 100.0 * top / den if den > 0 else None
        cap_den = got.get("cap_den")
        share = 100.0 * top / cap_den if cap_den is not None and cap_den > 0 else None
        return Value(actual, top, den, n, expected, share)
    if goal.measure == Measure.GROWTH:
        now, before = num or 0.0, got.get("prev") or 0.0
        actual = 100.0 * (now - before) / before if before != 0 else None
        return Value(actual, now, before, n, expected)
    total = num or 0.0  # a sum
    return Value(total, total, None, n, expected)


def year_value(goal: Goal, data: YearData) -> Value:
    """The goal's value for one year over the data's organisations (level org: their totals
    as the database computed them, else over ``data.wide``) or the root (level root)."""
    wanted = sums.spec(goal)
    if goal.level != Level.ORG:
        frame = root_frame(data)
        if goal.measure == Measure.RATING:
            return _root_rating(goal, frame)
        return value_of(goal, sums.frame_sums(wanted, frame) if wanted else None, 1)
    if wanted is None:
        return Value(None, expected=data.expected_units)
    if data.totals is not None:
        return value_of(goal, data.totals.get(goal.code), data.expected_units)
    return value_of(goal, sums.frame_sums(wanted, data.wide), data.expected_units)


def _nan(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def evaluate_goal(
    goal: Goal,
    year: int,
    term_years: Sequence[int],
    data_by_year: Mapping[int, YearData],
    include_root: bool,
    assessment: tuple[str, str | None] | None = None,
    base_year: int | None = None,
    term_end: int | None = None,
) -> dict[str, object]:
    """One row of the target-vs-actual table (docs/resolutions.md, "What is judged against
    the target")."""
    if goal.measure == Measure.QUALITATIVE:
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
    empty = YearData(pd.DataFrame(), {}, 0)
    if goal.over in (Over.TERM_TOTAL, Over.TERM_AVERAGE):
        return _term_row(goal, year, term_years, data_by_year)
    value = year_value(goal, data_by_year.get(year) or empty)
    row = _row(
        goal,
        year,
        actual=value.actual,
        numerator=value.numerator,
        denominator=value.denominator,
        reported=value.reported,
        expected=value.expected,
    )
    if goal.measure == Measure.RATIO and goal.cap is not None and value.actual is not None:
        row["cap_share"] = value.cap_share
        row["cap_exceeded"] = value.cap_share is not None and value.cap_share > goal.cap + EPS
    if goal.over == Over.BY_END:
        base = base_year if base_year is not None else term_years[0] - 1
        end = term_end if term_end is not None else term_years[-1]
        start = year_value(goal, data_by_year.get(base) or empty).actual
        if start is not None and goal.target is not None and end > base and year in term_years:
            pace = start + (goal.target - start) * (year - base) / (end - base)
            row["pace_target"] = pace
            if not _nan(value.actual):
                row["pace_status"] = str(pace_met(goal, float(value.actual), pace))  # type: ignore[arg-type]
    return row


def _term_row(
    goal: Goal, year: int, term_years: Sequence[int], data_by_year: Mapping[int, YearData]
) -> dict[str, object]:
    """``term_total``: the running sum of the yearly values of the reporting years up to
    ``year`` that have one; ``term_average``: their mean. No value for ``year`` itself: no
    data (the seed's rule, kept)."""
    values: list[float] = []
    reported = expected = 0
    this_year: float | None = None
    for y in term_years:
        if y > year:
            break
        data = data_by_year.get(y)
        if data is None:
            continue
        v = year_value(goal, data)
        if v.actual is not None:
            values.append(v.actual)
        if y == year:
            reported, expected, this_year = v.reported, v.expected, v.actual
    if this_year is None:
        # nothing for the year itself: the total (or mean) up to it is not known, since a
        # missing year is not a zero; years before it with no value are left out
        values = []
    if goal.over == Over.TERM_AVERAGE:
        mean = sum(values) / len(values) if values else None
        return _row(goal, year, actual=mean, numerator=mean, reported=reported, expected=expected)
    total = sum(values) if values else None
    target = goal.target if goal.target is not None else 0.0
    pace = pace_target(target, year, term_years) if year in term_years else None
    return _row(
        goal,
        year,
        actual=total,
        numerator=total,
        reported=reported,
        expected=expected,
        pace_target=pace,
        pace_status=str(pace_met(goal, total, pace)) if total is not None and pace else None,
        projection=projection(total, year, term_years) if total is not None else None,
    )


def compute_progress(
    goals: Iterable[Goal],
    year: int,
    term_years: Sequence[int],
    data_by_year: Mapping[int, YearData],
    include_root: bool,
    assessments: Mapping[str, tuple[str, str | None]] | None = None,
    base_year: int | None = None,
    term_end: int | None = None,
) -> pd.DataFrame:
    """The target-vs-actual table: one row per goal, in catalogue order."""
    assessments = assessments or {}
    rows = [
        evaluate_goal(
            g,
            year,
            term_years,
            data_by_year,
            include_root,
            assessments.get(g.code),
            base_year,
            term_end,
        )
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
    "target_max",
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


def scorecard_goals(goals: Iterable[Goal]) -> list[Goal]:
    """The goals the scorecard shows per organisation: yearly ratios of level ``org``."""
    return [
        g
        for g in goals
        if g.kind == GoalKind.ANNUAL_RATIO
        and g.level == Level.ORG
        and g.num_expr() is not None
        and g.den_expr() is not None
    ]


def scorecard_keys(goals: Iterable[Goal]) -> list[str]:
    """Every column (indicator code, or ``code@prev``/``code@base``) the scorecard of these
    goals reads, in a stable order."""
    keys: dict[str, None] = {}
    for g in scorecard_goals(goals):
        cap = g.cap_expr()
        for key in [*g.indicator_codes(), *(cap.codes if cap else ())]:
            keys[key] = None
    return list(keys)


@dataclass(frozen=True)
class PerOrg:
    """Each organisation's own value and status for every scorecard goal, as arrays of one
    row per goal and one column per organisation (in the order of ``orgs``): what the
    grid of cells × goals shows as it is, and the long scorecard (:meth:`long`) stacks."""

    goal_codes: list[str]
    orgs: np.ndarray  # organisation codes (objects)
    numerator: np.ndarray  # (goals, organisations), NaN: no value
    denominator: np.ndarray
    actual: np.ndarray
    status: np.ndarray  # codes of judge_codes
    cap_exceeded: np.ndarray  # bool

    def status_names(self) -> np.ndarray:
        return _STATUS_NAMES[self.status]

    def long(self) -> pd.DataFrame:
        """One block of rows per goal, organisations in the same order in each."""
        if not self.goal_codes:
            return pd.DataFrame(columns=SCORECARD_COLUMNS)
        k, n = len(self.goal_codes), len(self.orgs)
        goal_codes = np.array(self.goal_codes, dtype=object)
        return pd.DataFrame(
            {
                "org_code": pd.Series(np.tile(self.orgs, k), dtype=object),
                "goal_code": pd.Series(np.repeat(goal_codes, n), dtype=object),
                "numerator": self.numerator.ravel(),
                "denominator": self.denominator.ravel(),
                "actual": self.actual.ravel(),
                "status": pd.Series(self.status_names().ravel(), dtype=object),
                "cap_exceeded": self.cap_exceeded.ravel(),
            }
        )[SCORECARD_COLUMNS]


def per_org_blocks(goals: Iterable[Goal], wide: pd.DataFrame) -> PerOrg:
    """Each organisation's own value and status for every annual ratio goal measured per
    organisation (the scorecard), vectorised over organisations (the rows of ``wide``).

    An organisation that did not report every number a goal uses (with its year reference)
    has no value for it.
    """
    shown = scorecard_goals(goals)
    n = len(wide)
    k = len(shown)
    numerator = np.full((k, n), np.nan)
    denominator = np.full((k, n), np.nan)
    actual = np.full((k, n), np.nan)
    status = np.empty((k, n), dtype=np.int8)
    cap_exceeded = np.zeros((k, n), dtype=bool)
    for i, goal in enumerate(shown):
        wanted = sums.spec(goal)  # the same totals as the committee's, one organisation each
        assert wanted is not None  # scorecard_goals keeps only ratios with both parts
        exprs = dict(wanted.sums)
        codes = list(wanted.complete)
        if n and all(c in wide.columns for c in codes):
            complete = wide[codes].notna().all(axis=1).to_numpy()
            num = sums.expr_per_org(exprs["num"], wide).to_numpy(dtype=float, copy=True)
            den = sums.expr_per_org(exprs["den"], wide).to_numpy(dtype=float, copy=True)
            num[~complete] = np.nan
            den[~complete] = np.nan
            numerator[i], denominator[i] = num, den
            with np.errstate(divide="ignore", invalid="ignore"):
                actual[i] = np.where(den > 0, num * 100.0 / den, np.nan)
            cap_e = exprs.get("cap_den")  # only for a goal with a legal cap
            if cap_e is not None and all(c in wide.columns for c in cap_e.codes):
                cap_den = sums.expr_per_org(cap_e, wide).to_numpy(dtype=float)
                with np.errstate(divide="ignore", invalid="ignore"):
                    share = np.where(cap_den > 0, num * 100.0 / cap_den, np.nan)
                cap_exceeded[i] = share > (goal.cap or 0.0) + EPS
        status[i] = _status_codes(goal, actual[i])
    orgs = wide.index.to_numpy(dtype=object).astype(str).astype(object)
    return PerOrg(
        [g.code for g in shown], orgs, numerator, denominator, actual, status, cap_exceeded
    )


def per_org(goals: Iterable[Goal], wide: pd.DataFrame) -> pd.DataFrame:
    """:func:`per_org_blocks` as the long scorecard: one block of rows per goal,
    organisations in the order of ``wide``."""
    return per_org_blocks(goals, wide).long()


def _status_codes(goal: Goal, values: np.ndarray) -> np.ndarray:
    """:func:`goal_status` over an array of values (:func:`judge_codes`)."""
    return judge_codes(
        goal.comparison,
        values,
        goal.target,
        goal.target_max,
        percent=goal.is_percent,
        ordinal=goal.measure == Measure.RATING,
    )


def vector_status(goal: Goal, actual: pd.Series) -> pd.Series:
    """:func:`goal_status` over a column of values."""
    codes = _status_codes(goal, actual.astype(float).to_numpy())
    return pd.Series(_STATUS_NAMES[codes], index=actual.index, dtype=object)
