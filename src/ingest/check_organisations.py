"""A file of organisations checked: kinds, parents and their kinds, one root per year,
the years each is active in, and values it would stop counting."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import duckdb
import pandas as pd

from src.domain.models import ORG_KINDS
from src.ingest import values as v
from src.ingest.cells import cell_at, checked_year, upload_years
from src.ingest.checks import ORG_FIELDS, Checker, Plan, plain_value
from src.ingest.read import Cell, Table
from src.store import queries


def _opt_year(
    cell: Cell, row: int, column: str, check: Checker, years: Collection[int]
) -> int | None:
    return None if v.is_blank(cell) else checked_year(cell, row, column, check, years)


def check_organisation_rows(
    con: duckdb.DuckDBPyConnection, plan: Plan, table: Table, std: dict[str, int], check: Checker
) -> None:
    """An organisations file, checked against what the database would hold after it: the
    file's rows over the organisations already there (codes told apart only by case,
    spaces or Unicode form are one code; one root, whose code stays; every parent of the
    right kind, for the rows the file leaves as they are too), and a warning where a
    narrower span of active years stops values already held from counting."""
    h = table.header
    existing = queries.organisations(con)
    merged: dict[str, dict[str, Any]] = {
        str(r["org_code"]): {f: (None if pd.isna(r[f]) else r[f]) for f in ORG_FIELDS}
        for _, r in existing.iterrows()
    }
    held_codes = set(merged)
    held_by_key = {v.code_key(code): code for code in merged}
    years = upload_years(con)
    incoming: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    by_key: dict[str, tuple[str, int]] = {}  # code_key → (code, row) of the file's codes
    for row, n in zip(table.rows, table.row_numbers, strict=True):
        code_cell = cell_at(row, std["org_code"])
        code = v.show(code_cell)
        key = v.code_key(code)
        ok = True
        if v.is_blank(code_cell):
            check.add("e_required", n, h[std["org_code"]])
            ok = False
        elif not v.CODE_RE.match(code):
            check.add("e_bad_code", n, h[std["org_code"]], value=code)
            ok = False
        elif code in first_row:
            check.add("e_duplicate_key", n, h[std["org_code"]], other=first_row[code], key=code)
            ok = False
        elif key in by_key:
            other, other_row = by_key[key]
            check.add(
                "e_code_case", n, h[std["org_code"]], value=code, other=other, other_row=other_row
            )
            ok = False
        elif code not in held_codes and key in held_by_key:
            check.add("e_code_case_db", n, h[std["org_code"]], value=code, other=held_by_key[key])
            ok = False
        name = v.show(cell_at(row, std["name"]))
        if not name:
            check.add("e_required", n, h[std["name"]])
            ok = False
        kind = v.show(cell_at(row, std["kind"])).strip().lower()
        if kind not in ORG_KINDS:
            check.add("e_bad_kind", n, h[std["kind"]], value=kind)
            ok = False
        rec: dict[str, Any] = {"org_code": code, "name": name, "kind": kind, "row": n}
        for f in ("parent_code", "group"):
            rec[f] = v.show(cell_at(row, std.get(f))) or None
        for f in ("active_from", "active_to"):
            col = std.get(f)
            cell = cell_at(row, col)
            rec[f] = _opt_year(cell, n, h[col], check, years) if col is not None else None
        if rec["active_from"] and rec["active_to"] and rec["active_from"] > rec["active_to"]:
            check.add(
                "e_active_span",
                n,
                h[std["active_to"]],
                start=rec["active_from"],
                end=rec["active_to"],
            )
            ok = False
        if ok:
            first_row[code] = n
            by_key[key] = (code, n)
            incoming.append(rec)
            merged[code] = {f: rec[f] for f in ORG_FIELDS}
    _one_root(existing, merged, incoming, table, h[std["kind"]], check)
    parent_col = h[std["parent_code"]] if "parent_code" in std else "parent_code"
    _parents(merged, incoming, parent_col, h[std["kind"]], check)
    _values_stop_counting(con, existing, incoming, h, std, check)
    plan.organisations = incoming


def _span(rec: dict[str, Any]) -> tuple[float, float]:
    start, end = rec.get("active_from"), rec.get("active_to")
    return (
        float(start) if start is not None and not pd.isna(start) else float("-inf"),
        float(end) if end is not None and not pd.isna(end) else float("inf"),
    )


def _one_root(
    existing: pd.DataFrame,
    merged: dict[str, dict[str, Any]],
    incoming: list[dict[str, Any]],
    table: Table,
    kind_col: str,
    check: Checker,
) -> None:
    """One root (the committee itself) active in any year after the file, and at least one.

    The contract says "exactly one"; a term's change may replace the committee itself (a
    merger founds a new one), so several roots may follow one another: the old one ends
    (``active_to``) before the new one starts (``active_from``). Two roots active in the same
    year would make that year's committee-level numbers ambiguous: the later row is named.
    """
    held = [str(c) for c in existing.loc[existing["kind"] == "root", "org_code"]]
    # a root held stays one: its values are the committee's own (a file that makes it a
    # cell while another root comes in is a second root, named at the new root's row)
    roots = [c for c, r in merged.items() if r["kind"] == "root" or c in held]
    rows = {rec["org_code"]: rec for rec in incoming}
    if not [c for c in roots if merged[c]["kind"] == "root"]:
        where = next((r["row"] for r in incoming if r["org_code"] in held), None)
        check.add(
            "e_root_count",
            where or (table.row_numbers[0] if table.row_numbers else 1),
            kind_col,
            n=0,
        )
        return
    ordered = sorted(roots, key=lambda c: (_span(merged[c]), c))
    for before, after in zip(ordered, ordered[1:], strict=False):
        first, second = _span(merged[before]), _span(merged[after])
        if second[0] > first[1]:
            continue  # the later one starts after the earlier one ends
        new_ones = [c for c in (before, after) if c in rows and c not in held]
        named = new_ones[0] if len(new_ones) == 1 else (after if after in rows else before)
        other = before if named == after else after
        if named not in rows:
            continue  # as held: not this file's doing
        year = max(first[0], second[0])
        check.add(
            "e_second_root",
            rows[named]["row"],
            kind_col,
            value=named,
            root=other,
            when=(
                (f"năm {int(year)}", f"in {int(year)}")
                if year != float("-inf")
                else ("mọi năm (không ghi năm bắt đầu, kết thúc)", "in every year (no years given)")
            ),
            n=len(roots),
        )


def parent_kind(kind: str) -> str | None:
    """The kind an organisation's parent must be: the root for a grassroots organisation, a
    grassroots committee for a subcell, none for the root itself."""
    if kind == "root":
        return None
    return "grassroots_committee" if kind == "subcell" else "root"


def _parents(
    merged: dict[str, dict[str, Any]],
    incoming: list[dict[str, Any]],
    parent_col: str,
    kind_col: str,
    check: Checker,
) -> None:
    """Every organisation's parent after the file, of the kind it needs: the root for a
    grassroots organisation, a grassroots committee for a subcell (so no cycle can form).
    A row of the file with a wrong parent is named; a row the file leaves as it is, whose
    parent the file changes into a kind that cannot hold it, names the parent's row."""
    rows = {rec["org_code"]: rec for rec in incoming}
    orphans: dict[str, list[str]] = {}  # parent in the file → children it can no longer hold
    for code, rec in merged.items():
        parent = rec["parent_code"]
        if rec["kind"] == "root":
            if parent and code in rows:
                check.add("e_root_parent", rows[code]["row"], parent_col)
            continue
        need = parent_kind(rec["kind"])
        if parent in merged and merged[parent]["kind"] == need:
            continue
        if code in rows:
            check.add(
                "e_bad_parent",
                rows[code]["row"],
                parent_col,
                value=parent or "",
                kind=rec["kind"],
                need=need,
            )
        elif parent in rows:
            orphans.setdefault(parent, []).append(code)
    for parent, children in orphans.items():
        rec = rows[parent]
        listed = ", ".join(sorted(children)[:10]) + (", …" if len(children) > 10 else "")
        if all(merged[c]["kind"] == "subcell" for c in children):
            check.add("e_has_subcells", rec["row"], kind_col, value=parent, children=listed)
        else:
            check.add(
                "e_has_members",
                rec["row"],
                kind_col,
                value=parent,
                children=listed,
                kind=rec["kind"],
            )


