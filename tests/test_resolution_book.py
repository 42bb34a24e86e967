"""The resolution workbook (docs/resolutions.md, "The file" and "What makes a workbook
invalid"): read whole, every problem with its sheet, row and column, written back the same."""

from __future__ import annotations

import copy
import io
import itertools
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from src.config import CATALOGUE_DIR
from src.domain.models import Goal, Indicator, Level, Measure, Over
from src.ingest import resolution_book as rb
from src.ingest.resolution_book import (
    BookProblem,
    describe_goal,
    example_doc,
    read_book,
    template_book,
    write_book,
)
from src.store import catalogue

KNOWN = catalogue.load_indicators()
SEED = catalogue.load_resolution_doc(CATALOGUE_DIR / "dbcq-bac-kan-2020-2025.toml")

Rows = list[dict[str, Any]]

RESOLUTION: Rows = [
    {
        "code": "NQ-THU",
        "name_vi": "Nghị quyết thử nghiệm",
        "term_start": 2025,
        "term_end": 2030,
        "years": "2026-2030",
        "base_year": 2025,
    }
]
INDICATORS: Rows = [
    {
        "code": "grdp",
        "name_vi": "Tổng sản phẩm trên địa bàn",
        "unit_vi": "tỷ đồng",
        "value_type": "decimal",
        "level": "root",
    },
    {
        "code": "members_disciplined",
        "name_vi": "Số đảng viên bị kỷ luật",
        "unit_vi": "đảng viên",
        "value_type": "count",
        "level": "org",
        "part_of": "members_total",
    },
]
GOALS: Rows = [
    {
        "code": "A1",
        "title_vi": "Kết nạp đảng viên",
        "measure": "ratio",
        "numerator": "new_members",
        "denominator": "members_total@prev",
        "comparison": ">=",
        "target": 3,
    },
    {
        "code": "B1",
        "title_vi": "Tăng trưởng GRDP",
        "level": "root",
        "measure": "growth",
        "numerator": "grdp",
        "comparison": "between",
        "target": 8,
        "target_max": 9,
    },
    {"code": "K1", "title_vi": "Sinh hoạt chi bộ", "measure": "qualitative"},
    {
        "code": "A6",
        "title_vi": "Xếp loại",
        "level": "root",
        "measure": "rating",
        "numerator": "standing_committee_rating, committee_rating",
        "comparison": "<=",
        "target": 2,
    },
]
SHEETS = {"resolution": RESOLUTION, "indicators": INDICATORS, "goals": GOALS}


def header_of(rows: Rows, drop: tuple[str, ...] = ()) -> list[str]:
    return [k for k in dict.fromkeys(k for r in rows for k in r) if k not in drop]


