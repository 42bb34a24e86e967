"""A held-out data set, generated here, through the command line as a user runs it.

Fifteen organisations over 2020-2022, every indicator of the contract, a few numbers missing,
one report missing, an organisation founded and one dissolved during the years (which still
sends numbers after it), and no root values in 2022. The `progress` output is compared with a
reference computed below in plain Python from the generated numbers and the goal definitions
of shared/seed/README.md (not with src.domain).
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_cli_at

YEARS = (2020, 2021, 2022)
TERM = (2020, 2021, 2022, 2023, 2024, 2025)
ROOT = "DBCQ"
SELECTION = ["CQ-02", "CQ-05", "CQ-09", "CQ-13", "CQ-14"]
TOLERANCE = 0.05  # percentage points (or units for counts)

Values = dict[str, int]


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    kind: str
    active_from: int | None = None
    active_to: int | None = None

    def active(self, year: int) -> bool:
        return (self.active_from is None or self.active_from <= year) and (
            self.active_to is None or self.active_to >= year
        )


ORGS = [
    Org(
        f"CQ-{i:02d}",
        ("Đảng bộ " if i <= 4 else "Chi bộ ") + f"Cơ quan số {i}",
        "grassroots_committee" if i <= 4 else "grassroots_cell",
        active_from=2021 if i == 13 else None,  # founded in 2021
        active_to=2021 if i == 14 else None,  # dissolved after 2021
    )
    for i in range(1, 15)
]


@dataclass
class DataSet:
    units: dict[tuple[int, str], Values]  # (year, org) → indicator → value
    root: dict[int, Values]  # year → root indicator → value


def generate(seed: int = 20201020) -> DataSet:
    """Consistent per-organisation numbers (every part within its whole, the four member
    ratings adding up to those rated), then a few numbers left out."""
    rng = random.Random(seed)
    units: dict[tuple[int, str], Values] = {}
    for year in YEARS:
        for org in ORGS:
            if org.code == "CQ-07" and year == 2022:
                continue  # CQ-07 has not sent its 2022 report
            if not org.active(year) and (org.code, year) != ("CQ-14", 2022):
                continue  # CQ-14, dissolved after 2021, still sends 2022 numbers
            big = org.kind == "grassroots_committee"
            total = rng.randint(100, 250) if big else rng.randint(15, 70)
            rated = total - rng.randint(0, total // 10)
            good_or_better = round(rated * rng.uniform(0.7, 0.97))
            excellent = round(good_or_better * rng.uniform(0.05, 0.22))
            not_completed = rng.randint(0, min(2, rated - good_or_better))
            staff = rng.randint(20, 150)
            advanced = round(staff * rng.uniform(0.85, 1.0))
            mass = rng.randint(2, 4)
            units_total = rng.randint(1, 6)
            values = {
                "members_total": total,
                "members_studied": total - rng.randint(0, max(1, total // 25)),
                "members_rated": rated,
                "members_excellent": excellent,
                "members_good": good_or_better - excellent,
                "members_completed": rated - good_or_better - not_completed,
                "members_not_completed": not_completed,
                "org_rating": rng.choice([1, 2, 2, 2, 2, 3, 4]),
                "staff_total": staff,
                "staff_advanced": advanced,
                "staff_emulation": round(advanced * rng.uniform(0.05, 0.2)),
                "new_members": rng.randint(0, 15 if big else 6),
                "inspected": int(rng.random() < 0.3),
                "mass_orgs_total": mass,
                "mass_orgs_good": mass - rng.randint(0, 1),
                "units_total": units_total,
                "units_cultural": rng.randint(max(0, units_total - 2), units_total),
            }
            if rng.random() < 0.25:  # a number not reported
                del values[rng.choice(sorted(values))]
            units[(year, org.code)] = values
    root = {
        year: {
            "standing_committee_rating": rng.choice([1, 2, 2, 3]),
            "committee_rating": rng.choice([1, 2, 2]),
            "classes_candidates": rng.choice([1, 2, 2, 3]),
            "classes_new_members": rng.choice([1, 2, 2, 2]),
            "classes_party_work": rng.choice([0, 0, 1]),
        }
        for year in YEARS[:-1]  # 2022: the committee has not reported yet
    }
    return DataSet(units, root)


def organisations_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["org_code", "name", "kind", "parent_code", "group", "active_from", "active_to"]
    )
    writer.writerow([ROOT, "Đảng bộ Các cơ quan tỉnh", "root", "", "", "", ""])
    for org in ORGS:
        writer.writerow(
            [
                org.code,
                org.name,
                org.kind,
                ROOT,
                "Khối Thử nghiệm",
                org.active_from or "",
                org.active_to or "",
            ]
        )
    return out.getvalue()


def long_csv(data: DataSet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["year", "org_code", "indicator_code", "value"])
    for (year, code), values in sorted(data.units.items()):
        for indicator, value in sorted(values.items()):
            writer.writerow([year, code, indicator, value])
    for year, values in sorted(data.root.items()):
        for indicator, value in sorted(values.items()):
            writer.writerow([year, ROOT, indicator, value])
    return out.getvalue()


# --- the reference: the seed README's definitions, in plain Python -----------------------------

Part = Callable[[Values], float]

# goal → (indicators it needs, numerator per organisation, denominator per organisation, target)
RATIO_GOALS: dict[str, tuple[tuple[str, ...], Part, Part, float]] = {
    "A1": (
        ("members_studied", "members_total"),
        lambda v: v["members_studied"],
        lambda v: v["members_total"],
        100,
    ),
    "A3": (("org_rating",), lambda v: v["org_rating"] <= 2, lambda v: 1, 80),
    "A3a": (("org_rating",), lambda v: v["org_rating"] == 1, lambda v: v["org_rating"] <= 2, 20),
    "A4": (
        ("members_excellent", "members_good", "members_rated"),
        lambda v: v["members_excellent"] + v["members_good"],
        lambda v: v["members_rated"],
        80,
    ),
    "A4a": (
        ("members_excellent", "members_good"),
        lambda v: v["members_excellent"],
        lambda v: v["members_excellent"] + v["members_good"],
        15,
    ),
    "A5": (
        ("staff_advanced", "staff_total"),
        lambda v: v["staff_advanced"],
        lambda v: v["staff_total"],
        95,
    ),
    "A5a": (
        ("staff_emulation", "staff_advanced"),
        lambda v: v["staff_emulation"],
        lambda v: v["staff_advanced"],
        15,
    ),
    "A8": (("inspected",), lambda v: v["inspected"], lambda v: 1, 20),
    "A9": (
        ("mass_orgs_good", "mass_orgs_total"),
        lambda v: v["mass_orgs_good"],
        lambda v: v["mass_orgs_total"],
        90,
    ),
    "A10": (
        ("units_cultural", "units_total"),
        lambda v: v["units_cultural"],
        lambda v: v["units_total"],
        82,
    ),
}
ROOT_COUNTS = {"A6": ("classes_candidates", 2.0), "A7": ("classes_new_members", 2.0)}


@dataclass
class Expected:
    actual: float | None
    target: float
    status: str
    reported: int | None = None
    expected: int | None = None
    pace_target: float | None = None
    pace_status: str | None = None
    projection: float | None = None


def ratio_status(actual: float, target: float) -> str:
    if actual >= target - 1e-6:
        return "met"
    return "near" if actual >= target - 5 else "missed"


def count_status(actual: float, target: float) -> str:
    if actual >= target:
        return "met"
    return "near" if actual >= 0.9 * target else "missed"


def term_row(
    total: float | None, target: float, reported: int, units: int, elapsed: int
) -> Expected:
    """A term goal: cumulative value, pace = target × elapsed / 6, projection at the average
    yearly rate; nothing when nothing was reported in the year itself."""
    pace = target * elapsed / len(TERM)
    if total is None:
        return Expected(None, target, "no_data", reported, units, pace)
    return Expected(
        total,
        target,
        count_status(total, target),
        reported,
        units,
        pace,
        "on_track" if total >= pace - 1e-9 else "behind",
        total / elapsed * len(TERM),
    )


def reference(data: DataSet, year: int, selection: list[str] | None) -> dict[str, Expected]:
    chosen = [o for o in ORGS if selection is None or o.code in selection]
    active = [o for o in chosen if o.active(year)]
    # numbers of an organisation outside its active years are recorded, not counted
    reports = [data.units[(year, o.code)] for o in active if (year, o.code) in data.units]
    out: dict[str, Expected] = {}
    for goal, (codes, num, den, target) in RATIO_GOALS.items():
        complete = [v for v in reports if all(c in v for c in codes)]
        n = sum(num(v) for v in complete)
        d = sum(den(v) for v in complete)
        actual = 100 * n / d if complete and d else None
        status = "no_data" if actual is None else ratio_status(actual, target)
        out[goal] = Expected(actual, target, status, len(complete), len(active))

    elapsed = sum(1 for y in TERM if y <= year)
    admitted = [
        v["new_members"]
        for (y, org), v in data.units.items()
        if y <= year
        and "new_members" in v
        and org in {o.code for o in ORGS if o.active(y)}
        and (selection is None or org in selection)
    ]
    reporting = sum(1 for v in reports if "new_members" in v)
    total = float(sum(admitted)) if reporting else None
    out["T1"] = term_row(total, 400.0, reporting, len(active), elapsed)

    if selection is not None:  # committee-level goals do not apply to a selection of cells
        out |= {goal: Expected(None, 2.0, "no_data") for goal in ("A2", "A6", "A7", "T2")}
        return out
    root = data.root.get(year, {})
    ratings = [root[c] for c in ("standing_committee_rating", "committee_rating") if c in root]
    assert len(ratings) in (0, 2)  # the data set has both ratings or neither
    if ratings:
        out["A2"] = Expected(max(ratings), 2, "met" if max(ratings) <= 2 else "missed", 2, 2)
    else:
        out["A2"] = Expected(None, 2, "no_data", 0, 2)
    for goal, (code, target) in ROOT_COUNTS.items():
        value = root.get(code)
        status = "no_data" if value is None else count_status(value, target)
        out[goal] = Expected(value, target, status, int(value is not None), 1)
    classes = [data.root[y]["classes_party_work"] for y in data.root if y <= year]
    reported = int("classes_party_work" in root)
    out["T2"] = term_row(float(sum(classes)) if reported else None, 2.0, reported, 1, elapsed)
    return out


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset() -> DataSet:
    return generate()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, dataset: DataSet) -> Path:
    folder = tmp_path_factory.mktemp("heldout")
    path = folder / "heldout.duckdb"
    orgs, observations = folder / "organisations.csv", folder / "observations.csv"
    orgs.write_text(organisations_csv(), encoding="utf-8")
    observations.write_text(long_csv(dataset), encoding="utf-8")
    for args in (("init", "--empty"), ("import", str(orgs)), ("import", str(observations))):
        result = run_cli_at(path, *args)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    return path


def cli_rows(db: Path, year: int, selection: list[str] | None, fmt: str) -> list[dict[str, str]]:
    args = ["progress", "--year", str(year), "--format", fmt]
    if selection:
        args += ["--org", *selection]
    result = run_cli_at(db, *args)
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        return [
            {k: "" if v is None else str(v) for k, v in row.items()}
            for row in json.loads(result.stdout)
        ]
    return list(csv.DictReader(io.StringIO(result.stdout)))


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def test_the_generated_data_set_has_gaps_and_changes_of_organisations(
    dataset: DataSet,
) -> None:
    gaps = [key for key, values in dataset.units.items() if len(values) < 17]
    assert len(gaps) >= 5  # some organisations miss a number
    assert (2022, "CQ-07") not in dataset.units  # one sent no report at all
    assert (2020, "CQ-13") not in dataset.units
    assert (2022, "CQ-14") in dataset.units  # sent by an organisation dissolved after 2021
    assert 2022 not in dataset.root


CASES = [
    pytest.param(year, selection, "csv", id=f"{year}-{name}-csv")
    for year in YEARS
    for name, selection in (("all", None), ("cells", SELECTION))
] + [
    pytest.param(2021, None, "json", id="2021-all-json"),
    pytest.param(2022, SELECTION, "json", id="2022-cells-json"),
]


@pytest.mark.parametrize(("year", "selection", "fmt"), CASES)
def test_cli_progress_matches_an_independent_reference(
    db: Path, dataset: DataSet, year: int, selection: list[str] | None, fmt: str
) -> None:
    rows = {row["goal_code"]: row for row in cli_rows(db, year, selection, fmt)}
    expected = reference(dataset, year, selection)
    assert set(expected) <= set(rows)
    assert {"T3", "K1", "K2"} <= set(rows)  # qualitative goals listed, without a number
    for goal, want in expected.items():
        row = rows[goal]
        where = f"{goal} {year} {selection or 'all'}: {row}"
        assert int(row["year"]) == year, where
        actual = number(row["actual"])
        if want.actual is None:
            assert actual is None, where
        else:
            assert actual == pytest.approx(want.actual, abs=TOLERANCE), where
        assert number(row["target"]) == want.target, where
        assert row["status"] == want.status, where
        assert number(row["reported"]) == want.reported, where
        assert number(row["expected"]) == want.expected, where
        if goal in ("T1", "T2"):
            if want.pace_target is None:
                assert row["pace_target"] == "", where
            else:
                assert number(row["pace_target"]) == pytest.approx(
                    want.pace_target, abs=TOLERANCE
                ), where
            assert (row["pace_status"] or None) == want.pace_status, where
            if want.projection is None:
                assert row["projection"] == "", where
            else:
                assert number(row["projection"]) == pytest.approx(want.projection, abs=TOLERANCE), (
                    where
                )


def test_the_reference_meets_every_status(dataset: DataSet) -> None:
    """The comparison above is only worth as much as the variety it meets."""
    seen = {
        want.status
        for year in YEARS
        for selection in (None, SELECTION)
        for want in reference(dataset, year, selection).values()
    }
    assert seen == {"met", "near", "missed", "no_data"}
