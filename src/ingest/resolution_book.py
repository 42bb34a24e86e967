"""A resolution as a workbook (docs/resolutions.md, "The file"): read, checked whole, written.

``read_book`` turns the bytes of an ``.xlsx`` (sheets ``resolution`` / ``Nghị quyết``,
``indicators`` / ``Chỉ số``, ``goals`` / ``Chỉ tiêu``) or of a ``.zip`` of
``resolution.csv``, ``indicators.csv``, ``goals.csv`` into a :class:`ResolutionDoc`, or into
every problem it has, each with its sheet, row and column ("What makes a workbook
invalid"). ``write_book`` writes a doc back (reading it gives the same doc),
``template_book`` an empty one with a guide sheet, ``example_doc`` a filled-in example and
``describe_goal`` a goal in plain words, as it will be computed.

Pure: bytes in, data out. The workbook is opened by src/ingest/read.py, under the same caps
against zip bombs as any upload; CSV files are decoded as uploads are.

One module, past 400 lines, because the workbook is one format: its reader, its checks and
its writer share every sheet's column list and must change together.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from src.config import EXAMPLES_DIR
from src.domain.models import (
    COMPARISONS,
    INDICATOR_CODE,
    VALUE_TYPES,
    Expr,
    ExprError,
    Goal,
    Indicator,
    Level,
    Measure,
    Over,
    Resolution,
)
from src.i18n import fmt_num, t
from src.ingest import read
from src.ingest.errors import IngestError, Problem
from src.ingest.values import CODE_RE, excel_error, fold, is_blank, parse_year, read_number, show
from src.store import catalogue
from src.store.catalogue import ResolutionDoc, percent_sums

# caps: a resolution is a few dozen rows; past these the file is refused, saying which
BOOK_MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = {"resolution": 50, "indicators": 500, "goals": 2_000}
MAX_PROBLEMS = 500  # reported one by one; past it, a count of the rest
YEAR_MIN, YEAR_MAX = 1945, 2100

SHEET_KINDS = ("resolution", "indicators", "goals")
SHEET_VI = {"resolution": "Nghị quyết", "indicators": "Chỉ số", "goals": "Chỉ tiêu"}
GUIDE_SHEET = {"vi": "Hướng dẫn", "en": "Guide"}

MEASURES = tuple(str(m) for m in Measure)
OVERS = tuple(str(o) for o in Over)
LEVELS = tuple(str(v) for v in Level)
BASES = ("parent", "all")
_COMPARISON_SIGNS = {"≥": ">=", "=>": ">=", "≤": "<=", "=<": "<="}
_TRUE = {"1", "true", "yes", "co", "x"}
_FALSE = {"0", "false", "no", "khong"}
_GOAL_CODE = re.compile(r"^[\w.-]{1,32}$")
_YEARS_ITEM = re.compile(r"^(\d{4})(?:\s*[-–—]\s*(\d{4}))?$", re.ASCII)


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its code (the English header), its Vietnamese header as the
    template writes it, other headers accepted, and its line in the guide sheet."""

    code: str
    vi: str
    guide_vi: str
    guide_en: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    extra: bool = False  # written only when a row has a value (not in the template)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "resolution": (
        Column(
            "code",
            "Mã",
            "Mã nghị quyết: chữ cái, chữ số, - và _ (ví dụ DBCQ-2025-2030).",
            "The resolution's code: letters, digits, - and _ (e.g. DBCQ-2025-2030).",
            required=True,
        ),
        Column(
            "name_vi",
            "Tên (tiếng Việt)",
            "Tên đầy đủ của nghị quyết.",
            "The resolution's full name in Vietnamese.",
            required=True,
            aliases=("Tên", "Tên nghị quyết"),
        ),
        Column("name_en", "Tên (tiếng Anh)", "Tên tiếng Anh (không bắt buộc).", "English name."),
        Column(
            "short_vi",
            "Tên ngắn (tiếng Việt)",
            "Tên ngắn hiện trong danh sách chọn (không bắt buộc; mặc định là tên đầy đủ).",
            "Short name for menus (optional; the full name by default).",
        ),
        Column("short_en", "Tên ngắn (tiếng Anh)", "Tên ngắn tiếng Anh.", "Short name in English."),
        Column(
            "term_start",
            "Năm bắt đầu nhiệm kỳ",
            "Năm đầu của nhiệm kỳ, ví dụ 2025.",
            "The term's first year, e.g. 2025.",
            required=True,
        ),
        Column(
            "term_end",
            "Năm kết thúc nhiệm kỳ",
            "Năm cuối của nhiệm kỳ, ví dụ 2030.",
            "The term's last year, e.g. 2030.",
            required=True,
        ),
        Column(
            "years",
            "Các năm báo cáo",
            "Các năm báo cáo: 2026-2030 hoặc 2026,2027,… (mặc định: cả nhiệm kỳ).",
            "The reporting years: 2026-2030 or 2026,2027,… (default: the whole term).",
        ),
        Column(
            "base_year",
            "Năm gốc (đầu nhiệm kỳ)",
            "Năm có số liệu “đầu nhiệm kỳ”; trước năm báo cáo đầu tiên (mặc định: năm liền "
            "trước năm báo cáo đầu tiên).",
            "The year whose values are “at the start of the term”; before the first reporting "
            "year (default: the year before it).",
            aliases=("Năm gốc",),
        ),
    ),
    "indicators": (
        Column(
            "code",
            "Mã",
            "Mã chỉ số: chữ thường không dấu, chữ số và _, bắt đầu bằng chữ (ví dụ "
            "members_disciplined); không trùng chỉ số đã có.",
            "The indicator's code: lower-case letters, digits and _, starting with a letter "
            "(e.g. members_disciplined); no existing indicator's.",
            required=True,
        ),
        Column(
            "name_vi",
            "Tên (tiếng Việt)",
            "Chỉ số đếm hay đo cái gì.",
            "What it counts, in Vietnamese.",
            required=True,
            aliases=("Tên", "Tên chỉ số"),
        ),
        Column("name_en", "Tên (tiếng Anh)", "Tên tiếng Anh (không bắt buộc).", "English name."),
        Column(
            "unit_vi",
            "Đơn vị tính",
            "Ví dụ: đảng viên, đơn vị, tỷ đồng.",
            "e.g. đảng viên, đơn vị, tỷ đồng.",
        ),
        Column("unit_en", "Đơn vị tính (tiếng Anh)", "Đơn vị tính tiếng Anh.", "Unit in English."),
        Column(
            "value_type",
            "Kiểu số liệu",
            "count (số nguyên ≥ 0), decimal (số ≥ 0, ví dụ tiền), percent (0-100), flag "
            "(0/1), rating (xếp loại 1-4).",
            "count (whole ≥ 0), decimal (any number ≥ 0, e.g. money), percent (0-100), flag "
            "(0/1), rating (1-4).",
            required=True,
        ),
        Column(
            "level",
            "Cấp báo cáo",
            "org (mỗi tổ chức cơ sở báo cáo, mặc định) hoặc root (Đảng bộ báo cáo).",
            "org (each grassroots organisation reports it, the default) or root (the "
            "committee itself).",
        ),
        Column(
            "part_of",
            "Là một phần của",
            "Không bắt buộc: mã chỉ số mà chỉ số này không bao giờ vượt quá.",
            "Optional: the code of an indicator this one can never exceed.",
        ),
        Column(
            "sum_of",
            "Bằng tổng của",
            "Không bắt buộc: các mã chỉ số cộng lại bằng chỉ số này, cách nhau bởi dấu phẩy.",
            "Optional: the codes of the indicators that add up to this one, separated by ','.",
            extra=True,
        ),
        Column(
            "aliases",
            "Tên gọi khác",
            "Không bắt buộc: tên cột khác được chấp nhận khi tải số liệu, cách nhau bởi ';'.",
            "Optional: other column headers accepted in uploads, separated by ';'.",
            extra=True,
        ),
    ),
    "goals": (
        Column(
            "code",
            "Mã",
            "Mã chỉ tiêu, không trùng trong nghị quyết (ví dụ A1, T2).",
            "The goal's code, unique within the resolution (e.g. A1, T2).",
            required=True,
        ),
        Column(
            "title_vi",
            "Tên (tiếng Việt)",
            "Tên ngắn của chỉ tiêu.",
            "The goal's short title in Vietnamese.",
            required=True,
            aliases=("Tên", "Tên chỉ tiêu"),
        ),
        Column("title_en", "Tên (tiếng Anh)", "Tên tiếng Anh (không bắt buộc).", "English title."),
        Column(
            "text_vi",
            "Nguyên văn nghị quyết",
            "Không bắt buộc: lời văn của nghị quyết.",
            "Optional: the resolution's own wording.",
        ),
        Column(
            "text_en",
            "Nguyên văn (tiếng Anh)",
            "Không bắt buộc: lời văn dịch sang tiếng Anh.",
            "Optional: the wording in English.",
            extra=True,
        ),
        Column(
            "level",
            "Cấp tính",
            "org (tính trên các tổ chức được chọn, mặc định) hoặc root (số liệu của Đảng bộ).",
            "org (computed over the selected organisations, the default) or root (the "
            "committee's own numbers).",
        ),
        Column(
            "measure",
            "Cách tính",
            "ratio (tỷ lệ), sum (tổng), rating (xếp loại), growth (tăng trưởng so với năm "
            "trước) hoặc qualitative (định tính).",
            "ratio, sum, rating, growth (over the previous year) or qualitative.",
            required=True,
        ),
        Column(
            "numerator",
            "Tử số",
            "Biểu thức: mã chỉ số nối bằng +, count(MÃ), count(MÃ <= N); MÃ@prev là số đầu "
            "năm (cuối năm trước), MÃ@base là số đầu nhiệm kỳ. Với rating: các mã xếp loại, "
            "cách nhau bởi dấu phẩy. Chỉ tiêu định tính để trống.",
            "An expression: indicator codes joined by +, count(CODE), count(CODE <= N); "
            "CODE@prev is the value at the start of the year (end of the previous one), "
            "CODE@base at the start of the term. For rating: the rating codes, separated by "
            "','. Empty for a qualitative goal.",
        ),
        Column(
            "denominator",
            "Mẫu số",
            "Chỉ cho ratio: biểu thức như tử số.",
            "For ratio only: an expression like the numerator.",
        ),
        Column(
            "over",
            "Đánh giá theo",
            "year (từng năm, mặc định), term_total (cộng dồn cả nhiệm kỳ), term_average "
            "(bình quân hằng năm) hoặc by_end (đến năm cuối nhiệm kỳ đạt).",
            "year (each year, the default), term_total (summed over the term), term_average "
            "(the yearly mean) or by_end (to reach by the term's last year).",
        ),
        Column(
            "comparison",
            "So sánh",
            ">= (từ … trở lên), > (trên), <= (không quá), < (dưới) hoặc between (từ … đến …).",
            ">= (at least), > (more than), <= (at most), < (less than) or between.",
        ),
        Column(
            "target",
            "Mức chỉ tiêu",
            "Một số (phần trăm 0-100 với tỷ lệ, số lượng, số tiền hoặc mức xếp loại 1-4); "
            "với between là cận dưới. Viết được 2,5 hoặc 1.234.",
            "A number (percent 0-100 for ratios, a count, an amount, or a rating level 1-4); "
            "for between the lower bound.",
        ),
        Column(
            "target_max",
            "Mức tối đa",
            "Chỉ cho between: cận trên, không nhỏ hơn mức chỉ tiêu.",
            "For between only: the upper bound, not below the target.",
        ),
        Column(
            "parent",
            "Thuộc chỉ tiêu (trong đó)",
            "Không bắt buộc: mã chỉ tiêu mà chỉ tiêu này là phần “trong đó”.",
            "Optional: the goal this one is “of which” part of.",
            aliases=("Thuộc chỉ tiêu", "Trong đó của"),
        ),
        Column(
            "cap",
            "Mức trần (%)",
            "Không bắt buộc: mức trần theo quy định, 0-100 (%).",
            "Optional: the legal cap of an “of which” goal, 0-100 (%).",
            aliases=("Mức trần",),
        ),
        Column(
            "cap_denominator",
            "Mẫu số của mức trần",
            "Đi cùng mức trần: tử số ÷ biểu thức này không được vượt mức trần.",
            "With the cap: numerator ÷ this expression may not exceed the cap.",
        ),
        Column(
            "unit_in_charge_vi",
            "Đơn vị phụ trách",
            "Không bắt buộc: ban, đơn vị chủ trì theo dõi.",
            "Optional: the board in charge.",
        ),
        Column(
            "unit_in_charge_en",
            "Đơn vị phụ trách (tiếng Anh)",
            "Đơn vị phụ trách, tiếng Anh.",
            "The board in charge, in English.",
            extra=True,
        ),
        Column("note_vi", "Ghi chú", "Ghi chú.", "A note in Vietnamese.", extra=True),
        Column("note_en", "Ghi chú (tiếng Anh)", "Ghi chú, tiếng Anh.", "A note.", extra=True),
        Column(
            "basis",
            "Cơ sở tỷ lệ",
            "Chỉ tiêu “trong đó”: parent (tỷ lệ trên nhóm của chỉ tiêu cha) hoặc all.",
            "An “of which” goal: parent (share of its parent's group) or all.",
            extra=True,
        ),
        Column(
            "basis_vi",
            "Giải thích cơ sở tỷ lệ",
            "Lời giải thích cơ sở tỷ lệ.",
            "The basis explained, in Vietnamese.",
            extra=True,
        ),
        Column(
            "basis_en",
            "Giải thích cơ sở tỷ lệ (tiếng Anh)",
            "Lời giải thích, tiếng Anh.",
            "The basis explained.",
            extra=True,
        ),
        Column(
            "counts_organisations",
            "Đếm số tổ chức",
            "1 khi chỉ tiêu đếm tổ chức (mặc định: khi biểu thức có count(…)), 0 khi không.",
            "1 when the goal counts organisations (default: when an expression has "
            "count(…)), 0 when not.",
            extra=True,
        ),
    ),
}


