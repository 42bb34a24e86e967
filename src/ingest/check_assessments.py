"""A file of the committee's assessments of qualitative goals checked."""

from __future__ import annotations

import duckdb

from src.domain.models import GoalKind
from src.ingest import values as v
from src.ingest.cells import cell_at, checked_year, upload_years
from src.ingest.checks import Checker, Plan
from src.ingest.read import Table
from src.store import queries


def check_assessment_rows(
    con: duckdb.DuckDBPyConnection, plan: Plan, table: Table, std: dict[str, int], check: Checker
) -> None:
    h = table.header
    assert plan.resolution_code is not None
    goals = {g.code: g for g in queries.goals(con, plan.resolution_code)}
    qualitative = [c for c, g in goals.items() if g.kind == GoalKind.QUALITATIVE]
    first_row: dict[tuple[int, str], int] = {}
    years = upload_years(con)
    out = []
    for row, n in zip(table.rows, table.row_numbers, strict=True):
        year = checked_year(cell_at(row, std["year"]), n, h[std["year"]], check, years)
        code = v.show(cell_at(row, std["goal_code"])).strip()
        col = h[std["goal_code"]]
        goal_ok = False
        if not code:
            check.add("e_required", n, col)
        elif code not in goals:
            check.add("e_unknown_goal", n, col, value=code)
        elif code not in qualitative:
            check.add("e_not_qualitative", n, col, value=code, codes=", ".join(qualitative))
        else:
            goal_ok = True
        status_cell = cell_at(row, std["status"])
        status = v.parse_assessment(status_cell)
        if status is None:
            check.add("e_assessment_status", n, h[std["status"]], value=v.show(status_cell))
        note = v.show(cell_at(row, std.get("note"))) or None
        if year is not None and goal_ok and status is not None:
            key = (year, code)
            if key in first_row:
                check.add("e_duplicate_key", n, col, other=first_row[key], key=f"{year}, {code}")
                continue
            first_row[key] = n
            out.append({"year": year, "goal_code": code, "status": status, "note": note, "row": n})
    plan.assessments = out
