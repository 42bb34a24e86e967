"""The fast path's SQL for repeated keys and the consistency rules, generated from the rules
(:func:`src.domain.rules.rules_of`) the general path applies too: one declaration, two paths.

Run by src/ingest/bulk.py on its table ``bulk_typed`` (whose ``bit`` numbers each indicator
from 0 to 63). Indicator codes go in as ``?`` parameters; the columns of the values the rules
involve are named by their position (``v0``, ``v1``, …, with ``f0``, … whether the file gives
it), so no text of a catalogue or of a file is ever formatted into SQL.

``groups``: one row per organisation and year the file gives values for: how many values it
gives and which indicators (a bit each), whether it adds or changes any (``writes``: apply
notes those keys for unit_year to catch up on, src/store/units.py), and the value of each involved
indicator (NULL where the file gives none). A key given twice shows as fewer bits than values
(two indicators sharing a bit only ever send a clean file to the general path, which finds no
repeat and goes on). Grouping once serves both checks, about a fifth of the time of a
distinct count of the file's keys plus a pivot of its rows.

``consistency``: how many organisations and years break a rule where the file gives one of
its values, on the values the file would leave (its own over those already held). Held
values are looked up only where the file gives some of the involved values and leaves some
out: where it gives them all, the held ones are all replaced; where it gives none, no rule
can be the file's fault. Where no organisation and year is partial (``partial``: the usual
upload, whole rows or values no rule involves), ``own`` checks the file's values alone and
the observations are not read. Any break sends the file to the general path, which names the
row and column (src/ingest/plan.py, ``_consistency``).
"""

from __future__ import annotations

from dataclasses import dataclass

from src.domain.rules import TOLERANCE, Rule, involved


@dataclass(frozen=True)
class RulesSql:
    """The statements with their parameters (None: no rule, nothing to check)."""

    groups: str
    groups_params: list[object]
    consistency: str | None
    consistency_params: list[object]
    # how many organisations and years give some of the involved values and leave some out:
    # none, and ``own`` (the file's values alone, no parameters) answers as ``consistency``
    # does without reading the values held (a scan of the observations at every size)
    partial: str | None = None
    own: str | None = None


def _alias(n: int, prefix: str = "v") -> str:
    return prefix + str(n)  # a position, never a code


def rules_sql(rules: list[Rule], order: tuple[str, ...] = ()) -> RulesSql:
    """The SQL of both checks for these rules (``order``: the indicators' codes, for the
    involved ones' columns in catalogue order)."""
    codes = involved(rules, order)
    col = {code: _alias(n) for n, code in enumerate(codes)}
    given = {code: _alias(n, "f") for n, code in enumerate(codes)}
    pivot = "".join(
        ", max(CASE WHEN indicator_code = ? THEN value END) AS " + col[c] for c in codes
    )
    # S608 below: what is joined in is generated (positional aliases, ? markers, the
    # tolerance); every indicator code is a parameter
    groups = (
        "CREATE TEMP TABLE bulk_groups AS"  # noqa: S608
        " SELECT year, org_code, count(*) AS n, bit_or(1::UBIGINT << bit) AS given,"
        " bool_or(old_value IS DISTINCT FROM value) AS writes" + pivot + " FROM bulk_typed"
        " GROUP BY year, org_code"
    )
    if not rules:
        return RulesSql(groups, list(codes), None, [])
    some = "coalesce(" + ", ".join("f." + col[c] for c in codes) + ") IS NOT NULL"
    not_all = "(" + " OR ".join("f." + col[c] + " IS NULL" for c in codes) + ")"
    held = "".join(
        ", max(ob.value) FILTER (WHERE ob.indicator_code = ?) AS " + col[c] for c in codes
    )
    marks = ", ".join("?" for _ in codes)
    merged = ", ".join(
        "coalesce(f."
        + col[c]
        + ", h."
        + col[c]
        + ") AS "
        + col[c]
        + ", f."
        + col[c]
        + " IS NOT NULL AS "
        + given[c]
        for c in codes
    )
    broken = " OR ".join(_broken(rule, col, given) for rule in rules)
    where_partial = " WHERE " + some + " AND " + not_all
    consistency = (
        "WITH partial AS (SELECT f.year, f.org_code FROM bulk_groups f"  # noqa: S608
        + where_partial
        + "),"
        " held AS (SELECT ob.year, ob.org_code" + held + " FROM observations ob"
        " JOIN partial k ON k.year = ob.year AND k.org_code = ob.org_code"
        " WHERE ob.indicator_code IN (" + marks + ") GROUP BY ob.year, ob.org_code),"
        " merged AS (SELECT " + merged + " FROM bulk_groups f"
        " LEFT JOIN held h ON h.year = f.year AND h.org_code = f.org_code)"
        " SELECT count(*) FROM merged WHERE " + broken
    )
    own_merged = ", ".join(
        "f." + col[c] + " AS " + col[c] + ", f." + col[c] + " IS NOT NULL AS " + given[c]
        for c in codes
    )
    own = (
        "WITH merged AS (SELECT " + own_merged + " FROM bulk_groups f)"  # noqa: S608
        " SELECT count(*) FROM merged WHERE " + broken
    )
    partial = "SELECT count(*) FROM bulk_groups f" + where_partial  # noqa: S608
    return RulesSql(groups, list(codes), consistency, [*codes, *codes], partial, own)


def _broken(rule: Rule, col: dict[str, str], given: dict[str, str]) -> str:
    """Where the rule is broken (a comparison with a NULL is no break: a value not known)
    and the file gives one of its values."""
    whole = col[rule.whole]
    if rule.kind == "part_of":
        test = col[rule.parts[0]] + " > " + whole
    else:
        total = " + ".join(col[p] for p in rule.parts)
        test = "abs(" + total + " - " + whole + ") > " + repr(TOLERANCE)
    return "(" + test + " AND (" + " OR ".join(given[c] for c in rule.codes) + "))"
