"""The "Nghị quyết" page's tables: installed resolutions, a workbook's problems, its goals in
plain words. Pure: plain objects in, DataFrames of display text out (no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from src.domain.models import Goal, Indicator, Resolution
from src.i18n import fmt_num, t
from src.ingest.resolution_book import BookProblem, describe_goal
from src.ingest.resolutions import InstallPreview
from src.store.catalogue import ResolutionDoc


def years_text(resolution: Resolution) -> str:
    years = list(resolution.term_years)
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def installed_table(
    resolutions: Sequence[Resolution],
    versions: Mapping[str, tuple[int, int | None]],
    goal_counts: Mapping[str, int],
    lang: str,
) -> pd.DataFrame:
    """One row per installed resolution, the default one marked."""
    rows = []
    for r in resolutions:
        version, batch = versions.get(r.code, (1, None))
        rows.append(
            {
                t("res_col_code", lang): r.code,
                t("res_col_name", lang): r.name(lang),
                t("res_col_term", lang): f"{r.term_start}–{r.term_end}",
                t("res_col_years", lang): years_text(r),
                t("res_col_base", lang): str(r.base),
                t("res_col_goals", lang): fmt_num(goal_counts.get(r.code, 0), lang),
                t("res_col_version", lang): fmt_num(version, lang),
                t("res_col_source", lang): (
                    t("res_source_shipped", lang)
                    if batch is None
                    else t("res_source_batch", lang, batch=batch)
                ),
                t("res_col_default", lang): "✓" if r.is_default else "",
            }
        )
    return pd.DataFrame(rows)


def book_problems_table(problems: Sequence[BookProblem], lang: str) -> pd.DataFrame:
    """Every problem of a workbook: sheet, row, column, what is wrong."""
    return pd.DataFrame(
        {
            t("res_col_sheet", lang): [p.sheet or "" for p in problems],
            t("col_row", lang): [str(p.row) if p.row is not None else "" for p in problems],
            t("col_column", lang): [p.column or "" for p in problems],
            t("col_message", lang): [p.message(lang) for p in problems],
        }
    )


def goals_table(
    goals: Sequence[Goal], indicators: Mapping[str, Indicator], lang: str
) -> pd.DataFrame:
    """Each goal as it will be computed, in plain words."""
    return pd.DataFrame(
        {
            t("res_col_goal", lang): [g.code for g in goals],
            t("res_col_title", lang): [("↳ " if g.parent else "") + g.title(lang) for g in goals],
            t("res_col_computed", lang): [describe_goal(g, indicators, lang) for g in goals],
        }
    )


def doc_indicators(doc: ResolutionDoc, installed: Sequence[Indicator]) -> dict[str, Indicator]:
    """Every indicator a workbook's goals may read: the installed ones and its own."""
    return {i.code: i for i in [*installed, *doc.indicators]}


def replaces_text(seen: InstallPreview, lang: str) -> str | None:
    """What installing a new version of an installed resolution does to its goals (added,
    changed, unchanged, removed); None for a first install."""
    if not seen.replaces:
        return None
    return t(
        "res_replaces",
        lang,
        added=len(seen.added),
        changed=len(seen.changed),
        unchanged=len(seen.unchanged),
        removed=len(seen.removed),
    )
