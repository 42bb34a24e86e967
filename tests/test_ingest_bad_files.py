"""Every bad file of tests/data/bad/ is refused whole, says where, and changes nothing.

Each file holds one kind of mistake and refers to the demo organisations (CQ-01…CQ-42 under
DBCQ), so it is imported into a copy of a database made with ``init --demo``. The row a
message must name is the spreadsheet's own row number (the header is row 1); files refused
as a whole (empty, not a spreadsheet) name no row and say so with "Tệp:".
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import run_cli_at
from tests.ingest_support import BAD, copy_db, export, history, run

# file → (row the message names, or None for the file as a whole; text that same line shows:
# the column, the value at fault, or for file-level problems a word of the message)
EXPECTED: dict[str, tuple[int | None, str]] = {
    "01_unknown_org.csv": (3, "CQ-99"),
    "02_unknown_indicator.csv": (3, "so_dang_vien_nu"),
    "03_count_not_whole.csv": (4, "26.5"),
    "04_negative_count.csv": (3, "-2"),
    "05_flag_not_0_or_1.csv": (2, "“2”"),
    "06_rating_out_of_range.csv": (3, "“5”"),
    "07_rating_unknown_name.csv": (3, "“Khá”"),
    "08_root_indicator_on_cell.csv": (3, "committee_rating"),
    "09_cell_indicator_on_root.csv": (3, "members_total"),
    "10_studied_exceeds_total.csv": (4, "33 lớn hơn tổng số đảng viên (31)"),
    "11_rated_exceeds_total.csv": (4, "32 lớn hơn tổng số đảng viên (31)"),
    "12_emulation_exceeds_advanced.csv": (3, "cột staff_emulation: 9 lớn hơn"),
    "13_advanced_exceeds_staff_total.csv": (4, "cột Lao động tiên tiến: 40 lớn hơn"),
    "14_mass_good_exceeds_total_in_database.csv": (4, "7 lớn hơn số tổ chức Công đoàn"),
    "15_units_total_below_cultural_in_database.csv": (
        4,
        "lớn hơn số cơ quan, đơn vị, doanh nghiệp (2)",
    ),
    "16_ratings_not_summing.csv": (3, "cột members_rated: tổng bốn mức"),
    "17_duplicate_key.csv": (5, "trùng với dòng 3"),
    "18_duplicate_column.csv": (1, "members_total"),
    "18b_duplicate_column_by_name.csv": (1, "“Tổng số đảng viên” xuất hiện hai lần"),
    "18c_duplicate_column_by_alias.csv": (1, "“gia_tri” xuất hiện hai lần"),
    "19_year_out_of_range.csv": (3, "2052"),
    "20_year_fy22.csv": (3, "FY22"),
    "21_empty.csv": (None, "rỗng"),
    "22_header_only.csv": (1, "chỉ có dòng tiêu đề"),
    "23_missing_value_column.csv": (1, "“value”"),
    "24_image.png": (None, "không phải tệp CSV hay Excel"),
    "25_random_bytes.csv": (None, "không phải tệp CSV hay Excel"),
    "26_unbalanced_quote.csv": (3, "ngoặc kép"),
    "26b_unbalanced_quote_closed_later.csv": (3, "ngoặc kép"),
    "27_excel_error_div0.csv": (3, "#DIV/0!"),
    "28_excel_error_na.xlsx": (4, "#N/A"),
    "29_text_in_number_column.csv": (3, "khoảng 18"),
    "30_percent_in_count.csv": (3, "95%"),
    "31_wide_unknown_column.csv": (1, "Số đảng viên nữ"),
    "32_orgs_two_roots.csv": (4, "cùng hoạt động mọi năm"),
    "33_orgs_bad_kind.csv": (3, "chi_bo"),
    "34_orgs_bad_parent.csv": (3, "CQ-14"),
    "35_assessment_unknown_goal.csv": (3, "K3"),
    "36_assessment_bad_status.csv": (2, "“Tốt”"),
    "37_assessment_numeric_goal.csv": (3, "A1"),
    "38_many_mistakes.csv": (3, "CQ-99"),
    "39_truncated.xlsx": (None, "không phải là tệp Excel (.xlsx) hợp lệ"),
    "40_saved_as_ods.ods": (None, "không mở được tệp Excel"),
    "41_old_excel_97.xls": (None, "tệp Excel đời cũ (.xls"),
    "42_unrelated_spreadsheet.csv": (1, "không nhận ra loại tệp"),
    "43_extra_cells_in_a_row.csv": (2, "dòng có 5 ô nhưng dòng tiêu đề chỉ có 4 cột"),
}

CORPUS = sorted(p.name for p in BAD.iterdir() if p.name != "README.md")


def _lines_for(stderr: str, row: int | None) -> list[str]:
    """The message lines naming ``row`` (or the file as a whole)."""
    start = re.compile(r"Tệp: " if row is None else rf"Dòng {row}[,:] ")
    return [line for line in stderr.splitlines() if start.match(line)]


def _line_for(stderr: str, row: int | None) -> str:
    """The first message line naming ``row`` (or the file as a whole); '' when none does."""
    return next(iter(_lines_for(stderr, row)), "")


def test_every_bad_file_has_an_expectation_and_a_readme_line() -> None:
    assert sorted(EXPECTED) == CORPUS
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    for name, (row, _) in EXPECTED.items():
        line = next((x for x in readme.splitlines() if f"`{name}`" in x), "")
        assert line, f"{name} is not in tests/data/bad/README.md"
        assert line.rstrip(" |").endswith(f"| {row if row is not None else '–'}"), line


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    return copy_db(demo_db, tmp_path)


@pytest.fixture(scope="module")
def demo_state(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[bytes, list[dict[str, str]]]:
    """The export and the history of (a copy of) the demo database, as every copy starts."""
    tmp = tmp_path_factory.mktemp("demo_state")
    db = copy_db(demo_db, tmp)
    return export(db, tmp), history(db)


@pytest.mark.parametrize("name", CORPUS)
def test_upload_of_a_bad_file_is_refused_names_the_row_and_changes_nothing(
    name: str, demo_copy: Path, tmp_path: Path, demo_state: tuple[bytes, list[dict[str, str]]]
) -> None:
    row, text = EXPECTED[name]
    before, batches = demo_state

    result = run(demo_copy, "import", str(BAD / name))

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = _lines_for(result.stderr, row)
    assert lines, (
        f"no message names {'the file' if row is None else f'row {row}'}:\n" + result.stderr
    )
    # one of them (every problem is listed: a rule the row breaks may come first)
    assert any(text in line for line in lines), result.stderr
    assert export(demo_copy, tmp_path) == before
    assert history(demo_copy) == batches


def test_dry_run_of_a_bad_file_is_refused_too(demo_copy: Path) -> None:
    result = run(demo_copy, "import", "--dry-run", str(BAD / "01_unknown_org.csv"))
    assert result.returncode == 1
    assert _line_for(result.stderr, 3)


def test_every_mistake_of_a_file_is_reported_at_once_not_only_the_first(
    demo_copy: Path,
) -> None:
    result = run(demo_copy, "import", str(BAD / "38_many_mistakes.csv"))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 5, result.stderr
    for row, text in [(3, "CQ-99"), (4, "-1"), (5, "“có”"), (6, "20255"), (7, "members_excelent")]:
        assert text in _line_for(result.stderr, row), result.stderr


def _without_quoted_values(message: str) -> str:
    return re.sub(r"“[^”]*”", "", message)


def test_messages_are_vietnamese_by_default_and_english_with_lang_en(demo_copy: Path) -> None:
    """Through the real ``python -m src.cli``: exit 1, every row, both languages."""
    file = str(BAD / "38_many_mistakes.csv")
    where = [(3, "org_code"), (4, "value"), (5, "value"), (6, "year"), (7, "indicator_code")]

    vi = run_cli_at(demo_copy, "import", file)
    en = run_cli_at(demo_copy, "--lang", "en", "import", file)

    assert (vi.returncode, en.returncode) == (1, 1)
    assert "Traceback" not in vi.stderr + en.stderr
    vi_lines, en_lines = vi.stderr.splitlines(), en.stderr.splitlines()
    assert len(vi_lines) == len(en_lines) == len(where)
    for (row, column), vi_line, en_line in zip(where, vi_lines, en_lines, strict=True):
        assert vi_line.startswith(f"Dòng {row}, cột {column}: "), vi_line
        assert en_line.startswith(f"Row {row}, column {column}: "), en_line
        vi_words = _without_quoted_values(vi_line.split(": ", 1)[1])
        en_words = _without_quoted_values(en_line.split(": ", 1)[1])
        assert any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", vi_words)), (
            vi_line  # Vietnamese with its diacritics, not ASCII Vietnamese
        )
        assert en_words.isascii(), en_line
    assert "mã tổ chức “CQ-99” chưa có trong danh sách tổ chức" in vi_lines[0]
    assert "organisation code “CQ-99” is unknown" in en_lines[0]
    assert "là số âm" in vi_lines[1] and "is negative" in en_lines[1]


def test_a_file_that_is_not_a_spreadsheet_gets_a_message_not_a_traceback(
    demo_copy: Path,
) -> None:
    for name in ("24_image.png", "39_truncated.xlsx"):
        result = run_cli_at(demo_copy, "--lang", "en", "import", str(BAD / name))
        assert result.returncode == 1
        assert result.stderr.startswith("File: "), result.stderr
        assert "Traceback" not in result.stderr
