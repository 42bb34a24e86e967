"""The fast path gives exact answers: ``progress_table`` and ``scorecard`` against a plain
reference written here, on small random data sets made by the benchmark's own generator.

The reference reads the raw ``observations`` and ``organisations`` and the catalogue's TOML
files, and computes every goal with plain Python loops and dictionaries, following the
README ("How goals are measured") and the data contract. It shares no code with
``src/engine/progress.py``, ``src/domain/goals.py``, ``src/store/queries.py`` or the
maintained aggregates.
No timing is asserted anywhere: the benchmark prints times, this file checks answers.
"""

from __future__ import annotations

import math
import random
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from bench import generate, reference
from src.config import CATALOGUE_DIR
from src.engine import aggregates
from src.engine.progress import progress_table, scorecard, scorecard_blocks
from src.store import queries
from src.views import cell_view
from tests.conftest import make_db

SEEDS = (11, 23, 47)
TERM = tuple(range(2020, 2026))
TOL = 1e-9
EPS = 1e-6  # the README's reading: 79.9999999 meets 80
GRASSROOTS = ("grassroots_committee", "grassroots_cell")


# --- the reference ---------------------------------------------------------------------------


@dataclass
class Data:
    obs: dict[tuple[int, str, str], float]  # (year, org_code, indicator) → value
    kind: dict[str, str]
    parent: dict[str, str | None]
    span: dict[str, tuple[int | None, int | None]]
    root: str
    value_type: dict[str, str]
    level: dict[str, str]
    goals: list[dict[str, Any]]
    assessments: dict[tuple[int, str], str]


def read_data(con: duckdb.DuckDBPyConnection) -> Data:
    indicators = tomllib.loads((CATALOGUE_DIR / "indicators.toml").read_text("utf-8"))
    resolution = tomllib.loads((CATALOGUE_DIR / "dbcq-bac-kan-2020-2025.toml").read_text("utf-8"))
    obs = {
        (int(y), str(o), str(c)): float(v)
        for y, o, c, v in con.execute(
            "SELECT year, org_code, indicator_code, value FROM observations"
        ).fetchall()
    }
    orgs = con.execute(
        "SELECT org_code, kind, parent_code, active_from, active_to FROM organisations"
    ).fetchall()
    assessments = {
        (int(y), str(g)): str(s)
        for y, g, s in con.execute("SELECT year, goal_code, status FROM assessments").fetchall()
    }
    return Data(
        obs=obs,
        kind={o[0]: o[1] for o in orgs},
        parent={o[0]: o[2] for o in orgs},
        span={o[0]: (o[3], o[4]) for o in orgs},
        root=next(o[0] for o in orgs if o[1] == "root"),
        value_type={i["code"]: i["value_type"] for i in indicators["indicator"]},
        level={i["code"]: i["level"] for i in indicators["indicator"]},
        goals=resolution["goal"],
        assessments=assessments,
    )


def active(d: Data, org: str, year: int) -> bool:
    start, end = d.span[org]
    return (start is None or start <= year) and (end is None or end >= year)


def units_of(d: Data, selection: list[str] | None) -> list[str]:
    return [
        o for o, k in d.kind.items() if k in GRASSROOTS and (selection is None or o in selection)
    ]


def unit_values(d: Data, year: int, units: list[str]) -> dict[str, dict[str, float]]:
    """Each unit's own numbers, else its subcells' counts added up; active years only."""
    chosen = {u for u in units if active(d, u, year)}
    own: dict[str, dict[str, float]] = defaultdict(dict)
    rolled: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (y, org, code), value in d.obs.items():
        if y != year or d.level[code] != "org" or d.kind[org] == "root":
            continue
        if d.kind[org] == "subcell":
            unit = d.parent[org]
            if unit in chosen and d.value_type[code] == "count":
                rolled[unit][code] += value
        elif org in chosen:
            own[org][code] = value
    out: dict[str, dict[str, float]] = {}
    for unit in chosen:
        merged = dict(rolled.get(unit, {}))
        merged.update(own.get(unit, {}))
        if merged:
            out[unit] = merged
    return out


COUNT = re.compile(r"^count\((\w+)\s*(?:(<=|>=|=|<|>)\s*([\d.]+))?\)$")


