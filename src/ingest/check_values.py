"""A long or wide file of values checked: every row parsed, repeated keys, organisations
not active that year, and the consistency rules (part_of, sum_of) over file and database."""

from __future__ import annotations

from collections.abc import Collection

import duckdb
import numpy as np
import pandas as pd

from src.domain.models import Indicator
from src.domain.rules import OWN_WORDING, TOLERANCE, Rule, rules_of
from src.i18n import fmt_num
from src.ingest import values as v
from src.ingest.cells import (
    Issue,
    column_cells,
    indicator_cell,
    parse_unique,
    upload_years,
    value_cell,
    year_cell,
)
from src.ingest.checks import OBS_COLUMNS, Checker, Plan
from src.ingest.header import indicator_names
from src.ingest.read import Cell, Table
from src.store import queries

# A problem found by the column-wise checks of a long or wide file: (row, order, key,
# column, params, severity). ``order`` sorts the problems of one cell: what is wrong with
# it, then a repeated key, a broken rule, a warning.
Found = tuple[int, int, str, str, dict[str, object], str]
_YEAR, _ORG, _INDICATOR, _VALUE, _REPEAT, _RULE, _WARNING = range(7)


Key = tuple[int, str, str]  # year, org_code, indicator_code


def check_observations(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    table: Table,
    std: dict[str, int],
    ind: dict[str, int],
    indicators: list[Indicator],
    check: Checker,
) -> None:
    """Numbers of a long or wide file, checked column by column (not cell by cell), so that a
    file of a million rows is read in seconds. Every problem is found in one pass: the cells
    that do not parse, and the consistency rules on every organisation and year whose
    values involved do parse (a rule needing a cell that does not is skipped there only).
    Problems are reported in row order."""
    by_code = {i.code: i for i in indicators}
    by_name = indicator_names(indicators)
    orgs = queries.organisations(con)
    known = set(orgs["org_code"])
    roots = set(queries.root_codes(con))
    root = queries.root_code(con) or ""
    h = table.header
    numbers = table.row_numbers
    found: list[Found] = []
    # values the file gives that cannot be read (or placed): the rules that need one of
    # them are not checked for its organisation and year (its value is not known)
    unreadable: set[Key] = set()

    def flag(row: int, order: int, issue: Issue, column: str) -> None:
        if issue:
            found.append((row, order, issue[0], column, issue[1], "error"))

    accepted = upload_years(con)
    years, year_issues = parse_unique(
        column_cells(table, std["year"]), lambda cell: year_cell(cell, accepted)
    )

    def org_cell(cell: Cell) -> tuple[str | None, Issue]:
        if v.is_blank(cell):
            return None, ("e_required", {})
        code = v.show(cell)
        return (code, None) if code in known else (None, ("e_unknown_org", {"value": code}))

    org_codes, org_issues = parse_unique(column_cells(table, std["org_code"]), org_cell)
    for row, issue in zip(numbers, year_issues, strict=True):
        flag(row, _YEAR, issue, h[std["year"]])
    for row, issue in zip(numbers, org_issues, strict=True):
        flag(row, _ORG, issue, h[std["org_code"]])

    def unread(i: int, code: str) -> None:
        org, year = org_codes[i], years[i]
        if org is not None and year is not None:
            unreadable.add((year, org, code))

    # (row index, indicator code, header, cell) of every value the file gives
    cells: list[tuple[int, str, str, Cell]] = []
    if plan.kind == "long":
        code_header, value_header = h[std["indicator_code"]], h[std["value"]]

        codes, code_issues = parse_unique(
            column_cells(table, std["indicator_code"]),
            lambda cell: indicator_cell(cell, by_code, by_name),
        )
        raw_values = column_cells(table, std["value"])
        for i, (code, issue, cell) in enumerate(zip(codes, code_issues, raw_values, strict=True)):
            if issue:
                flag(numbers[i], _INDICATOR, issue, code_header)
            elif v.is_blank(cell):
                flag(numbers[i], _VALUE, ("e_required", {}), value_header)
                unread(i, code)
            else:
                cells.append((i, code, value_header, cell))
    else:
        for code, index in ind.items():
            for i, cell in enumerate(column_cells(table, index)):
                if not v.is_blank(cell):  # wide: an empty cell is a number not reported
                    cells.append((i, code, h[index], cell))
        cells.sort(key=lambda c: c[0])

    parsed, value_issues = parse_unique(
        [(by_code[code].value_type, cell) for _, code, _, cell in cells],  # type: ignore[misc]
        lambda pair: value_cell(pair[1], pair[0]),
    )
    records: list[tuple[int, str, str, float, int, str]] = []
    for (i, code, column, _), value, issue in zip(cells, parsed, value_issues, strict=True):
        row = numbers[i]
        if issue:
            flag(row, _VALUE, issue, column)
            unread(i, code)
            continue
        org, year = org_codes[i], years[i]
        if org is None or year is None:
            continue
        level = by_code[code].level
        if level == "root" and org not in roots:
            misplaced = ("e_root_only", {"indicator": code, "root": root, "org": org})
            flag(row, _VALUE, misplaced, column)
            unreadable.add((year, org, code))
        elif level == "org" and org in roots:
            flag(row, _VALUE, ("e_org_only", {"indicator": code, "org": org}), column)
            unreadable.add((year, org, code))
        else:
            records.append((year, org, code, value, row, column))
    frame = pd.DataFrame.from_records(records, columns=OBS_COLUMNS)
    found += _duplicate_keys(frame, unreadable)
    found += _inactive(frame, orgs)
    found += _consistency(con, frame, by_code, unreadable)
    # in row order, and within a row as a reader meets them: column by column, left to right
    position = {name: index for index, name in reversed(list(enumerate(h)))}
    found.sort(key=lambda f: (f[0], position.get(f[3], len(h)), f[1]))
    for row, _, key, column, params, severity in found:
        check.put(key, row, column, params, severity)
    plan.observations = frame


