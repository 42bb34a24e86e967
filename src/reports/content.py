"""The data part of a report on the resolution's targets, as plain data in the reader's
language: for one year, or for the term up to a year, and a selection of organisations.

Everything comes from the data layer the pages use
(:func:`src.engine.progress.progress_table`, :func:`src.engine.progress.scorecard`) and is
worded with :func:`src.views.overview.card`, so a number in a report is the number on the
page. Pure of docx and xlsx: :mod:`src.reports.docx_report`
and :mod:`src.reports.xlsx_report` lay it out.

One module, past 400 lines, because it is what a report says: the sentences of a year, of a
term and of the cells that missed, worded by one set of rules for the Word and Excel forms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from src.domain import goals as domain
from src.domain.models import Goal, GoalKind, Indicator, Level, Resolution, Status
from src.domain.rows import ProgressRow, rows_by_goal
from src.engine.progress import progress_table, scorecard
from src.i18n import fmt_date, fmt_num, fmt_pct, t
from src.reports.images import Picture
from src.store import queries
from src.views import charts, overview

GROUP_ANNUAL, GROUP_TERM, GROUP_QUALITATIVE = "annual", "term", "qualitative"
SHOWN_BY_NAME = 60  # characters of a goal's title on a chart's axis
LISTED = 10  # longer lists of organisations are counted, and left to the workbook
# The cells missing a goal measured by value are named with their value, every one up to
# this many (a committee's whole list); past it, the weakest this many, and the rest are
# counted and left to the workbook (a country's list would be a paragraph of 100,000 names)
NAMED_WITH_VALUES = 50


@dataclass(frozen=True)
class Letterhead:
    """The Party-document header (Hướng dẫn 36-HD/VPTW): the issuing body top left under
    the body above it, the number below; the place of the date line; who signs."""

    superior: str = ""
    issuer: str = ""
    place: str = ""
    number: str = ""
    signer: str = ""


_PROVINCIAL = re.compile(
    r"^Đảng bộ\s+(?P<body>.+?)\s+(?P<kind>tỉnh|thành phố)\s+(?P<place>\S.*)$", re.IGNORECASE
)


def default_letterhead(root_name: str | None, lang: str = "vi") -> Letterhead:
    """A letterhead read from the committee's name, to be checked by the user:
    "Đảng bộ Các cơ quan tỉnh Bắc Kạn" → "ĐẢNG BỘ TỈNH BẮC KẠN" / "ĐẢNG ỦY CÁC CƠ QUAN
    TỈNH", place "Bắc Kạn". Another name gives its committee and no superior or place."""
    name = " ".join((root_name or "").split())
    superior = place = ""
    match = _PROVINCIAL.match(name)
    if match:
        kind, where = match["kind"].lower(), match["place"]
        superior = f"Đảng bộ {kind} {where}".upper()
        issuer = f"Đảng ủy {match['body']} {kind}".upper()
        place = where
    elif name.lower().startswith("đảng bộ "):
        issuer = ("Đảng ủy " + name[len("Đảng bộ ") :]).upper()
    else:
        issuer = name.upper()
    abbr = "".join(unicodedata.normalize("NFD", w)[0] for w in issuer.split()[:2]) or "ĐU"
    return Letterhead(
        superior=superior,
        issuer=issuer,
        place=place,
        number=t("rep_number", lang, abbr=abbr),
        signer=t("rep_signer", lang),
    )


@dataclass
class YearValue:
    year: int
    value: float | None  # as the data layer has it: percent 0-100, count, rating level
    text: str  # as the page shows it
    status: str
    pace: float | None = None  # a term goal's even pace that year (None: no pace)


@dataclass
class CellResult:
    """A grassroots organisation's own result on a goal in the report's year."""

    org_code: str
    name: str
    value: float | None
    text: str  # the value as the report writes it; "" for a cell it does not name
    status: str
    years_met: int = 0
    years_reported: int = 0


@dataclass
class GoalSection:
    goal: Goal
    group: str  # annual | term | qualitative
    title: str
    target_text: str
    unit: str
    values: list[YearValue]  # one per year of the report, oldest first
    status: str  # in the report's year
    assessment: str  # the table's last column
    paragraph: str
    card: overview.GoalCard  # the page's wording of the report's year
    row: ProgressRow  # the progress row of the report's year
    missed: list[CellResult] = field(default_factory=list)  # those named, weakest first
    near: list[CellResult] = field(default_factory=list)
    unreported: int = 0
    cells_text: str = ""

    @property
    def code(self) -> str:
        return self.goal.code

    @property
    def is_sub(self) -> bool:
        return bool(self.goal.parent)

    def value_in(self, year: int) -> YearValue:
        return next(v for v in self.values if v.year == year)