def codes_of(expr: str) -> list[str]:
    m = COUNT.match(expr)
    return [m.group(1)] if m else [c.strip() for c in expr.split("+")]


def evaluate(expr: str, values: dict[str, float]) -> float:
    if expr.startswith("count"):
        m = COUNT.match(expr)
        assert m
        code, op, bound = m.groups()
        if op is None:
            return 1.0
        x, b = values[code], float(bound)
        hit = {
            "<=": x <= b + EPS,
            ">=": x >= b - EPS,
            "<": x < b - EPS,
            ">": x > b + EPS,
            "=": abs(x - b) < EPS,
        }[op]
        return 1.0 if hit else 0.0
    return sum(values[c] for c in codes_of(expr))


def status(goal: dict[str, Any], actual: float | None) -> str:
    if actual is None:
        return "no_data"
    target = float(goal["target"])
    if goal.get("comparison") == "<=":
        return "met" if actual <= target + EPS else "missed"
    if actual >= target - EPS:
        return "met"
    if goal["kind"] == "annual_ratio":
        return "near" if actual >= target - 5 - EPS else "missed"
    if goal["kind"] == "annual_rating":
        return "missed"
    return "near" if actual >= 0.9 * target - EPS else "missed"


def goal_codes(goal: dict[str, Any]) -> list[str]:
    found = list(goal.get("indicators", []))
    for key in ("numerator", "denominator"):
        if goal.get(key):
            found += [c for c in codes_of(goal[key]) if c not in found]
    return found


def reference_table(
    d: Data, year: int, selection: list[str] | None
) -> dict[str, dict[str, object]]:
    if selection is None:
        include_root, units = True, units_of(d, None)
    else:
        include_root = d.root in selection
        chosen = [c for c in selection if c != d.root]
        units = units_of(d, chosen if chosen or not include_root else None)
    by_year = {y: unit_values(d, y, units) for y in TERM if y <= year}
    expected = {y: sum(1 for u in units if active(d, u, y)) for y in TERM}
    values = by_year[year]
    root = {c: v for (y, o, c), v in d.obs.items() if o == d.root and y == year}
    elapsed = sum(1 for y in TERM if y <= year)
    out: dict[str, dict[str, object]] = {}
    for g in d.goals:
        row: dict[str, object] = {"applicable": True}
        kind = g["kind"]
        if kind == "qualitative":
            found = d.assessments.get((year, g["code"]))
            row |= {"status": found or "no_data", "reported": int(found is not None)}
            row["expected"] = 1
        elif g["level"] == "root" and not include_root:
            row |= {"status": "no_data", "applicable": False}
        elif kind == "annual_ratio":
            codes = goal_codes(g)
            complete = [v for v in values.values() if all(c in v for c in codes)]
            num = sum(evaluate(g["numerator"], v) for v in complete)
            den = sum(evaluate(g["denominator"], v) for v in complete)
            actual = 100 * num / den if complete and den > 0 else None
            row |= {
                "actual": actual,
                "numerator": num if complete else None,
                "denominator": den if complete else None,
                "reported": len(complete),
                "expected": expected[year],
                "status": status(g, actual),
            }
            if "cap" in g and actual is not None:
                cap_den = g.get("cap_denominator") or g["denominator"]
                total = sum(evaluate(cap_den, v) for v in complete)
                share = 100 * num / total if total > 0 else None
                row["cap_share"] = share
                row["cap_exceeded"] = share is not None and share > g["cap"] + EPS
        elif kind == "annual_rating":
            known = [root[c] for c in g["indicators"] if c in root]
            worst = max(known) if known else None
            st = status(g, worst)
            if worst is not None and len(known) < len(g["indicators"]) and st == "met":
                st = "no_data"
            row |= {"actual": worst, "reported": len(known), "expected": len(g["indicators"])}
            row["status"] = st
        elif kind == "annual_count":
            value = root.get(goal_codes(g)[0])
            row |= {"actual": value, "numerator": value, "reported": int(value is not None)}
            row |= {"expected": 1, "status": status(g, value)}
        else:  # term_cumulative
            code = goal_codes(g)[0]
            total, reported = 0.0, 0
            for y in (y for y in TERM if y <= year):
                if g["level"] == "root":
                    got = [
                        v
                        for (yy, o, c), v in d.obs.items()
                        if yy == y and o == d.root and c == code
                    ]
                else:
                    got = [v[code] for v in by_year[y].values() if code in v]
                total += sum(got)
                reported = len(got) if y == year else reported
            actual = total if reported else None
            pace = float(g["target"]) * elapsed / len(TERM)
            row |= {
                "actual": actual,
                "numerator": actual,
                "reported": reported,
                "expected": 1 if g["level"] == "root" else expected[year],
                "status": status(g, actual),
                "pace_target": pace,
                "pace_status": None
                if actual is None
                else ("on_track" if actual >= pace - EPS else "behind"),
                "projection": None if actual is None else actual / elapsed * len(TERM),
            }
        out[g["code"]] = row
    return out