# --- problems ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BookProblem:
    """What is wrong and where: ``sheet`` as named in the file (or the expected name of a
    missing one), ``row`` as the spreadsheet numbers it (header = 1; None for a whole
    sheet or file), ``column`` the header as written in the file (or the expected one)."""

    key: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = "vi") -> str:
        return Problem(self.key, params=self.params).message(lang)

    def render(self, lang: str = "vi") -> str:
        message = self.message(lang)
        if self.sheet is None:
            if self.row is not None:
                return t("row_only", lang, row=self.row, message=message)
            return t("file_only", lang, message=message)
        where = "rb_where_file" if self.sheet.lower().endswith(".csv") else "rb_where_sheet"
        text = t(where, lang, sheet=self.sheet)
        if self.row is not None:
            text += t("rb_where_row", lang, row=self.row)
        if self.column:
            text += t("rb_where_column", lang, column=self.column)
        return f"{text}: {message}"

    @staticmethod
    def of(problem: Problem, sheet: str | None = None) -> BookProblem:
        return BookProblem(problem.key, sheet, problem.row, problem.column, dict(problem.params))


@dataclass
class BookResult:
    doc: ResolutionDoc | None
    errors: list[BookProblem]

    @property
    def ok(self) -> bool:
        return self.doc is not None and not self.errors


