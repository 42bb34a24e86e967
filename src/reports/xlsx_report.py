"""The Excel workbook of a report: the goals table for the year or the term, the cells'
scorecard and the raw numbers behind them, and a sheet saying what it is.

Every sheet opens with what the report covers, when it was made, from which data (the last
batch applied) and, for demo data, "Dữ liệu mẫu"; headers are frozen, numbers are numbers in
Vietnamese formats (``1.234``, ``87,3%``), statuses are coloured and written in words.

Text typed by people (organisation names, notes) that starts with ``=``, ``+``, ``-`` or
``@`` is stored as text, never as a formula (OWASP formula injection): the cell is a string
cell with Excel's quote prefix set, so it shows exactly what was typed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from src.domain.models import GoalKind, Status
from src.domain.rows import number
from src.i18n import t
from src.reports.content import GoalSection, ReportContent
from src.services.templates import safe_text
from src.views.overview import STATUS_COLOUR

FIRST_ROW = 6  # rows 1-4: title, scope, provenance, demo note; row 6: the header
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
THIN = Side(style="thin", color="B8BEC6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DEMO_FONT = Font(bold=True, color="C00000")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
KIND_KEY = {
    GoalKind.ANNUAL_RATIO: "xl_kind_ratio",
    GoalKind.ANNUAL_COUNT: "xl_kind_count",
    GoalKind.ANNUAL_RATING: "xl_kind_rating",
    GoalKind.TERM_CUMULATIVE: "xl_kind_term",
    GoalKind.QUALITATIVE: "xl_kind_qualitative",
}


def _tint(hex_colour: str, share: float = 0.22) -> str:
    """The status colour of the pages, lightened for a cell's background."""
    rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c * share + 255 * (1 - share)):02X}" for c in rgb)


FILLS = {s: PatternFill("solid", fgColor=_tint(c)) for s, c in STATUS_COLOUR.items()}


class Formats:
    """Number formats; Vietnamese ones carry the vi-VN locale so that the separators are
    Vietnamese whatever the reader's machine is set to."""

    def __init__(self, lang: str) -> None:
        prefix = "" if lang == "en" else "[$-42A]"
        self.pct = prefix + "0.0%"
        self.pct0 = prefix + "0%"
        self.int = prefix + "#,##0"


def _put(ws: Worksheet, row: int, col: int, value: object, number_format: str = "") -> Cell:
    """One cell; strings are always text (a leading =, +, -, @ gets the quote prefix)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, float) and math.isnan(value):
        value = None
    cell.value = value  # type: ignore[assignment]
    if isinstance(value, str):
        cell.data_type = "s"
        if safe_text(value) != value:
            cell.quotePrefix = True
    elif number_format and value is not None:
        cell.number_format = number_format
    return cell


def _banner(ws: Worksheet, content: ReportContent, title: str) -> None:
    lang = content.lang
    _put(ws, 1, 1, title).font = Font(bold=True, size=14)
    _put(ws, 2, 1, f"{t('xl_info_scope', lang)}: {content.scope} · {content.period}")
    _put(ws, 3, 1, f"{content.made_text} {content.source_text}").font = Font(
        italic=True, color="57606A"
    )
    if content.is_demo:
        _put(ws, 4, 1, content.demo_text).font = DEMO_FONT


def _header(ws: Worksheet, labels: list[str], row: int = FIRST_ROW) -> None:
    for col, label in enumerate(labels, start=1):
        cell = _put(ws, row, col, label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = CENTRE
        cell.border = BORDER
    ws.row_dimensions[row].height = 45


def _fit(ws: Worksheet, first_row: int, fixed: Mapping[int, float] | None = None) -> None:
    """Column widths that fit what the columns hold (from the header down), within limits;
    ``fixed`` widths for the long wrapped texts."""
    fixed = dict(fixed or {})
    widths: dict[int, float] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, float | int) and not isinstance(cell.value, bool):
                length = 9.0
            else:
                text = str(cell.value)
                longest = max((len(w) for w in text.split()), default=0)
                length = min(float(len(text)), 40.0) if cell.row != first_row else longest + 2
            widths[cell.column] = max(widths.get(cell.column, 0.0), length)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = fixed.get(
            col, max(6.0, min(width + 2, 48.0))
        )
    for col, width in fixed.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _heights(ws: Worksheet, first_row: int) -> None:
    """Every data cell aligned to the top of its row; row heights for wrapped text (not
    every spreadsheet program fits them on opening)."""
    for row in ws.iter_rows(min_row=first_row + 1):
        lines = 1
        for cell in row:
            old = cell.alignment
            cell.alignment = Alignment(
                horizontal=old.horizontal, vertical="top", wrap_text=old.wrap_text
            )
            if not isinstance(cell.value, str) or not (cell.alignment and cell.alignment.wrap_text):
                continue
            width = ws.column_dimensions[get_column_letter(cell.column)].width or 10
            lines = max(lines, math.ceil(len(cell.value) * 1.1 / max(width - 1, 1)))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * lines + 2


def _print_setup(ws: Worksheet, header_row: int) -> None:
    """Printed landscape on A4, as wide as the page, the header on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def _value(s: GoalSection, value: float | None, text: str, fmt: Formats) -> tuple[object, str]:
    if s.goal.kind == GoalKind.ANNUAL_RATIO:
        return (None if value is None else value / 100.0), fmt.pct
    if s.goal.kind in (GoalKind.ANNUAL_COUNT, GoalKind.TERM_CUMULATIVE):
        return value, fmt.int
    return (None if text == "–" else text), ""


