"""Issue 11, "Nothing lost, nobody let in": files made to hurt, or that would lose data quietly.

Each test builds its hostile file here, as bytes: a zip bomb dressed as ``.xlsx``, a CSV
renamed ``.xlsx``, formulas saved without their values, data on a second sheet, columns a
long file does not read, numbers that are no numbers, organisation files that break what is
held. Every one is refused (or, where the data contract says values are kept, warned about)
with its row and column, and a refused file changes nothing.
"""

from __future__ import annotations

import base64
import io
import json
import random
import re
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from src.ingest import apply, prepare, read
from src.ingest.checks import Plan
from src.services import templates
from src.store import queries
from tests.conftest import ROOT, load

Con = duckdb.DuckDBPyConnection
SHEET = "xl/worksheets/sheet1.xml"


def rendered(plan: Plan, lang: str = "vi") -> list[str]:
    return [p.render(lang) for p in plan.problems]


def errors_of(plan: Plan) -> list[str]:
    return [p.render("vi") for p in plan.errors]


def values_of(plan: Plan) -> list[float]:
    """The values a plan would write, in file order (a DataFrame or the bulk path's Arrow)."""
    column = plan.observation_rows()["value"]
    return list(column.to_pylist() if hasattr(column, "to_pylist") else column.tolist())


def count_observations(con: Con) -> int:
    return int(con.execute("SELECT count(*) FROM observations").fetchall()[0][0])


