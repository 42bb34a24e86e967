"""Widgets shared by the pages: language, filters, the demo banner, goal cards."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from src import charts
from src.i18n import fmt_date, t
from src.models import Resolution
from src.overview import STATUS_BADGE, GoalCard
from src.ui import cache

LANG_OPTIONS = {"vi": "Tiếng Việt", "en": "English"}


def _from_address(key: str, options: list[str], multi: bool) -> None:
    """On a page's first run, take a widget's value from the page address (codes, not
    labels, so a link is short and the same in both languages)."""
    if key in st.session_state or key not in st.query_params:
        return
    wanted = [v for v in st.query_params.get_all(key) if v in options]
    if multi:
        st.session_state[key] = wanted
    elif wanted:
        st.session_state[key] = wanted[0]


def _to_address(key: str, value: object, default: object = None) -> None:
    """Keep the page address in step with a widget, so the view can be shared as a link."""
    if value in (None, [], default):
        if key in st.query_params:
            del st.query_params[key]
    elif isinstance(value, list):
        st.query_params[key] = [str(v) for v in value]
    else:
        st.query_params[key] = str(value)


def lang() -> str:
    """The reader's language (chosen in the sidebar by the frame; Vietnamese by default)."""
    value = st.session_state.get("lang") or "vi"
    return "en" if value == "en" else "vi"


def language_switch() -> str:
    _from_address("lang", list(LANG_OPTIONS), multi=False)
    value = st.sidebar.segmented_control(
        t("language", "vi"),
        options=list(LANG_OPTIONS),
        format_func=lambda k: LANG_OPTIONS[k],
        default="vi",
        required=True,
        key="lang",
    )
    _to_address("lang", value, "vi")
    return lang()


CARD_CSS = """
<style>
/* goal cards: titles take the same height so gauges line up across a row */
div[class*="st-key-goal-"] [data-testid="stMarkdown"]:first-of-type p { min-height: 3.9em; }
</style>
"""


def page_style() -> None:
    st.html(CARD_CSS)


def demo_banner(lg: str) -> None:
    if cache.meta().is_demo:
        st.warning(t("demo_banner", lg), icon=":material/warning:")


@dataclass(frozen=True)
class Filters:
    resolution: Resolution
    year: int
    org_codes: list[str] | None  # None: the whole committee
    label: str


def sidebar_filters(lg: str) -> Filters:
    """Resolution (when several), year, sector groups and cells; kept in the page address."""
    meta = cache.meta()
    sb = st.sidebar
    sb.header(t("filters", lg))
    resolutions = meta.resolutions
    resolution = resolutions[0]
    if len(resolutions) > 1:
        codes = [r.code for r in resolutions]
        chosen = sb.selectbox(
            t("resolution", lg),
            codes,
            format_func=lambda c: next(r.short(lg) for r in resolutions if r.code == c),
            key="res",
        )
        resolution = next(r for r in resolutions if r.code == chosen)
    years = list(resolution.term_years)
    with_data = [y for y in meta.years_with_data if y in years]
    default_year = max(with_data) if with_data else years[0]
    _from_address("year", [str(y) for y in years], multi=False)
    if isinstance(st.session_state.get("year"), str):
        st.session_state["year"] = int(st.session_state["year"])
    year = sb.selectbox(t("year", lg), years, index=years.index(default_year), key="year")
    _to_address("year", year, default_year)
    orgs = meta.organisations
    units = orgs[orgs["kind"].isin(["grassroots_committee", "grassroots_cell"])]
    groups = sorted(g for g in units["group"].dropna().unique())
    chosen_groups: list[str] = []
    if groups:
        _from_address("groups", groups, multi=True)
        chosen_groups = sb.multiselect(
            t("groups", lg), groups, key="groups", placeholder=t("cells_all", lg)
        )
        _to_address("groups", chosen_groups)
    pool = units[units["group"].isin(chosen_groups)] if chosen_groups else units
    names = dict(zip(units["org_code"], units["name"], strict=True))
    options = sorted(pool["org_code"], key=lambda c: names[c])
    _from_address("cells", list(units["org_code"]), multi=True)
    if "cells" in st.session_state:  # a group filter may have removed chosen cells
        st.session_state["cells"] = [c for c in st.session_state["cells"] if c in options]
    cells = sb.multiselect(
        t("cells", lg),
        options,
        format_func=lambda c: f"{names.get(c, c)} ({c})",
        key="cells",
        help=t("cells_help", lg),
        placeholder=t("cells_all", lg),
    )
    _to_address("cells", cells)
    cells = cells or (list(pool["org_code"]) if chosen_groups else [])
    if cells:
        label = names[cells[0]] if len(cells) == 1 else t("selection_n", lg, n=len(cells))
        return Filters(resolution, int(year), sorted(cells), label)
    return Filters(resolution, int(year), None, t("selection_all", lg))


def data_footer(lg: str) -> None:
    last = cache.meta().last_batch
    if last:
        st.caption(
            t(
                "made_from",
                lg,
                when=fmt_date(last["applied_at"], lg, True),  # type: ignore[arg-type]
                file=last["file_name"],
            )
        )


def goal_card(card: GoalCard, lg: str, gauge: bool = True) -> None:
    with st.container(border=True, key=f"goal-{card.code}"):
        st.markdown(f"**{card.code}** · {card.title}")
        if not card.applicable:
            st.info(card.note, icon=":material/info:")
            return
        if gauge:
            st.plotly_chart(
                charts.gauge(card, lg), config={"displayModeBar": False}, key=f"gauge-{card.code}"
            )
        else:
            st.markdown(f"### {card.value_text}")
        badge = STATUS_BADGE.get(card.status, "gray")
        parts = [f":{badge}-badge[{card.status_text}]"]
        if card.target_text:
            parts.append(card.target_text)
        st.markdown(" · ".join(parts))
        for line in (card.numbers_text, card.pace_text, card.projection_text):
            if line:
                st.markdown(line)
        if card.coverage_text:
            st.caption(card.coverage_text)
        if card.warning:
            st.warning(card.warning, icon=":material/warning:")
        if card.note:
            st.caption(card.note)


def qualitative_goals(resolution_code: str, lg: str) -> dict[str, str]:
    return {g.code: g.title(lg) for g in cache.goals(resolution_code) if g.kind == "qualitative"}


def root_code() -> str | None:
    orgs = cache.meta().organisations
    roots = orgs[orgs["kind"] == "root"]["org_code"]
    return str(roots.iloc[0]) if len(roots) else None


def form_token(name: str, renew: bool = False) -> str:
    """A token per drawn form: the same submission twice is one write, not two."""
    import uuid

    key = f"form-token-{name}"
    if renew or key not in st.session_state:
        st.session_state[key] = uuid.uuid4().hex
    return str(st.session_state[key])
