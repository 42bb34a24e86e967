"""The Nghị quyết page's two ways to a resolution, drawn: a workbook's preview, checks and
install (shared by an uploaded workbook and a draft), and the draft from the resolution's
own text (paste or upload, the proposed goals beside their sentences, an editable table,
the resolution's facts). Nothing is installed but by the install button."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from src.domain.models import Indicator
from src.i18n import escape_markdown, fmt_num, t
from src.ingest import IngestError, draft_book
from src.ingest.draft import draft, normalise
from src.ui import actions, cache, widgets
from src.views import draft_view
from src.views.resolution_view import (
    book_problems_table,
    doc_indicators,
    goals_table,
    replaces_text,
)

TEXT_MAX_CHARS = 300_000  # some 100 pages; the .txt cap (draft_book.TEXT_MAX_BYTES) is 2 MB
MB = 1024 * 1024
# What a draft keeps between runs (all under "draft_"): the proposed rows (codes, spans),
# the resolution's facts, the generation its widgets are keyed by, and the one-use token
# an install spends (a second click on the same draft installs nothing).
ROWS, FACTS, GEN, TOKEN, INPUT = "draft_rows", "draft_facts", "draft_gen", "draft_token", "draft_n"


def preview_and_install(
    data: bytes,
    file_name: str,
    who: str,
    can_edit: bool,
    lang: str,
    key: str,
    done: Callable[[], None],
    errors_key: str = "res_errors",
    token_key: str | None = None,
) -> None:
    """A resolution workbook's checks (every problem with its sheet, row and column) or its
    preview (each goal in plain words, what it replaces), then the install button; ``done``
    runs once it is installed. With ``token_key``, an install first spends that token."""
    found = actions.resolution_preview(data, file_name)
    if found.doc is None:
        st.error(t(errors_key, lang, n=len(found.errors)), icon=":material/error:")
        st.dataframe(book_problems_table(found.errors, lang), hide_index=True, key=f"{key}_errs")
        st.button(t("res_install", lang), type="primary", disabled=True, key=f"{key}_go")
        return
    doc = found.doc
    seen = cache.install_preview(doc)
    st.markdown(
        t(
            "res_preview",
            lang,
            name=escape_markdown(doc.resolution.name(lang)),
            code=escape_markdown(doc.resolution.code),
            start=doc.resolution.term_start,
            end=doc.resolution.term_end,
            goals=len(doc.goals),
            indicators=len(doc.indicators),
            version=seen.version,
        )
    )
    replaces = replaces_text(seen, lang)
    if replaces:
        st.info(replaces)
    known = doc_indicators(doc, cache.meta().indicators)
    st.dataframe(
        goals_table(doc.goals, known, lang),
        hide_index=True,
        key=f"{key}_goals",
        column_config={
            t("res_col_goal", lang): st.column_config.TextColumn(width="small"),
            t("res_col_title", lang): st.column_config.TextColumn(width="medium"),
            t("res_col_computed", lang): st.column_config.TextColumn(width="large"),
        },
    )
    same = seen.replaces and not (seen.added or seen.changed or seen.removed)
    if same:
        st.info(t("res_same", lang))
    if not st.button(
        t("res_install", lang), type="primary", disabled=not can_edit or same, key=f"{key}_go"
    ):
        return
    token = st.session_state.pop(token_key, None) if token_key else True
    if token is None:
        st.warning(t("draft_gone", lang), icon=":material/info:")
        return
    try:
        result = actions.install_resolution(doc, file_name, data, who)
    except IngestError as exc:
        if token_key:
            st.session_state[token_key] = token  # not installed: the draft may be tried again
        widgets.refused(exc.problems, lang)
        return
    done()
    widgets.flash(
        "res_flash",
        t(
            "res_install_done",
            lang,
            code=result.code,
            version=result.version,
            batch=result.batch_id,
        ),
    )


# --- the draft --------------------------------------------------------------------------


def clear_draft() -> None:
    """Forget the draft and empty its text box and file: installed or discarded."""
    for name in (ROWS, FACTS, TOKEN):
        st.session_state.pop(name, None)
    st.session_state[INPUT] = st.session_state.get(INPUT, 0) + 1
    st.session_state[GEN] = st.session_state.get(GEN, 0) + 1


def _read(text: str, upload: Any, indicators: Sequence[Indicator], lang: str) -> None:
    """Read the file chosen (else the text pasted) and keep its draft; a file or text that
    cannot be read is said in words and changes nothing."""
    if upload is not None:
        try:
            source = draft_book.read_upload(upload.getvalue(), upload.name)
        except draft_book.DraftInputError as exc:
            st.error(
                t(
                    "draft_file_refused",
                    lang,
                    name=escape_markdown(upload.name),
                    why=escape_markdown(exc.message(lang)),
                ),
                icon=":material/error:",
            )
            return
    elif not text.strip():
        st.warning(t("draft_no_input", lang), icon=":material/info:")
        return
    elif len(text) > TEXT_MAX_CHARS:
        st.error(
            t("draft_too_long", lang, n=fmt_num(TEXT_MAX_CHARS, lang)), icon=":material/error:"
        )
        return
    else:
        source = normalise(text)
    found = draft(source, indicators)
    if not found.rows:
        st.warning(t("dr_nothing_found", lang), icon=":material/info:")
        return
    f = found.facts
    st.session_state[ROWS] = found.as_dicts()
    st.session_state[FACTS] = {
        "code": f.code,
        "name_vi": f.name_vi,
        "term_start": f.term_start,
        "term_end": f.term_end,
    }
    st.session_state[TOKEN] = uuid.uuid4().hex
    st.session_state[GEN] = st.session_state.get(GEN, 0) + 1  # fresh table and facts


def _columns(indicators: Sequence[Indicator], lang: str) -> dict[str, Any]:
    cc = st.column_config
    names = list(draft_view.indicator_options(indicators, lang))

    def label(name: str) -> str:
        return t(f"draft_col_{name}", lang)

    return {
        "code": cc.TextColumn(
            label("code"), required=True, max_chars=20, width="small", pinned=True
        ),
        "parent": cc.TextColumn(label("parent"), max_chars=20, width="small"),
        "title_vi": cc.TextColumn(label("title"), max_chars=300, width="medium"),
        "measure": cc.SelectboxColumn(
            label("measure"), options=list(draft_view.measure_options(lang)), required=True
        ),
        "over": cc.SelectboxColumn(
            label("over"), options=list(draft_view.over_options(lang)), required=True
        ),
        "comparison": cc.SelectboxColumn(
            label("comparison"), options=list(draft_view.comparison_options(lang)), required=True
        ),
        "target": cc.NumberColumn(label("target"), format="%g"),
        "target_max": cc.NumberColumn(
            label("target_max"),
            format="%g",
            width="small",
            help=t("draft_col_target_max_help", lang),
        ),
        "numerator": cc.SelectboxColumn(label("numerator"), options=names, width="large"),
        "numerator_expr": cc.TextColumn(label("numerator_expr"), max_chars=500),
        "denominator": cc.SelectboxColumn(label("denominator"), options=names, width="large"),
        "denominator_expr": cc.TextColumn(label("denominator_expr"), max_chars=500),
        "source_text": cc.TextColumn(label("source"), disabled=True, width="large"),
    }


def draft_section(who: str, can_edit: bool, lang: str) -> None:
    """Paste or upload the resolution's text; correct the goals it proposes; check; install."""
    indicators = cache.meta().indicators
    st.subheader(t("draft_head", lang))
    st.caption(t("draft_help", lang))
    n = st.session_state.get(INPUT, 0)
    text = st.text_area(
        t("draft_paste", lang),
        key=f"draft_text_{n}",
        max_chars=TEXT_MAX_CHARS,
        height=160,
        help=t("draft_paste_help", lang, n=fmt_num(TEXT_MAX_CHARS, lang)),
    )
    upload = widgets.file_box(
        t("draft_file", lang, mb=draft_book.DOCX_MAX_BYTES // MB),
        ["txt", "docx"],
        f"draft_file_{n}",
        lang,
        max_mb=draft_book.DOCX_MAX_BYTES // MB,
    )
    if st.button(t("draft_read", lang), key="draft_read", icon=":material/auto_awesome:"):
        _read(text or "", upload, indicators, lang)
    rows = st.session_state.get(ROWS)
    if not rows:
        return
    gen = st.session_state.get(GEN, 0)
    facts = st.session_state.get(FACTS, {})
    st.success(t("draft_found", lang, n=len(rows)), icon=":material/check_circle:")

    st.markdown(f"**{t('draft_sources_head', lang)}**")
    with st.container(height=320, border=True, key="draft_sources"):
        st.markdown(draft_view.sources_markdown(rows))

    st.markdown(f"**{t('draft_facts_head', lang)}**")
    c1, c2, c3, c4 = st.columns([2, 4, 1.5, 1.5])
    code = c1.text_input(
        t("draft_code", lang), value=facts.get("code", ""), max_chars=40, key=f"draft_code_{gen}"
    )
    name = c2.text_input(
        t("draft_name", lang),
        value=facts.get("name_vi", ""),
        max_chars=300,
        key=f"draft_name_{gen}",
    )
    start = c3.number_input(
        t("draft_start", lang),
        value=facts.get("term_start"),
        min_value=1900,
        max_value=2200,
        step=1,
        key=f"draft_start_{gen}",
    )
    end = c4.number_input(
        t("draft_end", lang),
        value=facts.get("term_end"),
        min_value=1900,
        max_value=2200,
        step=1,
        key=f"draft_end_{gen}",
    )

    st.markdown(f"**{t('draft_table_head', lang)}**")
    st.caption(t("draft_table_help", lang))
    edited = st.data_editor(
        draft_view.editor_table(rows, indicators, lang),
        key=f"draft_editor_{gen}_{lang}",
        num_rows="dynamic",
        hide_index=True,
        placeholder="",  # an empty cell (no upper bound, no name picked) reads as empty
        column_config=_columns(indicators, lang),
        column_order=draft_view.COLUMNS,
        height=min(35 * (len(rows) + 2) + 3, 600),  # every row at once, up to some fifteen
    )
    data = draft_book.to_workbook(
        draft_view.edited_rows(edited, indicators, lang),
        {"code": code, "name_vi": name, "term_start": start, "term_end": end},
        lang,
    )

    st.markdown(f"**{t('draft_check_head', lang)}**")
    preview_and_install(
        data,
        t("draft_file_name", lang),
        who,
        can_edit,
        lang,
        key="draft",
        done=clear_draft,
        errors_key="draft_errors",
        token_key=TOKEN,
    )
    # forgotten in the callback, before the run the click starts: that one run draws the
    # page without the draft (no second run, st.rerun, for the browser to draw again)
    st.button(
        t("draft_discard", lang),
        key="draft_discard",
        icon=":material/delete:",
        on_click=clear_draft,
    )