# --- reading the file -------------------------------------------------------------------


@dataclass
class _Sheet:
    kind: str
    name: str
    header: list[str]
    rows: list[list[Any]]
    numbers: list[int]
    header_row: int = 1
    vietnamese: bool = False
    index: dict[str, int] = field(default_factory=dict)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column from 1)

    def column_name(self, code: str) -> str:
        """The header as written in the file, or as the template names it in the sheet's
        language when the column is absent."""
        if code in self.index:
            return self.header[self.index[code]]
        return _column(self.kind, code).vi if self.vietnamese else code


def _column(kind: str, code: str) -> Column:
    return next(c for c in COLUMNS[kind] if c.code == code)


def _sheet_kind(name: str) -> str | None:
    key = fold(name)
    for kind in SHEET_KINDS:
        if key in (kind, fold(SHEET_VI[kind])):
            return kind
    return None


def _header_keys(kind: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    for c in COLUMNS[kind]:
        for name in (c.code, c.vi, *c.aliases):
            keys.setdefault(fold(name), c.code)
    return keys


class _Collector:
    def __init__(self) -> None:
        self.problems: list[BookProblem] = []
        self.dropped = 0

    def add(
        self,
        key: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        **params: object,
    ) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.problems.append(BookProblem(key, sheet, row, column, dict(params)))

    def done(self) -> list[BookProblem]:
        out = list(self.problems)
        if self.dropped:
            out.append(BookProblem("e_too_many", params={"n": self.dropped}))
        return out


def _too_many_rows(out: _Collector, kind: str, name: str) -> None:
    out.add("rb_too_many_rows", name, n=(fmt_num(MAX_ROWS[kind]), fmt_num(MAX_ROWS[kind], "en")))


def _sheet_of(
    kind: str, name: str, records: list[list[Any]], numbers: list[int] | None, out: _Collector
) -> _Sheet:
    try:
        table = read._table(records, "xlsx", None, numbers=numbers)
    except IngestError:  # nothing in it
        return _Sheet(kind, name, [], [], [])
    header_row = 1
    for i, record in enumerate(records):
        if any(not is_blank(read.nfc(v)) for v in record):
            header_row = numbers[i] if numbers is not None else i + 1
            break
    return _make_sheet(kind, name, table.header, table.rows, table.row_numbers, header_row, out)


def _make_sheet(
    kind: str,
    name: str,
    header: list[str],
    rows: list[list[Any]],
    numbers: list[int],
    header_row: int,
    out: _Collector,
) -> _Sheet:
    sheet = _Sheet(kind, name, header, rows, numbers, header_row)
    keys = _header_keys(kind)
    sheet.vietnamese = fold(name.rsplit(".", 1)[0]) == fold(SHEET_VI[kind])
    for i, text in enumerate(header):
        code = keys.get(fold(text)) if text else None
        if code is None:
            continue  # an extra column: ignored
        if code in sheet.index:
            out.add(
                "rb_column_twice",
                name,
                header_row,
                text,
                first=header[sheet.index[code]],
            )
            continue
        sheet.index[code] = i
        if fold(text) != fold(code):
            sheet.vietnamese = True
    return sheet


def _read_xlsx(data: bytes, out: _Collector) -> dict[str, _Sheet]:
    sheets: dict[str, _Sheet] = {}
    with read.workbook(data) as wb:
        for ws in wb.worksheets:
            kind = _sheet_kind(ws.title)
            if kind is None:
                continue  # the guide, or a sheet of the user's own: not read
            if kind in sheets:
                out.add("rb_sheet_twice", ws.title, first=sheets[kind].name)
                continue
            records: list[list[Any]] = []
            numbers: list[int] = []
            formula_cells: set[tuple[int, int]] = set()
            refused = False
            for number, values, formulas in read._sheet_rows(wb, ws):
                if len(records) > MAX_ROWS[kind]:
                    _too_many_rows(out, kind, ws.title)
                    refused = True
                    break
                records.append(values)
                numbers.append(number)
                for column in formulas:
                    formula_cells.add((number, column))
                    out.add(
                        "rb_formula",
                        ws.title,
                        number,
                        read.column_letter(column),
                        cell=f"{read.column_letter(column)}{number}",
                    )
            if refused:
                sheets[kind] = _refused(kind, ws.title)
                continue
            sheet = _sheet_of(kind, ws.title, records, numbers, out)
            sheet.formulas = formula_cells
            sheet.vietnamese = sheet.vietnamese or fold(ws.title) == fold(SHEET_VI[kind])
            sheets[kind] = sheet
    return sheets


def _refused(kind: str, name: str) -> _Sheet:
    """A sheet refused as a whole (too many rows): present, but not checked row by row."""
    sheet = _Sheet(kind, name, [], [], [])
    sheet.header_row = -1
    return sheet


def _read_zip(zf: zipfile.ZipFile, out: _Collector) -> dict[str, _Sheet]:
    sheets: dict[str, _Sheet] = {}
    for info in zf.infolist():
        path = info.filename.replace("\\", "/")
        base = path.rsplit("/", 1)[-1]
        if info.is_dir() or "__MACOSX/" in path or base.startswith((".", "~$")):
            continue
        stem, dot, ext = base.rpartition(".")
        if not dot or ext.lower() != "csv":
            continue
        kind = _sheet_kind(stem)
        if kind is None:
            continue
        if kind in sheets:
            out.add("rb_sheet_twice", base, first=sheets[kind].name)
            continue
        try:
            table = read.read_csv(zf.read(info))
        except IngestError as exc:
            if [p.key for p in exc.problems] == ["e_empty_file"]:
                sheets[kind] = _Sheet(kind, base, [], [], [])
                continue
            for p in exc.problems:
                out.problems.append(BookProblem.of(p, base))
            sheets[kind] = _refused(kind, base)
            continue
        if len(table.rows) > MAX_ROWS[kind]:
            _too_many_rows(out, kind, base)
            sheets[kind] = _refused(kind, base)
            continue
        sheets[kind] = _make_sheet(kind, base, table.header, table.rows, table.row_numbers, 1, out)
    return sheets


def _read_file(data: bytes, file_name: str, out: _Collector) -> dict[str, _Sheet]:
    """The sheets found, by kind; raises IngestError when the file cannot be read at all."""
    if not data or not data.strip():
        raise IngestError([Problem("e_empty_file")])
    if len(data) > BOOK_MAX_BYTES:
        mb = BOOK_MAX_BYTES // (1024 * 1024)
        raise IngestError([Problem("rb_file_too_big", params={"mb": mb})])
    if data.startswith(read.OLE_MAGIC):
        raise read._ole(data)
    if not read.is_xlsx(data):
        raise IngestError([Problem("rb_not_book", params={"name": file_name})])
    try:
        read._check_directory(data)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            read._check_zip(zf)
            names = {n.lower() for n in zf.namelist()}
            if not any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):
                return _read_zip(zf, out)
    except IngestError:
        raise
    except RuntimeError as exc:  # a member with a password
        raise IngestError([Problem("e_xlsx_encrypted")]) from exc
    except Exception as exc:  # a damaged zip
        raise IngestError([Problem("rb_not_book", params={"name": file_name})]) from exc
    return _read_xlsx(data, out)


