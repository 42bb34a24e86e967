"""Queries: parameterised SQL → DataFrames and plain objects. No computation of goals here.

A selection of organisations is a list of org codes, or ``None`` for all. Selecting a
grassroots organisation selects the subcells (chi bộ trực thuộc) below it too: their counts
roll up into it where it did not report the number itself.

One module, past 400 lines, because it holds every read of the database, each a short
parameterised statement beside its one function (the project's one SQL style).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from src.domain.models import Goal, GoalKind, Indicator, Level, Measure, Over, Resolution
from src.store import units
from src.store.catalogue import ResolutionDoc

Con = duckdb.DuckDBPyConnection


def _cur(con: Con) -> Con:
    return con.cursor()


# integers with NULLs, as pandas gets them from ``.df()``: nullable
_INTS = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
}


def _frame(cur: Con, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """The result as ``.df()`` gives it (the same columns and dtypes; text always as pandas
    string dtype, which ``.df()`` gives for stored columns), by way of Arrow: for
    a result of a few hundred thousand rows of text (every organisation's code, name and
    group) three to four times as fast. tests/test_storage.py checks that the frames are
    equal."""
    table = cur.sql(sql, params=params).to_arrow_table()
    frame = table.to_pandas()
    for name, column in zip(table.column_names, table.columns, strict=True):
        if column.type in _INTS and column.null_count:  # as .df(): nullable where NULLs are
            frame[name] = column.to_pandas(types_mapper=_INTS.get)
    return frame


def _sel(org_codes: list[str] | None) -> list[str] | None:
    return None if org_codes is None else [str(c) for c in org_codes]


def resolutions(con: Con) -> list[Resolution]:
    rows = (
        _cur(con)
        .execute(
            "SELECT r.code, r.name_vi, r.name_en, r.short_vi, r.short_en, r.term_start,"
            " r.term_end, r.is_default, list(y.year ORDER BY y.year), r.base_year"
            " FROM resolutions r LEFT JOIN reporting_years y ON y.resolution_code = r.code"
            " GROUP BY ALL ORDER BY r.is_default DESC, r.term_start DESC, r.code"
        )
        .fetchall()
    )
    return [
        Resolution(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            int(r[5]),
            int(r[6]),
            bool(r[7]),
            tuple(int(y) for y in (r[8] or []) if y is not None),
            int(r[9]) if r[9] is not None else None,
        )
        for r in rows
    ]


def resolution(con: Con, code: str | None = None) -> Resolution:
    """The resolution with this code, or the default one."""
    found = resolutions(con)
    if not found:
        raise LookupError("no resolution in the database")
    if code is None:
        return found[0]
    for r in found:
        if r.code == code:
            return r
    raise LookupError(code)


def goals(con: Con, resolution_code: str) -> list[Goal]:
    cur = _cur(con)
    cur.execute(
        "SELECT code, kind, level, title_vi, title_en, text_vi, text_en, comparison, target,"
        " numerator, denominator, rating_indicators, parent, basis, basis_vi, basis_en, cap,"
        " counts_organisations, note_vi, note_en, unit_in_charge_vi, unit_in_charge_en,"
        " cap_denominator, measure, judged_over, target_max, percent_sum"
        " FROM goals WHERE resolution_code = ? ORDER BY sort_order",
        [resolution_code],
    )
    out = []
    for r in cur.fetchall():
        out.append(
            Goal(
                code=r[0],
                kind=GoalKind(r[1]),
                level=Level(r[2]),
                title_vi=r[3],
                title_en=r[4],
                text_vi=r[5],
                text_en=r[6],
                comparison=r[7],
                target=r[8],
                numerator=r[9],
                denominator=r[10],
                rating_indicators=tuple(r[11] or ()),
                parent=r[12],
                basis=r[13],
                basis_vi=r[14],
                basis_en=r[15],
                cap=r[16],
                counts_organisations=bool(r[17]),
                note_vi=r[18],
                note_en=r[19],
                unit_in_charge_vi=r[20],
                unit_in_charge_en=r[21],
                cap_denominator=r[22],
                measure=Measure(r[23]) if r[23] else None,
                over=Over(r[24] or "year"),
                target_max=r[25],
                percent_sum=bool(r[26]),
            )
        )
    return out


def resolution_doc(con: Con, code: str) -> ResolutionDoc | None:
    """The installed resolution as a whole (its row, own indicators and goals), or None."""
    found = [r for r in resolutions(con) if r.code == code]
    if not found:
        return None
    own = tuple(i for i in indicators(con) if i.resolution_code == code)
    return ResolutionDoc(found[0], own, tuple(goals(con, code)))


def resolution_versions(con: Con) -> dict[str, tuple[int, int | None]]:
    """code → (version, the batch that installed it; None: shipped with the program)."""
    rows = _cur(con).execute("SELECT code, version, batch_id FROM resolutions").fetchall()
    return {str(r[0]): (int(r[1] or 1), r[2]) for r in rows}


def indicators(con: Con) -> list[Indicator]:
    rows = (
        _cur(con)
        .execute(
            "SELECT code, name_vi, name_en, unit_vi, unit_en, value_type, level, part_of, aliases,"
            " sum_of, resolution_code FROM indicators ORDER BY sort_order"
        )
        .fetchall()
    )
    return [
        Indicator(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            tuple(r[8] or ()),
            tuple(r[9] or ()),
            r[10],
        )
        for r in rows
    ]


def organisations(con: Con) -> pd.DataFrame:
    """Every organisation, with the contract's column names."""
    return _frame(
        _cur(con),
        'SELECT org_code, name, kind, parent_code, grp AS "group", active_from, active_to'
        " FROM organisations ORDER BY CASE kind WHEN 'root' THEN 0 ELSE 1 END, org_code",
    )


