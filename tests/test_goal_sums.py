"""A goal's totals computed in DuckDB (src/store/goal_sums.py) equal the same totals computed
over the per-organisation table in memory (src/domain/sums.py), for random goals of every
measure, expression and year reference, on random data with gaps, and for every selection.

The in-memory evaluator is the one the hand-worked tests of the goal semantics run on
(tests/test_goal_semantics.py, tests/test_domain.py); this test ties the database's path to
it, so a rule changed in one place and not the other fails here.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench import generate
from src.domain import goals as domain
from src.domain import sums
from src.domain.models import Goal, Measure, Over
from src.engine import aggregates, progress
from src.ingest import apply, prepare
from src.store import goal_sums, queries
from tests.conftest import make_db

COUNTS = [
    "members_total",
    "members_studied",
    "members_rated",
    "members_excellent",
    "members_good",
    "new_members",
    "staff_total",
    "staff_advanced",
]
YEARS = (2021, 2022, 2023, 2024)
BASE = 2019


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    con = make_db(tmp_path_factory.mktemp("sums") / "tiny.duckdb")
    generate.generate(con, generate.tiny(31, units=60))
    aggregates.rebuild(con)
    yield con
    con.close()


def _ref(rng: random.Random, code: str) -> str:
    return code + rng.choice(["", "", "", "@prev", "@base"])


def _expr(rng: random.Random) -> str:
    if rng.random() < 0.4:
        code = _ref(rng, rng.choice([*COUNTS, "org_rating", "inspected"]))
        if rng.random() < 0.3:
            return f"count({code})"
        op = rng.choice(["<=", ">=", "<", ">", "="])
        return f"count({code} {op} {rng.choice([0, 1, 2, 3, 5, 12])})"
    return " + ".join(_ref(rng, c) for c in rng.sample(COUNTS, rng.randint(1, 3)))


def random_goal(rng: random.Random, n: int) -> Goal:
    measure = rng.choice(
        [Measure.RATIO, Measure.RATIO, Measure.GROWTH, Measure.SUM, Measure.RATING]
    )
    if measure == Measure.RATING:
        return Goal(f"G{n}", measure=measure, rating_indicators=("org_rating",), target=2)
    den = _expr(rng) if measure == Measure.RATIO else None
    cap = rng.choice([None, 15.0]) if measure == Measure.RATIO else None
    return Goal(
        f"G{n}",
        measure=measure,
        over=rng.choice([Over.YEAR, Over.TERM_TOTAL, Over.BY_END]),
        numerator=_expr(rng) if measure != Measure.GROWTH else " + ".join(rng.sample(COUNTS, 2)),
        denominator=den,
        cap=cap,
        cap_denominator=rng.choice([None, "members_rated"]) if cap else None,
        target=50,
        comparison=">=",
    )


def frames(con: duckdb.DuckDBPyConnection, selection: list[str] | None) -> dict[int, pd.DataFrame]:
    """The per-organisation table of each year as the in-memory path reads it, with every
    year-referenced column a goal here may read."""
    columns = queries.indicator_columns(con)
    wide = progress._wide_by_year(queries.unit_wide(con, BASE, max(YEARS), selection), columns)
    keys = {f"{c}@{y}" for c in [*COUNTS, "org_rating", "inspected"] for y in ("prev", "base")}
    empty = pd.DataFrame(columns=columns, index=pd.Index([], name="org_code"), dtype=float)
    return {
        y: progress._with_refs(wide.get(y, empty), keys, wide, y - 1, BASE)
        for y in range(BASE, max(YEARS) + 1)
    }


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_database_totals_of_random_goals_equal_those_computed_in_memory(
    db: duckdb.DuckDBPyConnection, seed: int
) -> None:
    rng = random.Random(seed)
    goals = [random_goal(rng, n) for n in range(12)]
    units = sorted(queries.unit_wide(db, 2024, 2024, None)["org_code"].tolist())
    for selection in (None, sorted(rng.sample(units, 7)), [units[0]], []):
        by_year = frames(db, selection)
        wanted = {g.code: (s, YEARS) for g in goals if (s := sums.spec(g)) is not None}
        got = goal_sums.year_totals(db, wanted, selection, BASE)
        compared = 0
        for year in YEARS:
            for code, (spec, _) in wanted.items():
                expected = sums.frame_sums(spec, by_year[year])
                actual = got.get(year, {}).get(code) or {sums.COUNT: 0.0}
                assert sums.count(actual) == sums.count(expected), (code, year, spec)
                if sums.count(expected):
                    for name in expected:
                        assert same(actual.get(name), expected[name]), (code, year, name, spec)
                compared += 1
        assert compared == len(wanted) * len(YEARS)
        if selection is None:  # the data have organisations that count for every goal kind
            assert any(sums.count(got[2024].get(g.code)) for g in goals)


def test_a_goal_reading_an_indicator_not_in_the_table_has_no_data_in_both_paths(
    db: duckdb.DuckDBPyConnection,
) -> None:
    goal = Goal("X", measure=Measure.RATIO, numerator="no_such_code", denominator="members_total")
    spec = sums.spec(goal)
    assert spec is not None
    got = goal_sums.year_totals(db, {"X": (spec, [2024])}, None, BASE)
    assert sums.count(got[2024]["X"]) == 0
    assert sums.count(sums.frame_sums(spec, frames(db, None)[2024])) == 0
    value = domain.value_of(goal, got[2024]["X"], 10)
    assert value.actual is None and value.expected == 10


def test_the_committee_table_from_database_totals_equals_the_one_from_the_table_in_memory(
    db: duckdb.DuckDBPyConnection,
) -> None:
    """The whole computation, both ways: every row of every year of the installed
    resolution, from the totals (as the dashboard runs it) and from the frames."""
    resolution = queries.resolution(db, None)
    goals = queries.goals(db, resolution.code)
    for year in (2022, 2024):
        data = progress.year_data(db, resolution, year, None, goals)
        in_memory = {
            y: domain.YearData(frame, d.root_values, d.expected_units)
            for y, d in data.items()
            for frame in [frames(db, None).get(y, pd.DataFrame())]
        }
        args = (year, resolution.term_years)
        db_rows = domain.compute_progress(goals, *args, data, True, {}, resolution.base)
        mem_rows = domain.compute_progress(goals, *args, in_memory, True, {}, resolution.base)
        pd.testing.assert_frame_equal(db_rows, mem_rows, check_exact=False, rtol=1e-12)
        assert db_rows["actual"].notna().sum() >= len(goals) // 2


def test_after_organisations_change_kind_the_totals_count_the_same_organisations_as_the_table(
    tmp_path: Path,
) -> None:
    """goal_sums leaves out the roots' rows of unit_year instead of joining every
    organisation: that counts the grassroots ones only while unit_year has no row of a
    subcell or of an organisation gone. A grassroots cell with values turned into a subcell,
    and a grassroots committee into a cell, must leave it so."""
    con = make_db(tmp_path / "kinds.duckdb")
    try:
        generate.generate(con, generate.tiny(5, units=24))
        aggregates.rebuild(con)
        orgs = queries.organisations(con).set_index("org_code")
        with_values = set(queries.unit_wide(con, 2024, 2024, None)["org_code"])
        cell = next(
            c for c in orgs.index if orgs.at[c, "kind"] == "grassroots_cell" and c in with_values
        )
        committee = next(c for c in orgs.index if orgs.at[c, "kind"] == "grassroots_committee")
        other = next(  # (one with subcells must stay a committee)
            c
            for c in orgs.index
            if orgs.at[c, "kind"] == "grassroots_committee"
            and c != committee
            and not (orgs["parent_code"] == c).any()
        )
        rows = [
            (cell, "subcell", committee),
            (other, "grassroots_cell", orgs.at[other, "parent_code"]),
        ]
        text = "org_code,name,kind,parent_code,group,active_from,active_to\n" + "".join(
            f"{code},{orgs.at[code, 'name']},{kind},{parent},{orgs.at[code, 'group'] or ''},,\n"
            for code, kind, parent in rows
        )
        plan = prepare(con, text.encode(), "orgs.csv")
        assert plan.ok, [p.render("en") for p in plan.errors]
        apply(con, plan, applied_by="t", data=text.encode())

        leftover = con.execute(
            "SELECT u.org_code FROM unit_year u LEFT JOIN organisations o USING (org_code)"
            " WHERE o.org_code IS NULL OR o.kind = 'subcell'"
        ).fetchall()
        assert leftover == []
        assert cell not in set(queries.unit_wide(con, 2024, 2024, None)["org_code"])
        rng = random.Random(9)
        goals = [random_goal(rng, n) for n in range(10)]
        wanted = {g.code: (s, YEARS) for g in goals if (s := sums.spec(g)) is not None}
        got = goal_sums.year_totals(con, wanted, None, BASE)
        by_year = frames(con, None)
        for year in YEARS:
            for code, (spec, _) in wanted.items():
                expected = sums.frame_sums(spec, by_year[year])
                actual = got.get(year, {}).get(code) or {sums.COUNT: 0.0}
                assert sums.count(actual) == sums.count(expected), (code, year)
                for name in expected if sums.count(expected) else ():
                    assert same(actual.get(name), expected[name]), (code, year, name)
    finally:
        con.close()