def reference_scorecard(
    d: Data, year: int, selection: list[str] | None
) -> dict[tuple[str, str], dict[str, object]]:
    units = [u for u in units_of(d, selection) if active(d, u, year)]
    values = unit_values(d, year, units)
    out = {}
    for g in d.goals:
        if g["kind"] != "annual_ratio" or g["level"] != "org":
            continue
        codes = goal_codes(g)
        for unit in units:
            v = values.get(unit, {})
            row: dict[str, object] = {"numerator": None, "denominator": None, "actual": None}
            row["cap_exceeded"] = False
            if all(c in v for c in codes):
                num, den = evaluate(g["numerator"], v), evaluate(g["denominator"], v)
                row |= {"numerator": num, "denominator": den}
                row["actual"] = 100 * num / den if den > 0 else None
                if "cap" in g:
                    cap_den = evaluate(g.get("cap_denominator") or g["denominator"], v)
                    share = 100 * num / cap_den if cap_den > 0 else None
                    row["cap_exceeded"] = share is not None and share > g["cap"] + EPS
            row["status"] = status(g, row["actual"])  # type: ignore[arg-type]
            out[(unit, g["code"])] = row
    return out


# --- comparing -------------------------------------------------------------------------------


def missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def same(a: object, b: object) -> bool:
    if missing(a) or missing(b):
        return missing(a) and missing(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    if isinstance(b, (int, float)):
        x, y = float(a), float(b)  # type: ignore[arg-type]
        return abs(x - y) <= TOL * max(1.0, abs(x), abs(y))
    return str(a) == str(b)


def differences(got: dict[str, object], want: dict[str, object], where: str) -> list[str]:
    return [
        f"{where}.{k}: got {got.get(k)!r}, want {w!r}"
        for k, w in want.items()
        if not same(got.get(k), w)
    ]


# --- the data sets ---------------------------------------------------------------------------


@pytest.fixture(scope="module", params=SEEDS, ids=lambda s: f"seed{s}")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[duckdb.DuckDBPyConnection, Data, random.Random]]:
    seed = int(request.param)
    path = tmp_path_factory.mktemp(f"bench{seed}") / "tiny.duckdb"
    con = make_db(path)
    generate.generate(con, generate.tiny(seed))
    aggregates.rebuild(con)
    yield con, read_data(con), random.Random(seed)
    con.close()


def selections(d: Data, rng: random.Random) -> list[list[str] | None]:
    units = sorted(units_of(d, None))
    with_subcells = sorted({str(p) for o, p in d.parent.items() if d.kind[o] == "subcell"})
    some = sorted(set(rng.sample(units, 12)) | set(rng.sample(with_subcells, 2)))
    return [None, some, [*some[:5], d.root], [rng.choice(with_subcells)]]


def test_the_generator_keeps_the_contracts_consistency_rules(
    generated: tuple[duckdb.DuckDBPyConnection, Data, random.Random],
) -> None:
    _, d, _ = generated
    by_key: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    for (y, o, c), v in d.obs.items():
        by_key[(y, o)][c] = v
        assert v >= 0 and float(v).is_integer()
        assert d.level[c] == ("root" if o == d.root else "org")
    parts = [
        ("members_studied", "members_total"),
        ("members_rated", "members_total"),
        ("staff_emulation", "staff_advanced"),
        ("staff_advanced", "staff_total"),
        ("mass_orgs_good", "mass_orgs_total"),
        ("units_cultural", "units_total"),
    ]
    ratings = ("members_excellent", "members_good", "members_completed", "members_not_completed")
    for values in by_key.values():
        for part, whole in parts:
            assert part not in values or whole not in values or values[part] <= values[whole]
        if all(r in values for r in (*ratings, "members_rated")):
            assert sum(values[r] for r in ratings) == values["members_rated"]
    kinds = set(d.kind.values())
    assert {"root", "grassroots_cell", "grassroots_committee", "subcell"} <= kinds


