"""The two yardsticks the dashboard's numbers are read against.

- :func:`floor`: DuckDB's bare scan and aggregate of one year's values. No correct overview
  reads less than that year's values, so none can be much faster.
- :func:`pandas_overview`: the same overview as ``progress_table(con, year)``, written the
  way a typical dashboard does it: every value of the term already in memory as one long
  pandas DataFrame (loaded once, e.g. behind ``st.cache_data``), then filter, pivot and sum
  on each request. :func:`load_frames` loads that data (not timed).

The pandas overview must give the same numbers as the dashboard; :func:`compare` says
where they differ (the benchmark prints it, so a fast but wrong path shows at once).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from src.domain import goals as domain
from src.domain.models import GRASSROOTS_KINDS, Expr, Goal, GoalKind, Level, Resolution
from src.store import queries


def floor(con: duckdb.DuckDBPyConnection, year: int) -> list[tuple[object, ...]]:
    """Sum and count of every indicator over one year's values, nothing more."""
    return (
        con.cursor()
        .execute(
            "SELECT indicator_code, sum(value), count(*) FROM observations WHERE year = ?"
            " GROUP BY indicator_code",
            [year],
        )
        .fetchall()
    )


@dataclass(frozen=True)
class Frames:
    """What a typical dashboard keeps in memory: plain DataFrames and the catalogue."""

    observations: pd.DataFrame  # year, org_code, indicator_code, value (the term's years)
    organisations: pd.DataFrame  # org_code, kind, parent_code, active_from, active_to
    value_types: dict[str, str]  # org-level indicator code → count | flag | rating
    goals: list[Goal]
    resolution: Resolution
    assessments: pd.DataFrame  # year, goal_code, status


def load_frames(con: duckdb.DuckDBPyConnection, year: int) -> Frames:
    resolution = queries.resolution(con)
    years = [y for y in resolution.term_years if y <= year] or [year]
    cur = con.cursor()
    obs = cur.execute(
        "SELECT year, org_code, indicator_code, value FROM observations WHERE year BETWEEN ? AND ?",
        [min(years), max(years + [year])],
    ).df()
    orgs = cur.execute(
        "SELECT org_code, kind, parent_code, active_from, active_to FROM organisations"
    ).df()
    types = {
        str(r[0]): str(r[1])
        for r in cur.execute(
            "SELECT code, value_type FROM indicators WHERE level = 'org'"
        ).fetchall()
    }
    assessments = cur.execute(
        "SELECT year, goal_code, status FROM assessments WHERE resolution_code = ?",
        [resolution.code],
    ).df()
    return Frames(obs, orgs, types, queries.goals(con, resolution.code), resolution, assessments)


def _unit_wide(f: Frames, year: int, codes: list[str] | None = None) -> tuple[pd.DataFrame, int]:
    """One row per grassroots organisation (subcells' counts rolled up where it did not
    report them), one column per indicator (or per one of ``codes``); and how many
    organisations were expected."""
    orgs = f.organisations
    units = orgs[orgs["kind"].isin(GRASSROOTS_KINDS)]
    window = units[["org_code", "active_from", "active_to"]].rename(columns={"org_code": "unit"})
    mapping = pd.DataFrame(
        {
            "org_code": orgs["org_code"],
            "unit": orgs["org_code"].where(orgs["kind"] != "subcell", orgs["parent_code"]),
            "kind": orgs["kind"],
        }
    ).merge(window, on="unit")  # the root drops out here: it is no grassroots organisation
    obs = f.observations[f.observations["year"] == year]
    if codes is not None:
        obs = obs[obs["indicator_code"].isin(codes)]
    obs = obs.merge(mapping, on="org_code")
    obs = obs[
        (obs["active_from"].isna() | (obs["active_from"] <= year))
        & (obs["active_to"].isna() | (obs["active_to"] >= year))
    ]
    own = obs[obs["kind"] != "subcell"].pivot(
        index="unit", columns="indicator_code", values="value"
    )
    counts = [c for c, t in f.value_types.items() if t == "count"]
    sub = obs[obs["kind"] == "subcell"]
    sub = sub[sub["indicator_code"].isin(counts)]
    if len(sub):
        rolled = sub.pivot_table(
            index="unit", columns="indicator_code", values="value", aggfunc="sum"
        )
        own = own.combine_first(rolled)
    own = own[[c for c in own.columns if c in f.value_types]]  # per-organisation indicators
    active = (units["active_from"].isna() | (units["active_from"] <= year)) & (
        units["active_to"].isna() | (units["active_to"] >= year)
    )
    return own, int(active.sum())


def _per_org(expr: Expr, wide: pd.DataFrame) -> pd.Series:
    if expr.kind == "count":
        col = wide[expr.codes[0]]
        if expr.op is None or expr.value is None:
            return col.notna().astype(float)
        eps = domain.EPS
        ops = {
            "<=": col <= expr.value + eps,
            ">=": col >= expr.value - eps,
            "<": col < expr.value - eps,
            ">": col > expr.value + eps,
            "=": (col - expr.value).abs() < eps,
        }
        return ops[expr.op].astype(float)
    return wide[list(expr.codes)].sum(axis=1)


