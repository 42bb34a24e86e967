"""Word and Excel reports: opened again with python-docx and openpyxl and read against the
data layer (progress_table, scorecard) on the demo data and on a small hand-made data set.

The hand-made set (organisations of tests/conftest.py, plus cell E whose name is a formula a
user might type): numbers for 2021 and 2022, worked out by hand in the comments.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from docx import Document
from docx.document import Document as DocxDocument
from openpyxl import Workbook, load_workbook

from src import reports
from src.engine.progress import progress_table, scorecard
from src.i18n import fmt_date, fmt_num, fmt_pct, t
from src.reports import content as report_content
from src.reports import docx_report, images, xlsx_report
from src.reports.content import ReportContent, date_line, default_letterhead
from src.store import storage
from tests.conftest import ORGS_CSV, ROOT, make_db, run_cli_at

FORMULA_NAME = '=HYPERLINK("http://example.invalid","x")'
NOTE_LIKE_A_LIST = "- Sinh hoạt chi bộ đều đặn; +2 chuyên đề"
ORGS_WITH_E = (
    ORGS_CSV + 'E,"=HYPERLINK(""http://example.invalid"",""x"")",grassroots_cell,ROOT,,,\n'
)
RATING_NAMES = t("rating_names").split("|")

# 2022: A, B and E report; C and D do not (5 grassroots organisations expected).
#   A1 studied/total = (20 + 8 + 5) / (20 + 10 + 5) = 33/35 = 94,3%
#   A4 (excellent + good)/rated = (16 + 6 + 2) / (20 + 10 + 5) = 24/35 = 68,6%: missed
#   A6 2 classes (met), A7 1 class (missed), T1 = 2 (2021) + 3 + 1 + 0 (2022) = 6
HAND = """year,org_code,indicator_code,value
2021,A,members_total,18
2021,A,members_studied,18
2021,A,new_members,2
2022,A,members_total,20
2022,A,members_studied,20
2022,A,members_rated,20
2022,A,members_excellent,4
2022,A,members_good,12
2022,A,members_completed,4
2022,A,members_not_completed,0
2022,A,org_rating,1
2022,A,new_members,3
2022,A,inspected,1
2022,B,members_total,10
2022,B,members_studied,8
2022,B,members_rated,10
2022,B,members_excellent,1
2022,B,members_good,5
2022,B,members_completed,3
2022,B,members_not_completed,1
2022,B,org_rating,3
2022,B,new_members,1
2022,B,inspected,0
2022,E,members_total,5
2022,E,members_studied,5
2022,E,members_rated,5
2022,E,members_excellent,0
2022,E,members_good,2
2022,E,members_completed,3
2022,E,members_not_completed,0
2022,E,org_rating,2
2022,E,new_members,0
2022,ROOT,standing_committee_rating,2
2022,ROOT,committee_rating,1
2022,ROOT,classes_candidates,2
2022,ROOT,classes_new_members,1
2022,ROOT,classes_party_work,1
"""
ASSESSMENTS = f"""year,goal_code,status,note
2022,K1,met,"{NOTE_LIKE_A_LIST}"
2022,K2,near,Kiểm tra chuyên đề còn ít.
"""
NOW = datetime(2026, 2, 5, 9, 30)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo_con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = storage.connect(demo_db, read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def demo_2023(demo_con: duckdb.DuckDBPyConnection) -> ReportContent:
    return report_content.build(demo_con, 2023, raw=True)  # the workbook's sheet of numbers


def test_the_word_report_and_the_preview_read_no_organisation_s_raw_numbers(
    demo_con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every value of the years is read only for the workbook's sheet of them: at the
    national size that read took 100 s of the report page's first view."""

    def every_value(*_: object) -> None:
        raise AssertionError("every reported value was read")

    monkeypatch.setattr(report_content.queries, "observations_long", every_value)
    built = report_content.build(demo_con, 2023)
    assert built.raw.empty and not report_content.goals_table(built).empty
    assert reports.make(demo_con, "docx", year=2023, charts=False).data[:2] == b"PK"
    with pytest.raises(AssertionError, match="every reported value"):
        reports.make(demo_con, "xlsx", year=2023)


