"""The demo data set: deterministic, consistent with the data contract, plausible."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from src.services import demo

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "data" / "demo"
FILE_NAMES = ("organisations.csv", "observations.csv", "assessments.csv")

ROOT = "DBCQ"
FULL_YEARS = range(2020, 2025)
# The contract's per-organisation indicators and root-only indicators, as the contract names
# them (kept here on purpose, so that the test does not trust the generator's own lists).
ORG_INDICATORS = {
    "members_total",
    "members_studied",
    "members_rated",
    "members_excellent",
    "members_good",
    "members_completed",
    "members_not_completed",
    "org_rating",
    "staff_total",
    "staff_advanced",
    "staff_emulation",
    "new_members",
    "inspected",
    "mass_orgs_total",
    "mass_orgs_good",
    "units_total",
    "units_cultural",
}
ROOT_INDICATORS = {
    "standing_committee_rating",
    "committee_rating",
    "classes_candidates",
    "classes_new_members",
    "classes_party_work",
}
CLASS_INDICATORS = {"classes_candidates", "classes_new_members", "classes_party_work"}
GROUPS = {"Khối Đảng, đoàn thể", "Khối Quản lý nhà nước", "Khối Sự nghiệp, doanh nghiệp"}
GRASSROOTS = {"grassroots_committee", "grassroots_cell"}

Values = dict[str, int]


@pytest.fixture(scope="module")
def data() -> dict[str, list[demo.Row]]:
    return demo.generate()


@pytest.fixture(scope="module")
def reports(data: dict[str, list[demo.Row]]) -> dict[tuple[int, str], Values]:
    """Observations per (year, org_code): indicator code -> value."""
    by_org: dict[tuple[int, str], Values] = defaultdict(dict)
    for row in data["observations"]:
        key = (int(str(row["year"])), str(row["org_code"]))
        indicator = str(row["indicator_code"])
        assert indicator not in by_org[key], f"duplicate {key} {indicator}"
        by_org[key][indicator] = int(str(row["value"]))
    return dict(by_org)


@pytest.fixture(scope="module")
def organisations(data: dict[str, list[demo.Row]]) -> dict[str, demo.Row]:
    return {str(row["org_code"]): row for row in data["organisations"]}


def _active(org: demo.Row, year: int) -> bool:
    start, end = org["active_from"], org["active_to"]
    return (start is None or int(str(start)) <= year) and (end is None or year <= int(str(end)))


def _cells(reports: dict[tuple[int, str], Values], year: int) -> list[Values]:
    return [values for (y, code), values in reports.items() if y == year and code != ROOT]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_demo_generator_is_deterministic_and_matches_committed_files(tmp_path: Path) -> None:
    assert demo.generate() == demo.generate()
    written = demo.write(tmp_path)
    assert [path.name for path in written] == list(FILE_NAMES)
    for name in FILE_NAMES:
        fresh = (tmp_path / name).read_bytes()
        committed = (COMMITTED / name).read_bytes()
        assert fresh == committed, f"data/demo/{name} is stale: run python -m src.services.demo"


def test_demo_files_are_utf8_without_bom_with_unix_line_endings() -> None:
    for name in FILE_NAMES:
        raw = (COMMITTED / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r" not in raw, name
        assert raw.endswith(b"\n"), name
        text = raw.decode("utf-8")
        assert unicodedata.is_normalized("NFC", text), name


def test_demo_files_have_the_contract_headers() -> None:
    headers = {
        "organisations.csv": [
            "org_code",
            "name",
            "kind",
            "parent_code",
            "group",
            "active_from",
            "active_to",
        ],
        "observations.csv": ["year", "org_code", "indicator_code", "value"],
        "assessments.csv": ["year", "goal_code", "status", "note"],
    }
    for name, header in headers.items():
        first = (COMMITTED / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert next(csv.reader(io.StringIO(first))) == header


def test_demo_command_writes_the_three_files_to_the_chosen_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nested" / "demo"
    assert demo.main(["--out", str(out)]) == 0
    assert sorted(path.name for path in out.iterdir()) == sorted(FILE_NAMES)
    assert "observations.csv" in capsys.readouterr().out


def test_demo_organisations_form_one_hierarchy_under_the_root(
    organisations: dict[str, demo.Row],
) -> None:
    rows = list(organisations.values())
    assert len(rows) == len(_read_csv(COMMITTED / "organisations.csv")), "org codes not unique"
    roots = [row for row in rows if row["kind"] == "root"]
    assert len(roots) == 1
    root = roots[0]
    assert root["org_code"] == ROOT
    assert root["name"] == "Đảng bộ Các cơ quan tỉnh Bắc Kạn"
    assert root["parent_code"] == ""

    grassroots = [row for row in rows if row["kind"] in GRASSROOTS]
    assert 38 <= len(grassroots) <= 46
    committees = [row for row in grassroots if row["kind"] == "grassroots_committee"]
    assert 8 <= len(committees) <= 12
    for row in grassroots:
        assert row["parent_code"] == ROOT
        assert row["group"] in GROUPS
        prefix = "Đảng bộ " if row["kind"] == "grassroots_committee" else "Chi bộ "
        assert str(row["name"]).startswith(prefix), row
    assert {row["group"] for row in grassroots} == GROUPS
    for row in rows:
        code, name = str(row["org_code"]), str(row["name"])
        assert code.replace("-", "").replace("_", "").isalnum(), code
        assert unicodedata.is_normalized("NFC", name), name

    subcells = [row for row in rows if row["kind"] == "subcell"]
    assert sorted(str(row["name"]) for row in subcells) == ["Chi bộ Khoa Ngoại", "Chi bộ Khoa Nội"]
    for row in subcells:
        parent = organisations[str(row["parent_code"])]
        assert parent["kind"] == "grassroots_committee"
        assert parent["name"] == "Đảng bộ Bệnh viện Đa khoa tỉnh"

    assert [row["active_to"] for row in rows if row["active_to"] is not None] == [2022]
    assert [row["active_from"] for row in rows if row["active_from"] is not None] == [2023]


def test_demo_observations_are_sorted_whole_numbers_in_long_format() -> None:
    rows = _read_csv(COMMITTED / "observations.csv")
    keys = [(int(row["year"]), row["org_code"], row["indicator_code"]) for row in rows]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    for row in rows:
        assert row["value"].isdigit(), row  # whole numbers >= 0, no decimals


def test_demo_observations_respect_every_consistency_rule(
    reports: dict[tuple[int, str], Values], organisations: dict[str, demo.Row]
) -> None:
    for (year, code), values in reports.items():
        where = f"{year} {code}"
        kind = organisations[code]["kind"]
        if code == ROOT:
            assert kind == "root"
            assert set(values) <= ROOT_INDICATORS, where
            continue
        assert kind in GRASSROOTS, where
        assert not set(values) & ROOT_INDICATORS, f"root indicator on {where}"
        assert set(values) == ORG_INDICATORS, where
        v = values
        assert all(value >= 0 for value in v.values()), where
        ratings = (
            v["members_excellent"]
            + v["members_good"]
            + v["members_completed"]
            + v["members_not_completed"]
        )
        assert ratings == v["members_rated"], where
        assert v["members_rated"] <= v["members_total"], where
        assert v["members_studied"] <= v["members_total"], where
        assert v["staff_emulation"] <= v["staff_advanced"] <= v["staff_total"], where
        assert v["mass_orgs_good"] <= v["mass_orgs_total"], where
        assert v["units_cultural"] <= v["units_total"], where
        assert 1 <= v["org_rating"] <= 4, where
        assert v["inspected"] in (0, 1), where
        # The legal caps behind the "of which" goals.
        assert v["members_excellent"] * 5 <= v["members_excellent"] + v["members_good"], where
        assert v["staff_emulation"] * 100 <= v["staff_advanced"] * 15, where


def test_demo_observations_cover_active_organisations_and_no_others(
    reports: dict[tuple[int, str], Values], organisations: dict[str, demo.Row]
) -> None:
    grassroots = {code: row for code, row in organisations.items() if row["kind"] in GRASSROOTS}
    for year in FULL_YEARS:
        reported = {code for (y, code) in reports if y == year and code != ROOT}
        assert reported == {code for code, row in grassroots.items() if _active(row, year)}
    for year, code in reports:
        if code != ROOT:
            assert _active(organisations[code], year), f"{code} reports in {year}"
        assert organisations[code]["kind"] != "subcell"

    active_2025 = [code for code, row in grassroots.items() if _active(row, 2025)]
    reported_2025 = [code for (y, code) in reports if y == 2025 and code != ROOT]
    reported_2024 = [code for (y, code) in reports if y == 2024 and code != ROOT]
    assert len(reported_2025) < len(reported_2024)
    assert 25 <= len(reported_2025) < len(active_2025)


def test_demo_root_reports_ratings_and_classes(reports: dict[tuple[int, str], Values]) -> None:
    root = {year: values for (year, code), values in reports.items() if code == ROOT}
    assert sorted(root) == [*FULL_YEARS, 2025]
    for year in FULL_YEARS:
        assert set(root[year]) == ROOT_INDICATORS
        assert root[year]["standing_committee_rating"] in (1, 2)
        assert root[year]["committee_rating"] in (1, 2)
    assert set(root[2025]) == CLASS_INDICATORS
    ratings = [root[year]["committee_rating"] for year in FULL_YEARS]
    assert ratings.count(2) == 4 and ratings.count(1) == 1
    candidates = [root[year]["classes_candidates"] for year in FULL_YEARS]
    assert sorted(candidates) == [1, 2, 2, 2, 2]
    new_members = [root[year]["classes_new_members"] for year in FULL_YEARS]
    assert sorted(new_members) == [2, 2, 2, 2, 3]
    party_work = {year: root[year]["classes_party_work"] for year in FULL_YEARS}
    assert party_work == {2020: 0, 2021: 1, 2022: 0, 2023: 1, 2024: 0}


def test_demo_totals_are_plausible(
    reports: dict[tuple[int, str], Values], organisations: dict[str, demo.Row]
) -> None:
    members_2024 = sum(values["members_total"] for values in _cells(reports, 2024))
    assert 2700 <= members_2024 <= 3300
    for year in FULL_YEARS:
        admitted = sum(values["new_members"] for values in _cells(reports, year))
        assert 70 <= admitted <= 95, year
    for (year, code), values in reports.items():
        if code == ROOT:
            continue
        members = values["members_total"]
        if organisations[code]["kind"] == "grassroots_committee":
            assert 100 <= members <= 260, (year, code)
        else:
            assert 15 <= members <= 75, (year, code)


def _share(
    numerator: Callable[[Values], int], denominator: Callable[[Values], int]
) -> Callable[[list[Values]], float]:
    def ratio(cells: list[Values]) -> float:
        return 100 * sum(map(numerator, cells)) / sum(map(denominator, cells))

    return ratio


RATIOS: dict[str, tuple[Callable[[list[Values]], float], float, float]] = {
    "A1": (_share(lambda v: v["members_studied"], lambda v: v["members_total"]), 98, 99.5),
    "A3": (_share(lambda v: v["org_rating"] <= 2, lambda v: 1), 83, 90),
    "A3a": (_share(lambda v: v["org_rating"] == 1, lambda v: v["org_rating"] <= 2), 15, 22),
    "A4": (
        _share(lambda v: v["members_excellent"] + v["members_good"], lambda v: v["members_rated"]),
        85,
        90,
    ),
    "A4a": (
        _share(
            lambda v: v["members_excellent"], lambda v: v["members_excellent"] + v["members_good"]
        ),
        13,
        17,
    ),
    "A5": (_share(lambda v: v["staff_advanced"], lambda v: v["staff_total"]), 91, 94),
    "A5a": (_share(lambda v: v["staff_emulation"], lambda v: v["staff_advanced"]), 12, 14),
    "A8": (_share(lambda v: v["inspected"], lambda v: 1), 24, 33),
    "A9": (_share(lambda v: v["mass_orgs_good"], lambda v: v["mass_orgs_total"]), 90, 94),
    "A10": (_share(lambda v: v["units_cultural"], lambda v: v["units_total"]), 74, 78),
}


@pytest.mark.parametrize("goal", sorted(RATIOS))
@pytest.mark.parametrize("year", [*FULL_YEARS, 2025])
def test_demo_committee_level_ratios_tell_the_intended_story(
    reports: dict[tuple[int, str], Values], goal: str, year: int
) -> None:
    ratio, low, high = RATIOS[goal]
    actual = ratio(_cells(reports, year))
    assert low <= actual <= high, f"{goal} {year}: {actual:.2f}% outside {low}-{high}%"


def test_demo_a1_is_never_exactly_met(reports: dict[tuple[int, str], Values]) -> None:
    for year in [*FULL_YEARS, 2025]:
        cells = _cells(reports, year)
        studied = sum(values["members_studied"] for values in cells)
        assert studied < sum(values["members_total"] for values in cells), year


def test_demo_cells_differ_some_weak_some_strong(reports: dict[tuple[int, str], Values]) -> None:
    for year in FULL_YEARS:
        cells = _cells(reports, year)
        shares = [(v["members_excellent"] + v["members_good"]) / v["members_rated"] for v in cells]
        assert min(shares) < 0.85, f"no weak cell in {year}"
        assert max(shares) > 0.95, f"no strong cell in {year}"
        assert {1, 2, 3} <= {v["org_rating"] for v in cells}, year
    ratings = [v["org_rating"] for year in FULL_YEARS for v in _cells(reports, year)]
    assert 4 in ratings


def test_demo_assessments_cover_the_qualitative_goals(data: dict[str, list[demo.Row]]) -> None:
    rows = data["assessments"]
    keys = [(row["year"], row["goal_code"]) for row in rows]
    assert sorted(keys) == sorted(
        (year, goal) for year in FULL_YEARS for goal in ("K1", "K2", "T3")
    )
    statuses = [row["status"] for row in rows]
    assert set(statuses) <= {"met", "near", "missed"}
    assert statuses.count("met") > len(rows) / 2
    assert "near" in statuses
    for row in rows:
        note = str(row["note"])
        assert note and unicodedata.is_normalized("NFC", note)
        assert any(not ch.isascii() for ch in note), note  # written with diacritics