def organisations_fingerprint(con: Con) -> str:
    """A digest of every row of the organisations table (a few milliseconds at 250,000):
    what is read from it is kept until this changes, whatever else a write changed."""
    row = (
        _cur(con)
        .execute(
            "SELECT count(*), coalesce(sum(hash(org_code, name, kind, parent_code, grp,"
            " active_from, active_to)), 0) FROM organisations"
        )
        .fetchone()
    )
    return f"{row[0]}:{row[1]}" if row else "0:0"


def units_by_name(con: Con) -> pd.DataFrame:
    """The grassroots organisations (org_code, name, group, active_from, active_to), sorted
    by name then code, as a cell picker lists them (sorted here: at 250,000 organisations
    DuckDB's sort takes half the time of pandas')."""
    return _frame(
        _cur(con),
        'SELECT org_code, name, grp AS "group", active_from, active_to FROM organisations'
        " WHERE kind IN ('grassroots_committee', 'grassroots_cell') ORDER BY name, org_code",
    )


def root_codes(con: Con) -> list[str]:
    """Every root organisation, the latest founded first. One is active in any year: when a
    term's change replaced the committee itself (merged into a new one), the old root ends
    (``active_to``) before the new one starts, and each year's committee-level numbers are
    those of the root active in it."""
    rows = (
        _cur(con)
        .execute(
            "SELECT org_code FROM organisations WHERE kind = 'root'"
            " ORDER BY coalesce(active_from, -1) DESC, org_code"
        )
        .fetchall()
    )
    return [str(r[0]) for r in rows]


def root_code(con: Con, year: int | None = None) -> str | None:
    """The root active in ``year`` (None: the latest founded)."""
    rows = (
        _cur(con)
        .execute(
            "SELECT org_code FROM organisations WHERE kind = 'root'"
            " AND (?::INTEGER IS NULL OR ((active_from IS NULL OR active_from <= ?)"
            " AND (active_to IS NULL OR active_to >= ?)))"
            " ORDER BY coalesce(active_from, -1) DESC, org_code LIMIT 1",
            [year, year, year],
        )
        .fetchall()
    )
    return str(rows[0][0]) if rows else None


def expected_units_by_year(
    con: Con, first: int, last: int, org_codes: list[str] | None
) -> dict[int, int]:
    rows = (
        _cur(con)
        .execute(
            "SELECT y.year, count(o.org_code) FROM range(?, ? + 1) AS y(year)"
            " LEFT JOIN organisations o ON o.kind IN ('grassroots_committee', 'grassroots_cell')"
            " AND (o.active_from IS NULL OR o.active_from <= y.year)"
            " AND (o.active_to IS NULL OR o.active_to >= y.year)"
            " AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], o.org_code))"
            " GROUP BY y.year",
            [first, last, _sel(org_codes), _sel(org_codes)],
        )
        .fetchall()
    )
    return {int(r[0]): int(r[1]) for r in rows}


def indicator_columns(con: Con) -> list[str]:
    """The indicator columns of the maintained ``unit_year`` table, in order: one per
    indicator of the catalogue (src/store/units.py, sync_columns)."""
    return units.columns(_cur(con))


