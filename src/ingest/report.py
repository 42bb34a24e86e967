"""Tables of a plan for people to read: problems and changes, in the reader's language."""

from __future__ import annotations

import pandas as pd

from src.i18n import fmt_date, fmt_num, t
from src.ingest.errors import Problem
from src.ingest.plan import Plan


def problems_table(problems: list[Problem], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_row", lang): [p.row if p.row is not None else "" for p in problems],
            t("col_column", lang): [p.column or "" for p in problems],
            t("col_message", lang): [p.message(lang) for p in problems],
        }
    )


def changes_table(plan: Plan, lang: str, limit: int = 500) -> pd.DataFrame:
    """What a plan changes, old → new (the first ``limit`` changes)."""
    frame = plan.changes.head(limit).copy()
    if frame.empty:
        return frame
    for col in ("old", "new"):
        if col in frame and frame[col].dtype.kind in "fi":
            frame[col] = [fmt_num(v, lang, 0 if float(v).is_integer() else 2) for v in frame[col]]
    return frame.rename(
        columns={
            "old": t("col_old", lang),
            "new": t("col_new", lang),
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
            t("n_added", lang): batches["added"],
            t("n_changed", lang): batches["changed"],
            t("n_unchanged", lang): batches["unchanged"],
            t("col_status", lang): [t("batch_" + s, lang) for s in batches["status"]],
        }
    )


def undoable(batches: pd.DataFrame) -> dict[int, str]:
    """Batches still applied, newest first: batch id → file name."""
    applied = batches[batches["status"] == "applied"]
    return {int(b): str(f) for b, f in zip(applied["batch_id"], applied["file_name"], strict=True)}


def later_batches(conflicts: pd.DataFrame) -> str:
    """The later batches that changed a batch's values, as "5, 7" ("–" when unknown)."""
    ids = sorted({int(b) for b in conflicts["later_batch"].dropna()})
    return ", ".join(str(b) for b in ids) or "–"


_KINDS = {"kind_long", "kind_wide", "kind_organisations", "kind_assessments", "kind_form"}
