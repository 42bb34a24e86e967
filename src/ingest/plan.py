"""Parse, validate and diff an uploaded file into a :class:`Plan`. Nothing is written here."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pandas as pd

from src.ingest import bulk as fast
from src.ingest import values as v
from src.ingest.check_assessments import check_assessment_rows
from src.ingest.check_organisations import check_organisation_rows
from src.ingest.check_values import check_observations
from src.ingest.checks import CHANGES_KEPT, ORG_FIELDS, Checker, Plan, lettered, plain_value
from src.ingest.errors import IngestError, Problem
from src.ingest.header import (
    WIDE_IGNORED,
    detect_kind,
    duplicate_columns,
    map_header,
    unread_columns,
    unread_with_data,
)
from src.ingest.read import is_excel_name, read_table
from src.store import queries, storage


def prepare(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    resolution_code: str | None = None,
    is_demo: bool = False,
    bulk: bool = True,
) -> Plan:
    """Read, validate and diff a file against the database. Writes nothing.

    A clean long or wide CSV file is read by DuckDB (:mod:`src.ingest.bulk`); any other
    file, or one with a problem, by the general path below (``bulk=False`` forces it)."""
    plan = Plan(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), is_demo=is_demo)
    plan.data_version = storage.data_version(con)
    indicators = queries.indicators(con)
    # a named Excel file is read as Excel or refused; a clean CSV file by DuckDB
    if bulk and not is_excel_name(file_name) and fast.prepare_csv(con, plan, data, indicators):
        return plan
    try:
        table = read_table(data, file_name)
    except IngestError as exc:
        plan.problems = exc.problems
        return plan
    plan.encoding, plan.delimiter = table.encoding, table.delimiter
    std, ind, unknown = map_header(table.header, indicators)
    kind, missing = detect_kind(std, ind)
    if kind is None:
        plan.problems = [Problem("e_unknown_kind", 1, params={"header": ", ".join(table.header)})]
        return plan
    plan.kind = kind
    check = Checker()
    for column in missing:
        check.add("e_missing_column", 1, column, column=column)
    duplicates = duplicate_columns(table, indicators, check)
    if kind == "wide":
        for index, raw in unknown:
            if index not in duplicates:
                check.add("e_unknown_column", 1, raw, column=raw)
        for col in set(std) - {"year", "org_code"} - WIDE_IGNORED:
            check.add("e_unknown_column", 1, table.header[std[col]], column=table.header[std[col]])
    if check.problems:
        plan.problems = lettered(check.done(), table.header)
        return plan
    if not table.rows:
        plan.problems = [Problem("e_header_only", 1)]
        return plan
    if kind in ("long", "wide"):
        unread_with_data(table, unread_columns(table.header, std, ind, kind), check)
    plan.rows = len(table.rows)
    width = len(table.header)
    for row, n in zip(table.rows, table.row_numbers, strict=True):
        if len(row) > width and any(not v.is_blank(c) for c in row[width:]):
            check.add("e_extra_cells", n, None, cells=len(row), columns=width)
    ref = queries.resolution(con, resolution_code) if kind == "assessments" else None
    if kind in ("long", "wide"):
        check_observations(con, plan, table, std, ind, indicators, check)
    elif kind == "organisations":
        check_organisation_rows(con, plan, table, std, check)
    elif ref is not None:
        plan.resolution_code = ref.code
        check_assessment_rows(con, plan, table, std, check)
    plan.problems = lettered(check.done(), table.header)
    if plan.ok:
        diff(con, plan)
    return plan


def diff(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    """Count what the plan adds, changes and leaves as it was; list the changes."""
    cur = con.cursor()
    if plan.kind in ("long", "wide"):
        cur.register("incoming", plan.observation_rows())
        result = cur.execute(
            "SELECT i.year, i.org_code, i.indicator_code, o.value AS old, i.value AS new"
            " FROM incoming i LEFT JOIN observations o ON o.year = i.year"
            " AND o.org_code = i.org_code AND o.indicator_code = i.indicator_code"
            " ORDER BY i.row"
        ).df()
        cur.unregister("incoming")
        added = result["old"].isna()
        same = ~added & (result["old"] == result["new"])
        plan.added, plan.unchanged = int(added.sum()), int(same.sum())
        plan.changed = len(result) - plan.added - plan.unchanged
        plan.changes = result[~added & ~same].head(CHANGES_KEPT).reset_index(drop=True)
    elif plan.kind == "organisations":
        existing = queries.organisations(con).set_index("org_code")
        changes = []
        plan.added = plan.changed = plan.unchanged = 0
        for rec in plan.organisations:
            if rec["org_code"] not in existing.index:
                plan.added += 1
                continue
            old = existing.loc[rec["org_code"]]
            diffs = {
                f: (plain_value(old[f]), rec[f])
                for f in ORG_FIELDS
                if plain_value(old[f]) != rec[f]
            }
            if diffs:
                plan.changed += 1
                changes.append(
                    {
                        "org_code": rec["org_code"],
                        "old": json.dumps({f: d[0] for f, d in diffs.items()}, ensure_ascii=False),
                        "new": json.dumps({f: d[1] for f, d in diffs.items()}, ensure_ascii=False),
                    }
                )
            else:
                plan.unchanged += 1
        plan.changes = pd.DataFrame(changes)
    elif plan.kind == "assessments":
        rows = cur.execute(
            "SELECT year, goal_code, status, note FROM assessments WHERE resolution_code = ?",
            [plan.resolution_code],
        ).fetchall()
        old = {(int(r[0]), str(r[1])): (r[2], r[3]) for r in rows}
        changes = []
        plan.added = plan.changed = plan.unchanged = 0
        for rec in plan.assessments:
            key = (rec["year"], rec["goal_code"])
            if key not in old:
                plan.added += 1
            elif old[key] == (rec["status"], rec["note"]):
                plan.unchanged += 1
            else:
                plan.changed += 1
                changes.append(
                    {
                        "year": key[0],
                        "goal_code": key[1],
                        "old": f"{old[key][0]}: {old[key][1] or ''}",
                        "new": f"{rec['status']}: {rec['note'] or ''}",
                    }
                )
        plan.changes = pd.DataFrame(changes)
