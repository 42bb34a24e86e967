"""Parse, validate and diff an uploaded file into a :class:`Plan`. Nothing is written here."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from src.domain.models import ORG_KINDS, GoalKind, Indicator
from src.domain.rules import OWN_WORDING, TOLERANCE, Rule, rules_of
from src.i18n import fmt_num
from src.ingest import values as v
from src.ingest.errors import IngestError, Problem
from src.ingest.read import Cell, Table, column_letter, is_excel_name, read_table
from src.store import queries, storage

MAX_PROBLEMS = 500  # every error is reported, up to this many (then "… and N more")
CHANGES_KEPT = 1000  # changes a plan lists for the preview, in file order (all are counted)

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "year": ("year", "nam", "nam_bao_cao"),
    "org_code": ("org_code", "ma_to_chuc", "ma_tc"),
    "indicator_code": ("indicator_code", "ma_chi_so"),
    "value": ("value", "gia_tri", "so_lieu"),
    "name": ("name", "ten_to_chuc", "ten"),
    "kind": ("kind", "loai", "loai_to_chuc"),
    "parent_code": ("parent_code", "ma_cap_tren"),
    "group": ("group", "khoi"),
    "active_from": ("active_from", "tu_nam"),
    "active_to": ("active_to", "den_nam"),
    "goal_code": ("goal_code", "ma_chi_tieu"),
    "status": ("status", "ket_qua", "danh_gia", "trang_thai"),
    "note": ("note", "ghi_chu", "nhan_xet"),
    "resolution_code": ("resolution_code", "ma_nghi_quyet"),
}
_ALIAS = {alias: canon for canon, aliases in COLUMN_ALIASES.items() for alias in aliases}

KIND_COLUMNS = {
    "long": ("year", "org_code", "indicator_code", "value"),
    "assessments": ("year", "goal_code", "status"),
    "organisations": ("org_code", "name", "kind"),
    "wide": ("year", "org_code"),
}
WIDE_IGNORED = {"name", "note", "group", "kind"}  # columns a wide file may carry, unread
OBS_COLUMNS = ["year", "org_code", "indicator_code", "value", "row", "column"]
ORG_FIELDS = ("name", "kind", "parent_code", "group", "active_from", "active_to")


@dataclass
class Plan:
    file_name: str
    sha256: str
    kind: str | None = None
    problems: list[Problem] = field(default_factory=list)
    # the general path's rows; None when the bulk path holds them (``held``): see
    # observation_rows()
    observations: pd.DataFrame | None = field(
        default_factory=lambda: pd.DataFrame(columns=OBS_COLUMNS)
    )
    organisations: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    resolution_code: str | None = None
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # key, old, new of changes
    data_version: int = 0
    rows: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    is_demo: bool = False
    diffed: bool = False  # observations carry old_value, old_batch_id at data_version
    held: Any = None  # the bulk path's rows where it read them (bulk.Held), until applied

    def observation_rows(self) -> Any:
        """The observations as a table any connection can read (OBS_COLUMNS, and
        old_value, old_batch_id when diffed): a DataFrame, or Arrow from the held rows."""
        if self.observations is None:
            if self.held is None:
                raise RuntimeError("the plan was applied: its rows were let go")
            self.observations = self.held.rows()
        return self.observations

    def release(self) -> None:
        """Let go of the held rows (their cursor and its temp tables) once applied."""
        if self.held is not None:
            self.held.close()
            self.held = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


class _Checker:
    """Collects problems; stops adding (but keeps counting) past MAX_PROBLEMS."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.dropped = 0

    def add(
        self,
        key: str,
        row: int | None = None,
        column: str | None = None,
        /,
        severity: str = "error",
        **params: object,
    ) -> None:
        # key, row and column are positional-only: messages have parameters of those names
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.problems.append(Problem(key, row, column, dict(params), severity))

    def put(
        self,
        key: str,
        row: int | None,
        column: str | None,
        params: dict[str, object],
        severity: str = "error",
    ) -> None:
        """A problem with its parameters as a dict (as the column-wise checks collect them)."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.problems.append(Problem(key, row, column, dict(params), severity))

    def done(self) -> list[Problem]:
        if self.dropped:
            self.problems.append(Problem("e_too_many", params={"n": self.dropped}))
        return self.problems


def indicator_names(indicators: list[Indicator]) -> dict[str, str]:
    """Folded header name → indicator code (the code, its Vietnamese name, its aliases)."""
    out: dict[str, str] = {}
    for i in indicators:
        for name in (i.code, i.name_vi, i.name_en, *i.aliases):
            out.setdefault(v.fold(name), i.code)
    return out


def map_header(
    header: list[str], indicators: list[Indicator]
) -> tuple[dict[str, int], dict[str, int], list[tuple[int, str]]]:
    """(standard column → index, indicator code → index, unrecognised (index, header))."""
    std: dict[str, int] = {}
    ind: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    by_name = indicator_names(indicators)
    for index, raw in enumerate(header):
        folded = v.fold(raw)
        if not folded:
            continue
        if folded in _ALIAS and _ALIAS[folded] not in std:
            std[_ALIAS[folded]] = index
        elif folded in by_name and by_name[folded] not in ind:
            ind[by_name[folded]] = index
        else:
            unknown.append((index, raw))
    return std, ind, unknown


def detect_kind(std: dict[str, int], ind: dict[str, int]) -> tuple[str | None, list[str]]:
    """The kind of file and the required columns it lacks."""
    cols = set(std)
    for kind in ("long", "assessments"):
        if set(KIND_COLUMNS[kind]) <= cols:
            return kind, []
    # a year and indicator columns make a wide file even with a name and a kind beside the
    # code (columns of the template an organisations file also has; it has no year)
    if {"year", "org_code"} <= cols and ind:
        return "wide", []
    if set(KIND_COLUMNS["organisations"]) <= cols:
        return "organisations", []
    # Not complete: guess from the most telling column, to name what is missing.
    if "indicator_code" in cols or "value" in cols:
        kind = "long"
    elif "goal_code" in cols:
        kind = "assessments"
    elif cols & {"kind", "parent_code", "name", "active_from", "active_to"} and "year" not in cols:
        kind = "organisations"
    elif ind:
        kind = "wide"
    else:
        return None, []
    return kind, [c for c in KIND_COLUMNS[kind] if c not in cols]


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
    if bulk and not is_excel_name(file_name):  # named Excel: read as Excel or refused
        from src.ingest import bulk as fast  # it builds on this module's parsers

        if fast.prepare_csv(con, plan, data, indicators):
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
    check = _Checker()
    for column in missing:
        check.add("e_missing_column", 1, column, column=column)
    duplicates = _duplicate_columns(table, indicators, check)
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
        _unread_with_data(table, unread_columns(table.header, std, ind, kind), check)
    plan.rows = len(table.rows)
    width = len(table.header)
    for row, n in zip(table.rows, table.row_numbers, strict=True):
        if len(row) > width and any(not v.is_blank(c) for c in row[width:]):
            check.add("e_extra_cells", n, None, cells=len(row), columns=width)
    ref = queries.resolution(con, resolution_code) if kind == "assessments" else None
    if kind in ("long", "wide"):
        _observations(con, plan, table, std, ind, indicators, check)
    elif kind == "organisations":
        _organisations(con, plan, table, std, check)
    elif ref is not None:
        plan.resolution_code = ref.code
        _assessments(con, plan, table, std, check)
    plan.problems = lettered(check.done(), table.header)
    if plan.ok:
        diff(con, plan)
    return plan


def lettered(problems: list[Problem], header: list[str]) -> list[Problem]:
    """The problems with the spreadsheet's letter of the column each names, where the file
    has that column under that header once (a column it lacks, or names twice, has none)."""
    counts = Counter(header)
    letters = {
        name: column_letter(index + 1)
        for index, name in enumerate(header)
        if name and counts[name] == 1
    }
    return [
        replace(p, letter=letters[p.column]) if p.column in letters and not p.letter else p
        for p in problems
    ]


def unread_columns(
    header: list[str], std: dict[str, int], ind: dict[str, int], kind: str
) -> list[int]:
    """Columns of a long or wide file that are not read (their indexes), but for those that
    describe the row (a name, a note beside the code: WIDE_IGNORED): whatever they hold
    would be lost without a word. A wide file refuses the named ones; a long file reads
    only its four columns; a column without a name is read by neither."""
    read = {std[c] for c in ("year", "org_code", "indicator_code", "value") if c in std}
    if kind == "wide":
        read |= set(ind.values())
    quiet = {std[c] for c in WIDE_IGNORED if c in std}
    return [i for i in range(len(header)) if i not in read and i not in quiet]


def _unread_with_data(table: Table, unread: list[int], check: _Checker) -> None:
    """A warning (the file is still read) for each unread column holding any cell, named by
    its header, or by its letter when it has none."""
    for index in unread:
        if all(v.is_blank(_cell(row, index)) for row in table.rows):
            continue
        name = table.header[index]
        if v.fold(name):
            check.add("w_ignored_column", 1, name, severity="warning")
        else:
            check.add("w_ignored_unnamed", 1, column_letter(index + 1), severity="warning")


def repeated_columns(header: list[str], indicators: list[Indicator]) -> list[int]:
    """Columns meaning one already seen (same name, or an alias of it); their indexes."""
    by_name = indicator_names(indicators)
    seen: set[str] = set()
    repeated = []
    for index, raw in enumerate(header):
        folded = v.fold(raw)
        meaning = _ALIAS[folded] if folded in _ALIAS else by_name.get(folded, folded)
        if folded and meaning in seen:
            repeated.append(index)
        seen.add(meaning)
    return repeated


def _duplicate_columns(table: Table, indicators: list[Indicator], check: _Checker) -> set[int]:
    repeated = repeated_columns(table.header, indicators)
    for index in repeated:
        check.add("e_duplicate_column", 1, table.header[index], column=table.header[index])
    return set(repeated)


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


def _cell(row: list[Cell], index: int | None) -> Cell:
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


def _year(cell: Cell, row: int, column: str, check: _Checker, years: Collection[int]) -> int | None:
    year, issue = year_cell(cell, years)
    if issue:
        check.put(issue[0], row, column, issue[1])
    return year


def _column(table: Table, index: int) -> list[Cell]:
    return [r[index] if index < len(r) else None for r in table.rows]


def _parse_unique(cells: list[Cell], parse: Any) -> tuple[list[Any], list[Issue]]:
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


# A problem found by the column-wise checks of a long or wide file: (row, order, key,
# column, params, severity). ``order`` sorts the problems of one cell: what is wrong with
# it, then a repeated key, a broken rule, a warning.
Found = tuple[int, int, str, str, dict[str, object], str]
_YEAR, _ORG, _INDICATOR, _VALUE, _REPEAT, _RULE, _WARNING = range(7)

Key = tuple[int, str, str]  # year, org_code, indicator_code


def _observations(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    table: Table,
    std: dict[str, int],
    ind: dict[str, int],
    indicators: list[Indicator],
    check: _Checker,
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
    years, year_issues = _parse_unique(
        _column(table, std["year"]), lambda cell: year_cell(cell, accepted)
    )

    def org_cell(cell: Cell) -> tuple[str | None, Issue]:
        if v.is_blank(cell):
            return None, ("e_required", {})
        code = v.show(cell)
        return (code, None) if code in known else (None, ("e_unknown_org", {"value": code}))

    org_codes, org_issues = _parse_unique(_column(table, std["org_code"]), org_cell)
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

        codes, code_issues = _parse_unique(
            _column(table, std["indicator_code"]),
            lambda cell: indicator_cell(cell, by_code, by_name),
        )
        raw_values = _column(table, std["value"])
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
            for i, cell in enumerate(_column(table, index)):
                if not v.is_blank(cell):  # wide: an empty cell is a number not reported
                    cells.append((i, code, h[index], cell))
        cells.sort(key=lambda c: c[0])

    parsed, value_issues = _parse_unique(
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
    """The indicators' consistency rules (:func:`src.rules.rules_of`) on the values after the
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


