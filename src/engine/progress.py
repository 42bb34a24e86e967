"""The data layer's entry points for target-vs-actual: queries in, domain computation out.

Every view reads the maintained ``unit_year`` table (one row per organisation and year). A
table of goals over many organisations is computed from each goal's totals, which DuckDB
adds up (:mod:`src.store.goal_sums`, from :func:`src.domain.sums.spec`), so no
per-organisation row is read into Python for it; the whole committee's table of every year
is also kept computed (``progress_cache``, refreshed after every write by
:mod:`src.engine.aggregates`) and used while it is current (docs/scaling.md says why).
"""

from __future__ import annotations

import json
from collections.abc import Collection

import duckdb
import numpy as np
import pandas as pd

from src.domain import goals as domain
from src.domain import sums
from src.domain.models import Goal, Level, Over, Resolution, split_key
from src.store import goal_sums, queries

# the per-organisation values stay in the database: the goals' totals come computed
_NO_ROWS = pd.DataFrame(index=pd.Index([], name="org_code"))


def _wide_by_year(frame: pd.DataFrame, columns: list[str]) -> dict[int, pd.DataFrame]:
    out = {}
    for year, part in frame.groupby("year", sort=False):
        wide = part.set_index("org_code")[columns]
        out[int(year)] = wide  # type: ignore[call-overload]
    return out


def _refs(goals: list[Goal]) -> tuple[set[str], bool]:
    """The year-referenced columns the goals' totals read (``code@prev``, ``code@base``;
    growth reads its numerator in the year before: :func:`src.domain.sums.spec`), and
    whether the base year's values are needed."""
    keys = {
        k
        for g in goals
        if (wanted := sums.spec(g)) is not None
        for k in wanted.columns()
        if "@" in k
    }
    base = any(g.over == Over.BY_END for g in goals)
    return keys, base or any(k.endswith("@base") for k in keys)


def _with_refs(
    frame: pd.DataFrame, keys: set[str], by_year: dict[int, pd.DataFrame], prev: int, base: int
) -> pd.DataFrame:
    """``frame`` with a column per year-referenced key: the same organisation's value in the
    year before or in the base year (none where it has no row then: founded since)."""
    if not keys:
        return frame
    extra = {}
    for key in sorted(keys):
        ref = split_key(key)
        source = by_year.get(prev if ref.year == "prev" else base)
        if source is not None and ref.code in source.columns:
            extra[key] = source[ref.code].reindex(frame.index)
        else:
            extra[key] = pd.Series(float("nan"), index=frame.index)
    return frame.assign(**extra)


def year_data(
    con: duckdb.DuckDBPyConnection,
    resolution: Resolution,
    year: int,
    org_codes: list[str] | None,
    goals: list[Goal] | None = None,
    also: Collection[int] = (),
) -> dict[int, domain.YearData]:
    """The inputs of the computation for each reporting year of the term up to ``year``
    (and the base year, when a goal is judged by the end of the term), each with the
    year-referenced values its goals read; and those of the years ``also`` (a table of each
    of several years, from one read: :func:`compute_tables`)."""
    keys, need_base = _refs(goals or [])
    years = sorted(set(_years_read(resolution, year, need_base)).union(also))
    loaded = set(years)
    if any(k.endswith("@prev") for k in keys):
        loaded |= {y - 1 for y in years}
    if any(k.endswith("@base") for k in keys):
        loaded.add(resolution.base)
    first, last = min(loaded), max(loaded)
    asked = {year, *also}
    wanted = {
        g.code: (w, _goal_years(g, asked, resolution))
        for g in goals or []
        if g.level == Level.ORG and (w := sums.spec(g))
    }
    totals = goal_sums.year_totals(con, wanted, org_codes, resolution.base)
    roots = queries.root_values(con, first, last)
    expected = queries.expected_units_by_year(con, first, last, org_codes)
    root_by_year = {
        int(y): pd.DataFrame(
            [dict(zip(part["indicator_code"], part["value"].astype(float), strict=True))],
            index=pd.Index(["__root__"], name="org_code"),
        )
        for y, part in roots.groupby("year", sort=False)
    }
    out = {}
    for y in years:
        root = root_by_year.get(y)
        root = root if root is not None else pd.DataFrame(index=pd.Index(["__root__"]))
        root = _with_refs(root, keys, root_by_year, y - 1, resolution.base)
        values = {
            str(k): float(v) for k, v in root.iloc[0].items() if v is not None and not pd.isna(v)
        }
        out[y] = domain.YearData(
            wide=_NO_ROWS,
            root_values=values,
            expected_units=expected.get(y, 0),
            totals=totals.get(y, {}),
        )
    return out


def _goal_years(goal: Goal, asked: Collection[int], resolution: Resolution) -> set[int]:
    """The years whose totals a goal's rows of the years ``asked`` are computed from: those
    years; and, for a term's total or mean, every reporting year of the term up to them; for
    a level to reach by the end, the base year."""
    if goal.over in (Over.TERM_TOTAL, Over.TERM_AVERAGE):
        return {y for y in resolution.term_years if y <= max(asked)} | set(asked)
    if goal.over == Over.BY_END:
        return {*asked, resolution.base}
    return set(asked)


def _years_read(resolution: Resolution, year: int, need_base: bool) -> list[int]:
    """The years whose values the table of ``year`` is computed from."""
    years = {y for y in resolution.term_years if y <= year} | {year}
    return sorted(years | {resolution.base} if need_base else years)


def _split(org_codes: list[str] | None, roots: list[str]) -> tuple[list[str] | None, bool]:
    """(the grassroots organisations selected, whether committee-level goals apply: the
    selection is everything or includes a root)."""
    if org_codes is None:
        return None, True
    include_root = any(c in roots for c in org_codes)
    units = [c for c in org_codes if c not in roots]
    return (units or None) if include_root else units, include_root