def workbook(*sheets: tuple[str, list[list[object]]]) -> bytes:
    """An .xlsx as openpyxl writes it: each sheet (title, rows) in order."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


Writer = Callable[[Callable[[bytes], object]], object]


def with_member(data: bytes, name: str, write: Writer) -> bytes:
    """The zip ``data`` with member ``name`` replaced by what ``write`` writes, in pieces."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == name:
                new = zipfile.ZipInfo(name)
                new.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(new, "w") as member:
                    write(member.write)
            else:
                dst.writestr(info, src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_xml_edited(data: bytes, edit: Callable[[str], str]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        xml = src.read(SHEET).decode("utf-8")
    new = edit(xml).encode("utf-8")
    return with_member(data, SHEET, lambda write: write(new))


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def run_guarded(db: Path, file: Path, timeout: float = 60) -> dict[str, float | str]:
    """``prepare`` of ``file`` in a fresh interpreter: its outcome, the seconds it took and
    how much the process's peak memory grew (MB), or "timeout" when it ran past ``timeout``."""
    code = textwrap.dedent(
        f"""
        import json, resource, sys, time
        from src.store import storage
        from src.ingest import prepare
        con = storage.connect({str(db)!r})
        data = open({str(file)!r}, "rb").read()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        plan = prepare(con, data, {file.name!r})
        took = time.perf_counter() - start
        grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        print(json.dumps({{"seconds": took, "mb": grew,
                           "problems": [p.render("vi") for p in plan.errors]}}))
        """
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"outcome": "timeout"}
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    return {"outcome": " | ".join(out["problems"]), "seconds": out["seconds"], "mb": out["mb"]}


@pytest.fixture
def closed_db(org_con: Con, db_path: Path) -> Path:
    """The six small organisations' database, closed for another process to open."""
    org_con.close()
    return db_path


# --- 1. zip bombs --------------------------------------------------------------------------


def _bomb(unpacked_mb: int) -> bytes:
    """A wide file whose one sheet unpacks to ``unpacked_mb`` MB of rows of empty cells (a
    few hundred KB packed)."""
    base = workbook(("Số liệu", [["year", "org_code", "members_total"], [2024, "A", 5]]))
    row = b'<row r="1">' + b"<c/>" * 1000 + b"</row>"
    block = row * (1024 * 1024 // len(row))

    def write(put: Callable[[bytes], object]) -> None:
        put(SHEET_HEAD + b"<sheetData>")
        for _ in range(unpacked_mb):
            put(block)
        put(b"</sheetData></worksheet>")

    return with_member(base, SHEET, write)


def test_xlsx_zip_bomb_is_refused_quickly_with_bounded_memory(
    closed_db: Path, tmp_path: Path
) -> None:
    file = tmp_path / "bomb.xlsx"
    file.write_bytes(_bomb(300))
    assert file.stat().st_size < 4 * 1024 * 1024
    outcome = run_guarded(closed_db, file, timeout=40)
    assert outcome["outcome"] != "timeout"
    assert "quá lớn hoặc bất thường" in str(outcome["outcome"])
    assert "CSV" in str(outcome["outcome"])
    assert float(outcome["seconds"]) < 3
    assert float(outcome["mb"]) < 100


def test_xlsx_bomb_below_the_size_cap_is_refused_by_its_compression_ratio(org_con: Con) -> None:
    plan = prepare(org_con, _bomb(40), "bomb.xlsx")
    assert not plan.ok
    assert "quá lớn hoặc bất thường" in errors_of(plan)[0]
    assert count_observations(org_con) == 0


def test_xlsx_bomb_whose_zip_lies_about_its_sizes_is_refused_quickly(
    closed_db: Path, tmp_path: Path
) -> None:
    data = bytearray(_bomb(300))
    # the central directory says the sheet unpacks to 2 KB: Python unpacks no more than that
    at = data.find(b"PK\x01\x02")
    while at >= 0 and data[at + 46 : at + 46 + len(SHEET)] != SHEET.encode():
        at = data.find(b"PK\x01\x02", at + 4)
    assert at >= 0
    data[at + 24 : at + 28] = (2048).to_bytes(4, "little")
    file = tmp_path / "liar.xlsx"
    file.write_bytes(bytes(data))
    outcome = run_guarded(closed_db, file, timeout=40)
    assert "không phải là tệp Excel (.xlsx) hợp lệ" in str(outcome["outcome"])  # damaged
    assert float(outcome["seconds"]) < 3
    assert float(outcome["mb"]) < 100


def test_xlsx_sheet_declaring_a_billion_cells_with_one_far_away_is_read_quickly(
    closed_db: Path, tmp_path: Path
) -> None:
    """openpyxl pads every row to the declared dimension: A1:XFD1048576 is 17 billion."""
    base = workbook(("Số liệu", [["year", "org_code", "members_total"], [2024, "A", 5]]))

    def edit(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace("</sheetData>", far + "</sheetData>")

    file = tmp_path / "far.xlsx"
    file.write_bytes(sheet_xml_edited(base, edit))
    outcome = run_guarded(closed_db, file, timeout=40)
    assert outcome["outcome"] != "timeout"
    assert "Dòng 1048576" in str(outcome["outcome"])  # a cell past the header's columns
    assert float(outcome["seconds"]) < 3
    assert float(outcome["mb"]) < 100


def test_xlsx_row_with_more_cells_than_excel_allows_is_refused(org_con: Con) -> None:
    base = workbook(("Số liệu", [["year", "org_code", "members_total"], [2024, "A", 5]]))
    wide = '<row r="3">' + '<c t="inlineStr"><is><t>1</t></is></c>' * 20_000 + "</row>"
    data = sheet_xml_edited(base, lambda xml: xml.replace("</sheetData>", wide + "</sheetData>"))
    plan = prepare(org_con, data, "wide.xlsx")
    assert not plan.ok
    assert "quá lớn hoặc bất thường" in errors_of(plan)[0]


def test_xlsx_sheet_stored_under_an_unusual_name_is_counted_all_the_same(org_con: Con) -> None:
    """The workbook's links say where a sheet is: a bomb cannot hide from the count there."""
    base = workbook(("Số liệu", [["year", "org_code", "members_total"], [2024, "A", 5]]))
    wide = '<row r="3">' + '<c t="inlineStr"><is><t>1</t></is></c>' * 20_000 + "</row>"
    data = sheet_xml_edited(base, lambda xml: xml.replace("</sheetData>", wide + "</sheetData>"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            name = "xl/hidden/data.bin" if info.filename == SHEET else info.filename
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"worksheets/sheet1.xml", b"hidden/data.bin")
            dst.writestr(name, content, zipfile.ZIP_DEFLATED)
    plan = prepare(org_con, out.getvalue(), "moved.xlsx")
    assert not plan.ok
    assert "quá lớn hoặc bất thường" in errors_of(plan)[0]


def test_xlsx_with_more_cells_than_the_cap_is_refused_and_told_to_send_csv(
    org_con: Con, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "XLSX_MAX_CELLS", 3_000)
    rows: list[list[object]] = [["year", "org_code", "indicator_code", "value"]]
    rows += [[2024, "A", "members_total", n] for n in range(1_000)]
    plan = prepare(org_con, workbook(("Số liệu", rows)), "long.xlsx")
    assert not plan.ok
    message = errors_of(plan)[0]
    assert "quá lớn hoặc bất thường" in message and "CSV" in message
    assert "hơn 3.000 ô" in message  # what was found, in the reader's language
    assert (
        "too big" in rendered(plan, "en")[0] and "more than 3,000 cells" in rendered(plan, "en")[0]
    )


def test_xlsx_cells_written_with_a_non_ascii_namespace_prefix_are_counted_all_the_same(
    org_con: Con, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "XLSX_MAX_CELLS", 3_000)
    data = workbook(("Số liệu", [["year", "org_code", "indicator_code", "value"]]))
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    empty_rows = "".join(  # empty cells: valid XML openpyxl reads, é: naming the namespace
        f'<é:row r="{r}">' + "".join(f'<é:c r="{c}{r}"/>' for c in "ABCDE") + "</é:row>"
        for r in range(2, 1_002)
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><é:worksheet xmlns:é="{ns}"><é:sheetData>'
        '<é:row r="1"><é:c r="A1" t="inlineStr"><é:is><é:t>year</é:t></é:is></é:c></é:row>'
        f"{empty_rows}</é:sheetData></é:worksheet>"
    ).encode()
    plan = prepare(org_con, with_member(data, SHEET, lambda write: write(xml)), "prefixed.xlsx")
    assert not plan.ok
    assert "hơn 3.000 ô" in errors_of(plan)[0], errors_of(plan)


@pytest.mark.parametrize("member", ["xl/styles.xml", "xl/sharedStrings.xml"])
def test_xlsx_part_read_whole_past_its_own_cap_is_refused_before_it_is_parsed(
    org_con: Con, monkeypatch: pytest.MonkeyPatch, member: str
) -> None:
    monkeypatch.setattr(read, "XLSX_MAX_STRINGS", 2 * 1024 * 1024)
    data = workbook(("Số liệu", [["year", "org_code", "indicator_code", "value"]]))
    noise = base64.b64encode(random.Random(7).randbytes(5 * 1024 * 1024))  # packs < 2:1

    def write(put: Callable[[bytes], object]) -> None:
        put(b'<?xml version="1.0" encoding="UTF-8"?><!--' + noise + b"-->")

    if member in zipfile.ZipFile(io.BytesIO(data)).namelist():
        data = with_member(data, member, write)
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                dst.writestr(info, src.read(info.filename), zipfile.ZIP_DEFLATED)
            with dst.open(zipfile.ZipInfo(member), "w") as part:
                write(part.write)
        data = out.getvalue()
    plan = prepare(org_con, data, "parts.xlsx")
    assert not plan.ok
    assert member in errors_of(plan)[0] and "MB" in errors_of(plan)[0], errors_of(plan)


# --- 2. files that are no workbook -------------------------------------------------------

CSV_TEXT = "year,org_code,indicator_code,value\n2024,A,members_total,5\n"


@pytest.mark.parametrize(
    "data",
    [
        CSV_TEXT.encode("utf-8"),  # a CSV file renamed
        b"PK\x03\x04" + bytes(range(256)) * 4,  # a zip's start, then nothing of one
        b"\x89PNG\r\n\x1a\n" + bytes(200),  # some other file
    ],
    ids=["csv-renamed", "corrupt-zip", "png-renamed"],
)
def test_non_workbook_named_xlsx_is_refused_in_words_not_badzipfile(
    org_con: Con, data: bytes
) -> None:
    plan = prepare(org_con, data, "so-lieu-2024.xlsx")
    assert not plan.ok
    message = " ".join(rendered(plan))
    assert "không phải là tệp Excel (.xlsx) hợp lệ" in message
    assert "CSV" in message and "đổi tên" in message
    assert "BadZipFile" not in message and "BadZipFile" not in " ".join(rendered(plan, "en"))
    assert count_observations(org_con) == 0


def test_clean_csv_renamed_xlsx_is_refused_by_both_paths(org_con: Con) -> None:
    for bulk in (True, False):
        plan = prepare(org_con, CSV_TEXT.encode(), "renamed.xlsx", bulk=bulk)
        assert not plan.ok, bulk
        assert "không phải là tệp Excel (.xlsx) hợp lệ" in rendered(plan)[0]


def test_old_binary_xls_gets_a_message_saying_save_as_xlsx(org_con: Con) -> None:
    ole = read.OLE_MAGIC + bytes(512) + "Workbook".encode("utf-16-le") + bytes(512)
    for name in ("old.xls", "old.xlsx", "old.csv"):
        plan = prepare(org_con, ole, name)
        assert not plan.ok
        assert "Excel 97-2003" in rendered(plan)[0]
        assert ".xlsx" in rendered(plan, "en")[0]


def test_encrypted_xlsx_gets_a_message_about_its_password(org_con: Con) -> None:
    ole = read.OLE_MAGIC + bytes(512) + "EncryptionInfo".encode("utf-16-le") + bytes(512)
    plan = prepare(org_con, ole, "secret.xlsx")
    assert not plan.ok
    assert "mật khẩu" in rendered(plan)[0]
    assert "password" in rendered(plan, "en")[0]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("members", "says"),
    [
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "OpenDocument (.ods"),
        ({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0"}, "(.xlsb)"),
        (
            {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"},
            "không phải là tệp Excel",
        ),
    ],
    ids=["ods", "xlsb", "docx-renamed"],
)
def test_zip_that_is_no_excel_workbook_says_what_it_is_not_an_exception_name(
    org_con: Con, members: dict[str, bytes], says: str
) -> None:
    plan = prepare(org_con, _zip(members), "file.xlsx")
    assert not plan.ok
    message = rendered(plan)[0]
    assert says in message
    assert "Error" not in message and "KeyError" not in rendered(plan, "en")[0]


def test_zip_listing_more_members_than_the_cap_is_refused_before_reading_them(
    org_con: Con, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "XLSX_MAX_MEMBERS", 50)
    data = _zip({f"xl/media/{n}.bin": b"" for n in range(60)})
    plan = prepare(org_con, data, "many.xlsx")
    assert "quá lớn hoặc bất thường" in rendered(plan)[0]


# --- 3. formulas without their values ---------------------------------------------------


def test_formula_cell_without_a_cached_value_is_refused_naming_the_cell(org_con: Con) -> None:
    rows: list[list[object]] = [
        ["year", "org_code", "members_total", "members_studied"],
        [2024, "A", 10, 8],
        [2024, "B", 12, "=B3-2"],  # openpyxl saves a formula, never its value
    ]
    plan = prepare(org_con, workbook(("Số liệu 2024", rows)), "wide.xlsx")
    assert not plan.ok
    (message,) = errors_of(plan)
    assert message.startswith("Dòng 3, cột members_studied: ")
    assert "ô D3" in message and "“Số liệu 2024”" in message
    assert "công thức chưa có giá trị tính sẵn" in message
    assert "formula" in rendered(plan, "en")[0]
    assert count_observations(org_con) == 0


def test_formula_without_value_in_a_long_xlsx_is_refused_too(org_con: Con) -> None:
    rows: list[list[object]] = [
        ["year", "org_code", "indicator_code", "value"],
        [2024, "A", "members_total", "=5+5"],
    ]
    plan = prepare(org_con, workbook(("Sheet", rows)), "long.xlsx")
    assert [(p.row, p.column) for p in plan.errors] == [(2, "value")]


def test_formula_cell_with_its_cached_value_is_read_as_that_value(org_con: Con) -> None:
    rows: list[list[object]] = [["year", "org_code", "members_total"], [2024, "A", "=5+5"]]
    data = sheet_xml_edited(
        workbook(("Số liệu", rows)), lambda xml: re.sub(r"<v\s*/>|<v></v>", "<v>10</v>", xml)
    )
    plan = prepare(org_con, data, "cached.xlsx")
    assert plan.ok, rendered(plan)
    assert values_of(plan) == [10.0]


def test_shared_formula_cells_without_values_are_each_named(org_con: Con) -> None:
    rows: list[list[object]] = [
        ["year", "org_code", "members_total"],
        [2024, "A", 7],
        [2024, "B", 8],
    ]

    def edit(xml: str) -> str:  # as Excel writes a formula filled down, values not kept
        xml = xml.replace("<v>7</v>", '<f t="shared" ref="C2:C3" si="0">1+6</f>')
        return xml.replace("<v>8</v>", '<f t="shared" si="0"/>')

    plan = prepare(org_con, sheet_xml_edited(workbook(("Số liệu", rows)), edit), "f.xlsx")
    assert [(p.row, p.column, p.key) for p in plan.errors] == [
        (2, "members_total", "e_xlsx_formula"),
        (3, "members_total", "e_xlsx_formula"),
    ]


def test_sheet_of_nothing_but_formulas_without_values_names_them_not_an_empty_file(
    org_con: Con,
) -> None:
    plan = prepare(org_con, workbook(("Số liệu", [["=A2", "=B2"]])), "f.xlsx")
    assert [(p.row, p.column, p.key) for p in plan.errors] == [
        (1, "A", "e_xlsx_formula"),
        (1, "B", "e_xlsx_formula"),
    ]


def test_formula_with_an_empty_text_result_kept_is_an_empty_cell(org_con: Con) -> None:
    rows: list[list[object]] = [["year", "org_code", "members_total", "new_members"]]
    rows.append([2024, "A", 7, 1])

    def edit(xml: str) -> str:  # =IF(...;"";...) saved by Excel: an empty text result
        return xml.replace("<v>1</v>", '<f>IF(C2&gt;0,"",1)</f><v></v>').replace(
            'r="D2" t="n"', 'r="D2" t="str"'
        )

    plan = prepare(org_con, sheet_xml_edited(workbook(("Số liệu", rows)), edit), "f.xlsx")
    assert plan.ok, rendered(plan)
    assert values_of(plan) == [7]


# --- 4. sheets after the first -----------------------------------------------------------

WIDE_ROWS: list[list[object]] = [["year", "org_code", "members_total"], [2024, "A", 5]]


def test_workbook_with_data_on_a_later_sheet_is_refused_naming_the_sheets(org_con: Con) -> None:
    data = workbook(
        ("Số liệu", WIDE_ROWS),
        ("Trống", []),
        ("Chi bộ B", [["year", "org_code", "members_total"], [2024, "B", 7]]),
        ("Ghi chú", [[None, "  "], [None, "xem lại"]]),
    )
    plan = prepare(org_con, data, "two.xlsx")
    assert not plan.ok
    (message,) = errors_of(plan)
    assert "“Chi bộ B”" in message and "“Ghi chú”" in message and "“Trống”" not in message
    assert "“Số liệu”" in message
    assert count_observations(org_con) == 0


def test_workbook_with_empty_extra_sheets_imports(org_con: Con) -> None:
    data = workbook(("Số liệu", WIDE_ROWS), ("Sheet2", []), ("Sheet3", [[None, ""]]))
    plan = prepare(org_con, data, "empty-extra.xlsx")
    assert plan.ok, rendered(plan)
    assert plan.added == 1


@pytest.mark.parametrize("title", ["Hướng dẫn", "HUONG DAN", "Notes", "Instructions"])
def test_template_notes_sheet_is_not_counted_as_data(org_con: Con, title: str) -> None:
    data = workbook(("Số liệu", WIDE_ROWS), (title, [["Cột", "Ý nghĩa"], ["Năm", "Năm báo cáo"]]))
    plan = prepare(org_con, data, "with-notes.xlsx")
    assert plan.ok, rendered(plan)


def test_downloaded_xlsx_template_with_its_notes_sheet_imports(org_con: Con) -> None:
    load(org_con, "year,org_code,indicator_code,value\n2024,A,members_total,5\n")
    data = templates.template_xlsx(org_con, 2024)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert len([n for n in zf.namelist() if n.startswith("xl/worksheets/")]) == 2
    plan = prepare(org_con, data, "mau-2024.xlsx")
    assert plan.ok, rendered(plan)
    assert plan.unchanged == 1
    assert set(queries.organisations(org_con)["org_code"]) >= {"A", "B"}


def test_hidden_sheet_holding_data_is_refused_too(org_con: Con) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in WIDE_ROWS:
        ws.append(row)
    hidden = wb.create_sheet("Ẩn")
    hidden.append([2024, "B", 9])
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    plan = prepare(org_con, out.getvalue(), "hidden.xlsx")
    assert not plan.ok and "“Ẩn”" in rendered(plan)[0]


# --- 6. numbers that are no numbers -------------------------------------------------------

LONG_HEAD = "year;org_code;indicator_code;value\n"


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("1e308", "không phải là số"),
        ("Infinity", "không phải là số"),
        ("-inf", "không phải là số"),
        ("NaN", "không phải là số"),
        ("1" + "0" * 308, "quá lớn"),
        ("12345678901234567891", "quá lớn"),  # 20 digits: a float would lose the last
        ("9007199254740993", "quá lớn"),  # 2**53 + 1
        ("1,2,3.0", "dấu phân cách hàng nghìn sai chỗ"),
        ("1.2.3,4", "dấu phân cách hàng nghìn sai chỗ"),
        ("12 34", "dấu phân cách hàng nghìn sai chỗ"),
        ("1.234.5", "dấu phân cách hàng nghìn sai chỗ"),
        ("1,23,456", "dấu phân cách hàng nghìn sai chỗ"),
        ("1.234,5,6", "dấu phân cách hàng nghìn sai chỗ"),
        ("5.00000000000000001", "không phải số nguyên"),
        ("\uff11\uff12", "không phải là số"),  # full-width digits, which \d takes for 12
        ("\u0661\u0662", "không phải là số"),  # Arabic-Indic digits
    ],
)
@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "general"])
def test_count_that_is_no_exact_finite_number_is_refused_with_row_and_column(
    org_con: Con, cell: str, says: str, bulk: bool
) -> None:
    text = LONG_HEAD + f"2024;A;new_members;1\n2024;A;members_total;{cell}\n"
    plan = prepare(org_con, text.encode(), "long.csv", bulk=bulk)
    assert not plan.ok
    (problem,) = plan.errors
    assert (problem.row, problem.column) == (3, "value")
    assert says in problem.render("vi"), problem.render("vi")
    assert count_observations(org_con) == 0


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "general"])
def test_wide_file_with_a_number_past_exact_range_is_refused_naming_its_column(
    org_con: Con, bulk: bool
) -> None:
    text = "year;org_code;members_total;new_members\n2024;A;12345678901234567891;1\n"
    plan = prepare(org_con, text.encode(), "wide.csv", bulk=bulk)
    assert [(p.row, p.column, p.key) for p in plan.errors] == [
        (2, "members_total", "e_number_too_big")
    ]


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1.234", 1234),
        ("1,234", 1234),
        ("1 234", 1234),
        ("1\u00a0234\u00a0567", 1234567),
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("1.234,0", 1234),
        ("1,234.0", 1234),
        ("9007199254740992", 2**53),
        ("0012", 12),
    ],
)
def test_well_grouped_counts_are_still_read(org_con: Con, cell: str, value: int) -> None:
    plan = prepare(org_con, (LONG_HEAD + f"2024;A;members_total;{cell}\n").encode(), "ok.csv")
    assert plan.ok, rendered(plan)
    assert values_of(plan) == [value]


