"""Target vs actual on small hand-made data sets, loaded through the real ingest path.

The organisations (tests/conftest.py): ROOT; grassroots cells A and B; grassroots committee C
with its subcell C1; cell D, active from 2022. Every expected number is worked out by hand
in the comments.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from src.config import CATALOGUE_DIR
from src.engine.progress import progress_table
from src.store import catalogue, storage
from tests.conftest import load

HEADER = "year,org_code,indicator_code,value\n"
ROOT_GOALS = ("A2", "A6", "A7", "T2")


def long_csv(rows: str) -> str:
    """A long CSV from compact lines ``year org indicator value``."""
    lines = [",".join(line.split()) for line in rows.strip().splitlines()]
    return HEADER + "\n".join(lines) + "\n"


def table(
    con: duckdb.DuckDBPyConnection, year: int, org_codes: list[str] | None = None
) -> dict[str, dict[str, object]]:
    frame = progress_table(con, year, org_codes)
    return {
        str(r["goal_code"]): {str(k): v for k, v in r.items()} for r in frame.to_dict("records")
    }


def empty(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# --- every kind of goal ----------------------------------------------------------------------


def test_ratio_goal_sums_numerators_and_denominators_over_the_organisations(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        long_csv("""
        2021 A members_total   40
        2021 A members_studied 38
        2021 B members_total   60
        2021 B members_studied 54
        2021 C members_total   100
        2021 C members_studied 100
    """),
    )
    a1 = table(org_con, 2021)["A1"]
    # (38 + 54 + 100) / (40 + 60 + 100) = 192 / 200 = 96%, not the mean of the shares
    # (95 + 90 + 100) / 3 = 95%; target 100%: 96 is within 5 points, so near
    assert a1["actual"] == pytest.approx(96.0)
    assert (a1["numerator"], a1["denominator"]) == (192.0, 200.0)
    assert a1["status"] == "near"
    # coverage: A, B, C reported, of the three active in 2021 (D starts in 2022)
    assert (a1["reported"], a1["expected"]) == (3, 3)


def test_of_which_goal_uses_the_parent_group_as_denominator(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        long_csv("""
        2021 A members_total         25
        2021 A members_rated         20
        2021 A members_excellent     3
        2021 A members_good          13
        2021 A members_completed     3
        2021 A members_not_completed 1
        2021 B members_total         35
        2021 B members_rated         30
        2021 B members_excellent     2
        2021 B members_good          22
        2021 B members_completed     5
        2021 B members_not_completed 1
        2021 A staff_total           50
        2021 A staff_advanced        48
        2021 A staff_emulation       7
        2021 B staff_total           50
        2021 B staff_advanced        46
        2021 B staff_emulation       6
    """),
    )
    rows = table(org_con, 2021)
    # A4: (3 + 13 + 2 + 22) / (20 + 30) = 40 / 50 = 80% → met
    assert rows["A4"]["actual"] == pytest.approx(80.0)
    assert rows["A4"]["status"] == "met"
    # A4a, of which excellent, over the parent group (rated good or better):
    # (3 + 2) / (3 + 13 + 2 + 22) = 5 / 40 = 12.5% (over everyone rated it would be 5/50 = 10%)
    # target 15: 12.5 is within 5 points → near
    assert (rows["A4a"]["numerator"], rows["A4a"]["denominator"]) == (5.0, 40.0)
    assert rows["A4a"]["actual"] == pytest.approx(12.5)
    assert rows["A4a"]["status"] == "near"
    # A5: (48 + 46) / (50 + 50) = 94% → near (target 95)
    assert rows["A5"]["actual"] == pytest.approx(94.0)
    assert rows["A5"]["status"] == "near"
    # A5a over those awarded Advanced Worker: (7 + 6) / (48 + 46) = 13 / 94 = 13.83% → near
    assert (rows["A5a"]["numerator"], rows["A5a"]["denominator"]) == (13.0, 94.0)
    assert rows["A5a"]["actual"] == pytest.approx(100 * 13 / 94)
    assert rows["A5a"]["status"] == "near"
    assert rows["A5a"]["cap_exceeded"] is False  # 13.83% is under the legal cap of 15%


def test_organisation_counting_goals_count_organisations_not_members(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        long_csv("""
        2022 A org_rating    1
        2022 B org_rating    2
        2022 C org_rating    3
        2022 D org_rating    2
        2022 A members_total 10
        2022 C members_total 500
        2022 A inspected     1
        2022 B inspected     0
        2022 C inspected     0
        2022 D inspected     0
    """),
    )
    rows = table(org_con, 2022)
    # A3: organisations rated good or better (A, B, D) / organisations rated (A, B, C, D)
    # = 3 / 4 = 75% whatever their size → near (target 80, within 5 points)
    assert (rows["A3"]["numerator"], rows["A3"]["denominator"]) == (3.0, 4.0)
    assert rows["A3"]["actual"] == pytest.approx(75.0)
    assert rows["A3"]["status"] == "near"
    # A3a: excellent (A) / good or better (A, B, D) = 1 / 3 = 33.3% → met, above the 20% cap
    assert rows["A3a"]["actual"] == pytest.approx(100 / 3)
    assert rows["A3a"]["status"] == "met"
    assert rows["A3a"]["cap_exceeded"] is True
    # A8: inspected (A) / organisations reporting the flag (A, B, C, D) = 1 / 4 = 25% → met
    assert (rows["A8"]["numerator"], rows["A8"]["denominator"]) == (1.0, 4.0)
    assert rows["A8"]["actual"] == pytest.approx(25.0)
    assert rows["A8"]["status"] == "met"
    assert (rows["A8"]["reported"], rows["A8"]["expected"]) == (4, 4)


def test_count_goals_at_root_compare_the_committees_number_with_the_target(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        long_csv("""
        2021 ROOT classes_candidates  2
        2021 ROOT classes_new_members 1
        2022 ROOT classes_candidates  0
    """),
    )
    rows = table(org_con, 2021)
    # A6: 2 classes of 2 → met
    assert rows["A6"]["actual"] == 2.0 and rows["A6"]["status"] == "met"
    # A7: 1 of 2 = 50%, under 90% of the target → missed
    assert rows["A7"]["actual"] == 1.0 and rows["A7"]["status"] == "missed"
    assert (rows["A6"]["reported"], rows["A6"]["expected"]) == (1, 1)
    rows = table(org_con, 2022)
    # a reported zero is a number: missed, not "no data"; A7 was not reported at all
    assert rows["A6"]["actual"] == 0.0 and rows["A6"]["status"] == "missed"
    assert empty(rows["A7"]["actual"]) and rows["A7"]["status"] == "no_data"
    assert (rows["A7"]["reported"], rows["A7"]["expected"]) == (0, 1)


def test_rating_goal_takes_the_worse_of_the_two_root_ratings(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        long_csv("""
        2020 ROOT standing_committee_rating 1
        2020 ROOT committee_rating          tốt
        2021 ROOT standing_committee_rating 3
        2021 ROOT committee_rating          1
        2022 ROOT standing_committee_rating 1
        2023 ROOT committee_rating          4
    """),
    )
    # 2020: excellent (1) and good ("tốt" = 2): the worse is 2, target "good or better" → met
    a2 = table(org_con, 2020)["A2"]
    assert (a2["actual"], a2["status"]) == (2.0, "met")
    assert (a2["reported"], a2["expected"]) == (2, 2)
    # 2021: completed (3) and excellent (1): the worse is 3 → missed
    a2 = table(org_con, 2021)["A2"]
    assert (a2["actual"], a2["status"]) == (3.0, "missed")
    # 2022: only the Standing Committee's rating (1); the committee's is missing, so it is
    # not known whether both are good or better: no status, one of two ratings reported
    a2 = table(org_con, 2022)["A2"]
    assert a2["status"] == "no_data"
    assert (a2["reported"], a2["expected"]) == (1, 2)
    # 2023: only the committee's rating, 4: whatever the other is, the goal is missed
    a2 = table(org_con, 2023)["A2"]
    assert (a2["actual"], a2["status"]) == (4.0, "missed")
    # 2024: neither rating: no data, empty actual
    a2 = table(org_con, 2024)["A2"]
    assert empty(a2["actual"]) and a2["status"] == "no_data"
    assert (a2["reported"], a2["expected"]) == (0, 2)


def test_term_goal_accumulates_admissions_with_pace_and_projection(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        long_csv("""
        2020 A new_members 10
        2020 B new_members 20
        2020 C new_members 30
        2021 A new_members 15
        2021 B new_members 25
        2021 C new_members 40
        2022 A new_members 5
        2022 B new_members 10
        2022 C new_members 20
        2022 D new_members 30
    """),
    )
    # T1, target 400 over the six years 2020-2025; pace = 400 × elapsed / 6;
    # projection = cumulative / elapsed × 6
    expected = {
        # 10 + 20 + 30 = 60; pace 66.67 → behind; projection 60 × 6 = 360
        2020: (60.0, 400 / 6, "behind", 360.0, 3, 3),
        # 60 + 15 + 25 + 40 = 140; pace 133.33 → on track; projection 140 / 2 × 6 = 420
        2021: (140.0, 800 / 6, "on_track", 420.0, 3, 3),
        # 140 + 5 + 10 + 20 + 30 = 205; pace 200 → on track; projection 205 / 3 × 6 = 410
        2022: (205.0, 200.0, "on_track", 410.0, 4, 4),
    }
    for year, (actual, pace, pace_status, projected, reported, units) in expected.items():
        t1 = table(org_con, year)["T1"]
        assert t1["actual"] == pytest.approx(actual), year
        assert t1["pace_target"] == pytest.approx(pace), year
        assert t1["pace_status"] == pace_status, year
        assert t1["projection"] == pytest.approx(projected), year
        assert (t1["reported"], t1["expected"]) == (reported, units), year
        # the status compares with the whole term's target: 205 < 90% of 400 → missed
        assert t1["status"] == "missed", year


def test_term_goal_at_root_accumulates_the_committees_classes(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        long_csv("""
        2020 ROOT classes_party_work 0
        2021 ROOT classes_party_work 1
        2022 ROOT classes_party_work 1
    """),
    )
    # T2, target 2 over six years: pace = 2 × elapsed / 6
    t2 = table(org_con, 2020)["T2"]
    # 2020: 0 classes (a number, not missing); pace 1/3 → behind; projection 0 → missed
    assert (t2["actual"], t2["status"], t2["pace_status"]) == (0.0, "missed", "behind")
    assert t2["pace_target"] == pytest.approx(2 / 6)
    assert t2["projection"] == 0.0
    t2 = table(org_con, 2021)["T2"]
    # 2021: 0 + 1 = 1; pace 2/3 → on track; projection 1 / 2 × 6 = 3; 1 of 2 → missed
    assert (t2["actual"], t2["status"], t2["pace_status"]) == (1.0, "missed", "on_track")
    assert t2["projection"] == pytest.approx(3.0)
    t2 = table(org_con, 2022)["T2"]
    # 2022: 1 + 1 = 2 = the term's target → met; pace 1; projection 2 / 3 × 6 = 4
    assert (t2["actual"], t2["status"], t2["pace_status"]) == (2.0, "met", "on_track")
    assert t2["pace_target"] == pytest.approx(1.0)
    assert t2["projection"] == pytest.approx(4.0)


def test_qualitative_goals_take_their_status_from_the_assessments(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        "year,goal_code,status,note\n"
        "2022,T3,met,Các cơ quan hoàn thành nhiệm vụ chính trị\n"
        "2022,K1,đạt một phần,Sinh hoạt chi bộ còn hình thức ở một số nơi\n"
        "2021,K2,chưa đạt,\n",
        "assessments.csv",
    )
    rows = table(org_con, 2022)
    assert rows["T3"]["status"] == "met"
    assert rows["T3"]["assessment_note"] == "Các cơ quan hoàn thành nhiệm vụ chính trị"
    assert rows["K1"]["status"] == "near"  # "đạt một phần": partly achieved
    assert (rows["K1"]["reported"], rows["K1"]["expected"]) == (1, 1)
    # K2 was assessed for 2021 only
    assert rows["K2"]["status"] == "no_data"
    assert (rows["K2"]["reported"], rows["K2"]["expected"]) == (0, 1)
    assert table(org_con, 2021)["K2"]["status"] == "missed"
    for code in ("T3", "K1", "K2"):
        assert empty(rows[code]["actual"])


# --- missing numbers, selections, subcells, active years ---------------------------------------


def test_an_organisation_missing_one_indicator_is_left_out_of_that_goal_only(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        long_csv("""
        2021 A members_total   50
        2021 A members_studied 45
        2021 B members_total   50
        2021 C members_total   100
        2021 C members_studied 99
        2021 B mass_orgs_total 4
        2021 B mass_orgs_good  4
    """),
    )
    rows = table(org_con, 2021)
    # B did not report members_studied: A1 = (45 + 99) / (50 + 100) = 144 / 150 = 96%
    # (counting B's missing number as zero would give 144 / 200 = 72%)
    assert rows["A1"]["actual"] == pytest.approx(96.0)
    assert (rows["A1"]["numerator"], rows["A1"]["denominator"]) == (144.0, 150.0)
    assert (rows["A1"]["reported"], rows["A1"]["expected"]) == (2, 3)
    # B still counts where it reported everything: A9 = 4 / 4 = 100%, one of three reported
    assert rows["A9"]["actual"] == pytest.approx(100.0)
    assert (rows["A9"]["reported"], rows["A9"]["expected"]) == (1, 3)
    # nobody reported units: no data, empty actual
    assert empty(rows["A10"]["actual"]) and rows["A10"]["status"] == "no_data"
    assert (rows["A10"]["reported"], rows["A10"]["expected"]) == (0, 3)


SELECTION_DATA = """
    2021 A    members_total      40
    2021 A    members_studied    40
    2021 B    members_total      60
    2021 B    members_studied    57
    2021 C    members_total      100
    2021 C    members_studied    70
    2021 A    new_members        3
    2021 B    new_members        4
    2021 C    new_members        20
    2021 ROOT committee_rating   1
    2021 ROOT standing_committee_rating 1
    2021 ROOT classes_candidates 2
    2021 ROOT classes_new_members 2
    2021 ROOT classes_party_work 1
