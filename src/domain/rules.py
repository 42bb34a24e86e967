"""The consistency rules of the indicators, read off their declaration (issue 12).

An indicator declares the whole it may not exceed (``part_of``) and the parts that add up
to it (``sum_of``): in ``data/catalogue/indicators.toml`` for the contract's own indicators,
in a resolution's workbook for its own, and so in the ``indicators`` table. This module turns
that declaration into :class:`Rule` values, the one list both import paths apply: the
general path in Python (``src/ingest/plan.py``, ``_consistency``) and the fast path in SQL
generated from the same list (``src/ingest/rules_sql.py``). No indicator code is written
out anywhere else, so a rule cannot be enforced by one path and skipped by the other
(``tests/test_rules.py`` breaks every rule through both).

What a rule means (``docs/data-contract.md``): it is checked on the values a file would
leave (the file's over those already held for the same organisation and year) where all
its numbers are known; a missing whole (or part) is no error; a break is the file's fault
only if the file gives at least one of the rule's values.

- ``part_of``: the part is at most the whole;
- ``sum_of``: the parts add up to the whole (within 1e-9).

Pure: no database, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from src.domain.models import Indicator

TOLERANCE = 1e-9  # how far a sum may be from its whole (values are held as DOUBLE)

# The wording of a sum rule of the contract that has its own message (its key in
# src/i18n/__init__.py, whose parameters are ``total`` and ``rated``); any other sum rule is worded
# by ``e_parts_sum``, naming its whole and its parts. Wording only: the rule itself comes
# from the declaration, with or without an entry here.
OWN_WORDING = {"members_rated": "e_ratings_sum"}


@dataclass(frozen=True)
class Rule:
    """One consistency rule: ``part_of`` (``parts`` is the one part, at most ``whole``) or
    ``sum_of`` (``parts`` add up to ``whole``)."""

    kind: str  # "part_of" | "sum_of"
    whole: str
    parts: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """Every indicator the rule reads: its parts, then its whole."""
        return (*self.parts, self.whole)

    def __str__(self) -> str:
        sign = " <= " if self.kind == "part_of" else " = "
        left = self.parts[0] if self.kind == "part_of" else " + ".join(self.parts)
        return left + sign + self.whole


def rules_of(indicators: Iterable[Indicator]) -> list[Rule]:
    """The rules the indicators declare, in their order: a ``part_of`` rule for each
    indicator with a ``part_of``, a ``sum_of`` rule for each with a ``sum_of``. A rule naming
    an indicator that is not among them (or an indicator as its own whole) is left out: it
    could never be checked."""
    listed = list(indicators)
    known = {i.code for i in listed}
    rules = []
    for i in listed:
        if i.part_of and i.part_of in known and i.part_of != i.code:
            rules.append(Rule("part_of", i.part_of, (i.code,)))
        parts = tuple(dict.fromkeys(i.sum_of))
        if parts and i.code not in parts and all(p in known for p in parts):
            rules.append(Rule("sum_of", i.code, parts))
    return rules


def involved(rules: Iterable[Rule], order: Sequence[str] = ()) -> tuple[str, ...]:
    """The indicator codes the rules read, each once, in catalogue order: the order of
    ``order`` (the indicators' codes) where given, else the order of first appearance."""
    codes = dict.fromkeys(code for rule in rules for code in rule.codes)
    rank = {code: n for n, code in enumerate(order)}
    return tuple(sorted(codes, key=lambda c: rank.get(c, len(rank))))