def _target(s: GoalSection, fmt: Formats) -> tuple[object, str]:
    target = s.goal.target
    if target is None:
        return None, ""
    if s.goal.kind == GoalKind.ANNUAL_RATIO:
        return target / 100.0, fmt.pct0
    if s.goal.kind in (GoalKind.ANNUAL_COUNT, GoalKind.TERM_CUMULATIVE):
        return target, fmt.int
    return s.target_text, ""


def _goals_sheet(ws: Worksheet, content: ReportContent, fmt: Formats) -> None:
    lang, year = content.lang, content.year
    _banner(ws, content, f"{content.doc_type.capitalize()} {content.subject}")
    assess = (
        t("rep_col_assess_term", lang, first=content.years[0], year=year)
        if content.term and len(content.years) > 1
        else t("rep_col_assess_year", lang, year=year)
    )
    labels = [
        t("xl_col_code", lang),
        t("rep_col_goal", lang),
        t("xl_col_kind", lang),
        t("rep_col_target", lang),
        t("xl_col_unit", lang),
        *(t("rep_col_year", lang, year=y) for y in content.years),
        assess,
        t("xl_col_numerator", lang, year=year),
        t("xl_col_denominator", lang, year=year),
        t("xl_col_reported", lang, year=year),
        t("xl_col_pace", lang, year=year),
        t("xl_col_projection", lang, end=content.resolution.term_end),
        t("xl_col_note", lang),
    ]
    _header(ws, labels)
    n = len(content.years)
    for r, s in enumerate(content.sections, start=FIRST_ROW + 1):
        _put(ws, r, 1, s.code)
        _put(ws, r, 2, s.title).alignment = WRAP
        _put(ws, r, 3, t(KIND_KEY[s.goal.kind], lang))
        target, target_fmt = _target(s, fmt)
        _put(ws, r, 4, target, target_fmt)
        _put(ws, r, 5, s.unit if s.unit != "%" else "%")
        for i, v in enumerate(s.values):
            value, value_fmt = _value(s, v.value, v.text, fmt)
            cell = _put(ws, r, 6 + i, value, value_fmt)
            cell.fill = FILLS.get(v.status, FILLS[Status.NO_DATA])
            cell.alignment = Alignment(horizontal="right" if value_fmt else "center")
        c = 6 + n
        cell = _put(ws, r, c, s.assessment)
        cell.fill = FILLS.get(s.status, FILLS[Status.NO_DATA])
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
        row = s.row
        if s.goal.kind == GoalKind.ANNUAL_RATIO:
            _put(ws, r, c + 1, row.numerator, fmt.int)
            _put(ws, r, c + 2, row.denominator, fmt.int)
        elif s.goal.kind in (GoalKind.ANNUAL_COUNT, GoalKind.TERM_CUMULATIVE):
            _put(ws, r, c + 1, row.numerator, fmt.int)
        if s.goal.kind not in (GoalKind.QUALITATIVE,) and s.goal.level == "org":
            _put(ws, r, c + 3, row.reported, fmt.int)
        if s.goal.kind == GoalKind.TERM_CUMULATIVE:
            _put(ws, r, c + 4, row.pace_target, fmt.int)
            _put(ws, r, c + 5, row.projection, fmt.int)
        _put(ws, r, c + 6, s.paragraph).alignment = WRAP
        for col in range(1, c + 7):
            ws.cell(r, col).border = BORDER
    last = FIRST_ROW + len(content.sections)
    ws.freeze_panes = ws.cell(FIRST_ROW + 1, 3)
    ws.auto_filter.ref = f"A{FIRST_ROW}:{get_column_letter(len(labels))}{last}"
    _fit(ws, FIRST_ROW, {2: 42, len(labels): 90})
    for col in range(6, 6 + n):
        ws.column_dimensions[get_column_letter(col)].width = 11
    _heights(ws, FIRST_ROW)
    _print_setup(ws, FIRST_ROW)


