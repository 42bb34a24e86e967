"""The overview's content as plain data: what each goal card says, in the reader's language.

Built from the progress table (:func:`src.engine.progress.progress_table`); pages render it and
:mod:`src.views.charts` draws its gauges. No Streamlit here, so every word is testable.

One module, past 400 lines, because a card's words for every kind of goal follow one set of
sentence rules (lead, pace, share of a committee target); split by kind, they would drift.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from src.domain.models import Expr, Goal, GoalKind, Indicator, Over, Resolution, Status
from src.domain.rows import ProgressRow, rows_by_goal
from src.i18n import escape_markdown, fmt_exact, fmt_num, fmt_pct, t

STATUS_ICON = {"met": "✓", "near": "≈", "missed": "✗", "no_data": "–"}
# Okabe-Ito colours: distinguishable by colour-blind readers; the status is also in words.
# "share": the selected cells' part of a committee-wide whole-term target, judged by nobody
STATUS_COLOUR = {
    "met": "#009E73",
    "near": "#E69F00",
    "missed": "#D55E00",
    "no_data": "#9AA0A6",
    "share": "#0072B2",
}
STATUS_BADGE = {
    "met": "green",
    "near": "orange",
    "missed": "red",
    "no_data": "gray",
    "share": "blue",
}
TABLE_ROW_PX = 32
# code, result, target, assessment, change: wide enough for their longest words
SUMMARY_WIDTHS_PX = (56, 108, 124, 150, 108)
PACE_BADGE = {"on_track": "met", "behind": "near"}  # mid-term, the pace leads


RATING_LEVEL_VI = {1: "1 (xuất sắc)", 2: "2 (tốt)", 3: "3 (hoàn thành)", 4: "4 (không hoàn thành)"}
RATING_LEVEL_EN = {1: "1 (excellent)", 2: "2 (good)", 3: "3 (completed)", 4: "4 (not completed)"}


def describe(expr: Expr | None, indicators: dict[str, Indicator], lang: str) -> str:
    """A numerator or denominator in words."""
    if expr is None:
        return "–"
    names = [f"“{indicators[c].name(lang)}”" if c in indicators else c for c in expr.codes]
    if expr.kind == "sum":
        return " + ".join(names)
    levels = RATING_LEVEL_EN if lang == "en" else RATING_LEVEL_VI
    name = names[0]
    if expr.op is None:
        return t("expr_count_reported", lang, name=name)
    level = levels.get(int(expr.value or 0), fmt_num(expr.value, lang))
    key = {"<=": "expr_count_le", "=": "expr_count_eq"}.get(expr.op, "expr_count_cmp")
    return t(key, lang, name=name, level=level, op=expr.op)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ at or above ``value`` (> 0): an
    axis's end that reads as a round number."""
    if value <= 0 or math.isnan(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= value * (1 - 1e-9):
            return step * power
    return 10.0 * power


def percent_axis_top(*values: float | None) -> float:
    """A percentage gauge's end: 100, unless value and target are small ("dưới 1%" at
    0,6%, growth of 8–9%), where the arc ends at a round number half as much again above
    the largest, so that neither is a sliver at the arc's start."""
    known = [v for v in values if v is not None and not math.isnan(v)]
    room = 1.5 * max(known, default=0.0)
    return 100.0 if room >= 50 or room <= 0 else nice_ceiling(room)


def status_label(status: str, lang: str, exceeded: bool = False) -> str:
    """The status as a badge says it; met with room to spare reads "Vượt", as the reports
    say it."""
    words = t("rep_exceeded" if exceeded and status == "met" else "status_" + status, lang)
    return f"{STATUS_ICON.get(status, '')} {words}"


def exceeds(goal: Goal, actual: float | None) -> bool:
    """Met with room to spare, as the reader sees the numbers (ratios to one decimal): only
    for a target to reach or pass (``>=``, ``>``); a ceiling or a range is met, not passed."""
    if actual is None or goal.target is None or goal.comparison not in (">=", ">"):
        return False
    shown = round(actual, 1) if goal.kind == GoalKind.ANNUAL_RATIO else actual
    return shown > goal.target + 1e-9


@dataclass
class GoalCard:
    code: str
    title: str
    kind: str
    status: str
    status_text: str
    badge: str = ""  # the status whose colour the card wears (the pace's, mid-term)
    applicable: bool = True
    actual: float | None = None
    target: float | None = None
    target_max: float | None = None  # the upper bound of a range ("8–9%")
    axis_max: float = 100.0
    suffix: str = ""
    value_text: str = "–"
    target_text: str = ""
    numbers_text: str = ""
    coverage_text: str = ""
    pace: float | None = None
    pace_text: str = ""
    projection_text: str = ""
    note: str = ""
    warning: str = ""


@dataclass
class Overview:
    """The overview page's words; title, caption and summary are Markdown (text typed by
    users in them is escaped)."""

    title: str
    caption: str
    summary: str
    gauges_annual: list[GoalCard] = field(default_factory=list)
    gauges_term: list[GoalCard] = field(default_factory=list)
    cards: list[GoalCard] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    table: pd.DataFrame | None = None  # every goal on one screen (summary_table)

    @property
    def table_widths(self) -> dict[str, int]:
        """Pixels for the summary table's short columns, so that none cuts its words ("Đúng
        tiến độ", "400 đảng viên"); the goal's title takes the rest."""
        if self.table is None:
            return {}
        return dict(zip(self.table.columns, SUMMARY_WIDTHS_PX, strict=False))

    @property
    def table_height(self) -> int:
        """Pixels that show every row (up to 24, then it scrolls) at 32 px a row."""
        rows = 0 if self.table is None else min(len(self.table), 24)
        return (rows + 1) * TABLE_ROW_PX + 3


def unit_of(goal: Goal, indicators: dict[str, Indicator], lang: str) -> str:
    """The unit a goal's target is in: none for a percentage, else its numerator's."""
    if goal.kind in (GoalKind.ANNUAL_RATIO, GoalKind.ANNUAL_RATING) or goal.percent_sum:
        return ""
    return _unit(goal.num_expr(), indicators, lang)


def _unit(expr: Expr | None, indicators: dict[str, Indicator], lang: str) -> str:
    if expr is None:
        return ""
    if expr.kind == "count":
        return t("orgs", lang)
    ind = indicators.get(expr.codes[0])
    if ind is None:
        return ""
    return ind.unit_en if lang == "en" else ind.unit_vi


def _rating_name(level: float | None, lang: str) -> str:
    if level is None:
        return "–"
    names = t("rating_names", lang).split("|")
    index = int(level) - 1
    return names[index] if 0 <= index < len(names) else fmt_num(level, lang)


_CMP_PHRASE = {">": "cmp_phrase_gt", "<": "cmp_phrase_lt", "<=": "cmp_phrase_le"}


def target_words(goal: Goal, unit: str, lang: str, term_end: int | None = None) -> str:
    """The target as the resolution states it: "80%", "dưới 1%", "8–9%", "2 lớp",
    "bình quân hằng năm 2.000 đảng viên", "60% vào năm 2030", "Tốt trở lên"; "–" without
    one. Numbers as written (``2,5``), never rounded."""
    if goal.target is None:
        return "–"
    if goal.kind == GoalKind.ANNUAL_RATING:
        return t("rep_target_rating", lang, name=_rating_name(goal.target, lang))
    percent = goal.kind == GoalKind.ANNUAL_RATIO or goal.percent_sum

    def written(value: float) -> str:
        return f"{fmt_exact(value, lang)}%" if percent else fmt_exact(value, lang)

    value = written(goal.target)
    if goal.comparison == "between" and goal.target_max is not None:  # "8–9%"
        low = fmt_exact(goal.target, lang)
        value = t("cmp_phrase_between", lang, value=low, high=written(goal.target_max))
    elif goal.comparison in _CMP_PHRASE:
        value = t(_CMP_PHRASE[goal.comparison], lang, value=value)
    if not percent and unit:
        value = f"{value} {unit}"
    if goal.over == Over.TERM_AVERAGE:
        value = t("over_phrase_term_average", lang, value=value)
    elif goal.over == Over.BY_END and term_end is not None:
        value = t("over_phrase_by_end", lang, value=value, end=term_end)
    return value


def card(
    goal: Goal,
    row: ProgressRow,
    indicators: dict[str, Indicator],
    resolution: Resolution,
    lang: str,
    part: bool = False,
) -> GoalCard:
    """A goal's card for a year. ``part``: the selection is some cells, not the committee,
    so that a whole-term target of the committee is not theirs: their share is shown."""
    status = row.status
    end = resolution.term_end
    c = GoalCard(
        code=goal.code,
        title=goal.title(lang),
        kind=str(goal.kind),
        status=status,
        status_text=status_label(status, lang, exceeds(goal, row.actual)),
        badge=status,
        applicable=row.applicable,
        actual=row.actual,
        target=goal.target,
        target_max=goal.target_max if goal.comparison == "between" else None,
    )
    note = goal.note_en if lang == "en" else goal.note_vi
    c.note = note or ""
    if not c.applicable:
        c.note = t("root_only", lang)
        return c
    if goal.kind not in (GoalKind.QUALITATIVE,) and row.expected:
        c.coverage_text = t("coverage", lang, reported=row.reported, expected=row.expected)
    if goal.kind == GoalKind.ANNUAL_RATIO:
        c.suffix = "%"
        c.axis_max = percent_axis_top(c.actual, c.target, c.target_max)
        c.value_text = fmt_pct(c.actual, lang)
        c.target_text = t("target_value", lang, value=target_words(goal, "", lang, end))
        num, den = row.numerator, row.denominator
        if num is not None and den is not None:
            unit = _unit(goal.den_expr(), indicators, lang)
            c.numbers_text = f"{fmt_num(num, lang)} / {fmt_num(den, lang)} {unit}".strip()
        if goal.over == Over.BY_END:  # the way from the base year to the term's target
            c.pace = row.pace_target
            if c.pace is not None:
                words = t(f"pace_{row.pace_status}", lang) if row.pace_status else "–"
                c.pace_text = t(
                    "pace_line",
                    lang,
                    year=row.year,
                    pace=fmt_pct(c.pace, lang),
                    pace_status=words,
                )
        if row.cap_exceeded:
            cap_den = Expr.parse(goal.cap_denominator) if goal.cap_denominator else None
            c.warning = t(
                "cap_warning",
                lang,
                part=describe(goal.num_expr(), indicators, lang),
                whole=describe(cap_den or goal.den_expr(), indicators, lang),
                share=fmt_pct(row.cap_share, lang),
                cap=fmt_pct(goal.cap, lang, 0),
            )
    elif goal.kind in (GoalKind.ANNUAL_COUNT, GoalKind.TERM_CUMULATIVE):
        unit = _unit(goal.num_expr(), indicators, lang)
        target = goal.target or 0.0
        c.value_text = fmt_exact(c.actual, lang) if c.actual is not None else "–"
        c.target_text = t("target_value", lang, value=target_words(goal, unit, lang, end))
        if c.actual is not None:
            c.numbers_text = f"{fmt_exact(c.actual, lang)} / {fmt_exact(target, lang)} {unit}"
        c.axis_max = nice_ceiling(max(target * 1.25, c.actual or 0.0, c.target_max or 0.0))
        if goal.kind == GoalKind.TERM_CUMULATIVE:
            pace, projection, year = row.pace_target, row.projection, row.year
            c.pace = pace
            c.axis_max = max(c.axis_max, projection or 0.0) * 1.05
            if pace is not None:
                words = t(f"pace_{row.pace_status}", lang) if row.pace_status else "–"
                c.pace_text = t(
                    "pace_line", lang, year=year, pace=fmt_num(pace, lang, 0), pace_status=words
                )
            if projection is not None and year < resolution.term_end:
                c.projection_text = t(
                    "projection_line",
                    lang,
                    end=resolution.term_end,
                    value=f"{fmt_num(projection, lang)} {unit}".strip(),
                )
    elif goal.kind == GoalKind.ANNUAL_RATING:
        c.value_text = _rating_name(c.actual, lang)
        c.target_text = t("target_value", lang, value=target_words(goal, "", lang, end))
        if c.actual is not None:
            c.numbers_text = t("rating_value", lang, value=c.value_text)
    elif goal.kind == GoalKind.QUALITATIVE:
        if status == str(Status.NO_DATA):
            c.note = t("no_assessment", lang, year=row.year)
        else:
            c.status_text = f"{STATUS_ICON[status]} {t('assess_' + status, lang)}"
            c.note = row.assessment_note or ""
    _lead(c, goal, row, resolution, unit_of(goal, indicators, lang), lang, part)
    return c


def _lead(
    c: GoalCard,
    goal: Goal,
    row: ProgressRow,
    resolution: Resolution,
    unit: str,
    lang: str,
    part: bool,
) -> None:
    """What the card leads with when the year's status is not the reader's answer: for some
    cells, their share of a committee-wide whole-term target; before the term ends, the
    pace of a goal that has one (a term total, a level to reach by the end)."""
    if not c.applicable or c.status == str(Status.NO_DATA):
        return
    if part and goal.kind == GoalKind.TERM_CUMULATIVE and goal.target:
        c.badge = "share"
        c.status_text = t("status_share", lang)
        share = fmt_pct(100.0 * (c.actual or 0.0) / goal.target, lang)
        c.numbers_text = t(
            "share_numbers",
            lang,
            value=fmt_exact(c.actual, lang),
            share=share,
            target=fmt_exact(goal.target, lang),
            unit=unit,
        )
        c.pace_text = c.projection_text = ""
        return
    pace_status = row.pace_status
    if goal.has_pace and row.year < resolution.term_end and pace_status in PACE_BADGE:
        c.badge = PACE_BADGE[str(pace_status)]
        c.status_text = f"{STATUS_ICON[c.badge]} {t('pace_' + str(pace_status), lang)}"


def shown_counts(cards: list[GoalCard]) -> dict[str, int]:
    """How many goals are met, near, missed and without data as their cards say it (the one
    rule for what a reader is told first: mid-term, a pace goal counts by its pace); goals
    that do not apply, and a committee-wide target shown as some cells' share, are not
    counted."""
    judged = [c for c in cards if c.applicable and c.badge != "share"]
    return {str(s): sum(c.badge == str(s) for c in judged) for s in Status} | {"total": len(judged)}


def build(
    progress: pd.DataFrame,
    goals: list[Goal],
    indicators: list[Indicator],
    resolution: Resolution,
    year: int,
    selection_label: str,
    lang: str,
    part: bool = False,
    previous: pd.DataFrame | None = None,
) -> Overview:
    """The overview's words for a year; ``previous``: the progress of the year before, for
    the change shown in the summary table (None: no year before in the term)."""
    by_code = {i.code: i for i in indicators}
    rows = rows_by_goal(progress)
    cards = [card(goal, rows[goal.code], by_code, resolution, lang, part) for goal in goals]
    counts = shown_counts(cards)
    view = Overview(
        title=t("overview_title", lang),
        caption=t(
            "overview_caption",
            lang,
            resolution=resolution.short(lang),
            year=year,
            selection=escape_markdown(selection_label),
        ),
        summary=t("summary_line", lang, year=year, **counts),
        counts=counts,
    )
    for goal, c in zip(goals, cards, strict=True):
        if goal.kind in (GoalKind.ANNUAL_RATIO, GoalKind.ANNUAL_COUNT):
            view.gauges_annual.append(c)
        elif goal.kind == GoalKind.TERM_CUMULATIVE:
            view.gauges_term.append(c)
        else:
            view.cards.append(c)
    before = rows_by_goal(previous) if previous is not None else {}
    view.table = summary_table(goals, rows, before, view, year, lang)
    return view


def _change(
    goal: Goal, now: float | None, then: float | None, lang: str, signed: bool = False
) -> str:
    """The change against last year: "↑ 2,3 điểm" for a percentage, "↑ 12" for a count; a
    rating's arrow points to the better level (a lower number); "" when either is missing,
    "=" when unchanged. ``signed``: "+ 12" / "− 12" instead of arrows (what a year added to a
    running sum, which never goes down as a result would)."""
    if now is None or then is None:
        return ""
    diff = now - then
    if goal.kind == GoalKind.ANNUAL_RATING:
        if abs(diff) < 1e-9:
            return "="
        return "↑" if diff < 0 else "↓"
    if abs(diff) < 0.05:
        return "="
    arrow = ("+" if diff > 0 else "−") if signed else ("↑" if diff > 0 else "↓")
    if goal.kind == GoalKind.ANNUAL_RATIO or goal.percent_sum:
        return f"{arrow} {t('points_value', lang, value=fmt_num(abs(diff), lang, 1))}"
    return f"{arrow} {fmt_exact(abs(diff), lang)}"


def summary_table(
    goals: list[Goal],
    rows: dict[str, ProgressRow],
    before: dict[str, ProgressRow],
    view: Overview,
    year: int,
    lang: str,
) -> pd.DataFrame:
    """Every goal in one compact table: its value, target, status and change against the
    year before, in the reader's language (the cards below give the detail)."""
    by_code = {c.code: c for c in [*view.gauges_annual, *view.gauges_term, *view.cards]}
    records = []
    for goal in goals:
        c = by_code[goal.code]
        then = before.get(goal.code)
        cumulative = goal.kind == GoalKind.TERM_CUMULATIVE  # what the year added to the sum
        change = _change(goal, c.actual, then.actual if then else None, lang, signed=cumulative)
        target = c.target_text.partition(": ")[2] or "–"
        records.append(  # the numbers before the title: on a phone they are in view
            {
                t("col_code", lang): goal.code,
                t("col_result_year", lang, year=year): c.value_text if c.applicable else "–",
                t("col_target", lang): target,
                t("col_assessment", lang): c.status_text if c.applicable else "–",
                t("col_change", lang, year=year - 1): change if c.applicable else "",
                t("col_goal", lang): goal.title(lang),
            }
        )
    return pd.DataFrame(records)
