"""The goal page's and the cells page's content as plain data, in the reader's language."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

import pandas as pd
import plotly.graph_objects as go

from src.domain import analysis, paging
from src.domain.models import Goal, GoalKind, Indicator, Measure, Over, Resolution
from src.domain.rows import ProgressRow, rows_of
from src.i18n import fmt_num, fmt_pct, t
from src.views import charts
from src.views.overview import STATUS_ICON, describe, target_words, unit_of


class TrendPanel(Enum):
    """What the goal page shows under "over the years"."""

    CUMULATIVE = "cumulative"  # a whole-term total against its even pace, and its lines
    YEARLY = "yearly"  # each year's value against the target
    ASSESSMENTS = "assessments"  # a qualitative goal: the committee's assessment per year
    NOTE = "note"  # nothing to draw: the card's note says why


class CellsPanel(Enum):
    """What the goal page shows of the organisations behind the goal."""

    RANKING = "ranking"  # the weakest and strongest as bars, then the searchable ranking
    NOT_COVERED = "not_covered"  # a goal that counts organisations: those it did not count
    ROOT_ONLY = "root_only"  # a goal of the committee alone: a caption says so
    NONE = "none"


@dataclass(frozen=True)
class Layout:
    gauge: bool  # the card draws a gauge (a rating or an assessment has no scale)
    trend: TrendPanel
    cells: CellsPanel


def layout(goal: Goal, applicable: bool) -> Layout:
    """Which panels the goal page shows for this goal: the one place that branches on kinds."""
    if goal.kind == GoalKind.TERM_CUMULATIVE and applicable:
        trend = TrendPanel.CUMULATIVE
    elif goal.kind in (GoalKind.ANNUAL_RATIO, GoalKind.ANNUAL_COUNT, GoalKind.ANNUAL_RATING) and (
        applicable
    ):
        trend = TrendPanel.YEARLY
    elif goal.kind == GoalKind.QUALITATIVE:
        trend = TrendPanel.ASSESSMENTS
    else:
        trend = TrendPanel.NOTE
    if goal.kind == GoalKind.ANNUAL_RATIO and goal.level == "org":
        cells_panel = CellsPanel.NOT_COVERED if goal.counts_organisations else CellsPanel.RANKING
    elif goal.level == "root":
        cells_panel = CellsPanel.ROOT_ONLY
    else:
        cells_panel = CellsPanel.NONE
    gauge = goal.kind not in (GoalKind.ANNUAL_RATING, GoalKind.QUALITATIVE)
    return Layout(gauge=gauge, trend=trend, cells=cells_panel)


def trend_figure(goal: Goal, trend: pd.DataFrame, resolution: Resolution, lang: str) -> go.Figure:
    """The goal's years as a chart: a whole-term total against its even pace and the
    projection at the rate so far, or each year's value against the target."""
    labels = {
        "actual": t("actual", lang),
        "target": t("target", lang),
        "pace": t("pace", lang),
        "projection": t("projection", lang),
    }
    rows = rows_of(trend)
    if goal.kind == GoalKind.TERM_CUMULATIVE:
        projection = analysis.projection_line(trend, resolution.term_years)
        points = list(zip(projection["year"], projection["value"], strict=True))
        return charts.cumulative_vs_pace(rows, goal.target or 0.0, points, lang, labels)
    suffix = "%" if goal.kind == GoalKind.ANNUAL_RATIO else ""
    return charts.trend(rows, goal.target, lang, suffix, labels)


@dataclass
class Definition:
    text: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, value)


def _kind_key(goal: Goal) -> str:
    """How the goal is computed, in words: the new shapes of docs/resolutions.md first."""
    if goal.measure == Measure.GROWTH:
        return "gkind_growth"
    if goal.over == Over.TERM_AVERAGE:
        return "gkind_term_average"
    if goal.over == Over.BY_END:
        return "gkind_by_end"
    return "gkind_" + str(goal.kind)