@dataclass
class QualitativeRow:
    code: str
    title: str
    year: int
    status: str
    status_text: str
    note: str


@dataclass
class Chart:
    key: str
    title: str
    picture: Picture


@dataclass
class ReportContent:
    lang: str
    resolution: Resolution
    year: int
    term: bool
    years: list[int]
    org_codes: list[str] | None
    scope: str
    letterhead: Letterhead
    doc_type: str
    subject: str
    period: str
    made_at: datetime
    date_line: str
    made_text: str
    source_text: str
    last_batch: dict[str, object] | None
    is_demo: bool
    demo_text: str
    intro: str
    summary: str
    counts: dict[str, int]
    sections: list[GoalSection]
    excluded: list[Goal]
    excluded_text: str
    qualitative: list[QualitativeRow]
    notes: list[str]
    progress: dict[int, pd.DataFrame]
    scorecard: pd.DataFrame  # year, org_code, goal_code, numerator, denominator, actual, ...
    raw: pd.DataFrame  # year, org_code, name, then one column per indicator code
    indicators: list[Indicator]
    organisations: pd.DataFrame
    file_stem: str

    def group(self, name: str) -> list[GoalSection]:
        return [s for s in self.sections if s.group == name]

    @cached_property
    def charts(self) -> list[Chart]:
        """The report's charts as figures (built when first asked: the workbook has none)."""
        return _charts(self.sections, self.years, self.year, self.term, self.lang)


# ---------------------------------------------------------------------------- wording


def _group(goal: Goal) -> str:
    if goal.kind == GoalKind.TERM_CUMULATIVE:
        return GROUP_TERM
    if goal.kind == GoalKind.QUALITATIVE:
        return GROUP_QUALITATIVE
    return GROUP_ANNUAL


def _unit(goal: Goal, indicators: dict[str, Indicator], lang: str) -> str:
    expr = goal.num_expr()
    if expr is None or goal.kind == GoalKind.ANNUAL_RATIO:
        return "%" if goal.kind == GoalKind.ANNUAL_RATIO else ""
    ind = indicators.get(expr.codes[0])
    return "" if ind is None else (ind.unit_en if lang == "en" else ind.unit_vi)


def _with_unit(value: float | None, unit: str, lang: str) -> str:
    return f"{fmt_num(value, lang)} {unit}".strip()


def _rating_names(lang: str) -> list[str]:
    return t("rating_names", lang).split("|")


def _rating_full(level: float | None, lang: str) -> str:
    names = t("rep_rating_full", lang).split("|")
    if level is None or not 1 <= int(level) <= len(names):
        return "–"
    return names[int(level) - 1]


def target_text(goal: Goal, unit: str, lang: str, term_end: int | None = None) -> str:
    """The target as the table states it: "80%", "dưới 1%", "2 lớp", "Tốt trở lên", "–"
    (:func:`src.views.overview.target_words`)."""
    return overview.target_words(goal, unit, lang, term_end)


def value_text(goal: Goal, row: ProgressRow, card: overview.GoalCard, lang: str) -> str:
    """A year's value as the page shows it ("87,3%", "2", "Tốt"); "–" without data."""
    if goal.kind == GoalKind.QUALITATIVE:
        status = row.status
        return "–" if status == Status.NO_DATA else t("assess_" + status, lang)
    return card.value_text if card.actual is not None else "–"


def status_words(goal: Goal, row: ProgressRow, term_end: int, lang: str) -> str:
    """The assessment of one year: Vượt / Đạt / Gần đạt / Chưa đạt / Chưa có số liệu; for a
    qualitative goal its recorded assessment; for a term goal before the term's end, the
    pace too."""
    status = row.status
    if status == Status.NO_DATA:
        return t("status_no_data", lang)
    if goal.kind == GoalKind.QUALITATIVE:
        return t("assess_" + status, lang)
    if status == Status.MET:
        exceeded = overview.exceeds(goal, row.actual)
        return t("rep_exceeded" if exceeded else "status_met", lang)
    words = t("status_" + status, lang)
    pace = row.pace_status
    if goal.kind == GoalKind.TERM_CUMULATIVE and row.year < term_end and pace:
        words = f"{words}; {t('pace_' + pace, lang).lower()}"
    return words


def _points(value: float, lang: str) -> str:
    return fmt_num(abs(value), lang, 1)