def test_the_pages_preview_of_table_1_reads_no_cells_result_and_says_the_same(
    demo_con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the national size the cells' own results are 2.5 million a year: the page's
    preview of Table 1 does without them, and its table is the report's."""
    full = report_content.goals_table(report_content.build(demo_con, 2023, term=True))

    def every_cell(*_: object) -> None:
        raise AssertionError("every cell's result was read")

    monkeypatch.setattr(report_content, "scorecard", every_cell)
    preview = report_content.build(demo_con, 2023, term=True, cells=False)
    pd.testing.assert_frame_equal(report_content.goals_table(preview), full)
    with pytest.raises(AssertionError, match="every cell"):
        report_content.build(demo_con, 2023)


@pytest.fixture(scope="module")
def demo_docx(demo_2023: ReportContent) -> DocxDocument:
    return Document(BytesIO(docx_report.build(demo_2023)))


@pytest.fixture(scope="module")
def demo_xlsx(demo_2023: ReportContent) -> Workbook:
    return load_workbook(BytesIO(xlsx_report.build(demo_2023)))


@pytest.fixture(scope="module")
def hand_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    from tests.conftest import load

    con = make_db(tmp_path_factory.mktemp("hand") / "hand.duckdb")
    load(con, ORGS_WITH_E, "orgs.csv")
    load(con, HAND, "so-lieu-2022.csv")
    load(con, ASSESSMENTS, "danh-gia-2022.csv")
    yield con
    con.close()


@pytest.fixture(scope="module")
def hand_2022(hand_con: duckdb.DuckDBPyConnection) -> ReportContent:
    return report_content.build(hand_con, 2022, now=NOW, raw=True)


# ---------------------------------------------------------------------------- reading back


def docx_text(doc: DocxDocument) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    for section in doc.sections:
        for part in (section.header, section.first_page_header):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(parts)


def goals_table(doc: DocxDocument) -> tuple[list[str], dict[str, list[str]]]:
    """Table 1: its header and, by goal code, its cells."""
    table = next(
        tb
        for tb in doc.tables
        if tb.rows[0].cells[0].text == t("rep_col_no")
        and tb.rows[0].cells[2].text == t("rep_col_target")
    )
    header = [c.text for c in table.rows[0].cells]
    rows = {}
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        if cells[0] != cells[1]:  # a group row is one merged cell
            rows[cells[0]] = cells
    return header, rows


def shown(row: dict[str, object]) -> str:
    """A progress row's value as the pages show it."""
    kind, actual, status = row["kind"], row["actual"], str(row["status"])
    if kind == "qualitative":
        return "–" if status == "no_data" else t("assess_" + status)
    if actual is None or (isinstance(actual, float) and math.isnan(actual)):
        return "–"
    if kind == "annual_ratio":
        return fmt_pct(float(actual))  # type: ignore[arg-type]
    if kind == "annual_rating":
        return RATING_NAMES[int(actual) - 1]  # type: ignore[call-overload]
    return fmt_num(float(actual))  # type: ignore[arg-type]


def progress_rows(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, dict[str, object]]:
    frame = progress_table(con, year)
    return {
        str(r["goal_code"]): {str(k): v for k, v in r.items()} for r in frame.to_dict("records")
    }


def sheet_rows(ws: object, header_row: int = xlsx_report.FIRST_ROW) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))  # type: ignore[attr-defined]
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


# ---------------------------------------------------------------------------- demo data


def test_word_goals_table_shows_the_data_layer_value_of_every_goal_in_every_year(
    demo_con: duckdb.DuckDBPyConnection, demo_docx: DocxDocument
) -> None:
    header, rows = goals_table(demo_docx)
    assert header[3:7] == ["Năm 2020", "Năm 2021", "Năm 2022", "Năm 2023"]
    assert header[-1] == "Đánh giá năm 2023"
    for i, year in enumerate((2020, 2021, 2022, 2023), start=3):
        expected = progress_rows(demo_con, year)
        assert set(rows) == set(expected)
        for code, row in expected.items():
            assert rows[code][i] == shown(row), (code, year)
    assert rows["A4"][2] == "80%"
    assert rows["A6"][2] == "2 lớp"
    assert rows["A2"][2] == "Tốt trở lên"