def _duplicate_keys(frame: pd.DataFrame, unreadable: set[Key]) -> list[Found]:
    """A key given twice, named at each repeat. A key given twice with different values has
    no one value: it joins ``unreadable`` (the rules are not checked on a guess)."""
    if frame.empty:
        return []
    keys = ["year", "org_code", "indicator_code"]
    dup = frame[frame.duplicated(keys, keep=False)]
    out: list[Found] = []
    for (year, org, code), group in dup.groupby(keys, sort=False):
        first = int(group["row"].iloc[0])
        if group["value"].nunique() > 1:
            unreadable.add((int(year), str(org), str(code)))
        for r in group.iloc[1:].itertuples(index=False):
            key = f"{r.year}, {r.org_code}, {r.indicator_code}"
            params: dict[str, object] = {"other": first, "key": key}
            out.append((int(r.row), _REPEAT, "e_duplicate_key", str(r.column), params, "error"))
    return out


def _inactive(frame: pd.DataFrame, orgs: pd.DataFrame) -> list[Found]:
    """A warning (not an error) for values of a year the organisation was not active."""
    if frame.empty:
        return []
    spans = orgs[orgs["active_from"].notna() | orgs["active_to"].notna()]
    if spans.empty:
        return []
    m = frame[["year", "org_code", "row", "column"]].merge(
        spans[["org_code", "active_from", "active_to"]], on="org_code"
    )
    outside = (m["active_from"].notna() & (m["year"] < m["active_from"])) | (
        m["active_to"].notna() & (m["year"] > m["active_to"])
    )
    out: list[Found] = []
    for r in m[outside].drop_duplicates(["year", "org_code"]).itertuples(index=False):
        start = None if pd.isna(r.active_from) else int(r.active_from)
        end = None if pd.isna(r.active_to) else int(r.active_to)
        params: dict[str, object] = {
            "org": r.org_code,
            "year": int(r.year),
            "span": f"{start or '…'}-{end or '…'}",
        }
        out.append((int(r.row), _WARNING, "w_inactive_org", str(r.column), params, "warning"))
    return out


