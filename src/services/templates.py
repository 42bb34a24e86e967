"""Upload templates for a year: one row per active organisation, its name beside its code,
one column per indicator the chosen resolution reads (the default one unless another is
asked for: catalogue.indicators_read) under its Vietnamese name, prefilled with the values
already held.

The ``.xlsx`` has a notes sheet explaining each column. Text that starts with ``=``, ``+``,
``-`` or ``@`` is written as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from src.domain.models import Indicator
from src.store import catalogue, queries

TYPE_VI = {
    "count": "Số nguyên ≥ 0",
    "decimal": "Số ≥ 0, có thể có phần thập phân",
    "percent": "Tỷ lệ phần trăm, từ 0 đến 100",
    "flag": "0 (không) hoặc 1 (có)",
    "rating": "1 xuất sắc, 2 tốt, 3 hoàn thành, 4 không hoàn thành (hoặc tên mức)",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> object:
    """A user's text that a spreadsheet would run as a formula, made plain text (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def template_indicators(
    con: duckdb.DuckDBPyConnection, resolution_code: str | None = None
) -> list[Indicator]:
    """The columns of a resolution's template (None: the default resolution)."""
    resolution = queries.resolution(con, resolution_code)
    return catalogue.indicators_read(
        queries.indicators(con), queries.goals(con, resolution.code), resolution.code
    )


def _cell_value(v: float) -> int | float:
    """A value as a spreadsheet shows it: whole numbers without ``.0``."""
    return int(v) if v.is_integer() else v


def csv_number(value: float) -> str:
    """A number as the CSV template writes it, for the upload to read back the very number
    (src/ingest/values.py, ``read_number``, where ``.`` before exactly three digits is a
    thousands mark, as the template's notes say): a whole number bare (``28``, ``1234``:
    no ``.0``, no thousands mark); a decimal with ``.`` and every digit it has, never
    exactly three after the point (1.234 is written ``1.2340``), never an exponent."""
    if value.is_integer():
        return str(int(value))
    text = format(Decimal(repr(value)), "f")  # the shortest digits that give this float
    if len(text.partition(".")[2]) == 3:
        text += "0"
    return text


def _csv_cell(value: object) -> object:
    """A cell of the CSV template: a number as :func:`csv_number` writes it, an empty cell
    for no value, a text as it is (never run as a formula)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return csv_number(float(value))
    if hasattr(value, "item"):  # a numpy number, as pandas gives a column's values
        return _csv_cell(value.item())
    return safe_text(value)


def _xlsx_cell(value: object) -> object:
    """A cell of the Excel template: a whole number as a whole number (not 28.0)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return _cell_value(value) if isinstance(value, float) else value


def template_frame(
    con: duckdb.DuckDBPyConnection, year: int, resolution_code: str | None = None
) -> tuple[pd.DataFrame, list[Indicator]]:
    indicators = template_indicators(con, resolution_code)
    orgs = queries.organisations(con)
    active = orgs[
        (orgs["active_from"].isna() | (orgs["active_from"] <= year))
        & (orgs["active_to"].isna() | (orgs["active_to"] >= year))
        & (orgs["kind"] != "subcell")
    ]
    values = queries.year_values(con, year)
    wide = (
        values.pivot_table(
            index="org_code", columns="indicator_code", values="value", aggfunc="first"
        )
        if not values.empty
        else pd.DataFrame()
    )
    rows = []
    for org in active.itertuples(index=False):
        row: dict[str, object] = {"Năm": year, "Mã tổ chức": org.org_code, "Tên tổ chức": org.name}
        is_root = org.kind == "root"
        for ind in indicators:
            if (ind.level == "root") != is_root:
                row[ind.name_vi] = None
                continue
            v: float | None = None
            if org.org_code in wide.index and ind.code in wide.columns:
                v = float(wide.at[org.org_code, ind.code])  # type: ignore[arg-type]
            row[ind.name_vi] = None if v is None or v != v else _cell_value(v)
        rows.append(row)
    columns = ["Năm", "Mã tổ chức", "Tên tổ chức"] + [i.name_vi for i in indicators]
    return pd.DataFrame(rows, columns=columns), indicators


def template_csv(
    con: duckdb.DuckDBPyConnection, year: int, resolution_code: str | None = None
) -> bytes:
    frame, _ = template_frame(con, year, resolution_code)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")  # BOM: Excel opens it as UTF-8


def template_xlsx(
    con: duckdb.DuckDBPyConnection, year: int, resolution_code: str | None = None
) -> bytes:
    frame, indicators = template_frame(con, year, resolution_code)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"Số liệu {year}"
    header_fill = PatternFill("solid", fgColor="DDE3EA")
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False):
        ws.append([_xlsx_cell(v) for v in row])
    for cell in ws["C"][1:]:  # names are typed by people: keep them text
        cell.data_type = "s"
    ws.freeze_panes = "D2"
    ws.row_dimensions[1].height = 60
    widths = [8, 14, 40] + [16] * len(indicators)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    notes = wb.create_sheet("Hướng dẫn")
    notes.append(["Cột", "Mã chỉ số", "Ý nghĩa", "Kiểu số liệu", "Ai báo cáo", "Quy tắc"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    notes.append(["Năm", "year", "Năm báo cáo", "Năm bốn chữ số", "", ""])
    notes.append(["Mã tổ chức", "org_code", "Mã tổ chức (không sửa)", "Văn bản", "", ""])
    notes.append(
        ["Tên tổ chức", "name", "Để đối chiếu, không được đọc khi tải lên", "Văn bản", "", ""]
    )
    by_code = {i.code: i for i in indicators}
    for ind in indicators:
        rule = ""
        if ind.part_of:
            rule = f"Không lớn hơn “{by_code[ind.part_of].name_vi}”"
        if ind.code == "members_rated":
            rule = "Không lớn hơn tổng số đảng viên; bằng tổng bốn mức xếp loại đảng viên"
        elif ind.sum_of:
            parts = ", ".join(f"“{by_code[c].name_vi}”" for c in ind.sum_of if c in by_code)
            rule = (rule + "; b" if rule else "B") + f"ằng tổng {parts}"
        notes.append(
            [
                ind.name_vi,
                ind.code,
                ind.name_vi,
                TYPE_VI[ind.value_type],
                "Đảng bộ (dòng của Đảng bộ)" if ind.level == "root" else "Từng tổ chức cơ sở đảng",
                rule,
            ]
        )
    notes.append([])
    notes.append(
        [
            "Ô để trống nghĩa là chưa có số liệu (không phải số 0). Có thể dùng dấu chấm "
            "phân cách hàng nghìn (1.234 là một nghìn hai trăm ba mươi tư). Số thập phân "
            "viết bằng dấu phẩy (12,5) hoặc dấu chấm (12.5); nếu sau dấu có đúng ba chữ số, "
            "thêm một số 0 (1,2340) để không bị đọc là hàng nghìn."
        ]
    )
    for col, width in zip("ABCDEF", (40, 24, 50, 34, 26, 60), strict=True):
        notes.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make(
    con: duckdb.DuckDBPyConnection, year: int, kind: str, resolution_code: str | None = None
) -> bytes:
    """The upload template of a year as ``kind`` ("xlsx" or "csv")."""
    if kind == "xlsx":
        return template_xlsx(con, year, resolution_code)
    return template_csv(con, year, resolution_code)