def test_word_assessment_column_says_exceeded_met_near_missed_in_words(
    demo_con: duckdb.DuckDBPyConnection, demo_docx: DocxDocument
) -> None:
    _, rows = goals_table(demo_docx)
    expected = progress_rows(demo_con, 2023)
    for code, row in expected.items():
        words = rows[code][-1]
        status = str(row["status"])
        if row["kind"] == "qualitative":
            assert words == t("assess_" + status), code
        elif status == "met":
            target = float(row["target"])  # type: ignore[arg-type]
            above = round(float(row["actual"]), 1) > target  # type: ignore[arg-type]
            above = above and row["comparison"] == ">="
            assert words == ("Vượt" if above else "Đạt"), code
        else:
            assert words.startswith(t("status_" + status)), code
    assert rows["A4"][-1] == "Vượt"  # 88,3% against 80%
    assert rows["A10"][-1] == "Chưa đạt"
    assert rows["T1"][-1] == "Chưa đạt; đúng tiến độ"  # 333 of 400, pace 267


def test_each_goal_has_a_paragraph_written_from_its_numbers(
    demo_con: duckdb.DuckDBPyConnection, demo_docx: DocxDocument
) -> None:
    text = docx_text(demo_docx)
    a4 = progress_rows(demo_con, 2023)["A4"]
    actual = float(a4["actual"])  # type: ignore[arg-type]
    diff = fmt_num(round(actual, 1) - 80, decimals=1)
    assert f"A4. Đảng viên hoàn thành tốt nhiệm vụ trở lên: Năm 2023 đạt {fmt_pct(actual)}" in text
    assert f"vượt {diff} điểm % so với chỉ tiêu (80%)" in text
    numerator, denominator = float(a4["numerator"]), float(a4["denominator"])  # type: ignore[arg-type]
    assert f"({fmt_num(numerator)}/{fmt_num(denominator)} đảng viên)" in text
    assert "T1. Kết nạp đảng viên mới cả nhiệm kỳ: Lũy kế 2020-2023: 333 đảng viên" in text
    assert "đến năm 2025 ước đạt" in text  # the projection


def test_the_cells_that_did_not_meet_a_goal_are_named_weakest_first(
    demo_con: duckdb.DuckDBPyConnection, demo_2023: ReportContent
) -> None:
    cards = scorecard(demo_con, 2023)
    a4 = cards[cards["goal_code"] == "A4"]
    missed = a4[a4["status"] == "missed"].sort_values("actual")
    section = next(s for s in demo_2023.sections if s.code == "A4")
    assert [c.org_code for c in section.missed] == list(missed["org_code"])
    first = missed.iloc[0]
    assert f"{first['name']} ({fmt_pct(float(first['actual']))})" in section.cells_text
    assert section.cells_text.startswith(f"Năm 2023, tổ chức chưa đạt ({len(missed)}): ")


def test_qualitative_goals_carry_their_recorded_assessments_and_notes(
    demo_docx: DocxDocument,
) -> None:
    table = next(tb for tb in demo_docx.tables if tb.rows[0].cells[-1].text == t("note"))
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["K2"][2] == "Cơ bản đạt"
    assert rows["K2"][3].startswith("Kiểm tra khi có dấu hiệu vi phạm còn ít")
    assert set(rows) == {"T3", "K1", "K2"}


