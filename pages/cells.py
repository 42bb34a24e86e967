"""Chi bộ: the scorecard (cells × goals), a cell's profile, who reported what."""

import streamlit as st

from src.i18n import escape_markdown, t
from src.ui import cache, widgets
from src.views import cell_view, charts

lang = widgets.lang()
filters = widgets.sidebar_filters(lang)
goals = cache.goals(filters.resolution.code)
meta = cache.meta()
names = meta.names

st.title(t("cells_title", lang))
st.caption(filters.caption(lang))
widgets.demo_banner(lang)

st.subheader(t("scorecard_head", lang, year=filters.year))
st.caption(t("scorecard_help", lang))
whole = cache.scorecard_grid(filters.resolution.code, filters.year, filters.org_codes)
titles = cell_view.goal_titles(goals, whole.goal_codes, lang)
query, order, page = widgets.scorecard_finder(titles, lang)
shown = cell_view.window(whole, query, order, page)
widgets.scorecard_pages(shown, lang)
grid = shown.grid
with widgets.scroll_wide("heatmap-box", charts.heatmap_min_width(len(grid.goal_codes))):
    st.plotly_chart(
        charts.heatmap(*cell_view.heatmap_inputs(grid), lang), key="heatmap", config=widgets.STATIC
    )
before = filters.year - 1
show_change = before in filters.resolution.term_years and widgets.scorecard_mode(before, lang)
if show_change:
    previous = cache.scorecard(filters.resolution.code, before, list(grid.values.index))
    table = cell_view.styled_change(cell_view.change_grid(grid, previous, goals), lang)
else:
    table = cell_view.styled(grid, lang)
picked = widgets.scorecard_table(table, titles, lang)
widgets.open_clicked_goal(picked, list(grid.values.index), grid.goal_codes)
rows = picked.selection.rows if picked else []
if rows:
    st.session_state["cell"] = str(grid.values.index[rows[0]])

options = cell_view.pickable(
    shown, whole, st.session_state.get("cell") or st.query_params.get("cell")
)
cell = widgets.cell_picker(options, names, lang)
if cell:
    st.subheader(t("profile_head", lang, name=escape_markdown(names.get(cell, cell))))
    profile = cache.profile(filters.resolution.code, cell)
    st.dataframe(cell_view.profile_table(profile, goals, lang), key="profile")
    measured = [g for g in goals if g.code in grid.goal_codes]
    st.plotly_chart(
        charts.small_multiples(
            [f"{g.code} · {g.title(lang)}" for g in measured],
            [cell_view.profile_rows(profile, g.code) for g in measured],
            [g.target for g in measured],
            lang,
        ),
        key="profile-trends",
        config=widgets.STATIC,
    )

st.subheader(t("reporting_head", lang))
years = list(filters.resolution.term_years)
st.caption(t("reporting_help", lang, n=len(meta.indicators)))
listed = cell_view.reporting_codes(grid, meta.organisations)  # the screenful, the root
st.dataframe(
    cell_view.reporting_grid(
        cache.reporting(years[0], years[-1], listed), meta.organisations, years, lang, listed
    ),
    key="reporting",
)
with st.expander(t("reporting_year_head", lang, year=filters.year)):
    st.dataframe(
        cell_view.reported_detail(
            cache.reported_indicators(filters.year, listed),
            meta.organisations,
            meta.indicators,
            lang,
            listed,
        ),
        key="reporting-detail",
    )
widgets.data_footer(lang)