# --- cells ------------------------------------------------------------------------------


@dataclass
class _Row:
    sheet: _Sheet
    values: list[Any]
    number: int
    out: _Collector

    def cell(self, code: str) -> Any:
        i = self.sheet.index.get(code)
        if i is None or i >= len(self.values):
            return None
        value = self.values[i]
        return None if is_blank(value) else value

    def col(self, code: str) -> str:
        return self.sheet.column_name(code)

    def err(self, key: str, code: str, **params: object) -> None:
        i = self.sheet.index.get(code)
        if i is not None and (self.number, i + 1) in self.sheet.formulas:
            return  # a formula without its value: said once, for its cell
        self.out.add(key, self.sheet.name, self.number, self.col(code), **params)

    def text(self, code: str) -> str:
        value = self.cell(code)
        if value is None:
            return ""
        if excel_error(value):
            self.err("rb_excel_error", code, value=str(value))
            return ""
        return unicodedata.normalize("NFC", show(value)).strip()

    def opt(self, code: str) -> str | None:
        return self.text(code) or None

    def required(self, code: str) -> str:
        value = self.text(code)
        if not value and self.cell(code) is None:
            self.missing(code)
        return value

    def missing(self, code: str) -> None:
        """A required cell left empty (a missing column is said once, for its sheet)."""
        if code in self.sheet.index:
            self.err("rb_required", code)

    def num(self, code: str) -> float | None:
        value = self.cell(code)
        if value is None:
            return None
        number, _, issue = read_number(value)
        if number is None or issue is not None:
            self.err("rb_not_number", code, value=show(value))
            return None
        return float(number)

    def year(self, code: str) -> int | None:
        value = self.cell(code)
        if value is None:
            return None
        year = parse_year(value)
        if year is None or not YEAR_MIN <= year <= YEAR_MAX:
            self.err("rb_not_year", code, value=show(value))
            return None
        return year

    def choice(self, code: str, allowed: Sequence[str], default: str | None) -> str | None:
        raw = self.text(code)
        if not raw:
            return default
        value = _COMPARISON_SIGNS.get(raw, raw) if code == "comparison" else raw
        value = value.replace(" ", "").lower() if code == "comparison" else fold(value)
        if value not in allowed:
            self.err("rb_unknown_value", code, value=raw, allowed=", ".join(allowed))
            return None
        return value


def _num_param(value: float) -> tuple[str, str]:
    return fmt_number(value, "vi"), fmt_number(value, "en")


def fmt_number(value: float, lang: str = "vi") -> str:
    """A number as the reader writes it, with the decimals it has (``1.234,5``, ``2,5``)."""
    if float(value).is_integer():
        return fmt_num(int(value), lang, 0)
    text = f"{value:.6f}".rstrip("0")
    return fmt_num(value, lang, len(text.split(".")[1]))


def parse_years(text: str) -> tuple[int, ...] | None:
    """``2026-2030`` (also with an en dash) or ``2026,2027,…``: the years, sorted; None when
    that is not what the text says."""
    years: set[int] = set()
    for item in re.split(r"[,;]", text.replace("…", "").replace("...", "")):
        item = item.strip()
        if not item:
            continue
        match = _YEARS_ITEM.match(item)
        if not match:
            return None
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first or last - first > 100:
            return None
        years.update(range(first, last + 1))
    return tuple(sorted(years)) or None


def years_text(years: Iterable[int]) -> str:
    """The reporting years as written in the workbook: a range when they follow each other."""
    ys = sorted(years)
    if len(ys) > 1 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}-{ys[-1]}"
    return ",".join(str(y) for y in ys)


# --- checking ---------------------------------------------------------------------------