def _values_stop_counting(
    con: duckdb.DuckDBPyConnection,
    existing: pd.DataFrame,
    incoming: list[dict[str, Any]],
    h: list[str],
    std: dict[str, int],
    check: Checker,
) -> None:
    """A warning where a file narrows an organisation's active years (closes it, or opens
    it later) while values are held for the years it leaves: they stay recorded, as values
    of a year an organisation is not active are, but stop counting."""
    old = existing.set_index("org_code")
    spans = []
    for rec in incoming:
        if rec["org_code"] not in old.index:
            continue
        was = old.loc[rec["org_code"]]
        before = (plain_value(was["active_from"]), plain_value(was["active_to"]))
        if before != (rec["active_from"], rec["active_to"]):
            spans.append((rec["org_code"], *before, rec["active_from"], rec["active_to"]))
    if not spans:
        return
    frame = pd.DataFrame(
        spans, columns=["org_code", "old_from", "old_to", "new_from", "new_to"]
    ).astype({c: "Int64" for c in ("old_from", "old_to", "new_from", "new_to")})
    cur = con.cursor()
    cur.register("narrowed", frame)
    try:
        stopped = cur.execute(
            "SELECT s.org_code, o.year, count(*) FROM observations o"
            " JOIN narrowed s ON s.org_code = o.org_code"
            " WHERE (o.year < coalesce(s.new_from, o.year) OR o.year > coalesce(s.new_to, o.year))"
            " AND o.year >= coalesce(s.old_from, o.year) AND o.year <= coalesce(s.old_to, o.year)"
            " GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
    finally:
        cur.unregister("narrowed")
        cur.close()
    years: dict[str, list[tuple[int, int]]] = {}
    for code, year, n in stopped:
        years.setdefault(str(code), []).append((int(year), int(n)))
    for rec in incoming:
        found = years.get(rec["org_code"])
        if not found:
            continue
        late = rec["active_to"] is not None and found[-1][0] > rec["active_to"]
        field = "active_to" if late or "active_from" not in std else "active_from"
        start, end = rec["active_from"], rec["active_to"]
        check.add(
            "w_org_values_stop_counting",
            rec["row"],
            h[std[field]] if field in std else field,
            severity="warning",
            org=rec["org_code"],
            n=sum(n for _, n in found),
            years=", ".join(str(y) for y, _ in found),
            span=f"{start or '…'}-{end or '…'}",
        )
