"""What a goal's value of one year is made of: a few sums over the organisations that
reported every value the goal reads (docs/resolutions.md, "What a year's value is").

A goal's year value over many organisations is always a handful of totals (how many
organisations count, the numerator's and the denominator's sums, the worst rating), and then
arithmetic on those totals. :func:`spec` says which totals a goal needs; two evaluators give
them, from one definition:

- :func:`frame_sums` over a per-organisation table in memory (the committee's own row, the
  hand-worked tests);
- ``src/store/goal_sums.py``, which compiles the same spec to one DuckDB aggregate, so the
  values of 250,000 organisations never leave the database (issue 15).

``tests/test_goal_sums.py`` checks that the two agree on random data for every kind of goal.
Pure: no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from src.domain.models import Expr, Goal, Measure, Ref

# Ratios are computed in floating point and printed to 6 decimals: 79.99999999 (shown as
# 80.0) meets 80. Real ratios of whole numbers never come this close to a target.
EPS = 1e-6

# The names of the totals (keys of a sums mapping)
COUNT = "n"  # organisations that reported every value in ``complete``
WORST = "worst"  # the highest of ``worst``'s values over them (ratings: 1 best, 4 worst)

Sums = Mapping[str, float | None]


@dataclass(frozen=True)
class SumSpec:
    """The totals a goal's year value needs, over the organisations that reported every
    column key of ``complete``: their count (:data:`COUNT`), each expression of ``sums``
    summed over them (a value missing in a ``sum`` expression adds nothing; a total whose
    columns do not all exist is None), and the highest value of ``worst``."""

    complete: tuple[str, ...]
    sums: tuple[tuple[str, Expr], ...] = ()
    worst: tuple[str, ...] = ()

    def columns(self) -> tuple[str, ...]:
        """Every column key read."""
        read = [*self.complete, *self.worst]
        for _, expr in self.sums:
            read.extend(expr.codes)
        return tuple(dict.fromkeys(read))


def with_prev(expr: Expr) -> Expr:
    """The expression read in the year before (for growth)."""
    return replace(expr, codes=tuple(Ref(r.code, r.year or "prev").key for r in expr.refs))


def spec(goal: Goal) -> SumSpec | None:
    """The totals of ``goal``'s year value; None when it has none (qualitative, or no
    numerator)."""
    if goal.measure == Measure.RATING:
        codes = tuple(goal.rating_indicators)
        return SumSpec(complete=codes, worst=codes)
    num = goal.num_expr()
    if num is None or goal.measure == Measure.QUALITATIVE:
        return None
    if goal.measure == Measure.RATIO:
        den = goal.den_expr()
        if den is None:
            return None
        sums: list[tuple[str, Expr]] = [("num", num), ("den", den)]
        if goal.cap is not None:  # the "of which" share, over the same organisations
            sums.append(("cap_den", goal.cap_expr() or den))
        return SumSpec(complete=goal.indicator_codes(), sums=tuple(sums))
    if goal.measure == Measure.GROWTH:
        prev = with_prev(num)
        complete = tuple(dict.fromkeys([*num.codes, *prev.codes]))
        return SumSpec(complete=complete, sums=(("num", num), ("prev", prev)))
    return SumSpec(complete=num.codes, sums=(("num", num),))  # a sum


def expr_per_org(expr: Expr, wide: pd.DataFrame) -> pd.Series:
    """An expression's value for each organisation (row) of ``wide``: a ``sum`` adds its
    columns (a missing value adds nothing), a ``count`` is 1 where the value is reported (and
    satisfies ``op value``), else 0."""
    if expr.kind == "count":
        col = wide[expr.codes[0]]
        if expr.op is None or expr.value is None:
            return col.notna().astype(float)
        ops = {
            "<=": col <= expr.value + EPS,
            ">=": col >= expr.value - EPS,
            "<": col < expr.value - EPS,
            ">": col > expr.value + EPS,
            "=": (col - expr.value).abs() < EPS,
        }
        return ops[expr.op].astype(float)
    return wide[list(expr.codes)].sum(axis=1)


def complete_rows(wanted: SumSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` that have every value of ``wanted.complete`` (none when one of
    its columns is missing)."""
    codes = list(wanted.complete)
    if frame.empty or any(c not in frame.columns for c in codes):
        return frame.iloc[0:0]
    return frame[frame[codes].notna().all(axis=1)] if codes else frame


def frame_sums(wanted: SumSpec, frame: pd.DataFrame) -> dict[str, float | None]:
    """The totals of ``wanted`` over the organisations (rows) of ``frame``."""
    rows = complete_rows(wanted, frame)
    out: dict[str, float | None] = {COUNT: float(len(rows))}
    for name, expr in wanted.sums:
        if any(c not in frame.columns for c in expr.codes):
            out[name] = None
        else:
            out[name] = float(expr_per_org(expr, rows).sum()) if len(rows) else None
    if wanted.worst:
        out[WORST] = (
            float(rows[list(wanted.worst)].to_numpy(dtype=float).max()) if len(rows) else None
        )
    return out


def count(sums: Sums | None) -> int:
    """How many organisations the totals are over (0: none, or no totals at all)."""
    n = sums.get(COUNT) if sums else None
    return int(n) if n else 0