@pytest.mark.parametrize("number", ["1E+308", "1E+400", "1152921504606846976", "1.5E+17"])
def test_xlsx_number_cell_past_exact_range_is_refused(org_con: Con, number: str) -> None:
    """As Excel writes them in the sheet's XML (1E+400 is read as infinity)."""
    rows: list[list[object]] = [["year", "org_code", "members_total"], [2024, "A", 7]]
    data = sheet_xml_edited(
        workbook(("Số liệu", rows)), lambda xml: xml.replace("<v>7</v>", f"<v>{number}</v>")
    )
    plan = prepare(org_con, data, "big.xlsx")
    assert [(p.row, p.column, p.key) for p in plan.errors] == [
        (2, "members_total", "e_number_too_big")
    ]
    assert "000000000000000000000" not in rendered(plan)[0]  # shown as typed, not 309 digits


def test_progress_json_never_prints_infinity_or_nan(
    closed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Belt and braces: were a non-finite number ever computed, the JSON stays JSON."""
    from src.cli import commands as cli
    from tests.ingest_support import run

    real = cli.progress_table

    def with_infinities(*args: object, **kwargs: object) -> object:
        table = real(*args, **kwargs)  # type: ignore[arg-type]
        table.loc[table.index[0], "actual"] = float("inf")
        table.loc[table.index[1], "actual"] = float("-inf")
        table.loc[table.index[2], "target"] = float("nan")
        return table

    monkeypatch.setattr(cli, "progress_table", with_infinities)
    result = run(closed_db, "progress", "--year", "2024", "--format", "json")
    assert result.returncode == 0, result.stderr

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} is not JSON")

    rows = json.loads(result.stdout, parse_constant=refuse)
    assert rows[0]["actual"] is None and rows[1]["actual"] is None and rows[2]["target"] is None


# --- 5. columns a file does not read ------------------------------------------------------

LONG_WITH_EXTRA = (
    "year,org_code,indicator_code,value,so_dang_vien_nu,ghi_chu_rong\n"
    "2024,A,members_total,10,4,\n"
    "2024,B,members_total,12,,\n"
)


def _warnings(plan: Plan) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.key) for p in plan.warnings]


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "general"])
def test_long_csv_column_holding_data_that_is_not_read_is_named_in_a_warning(
    org_con: Con, bulk: bool
) -> None:
    plan = prepare(org_con, LONG_WITH_EXTRA.encode(), "long.csv", bulk=bulk)
    assert plan.ok, rendered(plan)
    # the empty unknown column is no loss: no word about it
    assert _warnings(plan) == [(1, "so_dang_vien_nu", "w_ignored_column")]
    assert "không được đọc" in plan.warnings[0].render("vi")
    assert "not read" in plan.warnings[0].render("en")
    assert plan.added == 2


def test_long_csv_with_an_empty_unknown_column_keeps_the_bulk_path(org_con: Con) -> None:
    text = "year,org_code,indicator_code,value,extra\n2024,A,members_total,10,\n"
    plan = prepare(org_con, text.encode(), "long.csv")
    assert plan.ok and not plan.warnings
    assert plan.diffed  # read and diffed by DuckDB


@pytest.mark.parametrize(
    "header",
    ["members_total", "Tổng số đảng viên", "active_from", "status"],
)
def test_long_file_column_named_as_something_else_it_does_not_read_is_warned(
    org_con: Con, header: str
) -> None:
    text = f"year;org_code;indicator_code;value;{header}\n2024;A;new_members;1;40\n"
    for bulk in (True, False):
        plan = prepare(org_con, text.encode(), "long.csv", bulk=bulk)
        assert plan.ok
        assert _warnings(plan) == [(1, header, "w_ignored_column")], bulk


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "general"])
def test_wide_csv_column_without_a_name_holding_data_is_warned_by_its_letter(
    org_con: Con, bulk: bool
) -> None:
    text = "year,org_code,,members_total\n2024,A,7,10\n2024,B,,12\n"
    plan = prepare(org_con, text.encode(), "wide.csv", bulk=bulk)
    assert plan.ok, rendered(plan)
    assert _warnings(plan) == [(1, "C", "w_ignored_unnamed")]


def test_wide_csv_name_and_note_columns_are_read_quietly_as_before(org_con: Con) -> None:
    text = "year,org_code,name,note,members_total\n2024,A,Chi bộ A,xem lại,10\n"
    plan = prepare(org_con, text.encode(), "wide.csv")
    assert plan.ok and not plan.warnings


def test_long_xlsx_column_holding_data_that_is_not_read_is_warned(org_con: Con) -> None:
    rows: list[list[object]] = [
        ["year", "org_code", "indicator_code", "value", "Số đảng viên nữ"],
        [2024, "A", "members_total", 10, 4],
    ]
    plan = prepare(org_con, workbook(("Sheet", rows)), "long.xlsx")
    assert plan.ok
    assert _warnings(plan) == [(1, "Số đảng viên nữ", "w_ignored_column")]


def test_dry_run_on_the_command_line_shows_the_ignored_column_warning(
    closed_db: Path, tmp_path: Path
) -> None:
    from tests.conftest import run_cli_at

    file = tmp_path / "long.csv"
    file.write_text(LONG_WITH_EXTRA, encoding="utf-8")
    result = run_cli_at(closed_db, "import", "--dry-run", str(file))
    assert result.returncode == 0, result.stderr
    assert "Dòng 1, cột so_dang_vien_nu: cột này có dữ liệu nhưng không được đọc" in result.stderr
    assert "+2" in result.stdout
    english = run_cli_at(closed_db, "import", "--dry-run", str(file), lang="en")
    assert "Row 1, column so_dang_vien_nu: this column holds data" in english.stderr


# --- 7. organisation files that break the data already there ------------------------------

ORG_HEAD = "org_code,name,kind,parent_code,group,active_from,active_to\n"


def orgs_of(con: Con) -> list[tuple[object, ...]]:
    return [tuple(r) for r in queries.organisations(con).itertuples(index=False)]


def refused_orgs(con: Con, rows: str) -> Plan:
    """An organisations file that must be refused whole: nothing written."""
    before = orgs_of(con)
    plan = prepare(con, (ORG_HEAD + rows).encode(), "orgs.csv")
    assert not plan.ok
    assert orgs_of(con) == before
    return plan


def test_second_root_is_refused_naming_its_row_and_the_root_held(org_con: Con) -> None:
    plan = refused_orgs(org_con, "A,Chi bộ A,grassroots_cell,ROOT,,,\nR2,Đảng bộ khác,root,,,,\n")
    (problem,) = plan.errors
    assert (problem.row, problem.column, problem.key) == (3, "kind", "e_second_root")
    assert "“ROOT”" in problem.render("vi") and "“R2”" in problem.render("vi")


def test_root_replaced_by_another_code_is_refused_as_a_second_root(org_con: Con) -> None:
    """A new root, the old one made a cell and every cell moved under the new: one root
    after the file, but the committee's own values stay on the old code."""
    rows = "R2,Đảng bộ mới,root,,,,\nROOT,Cũ,grassroots_cell,R2,,,\n" + "".join(
        f"{c},Chi bộ {c},grassroots_cell,R2,,,\n" for c in "ABD"
    )
    rows += "C,Đảng bộ C,grassroots_committee,R2,,,\n"
    plan = refused_orgs(org_con, rows)
    assert [(p.row, p.key) for p in plan.errors] == [(2, "e_second_root")]


def test_root_row_rewritten_with_its_own_code_is_accepted(org_con: Con) -> None:
    plan = prepare(org_con, (ORG_HEAD + "ROOT,Đảng bộ (tên mới),root,,,,\n").encode(), "r.csv")
    assert plan.ok, rendered(plan)
    assert plan.changed == 1


@pytest.mark.parametrize(
    "rows",
    [
        "E1,Chi bộ E1,subcell,C1,,,\n",  # under a subcell
        "A,Chi bộ A,subcell,C1,,,\n",  # a cell moved under a subcell
        "E1,Chi bộ E1,subcell,A,,,\n",  # under a grassroots cell, which has no subcells
        "E1,Chi bộ E1,subcell,ROOT,,,\n",
    ],
)
def test_subcell_whose_parent_is_no_grassroots_committee_is_refused_naming_the_row(
    org_con: Con, rows: str
) -> None:
    plan = refused_orgs(org_con, rows)
    assert [(p.row, p.column, p.key) for p in plan.errors] == [(2, "parent_code", "e_bad_parent")]


@pytest.mark.parametrize(("kind", "parent"), [("grassroots_cell", "ROOT"), ("subcell", "C2")])
def test_committee_with_subcells_cannot_become_a_kind_that_cannot_hold_them(
    org_con: Con, kind: str, parent: str
) -> None:
    load(org_con, ORG_HEAD + "C2,Đảng bộ C2,grassroots_committee,ROOT,,,\n")
    plan = refused_orgs(org_con, f"C,Đảng bộ C,{kind},{parent},,,\n")
    (problem,) = plan.errors
    assert (problem.row, problem.column, problem.key) == (2, "kind", "e_has_subcells")
    assert "C1" in problem.render("vi")


def test_committee_with_subcells_moving_them_in_the_same_file_may_change_kind(
    org_con: Con,
) -> None:
    load(org_con, ORG_HEAD + "C2,Đảng bộ C2,grassroots_committee,ROOT,,,\n")
    rows = "C,Chi bộ C,grassroots_cell,ROOT,,,\nC1,Chi bộ C1,subcell,C2,,,\n"
    plan = prepare(org_con, (ORG_HEAD + rows).encode(), "orgs.csv")
    assert plan.ok, rendered(plan)


@pytest.mark.parametrize(
    ("rows", "row", "other"),
    [
        ("a,Chi bộ a,grassroots_cell,ROOT,,,\n", 2, "A"),  # held as A
        ("c1,Chi bộ c1,subcell,C,,,\n", 2, "C1"),
        (
            "E-01,Chi bộ E,grassroots_cell,ROOT,,,\ne-01,Chi bộ e,grassroots_cell,ROOT,,,\n",
            3,
            "E-01",
        ),
    ],
    ids=["held-A", "held-C1", "same-file"],
)
def test_code_differing_only_in_case_from_another_is_refused_naming_both(
    org_con: Con, rows: str, row: int, other: str
) -> None:
    plan = refused_orgs(org_con, rows)
    (problem,) = plan.errors
    assert (problem.row, problem.column) == (row, "org_code")
    assert problem.key in ("e_code_case", "e_code_case_db")
    assert f"“{other}”" in problem.render("vi")


def test_code_held_with_another_unicode_form_or_spaces_is_the_same_code() -> None:
    from src.ingest import values

    assert values.code_key(" CQ-01 ") == values.code_key("cq-01")
    assert values.code_key("Ho\u0300a") == values.code_key("H\u00f2a".upper())


def test_parent_that_does_not_exist_is_refused(org_con: Con) -> None:
    plan = refused_orgs(org_con, "E,Chi bộ E,grassroots_cell,KHONG-CO,,,\n")
    assert [(p.row, p.column, p.key) for p in plan.errors] == [(2, "parent_code", "e_bad_parent")]


def test_cycle_of_parents_is_refused(org_con: Con) -> None:
    rows = "E,Đảng bộ E,grassroots_committee,F,,,\nF,Đảng bộ F,grassroots_committee,E,,,\n"
    plan = refused_orgs(org_con, rows)
    assert [(p.row, p.key) for p in plan.errors] == [(2, "e_bad_parent"), (3, "e_bad_parent")]
    plan = refused_orgs(org_con, "X1,Chi bộ X1,subcell,X2,,,\nX2,Chi bộ X2,subcell,X1,,,\n")
    assert [(p.row, p.key) for p in plan.errors] == [(2, "e_bad_parent"), (3, "e_bad_parent")]


VALUES_A = "year,org_code,indicator_code,value\n" + "".join(
    f"{y},A,members_total,{10 + y - 2020}\n{y},A,new_members,1\n" for y in range(2020, 2025)
)


def test_closing_an_organisation_with_values_in_later_years_warns_what_stops_counting(
    org_con: Con,
) -> None:
    load(org_con, VALUES_A)
    plan = prepare(
        org_con, (ORG_HEAD + "A,Chi bộ A,grassroots_cell,ROOT,,,2022\n").encode(), "o.csv"
    )
    assert plan.ok, rendered(plan)
    (warning,) = plan.warnings
    assert (warning.row, warning.column, warning.key) == (
        2,
        "active_to",
        "w_org_values_stop_counting",
    )
    text = warning.render("vi")
    assert "4 giá trị" in text and "2023, 2024" in text and "không còn được tính" in text
    before = count_observations(org_con)
    apply(org_con, plan, applied_by="test")
    assert count_observations(org_con) == before  # recorded still, no longer counted


def test_opening_an_organisation_later_with_values_in_earlier_years_warns(org_con: Con) -> None:
    load(org_con, VALUES_A)
    load(
        org_con,
        "year,org_code,indicator_code,value\n2022,D,members_total,5\n2023,D,members_total,6\n",
    )
    plan = prepare(
        org_con, (ORG_HEAD + "D,Chi bộ D,grassroots_cell,ROOT,,2023,\n").encode(), "o.csv"
    )
    assert plan.ok
    (warning,) = plan.warnings
    assert (warning.row, warning.column) == (2, "active_from")
    assert "1 giá trị" in warning.render("vi") and "2022" in warning.render("vi")


def test_changing_active_years_where_no_value_stops_counting_warns_nothing(org_con: Con) -> None:
    load(org_con, VALUES_A)
    rows = "A,Chi bộ A,grassroots_cell,ROOT,,2020,2026\nB,Chi bộ B,grassroots_cell,ROOT,,,2019\n"
    plan = prepare(org_con, (ORG_HEAD + rows).encode(), "o.csv")
    assert plan.ok and not plan.warnings


def test_code_already_held_exactly_is_never_refused_for_a_lookalike_held_beside_it(
    org_con: Con,
) -> None:
    """A database from before this check may hold A and a: rows for either still go in."""
    org_con.execute(
        "INSERT INTO organisations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ["a", "Chi bộ a", "grassroots_cell", "ROOT", None, None, None, None],
    )
    rows = "A,Chi bộ A (mới),grassroots_cell,ROOT,,,\na,Chi bộ a (mới),grassroots_cell,ROOT,,,\n"
    plan = prepare(org_con, (ORG_HEAD + rows).encode(), "o.csv")
    assert [p.key for p in plan.errors] == ["e_code_case"]  # the file itself says both
    plan = prepare(org_con, (ORG_HEAD + rows.splitlines()[0] + "\n").encode(), "o.csv")
    assert plan.ok, rendered(plan)
