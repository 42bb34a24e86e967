"""Tables of a plan for people to read: problems and changes, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from src.domain import paging
from src.i18n import escape_markdown, fmt_date, fmt_num, t
from src.ingest.apply import CHANGES_SHOWN, UndoPreview
from src.ingest.checks import Plan
from src.ingest.errors import Problem


def problems_table(problems: list[Problem], lang: str, markdown: bool = False) -> pd.DataFrame:
    """Row, column and message of each problem. ``markdown``: the text made safe for a table
    Streamlit renders as Markdown (``st.table``, which wraps long messages instead of
    cutting them), so that a cell shows as typed."""
    show = escape_markdown if markdown else str
    return pd.DataFrame(
        {
            t("col_row", lang): [p.row if p.row is not None else "" for p in problems],
            t("col_column", lang): [show(_column(p)) for p in problems],
            t("col_message", lang): [show(p.message(lang)) for p in problems],
        }
    )


def _column(problem: Problem) -> str:
    """A problem's column as a reader finds it: the spreadsheet's letter, then its header."""
    if problem.letter and problem.column:
        return f"{problem.letter} · {problem.column}"
    return problem.column or ""


def changes_table(plan: Plan, lang: str, limit: int = 500) -> pd.DataFrame:
    """What a plan changes, old → new (the first ``limit`` changes)."""
    return _old_new(plan.changes.head(limit), lang, t("col_old", lang), t("col_new", lang))


def _old_new(changes: pd.DataFrame, lang: str, old: str, new: str) -> pd.DataFrame:
    """Keys and old → new values for people: numbers as the reader writes them (an empty
    value as –), columns named in the reader's language (``old`` and ``new`` as given)."""
    frame = changes.copy()
    if frame.empty:
        return frame
    for col in ("old", "new"):
        if col in frame and frame[col].dtype.kind in "fi":
            frame[col] = [
                "–" if pd.isna(v) else fmt_num(v, lang, 0 if float(v).is_integer() else 2)
                for v in frame[col]
            ]
    return frame.rename(
        columns={
            "old": old,
            "new": new,
            "year": t("year", lang),
            "org_code": t("org_code", lang),
            "indicator_code": t("indicator", lang),
        }
    )


def history_table(batches: pd.DataFrame, lang: str) -> pd.DataFrame:
    if batches.empty:
        return batches
    return pd.DataFrame(
        {
            t("col_batch", lang): batches["batch_id"],
            t("col_when", lang): [fmt_date(v, lang, True) for v in batches["applied_at"]],
            t("col_who", lang): batches["applied_by"],
            t("col_file", lang): batches["file_name"],
            t("col_kind", lang): [
                t("kind_" + k, lang) if ("kind_" + k) in _KINDS else k for k in batches["file_kind"]
            ],
            # counts as the reader writes them (4.023), not as the browser's locale would
            t("n_added", lang): [fmt_num(n, lang, 0) for n in batches["added"]],
            t("n_changed", lang): [fmt_num(n, lang, 0) for n in batches["changed"]],
            t("n_unchanged", lang): [fmt_num(n, lang, 0) for n in batches["unchanged"]],
            t("col_status", lang): [t("batch_" + s, lang) for s in batches["status"]],
        }
    )


def undoable(batches: pd.DataFrame) -> dict[int, str]:
    """Batches still applied, newest first: batch id → file name."""
    applied = batches[batches["status"] == "applied"]
    return {int(b): str(f) for b, f in zip(applied["batch_id"], applied["file_name"], strict=True)}


def undo_summary(preview: UndoPreview, lang: str) -> list[str]:
    """What undoing a batch will do, in sentences: the file, its date, how many values go
    back to what, and what stays because later batches changed it."""
    when = fmt_date(preview.applied_at, lang, True)
    if not preview.total:
        return [
            t(
                "undo_confirm_nothing",
                lang,
                batch=preview.batch_id,
                file=preview.file_name,
                when=when,
            )
        ]
    counts = (
        ("undo_part_restored", preview.restored),
        ("undo_part_removed", preview.removed),
        ("undo_part_orgs", preview.organisations - preview.organisations_removed),
        ("undo_part_orgs_removed", preview.organisations_removed),
        ("undo_part_assessments", preview.assessments - preview.assessments_removed),
        ("undo_part_assessments_removed", preview.assessments_removed),
    )
    parts = "; ".join(t(key, lang, n=fmt_num(n, lang)) for key, n in counts if n)
    out = [
        t(
            "undo_confirm_summary",
            lang,
            batch=preview.batch_id,
            file=preview.file_name,
            when=when,
            parts=parts,
        )
    ]
    if preview.kept:
        later = ", ".join(str(b) for b in preview.later) or "–"
        out.append(t("undo_confirm_kept", lang, n=fmt_num(preview.kept, lang), later=later))
    return out


def undo_changes_caption(preview: UndoPreview, lang: str) -> str:
    shown = len(preview.changes)
    capped = shown >= CHANGES_SHOWN
    return t("undo_changes_first" if capped else "undo_changes_head", lang, n=fmt_num(shown, lang))


def undo_changes_table(preview: UndoPreview, lang: str) -> pd.DataFrame:
    """The values an undo changes, now → after (empty after: the value goes)."""
    return _old_new(preview.changes, lang, t("col_now", lang), t("col_after_undo", lang))


_KINDS = {"kind_long", "kind_wide", "kind_organisations", "kind_assessments", "kind_form"}


def organisations_page(orgs: pd.DataFrame, query: str, page: int) -> paging.Page:
    """A searched page of the organisations (code, name or group), for the Tổ chức tab. The
    texts searched are made only when the reader searches: at 250,000 organisations making
    them took 0.3-1 s of every rerun of the page, the rerun after an upload included."""
    return paging.page_of(orgs, _search_texts(orgs), query, page)


def _search_texts(orgs: pd.DataFrame) -> Iterator[str]:
    columns = (orgs[c].tolist() for c in ("org_code", "name", "group"))  # lists: 5x faster
    for c, n, g in zip(*columns, strict=True):
        yield f"{c} {n} {g if isinstance(g, str) else ''}"


def organisations_table(orgs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The organisations as the reader names them: headers, kinds and empty years in the
    reader's language (not ``org_code``, ``grassroots_cell``, ``None``)."""

    def year(value: object) -> str:
        return "" if value is None or pd.isna(value) else str(int(value))  # type: ignore[call-overload]

    return pd.DataFrame(
        {
            t("org_code", lang): orgs["org_code"],
            t("org_name", lang): orgs["name"],
            t("org_kind", lang): [t("kind_" + str(k), lang) for k in orgs["kind"]],
            t("org_parent", lang): orgs["parent_code"].fillna(""),
            t("org_group", lang): orgs["group"].fillna(""),
            t("org_from", lang): [year(v) for v in orgs["active_from"]],
            t("org_to", lang): [year(v) for v in orgs["active_to"]],
        }
    )