def unit_wide(con: Con, first: int, last: int, org_codes: list[str] | None) -> pd.DataFrame:
    """The selected grassroots organisations' values, years first..last: one row per
    organisation and year, one column per indicator (subcells already rolled up, years the
    organisation was not active left out: see units._REFRESH_TEMPLATE)."""
    with units.current(con) as cur:
        return cur.execute(
            "SELECT u.* FROM unit_year u JOIN organisations o ON o.org_code = u.org_code"
            " WHERE o.kind IN ('grassroots_committee', 'grassroots_cell')"
            " AND u.year BETWEEN ? AND ?"
            " AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], u.org_code))",
            [first, last, _sel(org_codes), _sel(org_codes)],
        ).df()


def scorecard_input(
    con: Con, year: int, org_codes: list[str] | None, columns: list[str]
) -> pd.DataFrame:
    """Every selected grassroots organisation active in ``year`` with its name, group and
    the values of ``columns`` (NULL where not reported), ordered by code: the scorecard's
    one read. ``columns`` must be columns of ``unit_year`` (they are checked: identifiers
    cannot be parameters)."""
    with units.current(con) as cur:
        known = set(units.columns(cur))
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise ValueError(f"not a column of unit_year: {unknown}")
        picked = "".join(f', u."{c}"' for c in columns)  # checked names, quoted
        return _frame(
            cur,
            f'SELECT o.org_code, o.name, o.grp AS "group"{picked}'  # noqa: S608
            " FROM organisations o"
            " LEFT JOIN unit_year u ON u.org_code = o.org_code AND u.year = ?"
            " WHERE o.kind IN ('grassroots_committee', 'grassroots_cell')"
            " AND (o.active_from IS NULL OR o.active_from <= ?)"
            " AND (o.active_to IS NULL OR o.active_to >= ?)"
            " AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], o.org_code))"
            " ORDER BY o.org_code",
            [year, year, year, _sel(org_codes), _sel(org_codes)],
        )


def root_values(con: Con, first: int, last: int) -> pd.DataFrame:
    """The root's own values (year, indicator_code, value): each year those of the root
    active in it."""
    return (
        _cur(con)
        .execute(
            "SELECT ob.year, ob.indicator_code, ob.value FROM observations ob"
            " JOIN organisations o ON o.org_code = ob.org_code AND o.kind = 'root'"
            " WHERE ob.year BETWEEN ? AND ?"
            " AND (o.active_from IS NULL OR o.active_from <= ob.year)"
            " AND (o.active_to IS NULL OR o.active_to >= ob.year)",
            [first, last],
        )
        .df()
    )


def _current_kept(
    con: Con, resolution_code: str | None = None, year: int | None = None
) -> list[tuple[str, int, str]]:
    """(resolution, year, row) of the kept progress rows that are current, of one
    resolution and year or of all (None). The rule, in one place: a kept row is current
    while no write that can change its year came after it was computed
    (storage.record_change)."""
    rows = (
        _cur(con)
        .execute(
            "SELECT c.resolution_code, c.year, c.row_json FROM progress_cache c"
            " WHERE (?::VARCHAR IS NULL OR c.resolution_code = ?)"
            " AND (?::INTEGER IS NULL OR c.year = ?)"
            " AND c.version >= (SELECT coalesce(max(d.version), -1) FROM data_changes d"
            " WHERE d.from_year IS NULL OR d.from_year <= c.year)"
            " ORDER BY c.resolution_code, c.year, c.sort_order",
            [resolution_code, resolution_code, year, year],
        )
        .fetchall()
    )
    return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]


def cached_progress(con: Con, resolution_code: str, year: int) -> list[str] | None:
    """The whole committee's progress rows kept for a year, if they are current; None
    otherwise."""
    return [row for _, _, row in _current_kept(con, resolution_code, year)] or None


def stale_progress_years(con: Con) -> list[tuple[str, int]]:
    """(resolution, year) of every reporting year whose kept progress is missing or stale."""
    current = {(r, y) for r, y, _ in _current_kept(con)}
    years = (
        _cur(con)
        .execute("SELECT resolution_code, year FROM reporting_years ORDER BY resolution_code, year")
        .fetchall()
    )
    return [(str(r), int(y)) for r, y in years if (str(r), int(y)) not in current]


def assessments(con: Con, resolution_code: str, year: int) -> dict[str, tuple[str, str | None]]:
    rows = (
        _cur(con)
        .execute(
            "SELECT goal_code, status, note FROM assessments"
            " WHERE resolution_code = ? AND year = ?",
            [resolution_code, year],
        )
        .fetchall()
    )
    return {str(r[0]): (str(r[1]), r[2]) for r in rows}


def observations_long(con: Con) -> pd.DataFrame:
    """Every observation, sorted: the canonical export."""
    return (
        _cur(con)
        .execute(
            "SELECT year, org_code, indicator_code, value FROM observations"
            " ORDER BY year, org_code, indicator_code"
        )
        .df()
    )


