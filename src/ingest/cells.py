"""One cell of an upload read as the contract says: a year of the term, a value of the
indicator's type, an indicator code; the problem it has, if any."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import duckdb

from src.ingest import values as v
from src.ingest.checks import Checker
from src.ingest.read import Cell, Table
from src.store import queries


def indicator_cell(
    cell: Cell, by_code: Collection[str], by_name: dict[str, str]
) -> tuple[str | None, Issue]:
    """An indicator as a long file names it (its code, or its name or an alias, in any
    case and with or without diacritics), or what is wrong with it."""
    if v.is_blank(cell):
        return None, ("e_required", {})
    code = v.show(cell).strip()
    code = code if code in by_code else by_name.get(v.fold(code), "")
    return (
        (code, None) if code else (None, ("e_unknown_indicator", {"value": v.show(cell).strip()}))
    )


def cell_at(row: list[Cell], index: int | None) -> Cell:
    if index is None or index >= len(row):
        return None
    return row[index]


Issue = tuple[str, dict[str, object]] | None  # (message key, parameters) of a bad cell


def upload_years(con: duckdb.DuckDBPyConnection) -> frozenset[int]:
    """The years of the installed resolutions an upload may give values for besides the
    plausible ones (:func:`src.ingest.values.year_bounds`): each one's base year and every
    reporting year (a 2025-2030 resolution's data for 2030 is accepted in 2026)."""
    return frozenset(year for r in queries.resolutions(con) for year in (r.base, *r.term_years))


def year_cell(cell: Cell, years: Collection[int] = ()) -> tuple[int | None, Issue]:
    """A year as typed, or what is wrong with it: a plausible year or one of ``years``
    (:func:`upload_years`)."""
    if v.is_blank(cell):
        return None, ("e_required", {})
    err = v.excel_error(cell)
    if err:
        return None, ("e_excel_error", {"value": err})
    year = v.parse_year(cell)
    if year is None:
        return None, ("e_year", {"value": v.show(cell)})
    low, high = v.year_bounds()
    if low <= year <= high or year in years:
        return year, None
    spans = v.year_spans(years)
    if len(spans) == 1:
        return None, ("e_year_range", {"value": year, "low": spans[0][0], "high": spans[0][1]})
    shown = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in spans)
    return None, ("e_year_not_accepted", {"value": year, "years": shown})


def value_cell(cell: Cell, value_type: str) -> tuple[float | None, Issue]:
    """An indicator's value as typed, or what is wrong with it: a count (a whole number
    ≥ 0), a decimal (any number ≥ 0: an amount), a percent (0-100, a trailing ``%``
    allowed), a flag (0 or 1) or a rating (1-4 or its name)."""
    err = v.excel_error(cell)
    if err:
        return None, ("e_excel_error", {"value": err})
    if value_type == "rating":
        rating = v.parse_rating(cell)
        if rating is None:
            return None, ("e_rating", {"value": v.show(cell)})
        return float(rating), None
    # exactly as written (a Decimal): a number a float would change is refused, not stored
    number, percent, problem = v.read_number(cell)
    if number is None or problem is not None:
        return None, (problem or "e_not_number", {"value": v.show(cell)})
    if value_type == "percent":
        if not 0 <= number <= 100:
            return None, ("e_percent_range", {"value": v.show(cell)})
        return float(number), None
    if percent:
        key = "e_percent_amount" if value_type == "decimal" else "e_percent"
        return None, (key, {"value": v.show(cell)})
    if value_type == "flag":
        if number not in (0, 1):
            return None, ("e_flag", {"value": v.show(cell)})
        return float(number), None
    if number < 0:
        key = "e_negative_amount" if value_type == "decimal" else "e_negative"
        return None, (key, {"value": v.show(cell)})
    if value_type == "decimal":
        return float(number), None
    if number != number.to_integral_value():
        return None, ("e_not_whole", {"value": v.show(cell)})
    return float(number), None


def checked_year(
    cell: Cell, row: int, column: str, check: Checker, years: Collection[int]
) -> int | None:
    year, issue = year_cell(cell, years)
    if issue:
        check.put(issue[0], row, column, issue[1])
    return year


def column_cells(table: Table, index: int) -> list[Cell]:
    return [r[index] if index < len(r) else None for r in table.rows]


def parse_unique(cells: list[Cell], parse: Any) -> tuple[list[Any], list[Issue]]:
    """Apply a cell parser once per distinct cell (files repeat years, codes and numbers)."""
    cache: dict[Any, tuple[Any, Issue]] = {}
    values: list[Any] = []
    issues: list[Issue] = []
    for cell in cells:
        key = (type(cell), cell)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = parse(cell)
        values.append(hit[0])
        issues.append(hit[1])
    return values, issues