def test_excel_goals_sheet_holds_the_data_layer_numbers_as_numbers(
    demo_con: duckdb.DuckDBPyConnection, demo_xlsx: Workbook
) -> None:
    ws = demo_xlsx["Chỉ tiêu 2023"]
    rows = {str(r["Mã"]): r for r in sheet_rows(ws)}
    for year in (2020, 2021, 2022, 2023):
        for code, row in progress_rows(demo_con, year).items():
            cell = rows[code][f"Năm {year}"]
            actual = row["actual"]
            if row["kind"] == "annual_ratio":
                assert cell == pytest.approx(float(actual) / 100, abs=1e-12), (code, year)  # type: ignore[arg-type]
            elif row["kind"] in ("annual_count", "term_cumulative"):
                assert cell == float(actual), (code, year)  # type: ignore[arg-type]
            else:
                assert cell == (None if shown(row) == "–" else shown(row)), (code, year)
    a4 = progress_rows(demo_con, 2023)["A4"]
    assert rows["A4"]["Tử số 2023"] == a4["numerator"]
    assert rows["A4"]["Mẫu số 2023"] == a4["denominator"]
    header = [c.value for c in ws[xlsx_report.FIRST_ROW]]
    a4_row = next(c.row for c in ws["A"] if c.value == "A4")
    a4_cell = ws.cell(row=a4_row, column=header.index("Năm 2023") + 1)
    assert a4_cell.number_format == "[$-42A]0.0%"  # shown 88,3% whatever the machine's locale
    assert a4_cell.fill.fgColor.rgb.endswith(xlsx_report.FILLS["met"].fgColor.rgb[-6:])


def test_excel_sheets_are_vietnamese_with_frozen_headers_and_fitted_columns(
    demo_xlsx: Workbook,
) -> None:
    assert demo_xlsx.sheetnames == [
        "Chỉ tiêu 2023",
        "Kết quả theo tổ chức",
        "Số liệu gốc",
        "Thông tin",
    ]
    assert demo_xlsx["Chỉ tiêu 2023"].freeze_panes == "C7"
    assert demo_xlsx["Kết quả theo tổ chức"].freeze_panes == "D7"
    assert demo_xlsx["Số liệu gốc"].freeze_panes == "D8"
    names = demo_xlsx["Kết quả theo tổ chức"].column_dimensions["C"].width
    code = demo_xlsx["Kết quả theo tổ chức"].column_dimensions["B"].width
    assert names > 30 and 8 <= code <= 16


def test_excel_scorecard_is_the_data_layer_scorecard(
    demo_con: duckdb.DuckDBPyConnection, demo_xlsx: Workbook
) -> None:
    expected = scorecard(demo_con, 2023).set_index(["org_code", "goal_code"])
    rows = sheet_rows(demo_xlsx["Kết quả theo tổ chức"])
    assert len(rows) == expected.index.get_level_values(0).nunique()
    checked = 0
    for row in rows:
        for label, value in row.items():
            code = label.split(".")[0]
            if (row["Mã tổ chức"], code) not in expected.index:
                continue
            found = expected.loc[(row["Mã tổ chức"], code)]
            if pd.isna(found["actual"]):
                assert value is None
            elif isinstance(value, float | int):
                assert value == pytest.approx(float(found["actual"]) / 100, abs=1e-12)
                checked += 1
            else:  # goals that count organisations: counted or not
                assert value == t("status_" + str(found["status"]))
    assert checked > 100


def test_excel_raw_numbers_are_the_reported_observations(
    demo_con: duckdb.DuckDBPyConnection, demo_xlsx: Workbook
) -> None:
    rows = sheet_rows(demo_xlsx["Số liệu gốc"])
    codes = rows[0]  # the row under the header names each column's indicator code
    column = next(k for k, v in codes.items() if v == "members_total")
    total = sum(
        float(str(r[column])) for r in rows[1:] if r["Năm"] == 2023 and r[column] is not None
    )
    observed = demo_con.execute(
        "SELECT sum(value) FROM observations WHERE year = 2023 AND indicator_code = 'members_total'"
    ).fetchone()
    assert observed is not None and total == observed[0]


