"""The fast path for CSV files (src/ingest/bulk.py) gives the plan the general path gives.

``prepare(..., bulk=True)`` (the default) lets DuckDB read, check and diff a long or wide CSV
file it finds completely clean; anything else (a bad cell, an unknown code, a repeated key, a rule
broken, a year an organisation was not active, quotes, a blank line in the middle) is left to
the general Python path, which names every problem with its row and column. These tests
build files as bytes in every form offices send them and check that:

- a clean file gives the same plan both ways, and does take the bulk path (``plan.diffed``);
- a dirty file gives the same problems both ways (the bulk path gives up);
- every consistency rule of the data contract is enforced from the default entry point;
- the observations stay unique by key after applying, undoing and re-applying files (the
  primary key index was dropped on purpose: uniqueness holds by construction);
- a big clean file takes the bulk path and applies.

Wide files (one row per organisation and year, one column per indicator, an empty cell a
number not reported) are checked the same way, in sections 1b, 2b and 5b.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import duckdb
import pandas as pd
import pytest

from src.ingest import apply, prepare, undo
from src.ingest.checks import Plan
from src.ingest.values import fold
from src.store import queries
from tests.conftest import ORGS_CSV, load, make_db

Con = duckdb.DuckDBPyConnection
T = TypeVar("T")
Row = tuple[str, str, str, str]  # year, org_code, indicator_code, value: cells as typed

HEADER = ("year", "org_code", "indicator_code", "value")
HEADER_VI = ("Năm", "Mã tổ chức", "Mã chỉ số", "Giá trị")

# Values held before each clean file is read: the file changes three, leaves three as they
# were and adds ten.
HELD = """year,org_code,indicator_code,value
2024,A,members_total,1200
2024,A,new_members,1
2024,A,org_rating,3
2024,ROOT,classes_candidates,3
2023,A,members_total,12
2023,A,members_rated,10
2023,C,members_total,45
"""

# A clean long file, as typed: every organisation kind, the root's own indicators, counts,
# a flag, ratings, parts within their wholes and four ratings adding up to members_rated.
BASE: list[Row] = [
    ("2024", "A", "members_total", "1234"),  # changed (1200)
    ("2024", "A", "new_members", "1"),  # unchanged
    ("2024", "A", "org_rating", "2"),  # changed (3)
    ("2024", "A", "inspected", "1"),
    ("2024", "B", "members_total", "20"),
    ("2024", "B", "members_studied", "18"),
    ("2024", "C1", "staff_total", "30"),
    ("2024", "D", "new_members", "0"),
    ("2024", "ROOT", "committee_rating", "1"),
    ("2024", "ROOT", "classes_candidates", "3"),  # unchanged
    ("2023", "A", "members_rated", "10"),  # unchanged
    ("2023", "A", "members_excellent", "2"),
    ("2023", "A", "members_good", "5"),
    ("2023", "A", "members_completed", "3"),
    ("2023", "A", "members_not_completed", "0"),
    ("2023", "C", "members_total", "50"),  # changed (45)
]
BASE_VALUES = {(int(y), o, i, float(v)) for y, o, i, v in BASE}
BASE_COUNTS = (10, 3, 3)  # added, changed, unchanged

# Indicators written as people write them: the Vietnamese name, or one of its aliases.
NAMES_VI = {
    "members_total": "Tổng số đảng viên",
    "org_rating": "Xếp loại tổ chức đảng",
    "new_members": "Số đảng viên kết nạp mới",
    "committee_rating": "Xếp loại Đảng bộ",
    "members_excellent": "htxsnv",
    "staff_total": "tong so cbccvc",
    "members_studied": "Số đảng viên được học tập, quán triệt nghị quyết",  # a comma: not ","
}


# ---------------------------------------------------------------------------------------
# building files


def text_of(
    rows: Sequence[tuple[str, ...]],
    *,
    header: tuple[str, ...] = HEADER,
    delimiter: str = ",",
    newline: str = "\n",
    end: str = "",
) -> str:
    """The rows as a CSV text, exactly as given: no quoting (cells must not need any)."""
    lines = [delimiter.join(header), *(delimiter.join(r) for r in rows)]
    return newline.join(lines) + newline + end


def named(rows: list[Row], names: dict[str, str] = NAMES_VI) -> list[Row]:
    """The indicator codes replaced by Vietnamese names and aliases, where there is one."""
    return [(y, o, names.get(i, i), v) for y, o, i, v in rows]


def with_value(rows: list[Row], code: str, value: str) -> list[Row]:
    """The value of the first row of an indicator written another way."""
    first = next(n for n, r in enumerate(rows) if r[2] == code)
    return [(y, o, i, value if n == first else v) for n, (y, o, i, v) in enumerate(rows)]


def padded(rows: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Spaces and non-breaking spaces around the cells, as copied from a web page."""
    pads = [(" ", " "), ("\u00a0", ""), ("  ", "\u00a0"), ("", " \u00a0 ")]
    out = []
    for n, row in enumerate(rows):
        out.append(
            tuple(f"{pads[(n + k) % 4][0]}{c}{pads[(n + k) % 4][1]}" for k, c in enumerate(row))
        )
    return out


def shuffled(rows: Sequence[T]) -> list[T]:
    out = list(rows)
    random.Random(20240).shuffle(out)
    return out


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed letters where the code page
    has them (â, ê, ô, ơ, ư, ă, đ), tone marks as combining characters."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], list(decomposed[1:])
        for order in itertools.permutations(marks):
            for i in range(len(order), -1, -1):
                head = unicodedata.normalize("NFC", base + "".join(order[:i]))
                try:
                    out += head.encode("cp1258") + "".join(order[i:]).encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
            else:
                continue
            break
        else:
            raise AssertionError(f"{ch!r} cannot be written in Windows-1258")
    return bytes(out)


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


BOM = b"\xef\xbb\xbf"
VI_TEXT = text_of(named(BASE), header=HEADER_VI, delimiter=";")  # Vietnamese, for encodings

# name → (the file's bytes, whether the bulk path must take it)
CLEAN: dict[str, tuple[bytes, bool]] = {
    "utf8": (utf8(text_of(BASE)), True),
    "utf8_bom": (BOM + utf8(text_of(BASE)), True),
    "crlf": (utf8(text_of(BASE, newline="\r\n")), True),
    "bom_crlf": (BOM + utf8(text_of(BASE, newline="\r\n")), True),
    "semicolon": (utf8(text_of(BASE, delimiter=";")), True),
    "tab": (utf8(text_of(BASE, delimiter="\t")), True),
    "spaces_and_nbsp_around_cells": (
        utf8(
            text_of(padded(BASE), header=(" year", "org_code\u00a0", " indicator_code ", "value"))
        ),
        True,
    ),
    "spaces_and_nbsp_semicolon_crlf": (
        utf8(text_of(padded(BASE), delimiter=";", newline="\r\n")),
        True,
    ),
    "indicator_names_vi": (
        utf8(text_of(named(BASE, {k: v for k, v in NAMES_VI.items() if "," not in v}))),
        True,
    ),
    "indicator_names_vi_with_commas_semicolon": (utf8(text_of(named(BASE), delimiter=";")), True),
    "header_aliases_vi": (utf8(text_of(BASE, header=HEADER_VI)), True),
    "header_aliases_vi_ascii": (
        utf8(text_of(BASE, header=("nam", "ma_to_chuc", "ma_chi_so", "gia_tri"))),
        True,
    ),
    # a count with leading zeros is not in its plainest form: the general path's parser reads it
    "leading_zeros": (utf8(text_of(with_value(BASE, "members_total", "01234"))), True),
    "thousands_dot": (utf8(text_of(with_value(BASE, "members_total", "1.234"))), True),
    "thousands_comma_semicolon": (
        utf8(text_of(with_value(BASE, "members_total", "1,234"), delimiter=";")),
        True,
    ),
    "thousands_comma_tab": (
        utf8(text_of(with_value(BASE, "members_total", "1,234"), delimiter="\t")),
        True,
    ),
    "thousands_space": (
        utf8(text_of(with_value(BASE, "members_total", "1\u00a0234"))),
        True,
    ),
    "ratings_by_name": (
        utf8(
            text_of(
                with_value(
                    with_value(BASE, "org_rating", "Hoàn thành tốt nhiệm vụ"),
                    "committee_rating",
                    "Xuất sắc",
                )
            )
        ),
        True,
    ),
    "trailing_empty_lines": (utf8(text_of(BASE, end="\n\n\n")), True),
    "trailing_empty_lines_crlf": (utf8(text_of(BASE, newline="\r\n", end="\r\n\r\n")), True),
    "no_newline_at_the_end": (utf8(text_of(BASE)[:-1]), True),
    "trailing_delimiter_on_every_line": (
        utf8("\n".join(line + "," for line in text_of(BASE).splitlines()) + "\n"),
        True,
    ),
    "trailing_delimiter_on_data_lines_only": (
        utf8(
            "\n".join(
                line + ("," if n else "") for n, line in enumerate(text_of(BASE).splitlines())
            )
            + "\n"
        ),
        True,
    ),
    "header_with_trailing_empty_cells": (
        utf8(text_of(BASE, header=(*HEADER, "", ""))),
        True,
    ),
    "nfd_text": (utf8(unicodedata.normalize("NFD", VI_TEXT)), True),
    "utf16_le_bom": (VI_TEXT.encode("utf-16"), True),
    "utf16_be_bom": (b"\xfe\xff" + VI_TEXT.encode("utf-16-be"), True),
    "utf16_crlf_tab": (
        text_of(named(BASE), header=HEADER_VI, delimiter="\t", newline="\r\n").encode("utf-16"),
        True,
    ),
    "windows_1258": (cp1258(VI_TEXT.replace("\n", "\r\n")), True),
    "rows_in_random_order": (utf8(text_of(shuffled(BASE))), True),
    "rows_of_delimiters_only": (
        utf8(text_of([*BASE[:3], ("", "", "", ""), *BASE[3:9], ("", "", "", ""), *BASE[9:]])),
        True,
    ),
    "rows_of_delimiters_only_at_the_end": (
        utf8(text_of([*BASE, ("", "", "", ""), ("", "", "", "")])),
        True,
    ),
    "a_line_of_spaces_in_the_middle": (
        utf8(text_of(BASE).replace("\n2024,B,", "\n  \u00a0\n2024,B,", 1)),
        True,
    ),
    "everything_at_once": (
        BOM
        + utf8(
            text_of(
                padded(shuffled(named(with_value(BASE, "members_total", "1,234")))),
                header=(*HEADER_VI, ""),
                delimiter=";",
                newline="\r\n",
                end="\r\n",
            )
        ),
        True,
    ),
    # files the bulk path leaves to the general path
    "quoted_cells": (
        utf8(text_of([tuple(f'"{c}"' for c in r) for r in BASE])),  # type: ignore[misc]
        False,
    ),
    "a_quoted_cell_holding_the_delimiter": (
        utf8(text_of(with_value(BASE, "members_total", '"1,234"'))),
        False,
    ),
    "a_blank_line_in_the_middle": (
        utf8(text_of(BASE).replace("\n2024,B,", "\n\n2024,B,", 1)),
        False,
    ),
    "a_blank_line_in_the_middle_crlf": (
        utf8(text_of(BASE, newline="\r\n").replace("\r\n2024,B,", "\r\n\r\n2024,B,", 1)),
        False,
    ),
    "mixed_line_ends": (
        utf8(text_of(BASE).replace("\n2024,B,", "\r\n2024,B,", 1)),
        False,
    ),
}


