"""An upload's header: which column is which (contract names, Vietnamese aliases,
indicator names), what kind of file it is, and the columns it cannot read."""

from __future__ import annotations

from src.domain.models import Indicator
from src.ingest import values as v
from src.ingest.cells import cell_at
from src.ingest.checks import Checker
from src.ingest.read import Table, column_letter

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "year": ("year", "nam", "nam_bao_cao"),
    "org_code": ("org_code", "ma_to_chuc", "ma_tc"),
    "indicator_code": ("indicator_code", "ma_chi_so"),
    "value": ("value", "gia_tri", "so_lieu"),
    "name": ("name", "ten_to_chuc", "ten"),
    "kind": ("kind", "loai", "loai_to_chuc"),
    "parent_code": ("parent_code", "ma_cap_tren"),
    "group": ("group", "khoi"),
    "active_from": ("active_from", "tu_nam"),
    "active_to": ("active_to", "den_nam"),
    "goal_code": ("goal_code", "ma_chi_tieu"),
    "status": ("status", "ket_qua", "danh_gia", "trang_thai"),
    "note": ("note", "ghi_chu", "nhan_xet"),
    "resolution_code": ("resolution_code", "ma_nghi_quyet"),
}


_ALIAS = {alias: canon for canon, aliases in COLUMN_ALIASES.items() for alias in aliases}
KIND_COLUMNS = {
    "long": ("year", "org_code", "indicator_code", "value"),
    "assessments": ("year", "goal_code", "status"),
    "organisations": ("org_code", "name", "kind"),
    "wide": ("year", "org_code"),
}


WIDE_IGNORED = {"name", "note", "group", "kind"}  # columns a wide file may carry, unread


def indicator_names(indicators: list[Indicator]) -> dict[str, str]:
    """Folded header name → indicator code (the code, its Vietnamese name, its aliases)."""
    out: dict[str, str] = {}
    for i in indicators:
        for name in (i.code, i.name_vi, i.name_en, *i.aliases):
            out.setdefault(v.fold(name), i.code)
    return out


def map_header(
    header: list[str], indicators: list[Indicator]
) -> tuple[dict[str, int], dict[str, int], list[tuple[int, str]]]:
    """(standard column → index, indicator code → index, unrecognised (index, header))."""
    std: dict[str, int] = {}
    ind: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    by_name = indicator_names(indicators)
    for index, raw in enumerate(header):
        folded = v.fold(raw)
        if not folded:
            continue
        if folded in _ALIAS and _ALIAS[folded] not in std:
            std[_ALIAS[folded]] = index
        elif folded in by_name and by_name[folded] not in ind:
            ind[by_name[folded]] = index
        else:
            unknown.append((index, raw))
    return std, ind, unknown


def detect_kind(std: dict[str, int], ind: dict[str, int]) -> tuple[str | None, list[str]]:
    """The kind of file and the required columns it lacks."""
    cols = set(std)
    for kind in ("long", "assessments"):
        if set(KIND_COLUMNS[kind]) <= cols:
            return kind, []
    # a year and indicator columns make a wide file even with a name and a kind beside the
    # code (columns of the template an organisations file also has; it has no year)
    if {"year", "org_code"} <= cols and ind:
        return "wide", []
    if set(KIND_COLUMNS["organisations"]) <= cols:
        return "organisations", []
    # Not complete: guess from the most telling column, to name what is missing.
    if "indicator_code" in cols or "value" in cols:
        kind = "long"
    elif "goal_code" in cols:
        kind = "assessments"
    elif cols & {"kind", "parent_code", "name", "active_from", "active_to"} and "year" not in cols:
        kind = "organisations"
    elif ind:
        kind = "wide"
    else:
        return None, []
    return kind, [c for c in KIND_COLUMNS[kind] if c not in cols]


def unread_columns(
    header: list[str], std: dict[str, int], ind: dict[str, int], kind: str
) -> list[int]:
    """Columns of a long or wide file that are not read (their indexes), but for those that
    describe the row (a name, a note beside the code: WIDE_IGNORED): whatever they hold
    would be lost without a word. A wide file refuses the named ones; a long file reads
    only its four columns; a column without a name is read by neither."""
    read = {std[c] for c in ("year", "org_code", "indicator_code", "value") if c in std}
    if kind == "wide":
        read |= set(ind.values())
    quiet = {std[c] for c in WIDE_IGNORED if c in std}
    return [i for i in range(len(header)) if i not in read and i not in quiet]


def unread_with_data(table: Table, unread: list[int], check: Checker) -> None:
    """A warning (the file is still read) for each unread column holding any cell, named by
    its header, or by its letter when it has none."""
    for index in unread:
        if all(v.is_blank(cell_at(row, index)) for row in table.rows):
            continue
        name = table.header[index]
        if v.fold(name):
            check.add("w_ignored_column", 1, name, severity="warning")
        else:
            check.add("w_ignored_unnamed", 1, column_letter(index + 1), severity="warning")


def repeated_columns(header: list[str], indicators: list[Indicator]) -> list[int]:
    """Columns meaning one already seen (same name, or an alias of it); their indexes."""
    by_name = indicator_names(indicators)
    seen: set[str] = set()
    repeated = []
    for index, raw in enumerate(header):
        folded = v.fold(raw)
        meaning = _ALIAS[folded] if folded in _ALIAS else by_name.get(folded, folded)
        if folded and meaning in seen:
            repeated.append(index)
        seen.add(meaning)
    return repeated


def duplicate_columns(table: Table, indicators: list[Indicator], check: Checker) -> set[int]:
    repeated = repeated_columns(table.header, indicators)
    for index in repeated:
        check.add("e_duplicate_column", 1, table.header[index], column=table.header[index])
    return set(repeated)