def xlsx(sheets: dict[str, Rows], names: dict[str, str] | None = None) -> bytes:
    """A workbook with one sheet per table, headers the keys of its rows."""
    wb = Workbook()
    wb.remove(wb.active)
    for kind, rows in sheets.items():
        ws = wb.create_sheet((names or {}).get(kind, kind))
        header = header_of(rows) or ["code"]
        ws.append(header)
        for row in rows:
            ws.append([row.get(h) for h in header])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_text(rows: Rows, delimiter: str = ",") -> str:
    header = header_of(rows)
    lines = [delimiter.join(header)]
    for row in rows:
        cells = ["" if row.get(h) is None else str(row.get(h)) for h in header]
        lines.append(delimiter.join(f'"{c}"' if delimiter in c else c for c in cells))
    return "\n".join(lines) + "\n"


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed letters where the code page
    has them, tone marks as combining characters."""
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


def sheets_copy() -> dict[str, Rows]:
    return copy.deepcopy(SHEETS)


def errors_of(data: bytes, known: list[Indicator] | None = None) -> list[BookProblem]:
    result = read_book(data, "book.xlsx", KNOWN if known is None else known)
    assert result.doc is None, "expected the workbook to be refused"
    return result.errors


# --- valid workbooks --------------------------------------------------------------------


def test_a_hand_made_workbook_gives_its_resolution_indicators_and_goals() -> None:
    result = read_book(xlsx(SHEETS), "nq.xlsx", KNOWN)
    assert result.errors == [] and result.doc is not None
    doc = result.doc
    r = doc.resolution
    assert (r.code, r.term_start, r.term_end, r.years, r.base_year) == (
        "NQ-THU",
        2025,
        2030,
        (2026, 2027, 2028, 2029, 2030),
        2025,
    )
    assert r.short_vi == r.name_vi  # short name defaults to the full one
    assert [i.code for i in doc.indicators] == ["grdp", "members_disciplined"]
    assert all(i.resolution_code == "NQ-THU" for i in doc.indicators)
    assert doc.indicators[1].part_of == "members_total"
    a1, b1, k1, a6 = doc.goals
    assert (a1.measure, a1.over, a1.level, a1.denominator) == (
        Measure.RATIO,
        Over.YEAR,
        Level.ORG,
        "members_total@prev",
    )
    assert (b1.measure, b1.comparison, b1.target, b1.target_max) == (
        Measure.GROWTH,
        "between",
        8.0,
        9.0,
    )
    assert (k1.measure, k1.numerator, k1.comparison, k1.target) == (
        Measure.QUALITATIVE,
        None,
        None,
        None,
    )
    assert a6.rating_indicators == ("standing_committee_rating", "committee_rating")
    assert a6.numerator is None


def test_years_and_base_year_default_to_the_term_and_stay_unset() -> None:
    sheets = sheets_copy()
    del sheets["resolution"][0]["years"], sheets["resolution"][0]["base_year"]
    doc = read_book(xlsx(sheets), "nq.xlsx", KNOWN).doc
    assert doc is not None
    assert doc.resolution.years == () and doc.resolution.base_year is None
    assert doc.resolution.term_years == tuple(range(2025, 2031))
    assert doc.resolution.base == 2024


@pytest.mark.parametrize(
    "written, years",
    [
        ("2026-2030", (2026, 2027, 2028, 2029, 2030)),
        ("2026–2030", (2026, 2027, 2028, 2029, 2030)),  # en dash
        ("2026,2027,2028", (2026, 2027, 2028)),
        ("2026, 2028, 2030", (2026, 2028, 2030)),
        ("2026,2027,…", (2026, 2027)),
        (2027, (2027,)),
    ],
)
def test_reporting_years_are_a_range_or_a_list(written: object, years: tuple[int, ...]) -> None:
    sheets = sheets_copy()
    sheets["resolution"][0]["years"] = written
    doc = read_book(xlsx(sheets), "nq.xlsx", KNOWN).doc
    assert doc is not None and doc.resolution.years == years


def test_targets_are_read_as_vietnamese_writes_numbers() -> None:
    sheets = sheets_copy()
    sheets["goals"][0]["target"] = "2,5"
    sheets["goals"].append(
        {
            "code": "T1",
            "title_vi": "Kết nạp cả nhiệm kỳ",
            "measure": "sum",
            "over": "term_total",
            "numerator": "new_members",
            "comparison": ">=",
            "target": "1.234",
        }
    )
    doc = read_book(xlsx(sheets), "nq.xlsx", KNOWN).doc
    assert doc is not None
    assert doc.goals[0].target == 2.5
    assert doc.goals[-1].target == 1234.0


def test_empty_cells_absent_optional_columns_and_unknown_columns_are_fine() -> None:
    sheets = sheets_copy()
    for row in sheets["goals"]:
        row["ghi chú riêng"] = "cột của văn phòng"  # an extra column: ignored
    sheets["goals"][0]["level"] = None  # empty: the default
    doc = read_book(xlsx(sheets), "nq.xlsx", KNOWN).doc
    assert doc is not None
    assert doc.goals[0].level == Level.ORG and doc.goals[0].over == Over.YEAR


def test_codes_are_read_whatever_their_case_and_signs_as_typed() -> None:
    sheets = sheets_copy()
    sheets["goals"][0].update(measure="Ratio", comparison="≥", over="Year")
    sheets["goals"][1].update(comparison="Between", level="ROOT")
    sheets["goals"][3].update(comparison="≤")
    sheets["indicators"][0].update(value_type="Decimal")
    doc = read_book(xlsx(sheets), "nq.xlsx", KNOWN).doc
    assert doc is not None
    assert [g.comparison for g in doc.goals] == [">=", "between", None, "<="]
    assert doc.goals[1].level == Level.ROOT and doc.indicators[0].value_type == "decimal"


def test_text_is_normalised_to_nfc() -> None:
    sheets = sheets_copy()
    sheets["resolution"][0]["name_vi"] = unicodedata.normalize("NFD", "Nghị quyết Đại hội")
    doc = read_book(xlsx(sheets), "nq.xlsx", KNOWN).doc
    assert doc is not None and doc.resolution.name_vi == "Nghị quyết Đại hội"


def test_indicators_of_the_same_resolution_being_reinstalled_may_be_redefined() -> None:
    installed = Indicator("grdp", "GRDP cũ", "", "", "", "decimal", "root", None, (), (), "NQ-THU")
    result = read_book(xlsx(SHEETS), "nq.xlsx", [*KNOWN, installed])
    assert result.errors == []


def test_another_resolutions_indicator_may_be_read_but_not_redefined() -> None:
    theirs = Indicator("budget", "Thu ngân sách", "", "tỷ đồng", "", "decimal", "root", None)
    theirs = replace(theirs, resolution_code="KHAC-2020")
    sheets = sheets_copy()
    sheets["goals"].append(
        {
            "code": "B2",
            "title_vi": "Thu ngân sách",
            "level": "root",
            "measure": "sum",
            "numerator": "budget",
            "comparison": ">=",
            "target": 100,
        }
    )
    assert read_book(xlsx(sheets), "nq.xlsx", [*KNOWN, theirs]).errors == []
    sheets["indicators"].append(
        {"code": "budget", "name_vi": "Thu ngân sách", "value_type": "decimal"}
    )
    (problem,) = errors_of(xlsx(sheets), [*KNOWN, theirs])
    assert (problem.key, problem.sheet, problem.row, problem.column) == (
        "rb_indicator_clash",
        "indicators",
        4,
        "code",
    )
    assert "KHAC-2020" in problem.render("vi")


def test_an_installed_indicator_of_this_resolution_not_in_the_workbook_is_gone() -> None:
    """Installing replaces the resolution's own indicators: one the workbook no longer
    declares cannot be read by its goals."""
    old = Indicator("old_count", "Cũ", "", "", "", "count", "org", None, (), (), "NQ-THU")
    sheets = sheets_copy()
    sheets["goals"][0]["numerator"] = "old_count"
    (problem,) = errors_of(xlsx(sheets), [*KNOWN, old])
    assert (problem.key, problem.row, problem.column) == ("rb_unknown_indicator", 2, "numerator")


# --- round trips ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_seed_round_trips_through_its_workbook(lang: str) -> None:
    result = read_book(write_book(SEED, lang), "seed.xlsx", KNOWN)
    assert result.errors == []
    # whether a resolution is the default is an installation's choice, not the workbook's
    assert result.doc == replace(SEED, resolution=replace(SEED.resolution, is_default=False))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_example_round_trips_through_its_workbook(lang: str) -> None:
    doc = example_doc()
    result = read_book(write_book(doc, lang), "vi-du.xlsx", KNOWN)
    assert result.errors == []
    assert result.doc == doc


def test_the_example_is_labelled_as_one_and_covers_the_new_shapes() -> None:
    doc = example_doc()
    r = doc.resolution
    assert r.code == "VI-DU-2025-2030"
    assert "Ví dụ" in r.name_vi and "dữ liệu mẫu" in r.name_vi and "Example" in r.name_en
    assert (r.term_start, r.term_end, r.years, r.base_year) == (
        2025,
        2030,
        (2026, 2027, 2028, 2029, 2030),
        2025,
    )
    assert catalogue.check([*KNOWN, *doc.indicators], doc.goals) == []
    shapes = {(g.measure, g.over, g.comparison) for g in doc.goals}
    assert {
        (Measure.RATIO, Over.YEAR, ">="),
        (Measure.RATIO, Over.YEAR, ">"),
        (Measure.SUM, Over.YEAR, "between"),
        (Measure.SUM, Over.TERM_AVERAGE, ">="),
        (Measure.RATIO, Over.BY_END, ">="),
        (Measure.RATIO, Over.YEAR, "<"),
        (Measure.GROWTH, Over.YEAR, "between"),
        (Measure.RATING, Over.YEAR, "<="),
        (Measure.QUALITATIVE, Over.YEAR, None),
    } <= shapes
    by = {g.code: g for g in doc.goals}
    assert by["A1"].denominator == "members_total@prev"
    assert by["A2"].denominator == "members_total@base"
    own = {i.code: i for i in doc.indicators}
    assert own["members_disciplined"].part_of == "members_total"
    assert (own["grdp"].value_type, own["grdp"].level, own["grdp"].unit_vi) == (
        "decimal",
        "root",
        "tỷ đồng",
    )
    assert by["B2"].target == 1.5 and own["poor_fund"].value_type == "decimal"


def test_a_written_workbook_has_frozen_headers_numbers_as_numbers_and_text_as_text() -> None:
    doc = example_doc()
    goals = (*doc.goals[:-1], replace(doc.goals[-1], note_vi="=HYPERLINK(1)"))
    wb = load_workbook(io.BytesIO(write_book(replace(doc, goals=goals), "vi")))
    assert wb.sheetnames == ["Nghị quyết", "Chỉ số", "Chỉ tiêu", "Hướng dẫn"]
    ws = wb["Chỉ tiêu"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Mã", "Tên (tiếng Việt)", "Tên (tiếng Anh)"]
    target = ws.cell(row=2, column=header.index("Mức chỉ tiêu") + 1)
    assert target.value == 3 and target.data_type == "n"
    numerator = ws.cell(row=3, column=header.index("Tử số") + 1)
    assert numerator.value == "members_excellent + members_good"
    note = ws.cell(row=len(goals) + 1, column=header.index("Ghi chú") + 1)
    assert note.value == "=HYPERLINK(1)" and note.data_type == "s"  # never a formula
    assert all((ws.column_dimensions[c].width or 0) >= 10 for c in "ABC")
    res = wb["Nghị quyết"]
    assert [c.value for c in res[2]][5:9] == [2025, 2030, "2026-2030", 2025]
    en = load_workbook(io.BytesIO(write_book(doc, "en")))
    assert en.sheetnames == ["resolution", "indicators", "goals", "Guide"]
    assert [c.value for c in en["goals"][1]][:3] == ["code", "title_vi", "title_en"]


# --- Vietnamese names, CSV zips, templates ------------------------------------------------


def test_vietnamese_sheet_names_and_headers_match_without_case_or_diacritics() -> None:
    names = {"resolution": "NGHI QUYET", "indicators": "chỉ số", "goals": "Chi tieu"}
    vi_headers = {c.code: c.vi for kind in rb.COLUMNS.values() for c in kind}
    sheets: dict[str, Rows] = {}
    for kind, rows in SHEETS.items():
        columns = {c.code: c.vi for c in rb.COLUMNS[kind]}
        sheets[kind] = [
            {columns.get(k, vi_headers[k]).upper(): v for k, v in r.items()} for r in rows
        ]
    # one header without its diacritics, as some keyboards type it
    sheets["goals"] = [
        {("Ma" if k == "MÃ" else k): v for k, v in r.items()} for r in sheets["goals"]
    ]
    result = read_book(xlsx(sheets, names), "nq.xlsx", KNOWN)
    assert result.errors == []
    expected = read_book(xlsx(SHEETS), "nq.xlsx", KNOWN).doc
    assert result.doc == expected


def test_a_problem_names_the_column_as_the_file_writes_it() -> None:
    doc = example_doc()
    wb = load_workbook(io.BytesIO(write_book(doc, "vi")))
    ws = wb["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("So sánh") + 1, value="≈")
    out = io.BytesIO()
    wb.save(out)
    (problem,) = errors_of(out.getvalue())
    assert (problem.sheet, problem.row, problem.column) == ("Chỉ tiêu", 2, "So sánh")
    assert problem.render("vi").startswith("Trang tính “Chỉ tiêu”, dòng 2, cột “So sánh”: ")
    assert problem.render("en").startswith("Sheet “Chỉ tiêu”, row 2, column “So sánh”: ")
    assert "“≈” không phải là giá trị được chấp nhận" in problem.render("vi")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_a_zip_of_csv_files_is_a_workbook(encoding: str) -> None:
    def encode(text: str) -> bytes:
        return cp1258(text) if encoding == "cp1258" else text.encode(encoding)

    files = {f"{kind}.csv": encode(csv_text(rows, ";")) for kind, rows in SHEETS.items()}
    result = read_book(zipped(files), "nq.zip", KNOWN)
    assert result.errors == []
    assert result.doc == read_book(xlsx(SHEETS), "nq.xlsx", KNOWN).doc


def test_a_zip_of_vietnamese_csv_files_in_windows_1258_with_vietnamese_headers() -> None:
    files = {}
    for kind, rows in SHEETS.items():
        columns = {c.code: c.vi for c in rb.COLUMNS[kind]}
        vi_rows = [{columns[k]: v for k, v in r.items()} for r in rows]
        files[f"nq/{kind}.csv"] = cp1258(csv_text(vi_rows, ";").replace("\n", "\r\n"))
    result = read_book(zipped(files), "nq.zip", KNOWN)
    assert result.errors == []
    assert result.doc is not None
    assert result.doc.indicators[0].name_vi == "Tổng sản phẩm trên địa bàn"
    assert result.doc.resolution.name_vi == "Nghị quyết thử nghiệm"


def test_a_problem_in_a_csv_zip_names_its_file_row_and_column() -> None:
    sheets = sheets_copy()
    sheets["goals"][1]["target_max"] = 7
    files = {f"{kind}.csv": csv_text(rows).encode() for kind, rows in sheets.items()}
    (problem,) = errors_of(zipped(files))
    assert (problem.key, problem.sheet, problem.row, problem.column) == (
        "rb_max_below_target",
        "goals.csv",
        3,
        "target_max",
    )
    assert problem.render("vi").startswith("Tệp “goals.csv”, dòng 3, cột “target_max”:")
    assert "mức tối đa 7 nhỏ hơn mức chỉ tiêu 8" in problem.render("vi")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_template_has_the_headers_and_a_guide_sheet(lang: str) -> None:
    wb = load_workbook(io.BytesIO(template_book(lang)))
    guide = "Hướng dẫn" if lang == "vi" else "Guide"
    assert wb.sheetnames[-1] == guide and len(wb.sheetnames) == 4
    goals = wb.worksheets[2]
    assert goals.max_row == 1
    header = [c.value for c in goals[1]]
    assert ("Mã" if lang == "vi" else "code") == header[0]
    assert ("Cách tính" if lang == "vi" else "measure") in header
    text = " ".join(str(c.value) for row in wb[guide].iter_rows() for c in row if c.value)
    for word in ("ratio", "term_average", "by_end", "between", "@prev", "@base"):
        assert word in text


def test_a_filled_in_template_is_read_and_its_guide_sheet_ignored() -> None:
    wb = load_workbook(io.BytesIO(template_book("vi")))
    for kind, ws in zip(("resolution", "indicators", "goals"), wb.worksheets[:3], strict=True):
        header = [c.value for c in ws[1]]
        columns = {c.vi: c.code for c in rb.COLUMNS[kind]}
        for row in SHEETS[kind]:
            ws.append([row.get(columns[h]) for h in header])
    wb["Hướng dẫn"].append(["goals", "Mã", "A1", "ratio", "nonsense"])
    out = io.BytesIO()
    wb.save(out)
    result = read_book(out.getvalue(), "nq.xlsx", KNOWN)
    assert result.errors == []
    assert result.doc == read_book(xlsx(SHEETS), "nq.xlsx", KNOWN).doc


def test_the_empty_template_says_what_is_missing_not_that_it_is_broken() -> None:
    problems = errors_of(template_book("vi"))
    assert {(p.key, p.sheet) for p in problems} == {
        ("rb_resolution_no_row", "Nghị quyết"),
        ("rb_no_goals", "Chỉ tiêu"),
    }


# --- invalid workbooks: one problem each, with its sheet, row and column -----------------

Mutation = Callable[[dict[str, Rows]], None]


def set_cell(kind: str, index: int, column: str, value: object) -> Mutation:
    def mutate(sheets: dict[str, Rows]) -> None:
        sheets[kind][index][column] = value

    return mutate


def drop_column(kind: str, column: str) -> Mutation:
    def mutate(sheets: dict[str, Rows]) -> None:
        for row in sheets[kind]:
            row.pop(column, None)

    return mutate


def add_row(kind: str, row: dict[str, Any]) -> Mutation:
    def mutate(sheets: dict[str, Rows]) -> None:
        sheets[kind].append(row)

    return mutate


SUM_GOAL = {
    "code": "S1",
    "title_vi": "Tổng",
    "measure": "sum",
    "numerator": "new_members",
    "comparison": ">=",
    "target": 100,
}

INVALID: dict[str, tuple[Mutation, str, str, int | None, str | None]] = {
    # name: (mutation, key, sheet, row, column)
    "a_required_column_missing": (
        drop_column("goals", "measure"),
        "rb_missing_column",
        "goals",
        1,
        "measure",
    ),
    "a_required_cell_empty": (
        set_cell("goals", 1, "title_vi", None),
        "rb_required",
        "goals",
        3,
        "title_vi",
    ),
    "a_goal_code_twice_names_the_later_row": (
        set_cell("goals", 2, "code", "A1"),
        "rb_duplicate",
        "goals",
        4,
        "code",
    ),
    "a_goal_code_twice_but_for_case": (
        set_cell("goals", 1, "code", "a1"),
        "rb_duplicate",
        "goals",
        3,
        "code",
    ),
    "an_indicator_code_twice": (
        set_cell("indicators", 1, "code", "grdp"),
        "rb_duplicate",
        "indicators",
        3,
        "code",
    ),
    "an_unknown_measure": (
        set_cell("goals", 0, "measure", "percentage"),
        "rb_unknown_value",
        "goals",
        2,
        "measure",
    ),
    "an_unknown_over": (
        set_cell("goals", 0, "over", "monthly"),
        "rb_unknown_value",
        "goals",
        2,
        "over",
    ),
    "an_unknown_comparison": (
        set_cell("goals", 0, "comparison", "about"),
        "rb_unknown_value",
        "goals",
        2,
        "comparison",
    ),
    "an_unknown_value_type": (
        set_cell("indicators", 0, "value_type", "money"),
        "rb_unknown_value",
        "indicators",
        2,
        "value_type",
    ),
    "an_unknown_goal_level": (
        set_cell("goals", 0, "level", "province"),
        "rb_unknown_value",
        "goals",
        2,
        "level",
    ),
    "an_unknown_indicator_level": (
        set_cell("indicators", 0, "level", "cell"),
        "rb_unknown_value",
        "indicators",
        2,
        "level",
    ),
    "an_expression_that_does_not_parse": (
        set_cell("goals", 0, "numerator", "new_members +"),
        "rb_expr_syntax",
        "goals",
        2,
        "numerator",
    ),
    "a_count_that_does_not_parse": (
        set_cell("goals", 0, "denominator", "count(org_rating <= )"),
        "rb_expr_syntax",
        "goals",
        2,
        "denominator",
    ),
    "an_expression_naming_no_indicator": (
        set_cell("goals", 0, "numerator", "new_member"),
        "rb_unknown_indicator",
        "goals",
        2,
        "numerator",
    ),
    "a_year_reference_other_than_prev_and_base": (
        set_cell("goals", 0, "denominator", "members_total@next"),
        "rb_expr_year_ref",
        "goals",
        2,
        "denominator",
    ),
    "a_ratio_without_denominator": (
        set_cell("goals", 0, "denominator", None),
        "rb_ratio_denominator",
        "goals",
        2,
        "denominator",
    ),
    "a_denominator_on_a_sum": (
        add_row("goals", {**SUM_GOAL, "denominator": "members_total"}),
        "rb_denominator_only_ratio",
        "goals",
        6,
        "denominator",
    ),
    "between_without_target_max": (
        set_cell("goals", 1, "target_max", None),
        "rb_between_max",
        "goals",
        3,
        "target_max",
    ),
    "target_max_below_target": (
        set_cell("goals", 1, "target_max", 7.5),
        "rb_max_below_target",
        "goals",
        3,
        "target_max",
    ),
    "target_max_without_between": (
        set_cell("goals", 0, "target_max", 5),
        "rb_max_only_between",
        "goals",
        2,
        "target_max",
    ),
    "a_target_that_is_not_a_number": (
        set_cell("goals", 0, "target", "ba phần trăm"),
        "rb_not_number",
        "goals",
        2,
        "target",
    ),
    "a_target_wrongly_grouped": (
        set_cell("goals", 0, "target", "1,2,3.0"),
        "rb_not_number",
        "goals",
        2,
        "target",
    ),
    "a_ratio_target_over_100": (
        set_cell("goals", 0, "target", 130),
        "rb_target_range_ratio",
        "goals",
        2,
        "target",
    ),
    "a_rating_target_out_of_1_to_4": (
        set_cell("goals", 3, "target", 5),
        "rb_target_range_rating",
        "goals",
        5,
        "target",
    ),
    "a_quantitative_goal_without_target": (
        set_cell("goals", 0, "target", None),
        "rb_needs_target",
        "goals",
        2,
        "target",
    ),
    "a_quantitative_goal_without_comparison": (
        set_cell("goals", 0, "comparison", None),
        "rb_needs_comparison",
        "goals",
        2,
        "comparison",
    ),
    "a_sum_without_numerator": (
        add_row("goals", {**SUM_GOAL, "numerator": None}),
        "rb_needs_numerator",
        "goals",
        6,
        "numerator",
    ),
    "a_qualitative_goal_with_a_numerator": (
        set_cell("goals", 2, "numerator", "new_members"),
        "rb_qualitative_extra",
        "goals",
        4,
        "numerator",
    ),
    "a_rating_of_an_indicator_that_is_no_rating": (
        set_cell("goals", 3, "numerator", "committee_rating, new_members"),
        "rb_not_rating",
        "goals",
        5,
        "numerator",
    ),
    "a_rating_of_an_unknown_indicator": (
        set_cell("goals", 3, "numerator", "committee_rating, board_rating"),
        "rb_unknown_indicator",
        "goals",
        5,
        "numerator",
    ),
    "a_parent_that_is_no_goal": (
        set_cell("goals", 0, "parent", "Z9"),
        "rb_unknown_parent",
        "goals",
        2,
        "parent",
    ),
    "a_parent_that_is_the_goal_itself": (
        set_cell("goals", 0, "parent", "A1"),
        "rb_unknown_parent",
        "goals",
        2,
        "parent",
    ),
    "a_cap_over_100": (
        add_row("goals", {**GOALS[0], "code": "A1a", "cap": 150, "cap_denominator": "new_members"}),
        "rb_cap_range",
        "goals",
        6,
        "cap",
    ),
    "a_cap_without_its_denominator": (
        add_row("goals", {**GOALS[0], "code": "A1a", "cap": 20}),
        "rb_cap_pair",
        "goals",
        6,
        "cap_denominator",
    ),
    "a_cap_denominator_naming_no_indicator": (
        add_row("goals", {**GOALS[0], "code": "A1a", "cap": 20, "cap_denominator": "nobody"}),
        "rb_unknown_indicator",
        "goals",
        6,
        "cap_denominator",
    ),
    "an_indicator_code_clashing_with_the_contracts": (
        set_cell("indicators", 1, "code", "new_members"),
        "rb_indicator_clash",
        "indicators",
        3,
        "code",
    ),
    "an_indicator_code_not_lower_case": (
        set_cell("indicators", 1, "code", "GRDP"),
        "rb_indicator_code",
        "indicators",
        3,
        "code",
    ),
    "an_indicator_code_starting_with_a_digit": (
        set_cell("indicators", 1, "code", "2grdp"),
        "rb_indicator_code",
        "indicators",
        3,
        "code",
    ),
    "part_of_an_unknown_indicator": (
        set_cell("indicators", 1, "part_of", "members_all"),
        "rb_unknown_indicator",
        "indicators",
        3,
        "part_of",
    ),
    "reporting_years_outside_the_term": (
        set_cell("resolution", 0, "years", "2026-2031"),
        "rb_years_outside",
        "resolution",
        2,
        "years",
    ),
    "reporting_years_that_are_no_years": (
        set_cell("resolution", 0, "years", "2026 đến 2030"),
        "rb_years_syntax",
        "resolution",
        2,
        "years",
    ),
    "a_base_year_not_before_the_first_reporting_year": (
        set_cell("resolution", 0, "base_year", 2026),
        "rb_base_year",
        "resolution",
        2,
        "base_year",
    ),
    "a_term_ending_before_it_starts": (
        set_cell("resolution", 0, "term_end", 2024),
        "rb_term_order",
        "resolution",
        2,
        "term_end",
    ),
    "a_term_year_that_is_no_year": (
        set_cell("resolution", 0, "term_start", "năm 2025"),
        "rb_not_year",
        "resolution",
        2,
        "term_start",
    ),
    "a_resolution_code_with_other_characters": (
        set_cell("resolution", 0, "code", "NQ THỬ!"),
        "rb_resolution_code",
        "resolution",
        2,
        "code",
    ),
    "a_second_resolution_row": (
        add_row("resolution", dict(RESOLUTION[0])),
        "rb_resolution_rows",
        "resolution",
        3,
        None,
    ),
}


@pytest.mark.parametrize("name", list(INVALID))
def test_an_invalid_workbook_names_sheet_row_and_column(name: str) -> None:
    mutate, key, sheet, row, column = INVALID[name]
    sheets = sheets_copy()
    mutate(sheets)
    problems = errors_of(xlsx(sheets))
    assert [(p.key, p.sheet, p.row, p.column) for p in problems] == [(key, sheet, row, column)]
    (problem,) = problems
    for lang in ("vi", "en"):
        text = problem.render(lang)
        assert sheet in text and (row is None or str(row) in text)
        assert column is None or f"“{column}”" in text
        assert "{" not in text  # every parameter filled in


@pytest.mark.parametrize("kind", ["resolution", "indicators", "goals"])
def test_a_missing_sheet_is_named(kind: str) -> None:
    sheets = sheets_copy()
    del sheets[kind]
    problems = errors_of(xlsx(sheets))
    assert [(p.key, p.sheet) for p in problems] == [("rb_missing_sheet", kind)]


def test_a_missing_sheet_is_named_in_vietnamese_in_a_vietnamese_workbook() -> None:
    names = {"resolution": "Nghị quyết", "indicators": "Chỉ số"}
    sheets = sheets_copy()
    del sheets["goals"]
    (problem,) = errors_of(xlsx(sheets, names))
    assert (problem.key, problem.sheet) == ("rb_missing_sheet", "Chỉ tiêu")
    assert "goals" in problem.render("vi")


def test_every_problem_of_a_workbook_is_reported_at_once() -> None:
    sheets = sheets_copy()
    sheets["resolution"][0]["base_year"] = 2027
    sheets["indicators"][0]["value_type"] = "money"
    sheets["indicators"][1]["code"] = "new_members"
    sheets["goals"][0]["measure"] = "percentage"
    sheets["goals"][1]["target_max"] = 1
    sheets["goals"][2]["code"] = "A1"
    sheets["goals"][3]["numerator"] = "board_rating"
    problems = errors_of(xlsx(sheets))
    assert {(p.sheet, p.row, p.column, p.key) for p in problems} == {
        ("resolution", 2, "base_year", "rb_base_year"),
        ("indicators", 2, "value_type", "rb_unknown_value"),
        ("indicators", 3, "code", "rb_indicator_clash"),
        ("goals", 2, "measure", "rb_unknown_value"),
        ("goals", 3, "target_max", "rb_max_below_target"),
        ("goals", 4, "code", "rb_duplicate"),
        ("goals", 5, "numerator", "rb_unknown_indicator"),
    }


def test_several_problems_on_one_row_are_all_reported() -> None:
    sheets = sheets_copy()
    sheets["goals"][0].update(numerator="nobody", denominator=None, target="x")
    problems = errors_of(xlsx(sheets))
    assert {(p.row, p.column, p.key) for p in problems} == {
        (2, "target", "rb_not_number"),
        (2, "numerator", "rb_unknown_indicator"),
        (2, "denominator", "rb_ratio_denominator"),
    }


def test_an_of_which_loop_is_refused() -> None:
    sheets = sheets_copy()
    sheets["goals"][0]["parent"] = "A6"
    sheets["goals"][3]["parent"] = "A1"
    problems = errors_of(xlsx(sheets))
    assert {p.key for p in problems} == {"rb_parent_cycle"}
    assert all(p.column == "parent" for p in problems)


def test_a_formula_without_its_value_is_named_by_its_cell() -> None:
    wb = load_workbook(io.BytesIO(xlsx(SHEETS)))
    wb["goals"]["G2"] = "=1+2"  # openpyxl keeps no computed value
    out = io.BytesIO()
    wb.save(out)
    problems = errors_of(out.getvalue())
    assert [(p.key, p.sheet, p.row) for p in problems] == [("rb_formula", "goals", 2)]
    assert "G2" in problems[0].render("vi")


# --- hostile files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, key",
    [
        (b"", "e_empty_file"),
        (b"code,name_vi\nA,B\n", "rb_not_book"),
        (b"PK\x03\x04 not really a zip at all", "rb_not_book"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "e_xls_old"),
        (zipped({"readme.txt": b"hello"}), "rb_missing_sheet"),
    ],
    ids=["empty", "a_csv", "not_a_zip", "old_xls", "a_zip_of_other_files"],
)
def test_a_file_that_is_no_workbook_is_refused_cleanly(data: bytes, key: str) -> None:
    problems = errors_of(data)
    assert problems and {p.key for p in problems} == {key}
    assert all(p.render("vi") and p.render("en") for p in problems)


def test_a_sheet_past_its_row_cap_is_refused_saying_so() -> None:
    sheets = sheets_copy()
    sheets["goals"] = [
        {"code": f"Q{i}", "title_vi": f"Chỉ tiêu {i}", "measure": "qualitative"}
        for i in range(rb.MAX_ROWS["goals"] + 1)
    ]
    problems = errors_of(xlsx(sheets))
    assert [(p.key, p.sheet, p.row) for p in problems] == [("rb_too_many_rows", "goals", None)]
    assert "2.000" in problems[0].render("vi") and "2,000" in problems[0].render("en")


def test_an_indicators_csv_past_its_row_cap_is_refused() -> None:
    rows = [
        {"code": f"x{i}", "name_vi": f"Chỉ số {i}", "value_type": "count"}
        for i in range(rb.MAX_ROWS["indicators"] + 1)
    ]
    files = {f"{k}.csv": csv_text(r).encode() for k, r in {**SHEETS, "indicators": rows}.items()}
    problems = errors_of(zipped(files))
    assert [(p.key, p.sheet) for p in problems] == [("rb_too_many_rows", "indicators.csv")]


def test_a_file_past_the_size_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = xlsx(SHEETS)
    monkeypatch.setattr(rb, "BOOK_MAX_BYTES", len(data) - 1)
    problems = errors_of(data)
    assert [p.key for p in problems] == ["rb_file_too_big"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    files = {f"{k}.csv": csv_text(r).encode() for k, r in SHEETS.items()}
    files["goals.csv"] += b"\n" * (20 * 1024 * 1024)  # packs to a few kilobytes
    problems = errors_of(zipped(files))
    assert [p.key for p in problems] == ["e_xlsx_too_big"]


# --- a goal in words --------------------------------------------------------------------

EXAMPLE = example_doc()
BY_CODE = {i.code: i for i in [*KNOWN, *EXAMPLE.indicators]}
EX_GOALS = {g.code: g for g in EXAMPLE.goals}
SEED_GOALS = {g.code: g for g in SEED.goals}

DESCRIBED = {
    ("A1", "vi"): "Tỷ lệ: số đảng viên kết nạp mới / tổng số đảng viên đầu năm (cuối năm "
    "trước), từ 3% trở lên, mỗi năm",
    ("A1", "en"): "Ratio: members admitted this year / Party members on the roll at year end "
    "(at the end of the previous year), at least 3%, each year",
    ("A2", "vi"): "Tỷ lệ: (đảng viên hoàn thành xuất sắc nhiệm vụ + đảng viên hoàn thành tốt "
    "nhiệm vụ) / tổng số đảng viên đầu nhiệm kỳ, trên 90%, mỗi năm",
    ("A3", "vi"): "Tổng: số đảng viên kết nạp mới, từ 90 đến 100 đảng viên, mỗi năm",
    ("A3", "en"): "Sum: members admitted this year, from 90 to 100 members, each year",
    ("A4", "vi"): "Tổng: lớp bồi dưỡng LLCT cho đảng viên mới, từ 2 lớp trở lên, bình quân "
    "hằng năm",
    ("A5", "vi"): "Tỷ lệ: số cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa / số cơ quan, "
    "đơn vị, doanh nghiệp, đến năm cuối nhiệm kỳ đạt từ 60% trở lên",
    ("A6", "vi"): "Tỷ lệ: số đảng viên bị kỷ luật / tổng số đảng viên, dưới 1%, mỗi năm",
    ("A6", "en"): "Ratio: members disciplined this year / Party members on the roll at year "
    "end, less than 1%, each year",
    ("A7", "vi"): "Xếp loại: mức thấp hơn của xếp loại tập thể Ban Thường vụ và xếp loại Đảng "
    "bộ, từ mức 2 (hoàn thành tốt nhiệm vụ) trở lên, mỗi năm",
    ("A7", "en"): "Rating: the worse of rating of the Standing Committee and rating of the "
    "Party Committee, level 2 (good) or better, each year",
    ("B1", "vi"): "Tăng trưởng: tổng sản phẩm trên địa bàn (GRDP) so với năm trước, từ 8% "
    "đến 9%, mỗi năm",
    ("B1", "en"): "Growth: GRDP over the previous year, from 8% to 9%, each year",
    ("B2", "vi"): "Tổng: số tiền ủng hộ Quỹ “Vì người nghèo”, từ 1,5 tỷ đồng trở lên, mỗi năm",
    ("B2", "en"): "Sum: donations to the “For the Poor” fund, at least 1.5 billion VND, each year",
    ("K1", "vi"): "Định tính: đánh giá hằng năm (Đạt, Cơ bản đạt, Chưa đạt)",
}


@pytest.mark.parametrize("code, lang", list(DESCRIBED))
def test_describe_goal_says_the_example_goals_in_plain_words(code: str, lang: str) -> None:
    assert describe_goal(EX_GOALS[code], BY_CODE, lang) == DESCRIBED[(code, lang)]


def test_describe_goal_names_the_years_when_given_the_resolution() -> None:
    r = EXAMPLE.resolution
    a5 = describe_goal(EX_GOALS["A5"], BY_CODE, "vi", resolution=r)
    assert a5.endswith(", đến năm 2030 đạt từ 60% trở lên")
    assert describe_goal(EX_GOALS["A5"], BY_CODE, "en", resolution=r).endswith(
        ", by 2030 at least 60%"
    )
    a2 = describe_goal(EX_GOALS["A2"], BY_CODE, "en", resolution=r)
    assert "Party members on the roll at year end (at the start of the term, 2025)" in a2


def test_describe_goal_counts_organisations_and_shows_caps() -> None:
    assert describe_goal(SEED_GOALS["A3"], BY_CODE, "vi") == (
        "Tỷ lệ: số tổ chức có xếp loại tổ chức đảng không quá 2 (hoàn thành tốt nhiệm vụ) / "
        "số tổ chức có số liệu xếp loại tổ chức đảng, từ 80% trở lên, mỗi năm"
    )
    assert describe_goal(SEED_GOALS["A3"], BY_CODE, "en") == (
        "Ratio: organisations with rating of the Party organisation at most 2 (good) / "
        "organisations reporting rating of the Party organisation, at least 80%, each year"
    )
    assert describe_goal(SEED_GOALS["A5a"], BY_CODE, "vi").endswith(
        '; mức trần: số đạt danh hiệu "Chiến sĩ thi đua cơ sở" / số đạt danh hiệu '
        '"Lao động tiên tiến" không quá 15%'
    )


def test_describe_goal_sums_over_the_term_and_other_comparisons() -> None:
    assert describe_goal(SEED_GOALS["T1"], BY_CODE, "vi") == (
        "Tổng: số đảng viên kết nạp mới, từ 400 đảng viên trở lên, cộng dồn cả nhiệm kỳ"
    )
    assert describe_goal(SEED_GOALS["T1"], BY_CODE, "en") == (
        "Sum: members admitted this year, at least 400 members, summed over the term"
    )
    goal = Goal(
        code="X",
        measure=Measure.SUM,
        numerator="grdp",
        comparison="<=",
        target=1234.5,
        over=Over.TERM_AVERAGE,
    )
    assert describe_goal(goal, BY_CODE, "vi") == (
        "Tổng: tổng sản phẩm trên địa bàn (GRDP), không quá 1.234,5 tỷ đồng, bình quân hằng năm"
    )
    assert describe_goal(goal, BY_CODE, "en") == (
        "Sum: GRDP, at most 1,234.5 billion VND, as a yearly average over the term"
    )
