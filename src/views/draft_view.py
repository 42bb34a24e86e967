"""The Nghị quyết page's draft: the proposed goals (src/ingest/draft.py) as an editable table
in words, and the edited table back to the rows src/ingest/draft_book.py writes as a workbook.
Pure: plain objects in, DataFrames and Markdown text out (no Streamlit, no database).

An indicator is shown by its Vietnamese name (names made unique), and ``@prev``/``@base``
as "… (đầu năm)" / "… (đầu nhiệm kỳ)"; an expression no single name says (a sum,
``count(…)``, a rating's list) stays in the "expression" column, which is read only when
no name is picked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from src.domain.models import Indicator
from src.i18n import escape_markdown, t
from src.ingest.draft import level_of

MEASURES = ("ratio", "sum", "rating", "growth")
OVERS = ("year", "term_total", "term_average", "by_end")
COMPARISONS = {">=": "ge", ">": "gt", "<=": "le", "<": "lt", "between": "between"}
SIDES = ("numerator", "denominator")
# The editor's columns, in order: what is most often corrected (the target) first, the
# sentence last and read-only; the spans stay out of the table.
COLUMNS = (
    "code",
    "title_vi",
    "target",
    "comparison",
    "target_max",
    "over",
    "measure",
    "numerator",
    "numerator_expr",
    "denominator",
    "denominator_expr",
    "parent",
    "source_text",
)


def indicator_options(indicators: Sequence[Indicator], lang: str = "vi") -> dict[str, str]:
    """Label → expression: each indicator by its name (with its code when two share a
    name), then the same at the start of the year (``@prev``) and of the term (``@base``)."""
    counts: dict[str, int] = {}
    for i in indicators:
        counts[i.name(lang)] = counts.get(i.name(lang), 0) + 1
    plain: dict[str, str] = {}
    for i in indicators:
        name = i.name(lang)
        plain[name if counts[name] == 1 else f"{name} [{i.code}]"] = i.code
    out = dict(plain)
    for label, code in plain.items():
        out[t("draft_at_prev", lang, name=label)] = f"{code}@prev"
    for label, code in plain.items():
        out[t("draft_at_base", lang, name=label)] = f"{code}@base"
    return out


def measure_options(lang: str = "vi") -> dict[str, str]:
    return {t(f"dr_measure_{m}", lang): m for m in MEASURES}


def over_options(lang: str = "vi") -> dict[str, str]:
    return {t(f"dr_over_{o}", lang): o for o in OVERS}


def comparison_options(lang: str = "vi") -> dict[str, str]:
    return {t(f"draft_cmp_{k}", lang): c for c, k in COMPARISONS.items()}


def _label(value: str, options: Mapping[str, str]) -> str | None:
    return next((label for label, v in options.items() if v == value), None)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(_text(value).replace(",", "."))
        except ValueError:
            return None
    return None if number != number else number


def editor_table(
    rows: Sequence[Mapping[str, Any]], indicators: Sequence[Indicator], lang: str = "vi"
) -> pd.DataFrame:
    """The draft's rows (``DraftRow.as_dict()``) as the editable table shows them."""
    names = indicator_options(indicators, lang)
    measures, overs, comparisons = (
        measure_options(lang),
        over_options(lang),
        comparison_options(lang),
    )
    records = []
    for row in rows:
        record: dict[str, Any] = {
            "code": _text(row.get("code")),
            "parent": _text(row.get("parent")),
            "title_vi": _text(row.get("title_vi")),
            "measure": _label(_text(row.get("measure")), measures),
            "over": _label(_text(row.get("over")), overs),
            "comparison": _label(_text(row.get("comparison")), comparisons),
            "target": _number(row.get("target")),
            "target_max": _number(row.get("target_max")),
            "source_text": _text(row.get("source_text")),
        }
        for side in SIDES:
            expr = _text(row.get(side))
            label = _label(expr, names) if expr else None
            record[side] = label
            record[f"{side}_expr"] = "" if label else expr
        records.append(record)
    table = pd.DataFrame(records, columns=list(COLUMNS))
    for column in ("target", "target_max"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("float64")
    return table


def edited_rows(
    table: pd.DataFrame, indicators: Sequence[Indicator], lang: str = "vi"
) -> list[dict[str, Any]]:
    """The edited table back to plain rows (codes, not labels) for ``draft_book.to_doc``:
    a picked name wins over the expression beside it; a label no list knows is kept as
    typed, for the workbook's checks to name. The level follows the indicators read."""
    names = indicator_options(indicators, lang)
    measures, overs, comparisons = (
        measure_options(lang),
        over_options(lang),
        comparison_options(lang),
    )
    out: list[dict[str, Any]] = []
    for record in table.to_dict("records"):
        if not any(_text(record.get(c)) for c in COLUMNS if c != "source_text"):
            continue  # an empty row added and left
        sides = {}
        for side in SIDES:
            picked = _text(record.get(side))
            sides[side] = names.get(picked, picked) if picked else _text(record.get(f"{side}_expr"))
        measure = measures.get(_text(record.get("measure")), _text(record.get("measure")))
        out.append(
            {
                "code": _text(record.get("code")),
                "parent": _text(record.get("parent")),
                "title_vi": _text(record.get("title_vi")),
                "measure": measure,
                "over": overs.get(_text(record.get("over")), _text(record.get("over"))),
                "comparison": comparisons.get(
                    _text(record.get("comparison")), _text(record.get("comparison"))
                ),
                "target": _number(record.get("target")),
                "target_max": _number(record.get("target_max")),
                "numerator": sides["numerator"],
                "denominator": "" if measure == "rating" else sides["denominator"],
                "level": level_of(sides["numerator"], sides["denominator"], indicators),
                "source_text": _text(record.get("source_text")),
            }
        )
    return out


def highlighted(row: Mapping[str, Any]) -> str:
    """One proposed goal's sentence as safe Markdown: its code, then the sentence escaped
    with the target's own words (its span) on an orange background."""
    text = str(row.get("source_text") or "")  # as read: the spans point into it
    code = escape_markdown(_text(row.get("code")))
    span, clause = row.get("span") or (0, 0), row.get("clause_span") or (0, 0)
    start, end = int(span[0]) - int(clause[0]), int(span[1]) - int(clause[0])
    if not 0 <= start < end <= len(text):
        return f"**{code}** · {escape_markdown(text)}"
    before, target, after = text[:start], text[start:end], text[end:]
    return (
        f"**{code}** · {escape_markdown(before)}"
        f":orange-background[**{escape_markdown(target)}**]{escape_markdown(after)}"
    )


def sources_markdown(rows: Sequence[Mapping[str, Any]]) -> str:
    """Every proposed goal's sentence, one list item each, "of which" goals indented."""
    return "\n".join(
        ("    " if _text(r.get("parent")) else "") + "- " + highlighted(r) for r in rows
    )
