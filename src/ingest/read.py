"""Bytes of an uploaded file → a table of cells with the spreadsheet's row numbers.

CSV: the encoding is taken from a byte-order mark, else strict UTF-8, else detected by
charset-normalizer among the encodings Vietnamese offices produce (UTF-16, Windows-1258);
the delimiter (comma, semicolon, tab) is sniffed. Excel: the first sheet of an ``.xlsx``.
Text is normalised to Unicode NFC (Windows-1258 writes tone marks as combining characters).

An ``.xlsx`` is a zip of XML files that may unpack to a thousand times its size: its
declared sizes are checked before anything is unpacked, its sheets are scanned for how many
cells they hold before openpyxl parses them, and they are read row by row, never whole
(a file too big for these caps is meant to come as CSV).

One module, past 400 lines, because it is one job (bytes to cells) whose hostile-file caps
for CSV and for xlsx belong side by side, where a reviewer reads them at once.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from charset_normalizer import from_bytes

from src.ingest.errors import IngestError, Problem

Cell = str | int | float | None


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    row_numbers: list[int]  # spreadsheet row of each entry of rows (header is row 1)
    encoding: str | None = None
    delimiter: str | None = None


def nfc(value: Any) -> Cell:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float) or value is None:
        return value
    return unicodedata.normalize("NFC", str(value)).strip()


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with."""
    boms = [
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ]
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding.replace("-sig", "")), encoding
            except UnicodeDecodeError as exc:
                raise IngestError([Problem("e_binary")]) from exc
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    best = from_bytes(data, cp_isolation=["utf_16_le", "utf_16_be", "cp1258"]).best()
    if best is None or best.encoding is None:
        raise IngestError([Problem("e_binary")])
    text = str(best)
    if looks_binary(text):
        raise IngestError([Problem("e_binary")])
    return text, best.encoding


def looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    control = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t")
    return control / len(sample) > 0.01


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab, from the first 20 lines."""
    size = 1 << 16
    while size < len(text) and len(text[:size].splitlines()) <= 20:
        size *= 4  # only as much of a big file as holds 21 lines: splitting it all is slow
    head = "\n".join(text[:size].splitlines()[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        counts = {d: first.count(d) for d in ",;\t"}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    if looks_binary(text):
        raise IngestError([Problem("e_binary")])
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise IngestError([Problem("e_empty_file")])
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        # The record being read started on the row after the last complete one.
        row = len(records) + 1
        # Python says "unexpected end of data" for a quote never closed, and "',' expected
        # after '"'" for one closed by the next cell's opening quote.
        quote = ("EOF", "quote", "end of data", "after '\"'")
        key = "e_unbalanced_quote" if any(q in str(exc) for q in quote) else "e_csv"
        raise IngestError([Problem(key, row=row, params={"detail": str(exc)})]) from exc
    return _table(records, encoding, delimiter, text=True)


# Caps of an .xlsx (the upload itself is capped at 64 MB): past them it is refused, with a
# suggestion to send CSV, before the work grows with what the zip claims to hold.
XLSX_MAX_MEMBERS = 10_000
XLSX_MAX_UNPACKED = 256 * 1024 * 1024  # all members together, unpacked
XLSX_MAX_RATIO = 200  # a member's unpacked size over its packed size (Excel's are 5-30)
XLSX_RATIO_FLOOR = 1024 * 1024  # members smaller than this unpacked may compress as they like
XLSX_MAX_CELLS = 2_000_000  # cells of every sheet together, as written in the file
XLSX_MAX_ROW_CELLS = 16_384  # Excel's own column limit (XFD)
XLSX_MAX_ROWS = 1_048_576  # Excel's own row limit
# the notes sheet the template ships beside its data sheet (src/services/templates.py), by its
# name folded (no diacritics, lower case), in both languages: it holds text, never data
NOTES_SHEETS = frozenset({"huong dan", "notes", "instructions"})
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and encrypted .xlsx
# openpyxl streams a sheet but reads every other part whole, at 7-35 times its size in
# memory: those parts are capped one by one (a workbook's styles are kilobytes)
XLSX_MAX_STRINGS = 32 * 1024 * 1024  # xl/sharedStrings.xml, unpacked
XLSX_MAX_PART = 4 * 1024 * 1024  # any other part that is no sheet, unpacked
_SCAN_CHUNK = 1 << 20
# a cell (c), a row or a shared string (si) starting, with any namespace prefix (XML allows
# letters of any script in it, so anything up to the colon that cannot end a name)
_TOKEN = re.compile(rb"<(?:[^\s<>/:!?=\"']+:)?(c|row|si)[\s/>]")


def _part_cap(name: str) -> int:
    """How large a part may be unpacked: sheets are bounded by their cells instead."""
    lowered = name.lower()
    if lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
        return XLSX_MAX_UNPACKED
    if lowered == "xl/sharedstrings.xml":
        return XLSX_MAX_STRINGS
    return XLSX_MAX_PART


def _part_too_big(name: str, cap: int) -> IngestError:
    mb = cap / (1024 * 1024)
    return _too_big(
        f"{name} hơn {_n(int(mb), '.')} MB khi giải nén", f"{name} over {mb:,.0f} MB unpacked"
    )


def is_excel_name(file_name: str) -> bool:
    """A file named as Excel: read as Excel or refused, never read as CSV."""
    return file_name.lower().endswith((".xlsx", ".xlsm", ".xls"))


def _too_big(vi: str, en: str) -> IngestError:
    """Past a cap: what was found, in the reader's language (numbers as each writes them)."""
    return IngestError([Problem("e_xlsx_too_big", params={"what": (vi, en)})])