def _compare_ratio(goal: Goal, actual: float, status: str, lang: str) -> str:
    target = goal.target or 0.0
    diff = round(actual, 1) - target
    target_s = fmt_pct(target, lang, 0)
    if status == Status.MET:
        if diff > 1e-9:
            return t("rep_cmp_exceed_pts", lang, diff=_points(diff, lang), target=target_s)
        return t("rep_cmp_equal", lang, target=target_s)
    key = "rep_cmp_near_pts" if status == Status.NEAR else "rep_cmp_missed_pts"
    return t(key, lang, diff=_points(diff, lang), target=target_s)


def _compare_count(goal: Goal, actual: float, status: str, unit: str, lang: str) -> str:
    target = goal.target or 0.0
    diff = actual - target
    target_s = _with_unit(target, unit, lang)
    if status == Status.MET:
        if diff > 1e-9:
            return t("rep_cmp_exceed_n", lang, diff=_with_unit(diff, unit, lang), target=target_s)
        return t("rep_cmp_equal", lang, target=target_s)
    key = "rep_cmp_near_n" if status == Status.NEAR else "rep_cmp_missed_n"
    return t(key, lang, diff=_with_unit(-diff, unit, lang), target=target_s)


def _previous(goal: Goal, year: int, rows: dict[int, ProgressRow], lang: str) -> str:
    """Against the year before, for ratios: "tăng 1,2 điểm % so với năm 2022 (86,1%)"."""
    before = rows.get(year - 1)
    now = rows[year].actual
    then = before.actual if before else None
    if now is None or then is None:
        return ""
    diff = round(now, 1) - round(then, 1)
    if abs(diff) < 0.05:
        return t("rep_prev_same", lang, year=year - 1)
    key = "rep_prev_up" if diff > 0 else "rep_prev_down"
    return t(key, lang, diff=_points(diff, lang), year=year - 1, value=fmt_pct(then, lang))


def _year_sentence(
    goal: Goal,
    card: overview.GoalCard,
    row: ProgressRow,
    rows: dict[int, ProgressRow],
    unit: str,
    resolution: Resolution,
    lang: str,
) -> str:
    """What one year's numbers say about a goal, in one or two sentences."""
    year, status, actual = row.year, row.status, row.actual
    if goal.kind == GoalKind.QUALITATIVE:
        if status == Status.NO_DATA:
            return t("no_assessment", lang, year=year)
        note = (row.assessment_note or "").strip()
        text = t("rep_p_qual", lang, year=year, status=t("assess_" + status, lang))
        return f"{text} {note}".strip()
    if goal.kind == GoalKind.ANNUAL_RATING:
        reported, expected = row.reported, row.expected
        if actual is not None and status == Status.NO_DATA:
            return t("rep_p_rating_partial", lang, year=year, reported=reported, expected=expected)
        if actual is None:
            return t("rep_p_no_data", lang, year=year)
        wanted = _rating_full(goal.target, lang)
        key = "rep_cmp_rating_met" if status == Status.MET else "rep_cmp_rating_missed"
        compare = t(key, lang, target=wanted)
        return t("rep_p_rating", lang, year=year, value=_rating_full(actual, lang), compare=compare)
    if actual is None:
        return t("rep_p_no_data", lang, year=year)
    if goal.kind == GoalKind.ANNUAL_RATIO:
        compare = _compare_ratio(goal, actual, status, lang)
        previous = _previous(goal, year, rows, lang)
        if previous:
            compare = f"{compare}; {previous}"
        numbers = card.numbers_text.replace(" / ", "/")
        text = t(
            "rep_p_ratio", lang, year=year, value=card.value_text, numbers=numbers, compare=compare
        )
        if card.warning:
            text = f"{text} {card.warning}"
        reported, expected = row.reported, row.expected
        if reported < expected:  # said once per goal only where some did not report
            text = f"{text} {t('rep_coverage', lang, reported=reported, expected=expected)}"
        return text
    if goal.kind == GoalKind.ANNUAL_COUNT:
        compare = _compare_count(goal, actual, status, unit, lang)
        return t(
            "rep_p_count", lang, year=year, value=_with_unit(actual, unit, lang), compare=compare
        )
    # a whole-term goal: the total so far, the pace, the projection
    first = resolution.term_years[0]
    value = _with_unit(actual, unit, lang)
    if year >= resolution.term_end:
        compare = _compare_count(goal, actual, status, unit, lang)
        return t("rep_p_term_final", lang, first=first, year=year, value=value, compare=compare)
    target = goal.target or 0.0
    share = fmt_pct(100.0 * actual / target, lang) if target else "–"
    parts = [
        t(
            "rep_p_term",
            lang,
            first=first,
            year=year,
            value=value,
            share=share,
            target=_with_unit(target, unit, lang),
        )
    ]
    pace, pace_status = row.pace_target, row.pace_status
    if pace is not None and pace_status:
        parts.append(
            t(
                "rep_p_term_pace",
                lang,
                year=year,
                pace=f"{fmt_num(pace, lang)} {unit}".strip(),
                pace_status=t("pace_" + pace_status, lang).lower(),
            )
        )
    projection = row.projection
    if projection is not None:
        shown = round(projection)
        verdict = (
            "rep_proj_exceeds"
            if shown > target
            else "rep_proj_meets"
            if shown >= target
            else "rep_proj_short"
        )
        parts.append(
            t(
                "rep_p_term_projection",
                lang,
                end=resolution.term_end,
                value=_with_unit(projection, unit, lang),
                verdict=t(verdict, lang),
            )
        )
    return " ".join(parts)


