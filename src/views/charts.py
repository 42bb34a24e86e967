"""Figure builders (Plotly). No Streamlit, no database: plain data in, a figure out.

One module, past 400 lines, because every figure shares the bundled font, the status
colours and the axis rules (scaled to the data, the target in view): one builder each.
"""

from __future__ import annotations

import functools
from dataclasses import astuple, dataclass, field
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from src.config import FONT_FAMILY
from src.domain.rows import ProgressRow
from src.i18n import escape_html, fmt_num, fmt_pct, plotly_separators, t
from src.views.overview import STATUS_COLOUR, STATUS_ICON, GoalCard

# The font bundled in static/fonts/ (the page serves it; the report's charts find it there),
# then what a machine without it has: the same letters, every tone mark, on every machine.
FONT = f"{FONT_FAMILY}, Arial, sans-serif"


# The gauge's layout: the arc in the top part of the plot, the number in a band of its own
# below it, so that the two never meet, whatever the font's width.
GAUGE_HEIGHT = 180
GAUGE_MARGIN = {"l": 24, "r": 28, "t": 24, "b": 4}
GAUGE_ARC_BOTTOM = 0.3  # of the plot's height: the arc's domain starts here
GAUGE_NUMBER_SIZE = 26  # px


def gauge(card: GoalCard, lang: str) -> go.Figure:
    """A half-circle gauge: the bar in the status colour, the target as a dark line, a range
    ("8–9%") and, for term goals, the pace for the year as shaded bands; the value written
    under the arc (never over it).

    Made once per card's content and language: a Plotly figure takes 5-10 ms to build (its
    properties are validated one by one), and the overview draws fourteen on every run. The
    figure is shared by every run and session that asks for the same card: never change it."""
    return _gauge(astuple(card), lang)


@functools.lru_cache(maxsize=512)
def _gauge(fields: tuple[Any, ...], lang: str) -> go.Figure:
    return _draw_gauge(GoalCard(*fields), lang)


def preload() -> None:
    """Build and serialise one figure of each kind the pages draw, as Streamlit does, and
    throw them away: Plotly imports its validators per trace type at the first figure of
    that type (0.3-0.6 s on this machine's first overview), so a server that calls this as
    it starts (src/ui/serve.py) has them before its first reader."""
    import plotly.io
    import plotly.tools

    card = GoalCard("A1", "", "annual_ratio", "on_track", "", actual=50.0, target=80.0, pace=40.0)
    figures = [
        _draw_gauge(card, "vi"),
        _layout(go.Figure(go.Bar(x=[1.0], y=["a"], orientation="h")), "vi", 200),
        _layout(go.Figure(go.Scatter(x=[2024], y=[1.0], mode="lines+markers")), "vi", 200),
        _layout(go.Figure(go.Heatmap(z=[[1.0]], x=["a"], y=["b"])), "vi", 200),
    ]
    for fig in figures:
        plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(fig, True), validate=False)


def _draw_gauge(card: GoalCard, lang: str) -> go.Figure:
    colour = STATUS_COLOUR.get(card.badge or card.status, STATUS_COLOUR["no_data"])
    has_value = card.actual is not None
    steps = []
    if card.pace is not None:
        steps.append({"range": [0, card.pace], "color": "#E8EAED"})
    if card.target is not None and card.target_max is not None:
        steps.append({"range": [card.target, card.target_max], "color": "#D0D7DE"})
    indicator = go.Indicator(
        mode="gauge",
        value=card.actual if has_value else 0,
        gauge={
            "shape": "angular",
            "axis": {
                "range": [0, card.axis_max],
                "tickformat": ",~g",
                "nticks": 5,
                "tickfont": {"size": 10},
            },
            "bar": {"color": colour if has_value else "rgba(0,0,0,0)", "thickness": 0.6},
            "bgcolor": "#F6F8FA",
            "borderwidth": 0,
            "steps": steps,
            "threshold": {
                "line": {"color": "#1F2328", "width": 3},
                "thickness": 0.85,
                "value": card.target if card.target is not None else 0,
            },
        },
        domain={"x": [0, 1], "y": [GAUGE_ARC_BOTTOM, 1]},
    )
    fig = go.Figure(indicator)
    if has_value:
        text = card.value_text if card.value_text != "–" else fmt_num(card.actual, lang)
        font = {"size": GAUGE_NUMBER_SIZE, "color": "#1F2328"}
    else:
        text, font = t("status_no_data", lang), {"size": 16, "color": "#57606A"}
    fig.add_annotation(
        text=escape_html(text),
        x=0.5,
        y=0,
        xref="paper",
        yref="paper",
        xanchor="center",
        yanchor="bottom",
        showarrow=False,
        font=font,
    )
    fig.update_layout(
        height=GAUGE_HEIGHT,
        margin=GAUGE_MARGIN,
        separators=plotly_separators(lang),
        font={"family": FONT},
        paper_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def _layout(fig: go.Figure, lang: str, height: int, y_title: str = "") -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        separators=plotly_separators(lang),
        font={"family": FONT},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="#FFFFFF",
        legend={"orientation": "h", "y": -0.15},
        yaxis={"title": y_title, "gridcolor": "#E8EAED", "rangemode": "tozero"},
        xaxis={"dtick": 1, "gridcolor": "#F3F4F6"},
    )
    return fig