def _n(number: int, sep: str) -> str:
    return f"{number:,}".replace(",", sep)


def _members(n: int) -> IngestError:
    return _too_big(f"{_n(n, '.')} tệp thành phần", f"{_n(n, ',')} members")


def _unpacked() -> IngestError:
    mb = XLSX_MAX_UNPACKED // (1024 * 1024)
    return _too_big(f"hơn {mb} MB khi giải nén", f"more than {mb} MB unpacked")


def _cells() -> IngestError:
    n = XLSX_MAX_CELLS
    return _too_big(f"hơn {_n(n, '.')} ô", f"more than {_n(n, ',')} cells")


def _check_zip(zf: zipfile.ZipFile) -> None:
    """Refuse a zip whose declared sizes are past the caps (a zip bomb), before unpacking.
    Python's zipfile never unpacks more than a member declares, so these bound the work."""
    members = zf.infolist()
    if len(members) > XLSX_MAX_MEMBERS:
        raise _members(len(members))
    total = 0
    for info in members:
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > XLSX_RATIO_FLOOR and info.file_size / packed > XLSX_MAX_RATIO:
            ratio = info.file_size // packed
            raise _too_big(f"{info.filename} nén {ratio}:1", f"{info.filename} packed {ratio}:1")
        if total > XLSX_MAX_UNPACKED:
            raise _unpacked()
        if info.file_size > _part_cap(info.filename):
            raise _part_too_big(info.filename, _part_cap(info.filename))


def _scan_member(zf: zipfile.ZipFile, name: str, counted: list[int]) -> None:
    """Count a sheet's cells and rows (or the shared strings) from its bytes as they unpack,
    a megabyte at a time, so that openpyxl is never handed more than the caps allow: the
    bytes actually unpacked are counted too (``counted``: bytes, cells), whatever the zip
    declares."""
    row_cells = rows = read = 0
    cap = _part_cap(name)
    carry = b""
    with zf.open(name) as member:
        while chunk := member.read(_SCAN_CHUNK):
            counted[0] += len(chunk)
            read += len(chunk)
            if counted[0] > XLSX_MAX_UNPACKED:
                raise _unpacked()
            if read > cap:
                raise _part_too_big(name, cap)
            text = carry + chunk
            cut = text.rfind(b"<")  # a tag cut by the chunk's end is read with the next one
            cut = cut if cut >= 0 and len(text) - cut < 256 else len(text)
            text, carry = text[:cut], text[cut:]
            for token in _TOKEN.findall(text):
                if token == b"row":
                    rows += 1
                    row_cells = 0
                    if rows > XLSX_MAX_ROWS:
                        n = XLSX_MAX_ROWS
                        raise _too_big(f"hơn {_n(n, '.')} dòng", f"more than {_n(n, ',')} rows")
                    continue
                counted[1] += 1
                row_cells += token == b"c"
                if row_cells > XLSX_MAX_ROW_CELLS:
                    n = XLSX_MAX_ROW_CELLS
                    raise _too_big(
                        f"một dòng có hơn {_n(n, '.')} ô", f"a row of more than {_n(n, ',')} cells"
                    )
            if counted[1] > XLSX_MAX_CELLS:
                raise _cells()


def _scan(zf: zipfile.ZipFile) -> None:
    """Every member, not only those named as sheets usually are: the workbook's own links
    say where its sheets are, and openpyxl follows them wherever they point."""
    counted = [0, 0]
    for info in zf.infolist():
        if not info.is_dir():
            _scan_member(zf, info.filename, counted)


