"""Cập nhật số liệu: template, upload with preview, apply, history with undo, forms."""

import streamlit as st

from src.i18n import escape_markdown, t
from src.ui import actions, cache, clicks, widgets
from src.views.upload_view import (
    changes_table,
    history_table,
    organisations_page,
    organisations_table,
    problems_table,
    undo_changes_caption,
    undo_changes_table,
    undo_summary,
    undoable,
)

lang = widgets.lang()
meta = cache.meta()
resolution = widgets.chosen_resolution(lang)
st.title(t("upload_title", lang))
widgets.demo_banner(lang)

who, can_edit = actions.editor_sidebar(lang)  # who writes, and the editor password
st.caption(escape_markdown(actions.backups_note(lang)))

years = sorted({resolution.base, *resolution.term_years})  # the base year too
# the other tabs run only when open (a rerun when the reader switches): at a country's size
# the history's undo preview and the organisations' list are not worked out for an upload
tab_upload, tab_history, tab_assess, tab_orgs = widgets.lazy_tabs(
    "upload_tab",
    [t("tab_upload", lang), t("tab_history", lang), t("tab_assess", lang), t("tab_orgs", lang)],
)

# the upload tab is always drawn (it is cheap: its preview is kept per file and data
# version), so that a file chosen there stays chosen while the reader looks at another tab
with tab_upload:
    st.subheader(t("template_head", lang))
    st.caption(t("template_help", lang))
    c1, c2, c3 = st.columns([1, 2, 2], vertical_alignment="bottom")
    tyear = c1.selectbox(t("template_year", lang), years, index=len(years) - 1, key="tyear")
    c2.download_button(
        t("download_xlsx", lang),
        actions.template(tyear, "xlsx", resolution.code),
        file_name=f"mau-so-lieu-{tyear}.xlsx",
        key="dl-xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    c3.download_button(
        t("download_csv", lang),
        actions.template(tyear, "csv", resolution.code),
        file_name=f"mau-so-lieu-{tyear}.csv",
        mime="text/csv",
        key="dl-csv",
    )

    st.subheader(t("upload_head", lang))
    st.caption(t("upload_help", lang))
    upload = widgets.file_box(t("choose_file", lang), ["csv", "txt", "tsv", "xlsx"], "upload", lang)
    if upload is not None:
        data = upload.getvalue()
        st.subheader(t("preview_head", lang))
        look = actions.preview(data, upload.name, lang)
        if look.plan is None:  # the same file again is refused: nothing to read or preview
            batch, when = look.applied
            st.info(t("already_applied_note", lang, batch=batch, when=when))
        else:
            plan = look.plan
            if plan.kind:
                st.markdown(t("file_kind", lang, kind=t("kind_" + plan.kind, lang), rows=plan.rows))
            if plan.errors:
                st.error(t("errors_found", lang, n=len(plan.errors)), icon=":material/error:")
                # a static table: long messages wrap and read in full (a data grid cuts them);
                # past a screenful it scrolls under its header
                with st.container(key="errors"):
                    st.table(
                        problems_table(plan.errors, lang, markdown=True),
                        hide_index=True,
                        height="content" if len(plan.errors) <= 12 else 640,
                    )
            else:
                m1, m2, m3 = st.columns(3)
                m1.metric(t("n_added", lang), plan.added)
                m2.metric(t("n_changed", lang), plan.changed)
                m3.metric(t("n_unchanged", lang), plan.unchanged)
                if plan.warnings:
                    st.warning(
                        t("warnings_found", lang, n=len(plan.warnings))
                        + "\n\n"
                        + "\n".join(
                            f"- {escape_markdown(p.render(lang))}" for p in plan.warnings[:20]
                        )
                    )
                if plan.changed:
                    st.markdown(f"**{t('changes_head', lang)}**")
                    st.dataframe(changes_table(plan, lang), hide_index=True, key="changes")
                if not (plan.added or plan.changed):
                    st.info(t("nothing_new", lang))
                else:
                    clicks.write_button(
                        t("apply", lang),
                        "apply",
                        clicks.applying(data, upload.name),
                        "flash",
                        primary=True,
                        disabled=not can_edit,
                    )
    clicks.said("flash")