def data_years(con: Con) -> list[int]:
    return [
        int(r[0])
        for r in _cur(con)
        .execute("SELECT DISTINCT year FROM observations ORDER BY year")
        .fetchall()
    ]


def latest_data_year(con: Con, resolution: Resolution) -> int:
    """The last reporting year of the term that has any data (else the term's first year)."""
    years = [y for y in data_years(con) if y in resolution.term_years]
    return max(years) if years else resolution.term_years[0]


def has_demo_data(con: Con) -> bool:
    row = (
        _cur(con)
        .execute("SELECT count(*) FROM batches WHERE is_demo AND status = 'applied'")
        .fetchone()
    )
    return bool(row and row[0])


def last_batch(con: Con) -> dict[str, Any] | None:
    cur = _cur(con)
    cur.execute(
        "SELECT batch_id, applied_at, file_name, is_demo FROM batches WHERE status = 'applied'"
        " ORDER BY batch_id DESC LIMIT 1"
    )
    row = cur.fetchone()
    if not row:
        return None
    return {"batch_id": row[0], "applied_at": row[1], "file_name": row[2], "is_demo": row[3]}


def batches(con: Con) -> pd.DataFrame:
    """Every applied (or undone) file, newest first."""
    return (
        _cur(con)
        .execute(
            "SELECT batch_id, applied_at, applied_by, file_name, file_kind, added, changed,"
            " unchanged, status, undone_at, undone_by, sha256, is_demo"
            " FROM batches ORDER BY batch_id DESC"
        )
        .df()
    )


def has_values_without_units(con: Con) -> bool:
    """Values stored but no ``unit_year`` rows, none pending: a database from before the
    per-organisation-year table, which a start rebuilds."""
    row = (
        _cur(con)
        .execute(
            "SELECT (SELECT count(*) FROM observations) > 0"
            " AND (SELECT count(*) FROM unit_year) = 0"
            " AND (SELECT count(*) FROM unit_year_pending) = 0"
        )
        .fetchone()
    )
    return bool(row and row[0])


def year_values(con: Con, year: int) -> pd.DataFrame:
    """Every value of one year (org_code, indicator_code, value), for the template."""
    return (
        _cur(con)
        .execute("SELECT org_code, indicator_code, value FROM observations WHERE year = ?", [year])
        .df()
    )


def provenance(
    con: Con,
    first: int,
    last: int,
    org_codes: list[str] | None,
    indicator_codes: list[str],
    include_root: bool,
) -> pd.DataFrame:
    """The files (batches) that brought the values behind a number: batch, file, when, who,
    and how many of the values it wrote are still in force."""
    return (
        _cur(con)
        .execute(
            """
        SELECT b.batch_id, b.file_name, b.applied_at, b.applied_by, count(*) AS n_values
        FROM observations ob
        JOIN organisations o ON o.org_code = ob.org_code
        JOIN batches b ON b.batch_id = ob.batch_id
        WHERE ob.year BETWEEN ? AND ?
          AND list_contains(?::VARCHAR[], ob.indicator_code)
          AND ((o.kind = 'root' AND ?)
               OR (o.kind <> 'root' AND (?::VARCHAR[] IS NULL
                   OR list_contains(?::VARCHAR[], o.org_code)
                   OR list_contains(?::VARCHAR[], o.parent_code))))
        GROUP BY ALL ORDER BY b.batch_id
        """,
            [
                first,
                last,
                indicator_codes,
                include_root,
                _sel(org_codes),
                _sel(org_codes),
                _sel(org_codes),
            ],
        )
        .df()
    )


def reporting_matrix(
    con: Con, first: int, last: int, org_codes: list[str] | None = None
) -> pd.DataFrame:
    """How many indicators each organisation reported each year (org_code, year, n), of
    ``org_codes`` (None: every organisation)."""
    return (
        _cur(con)
        .execute(
            "SELECT org_code, year, count(*) AS n FROM observations"
            " WHERE year BETWEEN ? AND ?"
            " AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], org_code)) GROUP BY ALL",
            [first, last, _sel(org_codes), _sel(org_codes)],
        )
        .df()
    )


def reported_indicators(con: Con, year: int, org_codes: list[str] | None = None) -> pd.DataFrame:
    """Which indicators each organisation of ``org_codes`` (None: all) reported in a year
    (org_code, indicator_code)."""
    return (
        _cur(con)
        .execute(
            "SELECT org_code, indicator_code FROM observations WHERE year = ?"
            " AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], org_code))",
            [year, _sel(org_codes), _sel(org_codes)],
        )
        .df()
    )
