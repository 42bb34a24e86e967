"""Báo cáo: the Word report and the Excel workbook of a year, or of the term up to a year,
for the organisations chosen in the sidebar."""

import streamlit as st

from src.i18n import escape_markdown, t
from src.ui import report_actions, widgets

lang = widgets.lang()
filters = widgets.sidebar_filters(lang)
first = filters.resolution.term_years[0]

st.title(t("rep_page_title", lang))
st.caption(f"{filters.resolution.short(lang)} · {escape_markdown(filters.label)}")
widgets.demo_banner(lang)
st.markdown(t("rep_page_help", lang))

period = st.radio(
    t("rep_period", lang),
    ["year", "term"],
    horizontal=True,
    key="rep_period",
    format_func=lambda p: (
        t("rep_period_year", lang, year=filters.year)
        if p == "year"
        else t("rep_period_term", lang, year=filters.year, first=first)
    ),
)

defaults = report_actions.default_letterhead(lang)
with st.expander(t("rep_letterhead", lang), icon=":material/edit_note:"):
    left, right = st.columns(2)
    superior = left.text_input(t("rep_superior", lang), defaults.superior, key="rep_superior")
    issuer = left.text_input(t("rep_issuer", lang), defaults.issuer, key="rep_issuer")
    number = left.text_input(t("rep_number_label", lang), defaults.number, key="rep_number")
    place = right.text_input(t("rep_place", lang), defaults.place, key="rep_place")
    signer = right.text_input(t("rep_signer_label", lang), defaults.signer, key="rep_signer")

can_draw = report_actions.can_draw_charts()
charts = st.toggle(t("rep_charts", lang), value=can_draw, disabled=not can_draw, key="rep_charts")
if not can_draw:
    st.caption(t("rep_no_browser", lang))

request = report_actions.request(
    filters.resolution,
    filters.year,
    filters.org_codes,
    period == "term",
    lang,
    report_actions.letterhead(superior, issuer, place, number, signer),
    charts,
)
word, excel, _ = st.columns([2, 2, 3])
word.download_button(
    t("rep_download_docx", lang),
    report_actions.docx(request),
    file_name=request.file_name("docx"),
    mime=report_actions.MIME["docx"],
    key="dl-report-docx",
    icon=":material/description:",
    type="primary",
    on_click="ignore",
)
excel.download_button(
    t("rep_download_xlsx", lang),
    report_actions.xlsx(request),
    file_name=request.file_name("xlsx"),
    mime=report_actions.MIME["xlsx"],
    key="dl-report-xlsx",
    icon=":material/table_view:",
    on_click="ignore",
)

if request.term:
    shown = t("rep_period_words_term", lang, first=first, year=filters.year)
else:
    shown = t("rep_period_words_year", lang, year=filters.year)
st.subheader(t("rep_preview", lang, period=shown))
preview = report_actions.preview(request)
st.dataframe(
    preview,
    hide_index=True,
    key="rep-preview",
    height=35 * (len(preview) + 1) + 3,
    column_config={t("rep_col_goal", lang): st.column_config.TextColumn(width="medium")},
)
widgets.data_footer(lang)