def value_range(
    values: list[float | None], target: float | None, headroom: float = 0.25
) -> list[float]:
    """An axis's range for ``values`` and ``target``: both in view, a little room below and
    ``headroom`` (of the data's spread) above for the points' labels; from zero only when
    the data lie near it (compared with their spread), so 98% against 100% is no flat line."""
    known = [float(v) for v in [*values, target] if v is not None and v == v]
    if not known:
        return [0.0, 100.0]
    low, high = min(known), max(known)
    span = high - low or max(abs(high) * 0.1, 1.0)
    start = 0.0 if 0 <= low <= span else low - 0.15 * span
    return [start, high + headroom * span]


STATUS_SYMBOL = {"met": "circle", "near": "diamond", "missed": "x", "no_data": "circle-open"}


def trend(
    trend_rows: list[ProgressRow],
    target: float | None,
    lang: str,
    suffix: str = "%",
    labels: dict[str, str] | None = None,
    words: bool = True,
    height: int = 320,
) -> go.Figure:
    """A goal's value each year of the term against its target line; each point's marker
    colour and shape say its status."""
    labels = labels or {}
    years = [r.year for r in trend_rows]
    values = [r.actual for r in trend_rows]
    statuses = [r.status for r in trend_rows]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=years,
            y=values,
            mode="lines+markers+text" if words else "lines+markers",
            name=labels.get("actual", ""),
            line={"color": "#57606A", "width": 2},
            marker={
                "size": 13,
                "color": [STATUS_COLOUR[s] for s in statuses],
                "symbol": [STATUS_SYMBOL[s] for s in statuses],
                "line": {"width": 1},
            },
            text=[t("status_" + s, lang) for s in statuses],
            textposition="top center",
            cliponaxis=False,  # a label above the highest point is drawn whole
            hovertemplate="%{x}: %{y:,.1f}" + suffix + "<extra></extra>",
        )
    )
    if target is not None:
        fig.add_trace(
            go.Scatter(
                x=years,
                y=[target] * len(years),
                mode="lines",
                name=labels.get("target", ""),
                line={"color": "#1F2328", "dash": "dash", "width": 2},
                hoverinfo="skip",
            )
        )
    pace = [r.pace_target for r in trend_rows]
    if any(p is not None for p in pace):  # a level to reach by the end: each year's step
        fig.add_trace(
            go.Scatter(
                x=years,
                y=pace,
                mode="lines+markers",
                name=labels.get("pace", ""),
                line={"color": "#0969DA", "dash": "dot", "width": 2},
                marker={"size": 6, "color": "#0969DA"},
                hovertemplate="%{x}: %{y:,.1f}" + suffix + "<extra></extra>",
            )
        )
    fig = _layout(fig, lang, height, suffix)
    shown = [*values, *(p for p in pace if p is not None)]
    fig.update_yaxes(range=value_range(shown, target))  # type: ignore[arg-type]
    fig.update_layout(margin={"t": 40})
    if not labels:
        fig.update_layout(showlegend=False)
    return fig


def cumulative_vs_pace(
    trend_rows: list[ProgressRow],
    target: float,
    projection: list[tuple[int, float]],
    lang: str,
    labels: dict[str, str],
) -> go.Figure:
    """A term goal: cumulative value against the even pace, the target and the projection."""
    years = [r.year for r in trend_rows]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=years,
            y=[r.actual for r in trend_rows],
            name=labels["actual"],
            marker_color="#0072B2",
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=[r.pace_target for r in trend_rows],
            mode="lines+markers",
            name=labels["pace"],
            line={"color": "#E69F00", "width": 2},
            marker={"symbol": "diamond", "size": 9},
        )
    )
    if projection:
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in projection],
                y=[p[1] for p in projection],
                mode="lines",
                name=labels["projection"],
                line={"color": "#0072B2", "dash": "dot", "width": 2},
            )
        )
    fig.add_hline(
        y=target,
        line={"color": "#1F2328", "dash": "dash", "width": 2},
        annotation_text=labels["target"],
        annotation_position="top left",
    )
    return _layout(fig, lang, 340)


