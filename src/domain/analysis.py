"""Why a goal stands where it does: ranking of cells, their contribution, term pace.

Pure functions over DataFrames from :func:`src.engine.progress.scorecard` and the progress table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from src.domain.goals import years_elapsed
from src.domain.models import Goal

RANKING_COLUMNS = [
    "rank",
    "org_code",
    "name",
    "group",
    "numerator",
    "denominator",
    "actual",
    "status",
    "gain_if_met",
    "pull",
]


def ranking(goal: Goal, per_org: pd.DataFrame) -> pd.DataFrame:
    """Cells ranked by their own value, weakest first (no data last), with:

    - ``gain_if_met``: the points the goal's total would gain if this cell met the target
      (its numerator raised to target × denominator; for goals that count organisations,
      the organisation counted as covered);
    - ``pull``: how many points this cell moves the total away from the average of the
      others (negative: it pulls the total down).
    Both are exact shares of the total's denominator, so they add up across cells.
    """
    rows = per_org[per_org["goal_code"] == goal.code].copy()
    reported = rows["denominator"].notna() & rows["numerator"].notna()
    total_num = float(rows.loc[reported, "numerator"].sum())
    total_den = float(rows.loc[reported, "denominator"].sum())
    target = (goal.target or 0.0) / 100.0
    num = rows["numerator"].to_numpy(dtype=float)
    den = rows["denominator"].to_numpy(dtype=float)
    if goal.counts_organisations:
        met_num = np.where(den > 0, den, num)
    else:
        met_num = np.maximum(num, target * den)
    if total_den > 0:
        overall = total_num / total_den
        rows["gain_if_met"] = 100.0 * (met_num - num) / total_den
        rows["pull"] = 100.0 * (num - overall * den) / total_den
    else:
        rows["gain_if_met"] = rows["pull"] = float("nan")
    rows.loc[~reported, ["gain_if_met", "pull"]] = float("nan")
    if not rows["org_code"].is_monotonic_increasing:  # the scorecard's rows come in code order
        rows = rows.sort_values("org_code", kind="stable")
    # by value, ties by code: a stable sort of rows in code order (a second key of text
    # would triple the sort at the national size)
    rows = rows.sort_values("actual", na_position="last", kind="stable")
    rows["rank"] = range(1, len(rows) + 1)
    for col in RANKING_COLUMNS:
        if col not in rows:
            rows[col] = None
    return rows[RANKING_COLUMNS].reset_index(drop=True)


def not_covered(goal: Goal, per_org: pd.DataFrame) -> pd.DataFrame:
    """For goals that count organisations (A3, A8): those not counted this year, with the
    ones that reported nothing marked."""
    rows = per_org[per_org["goal_code"] == goal.code]
    missing = rows["numerator"].isna()
    short = rows["numerator"] < rows["denominator"]
    out = rows[missing | short][["org_code", "name", "group", "numerator"]].copy()
    out["reported"] = out["numerator"].notna()
    return out.drop(columns="numerator").sort_values("org_code").reset_index(drop=True)


def needed_per_year(
    target: float, cumulative: float | None, year: int, term_years: Sequence[int]
) -> float | None:
    """How many a year are still needed in the remaining reporting years to reach the target
    (0 when reached; None when no year remains)."""
    done = cumulative or 0.0
    if done >= target:
        return 0.0
    remaining = len(term_years) - years_elapsed(year, term_years)
    if remaining <= 0:
        return None
    return math.ceil((target - done) / remaining)


def projection_line(trend: pd.DataFrame, term_years: Sequence[int]) -> pd.DataFrame:
    """From the last year with data to the term's end at the average yearly rate so far:
    (year, value) points for a dashed line."""
    known = trend.dropna(subset=["actual"])
    if known.empty:
        return pd.DataFrame(columns=["year", "value"])
    last = known.iloc[-1]
    year, value = int(last["year"]), float(last["actual"])
    elapsed = years_elapsed(year, term_years)
    rate = value / elapsed if elapsed else 0.0
    years = [y for y in term_years if y >= year]
    return pd.DataFrame({"year": years, "value": [value + rate * (y - year) for y in years]})