def test_word_report_has_the_party_document_header(demo_docx: DocxDocument) -> None:
    left, right = demo_docx.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "ĐẢNG BỘ TỈNH BẮC KẠN",
        "ĐẢNG ỦY CÁC CƠ QUAN TỈNH",
        "*",
        "Số      -BC/ĐU",
    ]
    assert left.paragraphs[1].runs[0].bold
    party = right.paragraphs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert party.runs[0].bold and party.runs[0].underline
    date = right.paragraphs[-1]
    assert re.fullmatch(r"Bắc Kạn, ngày \d\d tháng \d{1,2} năm 20\d\d", date.text)
    assert date.runs[0].italic
    texts = [p.text for p in demo_docx.paragraphs]
    assert "BÁO CÁO" in texts
    assert (
        "kết quả thực hiện các chỉ tiêu Nghị quyết Đại hội đại biểu Đảng bộ Các cơ quan tỉnh "
        "Bắc Kạn lần thứ XI, nhiệm kỳ 2020-2025, năm 2023"
    ) in texts
    assert "Nơi nhận:" in docx_text(demo_docx)


def test_word_report_is_a4_with_party_margins_in_times_new_roman(
    demo_docx: DocxDocument,
) -> None:
    section = demo_docx.sections[0]
    sizes = [section.page_width, section.page_height]
    margins = [section.top_margin, section.bottom_margin, section.left_margin]
    margins.append(section.right_margin)
    assert [round(m.mm) for m in sizes if m is not None] == [210, 297]
    assert [round(m.mm) for m in margins if m is not None] == [20, 20, 30, 15]
    assert demo_docx.styles["Normal"].font.name == "Times New Roman"  # type: ignore[union-attr]
    runs = [r for p in demo_docx.paragraphs for r in p.runs]
    runs += [
        r
        for tb in demo_docx.tables
        for row in tb.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    assert runs and {r.font.name for r in runs} == {"Times New Roman"}
    assert section.different_first_page_header_footer  # page numbers from page 2


def test_report_text_is_vietnamese_nfc_with_diacritics(demo_docx: DocxDocument) -> None:
    text = docx_text(demo_docx)
    assert text == unicodedata.normalize("NFC", text)
    for phrase in ("Đảng viên hoàn thành tốt nhiệm vụ trở lên", "điểm %", "Chưa đạt"):
        assert phrase in text
    assert re.search(r"\d\.\d{3}/\d\.\d{3} đảng viên", text)  # 2.576/2.917: Vietnamese


def test_demo_reports_say_du_lieu_mau_on_every_page_and_sheet(
    demo_docx: DocxDocument, demo_xlsx: Workbook, hand_2022: ReportContent
) -> None:
    section = demo_docx.sections[0]
    for header in (section.header, section.first_page_header):
        assert "DỮ LIỆU MẪU" in "\n".join(p.text for p in header.paragraphs)
    assert "DỮ LIỆU MẪU: báo cáo này được lập từ dữ liệu minh họa" in docx_text(demo_docx)
    for ws in demo_xlsx.worksheets:
        assert "Dữ liệu mẫu".upper() in "\n".join(
            str(c.value) for row in ws.iter_rows(max_row=8) for c in row if c.value
        ), ws.title
    plain = Document(BytesIO(docx_report.build(hand_2022)))
    assert "MẪU" not in docx_text(plain)
    workbook = load_workbook(BytesIO(xlsx_report.build(hand_2022)))
    assert not any(
        "MẪU" in str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value
    )


def test_reports_say_when_they_were_made_and_from_which_batch(
    hand_con: duckdb.DuckDBPyConnection, hand_2022: ReportContent
) -> None:
    batch = hand_con.execute(
        "SELECT batch_id, applied_at FROM batches ORDER BY batch_id DESC LIMIT 1"
    ).fetchone()
    assert batch is not None
    made = f"Báo cáo lập lúc {fmt_date(NOW, with_time=True)}"
    source = (
        f"Số liệu cập nhật lần cuối lúc {fmt_date(batch[1], with_time=True)} "
        f"(lần cập nhật số {batch[0]}, tệp “danh-gia-2022.csv”)"
    )
    doc = Document(BytesIO(docx_report.build(hand_2022)))
    text = docx_text(doc)
    assert made in text and source in text
    assert "ngày 05 tháng 02 năm 2026" in text
    assert doc.core_properties.created == NOW.astimezone(UTC)
    workbook = load_workbook(BytesIO(xlsx_report.build(hand_2022)))
    for ws in workbook.worksheets[:3]:
        assert made in str(ws["A3"].value) and source in str(ws["A3"].value), ws.title


# ---------------------------------------------------------------------------- hand-made data


def test_hand_made_numbers_reach_both_files_as_worked_out_by_hand(
    hand_con: duckdb.DuckDBPyConnection, hand_2022: ReportContent
) -> None:
    doc = Document(BytesIO(docx_report.build(hand_2022)))
    header, rows = goals_table(doc)
    assert header[3:5] == ["Năm 2020", "Năm 2021"] and header[5] == "Năm 2022"
    assert rows["A1"][3:] == ["–", "100,0%", "94,3%", "Chưa đạt"]  # 18/18; 33/35, 5,7 short
    assert rows["A4"][5:] == ["68,6%", "Chưa đạt"]  # 24/35
    assert rows["A6"][5:] == ["2", "Đạt"]
    assert rows["A7"][5:] == ["1", "Chưa đạt"]
    assert rows["A2"][5:] == ["Tốt", "Đạt"]  # the worse of 2 and 1
    assert rows["T1"][4:] == ["2", "6", "Chưa đạt; chậm tiến độ"]  # 6 against a pace of 200
    assert rows["K1"][5:] == ["Đạt", "Đạt"]
    text = docx_text(doc)
    assert (
        "Năm 2022 đạt 68,6% (24/35 đảng viên), chưa đạt chỉ tiêu (80%), thấp hơn 11,4 điểm %"
        in text
    )
    assert "Số liệu tổng hợp từ 3/5 tổ chức cơ sở đảng đã báo cáo đủ." in text
    # the data layer says the same
    for code, row in progress_rows(hand_con, 2022).items():
        assert rows[code][5] == shown(row), code
    ws = load_workbook(BytesIO(xlsx_report.build(hand_2022)))["Chỉ tiêu 2022"]
    sheet = {str(r["Mã"]): r for r in sheet_rows(ws)}
    assert sheet["A4"]["Năm 2022"] == pytest.approx(24 / 35)
    assert (sheet["A4"]["Tử số 2022"], sheet["A4"]["Mẫu số 2022"]) == (24, 35)
    assert sheet["T1"]["Năm 2022"] == 6 and sheet["A1"]["Năm 2020"] is None


def test_cells_missing_a_goal_are_listed_with_their_own_value(hand_2022: ReportContent) -> None:
    a4 = next(s for s in hand_2022.sections if s.code == "A4")
    # E: 2/5 = 40,0%; B: 6/10 = 60,0%; A: 16/20 = 80,0% meets it
    assert a4.cells_text == (
        f"Năm 2022, tổ chức chưa đạt (2): {FORMULA_NAME} (40,0%), Chi bộ B (60,0%); "
        "2 tổ chức chưa báo cáo đủ số liệu."
    )


def test_past_the_names_a_report_lists_the_weakest_are_named_and_the_rest_counted(
    hand_con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_content, "NAMED_WITH_VALUES", 1)  # 2 cells miss A4 in 2022
    built = report_content.build(hand_con, 2022, now=NOW)
    a4 = next(s for s in built.sections if s.code == "A4")
    assert [c.name for c in a4.missed] == [FORMULA_NAME]  # the weakest, named
    assert a4.cells_text.startswith(
        f"Năm 2022, tổ chức chưa đạt (2): {FORMULA_NAME} (40,0%) và 1 tổ chức khác; "
    )
    assert "Chi bộ B" not in a4.cells_text
    assert a4.cells_text.endswith("của bảng tính Excel.")


def test_an_organisation_named_like_a_formula_stays_text(hand_2022: ReportContent) -> None:
    workbook = load_workbook(BytesIO(xlsx_report.build(hand_2022)))
    found = []
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if cell.value == FORMULA_NAME:
                    found.append(ws.title)
                    assert cell.data_type == "s" and cell.quotePrefix
                if cell.value == NOTE_LIKE_A_LIST:
                    assert cell.data_type == "s"
    assert "Kết quả theo tổ chức" in found and "Số liệu gốc" in found
    doc = Document(BytesIO(docx_report.build(hand_2022)))
    assert FORMULA_NAME in docx_text(doc)
    assert NOTE_LIKE_A_LIST in docx_text(doc)


def test_term_report_has_a_column_per_year_and_counts_the_years_met(
    hand_con: duckdb.DuckDBPyConnection,
) -> None:
    content = report_content.build(hand_con, 2022, term=True, now=NOW)
    doc = Document(BytesIO(docx_report.build(content)))
    header, rows = goals_table(doc)
    assert header[3:] == ["Năm 2020", "Năm 2021", "Năm 2022", "Đánh giá 2020-2022"]
    assert rows["A1"][-1] == "Đạt 1/2 năm"  # 2021 met, 2022 near, 2020 no data
    assert rows["T1"][-1] == "Chưa đạt; chậm tiến độ"  # whole-term goals: the total so far
    assert "giai đoạn 2020-2022" in docx_text(doc)
    ws = load_workbook(BytesIO(xlsx_report.build(content)))
    assert ws.sheetnames[0] == "Chỉ tiêu 2020-2022"


def test_a_selection_of_cells_leaves_out_committee_goals_and_says_so(
    hand_con: duckdb.DuckDBPyConnection,
) -> None:
    content = report_content.build(hand_con, 2022, ["A", "B"], now=NOW)
    doc = Document(BytesIO(docx_report.build(content)))
    _, rows = goals_table(doc)
    assert not {"A2", "A6", "A7", "T2"} & set(rows)
    assert rows["A4"][5] == "73,3%"  # (16 + 6) / (20 + 10)
    text = docx_text(doc)
    assert "Các chỉ tiêu đánh giá ở cấp Đảng bộ (A2, A6, A7, T2) không tính" in text
    assert "phạm vi 2 tổ chức cơ sở đảng: Chi bộ A, Chi bộ B" in text
    assert rows["A4"][5] == shown(progress_rows_for(hand_con, 2022, ["A", "B"])["A4"])


def progress_rows_for(
    con: duckdb.DuckDBPyConnection, year: int, orgs: list[str]
) -> dict[str, dict[str, object]]:
    frame = progress_table(con, year, orgs)
    return {
        str(r["goal_code"]): {str(k): v for k, v in r.items()} for r in frame.to_dict("records")
    }


def test_date_line_pads_days_below_ten_and_the_first_two_months() -> None:
    assert date_line("Bắc Kạn", datetime(2026, 2, 5), "vi") == "Bắc Kạn, ngày 05 tháng 02 năm 2026"
    assert (
        date_line("Bắc Kạn", datetime(2026, 11, 26), "vi") == "Bắc Kạn, ngày 26 tháng 11 năm 2026"
    )
    assert date_line("", datetime(2026, 4, 30), "vi") == "…………, ngày 30 tháng 4 năm 2026"


def test_letterhead_is_read_from_the_committee_name() -> None:
    head = default_letterhead("Đảng bộ Các cơ quan tỉnh Bắc Kạn")
    assert (head.superior, head.issuer, head.place) == (
        "ĐẢNG BỘ TỈNH BẮC KẠN",
        "ĐẢNG ỦY CÁC CƠ QUAN TỈNH",
        "Bắc Kạn",
    )
    assert head.number == "Số      -BC/ĐU" and head.signer == "T/M BAN THƯỜNG VỤ"
    other = default_letterhead("Đảng bộ Thử nghiệm")
    assert (other.superior, other.issuer, other.place) == ("", "ĐẢNG ỦY THỬ NGHIỆM", "")


# ---------------------------------------------------------------------------- charts


def test_charts_are_drawn_as_images_where_a_browser_is_available(
    hand_2022: ReportContent,
) -> None:
    if images.browser_path() is None:
        pytest.skip("no browser on this machine: covered by the test below")
    data, drawn = docx_report.render(hand_2022, charts=True)
    doc = Document(BytesIO(data))
    assert drawn == len(hand_2022.charts) == len(doc.inline_shapes) == 2  # ratios, term
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Biểu đồ")]
    assert captions == [
        "Biểu đồ 1. Kết quả các chỉ tiêu tỷ lệ năm 2022 so với chỉ tiêu Nghị quyết",
        "Biểu đồ 2. Chỉ tiêu cả nhiệm kỳ: số lũy kế, tiến độ bình quân và chỉ tiêu",
    ]


def test_without_a_browser_the_report_is_complete_and_mentions_no_chart(
    hand_2022: ReportContent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER_PATH", "")
    data, drawn = docx_report.render(hand_2022, charts=True)
    doc = Document(BytesIO(data))
    assert drawn == 0 and len(doc.inline_shapes) == 0
    assert "Biểu đồ" not in docx_text(doc)
    assert goals_table(doc)[1]["A4"][5] == "68,6%"


# ---------------------------------------------------------------------------- command line


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    return db


def test_cli_writes_a_word_report_for_the_latest_year_by_default(
    demo_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bao-cao.docx"
    result = run_cli_at(demo_copy, "export", "--format", "docx", "--out", str(out), "--no-charts")
    assert result.returncode == 0, result.stderr
    assert f"Đã ghi {out} (năm 2025)." in result.stdout
    doc = Document(str(out))
    assert any(p.text.endswith("nhiệm kỳ 2020-2025, năm 2025") for p in doc.paragraphs)
    assert goals_table(doc)[0][-1] == "Đánh giá năm 2025"


def test_cli_writes_a_term_workbook_for_chosen_cells(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "so-ket.xlsx"
    args = ["export", "--format", "xlsx", "--out", str(out), "--year", "2023", "--term"]
    result = run_cli_at(demo_copy, *args, "--org", "CQ-01", "CQ-07")
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(out)
    assert workbook.sheetnames[0] == "Chỉ tiêu 2020-2023"
    orgs = {r["Mã tổ chức"] for r in sheet_rows(workbook["Kết quả theo tổ chức"])}
    assert orgs == {"CQ-01", "CQ-07"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2031"], "Năm 2031 không thuộc nhiệm kỳ 2020-2025"),
        (["--org", "CQ-99"], "Mã tổ chức không có trong cơ sở dữ liệu: CQ-99"),
    ],
    ids=["year outside the term", "unknown cell"],
)
def test_cli_refuses_a_year_outside_the_term_or_an_unknown_cell(
    demo_copy: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.docx"
    result = run_cli_at(demo_copy, "export", "--format", "docx", "--out", str(out), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not out.exists()


def test_files_are_named_after_the_period(hand_con: duckdb.DuckDBPyConnection) -> None:
    make: Callable[..., reports.Report] = reports.make
    assert make(hand_con, "xlsx", year=2022).file_name == "bao-cao-chi-tieu-2022.xlsx"
    term = make(hand_con, "docx", year=2022, term=True, charts=False)
    assert term.file_name == "bao-cao-chi-tieu-2020-2022.docx"


def test_a_database_without_numbers_gives_complete_reports_of_missing_data(
    con: duckdb.DuckDBPyConnection,
) -> None:
    content = report_content.build(con, now=NOW)
    assert content.year == 2020 and content.source_text == "Chưa có lần cập nhật số liệu nào."
    doc = Document(BytesIO(docx_report.build(content)))
    _, rows = goals_table(doc)
    assert rows["A4"][3:] == ["–", "Chưa có số liệu"]
    assert "Năm 2020 chưa có số liệu." in docx_text(doc)
    workbook = load_workbook(BytesIO(xlsx_report.build(content)))
    assert workbook.sheetnames[0] == "Chỉ tiêu 2020"


def test_the_command_line_knows_the_report_formats_and_loads_them_for_a_report_only() -> None:
    """Every command but a report's export starts without Word's, Excel's and the charts'
    libraries (they are most of a start's time); the formats it sends to them are theirs."""
    from src.cli import commands as cli

    assert cli.REPORT_FORMATS == reports.FORMATS
    code = (
        "import sys; from src import cli; "
        "print(sorted(m for m in ('src.reports', 'docx', 'plotly') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
