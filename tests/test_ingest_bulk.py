"""The fast path for long CSV files (src/ingest/bulk.py) gives the plan the general path gives.

``prepare(..., bulk=True)`` (the default) lets DuckDB read, check and diff a long CSV file it
finds completely clean; anything else (a bad cell, an unknown code, a repeated key, a rule
broken, a year an organisation was not active, quotes, a blank line in the middle) is left to
the general Python path, which names every problem with its row and column. These tests
build files as bytes in every form offices send them and check that:

- a clean file gives the same plan both ways, and does take the bulk path (``plan.diffed``);
- a dirty file gives the same problems both ways (the bulk path gives up);
- every consistency rule of the data contract is enforced from the default entry point;
- the observations stay unique by key after applying, undoing and re-applying files (the
  primary key index was dropped on purpose: uniqueness holds by construction);
- a big clean file takes the bulk path and applies.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Iterator
from typing import Any

import duckdb
import pandas as pd
import pytest

from src import queries
from src.ingest import apply, prepare, undo
from src.ingest.plan import Plan
from tests.conftest import ORGS_CSV, load, make_db

Con = duckdb.DuckDBPyConnection
Row = tuple[str, str, str, str]  # year, org_code, indicator_code, value: cells as typed

HEADER = ("year", "org_code", "indicator_code", "value")
HEADER_VI = ("Năm", "Mã tổ chức", "Mã chỉ số", "Giá trị")

# Values held before each clean file is read: the file changes three, leaves three as they
# were and adds ten.
HELD = """year,org_code,indicator_code,value
2024,A,members_total,1200
2024,A,new_members,1
2024,A,org_rating,3
2024,ROOT,classes_candidates,3
2023,A,members_total,12
2023,A,members_rated,10
2023,C,members_total,45
"""

# A clean long file, as typed: every organisation kind, the root's own indicators, counts,
# a flag, ratings, parts within their wholes and four ratings adding up to members_rated.
BASE: list[Row] = [
    ("2024", "A", "members_total", "1234"),  # changed (1200)
    ("2024", "A", "new_members", "1"),  # unchanged
    ("2024", "A", "org_rating", "2"),  # changed (3)
    ("2024", "A", "inspected", "1"),
    ("2024", "B", "members_total", "20"),
    ("2024", "B", "members_studied", "18"),
    ("2024", "C1", "staff_total", "30"),
    ("2024", "D", "new_members", "0"),
    ("2024", "ROOT", "committee_rating", "1"),
    ("2024", "ROOT", "classes_candidates", "3"),  # unchanged
    ("2023", "A", "members_rated", "10"),  # unchanged
    ("2023", "A", "members_excellent", "2"),
    ("2023", "A", "members_good", "5"),
    ("2023", "A", "members_completed", "3"),
    ("2023", "A", "members_not_completed", "0"),
    ("2023", "C", "members_total", "50"),  # changed (45)
]
BASE_VALUES = {(int(y), o, i, float(v)) for y, o, i, v in BASE}
BASE_COUNTS = (10, 3, 3)  # added, changed, unchanged

# Indicators written as people write them: the Vietnamese name, or one of its aliases.
NAMES_VI = {
    "members_total": "Tổng số đảng viên",
    "org_rating": "Xếp loại tổ chức đảng",
    "new_members": "Số đảng viên kết nạp mới",
    "committee_rating": "Xếp loại Đảng bộ",
    "members_excellent": "htxsnv",
    "staff_total": "tong so cbccvc",
    "members_studied": "Số đảng viên được học tập, quán triệt nghị quyết",  # a comma: not ","
}


# ---------------------------------------------------------------------------------------
# building files


def text_of(
    rows: list[Row],
    *,
    header: tuple[str, ...] = HEADER,
    delimiter: str = ",",
    newline: str = "\n",
    end: str = "",
) -> str:
    """The rows as a CSV text, exactly as given: no quoting (cells must not need any)."""
    lines = [delimiter.join(header), *(delimiter.join(r) for r in rows)]
    return newline.join(lines) + newline + end


def named(rows: list[Row], names: dict[str, str] = NAMES_VI) -> list[Row]:
    """The indicator codes replaced by Vietnamese names and aliases, where there is one."""
    return [(y, o, names.get(i, i), v) for y, o, i, v in rows]


def with_value(rows: list[Row], code: str, value: str) -> list[Row]:
    """The value of the first row of an indicator written another way."""
    first = next(n for n, r in enumerate(rows) if r[2] == code)
    return [(y, o, i, value if n == first else v) for n, (y, o, i, v) in enumerate(rows)]


def padded(rows: list[Row]) -> list[Row]:
    """Spaces and non-breaking spaces around the cells, as copied from a web page."""
    pads = [(" ", " "), ("\u00a0", ""), ("  ", "\u00a0"), ("", " \u00a0 ")]
    out = []
    for n, row in enumerate(rows):
        out.append(
            tuple(f"{pads[(n + k) % 4][0]}{c}{pads[(n + k) % 4][1]}" for k, c in enumerate(row))
        )
    return out  # type: ignore[return-value]


def shuffled(rows: list[Row]) -> list[Row]:
    out = list(rows)
    random.Random(20240).shuffle(out)
    return out


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed letters where the code page
    has them (â, ê, ô, ơ, ư, ă, đ), tone marks as combining characters."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], list(decomposed[1:])
        for order in itertools.permutations(marks):
            for i in range(len(order), -1, -1):
                head = unicodedata.normalize("NFC", base + "".join(order[:i]))
                try:
                    out += head.encode("cp1258") + "".join(order[i:]).encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
            else:
                continue
            break
        else:
            raise AssertionError(f"{ch!r} cannot be written in Windows-1258")
    return bytes(out)


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


BOM = b"\xef\xbb\xbf"
VI_TEXT = text_of(named(BASE), header=HEADER_VI, delimiter=";")  # Vietnamese, for encodings

# name → (the file's bytes, whether the bulk path must take it)
CLEAN: dict[str, tuple[bytes, bool]] = {
    "utf8": (utf8(text_of(BASE)), True),
    "utf8_bom": (BOM + utf8(text_of(BASE)), True),
    "crlf": (utf8(text_of(BASE, newline="\r\n")), True),
    "bom_crlf": (BOM + utf8(text_of(BASE, newline="\r\n")), True),
    "semicolon": (utf8(text_of(BASE, delimiter=";")), True),
    "tab": (utf8(text_of(BASE, delimiter="\t")), True),
    "spaces_and_nbsp_around_cells": (
        utf8(
            text_of(padded(BASE), header=(" year", "org_code\u00a0", " indicator_code ", "value"))
        ),
        True,
    ),
    "spaces_and_nbsp_semicolon_crlf": (
        utf8(text_of(padded(BASE), delimiter=";", newline="\r\n")),
        True,
    ),
    "indicator_names_vi": (
        utf8(text_of(named(BASE, {k: v for k, v in NAMES_VI.items() if "," not in v}))),
        True,
    ),
    "indicator_names_vi_with_commas_semicolon": (utf8(text_of(named(BASE), delimiter=";")), True),
    "header_aliases_vi": (utf8(text_of(BASE, header=HEADER_VI)), True),
    "header_aliases_vi_ascii": (
        utf8(text_of(BASE, header=("nam", "ma_to_chuc", "ma_chi_so", "gia_tri"))),
        True,
    ),
    "thousands_dot": (utf8(text_of(with_value(BASE, "members_total", "1.234"))), True),
    "thousands_comma_semicolon": (
        utf8(text_of(with_value(BASE, "members_total", "1,234"), delimiter=";")),
        True,
    ),
    "thousands_comma_tab": (
        utf8(text_of(with_value(BASE, "members_total", "1,234"), delimiter="\t")),
        True,
    ),
    "thousands_space": (
        utf8(text_of(with_value(BASE, "members_total", "1\u00a0234"))),
        True,
    ),
    "ratings_by_name": (
        utf8(
            text_of(
                with_value(
                    with_value(BASE, "org_rating", "Hoàn thành tốt nhiệm vụ"),
                    "committee_rating",
                    "Xuất sắc",
                )
            )
        ),
        True,
    ),
    "trailing_empty_lines": (utf8(text_of(BASE, end="\n\n\n")), True),
    "trailing_empty_lines_crlf": (utf8(text_of(BASE, newline="\r\n", end="\r\n\r\n")), True),
    "no_newline_at_the_end": (utf8(text_of(BASE)[:-1]), True),
    "trailing_delimiter_on_every_line": (
        utf8("\n".join(line + "," for line in text_of(BASE).splitlines()) + "\n"),
        True,
    ),
    "trailing_delimiter_on_data_lines_only": (
        utf8(
            "\n".join(
                line + ("," if n else "") for n, line in enumerate(text_of(BASE).splitlines())
            )
            + "\n"
        ),
        True,
    ),
    "header_with_trailing_empty_cells": (
        utf8(text_of(BASE, header=(*HEADER, "", ""))),
        True,
    ),
    "nfd_text": (utf8(unicodedata.normalize("NFD", VI_TEXT)), True),
    "utf16_le_bom": (VI_TEXT.encode("utf-16"), True),
    "utf16_be_bom": (b"\xfe\xff" + VI_TEXT.encode("utf-16-be"), True),
    "utf16_crlf_tab": (
        text_of(named(BASE), header=HEADER_VI, delimiter="\t", newline="\r\n").encode("utf-16"),
        True,
    ),
    "windows_1258": (cp1258(VI_TEXT.replace("\n", "\r\n")), True),
    "rows_in_random_order": (utf8(text_of(shuffled(BASE))), True),
    "rows_of_delimiters_only": (
        utf8(text_of([*BASE[:3], ("", "", "", ""), *BASE[3:9], ("", "", "", ""), *BASE[9:]])),
        True,
    ),
    "rows_of_delimiters_only_at_the_end": (
        utf8(text_of([*BASE, ("", "", "", ""), ("", "", "", "")])),
        True,
    ),
    "a_line_of_spaces_in_the_middle": (
        utf8(text_of(BASE).replace("\n2024,B,", "\n  \u00a0\n2024,B,", 1)),
        True,
    ),
    "everything_at_once": (
        BOM
        + utf8(
            text_of(
                padded(shuffled(named(with_value(BASE, "members_total", "1,234")))),
                header=(*HEADER_VI, ""),
                delimiter=";",
                newline="\r\n",
                end="\r\n",
            )
        ),
        True,
    ),
    # files the bulk path leaves to the general path
    "quoted_cells": (
        utf8(text_of([tuple(f'"{c}"' for c in r) for r in BASE])),  # type: ignore[misc]
        False,
    ),
    "a_quoted_cell_holding_the_delimiter": (
        utf8(text_of(with_value(BASE, "members_total", '"1,234"'))),
        False,
    ),
    "a_blank_line_in_the_middle": (
        utf8(text_of(BASE).replace("\n2024,B,", "\n\n2024,B,", 1)),
        False,
    ),
    "a_blank_line_in_the_middle_crlf": (
        utf8(text_of(BASE, newline="\r\n").replace("\r\n2024,B,", "\r\n\r\n2024,B,", 1)),
        False,
    ),
    "mixed_line_ends": (
        utf8(text_of(BASE).replace("\n2024,B,", "\r\n2024,B,", 1)),
        False,
    ),
}


# ---------------------------------------------------------------------------------------
# databases


@pytest.fixture(scope="module")
def held_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Con]:
    """The six small organisations of conftest (ROOT, A, B, C with subcell C1, D from 2022)
    and the values of HELD. Shared by the tests that only prepare (prepare writes nothing)."""
    con = make_db(tmp_path_factory.mktemp("bulk") / "held.duckdb")
    load(con, ORGS_CSV, "orgs.csv")
    load(con, HELD, "held.csv")
    yield con
    con.close()


# ---------------------------------------------------------------------------------------
# comparing plans


def problems(plan: Plan) -> list[tuple[str, int | None, str | None, dict[str, object], str]]:
    return [(p.key, p.row, p.column, p.params, p.severity) for p in plan.problems]


def observations(plan: Plan) -> list[tuple[int, str, str, float, int, str]]:
    frame = plan.observations
    if not isinstance(frame, pd.DataFrame):
        frame = frame.to_pandas()  # the bulk path's pyarrow table
    columns = ["year", "org_code", "indicator_code", "value", "row", "column"]
    return sorted(
        (int(y), str(o), str(i), float(v), int(r), str(c))
        for y, o, i, v, r, c in frame[columns].itertuples(index=False)
    )


def changes(plan: Plan) -> list[tuple[int, str, str, float, float]]:
    frame = plan.changes
    if frame.empty:
        return []
    columns = ["year", "org_code", "indicator_code", "old", "new"]
    return sorted(
        (int(y), str(o), str(i), float(a), float(b))
        for y, o, i, a, b in frame[columns].itertuples(index=False)
    )


def summary(plan: Plan) -> dict[str, Any]:
    """Everything a user or apply sees of a plan of observations."""
    return {
        "ok": plan.ok,
        "kind": plan.kind,
        "counts": (plan.added, plan.changed, plan.unchanged),
        "rows": plan.rows,
        "encoding": plan.encoding,
        "delimiter": plan.delimiter,
        "problems": problems(plan),
        "observations": observations(plan),
        "changes": changes(plan),
    }


def both(con: Con, data: bytes, name: str = "upload.csv") -> tuple[Plan, Plan]:
    return prepare(con, data, name, bulk=True), prepare(con, data, name, bulk=False)


# ---------------------------------------------------------------------------------------
# 1. clean files


@pytest.mark.parametrize("variant", list(CLEAN))
def test_bulk_and_general_paths_give_the_same_plan_for_clean_files(
    variant: str, held_db: Con
) -> None:
    data, takes_bulk = CLEAN[variant]

    fast, general = both(held_db, data, f"{variant}.csv")

    assert general.ok, [p.render("en") for p in general.problems]
    assert general.diffed is False
    assert summary(fast) == summary(general)
    # the file means what BASE means, whatever its form
    assert fast.kind == "long"
    assert (fast.added, fast.changed, fast.unchanged) == BASE_COUNTS
    assert fast.rows == len(BASE)
    assert {(y, o, i, v) for y, o, i, v, _, _ in observations(fast)} == BASE_VALUES
    assert fast.diffed is takes_bulk, (
        "the bulk path was not taken" if takes_bulk else "the bulk path took a file it must not"
    )


def test_the_clean_file_variants_are_really_different_files() -> None:
    assert len({data for data, _ in CLEAN.values()}) == len(CLEAN)


# ---------------------------------------------------------------------------------------
# 2. dirty files

GOOD_ROWS: list[Row] = [("2024", "B", "new_members", "2"), ("2024", "C1", "inspected", "0")]


def dirty(*bad: Row, before: list[Row] = GOOD_ROWS, **layout: Any) -> bytes:
    """Two good rows (rows 2 and 3), then the bad ones from row 4."""
    return utf8(text_of([*before, *bad], **layout))


# name → (file, the problem that must be among those named: key, row, column)
DIRTY: dict[str, tuple[bytes, tuple[str, int, str | None]]] = {
    "unknown_org": (dirty(("2024", "Z9", "new_members", "1")), ("e_unknown_org", 4, "org_code")),
    "blank_org": (dirty(("2024", "", "new_members", "1")), ("e_required", 4, "org_code")),
    "unknown_indicator": (
        dirty(("2024", "A", "so_dang_vien_nu", "3")),
        ("e_unknown_indicator", 4, "indicator_code"),
    ),
    "blank_indicator": (dirty(("2024", "A", "", "3")), ("e_required", 4, "indicator_code")),
    "blank_value": (dirty(("2024", "A", "new_members", "")), ("e_required", 4, "value")),
    "spaces_only_value": (
        dirty(("2024", "A", "new_members", " \u00a0 ")),
        ("e_required", 4, "value"),
    ),
    "negative": (dirty(("2024", "A", "new_members", "-2")), ("e_negative", 4, "value")),
    "decimal_count": (dirty(("2024", "A", "members_total", "26.5")), ("e_not_whole", 4, "value")),
    "text_in_a_count": (
        dirty(("2024", "A", "members_total", "khoảng 18")),
        ("e_not_number", 4, "value"),
    ),
    "percent_in_a_count": (dirty(("2024", "A", "new_members", "95%")), ("e_percent", 4, "value")),
    "excel_error": (dirty(("2024", "A", "new_members", "#DIV/0!")), ("e_excel_error", 4, "value")),
    "flag_2": (dirty(("2024", "A", "inspected", "2")), ("e_flag", 4, "value")),
    "rating_5": (dirty(("2024", "A", "org_rating", "5")), ("e_rating", 4, "value")),
    "rating_0": (dirty(("2024", "A", "org_rating", "0")), ("e_rating", 4, "value")),
    "rating_unknown_name": (dirty(("2024", "A", "org_rating", "Khá")), ("e_rating", 4, "value")),
    "year_1800": (dirty(("1800", "A", "new_members", "1")), ("e_year_range", 4, "year")),
    "year_next_decade": (dirty(("2052", "A", "new_members", "1")), ("e_year_range", 4, "year")),
    "year_fy22": (dirty(("FY22", "A", "new_members", "1")), ("e_year", 4, "year")),
    "blank_year": (dirty(("", "A", "new_members", "1")), ("e_required", 4, "year")),
    "repeated_key": (
        dirty(("2024", "A", "new_members", "1"), ("2024", "A", "new_members", "2")),
        ("e_duplicate_key", 5, "value"),
    ),
    "repeated_key_by_indicator_name": (
        dirty(("2024", "A", "new_members", "1"), ("2024", "A", "Số đảng viên kết nạp mới", "1")),
        ("e_duplicate_key", 5, "value"),
    ),
    "root_only_indicator_on_a_cell": (
        dirty(("2024", "A", "committee_rating", "1")),
        ("e_root_only", 4, "value"),
    ),
    "org_indicator_on_the_root": (
        dirty(("2024", "ROOT", "members_total", "5")),
        ("e_org_only", 4, "value"),
    ),
    "extra_non_blank_cell": (
        utf8(text_of(GOOD_ROWS) + "2024,A,new_members,1,oops\n"),
        ("e_extra_cells", 4, None),
    ),
    "extra_cell_under_an_empty_header_cell": (
        utf8(
            text_of(
                [(*r, "") for r in GOOD_ROWS],  # type: ignore[misc]
                header=(*HEADER, ""),
            )
            + "2024,A,new_members,1,oops\n"
        ),
        ("e_extra_cells", 4, None),
    ),
    "short_row_missing_its_value": (
        utf8(text_of(GOOD_ROWS) + "2024,A,new_members\n"),
        ("e_required", 4, "value"),
    ),
    "year_before_the_org_was_founded": (  # a warning: the plan stays ok
        dirty(("2021", "D", "new_members", "1")),
        ("w_inactive_org", 4, "value"),
    ),
    "part_exceeds_whole": (
        dirty(("2022", "B", "members_total", "10"), ("2022", "B", "members_studied", "11")),
        ("e_part_exceeds", 5, "value"),
    ),
    "quotes_in_the_file": (
        utf8(text_of(GOOD_ROWS) + '2024,"A",new_members,"-1"\n'),
        ("e_negative", 4, "value"),
    ),
    "a_quoted_decimal_comma": (
        utf8(text_of(GOOD_ROWS) + '2024,A,members_total,"26,5"\n'),
        ("e_not_whole", 4, "value"),
    ),
    "a_blank_line_in_the_middle": (
        utf8(text_of(GOOD_ROWS) + "\n2024,A,new_members,-1\n"),
        ("e_negative", 5, "value"),
    ),
    "rows_of_delimiters_before_the_bad_row": (
        utf8(text_of(GOOD_ROWS) + ",,,\n,,,\n2024,A,new_members,-1\n"),
        ("e_negative", 6, "value"),
    ),
    "vietnamese_header_semicolon_crlf": (
        utf8(
            text_of(
                [*GOOD_ROWS, ("2024", "A", "Tổng số đảng viên", "1.234,5")],
                header=HEADER_VI,
                delimiter=";",
                newline="\r\n",
            )
        ),
        ("e_not_whole", 4, "Giá trị"),
    ),
    "many_mistakes": (
        dirty(
            ("2024", "Z9", "new_members", "1"),
            ("2024", "A", "inspected", "2"),
            ("FY22", "A", "org_rating", "5"),
            ("2024", "B", "new_members", "3"),
        ),
        ("e_duplicate_key", 7, "value"),
    ),
}


@pytest.mark.parametrize("variant", list(DIRTY))
def test_bulk_path_gives_up_and_the_general_path_names_every_problem(
    variant: str, held_db: Con
) -> None:
    data, (key, row, column) = DIRTY[variant]

    fast, general = both(held_db, data, f"{variant}.csv")

    assert fast.diffed is False  # the bulk path gave up
    assert problems(fast) == problems(general)
    assert summary(fast) == summary(general)
    assert (key, row, column) in [(p.key, p.row, p.column) for p in fast.problems], [
        p.render("en") for p in fast.problems
    ]
    assert fast.ok is key.startswith("w_")


def test_a_value_for_a_year_the_organisation_was_not_active_is_a_warning(held_db: Con) -> None:
    plan = prepare(held_db, DIRTY["year_before_the_org_was_founded"][0], "d.csv")

    assert plan.ok
    assert [(p.key, p.row, p.params["org"], p.params["year"]) for p in plan.warnings] == [
        ("w_inactive_org", 4, "D", 2021)
    ]
    assert (plan.added, plan.changed, plan.unchanged) == (3, 0, 0)


# ---------------------------------------------------------------------------------------
# 3. consistency rules


def _part_whole(con: Con) -> list[tuple[str, str]]:
    pairs = [(i.code, i.part_of) for i in queries.indicators(con) if i.part_of]
    assert len(pairs) >= 6, pairs  # the contract names six parts
    return pairs  # type: ignore[return-value]


def _refused(con: Con, data: bytes) -> Plan:
    plan = prepare(con, data, "rules.csv")
    general = prepare(con, data, "rules.csv", bulk=False)
    assert not plan.ok
    assert plan.diffed is False
    assert problems(plan) == problems(general)
    return plan


def test_each_consistency_rule_broken_by_a_file_is_reported_from_the_bulk_entry_point(
    org_con: Con,
) -> None:
    con = org_con
    pairs = _part_whole(con)
    for part, whole in pairs:
        # the part after its whole, then before it: the part's row is named
        for rows, part_row in (
            ([("2022", "B", whole, "10"), ("2022", "B", part, "11")], 3),
            ([("2022", "B", part, "11"), ("2022", "B", whole, "10")], 2),
        ):
            plan = _refused(con, utf8(text_of(rows)))
            assert [(p.key, p.row, p.column) for p in plan.problems] == [
                ("e_part_exceeds", part_row, "value")
            ], (part, whole, [p.render("en") for p in plan.problems])
            assert (plan.problems[0].params["part"], plan.problems[0].params["whole"]) == (
                "11",
                "10",
            )
        # equal is fine, and clean: the bulk path takes it
        plan = prepare(
            con, utf8(text_of([("2022", "B", whole, "10"), ("2022", "B", part, "10")])), "ok.csv"
        )
        assert plan.ok and plan.diffed is True, (part, whole)

    # the four ratings must add up to members_rated: 2 + 3 + 3 + 1 = 9, not 10
    ratings = [
        ("2022", "A", "members_total", "20"),
        ("2022", "A", "members_rated", "10"),
        ("2022", "A", "members_excellent", "2"),
        ("2022", "A", "members_good", "3"),
        ("2022", "A", "members_completed", "3"),
        ("2022", "A", "members_not_completed", "1"),
    ]
    plan = _refused(con, utf8(text_of(ratings)))
    assert [(p.key, p.row, p.column, p.params) for p in plan.problems] == [
        ("e_ratings_sum", 3, "value", {"total": "9", "rated": "10"})
    ]
    plan = prepare(con, utf8(text_of(with_value(ratings, "members_not_completed", "2"))), "ok.csv")
    assert plan.ok and plan.diffed is True


def test_a_rule_broken_against_values_already_held_is_reported_from_the_bulk_entry_point(
    org_con: Con,
) -> None:
    con = org_con
    pairs = _part_whole(con)
    # each pair its own year: its whole held for B, its part held for C1
    held = [(str(2000 + k), "B", whole, "10") for k, (_, whole) in enumerate(pairs)]
    held += [(str(2000 + k), "C1", part, "10") for k, (part, _) in enumerate(pairs)]
    held += [
        ("2022", "A", "members_total", "20"),
        ("2022", "A", "members_rated", "10"),
        ("2022", "A", "members_excellent", "2"),
        ("2022", "A", "members_good", "3"),
        ("2022", "A", "members_completed", "3"),
        ("2022", "A", "members_not_completed", "2"),
    ]
    load(con, text_of(held), "held.csv")

    for k, (part, whole) in enumerate(pairs):
        year = str(2000 + k)
        # only the part comes in the file, the whole is held
        plan = _refused(
            con, utf8(text_of([("2024", "A", "new_members", "1"), (year, "B", part, "11")]))
        )
        assert [(p.key, p.row, p.column) for p in plan.problems] == [
            ("e_part_exceeds", 3, "value")
        ], (part, whole)
        # only the whole comes in the file, below the part held
        plan = _refused(con, utf8(text_of([(year, "C1", whole, "9")])))
        assert [(p.key, p.row, p.column) for p in plan.problems] == [
            ("e_part_exceeds", 2, "value")
        ], (part, whole)
        # within the held whole: clean, and the bulk path takes it
        plan = prepare(con, utf8(text_of([(year, "B", part, "10")])), "ok.csv")
        assert plan.ok and plan.diffed is True, (part, whole)

    # one rating changed in the file: the held ones no longer add up to members_rated
    plan = _refused(con, utf8(text_of([("2022", "A", "members_good", "4")])))
    assert [(p.key, p.row, p.column, p.params) for p in plan.problems] == [
        ("e_ratings_sum", 2, "value", {"total": "11", "rated": "10"})
    ]
    # members_rated changed in the file
    plan = _refused(con, utf8(text_of([("2022", "A", "members_rated", "11")])))
    assert [(p.key, p.row, p.column) for p in plan.problems] == [("e_ratings_sum", 2, "value")]
    # both changed together, still adding up: clean
    plan = prepare(
        con,
        utf8(text_of([("2022", "A", "members_rated", "11"), ("2022", "A", "members_good", "4")])),
        "ok.csv",
    )
    assert plan.ok and plan.diffed is True


# ---------------------------------------------------------------------------------------
# 4. unique keys


def _repeated_keys(con: Con) -> list[tuple[Any, ...]]:
    return con.execute(
        "SELECT year, org_code, indicator_code, count(*) FROM observations"
        " GROUP BY ALL HAVING count(*) > 1"
    ).fetchall()


def _values(con: Con) -> dict[tuple[int, str, str], float]:
    rows = con.execute("SELECT year, org_code, indicator_code, value FROM observations").fetchall()
    return {(int(y), str(o), str(i)): float(v) for y, o, i, v in rows}


def test_observation_keys_stay_unique_after_every_kind_of_write(org_con: Con) -> None:
    con = org_con
    steps: list[str] = []

    def check(step: str) -> None:
        steps.append(step)
        assert _repeated_keys(con) == [], steps

    def put(rows: list[Row], *, bulk: bool, name: str, **layout: Any) -> int:
        data = utf8(text_of(rows, **layout))
        plan = prepare(con, data, name, bulk=bulk)
        assert plan.ok, [p.render("en") for p in plan.errors]
        assert plan.diffed is bulk, name
        batch = apply(con, plan, applied_by="t", data=data).batch_id
        check(f"apply {name}")
        return batch

    years = ["2022", "2023", "2024"]
    orgs = ["A", "B", "C1", "D"]
    first = [(y, o, "new_members", "1") for y in years for o in orgs]
    first += [(y, o, "org_rating", "2") for y in years for o in orgs]
    # overlapping keys: half the first file's, some changed, some as they were, some new
    second = [(y, o, "new_members", "2" if o in "AB" else "1") for y in years for o in orgs]
    second += [(y, o, "inspected", "1") for y in years for o in orgs]
    third = [(y, o, "new_members", "3") for y in years[1:] for o in orgs]
    third += [(y, o, "org_rating", "4") for y in years for o in orgs[:2]]

    b1 = put(first, bulk=True, name="first.csv")
    b2 = put(second, bulk=False, name="second.csv")
    b3 = put(third, bulk=True, name="third.csv")
    assert _values(con)[(2023, "A", "new_members")] == 3.0

    # the same keys again, under another layout (another hash), the other path
    put(third, bulk=False, name="third_again.csv", delimiter=";")
    put(second, bulk=True, name="second_again.csv", delimiter="\t")

    # undoing a batch later ones overwrote needs force
    undo(con, b2, undone_by="t", force=True)
    check("undo second (forced)")
    undo(con, b1, undone_by="t", force=True)
    check("undo first (forced)")
    # re-applying an undone file (same bytes, same hash)
    put(first, bulk=True, name="first.csv")
    put(second, bulk=False, name="second.csv")
    undo(con, b3, undone_by="t", force=True)
    check("undo third (forced)")

    # a plan prepared before another write: re-prepared inside apply from the bytes, or
    # diffed again when apply is given no bytes
    stale_rows = [(y, o, "new_members", "5") for y in years for o in orgs]
    for bulk, give_bytes in ((True, True), (True, False), (False, True), (False, False)):
        data = utf8(
            text_of(
                stale_rows,
                delimiter=";" if bulk else ",",
                newline="\r\n" if give_bytes else "\n",
            )
        )
        stale = prepare(con, data, "stale.csv", bulk=bulk)
        assert stale.ok and stale.diffed is bulk
        bump = [(y, "A", "new_members", str(10 + len(steps))) for y in years]
        put(bump, bulk=not bulk, name=f"bump{len(steps)}.csv")
        batch = apply(con, stale, applied_by="t", data=data if give_bytes else None).batch_id
        check(f"apply a stale plan (bulk={bulk}, bytes={give_bytes})")
        assert _values(con)[(2024, "A", "new_members")] == 5.0
        undo(con, batch, undone_by="t")
        check(f"undo the stale plan (bulk={bulk}, bytes={give_bytes})")

    # a wide file over the same keys
    wide = "year,org_code,new_members,inspected\n" + "".join(
        f"{y},{o},7,0\n" for y in years for o in orgs
    )
    wide_plan = prepare(con, utf8(wide), "wide.csv")
    assert wide_plan.ok and wide_plan.kind == "wide"
    apply(con, wide_plan, applied_by="t", data=utf8(wide))
    check("apply wide")
    assert _values(con)[(2022, "D", "inspected")] == 0.0

    # every batch still applied undone, newest first
    applied = [
        int(r[0])
        for r in con.execute(
            "SELECT batch_id FROM batches WHERE status = 'applied'"
            " AND file_kind IN ('long', 'wide') ORDER BY batch_id DESC"
        ).fetchall()
    ]
    for batch in applied:
        undo(con, batch, undone_by="t", force=True)
        check(f"undo {batch}")


# ---------------------------------------------------------------------------------------
# 5. a big file

BIG_ORGS = 200
BIG_YEARS = list(range(2005, 2025))
BIG_INDICATORS = ["new_members", "inspected", "org_rating", "members_total", "units_total"]


def _big_value(year: int, org: int, indicator: str) -> int:
    n = year * 31 + org * 7 + len(indicator)
    return {"inspected": n % 2, "org_rating": n % 4 + 1}.get(indicator, n % 90)


def test_a_big_clean_file_takes_the_bulk_path_and_applies(con: Con) -> None:
    orgs = "org_code,name,kind,parent_code\nROOT,Đảng bộ,root,\n" + "".join(
        f"X{n:03d},Chi bộ {n},grassroots_cell,ROOT\n" for n in range(BIG_ORGS)
    )
    load(con, orgs, "orgs.csv")
    # some values held already: one in fifty the same, one in fifty changed
    held = [
        (str(y), f"X{o:03d}", i, str(_big_value(y, o, i) + (o % 2 if i != "inspected" else 0)))
        for y in BIG_YEARS[-2:]
        for o in range(0, BIG_ORGS, 4)
        for i in BIG_INDICATORS
        if i != "org_rating"
    ]
    load(con, text_of(held), "held.csv")
    rows = [
        (str(y), f"X{o:03d}", i, str(_big_value(y, o, i)))
        for y in BIG_YEARS
        for o in range(BIG_ORGS)
        for i in BIG_INDICATORS
    ]
    assert len(rows) == 20_000
    raw = BOM + utf8(text_of(rows, delimiter=";", newline="\r\n"))
    before = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    assert before == len(held)

    plan = prepare(con, raw, "big.csv")

    assert plan.ok, [p.render("en") for p in plan.problems]
    assert plan.diffed is True
    assert plan.rows == 20_000
    assert plan.added + plan.changed + plan.unchanged == 20_000
    assert plan.changed == sum(1 for _, o, i, _ in held if int(o[1:]) % 2 and i != "inspected")
    assert plan.unchanged == len(held) - plan.changed
    assert plan.added == 20_000 - len(held)
    general = prepare(con, raw, "big.csv", bulk=False)
    assert (general.added, general.changed, general.unchanged) == (
        plan.added,
        plan.changed,
        plan.unchanged,
    )

    result = apply(con, plan, applied_by="t", data=raw)

    assert (result.added, result.changed, result.unchanged) == (
        plan.added,
        plan.changed,
        plan.unchanged,
    )
    after = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    assert after == before + plan.added == 20_000
    assert _repeated_keys(con) == []
    values = _values(con)
    assert all(values[(int(y), o, i)] == float(v) for y, o, i, v in rows)


def test_the_bulk_path_strips_what_python_strips() -> None:
    from src.ingest import bulk

    every = "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())
    assert every == bulk.WHITESPACE
