"""Cell values as people type them → numbers, years, ratings, codes."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

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

MAX_EXACT = 2**53  # every whole number up to this is held exactly by a float (a DOUBLE)
_SPACES = ("\u00a0", "\u202f", "\u2009", "\u2007")  # spaces offices type between thousands
# ASCII digits only: Python's \d also takes "１２" (full width) or "١٢" (Arabic-Indic) as 12
# (a leading 0 is no group of thousands: "0.123" is a fraction, not 123)
_GROUPED = {
    sep: re.compile(rf"^[1-9]\d{{0,2}}({re.escape(sep)}\d{{3}})+$", re.ASCII)
    for sep in (".", ",", " ")
}
_DIGITS = re.compile(r"^\d+$", re.ASCII)
_NUMBER_LIKE = re.compile(r"^[\d., ]+$", re.ASCII)


def fold(text: str) -> str:
    """Lower case, no diacritics, words joined by ``_``: how headers and names are matched."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def code_key(code: str) -> str:
    """How organisation codes are told apart: not by case, surrounding spaces or Unicode
    form (``cq-01``, `` CQ-01`` and ``CQ-01`` are one organisation to a reader)."""
    return unicodedata.normalize("NFC", code).strip().casefold()


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def excel_error(cell: Cell) -> str | None:
    if isinstance(cell, str) and cell.strip().upper() in EXCEL_ERRORS:
        return cell.strip()
    return None


def parse_number(cell: Cell) -> tuple[float | None, bool]:
    """A number and whether it carried a ``%``; ``(None, False)`` when it is not a number, or
    not a finite one (see :func:`read_number` for why)."""
    number, percent, issue = read_number(cell)
    if number is None or issue is not None:
        return None, False
    return float(number), percent


def read_number(cell: Cell) -> tuple[Decimal | None, bool, str | None]:
    """A number exactly as given, whether it carried a ``%``, and what is wrong with it (a
    message key) when it is no number: ``e_not_number``, ``e_bad_grouping`` (thousands
    separators not in groups of three, or two decimal marks: ``1,2,3.0``), or
    ``e_number_too_big`` (infinite, or past what a float holds exactly: 1e308, twenty
    digits). A number is never stored other than it was written.

    Accepts ``1.234`` and ``1,234`` as thousands (the indicators are whole numbers),
    ``1.234,5`` / ``1,234.5`` with both marks, ``1 234`` with spaces, a decimal comma."""
    if isinstance(cell, bool):
        return Decimal(int(cell)), False, None
    if isinstance(cell, int | float):
        if isinstance(cell, float) and math.isnan(cell):
            return None, False, "e_not_number"
        return _checked(Decimal(cell), False)
    if cell is None:
        return None, False, "e_not_number"
    text = cell.strip()
    for space in _SPACES:
        text = text.replace(space, " ")
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    negative = text[:1] == "-"
    if text[:1] in "+-":
        text = text[1:].lstrip()
    if not text or not _NUMBER_LIKE.match(text):
        return None, False, "e_not_number"
    digits = _plain_digits(text)
    if digits is None:
        return None, False, "e_bad_grouping"
    number = Decimal(digits)
    return _checked(-number if negative else number, percent)


def _plain_digits(text: str) -> str | None:
    """``1.234.567,5`` → ``1234567.5``: the decimal mark is the last of ``.``/``,`` when both
    are there; one mark given once is the thousands mark when three digits follow it
    (``1.234``), else the decimal mark. What is left of the mark must be plain digits or
    digits in groups of three; None when it is not (a wrongly grouped number)."""
    marks = [m for m in ".," if m in text]
    decimal: str | None = None
    if len(marks) == 2:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
    elif marks and text.count(marks[0]) == 1 and not _GROUPED[marks[0]].match(text):
        decimal = marks[0]
    whole, _, fraction = text.partition(decimal) if decimal else (text, "", "")
    if decimal and not _DIGITS.match(fraction):
        return None
    separators = {ch for ch in whole if not ch.isdigit()}
    if len(separators) > 1:
        return None
    if separators:
        (separator,) = separators
        if not _GROUPED[separator].match(whole):
            return None
        whole = whole.replace(separator, "")
    if not _DIGITS.match(whole):
        return None
    return f"{whole}.{fraction}" if decimal else whole


def _checked(number: Decimal, percent: bool) -> tuple[Decimal | None, bool, str | None]:
    if not number.is_finite() or abs(number) > MAX_EXACT:
        return None, percent, "e_number_too_big"
    return number, percent, None


def parse_year(cell: Cell) -> int | None:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell if 1000 <= cell <= 9999 else None
    if isinstance(cell, str) and re.fullmatch(r"\d{4}(\.0+)?", cell.strip()):
        return int(cell.strip()[:4])
    return None


def year_bounds() -> tuple[int, int]:
    """The plausible years of an upload; those of an installed resolution are accepted too
    (src/ingest/plan.py, ``upload_years``)."""
    return 1990, date.today().year + 1


def year_spans(years: Iterable[int] = ()) -> list[tuple[int, int]]:
    """The years accepted, the plausible ones (:func:`year_bounds`) and ``years``, as
    spans of consecutive years (first, last), in order: what a message names."""
    low, high = year_bounds()
    spans: list[tuple[int, int]] = []
    for year in sorted({*range(low, high + 1), *years}):
        if spans and year == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], year)
        else:
            spans.append((year, year))
    return spans


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
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e16:
        return str(int(cell))  # not 1e308 as three hundred digits
    return "" if cell is None else str(cell)
