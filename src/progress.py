"""The data layer's entry points for target-vs-actual: queries in, domain computation out.

Every view reads the maintained ``unit_year`` table (one row per organisation and year); the
whole committee's table of every year is also kept computed (``progress_cache``, refreshed
after every write by :mod:`src.aggregates`) and used while it is current.
"""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd

from src import domain, queries
from src.models import Resolution


def _wide_by_year(frame: pd.DataFrame, columns: list[str]) -> dict[int, pd.DataFrame]:
    out = {}
    for year, part in frame.groupby("year", sort=False):
        wide = part.set_index("org_code")[columns]
        out[int(year)] = wide  # type: ignore[call-overload]
    return out


def year_data(
    con: duckdb.DuckDBPyConnection,
    resolution: Resolution,
    year: int,
    org_codes: list[str] | None,
) -> dict[int, domain.YearData]:
    """The inputs of the computation for each reporting year of the term up to ``year``."""
    years = sorted({y for y in resolution.term_years if y <= year} | {year})
    first, last = years[0], years[-1]
    columns = queries.indicator_columns(con)
    wide = _wide_by_year(queries.unit_wide(con, first, last, org_codes), columns)
    roots = queries.root_values(con, first, last)
    expected = queries.expected_units_by_year(con, first, last, org_codes)
    empty = pd.DataFrame(columns=columns, index=pd.Index([], name="org_code"), dtype=float)
    out = {}
    for y in years:
        r = roots[roots["year"] == y]
        out[y] = domain.YearData(
            wide=wide.get(y, empty),
            root_values=dict(zip(r["indicator_code"], r["value"].astype(float), strict=True)),
            expected_units=expected.get(y, 0),
        )
    return out


def _split(org_codes: list[str] | None, root: str | None) -> tuple[list[str] | None, bool]:
    """(the grassroots organisations selected, whether committee-level goals apply)."""
    if org_codes is None:
        return None, True
    include_root = root is not None and root in org_codes
    units = [c for c in org_codes if c != root]
    return (units or None) if include_root else units, include_root


def compute_table(
    con: duckdb.DuckDBPyConnection,
    year: int,
    org_codes: list[str] | None = None,
    resolution_code: str | None = None,
) -> pd.DataFrame:
    """Target vs actual computed from the per-organisation values (no kept results)."""
    resolution = queries.resolution(con, resolution_code)
    units, include_root = _split(org_codes, queries.root_code(con))
    data = year_data(con, resolution, year, units)
    return domain.compute_progress(
        queries.goals(con, resolution.code),
        year,
        resolution.term_years,
        data,
        include_root,
        queries.assessments(con, resolution.code, year),
    )


def progress_table(
    con: duckdb.DuckDBPyConnection,
    year: int,
    org_codes: list[str] | None = None,
    resolution_code: str | None = None,
) -> pd.DataFrame:
    """Target vs actual for every goal of the resolution, one year, a selection of
    organisations (``None``: all, the committee as a whole).

    Goals measured at committee level apply only when the selection is everything or
    includes the root organisation.
    """
    if org_codes is None:
        resolution = queries.resolution(con, resolution_code)
        kept = queries.cached_progress(con, resolution.code, year)
        if kept is not None:
            return from_rows(kept)
    return compute_table(con, year, org_codes, resolution_code)


def to_rows(table: pd.DataFrame) -> list[str]:
    """A progress table as JSON texts, one per goal (floats round-trip exactly)."""
    return [json.dumps(row, ensure_ascii=False, default=str) for row in table.to_dict("records")]


def from_rows(rows: list[str]) -> pd.DataFrame:
    return domain.progress_frame([json.loads(r) for r in rows])


def scorecard(
    con: duckdb.DuckDBPyConnection,
    year: int,
    org_codes: list[str] | None = None,
    resolution_code: str | None = None,
) -> pd.DataFrame:
    """Every selected grassroots organisation × every annual goal measured per organisation:
    its own numerator, denominator, value and status for the year (long format), with the
    organisation's name and group. Organisations that reported nothing have a row too (no
    data, never zero)."""
    resolution = queries.resolution(con, resolution_code)
    columns = queries.indicator_columns(con)
    frame = queries.scorecard_input(con, year, org_codes)
    table = domain.per_org(
        queries.goals(con, resolution.code), frame.set_index("org_code")[columns]
    )
    repeat = len(table) // max(len(frame), 1)  # per_org stacks one block per goal
    for column in ("name", "group"):  # repeated per goal: as categories, not copied strings
        labels = frame[column].astype("category")
        table[column] = pd.Categorical.from_codes(
            np.tile(labels.cat.codes.to_numpy(), repeat), labels.cat.categories
        )
    return table


def goal_trend(
    con: duckdb.DuckDBPyConnection,
    goal_code: str,
    org_codes: list[str] | None = None,
    resolution_code: str | None = None,
) -> pd.DataFrame:
    """One goal over every reporting year of the term: the progress row of each year (the
    data is read once for the whole term)."""
    resolution = queries.resolution(con, resolution_code)
    if org_codes is None:
        frames = [progress_table(con, y, None, resolution.code) for y in resolution.term_years]
        rows = pd.concat(frames, ignore_index=True)
        return rows[rows["goal_code"] == goal_code].reset_index(drop=True)
    units, include_root = _split(org_codes, queries.root_code(con))
    goal = [g for g in queries.goals(con, resolution.code) if g.code == goal_code]
    data = year_data(con, resolution, resolution.term_years[-1], units)
    frames = [
        domain.compute_progress(
            goal,
            year,
            resolution.term_years,
            data,
            include_root,
            queries.assessments(con, resolution.code, year),
        )
        for year in resolution.term_years
    ]
    return pd.concat(frames, ignore_index=True)


def cell_profile(
    con: duckdb.DuckDBPyConnection,
    org_code: str,
    resolution_code: str | None = None,
) -> pd.DataFrame:
    """Every per-organisation goal of one cell across the term (long: year, goal_code,
    actual, status, numerator, denominator)."""
    resolution = queries.resolution(con, resolution_code)
    goals = queries.goals(con, resolution.code)
    years = resolution.term_years
    columns = queries.indicator_columns(con)
    values = queries.unit_wide(con, min(years), max(years), [org_code])
    frames = []
    for year in years:
        part = values[values["year"] == year].set_index("org_code")[columns]
        table = domain.per_org(goals, part.reindex([org_code]))
        table["year"] = year
        frames.append(table)
    return pd.concat(frames, ignore_index=True)
