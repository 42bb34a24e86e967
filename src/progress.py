"""The data layer's one entry point for target-vs-actual: queries in, domain computation."""

from __future__ import annotations

import duckdb
import pandas as pd

from src import domain, queries
from src.models import Resolution


def year_data(
    con: duckdb.DuckDBPyConnection,
    resolution: Resolution,
    year: int,
    org_codes: list[str] | None,
) -> dict[int, domain.YearData]:
    """The inputs of the computation for each reporting year of the term up to ``year``."""
    years = [y for y in resolution.term_years if y <= year] or [year]
    first, last = min(years + [year]), max(years + [year])
    units = queries.unit_values(con, first, last, org_codes)
    roots = queries.root_values(con, first, last)
    expected = queries.expected_units_by_year(con, first, last, org_codes)
    out = {}
    for y in sorted(set(years + [year])):
        u = units[units["year"] == y][["org_code", "indicator_code", "value"]]
        r = roots[roots["year"] == y]
        out[y] = domain.YearData(
            unit_values=u,
            root_values=dict(zip(r["indicator_code"], r["value"].astype(float), strict=True)),
            expected_units=expected.get(y, 0),
        )
    return out


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
    resolution = queries.resolution(con, resolution_code)
    root = queries.root_code(con)
    include_root = org_codes is None or (root is not None and root in org_codes)
    unit_sel = None if org_codes is None else [c for c in org_codes if c != root]
    if org_codes is not None and root in org_codes and not unit_sel:
        unit_sel = None  # the root alone means the whole committee
    data = year_data(con, resolution, year, unit_sel)
    return domain.compute_progress(
        queries.goals(con, resolution.code),
        year,
        resolution.term_years,
        data,
        include_root,
        queries.assessments(con, resolution.code, year),
    )


def scorecard(
    con: duckdb.DuckDBPyConnection,
    year: int,
    org_codes: list[str] | None = None,
    resolution_code: str | None = None,
) -> pd.DataFrame:
    """Every selected grassroots organisation × every annual goal measured per organisation:
    its own numerator, denominator, value and status for the year (long format), with the
    organisation's name and group."""
    resolution = queries.resolution(con, resolution_code)
    values = queries.unit_values(con, year, year, org_codes)
    wide = domain.wide_values(values[["org_code", "indicator_code", "value"]])
    units = queries.active_units(con, year, org_codes)
    # active organisations that reported nothing still get a row (no data, never zero)
    wide = wide.reindex(sorted(set(wide.index.astype(str)) | set(units["org_code"])))
    table = domain.per_org(queries.goals(con, resolution.code), wide)
    orgs = queries.organisations(con)[["org_code", "name", "group"]]
    return table.merge(orgs, on="org_code", how="left")


def goal_trend(
    con: duckdb.DuckDBPyConnection,
    goal_code: str,
    org_codes: list[str] | None = None,
    resolution_code: str | None = None,
) -> pd.DataFrame:
    """One goal over every reporting year of the term: the progress row of each year (the
    data is read once for the whole term)."""
    resolution = queries.resolution(con, resolution_code)
    root = queries.root_code(con)
    include_root = org_codes is None or (root is not None and root in org_codes)
    unit_sel = None if org_codes is None else [c for c in org_codes if c != root] or None
    goal = [g for g in queries.goals(con, resolution.code) if g.code == goal_code]
    data = year_data(con, resolution, resolution.term_years[-1], unit_sel)
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
    values = queries.unit_values(con, min(years), max(years), [org_code])
    frames = []
    for year in years:
        v = values[values["year"] == year][["org_code", "indicator_code", "value"]]
        wide = domain.wide_values(v).reindex([org_code])
        table = domain.per_org(goals, wide)
        table["year"] = year
        frames.append(table)
    return pd.concat(frames, ignore_index=True)