"""


def test_a_selection_of_cells_is_computed_over_those_cells_only(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(org_con, long_csv(SELECTION_DATA))
    everyone = table(org_con, 2021)
    # all: (40 + 57 + 70) / (40 + 60 + 100) = 167 / 200 = 83.5%; T1 = 3 + 4 + 20 = 27
    assert everyone["A1"]["actual"] == pytest.approx(83.5)
    assert everyone["T1"]["actual"] == 27.0
    cells = table(org_con, 2021, ["A", "B"])
    # A and B: (40 + 57) / (40 + 60) = 97% → near; 2 of the 2 selected reported
    assert cells["A1"]["actual"] == pytest.approx(97.0)
    assert cells["A1"]["status"] == "near"
    assert (cells["A1"]["reported"], cells["A1"]["expected"]) == (2, 2)
    # T1: the selected cells' share, 3 + 4 = 7
    assert cells["T1"]["actual"] == 7.0
    assert (cells["T1"]["reported"], cells["T1"]["expected"]) == (2, 2)


def test_committee_level_goals_do_not_apply_to_a_selection_of_cells(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(org_con, long_csv(SELECTION_DATA))
    everyone = table(org_con, 2021)
    cells = table(org_con, 2021, ["A", "B"])
    for code in ROOT_GOALS:
        assert everyone[code]["applicable"] is True, code
        assert not empty(everyone[code]["actual"]), code
        assert cells[code]["applicable"] is False, code
        assert empty(cells[code]["actual"]), code
        assert cells[code]["status"] == "no_data", code
    assert everyone["A2"]["status"] == "met"
    assert (everyone["A6"]["status"], everyone["A7"]["status"]) == ("met", "met")


def test_a_selection_with_the_root_keeps_the_committee_level_goals(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(org_con, long_csv(SELECTION_DATA))
    rows = table(org_con, 2021, ["ROOT", "C"])
    for code in ROOT_GOALS:
        assert rows[code]["applicable"] is True, code
    assert rows["A6"]["actual"] == 2.0
    # the cells part is C only: A1 = 70 / 100 = 70% → missed; 1 of 1 expected
    assert rows["A1"]["actual"] == pytest.approx(70.0)
    assert rows["A1"]["status"] == "missed"
    assert (rows["A1"]["reported"], rows["A1"]["expected"]) == (1, 1)
    # the root alone means the whole committee
    alone = table(org_con, 2021, ["ROOT"])
    assert alone["A1"]["actual"] == pytest.approx(83.5)
    assert alone["A1"]["expected"] == 3


def test_subcell_counts_roll_up_into_their_committee_where_it_did_not_report(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        long_csv("""
        2021 A  members_total   20
        2021 A  members_studied 20
        2021 C1 members_total   30
        2021 C1 members_studied 27
        2021 A  new_members     2
        2021 C  new_members     5
        2021 C1 new_members     3
        2021 A  org_rating      2
        2021 C1 org_rating      1
        2021 C1 inspected       1
    """),
    )
    rows = table(org_con, 2021)
    # C reported no members: C1's 30 / 27 stand for C. A1 = (20 + 27) / (20 + 30) = 94%
    assert rows["A1"]["actual"] == pytest.approx(94.0)
    assert (rows["A1"]["numerator"], rows["A1"]["denominator"]) == (47.0, 50.0)
    # reported: A and C (through C1); expected: A, B, C (a subcell is not a grassroots
    # organisation of its own)
    assert (rows["A1"]["reported"], rows["A1"]["expected"]) == (2, 3)
    # C reported new_members itself: its own 5 counts, C1's 3 is not added. T1 = 2 + 5 = 7
    assert rows["T1"]["actual"] == 7.0
    # ratings and flags do not roll up: C1's rating does not stand for C.
    # A3 = A only: 1 / 1 = 100%; A8 has nobody
    assert (rows["A3"]["numerator"], rows["A3"]["denominator"]) == (1.0, 1.0)
    assert rows["A3"]["reported"] == 1
    assert empty(rows["A8"]["actual"]) and rows["A8"]["status"] == "no_data"
    # selecting C selects its subcell too: 27 / 30 = 90%
    only_c = table(org_con, 2021, ["C"])
    assert only_c["A1"]["actual"] == pytest.approx(90.0)
    assert (only_c["A1"]["reported"], only_c["A1"]["expected"]) == (1, 1)


def test_an_organisation_not_yet_active_is_not_expected(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    load(
        org_con,
        long_csv("""
        2021 A members_total   10
        2021 A members_studied 10
        2022 A members_total   10
        2022 A members_studied 10
        2022 D members_total   10
        2022 D members_studied 8
    """),
    )
    # 2021: A, B, C are expected; D, founded in 2022, is not
    rows = table(org_con, 2021)
    assert (rows["A1"]["reported"], rows["A1"]["expected"]) == (1, 3)
    assert rows["A1"]["actual"] == pytest.approx(100.0)
    # 2022: D too. A1 = (10 + 8) / (10 + 10) = 90%
    rows = table(org_con, 2022)
    assert (rows["A1"]["reported"], rows["A1"]["expected"]) == (2, 4)
    assert rows["A1"]["actual"] == pytest.approx(90.0)
    assert table(org_con, 2021, ["D"])["A1"]["expected"] == 0


def test_numbers_of_an_organisation_outside_its_active_years_are_not_counted(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    # D, founded in 2022, sends 2021 numbers anyway (the upload warns and records them)
    load(
        org_con,
        long_csv("""
        2021 A members_total   10
        2021 A members_studied 10
        2021 C members_total   10
        2021 C members_studied 5
        2021 D members_total   10
        2021 D members_studied 0
        2021 D new_members     4
        2021 A new_members     1
    """),
    )
    rows = table(org_con, 2021)
    # over A and C, the active organisations that reported: (10 + 5) / (10 + 10) = 75%
    # (with D: 15 / 30 = 50%); B did not report, so coverage is 2 of 3, not "3 of 3"
    assert rows["A1"]["actual"] == pytest.approx(75.0)
    assert (rows["A1"]["reported"], rows["A1"]["expected"]) == (2, 3)
    assert rows["T1"]["actual"] == 1.0  # A's 1; D's 4 belong to no active organisation
    assert (rows["T1"]["reported"], rows["T1"]["expected"]) == (1, 3)


def test_a_year_with_no_data_at_all_has_no_data_everywhere(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    full_year = """
        {y} A    members_total      40
        {y} A    members_studied    40
        {y} A    org_rating         1
        {y} A    inspected          1
        {y} A    new_members        3
        {y} ROOT committee_rating   1
        {y} ROOT standing_committee_rating 1
        {y} ROOT classes_candidates 2
        {y} ROOT classes_new_members 2
        {y} ROOT classes_party_work 1
    """
    load(org_con, long_csv(full_year.format(y=2020) + full_year.format(y=2022)))
    load(org_con, "year,goal_code,status,note\n2020,K1,met,\n2022,K1,met,\n", "a.csv")
    assert table(org_con, 2020)["T1"]["actual"] == 3.0  # the data are there
    # 2021: nothing reported. Term goals too: the total up to 2021 is not known (a missing
    # year is not a zero), so no cumulative value, pace status or projection
    frame = progress_table(org_con, 2021)
    assert len(frame) == 18
    assert (frame["status"] == "no_data").all(), frame[["goal_code", "status"]]
    for column in ("actual", "numerator", "denominator", "projection"):
        assert frame[column].isna().all(), column
    assert frame["pace_status"].isna().all()
    assert (frame["reported"].fillna(0) == 0).all()
    # the year before the term: no data either
    assert (progress_table(org_con, 2019)["status"] == "no_data").all()


# --- the catalogue is data ------------------------------------------------------------------


def test_changing_a_goals_denominator_in_the_catalogue_changes_its_basis_without_code(
    org_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load(
        org_con,
        long_csv("""
        2021 A members_rated         20
        2021 A members_excellent     3
        2021 A members_good          13
        2021 A members_completed     3
        2021 A members_not_completed 1
        2021 B members_rated         30
        2021 B members_excellent     2
        2021 B members_good          22
        2021 B members_completed     5
        2021 B members_not_completed 1
    """),
    )
    # parent basis (the catalogue as shipped): 5 / (16 + 24) = 5 / 40 = 12.5%
    assert table(org_con, 2021)["A4a"]["actual"] == pytest.approx(12.5)

    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, directory)
    path = directory / "dbcq-bac-kan-2020-2025.toml"
    text = path.read_text(encoding="utf-8")
    parent = 'basis = "parent"\nnumerator = "members_excellent"\n'
    parent += 'denominator = "members_excellent + members_good"\n'
    assert text.count(parent) == 1
    path.write_text(
        text.replace(
            parent,
            'basis = "all"\nnumerator = "members_excellent"\ndenominator = "members_rated"\n',
        ),
        encoding="utf-8",
    )
    with storage.transaction(org_con) as cur:
        catalogue.install(cur, directory)

    a4a = table(org_con, 2021)["A4a"]
    # basis "all": everyone rated, 5 / (20 + 30) = 10% → near (target 15)
    assert (a4a["numerator"], a4a["denominator"]) == (5.0, 50.0)
    assert a4a["actual"] == pytest.approx(10.0)
    assert a4a["status"] == "near"
    # the other goals are as they were: A4 = 40 / 50 = 80%
    assert table(org_con, 2021)["A4"]["actual"] == pytest.approx(80.0)


def test_the_progress_table_lists_every_goal_in_catalogue_order(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    frame = progress_table(org_con, 2021)
    assert list(frame["goal_code"]) == [
        "A1",
        "A2",
        "A3",
        "A3a",
        "A4",
        "A4a",
        "A5",
        "A5a",
        "A6",
        "A7",
        "A8",
        "A9",
        "A10",
        "T1",
        "T2",
        "T3",
        "K1",
        "K2",
    ]
    assert isinstance(frame, pd.DataFrame)
    assert (frame["year"] == 2021).all()