if tab_history.open:
    with tab_history:
        st.subheader(t("history_head", lang))
        batches = actions.history()
        st.dataframe(history_table(batches, lang), hide_index=True, key="history")
        st.subheader(t("undo_head", lang))
        applied = undoable(batches)
        if not applied:
            st.caption(t("nothing_to_undo", lang))
        else:
            newest = next(iter(applied))
            # keyed on the newest batch: a new batch (here or in another tab) selects itself
            batch = st.selectbox(
                t("undo_pick", lang),
                list(applied),
                index=0,
                key=f"undo_batch_{newest}",
                format_func=lambda b: f"{b} · {applied[b]}",
            )
            preview, seen = actions.undo_plan(batch)
            st.markdown(f"**{t('undo_confirm_head', lang)}**")
            for line in undo_summary(preview, lang):
                st.text(line)
            changes = undo_changes_table(preview, lang)
            if len(changes):
                st.caption(undo_changes_caption(preview, lang))
                st.dataframe(changes, hide_index=True, key="undo_changes")
            confirm = f"undo_confirm_{batch}_{seen}"
            confirmed = st.checkbox(t("undo_confirm_check", lang, batch=batch), key=confirm)
            clicks.write_button(
                t("undo_button", lang),
                "undo",
                clicks.undoing(batch, seen, confirm),
                "flash_undo",
                disabled=not can_edit or not confirmed,
            )
        clicks.said("flash_undo", ":material/undo:")

if tab_assess.open:
    with tab_assess:
        st.subheader(t("assess_head", lang))
        qualitative = widgets.qualitative_goals(resolution.code, lang)
        token = widgets.form_token("assess")
        with st.form("assess_form", enter_to_submit=False):
            ayear = st.selectbox(t("year", lang), years, index=len(years) - 1)
            goal = st.selectbox(
                t("goal", lang), list(qualitative), format_func=lambda c: f"{c} · {qualitative[c]}"
            )
            status = st.radio(
                t("assess_status", lang),
                ["met", "near", "missed"],
                horizontal=True,
                format_func=lambda s: t("assess_" + s, lang),
            )
            note = st.text_area(t("note", lang), max_chars=2000)
            if st.form_submit_button(t("save", lang), disabled=not can_edit):
                data = actions.assessment_file(resolution.code, ayear, goal, status, note)
                try:
                    res = actions.apply_file(
                        data,
                        f"{t('kind_form', lang)}: {goal} {ayear}",
                        who,
                        resolution.code,
                        form_token=token,
                    )
                except actions.IngestError as exc:
                    widgets.refused(exc.problems, lang)
                else:
                    widgets.form_token("assess", renew=True)
                    st.success(t("saved", lang, batch=res.batch_id))

if tab_orgs.open:
    with tab_orgs:
        st.subheader(t("orgs_head", lang))
        query, page = widgets.finder("orgs", lang)
        part = organisations_page(meta.organisations, query, page)
        st.caption(t("ranking_window", lang, n=part.matched, page=part.page, pages=part.pages))
        st.dataframe(organisations_table(part.rows, lang), hide_index=True, key="orgs")
        st.caption(t("org_upload_hint", lang))
        st.subheader(t("org_form_head", lang))
        st.caption(t("org_form_help", lang))
        token = widgets.form_token("org")
        kinds = ["grassroots_cell", "grassroots_committee", "subcell", "root"]
        with st.form("org_form", enter_to_submit=False):
            c1, c2 = st.columns([1, 3])
            code = c1.text_input(t("org_code", lang), max_chars=40)
            name = c2.text_input(t("org_name", lang), max_chars=200)
            c3, c4, c5 = st.columns(3)
            kind = c3.selectbox(
                t("org_kind", lang), kinds, format_func=lambda k: t("kind_" + k, lang)
            )
            parent = c4.text_input(t("org_parent", lang), value=widgets.root_code() or "")
            group = c5.text_input(t("org_group", lang))
            c6, c7 = st.columns(2)
            start = c6.number_input(
                t("org_from", lang), min_value=1990, max_value=2100, value=None, step=1
            )
            end = c7.number_input(
                t("org_to", lang), min_value=1990, max_value=2100, value=None, step=1
            )
            if st.form_submit_button(t("save", lang), disabled=not can_edit):
                data = actions.organisation_file(
                    {
                        "org_code": code.strip(),
                        "name": name.strip(),
                        "kind": kind,
                        "parent_code": "" if kind == "root" else parent.strip(),
                        "group": group.strip(),
                        "active_from": start,
                        "active_to": end,
                    }
                )
                try:
                    res = actions.apply_file(
                        data, f"{t('kind_form', lang)}: {code}", who, form_token=token
                    )
                except actions.IngestError as exc:
                    widgets.refused(exc.problems, lang)
                else:
                    widgets.form_token("org", renew=True)
                    st.success(t("saved", lang, batch=res.batch_id))