ROW_PX = 34  # a cell's band in the ranked bars: its name above, its bar below


def ranked_bars(
    names: list[str],
    values: list[float | None],
    statuses: list[str],
    target: float | None,
    lang: str,
    suffix: str = "%",
) -> go.Figure:
    """Cells by their own value, weakest at the top, coloured and labelled by status. Each
    cell's name is written above its bar, from the left edge, rather than beside it: the
    bars keep the whole width, so a phone (390 px) shows long names and 93% against 100%
    alike. Made once per content, as the gauge is (0.05 s of Plotly for 40 bars): the
    figure is shared, never change it."""
    return _ranked_bars(tuple(names), tuple(values), tuple(statuses), target, lang, suffix)


@functools.lru_cache(maxsize=128)
def _ranked_bars(
    names: tuple[str, ...],
    values: tuple[float | None, ...],
    statuses: tuple[str, ...],
    target: float | None,
    lang: str,
    suffix: str,
) -> go.Figure:
    labels = [escape_html(n) for n in names]  # typed by users: text, never HTML
    fig = go.Figure(
        go.Bar(
            x=[v if v is not None else 0 for v in values],
            y=labels,
            orientation="h",
            width=0.4,
            marker_color=[STATUS_COLOUR[s] for s in statuses],
            text=[f"{STATUS_ICON[s]}" for s in statuses],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.1f}" + suffix + "<extra></extra>",
        )
    )
    name = {  # each above its bar, over the target's line (which stays in view around it)
        "x": 0,
        "xref": "paper",
        "xanchor": "left",
        "yref": "y",
        "yshift": ROW_PX * 0.42,
        "showarrow": False,
        "font": {"size": 12, "color": "#1F2328"},
        "bgcolor": "rgba(255,255,255,0.85)",
        "borderpad": 0,
    }
    fig.update_layout(annotations=[{**name, "y": label, "text": label} for label in labels])
    if target is not None:
        fig.add_vline(x=target, line={"color": "#1F2328", "dash": "dash", "width": 2})
    fig.update_yaxes(autorange="reversed", showticklabels=False)
    height = max(200, ROW_PX * len(names) + 60)
    fig = _layout(fig, lang, height)
    fig.update_layout(
        yaxis={"rangemode": "normal", "title": "", "showgrid": False},
        xaxis={
            "dtick": None,
            "ticksuffix": suffix,
            "range": value_range(list(values), target, 0.12),
        },
        margin={"l": 4, "r": 24, "t": 30, "b": 10},
    )
    return fig


HEATMAP_LABEL_PX, HEATMAP_SQUARE_PX = 240, 44


def heatmap_min_width(goals: int) -> int:
    """The width (px) under which the scorecard's squares would no longer hold their labels:
    narrower screens (a phone) scroll it sideways rather than squeeze it."""
    return HEATMAP_LABEL_PX + HEATMAP_SQUARE_PX * goals