class _Reader:
    def __init__(self, sheets: dict[str, _Sheet], known: Sequence[Indicator], out: _Collector):
        self.sheets = sheets
        self.known = known
        self.out = out
        self.code = ""  # the resolution's code as written (once its sheet is read)
        self.indicators_read = True

    def rows(self, kind: str) -> list[_Row]:
        sheet = self.sheets.get(kind)
        if sheet is None or sheet.header_row < 0:
            return []
        return [_Row(sheet, v, n, self.out) for v, n in zip(sheet.rows, sheet.numbers, strict=True)]

    def check_columns(self, kind: str) -> bool:
        """Whether the sheet can be read row by row (present, with its required columns)."""
        sheet = self.sheets.get(kind)
        if sheet is None or sheet.header_row < 0:
            return False
        if not sheet.header:
            if kind != "indicators":
                self.out.add("rb_sheet_empty", sheet.name)
            return kind == "indicators"
        missing = [c for c in COLUMNS[kind] if c.required and c.code not in sheet.index]
        for c in missing:
            self.out.add(
                "rb_missing_column",
                sheet.name,
                sheet.header_row,
                sheet.column_name(c.code),
                vi=c.vi,
                code=c.code,
            )
        return True

    # the resolution row

    def resolution(self) -> Resolution | None:
        if not self.check_columns("resolution"):
            return None
        rows = self.rows("resolution")
        sheet = self.sheets["resolution"]
        if not rows:
            self.out.add("rb_resolution_no_row", sheet.name)
            return None
        for extra in rows[1:]:
            self.out.add("rb_resolution_rows", sheet.name, extra.number)
        r = rows[0]
        code = r.required("code")
        if code and (not CODE_RE.match(code) or len(code) > 64):
            r.err("rb_resolution_code", "code", value=code)
        name_vi = r.required("name_vi")
        start, end = r.year("term_start"), r.year("term_end")
        for col, year in (("term_start", start), ("term_end", end)):
            if year is None and r.cell(col) is None:
                r.missing(col)
        if start is not None and end is not None and end < start:
            r.err("rb_term_order", "term_end", start=start, end=end)
            start = end = None
        years: tuple[int, ...] = ()
        years_ok = True
        raw_years = r.cell("years")
        if raw_years is not None:
            parsed = parse_years(show(raw_years))
            years_ok = False
            if parsed is None:
                r.err("rb_years_syntax", "years", value=show(raw_years))
            elif start is not None and end is not None:
                outside = [y for y in parsed if not start <= y <= end]
                if outside:
                    r.err(
                        "rb_years_outside",
                        "years",
                        years=", ".join(map(str, outside)),
                        start=start,
                        end=end,
                    )
                else:
                    years, years_ok = parsed, True
            else:
                years, years_ok = parsed, True
        base = r.year("base_year")
        first = years[0] if years else start
        if base is not None and first is not None and years_ok and base >= first:
            r.err("rb_base_year", "base_year", base=base, first=first)
        name_en = r.text("name_en")
        self.code = code
        if not code or not name_vi or start is None or end is None:
            return None
        return Resolution(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            short_vi=r.text("short_vi") or name_vi,
            short_en=r.text("short_en") or name_en,
            term_start=start,
            term_end=end,
            years=years,
            base_year=base,
        )

    # the indicators

    def indicators(self, code: str) -> tuple[list[Indicator], dict[str, Indicator]]:
        """The workbook's own indicators, and every indicator a goal may read by code: the
        known ones (those of this resolution only as this workbook redefines them)."""
        others = {i.code: i for i in self.known if i.resolution_code != code}
        own: list[Indicator] = []
        if not self.check_columns("indicators"):
            self.indicators_read = False  # the goals' indicators cannot be checked yet
            return own, others
        rows = self.rows("indicators")
        seen: dict[str, int] = {}
        parsed: list[tuple[_Row, Indicator | None]] = []
        for r in rows:
            icode = r.required("code")
            ok = bool(icode)
            if icode and (not INDICATOR_CODE.match(icode) or len(icode) > 64):
                r.err("rb_indicator_code", "code", value=icode)
                ok = False
            elif icode in seen:
                r.err("rb_duplicate", "code", value=icode, first_row=seen[icode])
                ok = False
            elif icode in others:
                clash = others[icode]
                where = clash.resolution_code or ("hợp đồng dữ liệu", "the data contract")
                r.err("rb_indicator_clash", "code", value=icode, where=where)
                ok = False
            if icode:
                seen.setdefault(icode, r.number)
            name_vi = r.required("name_vi")
            value_type = r.choice("value_type", VALUE_TYPES, None)
            if value_type is None and r.cell("value_type") is None:
                r.missing("value_type")
            level = r.choice("level", LEVELS, "org")
            if ok and name_vi and value_type and level:
                indicator = Indicator(
                    code=icode,
                    name_vi=name_vi,
                    name_en=r.text("name_en"),
                    unit_vi=r.text("unit_vi"),
                    unit_en=r.text("unit_en"),
                    value_type=value_type,
                    level=level,
                    part_of=r.opt("part_of"),
                    aliases=tuple(a.strip() for a in r.text("aliases").split(";") if a.strip()),
                    sum_of=tuple(_split_codes(r.text("sum_of"))),
                    resolution_code=code or None,
                )
                parsed.append((r, indicator))
            else:
                parsed.append((r, None))
        available = dict(others)
        for r, i in parsed:
            if i is not None:
                available.setdefault(i.code, i)
            elif INDICATOR_CODE.match(r.text("code")):  # declared, with problems said above
                placeholder = Indicator(r.text("code"), "", "", "", "", r.text("value_type"), "")
                available.setdefault(placeholder.code, placeholder)
        for r, i in parsed:
            part_of = r.text("part_of")
            if part_of and (part_of not in available and part_of not in seen):
                r.err("rb_unknown_indicator", "part_of", codes=part_of)
            elif part_of and part_of == r.text("code"):
                r.err("rb_part_of_self", "part_of", value=part_of)
            unknown = [c for c in _split_codes(r.text("sum_of")) if c not in available]
            if unknown:
                r.err("rb_unknown_indicator", "sum_of", codes=", ".join(unknown))
            if i is not None:
                own.append(i)
        return own, available

    # the goals

    def goals(self, available: Mapping[str, Indicator]) -> list[Goal]:
        if not self.check_columns("goals"):
            return []
        rows = self.rows("goals")
        sheet = self.sheets["goals"]
        if not rows and sheet.header:
            self.out.add("rb_no_goals", sheet.name)
        codes: dict[str, tuple[str, int]] = {}  # code folded → as written, first row
        for r in rows:
            code = r.text("code")
            if code:
                codes.setdefault(code.casefold(), (code, r.number))
        goals: list[Goal] = []
        parents: dict[str, tuple[_Row, str]] = {}
        seen: set[str] = set()
        for r in rows:
            goal = self._goal(r, codes, seen, available)
            if goal is not None:
                goals.append(goal)
                if goal.parent:
                    parents[goal.code] = (r, goal.parent)
        for code, (r, _) in parents.items():
            chain, at = [code], parents.get(code)
            while at is not None:
                if at[1] in chain:
                    r.err("rb_parent_cycle", "parent", chain=" → ".join([*chain, at[1]]))
                    break
                chain.append(at[1])
                at = parents.get(at[1])
        return goals

    def _goal(
        self,
        r: _Row,
        codes: Mapping[str, tuple[str, int]],
        seen: set[str],
        available: Mapping[str, Indicator],
    ) -> Goal | None:
        before = len(self.out.problems) + self.out.dropped
        code = r.required("code")
        if code and not _GOAL_CODE.match(code):
            r.err("rb_goal_code", "code", value=code)
        elif code and code.casefold() in seen:
            first_row = codes[code.casefold()][1]
            r.err("rb_duplicate", "code", value=code, first_row=first_row)
        seen.add(code.casefold())
        title_vi = r.required("title_vi")
        level = r.choice("level", LEVELS, "org")
        measure = r.choice("measure", MEASURES, None)
        if measure is None and r.cell("measure") is None:
            r.missing("measure")
        over = r.choice("over", OVERS, "year")
        comparison = r.choice("comparison", COMPARISONS, None)
        target = r.num("target")
        target_max = r.num("target_max")
        numerator = r.text("numerator")
        denominator = r.text("denominator")
        cap = r.num("cap")
        cap_den = r.text("cap_denominator")
        rating: tuple[str, ...] = ()
        num_text = den_text = cap_text = None
        if measure == Measure.QUALITATIVE:
            for col in ("numerator", "denominator", "comparison", "target", "target_max"):
                if r.cell(col) is not None:
                    r.err("rb_qualitative_extra", col)
        elif measure is not None:
            if r.cell("comparison") is None:
                r.err("rb_needs_comparison", "comparison", measure=measure)
            if r.cell("target") is None:
                r.err("rb_needs_target", "target", measure=measure)
            if measure == Measure.RATING:
                rating = self._ratings(r, numerator, available)
            elif not numerator:
                r.err("rb_needs_numerator", "numerator", measure=measure)
            else:
                num_text = self._expr(r, "numerator", numerator, available)
            if measure == Measure.RATIO and not denominator:
                r.err("rb_ratio_denominator", "denominator")
            elif measure == Measure.RATIO:
                den_text = self._expr(r, "denominator", denominator, available)
            elif denominator:
                r.err("rb_denominator_only_ratio", "denominator", measure=measure)
            self._target_range(r, measure, target, target_max)
        if comparison == "between" and measure != Measure.QUALITATIVE:
            if r.cell("target_max") is None:
                r.err("rb_between_max", "target_max")
            elif target is not None and target_max is not None and target_max < target:
                r.err(
                    "rb_max_below_target",
                    "target_max",
                    max=_num_param(target_max),
                    target=_num_param(target),
                )
        elif r.cell("target_max") is not None and measure != Measure.QUALITATIVE:
            r.err("rb_max_only_between", "target_max")
        if cap is not None and not 0 <= cap <= 100:
            r.err("rb_cap_range", "cap", value=_num_param(cap))
        if cap is not None and not cap_den:
            r.err("rb_cap_pair", "cap_denominator")
        elif cap_den and r.cell("cap") is None:
            r.err("rb_cap_pair", "cap")
        if cap_den:
            cap_text = self._expr(r, "cap_denominator", cap_den, available)
        parent = r.opt("parent")
        known_parent = parent is not None and codes.get(parent.casefold(), ("",))[0] == parent
        if parent and (not known_parent or parent.casefold() == code.casefold()):
            r.err("rb_unknown_parent", "parent", value=parent)
        basis = r.choice("basis", BASES, None)
        counts = self._flag(r, "counts_organisations")
        if len(self.out.problems) + self.out.dropped > before or measure is None:
            return None
        goal = Goal(
            code=code,
            level=Level(level or "org"),
            measure=Measure(measure),
            over=Over(over or "year"),
            title_vi=title_vi,
            title_en=r.text("title_en"),
            text_vi=r.text("text_vi"),
            text_en=r.text("text_en"),
            comparison=comparison if measure != Measure.QUALITATIVE else None,
            target=target,
            target_max=target_max,
            numerator=num_text,
            denominator=den_text,
            rating_indicators=rating,
            parent=parent,
            basis=basis,
            basis_vi=r.opt("basis_vi"),
            basis_en=r.opt("basis_en"),
            cap=cap,
            cap_denominator=cap_text,
            note_vi=r.opt("note_vi"),
            note_en=r.opt("note_en"),
            unit_in_charge_vi=r.opt("unit_in_charge_vi"),
            unit_in_charge_en=r.opt("unit_in_charge_en"),
        )
        default = counts_organisations(goal)
        if (counts if counts is not None else default) != goal.counts_organisations:
            goal = replace(goal, counts_organisations=counts if counts is not None else default)
        return goal

    def _flag(self, r: _Row, code: str) -> bool | None:
        raw = r.text(code)
        if not raw:
            return None
        key = fold(raw)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        r.err("rb_unknown_value", code, value=raw, allowed="1, 0")
        return None

    def _expr(
        self, r: _Row, column: str, text: str, available: Mapping[str, Indicator]
    ) -> str | None:
        try:
            expr = Expr.parse(text)
        except ExprError as exc:
            r.err(f"rb_{exc.reason}", column, value=text, detail=exc.detail)
            return None
        unknown = [c for c in expr.indicators if c not in available]
        if unknown and self.indicators_read:
            r.err("rb_unknown_indicator", column, codes=", ".join(unknown))
            return None
        return expr.text()

    def _ratings(self, r: _Row, text: str, available: Mapping[str, Indicator]) -> tuple[str, ...]:
        codes = _split_codes(text)
        if not codes:
            r.err("rb_needs_numerator", "numerator", measure="rating")
            return ()
        bad = [c for c in codes if not INDICATOR_CODE.match(c)]
        if bad:
            r.err("rb_rating_list", "numerator", value=text)
            return ()
        unknown = [c for c in codes if c not in available]
        if unknown and self.indicators_read:
            r.err("rb_unknown_indicator", "numerator", codes=", ".join(unknown))
            return ()
        not_rating = [
            c for c in codes if c in available and available[c].value_type not in ("rating", "")
        ]
        if not_rating:
            r.err("rb_not_rating", "numerator", codes=", ".join(not_rating))
            return ()
        return tuple(dict.fromkeys(codes))

    def _target_range(
        self, r: _Row, measure: str, target: float | None, target_max: float | None
    ) -> None:
        low, high = {"ratio": (0, 100), "rating": (1, 4), "sum": (0, None)}.get(
            measure, (None, None)
        )
        for col, value in (("target", target), ("target_max", target_max)):
            if value is None:
                continue
            if (low is not None and value < low) or (high is not None and value > high):
                r.err(f"rb_target_range_{measure}", col, value=_num_param(value))