def _period_sentence(goal: Goal, section_values: list[YearValue], last: int, lang: str) -> str:
    """Over the period, for annual and qualitative goals: years met, highest and lowest."""
    known = [v for v in section_values if v.status != Status.NO_DATA]
    met = sum(1 for v in known if v.status == Status.MET)
    extremes = ""
    numeric = [v for v in known if v.value is not None]
    if goal.kind == GoalKind.ANNUAL_RATIO and len({v.text for v in numeric}) >= 2:
        high = max(numeric, key=lambda v: (v.value, v.year))
        low = min(numeric, key=lambda v: (v.value, -v.year))
        extremes = t(
            "rep_extremes",
            lang,
            high=high.text,
            high_year=high.year,
            low=low.text,
            low_year=low.year,
        )
    first = section_values[0].year
    return t(
        "rep_p_years_met", lang, first=first, year=last, k=met, n=len(known), extremes=extremes
    )


def _period_assessment(values: list[YearValue], lang: str) -> str:
    known = [v for v in values if v.status != Status.NO_DATA]
    if not known:
        return t("status_no_data", lang)
    met = sum(1 for v in known if v.status == Status.MET)
    return t("rep_met_years", lang, k=met, n=len(known))


# ---------------------------------------------------------------------------- cells


@dataclass(frozen=True)
class _CellCounts:
    missed: list[CellResult]  # the weakest, as many as the report names
    near: list[CellResult]  # likewise
    missed_total: int
    near_total: int
    unreported: int  # cells with no value and nothing reported for the goal
    reported: int  # cells with a value


def _cell_results(goal: Goal, cards: pd.DataFrame, year: int, lang: str) -> _CellCounts:
    """The cells a report names for a goal in ``year`` (those missed or near, weakest
    first, as many as it names) and how many missed, were near, reported or did not. Worked
    on whole columns: at the national size a goal has 250,000 cells, and only those named
    become Python objects."""
    values = not goal.counts_organisations  # named with their values
    history = cards[cards["goal_code"] == goal.code]
    rows = history[history["year"] == year]
    actual = rows["actual"].to_numpy(dtype=float)
    has_value = ~np.isnan(actual)
    status = rows["status"].astype(str).to_numpy(dtype=object)
    # reported, but outside the goal's denominator: neither a result nor a cell unreported
    outside = ~has_value & rows["numerator"].notna().to_numpy()
    status[outside] = "not_applicable"

    def named(wanted: str, limit: int) -> list[CellResult]:
        picked = rows[status == wanted]
        if picked.empty:
            return []
        picked = picked.sort_values("actual", kind="stable").head(limit)  # ties: code order
        codes = picked["org_code"].astype(str).tolist()
        years = history[history["org_code"].isin(codes)]
        reported = years[years["actual"].notna()].groupby("org_code").size().to_dict()
        met = years[years["status"] == Status.MET].groupby("org_code").size().to_dict()
        return [
            CellResult(
                org_code=code,
                name=name if isinstance(name, str) else code,
                value=value,
                text=fmt_pct(value, lang),
                status=wanted,
                years_met=int(met.get(code, 0)),
                years_reported=int(reported.get(code, 0)),
            )
            for code, name, value in zip(
                codes, picked["name"].tolist(), picked["actual"].astype(float).tolist(), strict=True
            )
        ]

    return _CellCounts(
        missed=named(Status.MISSED, NAMED_WITH_VALUES if values else LISTED),
        near=named(Status.NEAR, LISTED),
        missed_total=int((status == Status.MISSED).sum()),
        near_total=int((status == Status.NEAR).sum()),
        unreported=int((status == Status.NO_DATA).sum()),
        reported=int(has_value.sum()),
    )