def definition(
    goal: Goal, indicators: list[Indicator], lang: str, term_end: int | None = None
) -> Definition:
    by_code = {i.code: i for i in indicators}
    d = Definition(text=goal.text_en if lang == "en" else goal.text_vi)
    if goal.target is not None:
        unit = unit_of(goal, by_code, lang)
        words = target_words(goal, unit, lang, term_end)
        if goal.comparison == ">=" and goal.kind != GoalKind.ANNUAL_RATING:
            words = f"≥ {words}"
        d.lines.append((t("target", lang), words))
    d.lines.append((t("def_kind", lang), t(_kind_key(goal), lang)))
    if goal.kind == GoalKind.ANNUAL_RATING:
        d.lines.append(
            (
                t("def_measured", lang),
                " · ".join(by_code[c].name(lang) for c in goal.rating_indicators if c in by_code),
            )
        )
    elif goal.numerator:
        d.lines.append((t("def_numerator", lang), describe(goal.num_expr(), by_code, lang)))
        if goal.denominator:
            d.lines.append((t("def_denominator", lang), describe(goal.den_expr(), by_code, lang)))
    basis = goal.basis_en if lang == "en" else goal.basis_vi
    if basis:
        d.lines.append((t("def_basis", lang), basis))
    d.lines.append((t("def_level", lang), t("level_" + str(goal.level), lang)))
    in_charge = goal.unit_in_charge_en if lang == "en" else goal.unit_in_charge_vi
    if in_charge:
        d.lines.append((t("def_unit", lang), in_charge))
    note = goal.note_en if lang == "en" else goal.note_vi
    if note:
        d.lines.append((t("def_note", lang), note))
    return d


