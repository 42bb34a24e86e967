"""Bytes of an uploaded file → a table of cells with the spreadsheet's row numbers.

CSV: the encoding is taken from a byte-order mark, else strict UTF-8, else detected by
charset-normalizer among the encodings Vietnamese offices produce (UTF-16, Windows-1258);
the delimiter (comma, semicolon, tab) is sniffed. Excel: the first sheet of an ``.xlsx``.
Text is normalised to Unicode NFC (Windows-1258 writes tone marks as combining characters).
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
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


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise IngestError([Problem("e_bad_xlsx", params={"detail": type(exc).__name__})]) from exc
    try:
        ws = wb.worksheets[0]
        records = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return _table(records, "xlsx", None)


def _table(
    records: list[list[Any]], encoding: str | None, delimiter: str | None, text: bool = False
) -> Table:
    """``text``: the records are strings of a text already normalised to NFC (a CSV file),
    so only surrounding spaces are stripped (the fast path for big files)."""
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
    rows, numbers = [], []
    for index in range(start + 1, len(cleaned)):
        record = cleaned[index]
        if not any(v not in (None, "") for v in record):
            continue
        rows.append(record)
        numbers.append(index + 1)
    return Table(header, rows, numbers, encoding, delimiter)


def read_table(data: bytes, file_name: str = "") -> Table:
    if not data or not data.strip():
        raise IngestError([Problem("e_empty_file")])
    if is_xlsx(data) or file_name.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # legacy .xls / OLE
        raise IngestError([Problem("e_binary")])
    return read_csv(data)
