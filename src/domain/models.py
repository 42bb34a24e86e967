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
    """How a goal is shown (a ratio, a count, a rating, a term total, an assessment): derived
    from its measure and what it is judged over (:attr:`Goal.kind`)."""

    ANNUAL_RATIO = "annual_ratio"
    ANNUAL_COUNT = "annual_count"
    ANNUAL_RATING = "annual_rating"
    TERM_CUMULATIVE = "term_cumulative"
    QUALITATIVE = "qualitative"


class Measure(StrEnum):
    """What a year's value is (docs/resolutions.md, "What a year's value is")."""

    RATIO = "ratio"
    SUM = "sum"
    RATING = "rating"
    GROWTH = "growth"
    QUALITATIVE = "qualitative"


class Over(StrEnum):
    """What is judged against the target: the year's value, the term's running total, the
    mean of the years so far, or the year's value against a level to reach by the end."""

    YEAR = "year"
    TERM_TOTAL = "term_total"
    TERM_AVERAGE = "term_average"
    BY_END = "by_end"


class Level(StrEnum):
    ORG = "org"
    ROOT = "root"


COMPARISONS = (">=", ">", "<=", "<", "between")
VALUE_TYPES = ("count", "decimal", "percent", "flag", "rating")
YEAR_REFS = ("prev", "base")

# the seed catalogue's kinds, as (measure, over)
_KIND_MEASURE = {
    GoalKind.ANNUAL_RATIO: (Measure.RATIO, Over.YEAR),
    GoalKind.ANNUAL_COUNT: (Measure.SUM, Over.YEAR),
    GoalKind.ANNUAL_RATING: (Measure.RATING, Over.YEAR),
    GoalKind.TERM_CUMULATIVE: (Measure.SUM, Over.TERM_TOTAL),
    GoalKind.QUALITATIVE: (Measure.QUALITATIVE, Over.YEAR),
}


def kind_of(measure: Measure, over: Over) -> GoalKind:
    """How a goal of this measure and ``over`` is shown."""
    if measure == Measure.QUALITATIVE:
        return GoalKind.QUALITATIVE
    if measure == Measure.RATING:
        return GoalKind.ANNUAL_RATING
    if measure in (Measure.RATIO, Measure.GROWTH):
        return GoalKind.ANNUAL_RATIO
    return GoalKind.TERM_CUMULATIVE if over == Over.TERM_TOTAL else GoalKind.ANNUAL_COUNT


ORG_KINDS = ("root", "grassroots_committee", "grassroots_cell", "subcell")
GRASSROOTS_KINDS = ("grassroots_committee", "grassroots_cell")

_CODE_TEXT = r"[a-z][a-z0-9_]*"
_REF_TEXT = rf"{_CODE_TEXT}(?:@[A-Za-z_]*)?"
_COUNT = re.compile(rf"^count\(\s*({_REF_TEXT})\s*(?:(<=|>=|=|<|>)\s*(\d+(?:[.,]\d+)?)\s*)?\)$")
_REF = re.compile(rf"^({_CODE_TEXT})(?:@(.*))?$")
INDICATOR_CODE = re.compile(rf"^{_CODE_TEXT}$")