def heatmap(
    cells: list[str],
    goals: list[str],
    values: list[list[float | None]],
    statuses: list[list[str]],
    lang: str,
) -> go.Figure:
    """The scorecard: cells × goals, coloured by status, each square labelled with its value
    and a status sign (legible without colour)."""
    order = ["no_data", "missed", "near", "met"]
    z = [[order.index(s) for s in row] for row in statuses]
    text = [
        [
            ("–" if v is None else f"{v:,.0f}") + " " + STATUS_ICON[s]
            for v, s in zip(vrow, srow, strict=True)
        ]
        for vrow, srow in zip(values, statuses, strict=True)
    ]
    colours = [STATUS_COLOUR[s] for s in order]
    scale = [[i / 3, c] for i, c in enumerate(colours)]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=goals,
            y=[escape_html(c) for c in cells],  # typed by users: text, never HTML
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=3,
            colorscale=scale,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            textfont={"size": 11, "color": "#FFFFFF"},
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig = _layout(fig, lang, max(300, 24 * len(cells) + 80))
    fig.update_layout(
        xaxis={"side": "top", "dtick": None},
        yaxis={"rangemode": "normal"},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


# Charts of the Word report: drawn for print (white paper) in the bundled font, and exported
# as images by :mod:`src.reports.images` (which gives the browser that draws them the font).
REPORT_FONT = FONT
REPORT_INK = "#1F2328"


@dataclass(frozen=True)
class ReportPanel:
    """One goal's values over the years, for the report's small multiples."""

    title: str
    years: list[int]
    values: list[float | None]
    statuses: list[str]
    target: float | None
    pace: list[float | None] = field(default_factory=list)


def _report_layout(fig: go.Figure, lang: str, width: int, height: int) -> go.Figure:
    fig.update_layout(
        width=width,
        height=height,
        separators=plotly_separators(lang),
        font={"family": REPORT_FONT, "size": 15, "color": REPORT_INK},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    )
    # Every axis makes room for its labels (automargin), whatever their font's width.
    fig.update_xaxes(showline=True, linecolor="#8C959F", gridcolor="#EAEEF2", automargin=True)
    fig.update_yaxes(showline=True, linecolor="#8C959F", gridcolor="#EAEEF2", automargin=True)
    return fig


# Paper kept clear around a report chart (px): a label ends inside the image, never at its edge.
REPORT_MARGIN = 24


def report_goal_bars(
    labels: list[str],
    values: list[float],
    targets: list[float],
    statuses: list[str],
    lang: str,
) -> go.Figure:
    """The year's ratio goals: one bar each in its status colour (the legend names the
    colours), the target as a dark tick across the bar, the value written in a column on
    the right."""
    fig = go.Figure()
    for status in ("met", "near", "missed"):
        rows = [i for i, s in enumerate(statuses) if s == status]
        if rows:
            fig.add_trace(
                go.Bar(
                    y=[labels[i] for i in rows],
                    x=[values[i] for i in rows],
                    orientation="h",
                    name=t("status_" + status, lang),
                    marker={"color": STATUS_COLOUR[status]},
                )
            )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=targets,
            mode="markers",
            name=t("rep_chart_target", lang),
            marker={"symbol": "line-ns", "size": 26, "line": {"width": 4, "color": REPORT_INK}},
        )
    )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=[102.0] * len(labels),
            mode="text",
            text=[fmt_pct(v, lang) for v in values],
            textposition="middle right",
            cliponaxis=False,
            showlegend=False,
        )
    )
    fig = _report_layout(fig, lang, 820, 90 + 44 * len(labels))
    m = REPORT_MARGIN
    fig.update_layout(margin={"l": m, "r": m, "t": 40, "b": 40}, bargap=0.35, barmode="overlay")
    ticks = [0, 20, 40, 60, 80, 100]
    fig.update_xaxes(range=[0, 116], tickvals=ticks, ticktext=[f"{v}%" for v in ticks])
    fig.update_yaxes(
        autorange="reversed", showgrid=False, categoryorder="array", categoryarray=labels
    )
    return fig


def _target_line(p: ReportPanel, width: float, name: str = "", legend: bool = False) -> go.Scatter:
    """A report panel's target, dashed across its years."""
    return go.Scatter(
        x=p.years,
        y=[p.target] * len(p.years),
        mode="lines",
        name=name,
        line={"color": REPORT_INK, "dash": "dash", "width": width},
        showlegend=legend,
    )