def _names(items: list[CellResult], total: int, values: bool, term: bool, lang: str) -> str:
    """The cells named (``items``), and how many more of the ``total`` there are."""
    shown = []
    for c in items:
        notes = [c.text] if values else []
        if term:
            notes.append(t("rep_cell_met_years", lang, k=c.years_met, n=c.years_reported))
        shown.append(f"{c.name} ({'; '.join(notes)})" if notes else c.name)
    text = ", ".join(shown)
    if total > len(items):
        text = t("rep_cells_more", lang, names=text, n=total - len(items))
    return text


def _cells_sentence(goal: Goal, cells: _CellCounts, year: int, term: bool, lang: str) -> str:
    """The organisations that did not meet the goal in the year, weakest first. Goals that
    count organisations (a share of them rated, inspected…) name them without a value; long
    lists are cut (at :data:`LISTED`, or :data:`NAMED_WITH_VALUES` named with their values)
    and left whole to the workbook."""
    values = not goal.counts_organisations
    missed, near = cells.missed_total, cells.near_total
    parts = []
    if not missed and not near:
        if not cells.reported:
            return ""
        parts.append(t("rep_cells_all_met", lang, year=year, n=cells.reported))
    elif missed:
        names = _names(cells.missed, missed, values, term, lang)
        parts.append(t("rep_cells_missed", lang, year=year, n=missed, names=names))
        if near:
            names = _names(cells.near, near, values, term, lang)
            parts.append(t("rep_cells_near", lang, n=near, names=names))
    else:
        names = _names(cells.near, near, values, term, lang)
        parts.append(t("rep_cells_near_first", lang, year=year, n=near, names=names))
    if cells.unreported:
        parts.append(t("rep_cells_unreported", lang, n=cells.unreported))
    text = "; ".join(parts) + "."
    if missed > len(cells.missed) or near > len(cells.near):
        text = f"{text} {t('rep_cells_workbook', lang)}"
    return text


# ---------------------------------------------------------------------------- dates, names


def date_line(place: str, when: datetime, lang: str) -> str:
    """The date line, "Bắc Kạn, ngày 05 tháng 02 năm 2026": a day below 10 and the months
    1 and 2 take a leading zero (Hướng dẫn 36-HD/VPTW); no place leaves a dotted blank."""
    place = place.strip() or "…………"
    if lang == "en":
        month = t("rep_months_en", lang).split("|")[when.month - 1]
        return t("rep_date_line", lang, place=place, day=when.day, month=month, year=when.year)
    day = f"{when.day:02d}"
    month = f"{when.month:02d}" if when.month < 3 else str(when.month)
    return t("rep_date_line", lang, place=place, day=day, month=month, year=when.year)


def _short_title(goal: Goal, lang: str) -> str:
    title = goal.title(lang)
    title = re.sub(r"^(Trong đó|Of which):\s*", "", title)
    title = title[:1].upper() + title[1:]
    label = f"{goal.code} {title}"
    if len(label) > SHOWN_BY_NAME:
        label = label[: SHOWN_BY_NAME - 1].rstrip(" ,") + "…"
    return _wrap(label, 34)


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


# ---------------------------------------------------------------------------- the report


def file_stem(first: int, year: int, term: bool) -> str:
    """The report's file name without its extension: bao-cao-chi-tieu-2023, or for the
    term up to 2023 bao-cao-chi-tieu-2020-2023."""
    return (
        f"bao-cao-chi-tieu-{first}-{year}" if term and year > first else f"bao-cao-chi-tieu-{year}"
    )


def summary_sentence(counts: dict[str, int], year: int, lang: str) -> str:
    """The summary: "Năm 2023 có 11/18 chỉ tiêu đạt, 5 chỉ tiêu gần đạt và 2 chỉ tiêu chưa
    đạt." (the overview's counts; a count of none is left out)."""
    head = t("rep_summary", lang, year=year, met=counts["met"], total=counts["total"])
    parts = [
        t(f"rep_summary_{status}", lang, n=counts[status])
        for status in ("near", "missed", "no_data")
        if counts.get(status)
    ]
    if not parts:
        return head + "."
    if len(parts) == 1:
        return head + t("rep_and", lang) + parts[0] + "."
    return f"{head}, {', '.join(parts[:-1])}{t('rep_and', lang)}{parts[-1]}."


