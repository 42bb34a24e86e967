"""The progress row as a type: what the engine's target-vs-actual table holds for one goal
and year, read once into typed fields, so that views and reports do not coerce a cell again
where they read it (``int(number(row["reported"]) or 0)``).

The table stays a DataFrame (:func:`src.domain.goals.progress_frame`), which is what the
engine computes and caches; :func:`rows_by_goal` and :meth:`ProgressRow.of` are where a
reader leaves it. Its columns are this class's fields, in order
(:data:`src.domain.goals.PROGRESS_COLUMNS`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields

import pandas as pd

from src.domain.models import Status


def number(value: object) -> float | None:
    """A cell of the progress table as a float, None where there is no number."""
    if value is None:
        return None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _flag(value: object, default: bool) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return default
    return bool(value)


@dataclass(frozen=True)
class ProgressRow:
    """One goal's row for one year and selection (docs/resolutions.md, "What is judged
    against the target"). ``None``: no number (never NaN)."""

    goal_code: str
    year: int
    kind: str
    level: str
    actual: float | None = None
    target: float | None = None
    comparison: str | None = None
    status: str = str(Status.NO_DATA)
    numerator: float | None = None
    denominator: float | None = None
    reported: int = 0  # organisations that gave every value the goal reads
    expected: int = 0  # organisations selected (1 for the committee's own goals)
    applicable: bool = True  # False: a goal of the committee itself, cells selected
    pace_target: float | None = None
    pace_status: str | None = None
    projection: float | None = None
    cap_exceeded: bool = False
    cap_share: float | None = None
    assessment_note: str | None = None
    target_max: float | None = None

    @classmethod
    def of(cls, record: Mapping[str, object]) -> ProgressRow:
        """From a record of the progress table (or any mapping with some of its columns: the
        others take their defaults), each cell coerced once."""
        return cls(
            goal_code=str(record.get("goal_code") or ""),
            year=int(number(record.get("year")) or 0),
            kind=str(record.get("kind") or ""),
            level=str(record.get("level") or ""),
            actual=number(record.get("actual")),
            target=number(record.get("target")),
            comparison=_text(record.get("comparison")),
            status=_text(record.get("status")) or str(Status.NO_DATA),
            numerator=number(record.get("numerator")),
            denominator=number(record.get("denominator")),
            reported=int(number(record.get("reported")) or 0),
            expected=int(number(record.get("expected")) or 0),
            applicable=_flag(record.get("applicable"), True),
            pace_target=number(record.get("pace_target")),
            pace_status=_text(record.get("pace_status")),
            projection=number(record.get("projection")),
            cap_exceeded=_flag(record.get("cap_exceeded"), False),
            cap_share=number(record.get("cap_share")),
            assessment_note=_text(record.get("assessment_note")),
            target_max=number(record.get("target_max")),
        )


COLUMNS = [f.name for f in fields(ProgressRow)]


def rows_of(table: pd.DataFrame) -> list[ProgressRow]:
    """A progress table's rows, in its order (one per goal; a trend: one per year)."""
    return [ProgressRow.of(r) for r in table.to_dict("records")]


def rows_by_goal(table: pd.DataFrame) -> dict[str, ProgressRow]:
    """A progress table's rows by goal code."""
    return {r.goal_code: r for r in rows_of(table)}