def report_trends(panels: list[ReportPanel], lang: str, columns: int = 2) -> go.Figure:
    """Small multiples: each ratio goal's value year by year (markers in status colours)
    against its target (dashed)."""
    rows = max(1, -(-len(panels) // columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[p.title for p in panels],
        vertical_spacing=0.34 / rows,
        horizontal_spacing=0.08,
    )
    for i, p in enumerate(panels):
        row, col = i // columns + 1, i % columns + 1
        fig.add_trace(
            go.Scatter(
                x=p.years,
                y=p.values,
                mode="lines+markers",
                line={"color": "#57606A", "width": 2},
                marker={
                    "size": 10,
                    "color": [STATUS_COLOUR.get(s, STATUS_COLOUR["no_data"]) for s in p.statuses],
                    "symbol": [STATUS_SYMBOL.get(s, "circle") for s in p.statuses],
                },
                showlegend=False,
            ),
            row=row,
            col=col,
        )
        known = [v for v in p.values if v is not None]
        if p.target is not None:
            fig.add_trace(_target_line(p, 1.5), row=row, col=col)
            known.append(p.target)
        low = max(0.0, min(known) - 8) if known else 0.0
        high = min(100.0, max(known) + 6) if known else 100.0
        fig.update_yaxes(range=[low, high], ticksuffix="%", row=row, col=col)
        fig.update_xaxes(dtick=1, row=row, col=col)
    fig = _report_layout(fig, lang, 820, 60 + 210 * rows)
    m = REPORT_MARGIN
    fig.update_layout(margin={"l": m, "r": m, "t": 50, "b": m})
    fig.update_annotations(font={"size": 14})
    return fig


def report_term_bars(panels: list[ReportPanel], units: list[str], lang: str) -> go.Figure:
    """Whole-term goals side by side: the cumulative total at the end of each year (bars),
    the even pace (line) and the whole-term target (dashed)."""
    fig = make_subplots(rows=1, cols=max(1, len(panels)), subplot_titles=[p.title for p in panels])
    for i, (p, unit) in enumerate(zip(panels, units, strict=True), start=1):
        fig.add_trace(
            go.Bar(
                x=p.years,
                y=p.values,
                name=t("rep_chart_cumulative", lang),
                marker={"color": "#0072B2"},
                text=[fmt_num(v, lang) if v is not None else "" for v in p.values],
                textposition="outside",
                cliponaxis=False,
                showlegend=i == 1,
            ),
            row=1,
            col=i,
        )
        if p.pace:
            fig.add_trace(
                go.Scatter(
                    x=p.years,
                    y=p.pace,
                    mode="lines+markers",
                    name=t("rep_chart_pace", lang),
                    line={"color": "#E69F00", "width": 2.5},
                    marker={"symbol": "diamond", "size": 9},
                    showlegend=i == 1,
                ),
                row=1,
                col=i,
            )
        if p.target is not None:
            line = _target_line(p, 2.0, t("rep_chart_target", lang), legend=i == 1)
            fig.add_trace(line, row=1, col=i)
        top = max([v for v in p.values if v is not None] + [p.target or 0.0]) or 1.0
        whole = {"dtick": 1} if top <= 8 else {}  # counts of a few: no 0,5 on the axis
        fig.update_yaxes(range=[0, top * 1.18], title_text=unit, row=1, col=i, **whole)
        fig.update_xaxes(dtick=1, row=1, col=i)
    fig = _report_layout(fig, lang, 820, 380)
    fig.update_layout(
        margin={"l": REPORT_MARGIN, "r": REPORT_MARGIN, "t": 70, "b": 30},
        legend={"y": -0.12, "yanchor": "top", "x": 0.5, "xanchor": "center"},
    )
    return fig


def small_multiples(
    titles: list[str],
    series: list[list[ProgressRow]],
    targets: list[float | None],
    lang: str,
    columns: int = 3,
) -> go.Figure:
    """One small trend per goal (a cell's profile) in a single figure: value by year, marker
    colour and shape by status, the target dashed."""
    from plotly.subplots import make_subplots

    rows = max(1, -(-len(titles) // columns))
    short = [escape_html(title if len(title) <= 42 else title[:40] + "…") for title in titles]
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=short,
        vertical_spacing=0.5 / rows,
        horizontal_spacing=0.06,
    )
    for i, (points, target) in enumerate(zip(series, targets, strict=True)):
        row, col = i // columns + 1, i % columns + 1
        years = [p.year for p in points]
        statuses = [p.status for p in points]
        values = [p.actual for p in points]
        fig.update_yaxes(range=value_range(values, target, 0.15), row=row, col=col)
        fig.add_trace(
            go.Scatter(
                x=years,
                y=values,
                mode="lines+markers",
                line={"color": "#57606A", "width": 1.5},
                showlegend=False,
                marker={
                    "size": 9,
                    "color": [STATUS_COLOUR[s] for s in statuses],
                    "symbol": [STATUS_SYMBOL[s] for s in statuses],
                },
            ),
            row=row,
            col=col,
        )
        if target is not None and years:
            fig.add_trace(
                go.Scatter(
                    x=[years[0], years[-1]],
                    y=[target, target],
                    mode="lines",
                    line={"color": "#1F2328", "dash": "dash", "width": 1},
                    showlegend=False,
                    hoverinfo="skip",
                ),
                row=row,
                col=col,
            )
    fig.update_annotations(font_size=12)
    fig.update_xaxes(dtick=1, tickfont={"size": 10})
    fig.update_yaxes(ticksuffix="%", rangemode="tozero", gridcolor="#E8EAED", tickfont={"size": 10})
    fig.update_layout(
        height=230 * rows,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        separators=plotly_separators(lang),
        font={"family": FONT},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="#FFFFFF",
    )
    return fig
