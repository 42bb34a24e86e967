"""Nghị quyết: the installed resolutions, the default one, templates, install (from a
workbook or drafted from the resolution's text), edit a goal."""

import streamlit as st

from src.i18n import t
from src.ui import actions, cache, resolution_ui, widgets
from src.views.resolution_view import book_problems_table, installed_table

lang = widgets.lang()
meta = cache.meta()
chosen = widgets.chosen_resolution(lang)
st.title(t("res_title", lang))
widgets.demo_banner(lang)
st.caption(t("res_intro", lang))

who, can_edit = actions.editor_sidebar(lang)  # who writes, and the editor password
widgets.flashed("res_flash")

st.subheader(t("res_installed_head", lang))
st.dataframe(
    installed_table(meta.resolutions, cache.resolution_versions(), cache.goal_counts(), lang),
    hide_index=True,
    key="installed",
)
codes = [r.code for r in meta.resolutions]
names = {r.code: r.short(lang) for r in meta.resolutions}

c1, c2 = st.columns(2)
with c1:
    st.markdown(f"**{t('res_default_head', lang)}**")
    default = next((r.code for r in meta.resolutions if r.is_default), codes[0])
    pick = st.selectbox(
        t("res_default_head", lang),
        codes,
        index=codes.index(default),
        format_func=lambda c: names[c],
        key="res_default_pick",
        help=t("res_default_help", lang),
        label_visibility="collapsed",
    )
    if st.button(
        t("res_default_set", lang), disabled=not can_edit or pick == default, key="res_default"
    ):
        actions.set_default_resolution(pick)
        widgets.flash("res_flash", t("res_default_done", lang, name=names[pick]))
with c2:
    st.markdown(f"**{t('res_download_head', lang)}**")
    book = st.selectbox(
        t("res_download_head", lang),
        codes,
        index=codes.index(chosen.code),
        format_func=lambda c: names[c],
        key="res_download_pick",
        label_visibility="collapsed",
    )
    st.download_button(
        t("res_download", lang),
        actions.resolution_workbook(book, lang),
        file_name=f"nghi-quyet-{book}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="res_download",
    )

st.subheader(t("res_template_head", lang))
st.caption(t("res_template_help", lang))
d1, d2 = st.columns(2)
d1.download_button(
    t("res_template_download", lang),
    cache.resolution_template(lang),
    file_name="mau-nghi-quyet.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="res_template",
)
d2.download_button(
    t("res_example_download", lang),
    cache.resolution_example(lang),
    file_name="vi-du-nghi-quyet-2025-2030.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="res_example",
)

st.subheader(t("res_upload_head", lang))
upload = widgets.file_box(
    t("res_choose_file", lang),
    ["xlsx", "zip"],
    f"res_upload_{st.session_state.get('res_upload_n', 0)}",  # emptied once installed
    lang,
)
if upload is not None:
    resolution_ui.preview_and_install(
        upload.getvalue(),
        upload.name,
        who,
        can_edit,
        lang,
        key="res",
        done=lambda: st.session_state.update(
            res_upload_n=st.session_state.get("res_upload_n", 0) + 1
        ),
    )

resolution_ui.draft_section(who, can_edit, lang)

st.subheader(t("res_edit_head", lang))
st.caption(t("res_edit_help", lang))
editable = [g for g in cache.goals(chosen.code) if g.measure != "qualitative"]
if editable:
    goal = widgets.goal_picker(editable, lang)
    with st.form(f"res_edit_{chosen.code}_{goal.code}"):
        target = st.number_input(
            t("res_edit_target", lang), value=float(goal.target or 0.0), format="%g"
        )
        target_max = (
            st.number_input(
                t("res_edit_target_max", lang), value=float(goal.target_max or 0.0), format="%g"
            )
            if goal.comparison == "between"
            else None
        )
        title = st.text_input(t("res_edit_title", lang), value=goal.title_vi, max_chars=300)
        text = st.text_area(t("res_edit_text", lang), value=goal.text_vi, max_chars=2000)
        if st.form_submit_button(t("res_edit_save", lang), disabled=not can_edit):
            try:
                outcome = actions.edit_goal(
                    chosen.code, goal.code, target, target_max, title, text, who
                )
            except actions.IngestError as exc:
                widgets.refused(exc.problems, lang)
            else:
                if hasattr(outcome, "errors"):
                    st.dataframe(
                        book_problems_table(outcome.errors, lang), hide_index=True, key="res_eerr"
                    )
                else:
                    done = t(
                        "res_install_done",
                        lang,
                        code=outcome.code,
                        version=outcome.version,
                        batch=outcome.batch_id,
                    )
                    widgets.flash("res_flash", done)
widgets.data_footer(lang)
