"""``resolution draft`` on the command line, and the hostile files it must refuse in words."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from src.ingest import draft_book
from tests.ingest_support import Result

SEED = Path(__file__).resolve().parent / "data" / "draft" / "resolution-article-vi.txt"
Run = Callable[..., Result]


def test_the_default_output_is_a_table_in_the_users_language(run_cli: Run) -> None:
    out = run_cli("resolution", "draft", str(SEED))
    assert out.returncode == 0, out.stderr
    assert "15 chỉ tiêu đề xuất" in out.stdout and "Nguyên văn:" in out.stdout
    assert "cả nhiệm kỳ" in out.stdout
    english = run_cli("resolution", "draft", str(SEED), lang="en")
    assert "15 goals proposed" in english.stdout and "whole term" in english.stdout


def test_csv_has_the_goals_sheets_columns_and_numbers_as_progress_prints_them(
    run_cli: Run, tmp_path: Path
) -> None:
    text = tmp_path / "nq.txt"
    text.write_text(
        "Hằng năm kết nạp đảng viên mới từ 2,5% trở lên so với tổng số đảng viên đầu năm; "
        "bình quân hằng năm kết nạp 2.000 đảng viên.",
        encoding="utf-8",
    )
    out = run_cli("resolution", "draft", str(text), "--format", "csv")
    assert out.returncode == 0, out.stderr
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(table[0]) == [*draft_book.ROW_FIELDS, "source_text"]
    assert [r["target"] for r in table] == ["2.5", "2000"]
    assert table[0]["denominator"] == "members_total@prev"
    assert table[1]["over"] == "term_average"


def test_the_workbook_written_imports_with_resolution_import(run_cli: Run, tmp_path: Path) -> None:
    book = tmp_path / "draft.xlsx"
    out = run_cli("resolution", "draft", str(SEED), "--out", str(book))
    assert out.returncode == 0, out.stderr
    assert book.is_file() and not book.with_name("draft.xlsx.partial").exists()
    assert run_cli("init").returncode == 0
    dry = run_cli("resolution", "import", str(book), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "NQ-2020-2025" in dry.stdout


def test_a_file_that_is_missing_is_a_usage_error(run_cli: Run, tmp_path: Path) -> None:
    out = run_cli("resolution", "draft", str(tmp_path / "none.txt"))
    assert out.returncode == 2 and "không tìm thấy" in out.stderr


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("Kết nạp 100 đảng viên".encode("utf-16"), "UTF-8"),
        ("Ket nap 100 dang vien m\xe9i".encode("latin-1"), "UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "không phải văn bản"),
        (b"", "không có nội dung"),
        (b"PK\x03\x04not really a zip", "không phải văn bản"),
    ],
)
def test_a_file_that_is_not_utf8_text_is_refused_in_vietnamese(
    run_cli: Run, tmp_path: Path, data: bytes, words: str
) -> None:
    file = tmp_path / "nq.txt"
    file.write_bytes(data)
    out = run_cli("resolution", "draft", str(file))
    assert out.returncode == 1
    assert words in out.stderr and "Traceback" not in out.stderr


def test_a_file_past_the_size_cap_is_refused() -> None:
    with pytest.raises(draft_book.DraftInputError) as err:
        draft_book.read_text(b"a" * (draft_book.TEXT_MAX_BYTES + 1))
    assert err.value.key == "dr_too_big" and "2 MB" in err.value.message("vi")


def test_utf8_with_a_byte_order_mark_is_read_and_normalised() -> None:
    text = draft_book.read_text("\ufeffđa\u0309ng viên".encode())
    assert text == "đảng viên"


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Kết nạp 50 đảng viên mới"
    table.cell(0, 1).text = "mỗi năm"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_file_is_read_to_its_paragraphs_and_table_cells_in_order() -> None:
    text = draft_book.read_upload(_docx(["Mục tiêu hằng năm:", "- 80% đảng viên"]), "nq.docx")
    assert text.splitlines() == [
        "Mục tiêu hằng năm:",
        "- 80% đảng viên",
        "Kết nạp 50 đảng viên mới mỗi năm",
    ]


def test_a_zip_that_is_no_word_file_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(draft_book.DraftInputError) as err:
        draft_book.read_docx(buffer.getvalue())
    assert err.value.key == "dr_not_docx"


def test_a_word_file_past_the_zip_caps_is_refused_before_it_is_unpacked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (80 * 1024 * 1024))
    with pytest.raises(draft_book.DraftInputError) as err:
        draft_book.read_docx(buffer.getvalue())
    assert err.value.key in ("dr_too_big", "dr_docx_refused")


def test_the_docx_cli_path_reads_a_word_file(run_cli: Run, tmp_path: Path) -> None:
    file = tmp_path / "nq.docx"
    file.write_bytes(_docx(["Hằng năm có trên 90% đảng viên hoàn thành tốt nhiệm vụ trở lên."]))
    out = run_cli("resolution", "draft", str(file), "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert [r["comparison"] for r in csv.DictReader(io.StringIO(out.stdout))] == [">", ">="]