def _consistency(
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    by_code: dict[str, Indicator],
    unreadable: Collection[Key] = (),
) -> list[Found]:
    """The indicators' consistency rules (:func:`src.domain.rules.rules_of`) on the values after the
    file would be applied: the file's values over those already held for the same
    organisation and year. A rule is checked where all its values are known; one broken
    only by values already held (not by the file) is not the file's fault; one that needs a
    value the file gives but that cannot be read (``unreadable``: year, organisation,
    indicator) is not checked for that organisation and year (its value is not known: the
    one held is not what the file means). The row and column named: a part_of rule's part,
    else its whole; a sum_of rule's whole, else its first part the file gives."""
    rules = rules_of(by_code.values())
    if frame.empty or not rules:
        return []
    cur = con.cursor()
    cur.register("incoming_keys", frame[["year", "org_code"]].drop_duplicates())
    existing = cur.execute(
        "SELECT o.year, o.org_code, o.indicator_code, o.value FROM observations o"
        " JOIN incoming_keys k ON k.year = o.year AND k.org_code = o.org_code"
    ).df()
    cur.unregister("incoming_keys")
    existing["row"] = np.nan
    existing["column"] = None
    merged = pd.concat([existing, frame], ignore_index=True).drop_duplicates(
        ["year", "org_code", "indicator_code"], keep="last"
    )
    index = ["year", "org_code"]
    values = merged.pivot(index=index, columns="indicator_code", values="value")
    rows = merged.pivot(index=index, columns="indicator_code", values="row")
    cols = merged.pivot(index=index, columns="indicator_code", values="column")
    problems: list[Found] = []

    for rule in rules:
        if not all(code in values.columns for code in rule.codes):
            continue  # a value given nowhere: the rule cannot be checked anywhere
        whole = values[rule.whole]
        from_file = rows[list(rule.codes)].notna().any(axis=1)
        if rule.kind == "part_of":
            total = values[rule.parts[0]]
            bad = (total > whole) & from_file
            blamed = (*rule.parts, rule.whole)
        else:
            total = values[list(rule.parts)].sum(axis=1, min_count=len(rule.parts))
            bad = ((total - whole).abs() > TOLERANCE) & from_file
            blamed = (rule.whole, *rule.parts)
        for key in values.index[bad.fillna(False).to_numpy(dtype=bool)]:
            year, org = key
            if any((int(year), str(org), c) in unreadable for c in rule.codes):
                continue
            code = next(c for c in blamed if not pd.isna(rows.at[key, c]))
            held = rule.kind == "part_of" and code == rule.whole  # its part is not the file's
            message, params = _rule_message(rule, by_code, total.at[key], whole.at[key], held)
            problems.append(
                (int(rows.at[key, code]), _RULE, message, str(cols.at[key, code]), params, "error")
            )
    return problems


def _rule_message(
    rule: Rule, by_code: dict[str, Indicator], total: float, whole: float, held: bool = False
) -> tuple[str, dict[str, object]]:
    """The message key and parameters of a broken rule: its values as numbers, its whole and
    parts by their names in the reader's language (a (vi, en) pair). ``held``: a part_of
    rule's part is not in the file but already held (the message stands at the whole's
    cell, so it says what the other number is)."""

    def names(codes: tuple[str, ...]) -> tuple[str, str]:
        named = [by_code[c] for c in codes]
        return (
            " + ".join(_lower_first(i.name("vi")) for i in named),
            " + ".join(_lower_first(i.name("en")) for i in named),
        )

    if rule.kind == "part_of":
        part_name = names(rule.parts)
        return "e_part_exceeds", {
            "part": _shown(total),
            "whole": _shown(whole),
            "whole_name": names((rule.whole,)),
            "held": (
                (
                    f" ({part_name[0]}, đã có trong cơ sở dữ liệu)",
                    f" ({part_name[1]}, already held)",
                )
                if held
                else ("", "")
            ),
        }
    own = OWN_WORDING.get(rule.whole)
    if own:
        return own, {"total": _shown(total), "rated": _shown(whole)}
    return "e_parts_sum", {
        "total": _shown(total),
        "whole": _shown(whole),
        "whole_name": names((rule.whole,)),
        "parts": names(rule.parts),
    }


def _shown(value: float) -> str:
    """A value for a message, with the decimals it has (at most six): an amount of 10,5
    is not shown as 11."""
    decimals = next((d for d in range(7) if abs(round(value, d) - value) < 1e-9), 6)
    return fmt_num(value, decimals=decimals)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
