"""The upload template writes numbers as the upload reads them back (issue 14).

The template's notes say a "." separates thousands (1.234 is a thousand two hundred and
thirty-four), so a count written "28.0" reads oddly to the person filling it in, and an
amount of 1.234 written "1.234" would come back a thousand times bigger. Counts are written
bare ("28"); a decimal with a "." and never exactly three digits after it ("1.2340").
A template downloaded and sent back unchanged is clean and changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from src.ingest import prepare
from src.ingest.values import read_number
from src.services import templates
from src.store import storage
from tests.conftest import load
from tests.ingest_support import copy_db
from tests.test_indicators_as_data import CODE, install, new_resolution

Con = duckdb.DuckDBPyConnection

FIXED = 3  # columns before the indicators: Năm, Mã tổ chức, Tên tổ chức


@pytest.fixture
def demo_con(demo_db: Path, tmp_path: Path) -> Iterator[Con]:
    con = storage.connect(copy_db(demo_db, tmp_path))
    yield con
    con.close()


def number_cells(data: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return [cell for row in rows[1:] for cell in row[FIXED:] if cell]


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_csv_template_writes_whole_counts_without_a_decimal_part(
    demo_con: Con, year: int
) -> None:
    cells = number_cells(templates.template_csv(demo_con, year))
    assert cells, "the demo holds values for the year"
    assert [c for c in cells if not re.fullmatch(r"\d+", c)] == []


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_template_downloaded_and_sent_back_is_clean_and_changes_nothing(
    demo_con: Con, kind: str
) -> None:
    write = templates.template_csv if kind == "csv" else templates.template_xlsx
    data = write(demo_con, 2024)
    for bulk in (True, False):
        plan = prepare(demo_con, data, f"mau-so-lieu-2024.{kind}", bulk=bulk)
        assert plan.ok, [p.render("en") for p in plan.problems]
        assert not plan.warnings, [p.render("en") for p in plan.warnings]
        assert (plan.added, plan.changed) == (0, 0)
        assert plan.unchanged > 500
        plan.release()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_amounts_come_back_from_the_template_exactly_as_they_are_held(
    org_con: Con, kind: str
) -> None:
    """1.234 (a thousand two hundred and thirty-four if written so), 12.5, a whole 40 and
    0.0005: each written so that the upload reads the very number held."""
    install(org_con, new_resolution("decimal"))
    amounts = {"A": 1.234, "B": 12.5, "C": 40.0, "D": 0.0005}
    held = "".join(f"2024,{org},{CODE},1\n" for org in amounts)
    load(org_con, "year,org_code,indicator_code,value\n" + held)
    with storage.transaction(org_con) as cur:  # as decimal uploads would store them
        for org, amount in amounts.items():
            cur.execute(
                "UPDATE observations SET value = ? WHERE org_code = ? AND indicator_code = ?",
                [amount, org, CODE],
            )
    write = templates.template_csv if kind == "csv" else templates.template_xlsx
    data = write(org_con, 2024, "NQ-THU")
    if kind == "csv":
        cells = number_cells(data)
        assert {"1.2340", "12.5", "40"} <= set(cells), cells
        for cell in cells:
            number, _, issue = read_number(cell)
            assert issue is None and number is not None, cell
    else:
        ws = load_workbook(io.BytesIO(data)).worksheets[0]
        column = [row[-1] for row in ws.iter_rows(min_row=2, values_only=True)]
        assert 40 in column and all(type(c) is not float or not c.is_integer() for c in column)
    for bulk in (True, False):
        plan = prepare(org_con, data, f"mau.{kind}", bulk=bulk)
        assert plan.ok, [p.render("en") for p in plan.problems]
        assert (plan.added, plan.changed) == (0, 0), plan.changes.to_dict("records")
        plan.release()


@pytest.mark.parametrize(
    "value", [28.0, 1234.0, 1.234, 999.125, 0.001, 12.5, 0.1 + 0.2, 1e-7, 123456789.125]
)
def test_a_number_written_by_the_csv_template_reads_back_as_that_number(value: float) -> None:
    text = templates.csv_number(value)
    number, percent, issue = read_number(text)
    assert (issue, percent) == (None, False) and number is not None, text
    assert float(number) == value, text
    assert "e" not in text.lower() and (not value.is_integer() or text.isdigit()), text