def _cells_sheet(ws: Worksheet, content: ReportContent, fmt: Formats) -> None:
    lang = content.lang
    _banner(ws, content, t("xl_sheet_cells", lang) + f" · {content.period}")
    sections = {
        s.code: s
        for s in content.sections
        if s.goal.kind == GoalKind.ANNUAL_RATIO and s.goal.level == "org"
    }
    cards = content.scorecard
    codes = [c for c in sections if not cards.empty and c in set(cards["goal_code"])]
    labels = [
        t("year", lang),
        t("org_code", lang),
        t("org_name", lang),
        t("org_group", lang),
        *(f"{c}. {sections[c].title}" for c in codes),
        t("xl_col_met", lang),
    ]
    _header(ws, labels)
    ws.row_dimensions[FIRST_ROW].height = 90
    if cards.empty:
        return
    keys = cards[["year", "org_code", "name", "group"]].drop_duplicates(["year", "org_code"])
    by_key = {
        (int(y), str(o), str(g)): (str(st), number(a))
        for y, o, g, st, a in cards[
            ["year", "org_code", "goal_code", "status", "actual"]
        ].itertuples(index=False, name=None)
    }
    r = FIRST_ROW
    for key in keys.itertuples(index=False):
        r += 1
        _put(ws, r, 1, int(key.year))
        _put(ws, r, 2, str(key.org_code))
        _put(ws, r, 3, key.name if isinstance(key.name, str) else None)
        _put(ws, r, 4, key.group if isinstance(key.group, str) else None)
        met = 0
        for i, code in enumerate(codes, start=5):
            found = by_key.get((int(key.year), str(key.org_code), code))
            if found is None:
                continue
            status, actual = found
            if sections[code].goal.counts_organisations:
                # counted in the goal or not: a share of one organisation says nothing more
                cell = _put(ws, r, i, None if actual is None else t("status_" + status, lang))
                cell.alignment = Alignment(horizontal="center")
            else:
                cell = _put(ws, r, i, None if actual is None else actual / 100.0, fmt.pct)
            cell.fill = FILLS.get(status, FILLS[Status.NO_DATA])
            met += status == Status.MET
        _put(ws, r, len(labels), met, fmt.int)
        for col in range(1, len(labels) + 1):
            ws.cell(r, col).border = BORDER
    ws.freeze_panes = ws.cell(FIRST_ROW + 1, 4)
    ws.auto_filter.ref = f"A{FIRST_ROW}:{get_column_letter(len(labels))}{r}"
    _fit(ws, FIRST_ROW, {3: 44, 4: 24} | {i: 14 for i in range(5, 5 + len(codes))})
    _heights(ws, FIRST_ROW)
    _print_setup(ws, FIRST_ROW)