def _raw_numbers(
    con: duckdb.DuckDBPyConnection,
    years: list[int],
    org_codes: list[str] | None,
    orgs: pd.DataFrame,
    indicators: list[Indicator],
) -> pd.DataFrame:
    """The reported numbers behind the report: one row per organisation and year."""
    long = queries.observations_long(con)
    long = long[long["year"].isin(years)]
    if org_codes is not None:
        chosen = set(org_codes)
        below = orgs[orgs["parent_code"].isin(chosen) & (orgs["kind"] == "subcell")]
        long = long[long["org_code"].isin(chosen | set(below["org_code"]))]
    codes = [i.code for i in indicators]
    if long.empty:
        return pd.DataFrame(columns=["year", "org_code", "name", *codes])
    wide = long.pivot_table(
        index=["year", "org_code"], columns="indicator_code", values="value", aggfunc="first"
    ).reset_index()
    wide.columns.name = None
    for code in codes:
        if code not in wide.columns:
            wide[code] = float("nan")
    names = dict(zip(orgs["org_code"], orgs["name"], strict=True))
    order = {c: i for i, c in enumerate(orgs["org_code"])}  # the root first, then by code
    wide["name"] = wide["org_code"].map(names)
    wide["_order"] = wide["org_code"].map(order)
    wide = wide.sort_values(["year", "_order"]).drop(columns="_order")
    return wide[["year", "org_code", "name", *codes]].reset_index(drop=True)


def _chart(key: str, title: str, fig: go.Figure) -> Chart:
    return Chart(key, title, Picture(fig, int(fig.layout.width), int(fig.layout.height)))


def _panel(s: GoalSection, years: list[int], lang: str, **more: Any) -> charts.ReportPanel:
    """A goal's values over the report's years, as one panel of a report chart."""
    return charts.ReportPanel(
        title=_short_title(s.goal, lang),
        years=years,
        values=[v.value for v in s.values],
        statuses=[v.status for v in s.values],
        target=s.goal.target,
        **more,
    )


def _charts(
    sections: list[GoalSection],
    years: list[int],
    year: int,
    term: bool,
    lang: str,
) -> list[Chart]:
    out: list[Chart] = []
    ratios = [
        s for s in sections if s.goal.kind == GoalKind.ANNUAL_RATIO and s.card.actual is not None
    ]
    if ratios:
        fig = charts.report_goal_bars(
            [_short_title(s.goal, lang) for s in ratios],
            [float(s.card.actual or 0.0) for s in ratios],
            [float(s.goal.target or 0.0) for s in ratios],
            [s.status for s in ratios],
            lang,
        )
        out.append(_chart("ratios", t("rep_chart_ratios", lang, year=year), fig))
    if term and len(years) >= 2:
        panels = [
            _panel(s, years, lang)
            for s in sections
            if s.goal.kind == GoalKind.ANNUAL_RATIO and any(v.value is not None for v in s.values)
        ]
        if panels:
            title = t("rep_chart_trends", lang, first=years[0], year=year)
            out.append(_chart("trends", title, charts.report_trends(panels, lang)))
    terms = [
        s for s in sections if s.group == GROUP_TERM and any(v.value is not None for v in s.values)
    ]
    if terms:
        panels = [_panel(s, years, lang, pace=[v.pace for v in s.values]) for s in terms]
        fig = charts.report_term_bars(panels, [s.unit for s in terms], lang)
        out.append(_chart("term", t("rep_chart_term", lang), fig))
    return out


@dataclass
class _Read:
    """What a report reads from the data layer, before a word of it is written."""

    resolution: Resolution
    year: int
    years: list[int]
    goals: list[Goal]
    indicators: list[Indicator]
    orgs: pd.DataFrame
    units: list[str] | None  # the selected grassroots organisations; None: the committee
    selection: list[str] | None  # what progress_table is asked for
    progress: dict[int, pd.DataFrame]
    cards: pd.DataFrame  # the scorecard of the years reported on, one row per cell and goal
    rows_by_goal: dict[str, dict[int, ProgressRow]]


def _read(
    con: duckdb.DuckDBPyConnection,
    year: int | None,
    org_codes: list[str] | None,
    term: bool,
    resolution_code: str | None,
    cells: bool = True,
) -> _Read:
    resolution = queries.resolution(con, resolution_code)
    if year is None:
        year = queries.latest_data_year(con, resolution)
    if year not in resolution.term_years:
        raise ValueError(f"year {year} is outside the term {resolution.term_years}")
    years = [y for y in resolution.term_years if y <= year]
    goals = queries.goals(con, resolution.code)
    roots = queries.root_codes(con)
    units = None if org_codes is None else sorted({c for c in org_codes if c not in roots})
    selection = sorted(set(org_codes or [])) if units else None
    progress = {y: progress_table(con, y, selection, resolution.code) for y in years}
    frames = []
    for y in (years if term else [year]) if cells else []:
        frame = scorecard(con, y, units or None, resolution.code)
        frame.insert(0, "year", y)
        frames.append(frame)
    by_goal: dict[str, dict[int, ProgressRow]] = {g.code: {} for g in goals}
    for y, table in progress.items():
        for code, r in rows_by_goal(table).items():
            by_goal[code][y] = r
    return _Read(
        resolution=resolution,
        year=year,
        years=years,
        goals=goals,
        indicators=queries.indicators(con),
        orgs=queries.organisations(con),
        units=units,
        selection=selection,
        progress=progress,
        cards=pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(),
        rows_by_goal=by_goal,
    )


