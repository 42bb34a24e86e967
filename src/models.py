"""Plain data types shared by every layer (no I/O, no Streamlit)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    MET = "met"
    NEAR = "near"
    MISSED = "missed"
    NO_DATA = "no_data"


class PaceStatus(StrEnum):
    ON_TRACK = "on_track"
    BEHIND = "behind"


class GoalKind(StrEnum):
    ANNUAL_RATIO = "annual_ratio"
    ANNUAL_COUNT = "annual_count"
    ANNUAL_RATING = "annual_rating"
    TERM_CUMULATIVE = "term_cumulative"
    QUALITATIVE = "qualitative"


class Level(StrEnum):
    ORG = "org"
    ROOT = "root"


ORG_KINDS = ("root", "grassroots_committee", "grassroots_cell", "subcell")
GRASSROOTS_KINDS = ("grassroots_committee", "grassroots_cell")

_COUNT = re.compile(r"^count\(\s*([a-z_][a-z0-9_]*)\s*(?:(<=|>=|=|<|>)\s*(\d+(?:\.\d+)?)\s*)?\)$")
_CODE = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Expr:
    """A numerator or denominator of the catalogue, evaluated per organisation.

    ``sum``: the indicators added up. ``count``: 1 when the indicator is reported (and
    satisfies ``op value`` when given), else 0.
    """

    kind: str  # "sum" | "count"
    codes: tuple[str, ...]
    op: str | None = None
    value: float | None = None

    @staticmethod
    def parse(text: str) -> Expr:
        text = text.strip()
        match = _COUNT.match(text)
        if match:
            code, op, value = match.groups()
            return Expr("count", (code,), op, float(value) if value is not None else None)
        codes = tuple(part.strip() for part in text.split("+"))
        if not codes or not all(_CODE.match(c) for c in codes):
            raise ValueError(f"not a catalogue expression: {text!r}")
        return Expr("sum", codes)


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    value_type: str  # count | flag | rating
    level: str  # org | root
    part_of: str | None = None
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi


@dataclass(frozen=True)
class Goal:
    code: str
    kind: GoalKind
    level: Level
    title_vi: str
    title_en: str
    text_vi: str = ""
    text_en: str = ""
    comparison: str | None = None
    target: float | None = None
    numerator: str | None = None
    denominator: str | None = None
    rating_indicators: tuple[str, ...] = ()
    parent: str | None = None
    basis: str | None = None
    basis_vi: str | None = None
    basis_en: str | None = None
    cap: float | None = None
    cap_denominator: str | None = None
    counts_organisations: bool = False
    note_vi: str | None = None
    note_en: str | None = None
    unit_in_charge_vi: str | None = None
    unit_in_charge_en: str | None = None

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi

    def num_expr(self) -> Expr | None:
        return Expr.parse(self.numerator) if self.numerator else None

    def den_expr(self) -> Expr | None:
        return Expr.parse(self.denominator) if self.denominator else None

    def indicator_codes(self) -> tuple[str, ...]:
        """Every indicator the goal reads (an organisation counts only if it has them all)."""
        codes: list[str] = list(self.rating_indicators)
        for expr in (self.num_expr(), self.den_expr()):
            if expr:
                codes.extend(c for c in expr.codes if c not in codes)
        return tuple(dict.fromkeys(codes))


@dataclass(frozen=True)
class Resolution:
    code: str
    name_vi: str
    name_en: str
    short_vi: str
    short_en: str
    term_start: int
    term_end: int
    is_default: bool = False
    years: tuple[int, ...] = field(default=())

    @property
    def term_years(self) -> tuple[int, ...]:
        return self.years or tuple(range(self.term_start, self.term_end + 1))

    def short(self, lang: str) -> str:
        return self.short_en if lang == "en" else self.short_vi
