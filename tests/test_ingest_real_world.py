"""Files as offices really send them import to the same data as the clean file.

Every ``tests/data/good/wide_2025_*`` file (and the long one) carries the same numbers in
another encoding, layout or program's dialect; see tests/data/good/README.md.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest

from src.store import queries, storage
from tests.conftest import run_cli_at
from tests.ingest_support import GOOD, copy_db, export, run

CLEAN = "wide_2025_clean.csv"
SAME_NUMBERS = [
    "wide_2025_utf8_bom_crlf.csv",
    "wide_2025_excel_unicode_text.txt",
    "wide_2025_libreoffice_cp1258.csv",
    "wide_2025_libreoffice.xlsx",
    "wide_2025_openpyxl.xlsx",
    "long_2025_vietnamese_aliases.csv",
]


@pytest.fixture(scope="module")
def demo_before(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The demo database's export."""
    tmp = tmp_path_factory.mktemp("before")
    return export(copy_db(demo_db, tmp), tmp)


@pytest.fixture(scope="module")
def after_clean(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The export after importing the clean UTF-8 file, through the real command line."""
    tmp = tmp_path_factory.mktemp("clean")
    db = copy_db(demo_db, tmp)
    result = run_cli_at(db, "import", str(GOOD / CLEAN))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return export(db, tmp)


def test_every_real_world_file_is_covered() -> None:
    names = {p.name for p in GOOD.iterdir()} - {"README.md"}
    assert names == {CLEAN, *SAME_NUMBERS, "organisations_nfd_names.csv"}


def test_the_clean_file_puts_its_85_numbers_into_the_export(
    demo_before: bytes, after_clean: bytes
) -> None:
    rows = list(csv.reader(io.StringIO((GOOD / CLEAN).read_text(encoding="utf-8"))))
    header, data = rows[0], rows[1:]
    expected = {
        f"{row[0]},{row[1]},{code},{value}".encode()
        for row in data
        for code, value in zip(header[2:], row[2:], strict=True)
    }
    assert len(expected) == 85
    assert expected <= set(after_clean.splitlines())
    assert after_clean != demo_before


@pytest.mark.parametrize("name", SAME_NUMBERS)
def test_real_world_file_imports_the_same_numbers_as_the_clean_file(
    name: str, demo_db: Path, tmp_path: Path, after_clean: bytes
) -> None:
    db = copy_db(demo_db, tmp_path)

    result = run(db, "import", str(GOOD / name))

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert " +" in result.stdout and "~" in result.stdout, result.stdout
    assert export(db, tmp_path) == after_clean


@pytest.mark.parametrize("name", [CLEAN, *SAME_NUMBERS])
def test_dry_run_of_a_real_world_file_says_85_values(
    name: str, demo_db: Path, tmp_path: Path
) -> None:
    db = copy_db(demo_db, tmp_path)
    result = run(db, "import", "--dry-run", str(GOOD / name), lang="en")
    assert result.returncode == 0, result.stderr
    counts = re.search(r" \+(\d+) ~(\d+) =(\d+) \(dry run", result.stdout)
    assert counts, result.stdout
    assert sum(int(n) for n in counts.groups()) == 85


def test_organisation_names_written_in_nfd_are_stored_in_nfc(demo_db: Path, tmp_path: Path) -> None:
    db = copy_db(demo_db, tmp_path)
    raw = (GOOD / "organisations_nfd_names.csv").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFD", raw) and not unicodedata.is_normalized("NFC", raw)

    result = run(db, "import", str(GOOD / "organisations_nfd_names.csv"))

    assert result.returncode == 0, result.stderr
    con = storage.connect(db)
    try:
        names = queries.organisations(con).set_index("org_code")["name"].to_dict()
    finally:
        con.close()
    assert names["CQ-16"] == "Đảng bộ Sở Nông nghiệp và Môi trường"
    assert names["CQ-17"] == "Chi bộ Sở Tài nguyên và Môi trường (sáp nhập)"
    assert names["CQ-43"] == "Chi bộ Sở Dân tộc và Tôn giáo"
    for name in names.values():
        assert unicodedata.is_normalized("NFC", name), name
