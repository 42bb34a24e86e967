"""Chỉ tiêu: one goal — its definition, its years against the target, the cells behind it."""

import streamlit as st

from src import analysis, charts, goal_view
from src.i18n import escape_markdown, t
from src.ui import cache, widgets

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
per_org = cache.scorecard(filters.resolution.code, filters.year, filters.org_codes)
goal_cells = goal_view.cells(
    goal, cache.progress(filters.resolution.code, filters.year, filters.org_codes), per_org
)
row = goal_cells.row

left, right = st.columns([1, 2])
with left:
    widgets.goal_card(
        card, lang, gauge=goal.kind not in ("annual_rating", "qualitative"), link=False
    )
    widgets.provenance(row, goal, filters, names, goal_cells.counted, lang)
with right:
    st.subheader(t("def_head", lang))
    definition = goal_view.definition(goal, meta.indicators, lang, filters.resolution.term_end)
    st.markdown(f"*{definition.text}*")
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in definition.lines))

st.subheader(t("trend_head", lang))
trend = cache.trend(filters.resolution.code, goal.code, filters.org_codes)
trend_rows = trend.to_dict("records")
labels = {
    "actual": t("actual", lang),
    "target": t("target", lang),
    "pace": t("pace", lang),
    "projection": t("projection", lang),
}
if goal.kind == "term_cumulative" and card.applicable:
    projection = analysis.projection_line(trend, filters.resolution.term_years)
    st.plotly_chart(
        charts.cumulative_vs_pace(
            trend_rows,
            goal.target or 0.0,
            list(zip(projection["year"], projection["value"], strict=True)),
            lang,
            labels,
        ),
        key="trend",
        config=widgets.STATIC,
    )
    for line in goal_view.term_lines(goal, row, filters.resolution, lang):
        st.markdown(f"- {line}")
elif goal.kind in ("annual_ratio", "annual_count", "annual_rating") and card.applicable:
    st.plotly_chart(
        charts.trend(
            trend_rows, goal.target, lang, "%" if goal.kind == "annual_ratio" else "", labels
        ),
        key="trend",
        config=widgets.STATIC,
    )
elif goal.kind == "qualitative":
    st.dataframe(goal_view.assessment_table(trend, lang), hide_index=True, key="assess")
else:
    st.info(escape_markdown(card.note), icon=":material/info:")

if goal.kind == "annual_ratio" and goal.level == "org":
    st.subheader(t("ranking_head", lang, year=filters.year))
    if goal_cells.capped:
        st.warning(t("cap_cell_warning", lang, n=goal_cells.capped), icon=":material/warning:")
    if goal.counts_organisations:
        head = goal_view.not_covered_head(goal, meta.indicators, filters.year, lang)
        st.markdown(f"**{escape_markdown(head)}**")
        missing = goal_view.not_covered_table(goal, per_org, lang)
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
elif goal.level == "root":
    st.caption(t("root_only_goal", lang))

widgets.data_footer(lang)