def _raw_sheet(ws: Worksheet, content: ReportContent, fmt: Formats) -> None:
    lang = content.lang
    _banner(ws, content, t("xl_sheet_raw", lang) + f" · {content.period}")
    indicators = content.indicators
    labels = [t("year", lang), t("org_code", lang), t("org_name", lang)]
    labels += [i.name(lang) for i in indicators]
    _header(ws, labels)
    ws.row_dimensions[FIRST_ROW].height = 75
    codes_row = FIRST_ROW + 1
    for col, ind in enumerate(indicators, start=4):
        cell = _put(ws, codes_row, col, ind.code)
        cell.font = Font(italic=True, size=9, color="57606A")
        cell.alignment = Alignment(horizontal="center")
    raw: pd.DataFrame = content.raw
    r = codes_row
    for rec in raw.to_dict("records"):
        r += 1
        _put(ws, r, 1, int(rec["year"]))
        _put(ws, r, 2, str(rec["org_code"]))
        name = rec["name"]
        _put(ws, r, 3, name if isinstance(name, str) else None)
        for col, ind in enumerate(indicators, start=4):
            value = number(rec.get(ind.code))
            _put(ws, r, col, None if value is None else int(value), fmt.int)
    ws.freeze_panes = ws.cell(codes_row + 1, 4)
    ws.auto_filter.ref = f"A{codes_row}:{get_column_letter(len(labels))}{max(r, codes_row)}"
    _fit(ws, FIRST_ROW, {3: 44} | {i: 14 for i in range(4, 4 + len(indicators))})
    _print_setup(ws, FIRST_ROW)


def _info_sheet(ws: Worksheet, content: ReportContent) -> None:
    lang = content.lang
    made = content.made_at
    rows: list[tuple[str, object]] = [
        (t("xl_info_report", lang), f"{content.doc_type.capitalize()} {content.subject}"),
        (
            t("xl_info_resolution", lang),
            content.resolution.name_en if lang == "en" else content.resolution.name_vi,
        ),
        (t("xl_info_scope", lang), content.scope),
        (t("xl_info_period", lang), content.period),
        (t("xl_info_made", lang), made if isinstance(made, datetime) else str(made)),
        (t("xl_info_source", lang), content.source_text),
    ]
    if content.is_demo:
        rows.append((t("rep_demo_short", lang), content.demo_text))
    for r, (label, value) in enumerate(rows, start=1):
        _put(ws, r, 1, label).font = Font(bold=True)
        cell = _put(ws, r, 2, value)
        cell.alignment = WRAP
        if isinstance(value, datetime):
            cell.number_format = "dd/mm/yyyy hh:mm" if lang != "en" else "yyyy-mm-dd hh:mm"
    if content.is_demo:
        ws.cell(len(rows), 2).font = DEMO_FONT
    r = len(rows) + 2
    _put(ws, r, 1, t("xl_info_colours", lang)).font = Font(bold=True)
    for status in (Status.MET, Status.NEAR, Status.MISSED, Status.NO_DATA):
        cell = _put(ws, r, 2, t("status_" + str(status), lang))
        cell.fill = FILLS[str(status)]
        r += 1
    r += 1
    _put(ws, r, 1, t("xl_info_method", lang)).font = Font(bold=True)
    for note in content.notes:
        _put(ws, r, 2, note).alignment = WRAP
        r += 1
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110


def build(content: ReportContent) -> bytes:
    """The .xlsx bytes."""
    lang = content.lang
    fmt = Formats(lang)
    wb = Workbook()
    goals = wb.active
    assert goals is not None
    goals.title = t("xl_sheet_goals", lang, period=_period_short(content))
    _goals_sheet(goals, content, fmt)
    _cells_sheet(wb.create_sheet(t("xl_sheet_cells", lang)), content, fmt)
    _raw_sheet(wb.create_sheet(t("xl_sheet_raw", lang)), content, fmt)
    _info_sheet(wb.create_sheet(t("xl_sheet_info", lang)), content)
    wb.properties.title = f"{content.doc_type.capitalize()} {content.subject}"
    wb.properties.creator = content.letterhead.issuer or "Theo dõi thực hiện Nghị quyết"
    wb.properties.created = content.made_at
    wb.properties.description = f"{content.made_text} {content.source_text}"
    wb.properties.keywords = t("rep_demo_short", lang) if content.is_demo else ""
    wb.properties.language = "en-GB" if lang == "en" else "vi-VN"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _period_short(content: ReportContent) -> str:
    if content.term and len(content.years) > 1:
        return f"{content.years[0]}-{content.year}"
    return str(content.year)
