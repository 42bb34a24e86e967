"""Chỉ tiêu: one goal — its definition, its years against the target, the cells behind it."""

import streamlit as st

from src.i18n import escape_markdown, t
from src.ui import cache, widgets
from src.views import charts, goal_view

lang = widgets.lang()
filters = widgets.sidebar_filters(lang)
goals = cache.goals(filters.resolution.code)
meta = cache.meta()
names = meta.names

goal = widgets.goal_picker(goals, lang)
st.title(t("goal_title", lang, code=goal.code, title=goal.title(lang)))
st.caption(filters.caption(lang))
widgets.demo_banner(lang)

view = cache.overview_view(filters.resolution, filters.year, filters.org_codes, filters.label, lang)
card = next(c for c in view.gauges_annual + view.gauges_term + view.cards if c.code == goal.code)
goal_cells = cache.goal_cells(filters.resolution.code, filters.year, filters.org_codes, goal.code)
row = goal_cells.row
shape = goal_view.layout(goal, card.applicable)

left, right = st.columns([1, 2])
with left:
    widgets.goal_card(card, lang, gauge=shape.gauge, link=False)
    widgets.provenance(row, goal, filters, names, goal_cells.counted, lang)
with right:
    st.subheader(t("def_head", lang))
    definition = goal_view.definition(goal, meta.indicators, lang, filters.resolution.term_end)
    st.markdown(f"*{definition.text}*")
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in definition.lines))

st.subheader(t("trend_head", lang))
trend = cache.trend(filters.resolution.code, goal.code, filters.org_codes)
if shape.trend in (goal_view.TrendPanel.CUMULATIVE, goal_view.TrendPanel.YEARLY):
    st.plotly_chart(
        goal_view.trend_figure(goal, trend, filters.resolution, lang),
        key="trend",
        config=widgets.STATIC,
    )
if shape.trend == goal_view.TrendPanel.CUMULATIVE:
    for line in goal_view.term_lines(goal, row, filters.resolution, lang):
        st.markdown(f"- {line}")
elif shape.trend == goal_view.TrendPanel.ASSESSMENTS:
    st.dataframe(goal_view.assessment_table(trend, lang), hide_index=True, key="assess")
elif shape.trend == goal_view.TrendPanel.NOTE:
    st.info(escape_markdown(card.note), icon=":material/info:")

if shape.cells in (goal_view.CellsPanel.RANKING, goal_view.CellsPanel.NOT_COVERED):
    st.subheader(t("ranking_head", lang, year=filters.year))
    if goal_cells.capped:
        st.warning(t("cap_cell_warning", lang, n=goal_cells.capped), icon=":material/warning:")
    if shape.cells == goal_view.CellsPanel.NOT_COVERED:
        head = goal_view.not_covered_head(goal, meta.indicators, filters.year, lang)
        st.markdown(f"**{escape_markdown(head)}**")
        missing = goal_view.not_covered_table(goal, goal_cells.per_org, lang)
        if missing.empty:
            st.success(t("all_covered", lang))
        else:
            st.dataframe(missing, hide_index=True, key="not-covered")
    else:
        ends = goal_view.extremes(goal_cells.ranked)
        if len(ends) < len(goal_cells.ranked):
            st.caption(t("ranking_extremes", lang, n=goal_view.EXTREMES))
        st.plotly_chart(
            charts.ranked_bars(*goal_view.bars(ends, names), goal.target, lang),
            key="ranked",
            config=widgets.STATIC,
        )
    st.caption(t("ranking_help", lang))
    query, page = widgets.finder("rank", lang)
    part = goal_view.ranking_page(goal_cells.ranked, query, page)
    st.caption(t("ranking_window", lang, n=part.matched, page=part.page, pages=part.pages))
    st.dataframe(goal_view.ranking_table(part.rows, lang), hide_index=True, key="ranking")
elif shape.cells == goal_view.CellsPanel.ROOT_ONLY:
    st.caption(t("root_only_goal", lang))

widgets.data_footer(lang)