# ---------------------------------------------------------------------------------------
# databases


@pytest.fixture(scope="module")
def held_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Con]:
    """The six small organisations of conftest (ROOT, A, B, C with subcell C1, D from 2022)
    and the values of HELD. Shared by the tests that only prepare (prepare writes nothing)."""
    con = make_db(tmp_path_factory.mktemp("bulk") / "held.duckdb")
    load(con, ORGS_CSV, "orgs.csv")
    load(con, HELD, "held.csv")
    yield con
    con.close()


# ---------------------------------------------------------------------------------------
# comparing plans


def problems(plan: Plan) -> list[tuple[str, int | None, str | None, dict[str, object], str]]:
    return [(p.key, p.row, p.column, p.params, p.severity) for p in plan.problems]


def observations(plan: Plan) -> list[tuple[int, str, str, float, int, str]]:
    frame = plan.observation_rows()
    if not isinstance(frame, pd.DataFrame):
        frame = frame.to_pandas()  # the bulk path's pyarrow table
    columns = ["year", "org_code", "indicator_code", "value", "row", "column"]
    return sorted(
        (int(y), str(o), str(i), float(v), int(r), str(c))
        for y, o, i, v, r, c in frame[columns].itertuples(index=False)
    )


def changes(plan: Plan) -> list[tuple[int, str, str, float, float]]:
    frame = plan.changes
    if frame.empty:
        return []
    columns = ["year", "org_code", "indicator_code", "old", "new"]
    return sorted(
        (int(y), str(o), str(i), float(a), float(b))
        for y, o, i, a, b in frame[columns].itertuples(index=False)
    )


def summary(plan: Plan) -> dict[str, Any]:
    """Everything a user or apply sees of a plan of observations."""
    return {
        "ok": plan.ok,
        "kind": plan.kind,
        "counts": (plan.added, plan.changed, plan.unchanged),
        "rows": plan.rows,
        "encoding": plan.encoding,
        "delimiter": plan.delimiter,
        "problems": problems(plan),
        "observations": observations(plan),
        "changes": changes(plan),
    }


def both(con: Con, data: bytes, name: str = "upload.csv") -> tuple[Plan, Plan]:
    return prepare(con, data, name, bulk=True), prepare(con, data, name, bulk=False)


# ---------------------------------------------------------------------------------------
# 1. clean files


@pytest.mark.parametrize("variant", list(CLEAN))
def test_bulk_and_general_paths_give_the_same_plan_for_clean_files(
    variant: str, held_db: Con
) -> None:
    data, takes_bulk = CLEAN[variant]

    fast, general = both(held_db, data, f"{variant}.csv")

    assert general.ok, [p.render("en") for p in general.problems]
    assert general.diffed is False
    assert summary(fast) == summary(general)
    # the file means what BASE means, whatever its form
    assert fast.kind == "long"
    assert (fast.added, fast.changed, fast.unchanged) == BASE_COUNTS
    assert fast.rows == len(BASE)
    assert {(y, o, i, v) for y, o, i, v, _, _ in observations(fast)} == BASE_VALUES
    assert fast.diffed is takes_bulk, (
        "the bulk path was not taken" if takes_bulk else "the bulk path took a file it must not"
    )


def test_the_clean_file_variants_are_really_different_files() -> None:
    assert len({data for data, _ in CLEAN.values()}) == len(CLEAN)


# ---------------------------------------------------------------------------------------
# 1b. clean wide files: a row per organisation and year, a column per indicator

WIDE_CODES = (
    "members_total",
    "members_studied",
    "members_rated",
    "members_excellent",
    "members_good",
    "members_completed",
    "members_not_completed",
    "org_rating",
    "new_members",
    "inspected",
    "staff_total",
    "classes_candidates",
    "committee_rating",
)
Entry = tuple[str, str, dict[str, str]]  # year, org_code, the cells given (code → as typed)

# Against HELD: three values changed, three as they were, 22 added. Every row leaves cells
# empty (not reported): the root reports only its own indicators, the others none of the
# root's; C1 reports a single number.
WIDE_BASE: list[Entry] = [
    (
        "2024",
        "A",
        {
            "members_total": "1234",  # changed (1200)
            "members_studied": "1000",
            "org_rating": "2",  # changed (3)
            "new_members": "1",  # unchanged
            "inspected": "1",
            "staff_total": "30",
        },
    ),
    (
        "2024",
        "B",
        {
            "members_total": "20",
            "members_studied": "18",
            "members_rated": "20",
            "members_excellent": "4",
            "members_good": "10",
            "members_completed": "5",
            "members_not_completed": "1",
            "org_rating": "1",
            "new_members": "0",
            "inspected": "0",
        },
    ),
    ("2024", "C1", {"staff_total": "30"}),
    ("2024", "ROOT", {"classes_candidates": "3", "committee_rating": "1"}),  # 3 unchanged
    (
        "2023",
        "A",
        {
            "members_rated": "10",  # unchanged; within the 12 members held
            "members_excellent": "2",
            "members_good": "5",
            "members_completed": "3",
            "members_not_completed": "0",
        },
    ),
    ("2023", "C", {"members_total": "50", "new_members": "2"}),  # 50 changed (45)
    ("2024", "D", {"new_members": "0", "inspected": "0"}),
]
WIDE_COUNTS = (22, 3, 3)  # added, changed, unchanged

# The Vietnamese names of the indicators (some hold commas: a file of them is not
# comma-separated), and names without commas (aliases) for comma-separated files.
WIDE_NAMES_VI = {
    "members_total": "Tổng số đảng viên",
    "members_studied": "Số đảng viên được học tập, quán triệt nghị quyết",
    "members_rated": "Số đảng viên được đánh giá, xếp loại",
    "members_excellent": "Đảng viên hoàn thành xuất sắc nhiệm vụ",
    "members_good": "Đảng viên hoàn thành tốt nhiệm vụ",
    "members_completed": "Đảng viên hoàn thành nhiệm vụ",
    "members_not_completed": "Đảng viên không hoàn thành nhiệm vụ",
    "org_rating": "Xếp loại tổ chức đảng",
    "new_members": "Số đảng viên kết nạp mới",
    "inspected": "Được kiểm tra, giám sát",
    "staff_total": "Tổng số cán bộ, công chức, viên chức",
    "classes_candidates": "Lớp bồi dưỡng LLCT cho đối tượng kết nạp Đảng",
    "committee_rating": "Xếp loại Đảng bộ",
}
WIDE_NAMES_VI_NO_COMMA = {code: name for code, name in WIDE_NAMES_VI.items() if "," not in name} | {
    "members_studied": "Đảng viên học tập",
    "members_rated": "Đảng viên được xếp loại",
    "inspected": "Được kiểm tra",
    "staff_total": "tong so cbccvc",
}
ORG_NAMES = {
    "ROOT": "Đảng bộ Thử nghiệm",
    "A": "Chi bộ A",
    "B": "Chi bộ B",
    "C": "Đảng bộ C",
    "C1": "Chi bộ C1",
    "D": "Chi bộ D",
}