def _ole(data: bytes) -> IngestError:
    """An OLE file: an encrypted .xlsx (a password set in Excel) or an old binary .xls."""
    encrypted = "EncryptionInfo".encode("utf-16-le") in data
    return IngestError([Problem("e_xlsx_encrypted" if encrypted else "e_xls_old")])


def _fold_name(name: str) -> str:
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").casefold()
    return " ".join(text.split())


def is_notes_sheet(title: str) -> bool:
    return _fold_name(title) in NOTES_SHEETS


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_rows(wb: Any, ws: Any) -> Iterator[tuple[int, list[Any], list[int]]]:
    """A read-only sheet's rows as written in the file: (row number, values up to the last
    given cell, columns of formulas with no value kept). Rows and cells the file leaves out
    are not made up (openpyxl's own iteration pads every row to the sheet's declared
    dimension, which a hostile file sets to a billion cells)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            # data_only: the value is the one Excel kept; a formula saved by a program that
            # does not compute (openpyxl, scripts) has none: it is no "not reported"
            kept = element.find(VALUE_TAG)
            cell["uncached"] = element.find(FORMULA_TAG) is not None and (
                kept is None  # no value at all
                or (not kept.text and element.get("t") != "str")  # an empty text is a value
            )
            return cell

    with ws._get_source() as source:  # how openpyxl's read-only sheet reads itself
        parser = Parser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for number, cells in parser.parse():
            given = [c for c in cells if c["value"] is not None or c["uncached"]]
            if not given:
                continue
            values: list[Any] = [None] * max(c["column"] for c in given)
            for c in given:
                values[c["column"] - 1] = c["value"]
            yield number, values, [c["column"] for c in given if c["uncached"]]


def _holds_data(wb: Any, ws: Any) -> bool:
    """Whether a sheet has any value or formula (stopping at the first)."""
    for _, values, uncached in _sheet_rows(wb, ws):
        if uncached or any(not (v is None or str(v).strip() == "") for v in values):
            return True
    return False


def _check_directory(data: bytes) -> None:
    """Refuse a zip whose directory lists more members than the cap before Python reads
    the directory into as many objects (a million empty members fit in 64 MB)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        return  # no end record: zipfile says it is no zip
    entries = int.from_bytes(data[end + 10 : end + 12], "little")
    if entries == 0xFFFF:  # ZIP64: the count is in its own end record
        end64 = data.rfind(b"PK\x06\x06", 0, end)
        entries = int.from_bytes(data[end64 + 32 : end64 + 40], "little") if end64 >= 0 else 0
    if entries > XLSX_MAX_MEMBERS:
        raise _members(entries)


def _no_workbook(zf: zipfile.ZipFile) -> None:
    """A zip that is no Excel workbook: an OpenDocument spreadsheet (.ods), a binary
    workbook (.xlsb), or any other zip (a Word file renamed) says so in words."""
    names = {n.lower() for n in zf.namelist()}
    if "mimetype" in names and zf.read("mimetype").startswith(b"application/vnd.oasis"):
        raise IngestError([Problem("e_xlsx_ods")])
    if "xl/workbook.bin" in names:
        raise IngestError([Problem("e_xlsx_xlsb")])
    if not any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):
        raise IngestError([Problem("e_not_xlsx")])