def _section(goal: Goal, read: _Read, term: bool, lang: str) -> GoalSection:
    """One applicable goal's part of the report: its values over the years, its sentence,
    its assessment and, for a yearly ratio of organisations, the cells that missed it."""
    resolution, year, years = read.resolution, read.year, read.years
    by_code = {i.code: i for i in read.indicators}
    rows = read.rows_by_goal[goal.code]
    row = rows[year]
    unit = _unit(goal, by_code, lang)
    values = []
    for y in years:
        c = overview.card(goal, rows[y], by_code, resolution, lang)
        values.append(
            YearValue(
                y,
                rows[y].actual,
                value_text(goal, rows[y], c, lang),
                rows[y].status,
                rows[y].pace_target,
            )
        )
    card = overview.card(goal, row, by_code, resolution, lang)
    sentence = _year_sentence(goal, card, row, rows, unit, resolution, lang)
    if read.units and goal.kind == GoalKind.TERM_CUMULATIVE and card.note:
        sentence = f"{sentence} {card.note}"  # a committee-wide target, cells' share
    group = _group(goal)
    if term and group != GROUP_TERM and len(years) > 1:
        sentence = f"{_period_sentence(goal, values, year, lang)} {sentence}"
        assessment = _period_assessment(values, lang)
    else:
        assessment = status_words(goal, row, resolution.term_end, lang)
    section = GoalSection(
        goal=goal,
        group=group,
        title=goal.title(lang),
        target_text=target_text(goal, unit, lang, resolution.term_end),
        unit=unit,
        values=values,
        status=row.status,
        assessment=assessment,
        paragraph=sentence,
        card=card,
        row=row,
    )
    if goal.kind == GoalKind.ANNUAL_RATIO and goal.level == Level.ORG and not read.cards.empty:
        cells = _cell_results(goal, read.cards, year, lang)
        section.missed, section.near = cells.missed, cells.near
        section.unreported = cells.unreported
        section.cells_text = _cells_sentence(goal, cells, year, term, lang)
    return section


def _qualitative(
    sections: list[GoalSection], read: _Read, term: bool, lang: str
) -> list[QualitativeRow]:
    """The committee's assessment of each qualitative goal, per year reported on."""
    out = []
    for s in sections:
        if s.group != GROUP_QUALITATIVE:
            continue
        for y in read.years if term else [read.year]:
            r = read.rows_by_goal[s.code][y]
            out.append(
                QualitativeRow(
                    code=s.code,
                    title=s.title,
                    year=y,
                    status=r.status,
                    status_text=value_text(s.goal, r, s.card, lang),
                    note=r.assessment_note or "",
                )
            )
    return out


@dataclass
class _Frame:
    """The words around the sections: what the report covers, its title and introduction."""

    scope: str
    period: str
    subject: str
    intro: str


def _frame(read: _Read, term: bool, lang: str) -> _Frame:
    year, first = read.year, read.years[0]
    names = dict(zip(read.orgs["org_code"], read.orgs["name"], strict=True))
    if read.units:
        listed = ", ".join(str(names.get(c, c)) for c in read.units)
        scope = t("rep_scope_some", lang, n=len(read.units), names=listed)
    else:
        scope = t("rep_scope_all", lang)
    res = read.resolution
    res_name = res.name_en if lang == "en" else res.name_vi
    if term:
        return _Frame(
            scope,
            t("rep_period_words_term", lang, first=first, year=year),
            t("rep_subject_term", lang, resolution=res_name, first=first, year=year),
            t("rep_intro_term", lang, first=first, year=year, scope=scope),
        )
    return _Frame(
        scope,
        t("rep_period_words_year", lang, year=year),
        t("rep_subject_year", lang, resolution=res_name, year=year),
        t("rep_intro_year", lang, year=year, scope=scope),
    )