def _split_codes(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[,;]", text) if c.strip()]


def counts_organisations(goal: Goal) -> bool:
    """Whether a goal counts organisations rather than people or amounts: by default, when
    its numerator or denominator has a ``count(…)``."""
    exprs = [goal.num_expr(), goal.den_expr()] if goal.measure != Measure.RATING else []
    return any(e is not None and e.kind == "count" for e in exprs)


def read_book(data: bytes, file_name: str, known_indicators: Sequence[Indicator]) -> BookResult:
    """The resolution a workbook holds, or every problem it has (then ``doc`` is None).

    ``known_indicators``: every installed indicator (the contract's and other
    resolutions'); those of this workbook's own resolution code may be redefined, and only
    the workbook's own definitions of them count.
    """
    out = _Collector()
    try:
        sheets = _read_file(data, file_name, out)
    except IngestError as exc:
        return BookResult(None, [BookProblem.of(p) for p in exc.problems])
    vietnamese = any(s.vietnamese for s in sheets.values())
    for kind in SHEET_KINDS:
        if kind not in sheets:
            name = SHEET_VI[kind] if vietnamese else kind
            out.add("rb_missing_sheet", name, vi=SHEET_VI[kind], code=kind)
    reader = _Reader(sheets, known_indicators, out)
    resolution = reader.resolution()
    own, available = reader.indicators(reader.code)
    goals = reader.goals(available)
    problems = out.done()
    if problems or resolution is None:
        return BookResult(None, problems)
    marked = percent_sums(tuple(goals), list(available.values()))
    return BookResult(ResolutionDoc(resolution, tuple(own), marked), [])


# --- writing ----------------------------------------------------------------------------


def _cell_value(goal_or_value: Any) -> Any:
    if isinstance(goal_or_value, float) and goal_or_value.is_integer():
        return int(goal_or_value)
    if isinstance(goal_or_value, bool):
        return int(goal_or_value)
    return goal_or_value


def _resolution_row(r: Resolution) -> dict[str, Any]:
    return {
        "code": r.code,
        "name_vi": r.name_vi,
        "name_en": r.name_en,
        "short_vi": r.short_vi,
        "short_en": r.short_en,
        "term_start": r.term_start,
        "term_end": r.term_end,
        "years": years_text(r.years) if r.years else None,
        "base_year": r.base_year,
    }


def _indicator_row(i: Indicator) -> dict[str, Any]:
    return {
        "code": i.code,
        "name_vi": i.name_vi,
        "name_en": i.name_en,
        "unit_vi": i.unit_vi,
        "unit_en": i.unit_en,
        "value_type": i.value_type,
        "level": i.level,
        "part_of": i.part_of,
        "sum_of": ", ".join(i.sum_of),
        "aliases": "; ".join(i.aliases),
    }


def _goal_row(g: Goal) -> dict[str, Any]:
    numerator = ", ".join(g.rating_indicators) if g.measure == Measure.RATING else g.numerator
    counts = g.counts_organisations if g.counts_organisations != counts_organisations(g) else None
    return {
        "code": g.code,
        "title_vi": g.title_vi,
        "title_en": g.title_en,
        "text_vi": g.text_vi,
        "text_en": g.text_en,
        "level": str(g.level),
        "measure": str(g.measure),
        "numerator": numerator,
        "denominator": g.denominator,
        "over": str(g.over),
        "comparison": g.comparison,
        "target": g.target,
        "target_max": g.target_max,
        "parent": g.parent,
        "cap": g.cap,
        "cap_denominator": g.cap_denominator,
        "unit_in_charge_vi": g.unit_in_charge_vi,
        "unit_in_charge_en": g.unit_in_charge_en,
        "note_vi": g.note_vi,
        "note_en": g.note_en,
        "basis": g.basis,
        "basis_vi": g.basis_vi,
        "basis_en": g.basis_en,
        "counts_organisations": counts,
    }


def _given(value: Any) -> bool:
    return value is not None and value != ""


def _write_sheet(wb: Any, kind: str, lang: str, rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(SHEET_VI[kind] if lang == "vi" else kind)
    columns = [
        c for c in COLUMNS[kind] if not c.extra or any(_given(row.get(c.code)) for row in rows)
    ]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for j, c in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j, value=c.vi if lang == "vi" else c.code)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(rows, start=2):
        for j, c in enumerate(columns, start=1):
            value = _cell_value(row.get(c.code))
            if not _given(value):
                continue
            cell = ws.cell(row=i, column=j, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: never a formula ("=…")
    for j, c in enumerate(columns, start=1):
        texts = [c.vi if lang == "vi" else c.code] + [
            show(_cell_value(row.get(c.code))) for row in rows
        ]
        width = max(len(x) for x in texts) + 2
        ws.column_dimensions[get_column_letter(j)].width = max(10, min(width, 60))
    ws.freeze_panes = "A2"


def _write_guide(wb: Any, lang: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(GUIDE_SHEET["en" if lang == "en" else "vi"])
    en = lang == "en"
    ws.cell(row=1, column=1, value=t("rb_guide_title", lang)).font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value=t("rb_guide_intro", lang))
    head = [t(k, lang) for k in ("rb_guide_sheet", "rb_guide_header", "rb_guide_code")]
    head += [t("rb_guide_required", lang), t("rb_guide_meaning", lang)]
    for j, text in enumerate(head, start=1):
        ws.cell(row=4, column=j, value=text).font = Font(bold=True)
    row = 5
    for kind in SHEET_KINDS:
        for c in COLUMNS[kind]:
            values = [
                kind if en else SHEET_VI[kind],
                c.vi,
                c.code,
                t("rb_guide_yes", lang) if c.required else "",
                c.guide_en if en else c.guide_vi,
            ]
            for j, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=j, value=value)
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    for j, width in enumerate((14, 30, 22, 10, 90), start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A5"


def _save(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_book(doc: ResolutionDoc, lang: str = "vi") -> bytes:
    """The workbook of a resolution (sheets and headers in Vietnamese, or English codes for
    ``en``), with the guide sheet last: importing it gives the same resolution (but for
    ``is_default``, which is an installation's choice, not the workbook's)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    _write_sheet(wb, "resolution", lang, [_resolution_row(doc.resolution)])
    _write_sheet(wb, "indicators", lang, [_indicator_row(i) for i in doc.indicators])
    _write_sheet(wb, "goals", lang, [_goal_row(g) for g in doc.goals])
    _write_guide(wb, lang)
    return _save(wb)


def template_book(lang: str = "vi") -> bytes:
    """An empty workbook to fill in: the three sheets' headers and the guide sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for kind in SHEET_KINDS:
        _write_sheet(wb, kind, lang, [])
    _write_guide(wb, lang)
    return _save(wb)


# --- the example ------------------------------------------------------------------------

EXAMPLE_CODE = "VI-DU-2025-2030"


def example_doc() -> ResolutionDoc:
    """A filled-in example, labelled as one in its name: a 2025-2030 resolution with a goal
    of each new shape (ratios against @prev and @base, between, term averages, by_end,
    ``<``, growth, amounts, a rating and a qualitative goal). Data, not code:
    ``data/examples/vi-du-2025-2030.toml``."""
    return catalogue.load_resolution_doc(EXAMPLES_DIR / "vi-du-2025-2030.toml")


_KEEP_CAPITAL = ("Party ", "GRDP")


def _lower_first(text: str) -> str:
    keep = text.startswith(_KEEP_CAPITAL)
    if len(text) > 1 and text[0].isupper() and not text[1].isupper() and not keep:
        return text[0].lower() + text[1:]
    return text


def _rating_name(level: float, lang: str) -> str | None:
    return t(f"dg_rating_{int(level)}", lang) if level in (1, 2, 3, 4) else None


def _rating_level(level: float, lang: str) -> str:
    name = _rating_name(level, lang)
    n = fmt_number(level, lang)
    return (
        t("dg_rating_level", lang, n=n, name=name)
        if name
        else t("dg_rating_level_plain", lang, n=n)
    )


def _cmp(op: str, value: str, lang: str, value2: str = "") -> str:
    key = {">=": "ge", ">": "gt", "<=": "le", "<": "lt", "=": "eq", "between": "between"}[op]
    return t(f"dg_cmp_{key}", lang, v=value, v2=value2)


def describe_goal(
    goal: Goal,
    indicators_by_code: Mapping[str, Indicator],
    lang: str = "vi",
    *,
    resolution: Resolution | None = None,
) -> str:
    """The goal in plain words as it will be computed: what is measured, the comparison and
    what it is judged over (``resolution``, when given, names the base and last years)."""
    by = indicators_by_code
    measure = goal.goal_measure
    label = t(f"dg_measure_{measure}", lang)
    if measure == Measure.QUALITATIVE:
        return f"{label}: {t('dg_qualitative', lang)}"

    def name(code: str) -> str:
        i = by.get(code)
        return _lower_first(i.name(lang)) if i else code

    def ref_text(key: str) -> str:
        code, _, year = key.partition("@")
        if year == "prev":
            return t("dg_at_prev", lang, name=name(code))
        if year == "base":
            if resolution is not None:
                return t("dg_at_base_year", lang, name=name(code), year=resolution.base)
            return t("dg_at_base", lang, name=name(code))
        return name(code)

    def expr_text(text: str | None, group: bool = False) -> str:
        if not text:
            return ""
        expr = Expr.parse(text)
        if expr.kind == "count":
            key = expr.codes[0]
            if expr.op is None or expr.value is None:
                return t("dg_count_all", lang, name=ref_text(key))
            cond = _cmp(expr.op, fmt_number(expr.value, lang), lang)
            i = by.get(key.partition("@")[0])
            rated = _rating_name(expr.value, lang) if i and i.value_type == "rating" else None
            if rated:
                cond += f" ({rated})"
            return t("dg_count_op", lang, name=ref_text(key), cond=cond)
        parts = [
            t("dg_flag", lang, name=ref_text(k))
            if k in by and by[k].value_type == "flag"
            else ref_text(k)
            for k in expr.codes
        ]
        joined = " + ".join(parts)
        return f"({joined})" if group and len(parts) > 1 else joined

    def unit() -> str:
        expr = goal.num_expr()
        if expr is None:
            return ""
        if expr.kind == "count":
            return t("dg_unit_orgs", lang)
        units = {
            (by[c].unit_en if lang == "en" else by[c].unit_vi) if c in by else ""
            for c in expr.indicators
        }
        return units.pop() if len(units) == 1 else ""

    target = goal.target if goal.target is not None else 0.0
    top = goal.target_max if goal.target_max is not None else target
    comparison = goal.comparison or ">="
    if measure == Measure.RATING:
        names = [name(c) for c in goal.rating_indicators]
        listed = t("dg_and", lang, first=", ".join(names[:-1]), last=names[-1])
        worst = "dg_rating_worse" if len(names) == 2 else "dg_rating_worst"
        what = names[0] if len(names) == 1 else t(worst, lang, names=listed)
        lo, hi = _rating_level(target, lang), _rating_level(top, lang)
        key = {">=": "ge", ">": "gt", "<=": "le", "<": "lt", "between": "between"}[comparison]
        judged = t(f"dg_rating_cmp_{key}", lang, v=lo, v2=hi)
    else:
        if measure == Measure.RATIO:
            what = f"{expr_text(goal.numerator, True)} / {expr_text(goal.denominator, True)}"
        elif measure == Measure.GROWTH:
            what = t("dg_growth_of", lang, what=expr_text(goal.numerator))
        else:
            what = expr_text(goal.numerator)
        if goal.is_percent:
            lo, hi = f"{fmt_number(target, lang)}%", f"{fmt_number(top, lang)}%"
        else:
            u = unit()
            lo, hi = fmt_number(target, lang), fmt_number(top, lang)
            if u:
                if comparison == "between":
                    hi = f"{hi} {u}"
                else:
                    lo = f"{lo} {u}"
        judged = _cmp(comparison, lo, lang, hi)
    if goal.over == Over.BY_END:
        when = (
            t("dg_by_end_year", lang, year=resolution.term_end)
            if resolution is not None
            else t("dg_over_by_end", lang)
        )
        text = f"{label}: {what}, {when} {judged}"
    else:
        text = f"{label}: {what}, {judged}, {t(f'dg_over_{goal.over}', lang)}"
    if goal.cap is not None and goal.cap_denominator:
        text += t(
            "dg_cap",
            lang,
            num=expr_text(goal.numerator, True),
            den=expr_text(goal.cap_denominator, True),
            cap=f"{fmt_number(goal.cap, lang)}%",
        )
    return text


__all__ = [
    "BOOK_MAX_BYTES",
    "COLUMNS",
    "EXAMPLE_CODE",
    "MAX_ROWS",
    "BookProblem",
    "BookResult",
    "Column",
    "counts_organisations",
    "describe_goal",
    "example_doc",
    "fmt_number",
    "parse_years",
    "read_book",
    "template_book",
    "write_book",
    "years_text",
]
