"""Tổng quan: one gauge per quantitative goal, status cards for the others."""

import streamlit as st

from src.ui import cache, widgets
from src.views import overview

lang = widgets.lang()
filters = widgets.sidebar_filters(lang)
view = cache.overview_view(filters.resolution, filters.year, filters.org_codes, filters.label, lang)

st.title(view.title)
st.caption(view.caption)
widgets.demo_banner(lang)
st.markdown(view.summary)
if view.table is not None:
    st.subheader(widgets.t("summary_table_head", lang))
    st.dataframe(
        view.table,
        hide_index=True,
        key="summary-table",
        column_config=widgets.column_widths(view.table_widths),
        row_height=overview.TABLE_ROW_PX,
        height=view.table_height,
    )

for heading, cards, with_gauge in (
    ("section_annual", view.gauges_annual, True),
    ("section_term", view.gauges_term, True),
    ("section_cards", view.cards, False),
):
    if not cards:  # a resolution without goals of this group: no empty heading
        continue
    st.subheader(widgets.t(heading, lang))
    grid = st.grid(4, gap="small")
    for card in cards:
        with grid:
            widgets.goal_card(card, lang, gauge=with_gauge)

widgets.data_footer(lang)
