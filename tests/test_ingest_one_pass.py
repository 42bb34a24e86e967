"""Validation in one pass (issue 14): every problem of a file is listed at once.

A cell that does not parse is reported as such, and the consistency rules (a part within its
whole, ratings that add up) are checked on every organisation and year whose values involved
do parse: a user fixing a file sees the rule broken in one row next to the typing mistake in
another, not one after the other. A rule that needs a cell that does not parse is skipped for
that organisation and year only (its value is not known, so no rule error is made up from
the value held instead). The fast path for CSV files (src/ingest/bulk.py) gives the same
verdict: it hands any file with a problem to the general path, which words them all.
Messages name the row as the spreadsheet numbers it and the column by its header and letter.
"""

from __future__ import annotations

import io

import duckdb
import pytest
from openpyxl import Workbook

from src.i18n import t
from src.ingest import prepare
from src.ingest.checks import MAX_PROBLEMS, Plan
from src.views.upload_view import problems_table
from tests.conftest import load

Con = duckdb.DuckDBPyConnection

LONG_HEADER = ["year", "org_code", "indicator_code", "value"]
WIDE_HEADER = ["year", "org_code", "members_total", "members_studied", "new_members"]

# A typing mistake for A (row 2), a rule broken by B (99 studied of 28 members, row 4)
LONG_ROWS: list[list[object]] = [
    [2024, "A", "new_members", "abc"],
    [2024, "B", "members_total", 28],
    [2024, "B", "members_studied", 99],
]
LONG_FOUND = [("e_not_number", 2, "value"), ("e_part_exceeds", 4, "value")]

WIDE_ROWS: list[list[object]] = [
    [2024, "A", None, None, "abc"],
    [2024, "B", 28, 99, None],
]
WIDE_FOUND = [("e_not_number", 2, "new_members"), ("e_part_exceeds", 3, "members_studied")]


def csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    lines = [",".join(header), *(",".join("" if c is None else str(c) for c in r) for r in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def found(plan: Plan) -> list[tuple[str, int | None, str | None]]:
    return [(p.key, p.row, p.column) for p in plan.problems]


def both_paths(con: Con, data: bytes, name: str) -> Plan:
    """The plan of the default entry point (the fast path first, for a CSV file), checked
    to list the very problems the general path lists."""
    fast = prepare(con, data, name)
    general = prepare(con, data, name, bulk=False)
    assert [(p.key, p.row, p.column, p.params) for p in fast.problems] == [
        (p.key, p.row, p.column, p.params) for p in general.problems
    ]
    assert fast.ok == general.ok
    return fast


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [(LONG_HEADER, LONG_ROWS, LONG_FOUND), (WIDE_HEADER, WIDE_ROWS, WIDE_FOUND)],
    ids=["long", "wide"],
)
def test_a_typing_mistake_in_one_row_and_a_rule_broken_in_another_are_reported_together(
    org_con: Con,
    ext: str,
    header: list[str],
    rows: list[list[object]],
    expected: list[tuple[str, int, str]],
) -> None:
    data = (csv_bytes if ext == "csv" else xlsx_bytes)(header, rows)
    plan = both_paths(org_con, data, f"so-lieu.{ext}")
    assert found(plan) == expected
    assert not plan.ok


def test_a_rule_broken_in_the_row_of_a_typing_mistake_is_reported_beside_it(
    org_con: Con,
) -> None:
    """The rule needs members_total and members_studied, which parse; new_members does not:
    both problems of the one row, in the order of their columns."""
    data = csv_bytes(WIDE_HEADER, [[2024, "B", 28, 99, "abc"]])
    plan = both_paths(org_con, data, "wide.csv")
    assert found(plan) == [
        ("e_part_exceeds", 2, "members_studied"),
        ("e_not_number", 2, "new_members"),
    ]


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_a_rule_needing_a_cell_that_does_not_parse_is_skipped_for_that_row_only(
    org_con: Con, ext: str
) -> None:
    """B's members_total does not parse: the value held (30) is not what the file means, so
    99 studied is no rule error there; D's row, whose cells parse, still breaks the rule."""
    load(org_con, "year,org_code,indicator_code,value\n2024,B,members_total,30\n", "held.csv")
    rows: list[list[object]] = [[2024, "B", "28x", 99, None], [2024, "D", 28, 99, None]]
    data = (csv_bytes if ext == "csv" else xlsx_bytes)(WIDE_HEADER, rows)
    plan = both_paths(org_con, data, f"wide.{ext}")
    assert found(plan) == [
        ("e_not_number", 2, "members_total"),
        ("e_part_exceeds", 3, "members_studied"),
    ]


def test_ratings_with_one_that_does_not_parse_are_not_summed_against_the_one_held(
    org_con: Con,
) -> None:
    """The four ratings add up to members_rated; with members_good unreadable, the held 6
    would make a sum error (2 + 6 + 3 + 0 is not 10) the file does not have."""
    held = "year,org_code,indicator_code,value\n2024,A,members_good,6\n"
    load(org_con, held, "held.csv")
    rows = [
        [2024, "A", "members_rated", 10],
        [2024, "A", "members_excellent", 2],
        [2024, "A", "members_good", "năm"],
        [2024, "A", "members_completed", 3],
        [2024, "A", "members_not_completed", 0],
    ]
    plan = both_paths(org_con, csv_bytes(LONG_HEADER, rows), "long.csv")
    assert found(plan) == [("e_not_number", 4, "value")]


def test_a_value_given_twice_differently_is_not_used_to_judge_a_rule(org_con: Con) -> None:
    rows = [
        [2024, "B", "members_total", 100],
        [2024, "B", "members_total", 28],
        [2024, "B", "members_studied", 99],
    ]
    plan = both_paths(org_con, csv_bytes(LONG_HEADER, rows), "long.csv")
    assert found(plan) == [("e_duplicate_key", 3, "value")]


def test_every_problem_is_listed_in_row_order_up_to_the_cap(org_con: Con) -> None:
    """Five problems in each of 114 rows (two rules broken, three typing mistakes): the
    first MAX_PROBLEMS in row order, left to right in a row, then how many more there are."""
    header = [*WIDE_HEADER, "inspected", "org_rating", "units_total", "units_cultural"]
    rows: list[list[object]] = [
        [year, org, 28, 99, "x", 2, 9, 1, 2] for year in range(1990, 2028) for org in "ABC"
    ]
    per_row = ["e_part_exceeds", "e_not_number", "e_flag", "e_rating", "e_part_exceeds"]
    plan = both_paths(org_con, csv_bytes(header, rows), "many.csv")
    kept, more = plan.problems[:-1], plan.problems[-1]
    assert len(kept) == MAX_PROBLEMS
    assert (more.key, more.params) == ("e_too_many", {"n": len(rows) * 5 - MAX_PROBLEMS})
    assert [p.key for p in kept] == per_row * (MAX_PROBLEMS // 5)
    assert [p.row for p in kept] == [row for row in range(2, 102) for _ in per_row]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_message_names_the_row_and_the_column_by_header_and_letter(
    org_con: Con, lang: str
) -> None:
    plan = prepare(org_con, csv_bytes(WIDE_HEADER, WIDE_ROWS), "wide.csv")
    assert [(p.row, p.letter) for p in plan.problems] == [(2, "E"), (3, "D")]
    row_word, column_word = ("Dòng", "cột") if lang == "vi" else ("Row", "column")
    for problem in plan.problems:
        text = problem.render(lang)
        assert text.startswith(f"{row_word} {problem.row}, {column_word} {problem.column}: ")
    table = problems_table(plan.problems, lang)
    assert list(table[t("col_row", lang)]) == [2, 3]
    assert list(table[t("col_column", lang)]) == ["E · new_members", "D · members_studied"]
    messages = list(table[t("col_message", lang)])
    assert "99" in messages[1] and "28" in messages[1]


def test_a_whole_below_a_part_already_held_says_what_the_part_is(org_con: Con) -> None:
    """The file gives only members_total; the message stands at its cell, so it names the
    number it is compared with, and where that number is."""
    load(org_con, "year,org_code,indicator_code,value\n2024,A,members_rated,33\n", "held.csv")
    data = csv_bytes(["year", "org_code", "members_total"], [[2024, "A", 28]])
    plan = both_paths(org_con, data, "wide.csv")
    assert found(plan) == [("e_part_exceeds", 2, "members_total")]
    assert plan.problems[0].message("vi") == (
        "33 (số đảng viên được đánh giá, xếp loại, đã có trong cơ sở dữ liệu) lớn hơn tổng số"
        " đảng viên (28)."
    )
    assert "33 (members rated this year, already held) is more than" in plan.problems[0].message(
        "en"
    )
