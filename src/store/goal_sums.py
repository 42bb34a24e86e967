"""Goals' totals of a year (:mod:`src.domain.sums`) computed in DuckDB: one aggregate over
``unit_year`` for every goal and year asked, so that only a few numbers per goal leave the
database, whatever the number of organisations.

A spec compiles to SQL as follows, for the grassroots organisations of the selection that
have a row in the year (as ``queries.unit_wide`` reads them):

- a column key ``code`` is ``u."code"``; ``code@prev`` the same organisation's value in the
  year before (``p``), ``code@base`` in the base year (``b``), both by a left join;
- the organisations that count: those whose every key of ``complete`` ``IS NOT NULL``;
- a ``sum`` expression is the sum of its columns, a missing one adding nothing
  (``coalesce(…, 0)``); ``count(x op v)`` is ``CASE WHEN x op v THEN 1 ELSE 0 END``, with the
  domain's tolerance (``EPS``) and ``v`` passed as a parameter;
- ``worst`` is ``max(greatest(…))``.

Column names are indicator codes checked by ``units.column_name``; every number is a
parameter. ``tests/test_goal_sums.py`` checks the result against ``sums.frame_sums``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import duckdb

from src.domain import sums
from src.domain.models import Expr, split_key
from src.store import units

Con = duckdb.DuckDBPyConnection
_ALIAS = {"": "u", "prev": "p", "base": "b"}


class _Compiler:
    """The select list of one query, its parameters in the order they appear."""

    def __init__(self, columns: set[str]) -> None:
        self.columns = columns
        self.params: list[object] = []
        self.joins: set[str] = set()

    def has(self, keys: Sequence[str]) -> bool:
        return all(split_key(k).code in self.columns for k in keys)

    def col(self, key: str) -> str:
        ref = split_key(key)
        alias = _ALIAS[ref.year]
        if alias != "u":
            self.joins.add(alias)
        return f"{alias}.{units.column_name(ref.code)}"

    def expr(self, expr: Expr) -> str:
        if expr.kind == "count":
            col = self.col(expr.codes[0])
            if expr.op is None or expr.value is None:
                return f"CASE WHEN {col} IS NOT NULL THEN 1.0 ELSE 0.0 END"
            if expr.op == "=":
                self.params += [expr.value, sums.EPS]
                return f"CASE WHEN abs({col} - ?) < ? THEN 1.0 ELSE 0.0 END"
            shift = {"<=": sums.EPS, ">=": -sums.EPS, "<": -sums.EPS, ">": sums.EPS}[expr.op]
            self.params.append(expr.value + shift)
            return f"CASE WHEN {col} {expr.op} ? THEN 1.0 ELSE 0.0 END"
        return " + ".join(f"coalesce({self.col(c)}, 0)" for c in expr.codes)

    def goal(self, wanted: sums.SumSpec) -> list[str]:
        """The select items of one goal's totals (in the order of :func:`_names`). Written
        ``sum(CASE WHEN … THEN … END)``, which DuckDB runs about 1.5 times as fast as the
        same aggregate with ``FILTER (WHERE …)``."""
        if not self.has(wanted.complete):
            return ["NULL"] * len(_names(wanted))
        where = " AND ".join(f"{self.col(k)} IS NOT NULL" for k in wanted.complete) or "TRUE"
        items = [f"count(CASE WHEN {where} THEN 1 END)"]
        for _, expr in wanted.sums:
            if not self.has(expr.codes):
                items.append("NULL")
                continue
            items.append(f"sum(CASE WHEN {where} THEN {self.expr(expr)} END)")
        if wanted.worst:
            worst = ", ".join(self.col(k) for k in wanted.worst)
            items.append(f"max(CASE WHEN {where} THEN greatest({worst}) END)")
        return items


def _names(wanted: sums.SumSpec) -> list[str]:
    return [sums.COUNT, *(name for name, _ in wanted.sums), *([sums.WORST] if wanted.worst else [])]


def year_totals(
    con: Con,
    wanted: Mapping[str, tuple[sums.SumSpec, Collection[int]]],
    org_codes: list[str] | None,
    base: int,
) -> dict[int, dict[str, sums.Sums]]:
    """{year: {goal code: its totals}} over the selected grassroots organisations (None:
    all), each goal (code → (spec, years)) in the years it needs; a year with no values
    gives its goals a count of 0. Goals needing the same years share one scan."""
    out: dict[int, dict[str, sums.Sums]] = {}
    by_years: dict[tuple[int, ...], dict[str, sums.SumSpec]] = {}
    for code, (spec, years) in wanted.items():
        if years:
            by_years.setdefault(tuple(sorted(set(years))), {})[code] = spec
    if not by_years:
        return out
    with units.current(con) as cur:
        columns = set(units.columns(cur))
        for years, specs in by_years.items():
            for year, got in _scan(cur, columns, specs, years, org_codes, base).items():
                out.setdefault(year, {}).update(got)
    return out


# One scan of the years asked: /*totals*/ and /*joins*/ are made of checked column names
# only (units.column_name), every value is a parameter. The organisations counted are
# exactly those queries.unit_wide reads, the grassroots ones: unit_year holds rows only of
# organisations that exist now and are not subcells (these roll up into theirs), since
# every write of organisations recomputes it whole in its transaction (units.refresh_all),
# so leaving out the roots' rows keeps the grassroots ones. Written so, the filter reads the
# root's row of organisations instead of joining all 250,000 (at L 0.05 s a scan, not 0.12);
# tests/test_goal_sums.py holds it to unit_wide after an organisation changes kind.
_SCAN = (
    "SELECT u.year, /*totals*/ FROM unit_year u/*joins*/"
    " WHERE u.org_code NOT IN (SELECT org_code FROM organisations WHERE kind = 'root')"
    " AND u.year BETWEEN ? AND ? AND list_contains(?::INTEGER[], u.year)"
    " AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], u.org_code))"
    " GROUP BY u.year"
)


def _scan(
    cur: Con,
    columns: set[str],
    specs: Mapping[str, sums.SumSpec],
    years: Sequence[int],
    org_codes: list[str] | None,
    base: int,
) -> dict[int, dict[str, sums.Sums]]:
    comp = _Compiler(columns)
    select = ", ".join(item for wanted in specs.values() for item in comp.goal(wanted))
    joins = ""
    join_params: list[object] = []
    if "p" in comp.joins:
        joins += " LEFT JOIN unit_year p ON p.org_code = u.org_code AND p.year = u.year - 1"
    if "b" in comp.joins:
        joins += " LEFT JOIN unit_year b ON b.org_code = u.org_code AND b.year = ?"
        join_params.append(base)
    selection = None if org_codes is None else list(org_codes)
    sql = _SCAN.replace("/*totals*/", select).replace("/*joins*/", joins)
    rows = cur.execute(
        sql,
        [*comp.params, *join_params, min(years), max(years), list(years), selection, selection],
    ).fetchall()
    out: dict[int, dict[str, sums.Sums]] = {y: {} for y in years}
    for row in rows:
        values = iter(row[1:])
        got = out[int(row[0])]
        for code, wanted in specs.items():
            got[code] = {name: _number(next(values)) for name in _names(wanted)}
    return out


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