def test_generation_is_deterministic(tmp_path: Path) -> None:
    def dump(seed: int, name: str) -> list[tuple[Any, ...]]:
        con = make_db(tmp_path / name)
        generate.generate(con, generate.tiny(seed, units=30))
        rows = con.execute("SELECT * EXCLUDE (batch_id) FROM observations ORDER BY ALL").fetchall()
        con.close()
        return rows

    assert dump(5, "a.duckdb") == dump(5, "b.duckdb")
    assert dump(5, "c.duckdb") != dump(6, "d.duckdb")


def test_progress_table_agrees_with_the_reference(
    generated: tuple[duckdb.DuckDBPyConnection, Data, random.Random],
) -> None:
    con, d, rng = generated
    problems: list[str] = []
    for selection in selections(d, rng):
        for year in TERM:
            table = progress_table(con, year, selection)
            got = {str(r["goal_code"]): r for r in table.to_dict("records")}
            want = reference_table(d, year, selection)
            assert list(got) == list(want)
            label = "all" if selection is None else f"{len(selection)} orgs"
            for code, row in want.items():
                problems += differences(got[code], row, f"{year} {label} {code}")
    assert problems == []


def test_scorecard_agrees_with_the_reference(
    generated: tuple[duckdb.DuckDBPyConnection, Data, random.Random],
) -> None:
    con, d, rng = generated
    problems: list[str] = []
    for selection in selections(d, rng):
        if selection is not None and d.root in selection:
            continue
        for year in (2020, 2022, 2024, 2025):
            table = scorecard(con, year, selection)
            got = {(str(r["org_code"]), str(r["goal_code"])): r for r in table.to_dict("records")}
            want = reference_scorecard(d, year, selection)
            assert set(got) == set(want), (year, set(got) ^ set(want))
            for key, row in want.items():
                problems += differences(got[key], row, f"{year} {key}")
    assert problems == []


def test_the_cells_grid_holds_the_reference_scorecard_by_name(
    generated: tuple[duckdb.DuckDBPyConnection, Data, random.Random],
) -> None:
    """The Chi bộ page's grid (organisations × goals, from the scorecard's arrays) holds, for
    every organisation once and sorted by name, the reference's value and status of each
    goal it shows, and leaves out the goals that count organisations."""
    con, d, rng = generated
    goals = queries.goals(con, queries.resolution(con, None).code)
    counted = {g.code for g in goals if g.counts_organisations}
    for selection in [None, *[s for s in selections(d, rng) if s and d.root not in s][:2]]:
        for year in (2022, 2025):
            g = cell_view.grid(*scorecard_blocks(con, year, selection), goals)
            want = reference_scorecard(d, year, selection)
            assert set(g.values.index) == {org for org, _ in want}
            assert g.values.index.is_unique and not counted & set(g.goal_codes)
            assert bool(g.goal_codes) == bool(want)  # an empty selection: an empty grid
            names = list(g.values["name"])
            assert names == sorted(names)
            for org in g.values.index:
                for code in g.goal_codes:
                    row = want[(org, code)]
                    assert g.statuses.at[org, code] == row["status"], (year, org, code)
                    assert same(g.values.at[org, code], row["actual"]), (year, org, code)


def test_the_benchmarks_pandas_reference_agrees_too(
    generated: tuple[duckdb.DuckDBPyConnection, Data, random.Random],
) -> None:
    """The pandas overview the benchmark times computes the same numbers."""
    con, _, _ = generated
    for year in (2020, 2023, 2024):
        frames = reference.load_frames(con, year)
        dashboard = progress_table(con, year)
        assert reference.compare(dashboard, reference.pandas_overview(frames, year)) == []