def _source_text(last: dict[str, Any] | None, lang: str) -> str:
    """Where the numbers come from: the latest file applied."""
    if not last:
        return t("rep_source_none", lang)
    applied = last["applied_at"]
    when = fmt_date(applied, lang, True) if isinstance(applied, datetime) else str(applied)
    return t("rep_source", lang, when=when, batch=last["batch_id"], file=last["file_name"])


def _notes(sections: list[GoalSection], resolution: Resolution, lang: str) -> list[str]:
    """How the numbers are computed: the method, then each goal's own basis."""
    notes = [t("rep_method_ratio", lang), t("rep_method_status", lang)]
    if any(s.group == GROUP_TERM for s in sections):
        notes.append(t("rep_method_term", lang, n=len(resolution.term_years)))
    for s in sections:
        basis = s.goal.basis_en if lang == "en" else s.goal.basis_vi
        if basis:
            notes.append(f"{s.code}: {basis}.")
    return notes


def build(
    con: duckdb.DuckDBPyConnection,
    year: int | None = None,
    org_codes: list[str] | None = None,
    term: bool = False,
    lang: str = "vi",
    resolution_code: str | None = None,
    letterhead: Letterhead | None = None,
    now: datetime | None = None,
    raw: bool = False,
    cells: bool = True,
) -> ReportContent:
    """The report's content for ``year`` (default: the latest year with data) or, with
    ``term``, for every year of the term up to it; ``org_codes`` None for the whole
    committee. Raises ValueError for a year outside the term. ``raw``: read every
    organisation's reported numbers too, for the workbook's sheet of them (every value of
    the years: the Word report and the page's preview do not read them). ``cells``: each
    organisation's own results (the cells named under each goal, the workbook's sheet of
    them); the page's preview of Table 1 goes without (at the national size they are 2.5
    million results a year, most of the build)."""
    read = _read(con, year, org_codes, term, resolution_code, cells)
    year, years, resolution = read.year, read.years, read.resolution
    now = now or datetime.now()
    applicable = [g for g in read.goals if read.rows_by_goal[g.code][year].applicable]
    excluded = [g for g in read.goals if g not in applicable]
    sections = [_section(goal, read, term, lang) for goal in applicable]
    frame = _frame(read, term, lang)
    counts = domain.summary(read.progress[year])
    last = queries.last_batch(con)
    root_rows = read.orgs[read.orgs["org_code"] == queries.root_code(con, year)]  # the year's
    root_name = str(root_rows["name"].iloc[0]) if len(root_rows) else None
    head = letterhead or default_letterhead(root_name, lang)
    is_demo = queries.has_demo_data(con)
    excluded_codes = ", ".join(g.code for g in excluded)
    return ReportContent(
        lang=lang,
        resolution=resolution,
        year=year,
        term=term,
        years=years,
        org_codes=read.units or None,
        scope=frame.scope,
        letterhead=head,
        doc_type=t("rep_doc_type", lang),
        subject=frame.subject,
        period=frame.period,
        made_at=now,
        date_line=date_line(head.place, now, lang),
        made_text=t("rep_made", lang, when=fmt_date(now, lang, True)),
        source_text=_source_text(last, lang),
        last_batch=last,
        is_demo=is_demo,
        demo_text=t("rep_demo", lang) if is_demo else "",
        intro=frame.intro,
        summary=summary_sentence(counts, year, lang),
        counts=counts,
        sections=sections,
        excluded=excluded,
        excluded_text=t("rep_excluded", lang, codes=excluded_codes) if excluded else "",
        qualitative=_qualitative(sections, read, term, lang),
        notes=_notes(sections, resolution, lang),
        progress=read.progress,
        scorecard=read.cards,
        raw=(
            _raw_numbers(con, years, read.selection, read.orgs, read.indicators)
            if raw
            else pd.DataFrame()
        ),
        indicators=read.indicators,
        organisations=read.orgs,
        file_stem=file_stem(years[0], year, term),
    )


def goals_table(content: ReportContent) -> pd.DataFrame:
    """Table 1 of the report as a frame (the page's preview): one row per goal, its target,
    its value each year and the assessment, in the report's words."""
    lang, year = content.lang, content.year
    if content.term and len(content.years) > 1:
        assess = t("rep_col_assess_term", lang, first=content.years[0], year=year)
    else:
        assess = t("rep_col_assess_year", lang, year=year)
    rows = []
    for s in content.sections:
        row: dict[str, object] = {
            t("rep_col_no", lang): s.code,
            t("rep_col_goal", lang): s.title,
            t("rep_col_target", lang): s.target_text,
        }
        for v in s.values:
            row[t("rep_col_year", lang, year=v.year)] = v.text
        row[assess] = s.assessment
        rows.append(row)
    return pd.DataFrame(rows)