def _fmt(value: object, lang: str, pct: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return fmt_pct(float(value), lang) if pct else fmt_num(float(value), lang)  # type: ignore[arg-type]


@dataclass
class Cells:
    """One goal's cells for a year: what the goal page shows about them."""

    row: ProgressRow  # the goal's progress row
    counted: list[str]  # organisations whose numbers made the value
    capped: int  # organisations above the legal cap
    ranked: pd.DataFrame  # analysis.ranking: weakest first
    per_org: pd.DataFrame  # the scorecard's rows of this goal


def cells(goal: Goal, progress: pd.DataFrame, per_org: pd.DataFrame) -> Cells:
    """The goal's cells, from its progress table and a scorecard that holds its rows (the
    whole scorecard, or only this goal's: ``progress.scorecard(..., goal_codes=...)``)."""
    own = per_org[per_org["goal_code"] == goal.code]
    row = progress[progress["goal_code"] == goal.code].iloc[0].to_dict()
    return Cells(
        row=ProgressRow.of({str(k): v for k, v in row.items()}),
        counted=sorted(own.loc[own["numerator"].notna(), "org_code"].tolist()),
        capped=int(own["cap_exceeded"].sum()),
        ranked=analysis.ranking(goal, own),
        per_org=own,
    )


EXTREMES = 20  # the weakest and the strongest shown as bars, past two screenfuls
RANK_ROWS = 40  # rows of the ranking table a page shows


def extremes(ranked: pd.DataFrame) -> pd.DataFrame:
    """The weakest and the strongest (:data:`EXTREMES` each) of a ranking, weakest first:
    all of it when it is that short. Cells without a value come after the strongest."""
    if len(ranked) <= 2 * EXTREMES:
        return ranked
    valued = ranked[ranked["actual"].notna()]
    if len(valued) <= 2 * EXTREMES:
        return pd.concat([valued, ranked[ranked["actual"].isna()].head(2 * EXTREMES)])
    return pd.concat([valued.head(EXTREMES), valued.tail(EXTREMES)])


def ranking_page(ranked: pd.DataFrame, query: str = "", page: int = 1) -> paging.Page:
    """One page of the ranking (:data:`RANK_ROWS` rows), of the cells whose code or name
    contains ``query`` (case ignored, NFC): what the browser receives stays a screenful."""
    texts = (f"{c} {n}" for c, n in zip(ranked["org_code"], ranked["name"], strict=True))
    return paging.page_of(ranked, texts, query, page, RANK_ROWS)  # texts read for a search only


def bars(
    ranked: pd.DataFrame, names: dict[str, str]
) -> tuple[list[str], list[float | None], list[str]]:
    """The ranked bar chart's inputs: names, values (None: no data), statuses."""
    return (
        [names.get(c, c) for c in ranked["org_code"]],
        [None if pd.isna(v) else float(v) for v in ranked["actual"]],
        [str(s) for s in ranked["status"]],
    )


def ranking_table(ranked: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranking (from :func:`analysis.ranking`) for display: rank, cell, value, status
    in words, gain if met, pull."""
    r = ranked
    return pd.DataFrame(
        {
            t("col_rank", lang): r["rank"],
            t("org_name", lang): r["name"],
            t("org_code", lang): r["org_code"],
            t("col_value", lang): [_fmt(v, lang, True) for v in r["actual"]],
            t("col_numbers", lang): [
                "–" if pd.isna(n) else f"{fmt_num(n, lang)} / {fmt_num(d, lang)}"
                for n, d in zip(r["numerator"], r["denominator"], strict=True)
            ],
            t("col_status", lang): [
                f"{STATUS_ICON[s]} {t('status_' + s, lang)}" for s in r["status"]
            ],
            t("col_gain", lang): [_points(v, lang) for v in r["gain_if_met"]],
            t("col_pull", lang): [_points(v, lang, signed=True) for v in r["pull"]],
        }
    )


def _points(value: float, lang: str, signed: bool = False) -> str:
    if value is None or math.isnan(value):
        return "–"
    text = fmt_num(abs(value), lang, 2)
    if signed and value != 0:
        text = ("+" if value > 0 else "−") + text
    return f"{text} {t('points', lang)}"


def term_lines(goal: Goal, row: ProgressRow, resolution: Resolution, lang: str) -> list[str]:
    """Pace, projection and what is still needed each year, in words."""
    year, cum = row.year, row.actual
    lines = []
    unit = t("members", lang) if goal.code == "T1" else t("classes", lang)
    target = goal.target or 0.0
    lines.append(
        t(
            "term_cumulative",
            lang,
            year=year,
            value=_fmt(cum, lang, False),
            target=fmt_num(target, lang),
            unit=unit,
        )
    )
    pace = row.pace_target
    if pace is not None:
        words = t(f"pace_{row.pace_status}", lang) if row.pace_status else "–"
        pace_text = fmt_num(pace, lang, 0)
        lines.append(t("pace_line", lang, year=year, pace=pace_text, pace_status=words))
    projection = row.projection
    if projection is not None and year < resolution.term_end:
        lines.append(
            t(
                "projection_line",
                lang,
                end=resolution.term_end,
                value=f"{fmt_num(projection, lang)} {unit}",
            )
        )
    needed = analysis.needed_per_year(target, cum, year, resolution.term_years)
    if needed is not None and needed > 0:
        lines.append(t("still_needed", lang, n=fmt_num(needed, lang), unit=unit))
    elif needed == 0:
        lines.append(t("already_reached", lang))
    return lines


def not_covered_head(goal: Goal, indicators: list[Indicator], year: int, lang: str) -> str:
    """The heading of the organisations a goal that counts organisations did not count: what
    they are not (inspected, rated excellent …), never "chưa đạt", which they are not."""
    what = describe(goal.num_expr(), {i.code: i for i in indicators}, lang)
    return t("not_counted_head", lang, what=what, year=year)


def not_covered_table(goal: Goal, per_org: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Those organisations, each with why: reported but not counted, or not reported."""
    rows = analysis.not_covered(goal, per_org)
    return pd.DataFrame(
        {
            t("org_code", lang): rows["org_code"],
            t("org_name", lang): rows["name"],
            t("groups", lang): rows["group"].fillna(""),
            t("col_status", lang): [
                t("reported_not_counted" if r else "not_reported", lang) for r in rows["reported"]
            ],
        }
    )


def assessment_table(trend: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A qualitative goal's yearly assessments and notes."""
    return pd.DataFrame(
        {
            t("year", lang): trend["year"],
            t("assess_status", lang): [
                t("status_no_data", lang)
                if s == "no_data"
                else f"{STATUS_ICON[str(s)]} {t('assess_' + str(s), lang)}"
                for s in trend["status"]
            ],
            t("note", lang): [n if isinstance(n, str) else "" for n in trend["assessment_note"]],
        }
    )