def _open_workbook(data: bytes) -> Any:
    """The workbook, read-only, once its zip has passed the caps; or refused in words."""
    from openpyxl import load_workbook

    if data.startswith(OLE_MAGIC):
        raise _ole(data)
    _check_directory(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_zip(zf)
            _no_workbook(zf)
            _scan(zf)
    except IngestError:
        raise
    except RuntimeError as exc:  # a zip with a password
        raise IngestError([Problem("e_xlsx_encrypted")]) from exc
    except Exception as exc:  # not a zip, or a damaged one (BadZipFile, a CRC, a cut end)
        raise IngestError([Problem("e_not_xlsx")]) from exc
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a zip, but no workbook openpyxl can read (.ods, .xlsb)
        raise IngestError([Problem("e_bad_xlsx", params={"detail": type(exc).__name__})]) from exc


@contextmanager
def workbook(data: bytes) -> Iterator[Any]:
    """The workbook (:func:`_open_workbook`) while it is read, closed after; XML that openpyxl
    cannot parse on the way is refused in words, naming what it met."""
    wb = _open_workbook(data)
    try:
        yield wb
    except IngestError:
        raise
    except Exception as exc:  # XML openpyxl cannot parse
        raise IngestError([Problem("e_bad_xlsx", params={"detail": type(exc).__name__})]) from exc
    finally:
        wb.close()


def _read_sheets(
    wb: Any,
) -> tuple[str, list[list[Any]], list[int], list[tuple[int, int]], list[str]]:
    """The first sheet's title, rows, their numbers and its formulas without a value
    (row, column); the titles of the other sheets that hold data."""
    if not wb.worksheets:
        raise IngestError([Problem("e_empty_file")])
    ws = wb.worksheets[0]
    others = [s for s in wb.worksheets[1:] if not is_notes_sheet(s.title)]
    with_data = [s.title for s in others if _holds_data(wb, s)]
    records: list[list[Any]] = []
    numbers: list[int] = []
    uncached: list[tuple[int, int]] = []
    held = 0
    for number, values, formulas in _sheet_rows(wb, ws):
        held += len(values)  # the cells a row holds up to its last, empty ones included
        if held > XLSX_MAX_CELLS:
            raise _cells()
        records.append(values)
        numbers.append(number)
        uncached.extend((number, column) for column in formulas)
    return ws.title, records, numbers, uncached, with_data


def _header(records: list[list[Any]], numbers: list[int]) -> list[str]:
    """The header as the table will read it, to name a column; none when the sheet holds
    nothing but formulas without values."""
    try:
        return _table(records, "xlsx", None, numbers=numbers).header
    except IngestError:
        return []


def read_xlsx(data: bytes) -> Table:
    """The first sheet of a workbook; refused (naming what and where) when the file is no
    workbook, is past the caps, has formulas without their values, or holds data on another
    sheet than the first (which would be lost), the template's notes sheet aside."""
    with workbook(data) as wb:
        title, records, numbers, uncached, with_data = _read_sheets(wb)
    problems = []
    if with_data:
        sheets = ", ".join(f"“{t}”" for t in with_data)
        problems.append(Problem("e_xlsx_other_sheets", params={"sheets": sheets, "first": title}))
    if uncached:
        header = _header(records, numbers)
        for row, column in uncached[:500]:
            name = header[column - 1] if column <= len(header) else ""
            problems.append(
                Problem(
                    "e_xlsx_formula",
                    row=row,
                    column=name or column_letter(column),
                    params={"cell": f"{column_letter(column)}{row}", "sheet": title},
                )
            )
        if len(uncached) > 500:
            problems.append(Problem("e_too_many", params={"n": len(uncached) - 500}))
    if problems:
        raise IngestError(problems)
    return _table(records, "xlsx", None, numbers=numbers)


def _table(
    records: list[list[Any]],
    encoding: str | None,
    delimiter: str | None,
    text: bool = False,
    numbers: list[int] | None = None,
) -> Table:
    """``text``: the records are strings of a text already normalised to NFC (a CSV file),
    so only surrounding spaces are stripped (the fast path for big files). ``numbers``: the
    spreadsheet row of each record, when not one after the other from row 1 (a sheet's
    rows as the file gives them, empty ones left out)."""
    if text:
        cleaned: list[list[Any]] = [[c.strip() for c in r] for r in records]
    else:
        cleaned = [[nfc(v) for v in r] for r in records]
    # Excel keeps formatting on rows and columns past the data: drop blank trailing cells.
    while cleaned and all(v in (None, "") for v in cleaned[-1]):
        cleaned.pop()
    start = 0
    while start < len(cleaned) and all(v in (None, "") for v in cleaned[start]):
        start += 1
    if start >= len(cleaned):
        raise IngestError([Problem("e_empty_file")])
    header = [("" if v is None else str(v)) for v in cleaned[start]]
    while header and header[-1] == "":
        header.pop()
    rows, kept = [], []
    for index in range(start + 1, len(cleaned)):
        record = cleaned[index]
        if not any(v not in (None, "") for v in record):
            continue
        rows.append(record)
        kept.append(numbers[index] if numbers is not None else index + 1)
    return Table(header, rows, kept, encoding, delimiter)


def read_table(data: bytes, file_name: str = "") -> Table:
    if not data or not data.strip():
        raise IngestError([Problem("e_empty_file")])
    if data.startswith(OLE_MAGIC):  # legacy .xls, or an .xlsx with a password
        raise _ole(data)
    if is_xlsx(data) or is_excel_name(file_name):
        return read_xlsx(data)
    return read_csv(data)
