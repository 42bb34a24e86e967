"""Figure builders (Plotly). No Streamlit, no database: plain data in, a figure out."""

from __future__ import annotations

import plotly.graph_objects as go

from src.i18n import plotly_separators, t
from src.overview import STATUS_COLOUR, GoalCard

FONT = "Source Sans Pro, Arial, sans-serif"  # bundled with Streamlit: nothing is fetched


def gauge(card: GoalCard, lang: str) -> go.Figure:
    """A half-circle gauge: the bar in the status colour, the target as a dark line, and for
    term goals the pace for the year as a shaded band."""
    colour = STATUS_COLOUR.get(card.status, STATUS_COLOUR["no_data"])
    has_value = card.actual is not None
    steps = []
    if card.pace is not None:
        steps.append({"range": [0, card.pace], "color": "#E8EAED"})
    indicator = go.Indicator(
        mode="gauge+number" if has_value else "gauge",
        value=card.actual if has_value else 0,
        number={
            "suffix": card.suffix,
            "valueformat": ",.1f" if card.suffix == "%" else ",.0f",
            "font": {"size": 30, "color": "#1F2328"},
        },
        gauge={
            "shape": "angular",
            "axis": {
                "range": [0, card.axis_max],
                "tickformat": ",.0f",
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
        domain={"x": [0, 1], "y": [0, 1]},
    )
    fig = go.Figure(indicator)
    if not has_value:
        fig.add_annotation(
            text=t("status_no_data", lang),
            x=0.5,
            y=0.15,
            showarrow=False,
            font={"size": 16, "color": "#57606A"},
        )
    fig.update_layout(
        height=170,
        margin={"l": 22, "r": 22, "t": 10, "b": 0},
        separators=plotly_separators(lang),
        font={"family": FONT},
        paper_bgcolor="rgba(0,0,0,0)",
    )
    return fig