def compute_table(
    con: duckdb.DuckDBPyConnection,
    year: int,
    org_codes: list[str] | None = None,
    resolution_code: str | None = None,
) -> pd.DataFrame:
    """Target vs actual computed from the per-organisation values (no kept results)."""
    resolution = queries.resolution(con, resolution_code)
    units, include_root = _split(org_codes, queries.root_codes(con))
    goals = queries.goals(con, resolution.code)
    data = year_data(con, resolution, year, units, goals)
    return _compute(con, resolution, goals, year, data, include_root)


def compute_tables(
    con: duckdb.DuckDBPyConnection, years: Collection[int], resolution_code: str | None = None
) -> dict[int, pd.DataFrame]:
    """:func:`compute_table` of the whole committee for each of ``years``, the values read
    once for all of them rather than once per year (the table of a year reads every year of
    the term before it): what a write's refresh of the kept tables costs. Each year is
    computed from exactly the years its own table reads."""
    if not years:
        return {}
    resolution = queries.resolution(con, resolution_code)
    goals = queries.goals(con, resolution.code)
    data = year_data(con, resolution, max(years), None, goals, also=years)
    need_base = _refs(goals)[1]
    out = {}
    for year in sorted(years):
        own = {y: data[y] for y in _years_read(resolution, year, need_base)}
        out[year] = _compute(con, resolution, goals, year, own, True)
    return out


def _compute(
    con: duckdb.DuckDBPyConnection,
    resolution: Resolution,
    goals: list[Goal],
    year: int,
    data: dict[int, domain.YearData],
    include_root: bool,
) -> pd.DataFrame:
    """The goals' progress rows of one year from the values read (and the committee's
    assessments of that year)."""
    return domain.compute_progress(
        goals,
        year,
        resolution.term_years,
        data,
        include_root,
        queries.assessments(con, resolution.code, year),
        resolution.base,
        resolution.term_end,
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


def scorecard_blocks(
    con: duckdb.DuckDBPyConnection,
    year: int,
    org_codes: list[str] | None = None,
    resolution_code: str | None = None,
    goal_codes: Collection[str] | None = None,
) -> tuple[domain.PerOrg, pd.DataFrame]:
    """Every selected grassroots organisation active in ``year`` (in code order) × every
    annual goal measured per organisation (or only ``goal_codes`` of them), as arrays of one
    row per goal (:class:`src.domain.goals.PerOrg`); and the organisations' code, name and
    group, in the same order. Organisations that reported nothing have their column too (no
    data, never zero)."""
    resolution = queries.resolution(con, resolution_code)
    goals = domain.scorecard_goals(queries.goals(con, resolution.code))
    if goal_codes is not None:
        goals = [g for g in goals if g.code in goal_codes]
    available = set(queries.indicator_columns(con))
    keys = [k for k in domain.scorecard_keys(goals) if split_key(k).code in available]
    plain = [k for k in keys if "@" not in k]
    frame = queries.scorecard_input(con, year, org_codes, plain)
    wide = frame.set_index("org_code")[plain]
    refs = {k for k in keys if "@" in k}
    if refs:  # the same organisations' values in the year before / the base year
        years = {"prev": year - 1, "base": resolution.base}
        codes = sorted({split_key(k).code for k in refs})
        by_year = {
            y: queries.scorecard_input(con, y, org_codes, codes).set_index("org_code")[codes]
            for y in {years[str(split_key(k).year)] for k in refs}
        }
        wide = _with_refs(wide, refs, by_year, year - 1, resolution.base)
    return domain.per_org_blocks(goals, wide), frame[["org_code", "name", "group"]]


def scorecard(
    con: duckdb.DuckDBPyConnection,
    year: int,
    org_codes: list[str] | None = None,
    resolution_code: str | None = None,
    goal_codes: Collection[str] | None = None,
) -> pd.DataFrame:
    """:func:`scorecard_blocks` as one long table: every selected organisation × goal, its
    own numerator, denominator, value and status for the year, with the organisation's name
    and group (one block of rows per goal)."""
    blocks, frame = scorecard_blocks(con, year, org_codes, resolution_code, goal_codes)
    table = blocks.long()
    repeat = len(blocks.goal_codes)
    name = frame["name"].to_numpy(dtype=object)
    table["name"] = pd.Series(np.tile(name, repeat), dtype=object)  # pointers, not copies
    group = frame["group"].astype("category")
    table["group"] = pd.Categorical.from_codes(
        np.tile(group.cat.codes.to_numpy(), repeat), group.cat.categories
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
    units, include_root = _split(org_codes, queries.root_codes(con))
    goal = [g for g in queries.goals(con, resolution.code) if g.code == goal_code]
    data = year_data(con, resolution, resolution.term_years[-1], units, goal, resolution.term_years)
    frames = [
        _compute(con, resolution, goal, year, data, include_root) for year in resolution.term_years
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
    goals = domain.scorecard_goals(queries.goals(con, resolution.code))
    years = resolution.term_years
    refs = {k for k in domain.scorecard_keys(goals) if "@" in k}
    first = min([*years, years[0] - 1, resolution.base] if refs else years)
    columns = queries.indicator_columns(con)
    values = queries.unit_wide(con, first, max(years), [org_code])
    by_year = _wide_by_year(values, columns)
    empty = pd.DataFrame(columns=columns, index=pd.Index([], name="org_code"), dtype=float)
    frames = []
    for year in years:
        part = by_year.get(year, empty).reindex([org_code])
        part = _with_refs(part, refs, by_year, year - 1, resolution.base)
        table = domain.per_org(goals, part)
        table["year"] = year
        frames.append(table)
    return pd.concat(frames, ignore_index=True)