def pandas_overview(f: Frames, year: int) -> pd.DataFrame:
    """goal_code, actual, numerator, denominator, reported, expected, status for every goal,
    one year, all organisations."""
    term = f.resolution.term_years
    years = sorted({y for y in term if y <= year} | {year})
    wide, expected = _unit_wide(f, year)  # every number of the year, pivoted once
    term_codes = [
        g.indicator_codes()[0]
        for g in f.goals
        if g.kind == GoalKind.TERM_CUMULATIVE and g.level == Level.ORG
    ]
    earlier = {y: _unit_wide(f, y, term_codes) for y in years if y != year}  # those only
    root_rows = f.organisations.loc[f.organisations["kind"] == "root", "org_code"]
    root_obs = f.observations[f.observations["org_code"].isin(root_rows)]
    roots = {
        y: dict(zip(g["indicator_code"], g["value"].astype(float), strict=True))
        for y, g in root_obs.groupby("year")
    }
    rows = []
    for goal in f.goals:
        row: dict[str, object] = {"goal_code": goal.code}
        actual: float | None = None
        if goal.kind == GoalKind.ANNUAL_RATIO:
            codes = list(goal.indicator_codes())
            num_e, den_e = goal.num_expr(), goal.den_expr()
            assert num_e is not None and den_e is not None
            if all(c in wide.columns for c in codes):
                complete = wide[wide[codes].notna().all(axis=1)]
            else:
                complete = wide.iloc[0:0]
            n = len(complete)
            num = float(_per_org(num_e, complete).sum()) if n else None
            den = float(_per_org(den_e, complete).sum()) if n else None
            actual = 100.0 * num / den if num is not None and den else None
            row |= {"numerator": num, "denominator": den, "reported": n, "expected": expected}
        elif goal.kind == GoalKind.ANNUAL_RATING:
            values = [roots.get(year, {}).get(c) for c in goal.rating_indicators]
            known = [v for v in values if v is not None]
            actual = max(known) if known else None
            row |= {"reported": len(known), "expected": len(values)}
        elif goal.kind == GoalKind.ANNUAL_COUNT:
            actual = roots.get(year, {}).get(goal.indicator_codes()[0])
            row |= {"numerator": actual, "reported": int(actual is not None), "expected": 1}
        elif goal.kind == GoalKind.TERM_CUMULATIVE:
            code = goal.indicator_codes()[0]
            total, reported, exp = 0.0, 0, 1
            for y in years:
                if goal.level == Level.ROOT:
                    value = roots.get(y, {}).get(code)
                    count = int(value is not None)
                else:
                    w, exp_y = (wide, expected) if y == year else earlier[y]
                    col = w[code].dropna() if code in w.columns else pd.Series(dtype=float)
                    value, count = (float(col.sum()) if len(col) else None), len(col)
                    exp = exp_y if y == year else exp
                total += value or 0.0
                reported = count if y == year else reported
            actual = total if reported else None
            row |= {"numerator": actual, "reported": reported, "expected": exp}
        else:  # qualitative: the assessment, when there is one
            a = f.assessments[
                (f.assessments["year"] == year) & (f.assessments["goal_code"] == goal.code)
            ]
            row |= {"status": str(a["status"].iloc[0]) if len(a) else "no_data"}
            row |= {"reported": int(len(a) > 0), "expected": 1}
        row["actual"] = actual
        if "status" not in row:
            row["status"] = str(domain.status_for(goal.kind, goal.comparison, actual, goal.target))
        rows.append(row)
    return pd.DataFrame(rows)


COMPARED = ("actual", "numerator", "denominator", "reported", "expected", "status")


def compare(dashboard: pd.DataFrame, reference: pd.DataFrame, tol: float = 1e-9) -> list[str]:
    """Where the dashboard's overview and the reference differ (empty: they agree)."""
    a = dashboard.set_index("goal_code")
    b = reference.set_index("goal_code")
    problems = []
    if list(a.index) != list(b.index):
        return [f"goals differ: {list(a.index)} vs {list(b.index)}"]
    for goal in a.index:
        for col in COMPARED:
            if col not in b.columns:
                continue
            x, y = a.at[goal, col], b.at[goal, col]
            if not _same(x, y, tol):
                problems.append(f"{goal}.{col}: dashboard {x!r}, reference {y!r}")
    return problems


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def _same(x: object, y: object, tol: float) -> bool:
    if _missing(x) or _missing(y):
        return _missing(x) and _missing(y)
    if isinstance(x, (int, float, np.number)) and isinstance(y, (int, float, np.number)):
        fx, fy = float(x), float(y)
        return abs(fx - fy) <= tol * max(1.0, abs(fx), abs(fy))
    return str(x) == str(y)
