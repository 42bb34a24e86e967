"""Installing a resolution workbook (docs/resolutions.md): a batch in the history, undoable;
a new version replaces its goals and keeps every value; export and import give the same
resolution; its goals computed as the spec says, on the command line too."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from src import config
from src.engine import progress
from src.ingest import IngestError, UndoConflictError, UndoDependentsError, resolutions, undo
from src.ingest import resolution_book as rb
from src.store import catalogue, queries
from tests.conftest import load
from tests.ingest_support import Result

EXAMPLE = rb.EXAMPLE_CODE

ORGS = """org_code,name,kind,parent_code,group,active_from,active_to
ROOT,Đảng bộ Thử nghiệm,root,,,,
A,Chi bộ A,grassroots_cell,ROOT,,,
B,Chi bộ B,grassroots_cell,ROOT,,,
N,Chi bộ N (thành lập 2026),grassroots_cell,ROOT,,2026,
"""

# 2025 (the base year) and 2026: A and B report both years, N only 2026.
VALUES = """year,org_code,indicator_code,value
2025,A,members_total,100
2025,B,members_total,50
2026,A,members_total,104
2026,B,members_total,52
2026,N,members_total,20
2026,A,new_members,4
2026,B,new_members,2
2026,N,new_members,20
2025,A,units_total,10
2025,A,units_cultural,4
2026,A,units_total,10
2026,A,units_cultural,5
2025,ROOT,grdp,1000
2026,ROOT,grdp,1085
"""


def install_example(
    con: duckdb.DuckDBPyConnection, doc: object = None
) -> resolutions.InstallResult:
    doc = doc or rb.example_doc()
    data = rb.write_book(doc)  # type: ignore[arg-type]
    found = rb.read_book(data, "vi-du.xlsx", queries.indicators(con))
    assert found.doc is not None, [p.render("en") for p in found.errors]
    return resolutions.install(con, found.doc, "vi-du.xlsx", data, "test")


def rows(
    con: duckdb.DuckDBPyConnection, year: int, code: str = EXAMPLE
) -> dict[str, dict[str, object]]:
    table = progress.progress_table(con, year, None, code)
    return {str(r["goal_code"]): r for r in table.to_dict("records")}


def test_installing_is_a_batch_in_the_history_and_undo_removes_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    before = [r.code for r in queries.resolutions(con)]
    result = install_example(con)
    assert result.version == 1 and result.added == len(rb.example_doc().goals)
    batch = queries.batches(con).iloc[0]
    assert (batch["batch_id"], batch["file_kind"], batch["status"]) == (
        result.batch_id,
        "resolution",
        "applied",
    )
    assert EXAMPLE in [r.code for r in queries.resolutions(con)]
    own = [i.code for i in queries.indicators(con) if i.resolution_code == EXAMPLE]
    assert own == [i.code for i in rb.example_doc().indicators]
    undo(con, result.batch_id, "test")
    assert [r.code for r in queries.resolutions(con)] == before
    assert not [i for i in queries.indicators(con) if i.resolution_code == EXAMPLE]
    assert not queries.goals(con, EXAMPLE)


def test_the_same_workbook_twice_is_refused_and_changes_nothing(
    con: duckdb.DuckDBPyConnection,
) -> None:
    install_example(con)
    version = queries.resolution_versions(con)[EXAMPLE]
    with pytest.raises(IngestError):  # the same file, or one with the same content
        install_example(con)
    assert queries.resolution_versions(con)[EXAMPLE] == version


def test_a_new_version_replaces_the_goals_keeps_every_value_and_undo_puts_the_first_back(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load(con, ORGS, "orgs.csv")
    first = install_example(con)
    load(con, VALUES)
    values = len(queries.observations_long(con))
    doc = rb.example_doc()
    goals = tuple(replace(g, target=5.0) if g.code == "A1" else g for g in doc.goals[:-1])
    second = install_example(con, replace(doc, goals=goals))
    assert second.version == 2 and (second.changed, second.removed) == (1, 1)
    assert len(queries.observations_long(con)) == values  # every value kept
    assert {g.code: g.target for g in queries.goals(con, EXAMPLE)}["A1"] == 5.0
    assert rows(con, 2026)["A1"]["status"] == "near"  # 6 / 150 = 4%: 1 point short of 5%
    with pytest.raises(UndoConflictError):
        undo(con, first.batch_id, "test")  # the later version stands: undo that first
    undo(con, second.batch_id, "test")
    assert {g.code: g.target for g in queries.goals(con, EXAMPLE)}["A1"] == 3.0
    assert queries.resolution_versions(con)[EXAMPLE][0] == 1
    assert len(queries.goals(con, EXAMPLE)) == len(doc.goals)


def test_undo_is_refused_while_values_read_an_indicator_only_it_defined(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load(con, ORGS, "orgs.csv")
    first = install_example(con)
    load(con, VALUES)  # grdp is the example's own indicator
    with pytest.raises(UndoDependentsError):
        undo(con, first.batch_id, "test")
    assert EXAMPLE in [r.code for r in queries.resolutions(con)]


def test_export_and_import_again_give_the_same_resolution(con: duckdb.DuckDBPyConnection) -> None:
    install_example(con)
    for code in (EXAMPLE, "DBCQ-BK-2020-2025"):
        installed = queries.resolution_doc(con, code)
        assert installed is not None
        for lang in ("vi", "en"):
            again = rb.read_book(rb.write_book(installed, lang), "x.xlsx", queries.indicators(con))
            assert again.doc is not None, [p.render("en") for p in again.errors]
            expected = replace(
                installed, resolution=replace(installed.resolution, is_default=False)
            )
            assert again.doc == expected


def test_the_seed_ships_as_the_toml_its_workbook_reads_back_from(
    con: duckdb.DuckDBPyConnection,
) -> None:
    path = config.CATALOGUE_DIR / "dbcq-bac-kan-2020-2025.toml"
    shipped = catalogue.load_resolution_doc(path)
    installed = queries.resolution_doc(con, shipped.resolution.code)
    assert installed is not None
    assert [g.code for g in installed.goals] == [g.code for g in shipped.goals]
    again = rb.read_book(rb.write_book(installed), "seed.xlsx", queries.indicators(con))
    assert again.doc is not None
    assert again.doc.goals == installed.goals


def test_example_goals_are_computed_as_the_spec_says(con: duckdb.DuckDBPyConnection) -> None:
    load(con, ORGS, "orgs.csv")
    install_example(con)
    load(con, VALUES)
    r = rows(con, 2026)
    # A1: new members / members at the start of the year; N (founded 2026) has no 2025 roll
    assert r["A1"]["actual"] == pytest.approx(100 * 6 / 150)
    assert (r["A1"]["reported"], r["A1"]["expected"]) == (2, 3)
    assert r["A1"]["status"] == "met"
    # A3: admissions 90-100 a year, a sum over everyone who reported: 4 + 2 + 20
    assert r["A3"]["actual"] == 26.0 and r["A3"]["status"] == "missed"
    # B1: growth of the root's GRDP, 1085 / 1000 − 1 = 8.5%, between 8 and 9
    assert r["B1"]["actual"] == pytest.approx(8.5) and r["B1"]["status"] == "met"
    # A5: cultural units by 2030: 40% in 2025 → 60% in 2030, so 44% is the way in 2026
    assert r["A5"]["actual"] == pytest.approx(50.0)
    assert r["A5"]["pace_target"] == pytest.approx(44.0)
    assert (r["A5"]["status"], r["A5"]["pace_status"]) == ("missed", "on_track")
    # the same through a selection (computed, not kept)
    sel = progress.progress_table(con, 2026, ["A", "N"], EXAMPLE)
    a1 = sel[sel["goal_code"] == "A1"].iloc[0]
    assert a1["actual"] == pytest.approx(4.0)


def test_each_cell_shows_its_own_share_of_last_years_members_in_the_scorecard(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load(con, ORGS, "orgs.csv")
    install_example(con)
    load(con, VALUES)
    card = progress.scorecard(con, 2026, None, EXAMPLE)
    a1 = card[card["goal_code"] == "A1"].set_index("org_code")
    # A: 4 new / 100 members at the start of 2026; B: 2 / 50; N was founded in 2026
    assert a1.loc["A", "actual"] == pytest.approx(4.0)
    assert a1.loc["B", "actual"] == pytest.approx(4.0)
    assert a1.loc["A", "denominator"] == 100.0
    assert a1.loc["N", "status"] == "no_data"
    # A2 reads the members at the start of the term (2025, the base year): 70 / 100
    load(
        con,
        "year,org_code,indicator_code,value\n2026,A,members_excellent,10\n2026,A,members_good,60\n",
        "rated.csv",
    )
    card = progress.scorecard(con, 2026, None, EXAMPLE)
    a2 = card[card["goal_code"] == "A2"].set_index("org_code")
    assert (a2.loc["A", "denominator"], a2.loc["A", "actual"]) == (100.0, pytest.approx(70.0))
    # one cell's profile over the term reads the same year references
    profile = progress.cell_profile(con, "A", EXAMPLE)
    mine = profile[(profile["goal_code"] == "A1") & (profile["year"] == 2026)]
    assert mine["actual"].tolist() == pytest.approx([4.0])


def _table(result: Result) -> dict[str, dict[str, str]]:
    return {r["goal_code"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_the_command_line_installs_lists_exports_and_reports_progress(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    book = tmp_path / "vi-du.xlsx"
    book.write_bytes(rb.write_book(rb.example_doc()))
    orgs, values = tmp_path / "orgs.csv", tmp_path / "values.csv"
    orgs.write_text(ORGS, encoding="utf-8")
    values.write_text(VALUES, encoding="utf-8")
    assert run_cli("init").returncode == 0
    dry = run_cli("resolution", "import", str(book), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Tỷ lệ: số đảng viên kết nạp mới / tổng số đảng viên đầu năm" in dry.stdout
    listed = run_cli("resolution", "list", "--format", "csv")
    assert EXAMPLE not in listed.stdout  # a dry run installs nothing
    assert run_cli("resolution", "import", str(book)).returncode == 0
    listed = run_cli("resolution", "list", "--format", "csv")
    found = {r["code"]: r for r in csv.DictReader(io.StringIO(listed.stdout))}
    assert found[EXAMPLE]["goals"] == str(len(rb.example_doc().goals))
    assert (found[EXAMPLE]["term_start"], found[EXAMPLE]["term_end"]) == ("2025", "2030")
    assert run_cli("import", str(orgs)).returncode == 0
    assert run_cli("import", str(values)).returncode == 0
    out = run_cli("progress", "--year", "2026", "--resolution", EXAMPLE)
    assert out.returncode == 0, out.stderr
    table = _table(out)
    assert float(table["A1"]["actual"]) == pytest.approx(4.0)
    assert table["A1"]["actual"] == "4"
    assert table["B1"]["actual"].startswith("8.5")
    assert "," not in table["A5"]["pace_target"] and float(
        table["A5"]["pace_target"]
    ) == pytest.approx(44)
    assert table["A3"]["target_max"] == "100"
    unknown = run_cli("progress", "--year", "2026", "--resolution", "NOPE")
    assert unknown.returncode == 2 and EXAMPLE in unknown.stderr  # names those installed
    exported = tmp_path / "out.xlsx"
    assert run_cli("resolution", "export", EXAMPLE, "--out", str(exported)).returncode == 0
    again = run_cli("resolution", "import", str(exported), "--dry-run")
    assert again.returncode == 0 and "phiên bản 2" in again.stdout


def test_a_broken_workbook_is_refused_naming_sheet_row_and_column_and_installs_nothing(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    doc = rb.example_doc()
    goals = tuple(
        replace(g, comparison="between", target_max=None) if g.code == "A1" else g
        for g in doc.goals
    )
    book = tmp_path / "hong.xlsx"
    book.write_bytes(rb.write_book(replace(doc, goals=goals)))
    assert run_cli("init").returncode == 0
    out = run_cli("resolution", "import", str(book))
    assert out.returncode == 1
    assert "Chỉ tiêu" in out.stderr and "dòng 2" in out.stderr
    assert EXAMPLE not in run_cli("resolution", "list", "--format", "csv").stdout