def _opt_year(
    cell: Cell, row: int, column: str, check: _Checker, years: Collection[int]
) -> int | None:
    return None if v.is_blank(cell) else _year(cell, row, column, check, years)


def _organisations(
    con: duckdb.DuckDBPyConnection, plan: Plan, table: Table, std: dict[str, int], check: _Checker
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
        code_cell = _cell(row, std["org_code"])
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
        name = v.show(_cell(row, std["name"]))
        if not name:
            check.add("e_required", n, h[std["name"]])
            ok = False
        kind = v.show(_cell(row, std["kind"])).strip().lower()
        if kind not in ORG_KINDS:
            check.add("e_bad_kind", n, h[std["kind"]], value=kind)
            ok = False
        rec: dict[str, Any] = {"org_code": code, "name": name, "kind": kind, "row": n}
        for f in ("parent_code", "group"):
            rec[f] = v.show(_cell(row, std.get(f))) or None
        for f in ("active_from", "active_to"):
            col = std.get(f)
            cell = _cell(row, col)
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
    check: _Checker,
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
    check: _Checker,
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
    check: _Checker,
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
        before = (_plain(was["active_from"]), _plain(was["active_to"]))
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


def _assessments(
    con: duckdb.DuckDBPyConnection, plan: Plan, table: Table, std: dict[str, int], check: _Checker
) -> None:
    h = table.header
    assert plan.resolution_code is not None
    goals = {g.code: g for g in queries.goals(con, plan.resolution_code)}
    qualitative = [c for c, g in goals.items() if g.kind == GoalKind.QUALITATIVE]
    first_row: dict[tuple[int, str], int] = {}
    years = upload_years(con)
    out = []
    for row, n in zip(table.rows, table.row_numbers, strict=True):
        year = _year(_cell(row, std["year"]), n, h[std["year"]], check, years)
        code = v.show(_cell(row, std["goal_code"])).strip()
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
        status_cell = _cell(row, std["status"])
        status = v.parse_assessment(status_cell)
        if status is None:
            check.add("e_assessment_status", n, h[std["status"]], value=v.show(status_cell))
        note = v.show(_cell(row, std.get("note"))) or None
        if year is not None and goal_ok and status is not None:
            key = (year, code)
            if key in first_row:
                check.add("e_duplicate_key", n, col, other=first_row[key], key=f"{year}, {code}")
                continue
            first_row[key] = n
            out.append({"year": year, "goal_code": code, "status": status, "note": note, "row": n})
    plan.assessments = out


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
            diffs = {f: (_plain(old[f]), rec[f]) for f in ORG_FIELDS if _plain(old[f]) != rec[f]}
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


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):
        return value.item()
    return value