class ExprError(ValueError):
    """An expression that does not parse; ``reason`` is a key of src/i18n/__init__.py's messages
    (``expr_syntax`` or ``expr_year_ref``), ``detail`` the part at fault."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"not a catalogue expression ({reason}): {detail!r}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Ref:
    """An indicator read by a goal, in the year computed (``year`` empty), the year before
    (``prev``: "đầu năm", at 31/12 of last year) or the base year (``base``: "đầu nhiệm kỳ")."""

    code: str
    year: str = ""

    @property
    def key(self) -> str:
        """The column name of this value in a per-organisation table: ``code`` or
        ``code@prev`` / ``code@base``."""
        return f"{self.code}@{self.year}" if self.year else self.code

    @staticmethod
    def parse(text: str) -> Ref:
        match = _REF.match(text.strip())
        if not match:
            raise ExprError("expr_syntax", text.strip())
        code, year = match.groups()
        if year is not None and year not in YEAR_REFS:
            raise ExprError("expr_year_ref", f"@{year}")
        return Ref(code, year or "")


def split_key(key: str) -> Ref:
    """The :class:`Ref` of a column name made by :attr:`Ref.key`."""
    code, _, year = key.partition("@")
    return Ref(code, year)


@dataclass(frozen=True)
class Expr:
    """A numerator or denominator, evaluated per organisation.

    ``sum``: the indicators added up. ``count``: 1 when the indicator is reported (and
    satisfies ``op value`` when given), else 0. Each indicator may carry a year reference
    (``members_total@prev``); ``codes`` are the column keys (:attr:`Ref.key`).
    """

    kind: str  # "sum" | "count"
    codes: tuple[str, ...]
    op: str | None = None
    value: float | None = None

    @property
    def refs(self) -> tuple[Ref, ...]:
        return tuple(split_key(c) for c in self.codes)

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicator codes read, without year references."""
        return tuple(dict.fromkeys(r.code for r in self.refs))

    @staticmethod
    def parse(text: str) -> Expr:
        text = text.strip()
        if text.startswith("count"):
            match = _COUNT.match(text)
            if not match:
                raise ExprError("expr_syntax", text)
            ref, op, value = match.groups()
            number = float(value.replace(",", ".")) if value is not None else None
            return Expr("count", (Ref.parse(ref).key,), op, number)
        parts = [part.strip() for part in text.split("+")]
        if not text or any(not p for p in parts):
            raise ExprError("expr_syntax", text)
        return Expr("sum", tuple(Ref.parse(p).key for p in parts))

    def text(self) -> str:
        """The expression as written in a workbook (parses back to itself)."""
        if self.kind == "count":
            if self.op is None or self.value is None:
                return f"count({self.codes[0]})"
            return f"count({self.codes[0]} {self.op} {self.value:g})"
        return " + ".join(self.codes)


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    value_type: str  # count | decimal | percent | flag | rating
    level: str  # org | root
    part_of: str | None = None
    aliases: tuple[str, ...] = ()
    # the parts that add up to this indicator (a consistency rule: the four member ratings
    # add up to members_rated); declared once, applied by both import paths (src/domain/rules.py)
    sum_of: tuple[str, ...] = ()
    resolution_code: str | None = None  # None: the contract's own indicators

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi

    @property
    def adds_up(self) -> bool:
        """Whether subcells' values add up into their organisation's (counts and amounts)."""
        return self.value_type in ("count", "decimal")


@dataclass(frozen=True)
class Goal:
    code: str
    kind: GoalKind = GoalKind.ANNUAL_RATIO  # derived from measure and over when given
    level: Level = Level.ORG
    title_vi: str = ""
    title_en: str = ""
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
    measure: Measure | None = None  # derived from kind when not given
    over: Over = Over.YEAR
    target_max: float | None = None  # the upper bound of `between`
    percent_sum: bool = False  # a sum of a percent indicator: judged in points

    def __post_init__(self) -> None:
        if self.measure is None:
            measure, over = _KIND_MEASURE[GoalKind(self.kind)]
            object.__setattr__(self, "measure", measure)
            object.__setattr__(self, "over", over)
        else:
            object.__setattr__(self, "measure", Measure(self.measure))
            object.__setattr__(self, "over", Over(self.over))
            object.__setattr__(self, "kind", kind_of(Measure(self.measure), Over(self.over)))
        object.__setattr__(self, "kind", GoalKind(self.kind))
        object.__setattr__(self, "level", Level(self.level))

    @property
    def goal_measure(self) -> Measure:
        return Measure(self.measure or Measure.RATIO)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi

    def num_expr(self) -> Expr | None:
        return Expr.parse(self.numerator) if self.numerator else None

    def den_expr(self) -> Expr | None:
        return Expr.parse(self.denominator) if self.denominator else None

    def cap_expr(self) -> Expr | None:
        return Expr.parse(self.cap_denominator) if self.cap_denominator else None

    def indicator_codes(self) -> tuple[str, ...]:
        """Every value the goal reads, as column keys with their year references (an
        organisation counts only if it has them all)."""
        codes: list[str] = list(self.rating_indicators)
        for expr in (self.num_expr(), self.den_expr()):
            if expr:
                codes.extend(c for c in expr.codes if c not in codes)
        return tuple(dict.fromkeys(codes))

    def year_refs(self) -> tuple[str, ...]:
        """The year references the goal reads (``prev``, ``base``)."""
        cap = self.cap_expr()
        keys = [*self.indicator_codes(), *(cap.codes if cap else ())]
        return tuple(dict.fromkeys(r.year for r in map(split_key, keys) if r.year))

    @property
    def is_percent(self) -> bool:
        """Whether the value is in percentage points (ratios, growth, sums of a percent
        indicator, and their averages): "near" is then within 5 points."""
        return self.measure in (Measure.RATIO, Measure.GROWTH) or self.percent_sum

    @property
    def has_pace(self) -> bool:
        return self.over in (Over.TERM_TOTAL, Over.BY_END)


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
    base_year: int | None = None  # default: the year before the first reporting year

    @property
    def term_years(self) -> tuple[int, ...]:
        return self.years or tuple(range(self.term_start, self.term_end + 1))

    @property
    def base(self) -> int:
        """The year whose values are "at the start of the term" (đầu nhiệm kỳ)."""
        return self.base_year if self.base_year is not None else self.term_years[0] - 1

    def short(self, lang: str) -> str:
        return self.short_en if lang == "en" and self.short_en else self.short_vi

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi
