"""Cell values as people type them → numbers, years, ratings, codes."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

from src.ingest.read import Cell

EXCEL_ERRORS = {
    "#DIV/0!",
    "#N/A",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#FIELD!",
    "#BLOCKED!",
    "#UNKNOWN!",
    "#CONNECT!",
    "#BUSY!",
    "#N/A!",
    "ERR:502",
    "ERR:503",
    "ERR:504",
    "ERR:508",
    "ERR:511",
    "ERR:522",
    "ERR:523",
    "#NV",
}
CODE_RE = re.compile(r"^[A-Za-z0-9_-]+$")

_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")


def fold(text: str) -> str:
    """Lower case, no diacritics, words joined by ``_``: how headers and names are matched."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def excel_error(cell: Cell) -> str | None:
    if isinstance(cell, str) and cell.strip().upper() in EXCEL_ERRORS:
        return cell.strip()
    return None


def parse_number(cell: Cell) -> tuple[float | None, bool]:
    """A number and whether it carried a ``%``; ``(None, False)`` when it is not a number.

    Accepts ``1.234`` and ``1,234`` as thousands (the indicators are whole numbers),
    ``1.234,5`` / ``1,234.5`` with both marks, a decimal comma, and spaces inside.
    """
    if isinstance(cell, bool):
        return float(cell), False
    if isinstance(cell, int | float):
        return (None, False) if math.isnan(float(cell)) else (float(cell), False)
    if cell is None:
        return None, False
    text = cell.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    sign = 1.0
    if text[:1] in "+-":
        sign = -1.0 if text[0] == "-" else 1.0
        text = text[1:]
    if not text:
        return None, False
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    elif _THOUSANDS_COMMA.match(text):
        text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    if not _PLAIN.match(text):
        return None, False
    return sign * float(text), percent


def parse_year(cell: Cell) -> int | None:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell if 1000 <= cell <= 9999 else None
    if isinstance(cell, str) and re.fullmatch(r"\d{4}(\.0+)?", cell.strip()):
        return int(cell.strip()[:4])
    return None


def year_bounds() -> tuple[int, int]:
    return 1990, date.today().year + 1


RATING_NAMES = {
    1: ("hoan_thanh_xuat_sac_nhiem_vu", "xuat_sac", "htxsnv", "excellent"),
    2: ("hoan_thanh_tot_nhiem_vu", "tot", "httnv", "good"),
    3: ("hoan_thanh_nhiem_vu", "hoan_thanh", "htnv", "completed"),
    4: ("khong_hoan_thanh_nhiem_vu", "khong_hoan_thanh", "khtnv", "not_completed"),
}
_RATING_BY_NAME = {name: level for level, names in RATING_NAMES.items() for name in names}

ASSESSMENT_NAMES = {
    "met": ("met", "dat", "achieved", "hoan_thanh", "da_dat"),
    "near": ("near", "co_ban_dat", "dat_mot_phan", "partly", "partly_achieved", "mot_phan"),
    "missed": ("missed", "chua_dat", "khong_dat", "not_yet", "not_achieved"),
}
_ASSESSMENT_BY_NAME = {n: code for code, names in ASSESSMENT_NAMES.items() for n in names}


def parse_rating(cell: Cell) -> int | None:
    number, percent = parse_number(cell)
    if number is not None and not percent:
        return int(number) if number in (1.0, 2.0, 3.0, 4.0) else None
    if isinstance(cell, str):
        return _RATING_BY_NAME.get(fold(cell))
    return None


def parse_assessment(cell: Cell) -> str | None:
    if isinstance(cell, str):
        return _ASSESSMENT_BY_NAME.get(fold(cell))
    return None


def show(cell: Cell) -> str:
    """A cell as the user typed it, for messages."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)