class Wide:
    """A wide file before it is written: its header and its rows, cells as typed."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.header = tuple(header)
        self.rows = [tuple(r) for r in rows]

    @classmethod
    def of(cls, entries: list[Entry] = WIDE_BASE, codes: Sequence[str] = WIDE_CODES) -> Wide:
        rows = [(y, o, *(cells.get(c, "") for c in codes)) for y, o, cells in entries]
        return cls(("year", "org_code", *codes), rows)

    def text(self, **layout: Any) -> str:
        return text_of(self.rows, header=self.header, **layout)

    def data(self, **layout: Any) -> bytes:
        return utf8(self.text(**layout))

    def renamed(self, names: dict[str, str]) -> Wide:
        return Wide([names.get(h, h) for h in self.header], self.rows)

    def reordered(self, order: Sequence[str]) -> Wide:
        """The columns in another order (by their header), all of them."""
        assert sorted(order) == sorted(self.header)
        at = [self.header.index(h) for h in order]
        return Wide(order, [[r[i] for i in at] for r in self.rows])

    def with_column(self, name: str, cells: Sequence[str], at: int | None = None) -> Wide:
        at = len(self.header) if at is None else at
        rows = [(*r[:at], c, *r[at:]) for r, c in zip(self.rows, cells, strict=True)]
        return Wide((*self.header[:at], name, *self.header[at:]), rows)

    def with_cell(self, year: str, org: str, column: str, value: str) -> Wide:
        """One cell written another way (the column by its header)."""
        k = self.header.index(column)
        y, o = self._at("year", "nam"), self._at("org_code", "ma_to_chuc")
        hits = [n for n, r in enumerate(self.rows) if (r[y], r[o]) == (year, org)]
        assert len(hits) == 1, (year, org)
        rows = [
            (*r[:k], value, *r[k + 1 :]) if n == hits[0] else r for n, r in enumerate(self.rows)
        ]
        return Wide(self.header, rows)

    def padded(self) -> Wide:
        return Wide(padded([self.header])[0], padded(self.rows))

    def shuffled(self) -> Wide:
        return Wide(self.header, shuffled(self.rows))

    def _at(self, *names: str) -> int:
        """The column of the year or of the organisation, however its header is written."""
        return next(k for k, h in enumerate(self.header) if fold(h) in names)

    def org_names(self) -> list[str]:
        o = self._at("org_code", "ma_to_chuc")
        return [ORG_NAMES[r[o]] for r in self.rows]


def wide_values(entries: list[Entry]) -> set[tuple[int, str, str, float]]:
    return {(int(y), o, c, float(x)) for y, o, cells in entries for c, x in cells.items()}


def wide_counts(entries: list[Entry]) -> tuple[int, int, int]:
    """Added, changed and unchanged against HELD."""
    held = {(int(y), o, i): float(x) for y, o, i, x in (r.split(",") for r in HELD.split()[1:])}
    values = sorted(wide_values(entries))
    old = [held.get((y, o, i)) for y, o, i, _ in values]
    new = [x for *_, x in values]
    added = sum(1 for a in old if a is None)
    same = sum(1 for a, b in zip(old, new, strict=True) if a == b)
    return added, len(new) - added - same, same


WIDE = Wide.of()
# Vietnamese everywhere: header aliases, indicator names, organisation names
WIDE_VI = (
    WIDE.renamed({"year": "Năm", "org_code": "Mã tổ chức", **WIDE_NAMES_VI})
    .with_column("Tên tổ chức", WIDE.org_names(), at=2)
    .with_column("Ghi chú", ["đã rà soát", "", "số liệu sơ bộ", "", "", "bổ sung", ""])
)
WIDE_VI_TEXT = WIDE_VI.text(delimiter=";")
# content other than WIDE_BASE: (entries, the file)
SPARSE: list[Entry] = [
    ("2024", "A", {"members_total": "1234", "org_rating": "2"}),  # members_studied etc. left out
    WIDE_BASE[1],
    ("2024", "C1", {}),  # nothing reported at all
    ("2024", "ROOT", {"committee_rating": "1"}),
    WIDE_BASE[4],
    ("2023", "C", {"members_total": "50"}),
    ("2024", "D", {"inspected": "0"}),
]
SPLIT_ROWS: list[Entry] = [  # one organisation and year over two rows, no value given twice
    ("2024", "A", {"members_total": "1234", "org_rating": "2"}),
    *WIDE_BASE[1:],
    ("2024", "A", {"members_studied": "1000", "new_members": "1", "inspected": "1"}),
    ("2024", "A", {"staff_total": "30"}),
]
ONLY_TOTALS: list[Entry] = [
    ("2024", "A", {"members_total": "1234"}),
    ("2023", "C", {"members_total": "50"}),
]
WIDE_CONTENT: dict[str, list[Entry]] = {
    "only_the_columns_given": ONLY_TOTALS,
    "cells_not_reported_and_a_row_reporting_nothing": SPARSE,
    "one_organisation_and_year_over_three_rows": SPLIT_ROWS,
}

# name → (the file's bytes, whether the bulk path must take it; None: either is right)
CLEAN_WIDE: dict[str, tuple[bytes, bool | None]] = {
    "utf8": (WIDE.data(), True),
    "utf8_bom": (BOM + WIDE.data(), True),
    "crlf": (WIDE.data(newline="\r\n"), True),
    "bom_crlf": (BOM + WIDE.data(newline="\r\n"), True),
    "semicolon": (WIDE.data(delimiter=";"), True),
    "tab": (WIDE.data(delimiter="\t"), True),
    "header_aliases_vi": (WIDE.renamed({"year": "Năm", "org_code": "Mã tổ chức"}).data(), True),
    "header_aliases_vi_ascii": (
        WIDE.renamed({"year": "nam", "org_code": "ma_to_chuc"}).data(),
        True,
    ),
    "indicator_names_vi_semicolon": (WIDE.renamed(WIDE_NAMES_VI).data(delimiter=";"), True),
    "indicator_names_vi_and_aliases_comma": (WIDE.renamed(WIDE_NAMES_VI_NO_COMMA).data(), True),
    "indicator_names_vi_tab": (WIDE.renamed(WIDE_NAMES_VI).data(delimiter="\t"), True),
    "codes_and_names_mixed": (
        WIDE.renamed({k: WIDE_NAMES_VI_NO_COMMA[k] for k in WIDE_CODES[::2]}).data(),
        True,
    ),
    "columns_in_another_order": (
        WIDE.reordered(["org_code", *WIDE_CODES[7:], "year", *reversed(WIDE_CODES[:7])]).data(),
        True,
    ),
    "columns_in_another_order_vi": (
        WIDE_VI.reordered(
            [
                WIDE_NAMES_VI["org_rating"],
                "Tên tổ chức",
                "Mã tổ chức",
                *(WIDE_NAMES_VI[c] for c in WIDE_CODES if c != "org_rating"),
                "Ghi chú",
                "Năm",
            ]
        ).data(delimiter=";"),
        True,
    ),
    "cells_not_reported_and_a_row_reporting_nothing": (Wide.of(SPARSE).data(), True),
    "one_organisation_and_year_over_three_rows": (Wide.of(SPLIT_ROWS).data(), None),
    "only_the_columns_given": (
        Wide.of(ONLY_TOTALS, ["members_total"]).data(),
        True,
    ),
    "name_and_note_columns": (
        WIDE.with_column("name", WIDE.org_names(), at=2)
        .with_column("note", ["rà soát lại", "", "", "gửi   muộn", "", "95%", "-1"])
        .data(),
        True,
    ),
    "name_and_note_columns_vi_aliases": (
        WIDE.with_column("ten_to_chuc", WIDE.org_names(), at=0)
        .with_column("ghi_chu", ["", "#N/A", "", "", "không rõ", "", ""])
        .data(),
        True,
    ),
    "group_and_kind_columns": (
        WIDE.with_column("Khối", ["Khối 1", "Khối 1", "Khối 2", "", "Khối 1", "Khối 2", "2"])
        .with_column("kind", ["chi bộ", "chi bộ", "chi bộ", "", "", "đảng bộ", ""], at=2)
        .data(),
        True,
    ),
    # both a name and a kind, as an organisations file has: the year and the indicators
    # make it a wide file all the same
    "name_and_kind_columns": (
        WIDE.with_column("name", WIDE.org_names(), at=0)
        .with_column("kind", ["chi bộ", "chi bộ", "chi bộ", "", "", "đảng bộ", ""], at=1)
        .data(),
        True,
    ),
    "spaces_and_nbsp_around_cells": (WIDE.padded().data(), True),
    "spaces_and_nbsp_semicolon_crlf_vi": (
        WIDE_VI.padded().data(delimiter=";", newline="\r\n"),
        True,
    ),
    "thousands_dot": (WIDE.with_cell("2024", "A", "members_total", "1.234").data(), True),
    "thousands_comma_semicolon": (
        WIDE.with_cell("2024", "A", "members_total", "1,234").data(delimiter=";"),
        True,
    ),
    "thousands_space": (
        WIDE.with_cell("2024", "A", "members_total", "1\u00a0234").data(),
        True,
    ),
    "ratings_by_name": (
        WIDE.with_cell("2024", "A", "org_rating", "Hoàn thành tốt nhiệm vụ")
        .with_cell("2024", "B", "org_rating", "xuất sắc")
        .with_cell("2024", "ROOT", "committee_rating", "HTXSNV")
        .data(),
        True,
    ),
    "rows_in_random_order": (WIDE.shuffled().data(), True),
    "nfd_text": (utf8(unicodedata.normalize("NFD", WIDE_VI_TEXT)), True),
    "utf16_le_bom": (WIDE_VI_TEXT.encode("utf-16"), True),
    "utf16_be_bom": (b"\xfe\xff" + WIDE_VI_TEXT.encode("utf-16-be"), True),
    "utf16_crlf_tab": (WIDE_VI.text(delimiter="\t", newline="\r\n").encode("utf-16"), True),
    "windows_1258": (cp1258(WIDE_VI.text(delimiter=";", newline="\r\n")), True),
    "trailing_empty_lines": (WIDE.data(end="\n\n\n"), True),
    "trailing_empty_lines_crlf": (WIDE.data(newline="\r\n", end="\r\n\r\n"), True),
    "no_newline_at_the_end": (WIDE.data()[:-1], True),
    "rows_of_delimiters_only": (
        Wide(
            WIDE.header,
            [*WIDE.rows[:2], ("",) * len(WIDE.header), *WIDE.rows[2:5], ("",) * len(WIDE.header)]
            + WIDE.rows[5:],
        ).data(),
        True,
    ),
    "rows_of_delimiters_only_at_the_end": (
        Wide(WIDE.header, [*WIDE.rows, ("",) * len(WIDE.header), ("",) * len(WIDE.header)]).data(
            delimiter=";"
        ),
        True,
    ),
    "a_line_of_spaces_in_the_middle": (
        utf8(WIDE.text().replace("\n2024,C1,", "\n  \u00a0\n2024,C1,", 1)),
        True,
    ),
    "trailing_delimiter_on_every_line": (
        utf8("\n".join(line + "," for line in WIDE.text().splitlines()) + "\n"),
        True,
    ),
    "trailing_delimiter_on_data_lines_only_semicolon": (
        utf8(
            "\n".join(
                line + (";" if n else "")
                for n, line in enumerate(WIDE.text(delimiter=";").splitlines())
            )
            + "\n"
        ),
        True,
    ),
    "header_with_trailing_empty_cells": (
        Wide(WIDE.header + ("", ""), [(*r, "", "") for r in WIDE.rows]).data(),
        True,
    ),
    "everything_at_once": (
        BOM
        + WIDE_VI.with_cell("2024", "A", WIDE_NAMES_VI["members_total"], "1.234")
        .with_cell("2024", "A", WIDE_NAMES_VI["org_rating"], "Hoàn thành tốt nhiệm vụ")
        .reordered(
            [
                "Mã tổ chức",
                "Tên tổ chức",
                *(WIDE_NAMES_VI[c] for c in reversed(WIDE_CODES)),
                "Năm",
                "Ghi chú",
            ]
        )
        .shuffled()
        .padded()
        .data(delimiter=";", newline="\r\n", end=";;\r\n\r\n"),
        True,
    ),
    # files the bulk path leaves to the general path
    "quoted_cells": (Wide(WIDE.header, [[f'"{c}"' for c in r] for r in WIDE.rows]).data(), False),
    "a_quoted_name_holding_the_delimiter": (
        WIDE.with_column("name", [f'"{n}, Khối 1"' for n in WIDE.org_names()], at=2).data(),
        False,
    ),
    "a_blank_line_in_the_middle": (
        utf8(WIDE.text().replace("\n2024,C1,", "\n\n2024,C1,", 1)),
        False,
    ),
    "a_blank_line_in_the_middle_crlf": (
        utf8(WIDE.text(newline="\r\n").replace("\r\n2024,C1,", "\r\n\r\n2024,C1,", 1)),
        False,
    ),
    # one CRLF in a LF file: DuckDB reads it as Python does (the line ends in an empty
    # cell) or refuses it (the general path reads it); the plan is the same either way
    "mixed_line_ends": (utf8(WIDE.text().replace("\n2024,C1,", "\r\n2024,C1,", 1)), None),
    "mixed_line_ends_after_a_value": (
        utf8(WIDE.text().replace("\n2023,A,", "\r\n2023,A,", 1)),  # after the root's "1"
        None,
    ),
}


@pytest.mark.parametrize("variant", list(CLEAN_WIDE))
def test_bulk_and_general_paths_give_the_same_plan_for_clean_wide_files(
    variant: str, held_db: Con
) -> None:
    data, takes_bulk = CLEAN_WIDE[variant]
    entries = WIDE_CONTENT.get(variant, WIDE_BASE)

    fast, general = both(held_db, data, f"{variant}.csv")

    assert general.ok, [p.render("en") for p in general.problems]
    assert general.diffed is False
    assert summary(fast) == summary(general)
    # the file means what its content means, whatever its form
    assert fast.kind == "wide"
    assert (fast.added, fast.changed, fast.unchanged) == wide_counts(entries)
    assert fast.rows == len(entries)
    assert {(y, o, i, v) for y, o, i, v, _, _ in observations(fast)} == wide_values(entries)
    if takes_bulk is not None:
        assert fast.diffed is takes_bulk, (
            "the bulk path was not taken" if takes_bulk else "the bulk path took a file it must not"
        )


def test_the_csv_template_as_downloaded_takes_the_bulk_path(held_db: Con) -> None:
    """The upload template as CSV (src/services/templates.py), sent back as it was downloaded: the
    values held for 2024, a column per indicator under its Vietnamese name."""
    from src.services.templates import template_csv

    data = template_csv(held_db, 2024)

    fast, general = both(held_db, data, "template.csv")

    assert general.ok, [p.render("en") for p in general.problems]
    assert summary(fast) == summary(general)
    assert fast.kind == "wide"
    assert (fast.added, fast.changed, fast.unchanged) == (0, 0, 4)
    assert fast.diffed is True, "the template does not take the bulk path"


def test_the_clean_wide_file_variants_are_really_different_files() -> None:
    assert len({data for data, _ in CLEAN_WIDE.values()}) == len(CLEAN_WIDE)
    assert wide_counts(WIDE_BASE) == WIDE_COUNTS


def test_observations_of_a_wide_file_name_the_cell_they_come_from(held_db: Con) -> None:
    """Row as the spreadsheet numbers it, column as the header is written (stripped, NFC)."""
    data = CLEAN_WIDE["columns_in_another_order_vi"][0]

    fast, general = both(held_db, data, "vi.csv")

    expected = {
        (2024, "A", "members_total", 1234.0, 2, "Tổng số đảng viên"),
        (2024, "C1", "staff_total", 30.0, 4, "Tổng số cán bộ, công chức, viên chức"),
        (2024, "ROOT", "committee_rating", 1.0, 5, "Xếp loại Đảng bộ"),
        (2023, "C", "new_members", 2.0, 7, "Số đảng viên kết nạp mới"),
    }
    assert expected <= set(observations(general))
    assert observations(fast) == observations(general)


# ---------------------------------------------------------------------------------------
# 2. dirty files

GOOD_ROWS: list[Row] = [("2024", "B", "new_members", "2"), ("2024", "C1", "inspected", "0")]


def dirty(*bad: Row, before: list[Row] = GOOD_ROWS, **layout: Any) -> bytes:
    """Two good rows (rows 2 and 3), then the bad ones from row 4."""
    return utf8(text_of([*before, *bad], **layout))


# name → (file, the problem that must be among those named: key, row, column)
DIRTY: dict[str, tuple[bytes, tuple[str, int, str | None]]] = {
    "unknown_org": (dirty(("2024", "Z9", "new_members", "1")), ("e_unknown_org", 4, "org_code")),
    "blank_org": (dirty(("2024", "", "new_members", "1")), ("e_required", 4, "org_code")),
    "unknown_indicator": (
        dirty(("2024", "A", "so_dang_vien_nu", "3")),
        ("e_unknown_indicator", 4, "indicator_code"),
    ),
    "blank_indicator": (dirty(("2024", "A", "", "3")), ("e_required", 4, "indicator_code")),
    "blank_value": (dirty(("2024", "A", "new_members", "")), ("e_required", 4, "value")),
    "spaces_only_value": (
        dirty(("2024", "A", "new_members", " \u00a0 ")),
        ("e_required", 4, "value"),
    ),
    "negative": (dirty(("2024", "A", "new_members", "-2")), ("e_negative", 4, "value")),
    "decimal_count": (dirty(("2024", "A", "members_total", "26.5")), ("e_not_whole", 4, "value")),
    "text_in_a_count": (
        dirty(("2024", "A", "members_total", "khoảng 18")),
        ("e_not_number", 4, "value"),
    ),
    "percent_in_a_count": (dirty(("2024", "A", "new_members", "95%")), ("e_percent", 4, "value")),
    "excel_error": (dirty(("2024", "A", "new_members", "#DIV/0!")), ("e_excel_error", 4, "value")),
    "flag_2": (dirty(("2024", "A", "inspected", "2")), ("e_flag", 4, "value")),
    "rating_5": (dirty(("2024", "A", "org_rating", "5")), ("e_rating", 4, "value")),
    "rating_0": (dirty(("2024", "A", "org_rating", "0")), ("e_rating", 4, "value")),
    "rating_unknown_name": (dirty(("2024", "A", "org_rating", "Khá")), ("e_rating", 4, "value")),
    "year_1800": (dirty(("1800", "A", "new_members", "1")), ("e_year_range", 4, "year")),
    "year_next_decade": (dirty(("2052", "A", "new_members", "1")), ("e_year_range", 4, "year")),
    "year_fy22": (dirty(("FY22", "A", "new_members", "1")), ("e_year", 4, "year")),
    "blank_year": (dirty(("", "A", "new_members", "1")), ("e_required", 4, "year")),
    "repeated_key": (
        dirty(("2024", "A", "new_members", "1"), ("2024", "A", "new_members", "2")),
        ("e_duplicate_key", 5, "value"),
    ),
    "repeated_key_by_indicator_name": (
        dirty(("2024", "A", "new_members", "1"), ("2024", "A", "Số đảng viên kết nạp mới", "1")),
        ("e_duplicate_key", 5, "value"),
    ),
    "root_only_indicator_on_a_cell": (
        dirty(("2024", "A", "committee_rating", "1")),
        ("e_root_only", 4, "value"),
    ),
    "org_indicator_on_the_root": (
        dirty(("2024", "ROOT", "members_total", "5")),
        ("e_org_only", 4, "value"),
    ),
    "extra_non_blank_cell": (
        utf8(text_of(GOOD_ROWS) + "2024,A,new_members,1,oops\n"),
        ("e_extra_cells", 4, None),
    ),
    "extra_cell_under_an_empty_header_cell": (
        utf8(
            text_of(
                [(*r, "") for r in GOOD_ROWS],  # type: ignore[misc]
                header=(*HEADER, ""),
            )
            + "2024,A,new_members,1,oops\n"
        ),
        ("e_extra_cells", 4, None),
    ),
    "short_row_missing_its_value": (
        utf8(text_of(GOOD_ROWS) + "2024,A,new_members\n"),
        ("e_required", 4, "value"),
    ),
    "year_before_the_org_was_founded": (  # a warning: the plan stays ok
        dirty(("2021", "D", "new_members", "1")),
        ("w_inactive_org", 4, "value"),
    ),
    "part_exceeds_whole": (
        dirty(("2022", "B", "members_total", "10"), ("2022", "B", "members_studied", "11")),
        ("e_part_exceeds", 5, "value"),
    ),
    "quotes_in_the_file": (
        utf8(text_of(GOOD_ROWS) + '2024,"A",new_members,"-1"\n'),
        ("e_negative", 4, "value"),
    ),
    "a_quoted_decimal_comma": (
        utf8(text_of(GOOD_ROWS) + '2024,A,members_total,"26,5"\n'),
        ("e_not_whole", 4, "value"),
    ),
    "a_blank_line_in_the_middle": (
        utf8(text_of(GOOD_ROWS) + "\n2024,A,new_members,-1\n"),
        ("e_negative", 5, "value"),
    ),
    "rows_of_delimiters_before_the_bad_row": (
        utf8(text_of(GOOD_ROWS) + ",,,\n,,,\n2024,A,new_members,-1\n"),
        ("e_negative", 6, "value"),
    ),
    "vietnamese_header_semicolon_crlf": (
        utf8(
            text_of(
                [*GOOD_ROWS, ("2024", "A", "Tổng số đảng viên", "1.234,5")],
                header=HEADER_VI,
                delimiter=";",
                newline="\r\n",
            )
        ),
        ("e_not_whole", 4, "Giá trị"),
    ),
    "many_mistakes": (
        dirty(
            ("2024", "Z9", "new_members", "1"),
            ("2024", "A", "inspected", "2"),
            ("FY22", "A", "org_rating", "5"),
            ("2024", "B", "new_members", "3"),
        ),
        ("e_duplicate_key", 7, "value"),
    ),
}


def test_a_value_for_a_year_the_organisation_was_not_active_is_a_warning(held_db: Con) -> None:
    plan = prepare(held_db, DIRTY["year_before_the_org_was_founded"][0], "d.csv")

    assert plan.ok
    assert [(p.key, p.row, p.params["org"], p.params["year"]) for p in plan.warnings] == [
        ("w_inactive_org", 4, "D", 2021)
    ]
    assert (plan.added, plan.changed, plan.unchanged) == (3, 0, 0)


# ---------------------------------------------------------------------------------------
# 2b. dirty wide files

DW_CODES = ("members_total", "members_studied", "new_members", "inspected", "org_rating")
GOOD_WIDE: list[Entry] = [
    ("2024", "B", {"members_total": "20", "members_studied": "18", "new_members": "2"}),
    ("2024", "C1", {"inspected": "0", "org_rating": "2"}),
]
RATED_CODES = (
    "members_total",
    "members_rated",
    "members_excellent",
    "members_good",
    "members_completed",
    "members_not_completed",
)


def dirty_wide(*bad: Entry, codes: Sequence[str] = DW_CODES, **layout: Any) -> bytes:
    """Two good rows (rows 2 and 3), then the bad ones from row 4."""
    return Wide.of([*GOOD_WIDE, *bad], codes).data(**layout)


def dirty_wide_with(column: str, cells: Sequence[str], at: int | None = None) -> bytes:
    """The good rows and a good row 4 (2024, A), with one more column."""
    good = Wide.of([*GOOD_WIDE, ("2024", "A", {"new_members": "1"})], DW_CODES)
    return good.with_column(column, cells, at).data()


# name → (file, the problem that must be among those named: key, row, column)
DIRTY_WIDE: dict[str, tuple[bytes, tuple[str, int, str | None]]] = {
    "unknown_column": (dirty_wide_with("foo", ["1", "", "2"]), ("e_unknown_column", 1, "foo")),
    "unknown_column_left_empty": (
        dirty_wide_with("so_dang_vien_nu", ["", "", ""], at=2),
        ("e_unknown_column", 1, "so_dang_vien_nu"),
    ),
    "a_value_column": (dirty_wide_with("value", ["", "3", ""]), ("e_unknown_column", 1, "value")),
    "an_indicator_code_column": (
        dirty_wide_with("indicator_code", ["new_members", "", ""]),
        ("e_unknown_column", 1, "indicator_code"),
    ),
    "an_organisation_file_column": (
        dirty_wide_with("parent_code", ["ROOT", "C", "ROOT"]),
        ("e_unknown_column", 1, "parent_code"),
    ),
    "an_indicator_by_code_and_by_name": (
        dirty_wide_with("Tổng số đảng viên", ["20", "", ""]),
        ("e_duplicate_column", 1, "Tổng số đảng viên"),
    ),
    "an_indicator_by_code_and_by_alias": (
        dirty_wide_with("ket nap moi", ["", "", "1"], at=2),
        ("e_duplicate_column", 1, "new_members"),
    ),
    "the_year_twice": (dirty_wide_with("nam", ["2024"] * 3), ("e_duplicate_column", 1, "nam")),
    "no_org_code_column": (
        utf8(text_of([("2024", "1")], header=("year", "new_members"))),
        ("e_missing_column", 1, "org_code"),
    ),
    "header_only": (
        utf8(",".join(("year", "org_code", *DW_CODES)) + "\n"),
        ("e_header_only", 1, None),
    ),
    "unknown_org": (
        dirty_wide(("2024", "Z9", {"new_members": "1"})),
        ("e_unknown_org", 4, "org_code"),
    ),
    "blank_org": (dirty_wide(("2024", "", {"new_members": "1"})), ("e_required", 4, "org_code")),
    "blank_org_nothing_reported": (dirty_wide(("2024", "", {})), ("e_required", 4, "org_code")),
    "blank_year": (dirty_wide(("", "A", {"new_members": "1"})), ("e_required", 4, "year")),
    "year_fy22": (dirty_wide(("FY22", "A", {"new_members": "1"})), ("e_year", 4, "year")),
    "year_1800": (dirty_wide(("1800", "A", {"new_members": "1"})), ("e_year_range", 4, "year")),
    "negative": (
        dirty_wide(("2024", "A", {"new_members": "-2"})),
        ("e_negative", 4, "new_members"),
    ),
    "decimal_count": (
        dirty_wide(("2024", "A", {"members_total": "26.5"})),
        ("e_not_whole", 4, "members_total"),
    ),
    "percent_in_a_count": (
        dirty_wide(("2024", "A", {"new_members": "95%"})),
        ("e_percent", 4, "new_members"),
    ),
    "text_in_a_count": (
        dirty_wide(("2024", "A", {"members_total": "khoảng 18"})),
        ("e_not_number", 4, "members_total"),
    ),
    "excel_error": (
        dirty_wide(("2024", "A", {"new_members": "#DIV/0!"})),
        ("e_excel_error", 4, "new_members"),
    ),
    "flag_2": (dirty_wide(("2024", "A", {"inspected": "2"})), ("e_flag", 4, "inspected")),
    "rating_5": (dirty_wide(("2024", "A", {"org_rating": "5"})), ("e_rating", 4, "org_rating")),
    "rating_unknown_name": (
        dirty_wide(("2024", "A", {"org_rating": "Khá"})),
        ("e_rating", 4, "org_rating"),
    ),
    "root_only_indicator_on_a_cell": (
        dirty_wide(
            ("2024", "A", {"new_members": "1", "classes_candidates": "2"}),
            codes=(*DW_CODES, "classes_candidates"),
        ),
        ("e_root_only", 4, "classes_candidates"),
    ),
    "org_indicator_on_the_root": (
        dirty_wide(("2024", "ROOT", {"new_members": "1"})),
        ("e_org_only", 4, "new_members"),
    ),
    "the_same_org_and_year_on_two_rows": (
        dirty_wide(
            ("2024", "A", {"members_total": "30", "new_members": "1"}),
            ("2024", "A", {"members_total": "31", "inspected": "1"}),
        ),
        ("e_duplicate_key", 5, "members_total"),
    ),
    "the_same_row_twice": (
        dirty_wide(*[("2024", "A", {"members_total": "30", "new_members": "1"})] * 2),
        ("e_duplicate_key", 5, "new_members"),
    ),
    "part_exceeds_whole_in_a_row": (
        dirty_wide(("2024", "A", {"members_total": "10", "members_studied": "11"})),
        ("e_part_exceeds", 4, "members_studied"),
    ),
    "part_exceeds_a_whole_held": (  # 2023, A: 12 members held
        dirty_wide(("2023", "A", {"members_studied": "13"})),
        ("e_part_exceeds", 4, "members_studied"),
    ),
    "ratings_not_adding_up": (
        dirty_wide(
            (
                "2022",
                "A",
                {
                    "members_total": "20",
                    "members_rated": "10",
                    "members_excellent": "2",
                    "members_good": "3",
                    "members_completed": "3",
                    "members_not_completed": "1",
                },
            ),
            codes=RATED_CODES,
        ),
        ("e_ratings_sum", 4, "members_rated"),
    ),
    "ratings_not_adding_up_to_members_rated_held": (  # 2023, A: 10 rated held
        dirty_wide(
            (
                "2023",
                "A",
                {
                    "members_excellent": "2",
                    "members_good": "5",
                    "members_completed": "3",
                    "members_not_completed": "1",
                },
            ),
            codes=RATED_CODES,
        ),
        ("e_ratings_sum", 4, "members_excellent"),
    ),
    "year_before_the_org_was_founded": (  # a warning: the plan stays ok
        dirty_wide(("2021", "D", {"new_members": "1", "inspected": "1"})),
        ("w_inactive_org", 4, "new_members"),
    ),
    "extra_non_blank_cell": (
        utf8(Wide.of(GOOD_WIDE, DW_CODES).text() + "2024,A,,,1,,,oops\n"),
        ("e_extra_cells", 4, None),
    ),
    "extra_cell_under_an_empty_header_cell": (
        Wide(
            (*Wide.of(GOOD_WIDE, DW_CODES).header, ""),
            [
                *((*r, "") for r in Wide.of(GOOD_WIDE, DW_CODES).rows),
                ("2024", "A", "", "", "1", "", "", "oops"),
            ],
        ).data(),
        ("e_extra_cells", 4, None),
    ),
    "quotes_in_the_file": (
        utf8(Wide.of(GOOD_WIDE, DW_CODES).text() + '2024,"A",,,"-1",,\n'),
        ("e_negative", 4, "new_members"),
    ),
    "a_blank_line_in_the_middle": (
        utf8(Wide.of(GOOD_WIDE, DW_CODES).text() + "\n2024,A,,,-1,,\n"),
        ("e_negative", 5, "new_members"),
    ),
    "rows_of_delimiters_before_the_bad_row": (
        utf8(Wide.of(GOOD_WIDE, DW_CODES).text() + ",,,,,,\n,,,,,,\n2024,A,,,-1,,\n"),
        ("e_negative", 6, "new_members"),
    ),
    "vietnamese_header_semicolon_crlf": (
        Wide.of([*GOOD_WIDE, ("2024", "A", {"members_total": "1.234,5"})], DW_CODES)
        .renamed({"year": "Năm", "org_code": "Mã tổ chức", **WIDE_NAMES_VI})
        .data(delimiter=";", newline="\r\n"),
        ("e_not_whole", 4, "Tổng số đảng viên"),
    ),
    "many_mistakes": (
        dirty_wide(
            ("2024", "Z9", {"new_members": "1"}),
            ("2024", "A", {"inspected": "2", "org_rating": "5", "new_members": "-1"}),
            ("FY22", "A", {"org_rating": "2"}),
            ("2024", "B", {"new_members": "3"}),
        ),
        ("e_duplicate_key", 7, "new_members"),
    ),
}


DIRTY_ALL = {f"long-{k}": v for k, v in DIRTY.items()} | {
    f"wide-{k}": v for k, v in DIRTY_WIDE.items()
}


@pytest.mark.parametrize("variant", list(DIRTY_ALL))
def test_bulk_path_gives_up_on_dirty_files_and_the_general_path_names_every_problem(
    variant: str, held_db: Con
) -> None:
    data, (key, row, column) = DIRTY_ALL[variant]

    fast, general = both(held_db, data, f"{variant}.csv")

    assert fast.diffed is False  # the bulk path gave up
    assert problems(fast) == problems(general)
    assert summary(fast) == summary(general)
    assert (key, row, column) in [(p.key, p.row, p.column) for p in fast.problems], [
        p.render("en") for p in fast.problems
    ]
    assert fast.ok is key.startswith("w_")


def test_the_dirty_wide_file_variants_are_really_different_files() -> None:
    assert len({data for data, _ in DIRTY_WIDE.values()}) == len(DIRTY_WIDE)


# ---------------------------------------------------------------------------------------
# 3. consistency rules


def _part_whole(con: Con) -> list[tuple[str, str]]:
    pairs = [(i.code, i.part_of) for i in queries.indicators(con) if i.part_of]
    assert len(pairs) >= 6, pairs  # the contract names six parts
    return pairs  # type: ignore[return-value]


def _refused(con: Con, data: bytes) -> Plan:
    plan = prepare(con, data, "rules.csv")
    general = prepare(con, data, "rules.csv", bulk=False)
    assert not plan.ok
    assert plan.diffed is False
    assert problems(plan) == problems(general)
    return plan


def test_each_consistency_rule_broken_by_a_file_is_reported_from_the_bulk_entry_point(
    org_con: Con,
) -> None:
    con = org_con
    pairs = _part_whole(con)
    for part, whole in pairs:
        # the part after its whole, then before it: the part's row is named
        for rows, part_row in (
            ([("2022", "B", whole, "10"), ("2022", "B", part, "11")], 3),
            ([("2022", "B", part, "11"), ("2022", "B", whole, "10")], 2),
        ):
            plan = _refused(con, utf8(text_of(rows)))
            assert [(p.key, p.row, p.column) for p in plan.problems] == [
                ("e_part_exceeds", part_row, "value")
            ], (part, whole, [p.render("en") for p in plan.problems])
            assert (plan.problems[0].params["part"], plan.problems[0].params["whole"]) == (
                "11",
                "10",
            )
        # equal is fine, and clean: the bulk path takes it
        plan = prepare(
            con, utf8(text_of([("2022", "B", whole, "10"), ("2022", "B", part, "10")])), "ok.csv"
        )
        assert plan.ok and plan.diffed is True, (part, whole)

    # the four ratings must add up to members_rated: 2 + 3 + 3 + 1 = 9, not 10
    ratings = [
        ("2022", "A", "members_total", "20"),
        ("2022", "A", "members_rated", "10"),
        ("2022", "A", "members_excellent", "2"),
        ("2022", "A", "members_good", "3"),
        ("2022", "A", "members_completed", "3"),
        ("2022", "A", "members_not_completed", "1"),
    ]
    plan = _refused(con, utf8(text_of(ratings)))
    assert [(p.key, p.row, p.column, p.params) for p in plan.problems] == [
        ("e_ratings_sum", 3, "value", {"total": "9", "rated": "10"})
    ]
    plan = prepare(con, utf8(text_of(with_value(ratings, "members_not_completed", "2"))), "ok.csv")
    assert plan.ok and plan.diffed is True


def test_a_rule_broken_against_values_already_held_is_reported_from_the_bulk_entry_point(
    org_con: Con,
) -> None:
    con = org_con
    pairs = _part_whole(con)
    # each pair its own year: its whole held for B, its part held for C1
    held = [(str(2000 + k), "B", whole, "10") for k, (_, whole) in enumerate(pairs)]
    held += [(str(2000 + k), "C1", part, "10") for k, (part, _) in enumerate(pairs)]
    held += [
        ("2022", "A", "members_total", "20"),
        ("2022", "A", "members_rated", "10"),
        ("2022", "A", "members_excellent", "2"),
        ("2022", "A", "members_good", "3"),
        ("2022", "A", "members_completed", "3"),
        ("2022", "A", "members_not_completed", "2"),
    ]
    load(con, text_of(held), "held.csv")

    for k, (part, whole) in enumerate(pairs):
        year = str(2000 + k)
        # only the part comes in the file, the whole is held
        plan = _refused(
            con, utf8(text_of([("2024", "A", "new_members", "1"), (year, "B", part, "11")]))
        )
        assert [(p.key, p.row, p.column) for p in plan.problems] == [
            ("e_part_exceeds", 3, "value")
        ], (part, whole)
        # only the whole comes in the file, below the part held
        plan = _refused(con, utf8(text_of([(year, "C1", whole, "9")])))
        assert [(p.key, p.row, p.column) for p in plan.problems] == [
            ("e_part_exceeds", 2, "value")
        ], (part, whole)
        # within the held whole: clean, and the bulk path takes it
        plan = prepare(con, utf8(text_of([(year, "B", part, "10")])), "ok.csv")
        assert plan.ok and plan.diffed is True, (part, whole)

    # one rating changed in the file: the held ones no longer add up to members_rated
    plan = _refused(con, utf8(text_of([("2022", "A", "members_good", "4")])))
    assert [(p.key, p.row, p.column, p.params) for p in plan.problems] == [
        ("e_ratings_sum", 2, "value", {"total": "11", "rated": "10"})
    ]
    # members_rated changed in the file
    plan = _refused(con, utf8(text_of([("2022", "A", "members_rated", "11")])))
    assert [(p.key, p.row, p.column) for p in plan.problems] == [("e_ratings_sum", 2, "value")]
    # both changed together, still adding up: clean
    plan = prepare(
        con,
        utf8(text_of([("2022", "A", "members_rated", "11"), ("2022", "A", "members_good", "4")])),
        "ok.csv",
    )
    assert plan.ok and plan.diffed is True


RULE_VALUES = [  # the 14 indicators the rules involve, consistent with one another
    ("members_total", "20"),
    ("members_studied", "18"),
    ("members_rated", "10"),
    ("members_excellent", "2"),
    ("members_good", "3"),
    ("members_completed", "3"),
    ("members_not_completed", "2"),
    ("staff_total", "5"),
    ("staff_advanced", "3"),
    ("staff_emulation", "1"),
    ("mass_orgs_total", "4"),
    ("mass_orgs_good", "2"),
    ("units_total", "6"),
    ("units_cultural", "5"),
]


def test_held_values_count_against_a_file_only_where_it_leaves_some_of_the_rules_out(
    org_con: Con,
) -> None:
    """The bulk path looks held values up only for an organisation and year whose file rows
    give some of the 14 values the rules involve and leave others out; it must decide as
    the general path does in the three cases."""
    con = org_con
    # held values that break a rule (written before the rule, or by another tool)
    con.execute(
        "INSERT INTO observations SELECT 2021, 'A', i, v, (SELECT max(batch_id) FROM batches)"
        " FROM (VALUES ('members_total', 20), ('members_studied', 30)) t(i, v)"
    )
    # none of the 14: the held break is not the file's fault
    none_of_them = utf8(text_of([("2021", "A", "new_members", "1")]))
    # all 14: every held one is replaced, and what the file leaves is consistent
    all_of_them = utf8(text_of([("2021", "A", code, value) for code, value in RULE_VALUES]))
    for data in (none_of_them, all_of_them):
        fast, general = both(con, data, "ok.csv")
        assert fast.ok and fast.diffed is True
        assert problems(fast) == problems(general) == []
        assert observations(fast) == observations(general)
        assert (fast.added, fast.changed, fast.unchanged) == (
            general.added,
            general.changed,
            general.unchanged,
        )
    # some of them: the held members_studied stays, above the file's members_total
    plan = _refused(con, utf8(text_of([("2021", "A", "members_total", "25")])))
    assert [(p.key, p.row, p.column) for p in plan.problems] == [("e_part_exceeds", 2, "value")]


# ---------------------------------------------------------------------------------------
# 4. unique keys


def _repeated_keys(con: Con) -> list[tuple[Any, ...]]:
    return con.execute(
        "SELECT year, org_code, indicator_code, count(*) FROM observations"
        " GROUP BY ALL HAVING count(*) > 1"
    ).fetchall()


def _values(con: Con) -> dict[tuple[int, str, str], float]:
    rows = con.execute("SELECT year, org_code, indicator_code, value FROM observations").fetchall()
    return {(int(y), str(o), str(i)): float(v) for y, o, i, v in rows}


def test_observation_keys_stay_unique_after_every_kind_of_write(org_con: Con) -> None:
    con = org_con
    steps: list[str] = []

    def check(step: str) -> None:
        steps.append(step)
        assert _repeated_keys(con) == [], steps

    def put(rows: list[Row], *, bulk: bool, name: str, **layout: Any) -> int:
        data = utf8(text_of(rows, **layout))
        plan = prepare(con, data, name, bulk=bulk)
        assert plan.ok, [p.render("en") for p in plan.errors]
        assert plan.diffed is bulk, name
        batch = apply(con, plan, applied_by="t", data=data).batch_id
        check(f"apply {name}")
        return batch

    years = ["2022", "2023", "2024"]
    orgs = ["A", "B", "C1", "D"]
    first = [(y, o, "new_members", "1") for y in years for o in orgs]
    first += [(y, o, "org_rating", "2") for y in years for o in orgs]
    # overlapping keys: half the first file's, some changed, some as they were, some new
    second = [(y, o, "new_members", "2" if o in "AB" else "1") for y in years for o in orgs]
    second += [(y, o, "inspected", "1") for y in years for o in orgs]
    third = [(y, o, "new_members", "3") for y in years[1:] for o in orgs]
    third += [(y, o, "org_rating", "4") for y in years for o in orgs[:2]]

    b1 = put(first, bulk=True, name="first.csv")
    b2 = put(second, bulk=False, name="second.csv")
    b3 = put(third, bulk=True, name="third.csv")
    assert _values(con)[(2023, "A", "new_members")] == 3.0

    # the same keys again, under another layout (another hash), the other path
    put(third, bulk=False, name="third_again.csv", delimiter=";")
    put(second, bulk=True, name="second_again.csv", delimiter="\t")

    # undoing a batch later ones overwrote needs force
    undo(con, b2, undone_by="t", force=True)
    check("undo second (forced)")
    undo(con, b1, undone_by="t", force=True)
    check("undo first (forced)")
    # re-applying an undone file (same bytes, same hash)
    put(first, bulk=True, name="first.csv")
    put(second, bulk=False, name="second.csv")
    undo(con, b3, undone_by="t", force=True)
    check("undo third (forced)")

    # a plan prepared before another write: re-prepared inside apply from the bytes, or
    # diffed again when apply is given no bytes
    stale_rows = [(y, o, "new_members", "5") for y in years for o in orgs]
    for bulk, give_bytes in ((True, True), (True, False), (False, True), (False, False)):
        data = utf8(
            text_of(
                stale_rows,
                delimiter=";" if bulk else ",",
                newline="\r\n" if give_bytes else "\n",
            )
        )
        stale = prepare(con, data, "stale.csv", bulk=bulk)
        assert stale.ok and stale.diffed is bulk
        bump = [(y, "A", "new_members", str(10 + len(steps))) for y in years]
        put(bump, bulk=not bulk, name=f"bump{len(steps)}.csv")
        batch = apply(con, stale, applied_by="t", data=data if give_bytes else None).batch_id
        check(f"apply a stale plan (bulk={bulk}, bytes={give_bytes})")
        assert _values(con)[(2024, "A", "new_members")] == 5.0
        undo(con, batch, undone_by="t")
        check(f"undo the stale plan (bulk={bulk}, bytes={give_bytes})")

    # a wide file over the same keys
    wide = "year,org_code,new_members,inspected\n" + "".join(
        f"{y},{o},7,0\n" for y in years for o in orgs
    )
    wide_plan = prepare(con, utf8(wide), "wide.csv")
    assert wide_plan.ok and wide_plan.kind == "wide"
    apply(con, wide_plan, applied_by="t", data=utf8(wide))
    check("apply wide")
    assert _values(con)[(2022, "D", "inspected")] == 0.0

    # every batch still applied undone, newest first
    applied = [
        int(r[0])
        for r in con.execute(
            "SELECT batch_id FROM batches WHERE status = 'applied'"
            " AND file_kind IN ('long', 'wide') ORDER BY batch_id DESC"
        ).fetchall()
    ]
    for batch in applied:
        undo(con, batch, undone_by="t", force=True)
        check(f"undo {batch}")


# ---------------------------------------------------------------------------------------
# 5. a big file

BIG_ORGS = 200
BIG_YEARS = list(range(2005, 2025))
BIG_INDICATORS = ["new_members", "inspected", "org_rating", "members_total", "units_total"]


def _big_value(year: int, org: int, indicator: str) -> int:
    n = year * 31 + org * 7 + len(indicator)
    return {"inspected": n % 2, "org_rating": n % 4 + 1}.get(indicator, n % 90)


def test_a_big_clean_file_takes_the_bulk_path_and_applies(con: Con) -> None:
    orgs = "org_code,name,kind,parent_code\nROOT,Đảng bộ,root,\n" + "".join(
        f"X{n:03d},Chi bộ {n},grassroots_cell,ROOT\n" for n in range(BIG_ORGS)
    )
    load(con, orgs, "orgs.csv")
    # some values held already: one in fifty the same, one in fifty changed
    held = [
        (str(y), f"X{o:03d}", i, str(_big_value(y, o, i) + (o % 2 if i != "inspected" else 0)))
        for y in BIG_YEARS[-2:]
        for o in range(0, BIG_ORGS, 4)
        for i in BIG_INDICATORS
        if i != "org_rating"
    ]
    load(con, text_of(held), "held.csv")
    rows = [
        (str(y), f"X{o:03d}", i, str(_big_value(y, o, i)))
        for y in BIG_YEARS
        for o in range(BIG_ORGS)
        for i in BIG_INDICATORS
    ]
    assert len(rows) == 20_000
    raw = BOM + utf8(text_of(rows, delimiter=";", newline="\r\n"))
    before = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    assert before == len(held)

    plan = prepare(con, raw, "big.csv")

    assert plan.ok, [p.render("en") for p in plan.problems]
    assert plan.diffed is True
    assert plan.rows == 20_000
    assert plan.added + plan.changed + plan.unchanged == 20_000
    assert plan.changed == sum(1 for _, o, i, _ in held if int(o[1:]) % 2 and i != "inspected")
    assert plan.unchanged == len(held) - plan.changed
    assert plan.added == 20_000 - len(held)
    general = prepare(con, raw, "big.csv", bulk=False)
    assert (general.added, general.changed, general.unchanged) == (
        plan.added,
        plan.changed,
        plan.unchanged,
    )

    result = apply(con, plan, applied_by="t", data=raw)

    assert (result.added, result.changed, result.unchanged) == (
        plan.added,
        plan.changed,
        plan.unchanged,
    )
    after = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    assert after == before + plan.added == 20_000
    assert _repeated_keys(con) == []
    values = _values(con)
    assert all(values[(int(y), o, i)] == float(v) for y, o, i, v in rows)


# ---------------------------------------------------------------------------------------
# 5b. a big wide file

BIG_WIDE_ORGS = 1000  # (applying an organisation file takes about 2 ms an organisation)
BIG_WIDE_YEARS = ("2022", "2023", "2024")


def _big_wide_cells(org: int, year: str) -> dict[str, int]:
    """The 17 numbers an organisation reports for a year, keeping every rule of the contract."""
    n = org * 7 + int(year) * 3
    total = 20 + n % 80
    rated = total - n % 3
    excellent, good, not_completed = rated // 5, rated // 2, n % 2
    staff = 10 + n % 50
    advanced = staff - n % 7
    units = 1 + n % 5
    return {
        "members_total": total,
        "members_studied": total - n % 5,
        "members_rated": rated,
        "members_excellent": excellent,
        "members_good": good,
        "members_completed": rated - excellent - good - not_completed,
        "members_not_completed": not_completed,
        "org_rating": n % 4 + 1,
        "staff_total": staff,
        "staff_advanced": advanced,
        "staff_emulation": advanced // 3,
        "new_members": n % 6,
        "inspected": n % 2,
        "mass_orgs_total": 3,
        "mass_orgs_good": n % 4,
        "units_total": units,
        "units_cultural": units - n % 2,
    }


def test_a_big_clean_wide_file_takes_the_bulk_path_and_applies(con: Con) -> None:
    per_org = [i for i in queries.indicators(con) if i.level == "org"]
    codes = list(_big_wide_cells(0, "2024"))
    assert sorted(codes) == sorted(i.code for i in per_org) and len(codes) == 17
    names = {i.code: i.name_vi for i in per_org}
    orgs = "org_code,name,kind,parent_code\nROOT,Đảng bộ,root,\n" + "".join(
        f"W{n:04d},Chi bộ {n},grassroots_cell,ROOT\n" for n in range(BIG_WIDE_ORGS)
    )
    load(con, orgs, "orgs.csv")
    # some values held already: in one organisation in ten the same, in one in ten changed
    held = [
        ("2024", f"W{o:04d}", code, str(_big_wide_cells(o, "2024")[code] + (o % 20 == 10)))
        for o in range(0, BIG_WIDE_ORGS, 10)
        for code in ("members_total", "new_members")
    ]
    load(con, text_of(held), "held.csv")
    # the codes of half the columns, the Vietnamese names of the others (but those holding a
    # quote: a file with quotes goes to the general path); the organisation's name and a
    # note, not read; BOM, semicolons, CRLF as Excel writes them
    header = (
        "Năm",
        "Mã tổ chức",
        "Tên tổ chức",
        *(code if k % 2 or '"' in names[code] else names[code] for k, code in enumerate(codes)),
        "Ghi chú",
    )
    rows = [
        (
            year,
            f"W{o:04d}",
            f"Chi bộ {o}",
            *(str(x) for x in _big_wide_cells(o, year).values()),
            "" if o % 3 else "đã duyệt",
        )
        for year in BIG_WIDE_YEARS
        for o in range(BIG_WIDE_ORGS)
    ]
    raw = BOM + utf8(text_of(rows, header=header, delimiter=";", newline="\r\n"))
    before = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    assert before == len(held)

    plan = prepare(con, raw, "big_wide.csv")
    general = prepare(con, raw, "big_wide.csv", bulk=False)

    assert general.ok, [p.render("en") for p in general.problems[:5]]
    assert plan.ok, [p.render("en") for p in plan.problems[:5]]
    assert plan.kind == general.kind == "wide"
    assert plan.rows == general.rows == len(rows) == 3000
    cells = len(rows) * 17
    counts = (plan.added, plan.changed, plan.unchanged)
    assert counts == (general.added, general.changed, general.unchanged)
    assert counts == (cells - len(held), len(held) // 2, len(held) // 2)
    assert observations(plan) == observations(general)
    assert plan.diffed is True

    result = apply(con, plan, applied_by="t", data=raw)

    assert (result.added, result.changed, result.unchanged) == counts
    after = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    assert after == before + plan.added == cells
    assert _repeated_keys(con) == []
    values = _values(con)
    assert all(
        values[(int(year), f"W{o:04d}", code)] == float(x)
        for year in BIG_WIDE_YEARS
        for o in range(BIG_WIDE_ORGS)
        for code, x in _big_wide_cells(o, year).items()
    )


def test_the_bulk_path_strips_what_python_strips() -> None:
    from src.ingest import bulk

    every = "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())
    assert every == bulk.WHITESPACE


def test_a_plan_applied_through_another_connection_writes_into_that_database(
    tmp_path: Any,
) -> None:
    """The bulk path's rows are held on a cursor of the connection that read them; a plan
    applied through another connection must be written into that one, not the first."""
    first, other = make_db(tmp_path / "first.duckdb"), make_db(tmp_path / "other.duckdb")
    try:
        for con in (first, other):
            load(con, ORGS_CSV, "orgs.csv")
        data = utf8(
            text_of([("2024", "A", "members_total", "12"), ("2024", "B", "new_members", "2")])
        )
        plan = prepare(first, data, "values.csv")
        assert plan.diffed and plan.held is not None  # the bulk path took it
        apply(other, plan, applied_by="t", data=data)
        assert _values(other)[(2024, "A", "members_total")] == 12
        assert _values(first) == {}
        assert plan.held is None
    finally:
        first.close()
        other.close()
