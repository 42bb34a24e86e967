"""The canonical export: two databases holding the same data export the same bytes, however
the data came in (long or wide, in any order, with values changed and changed back)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ORGS_CSV, run_cli_at

LONG = """year,org_code,indicator_code,value
2022,B,members_total,20
2021,A,members_total,30
2021,A,members_studied,28
2022,A,members_studied,29.0
2022,A,members_total,"1.000"
2021,ROOT,classes_candidates,2
"""
WIDE_SHUFFLED = """Năm;Mã tổ chức;Tổng số đảng viên;members_studied
2022;A;1000;29
2021;A;30;28
2022;B;20;
"""
ROOT_ONLY = "nam,ma_to_chuc,ma_chi_so,gia_tri\n2021,ROOT,classes_candidates,2\n"
CHANGE = "year,org_code,indicator_code,value\n2021,A,members_studied,27\n"
CHANGE_BACK = "year,org_code,indicator_code,value\n2021,A,members_studied,28\n"


def build(db: Path, tmp: Path, files: list[tuple[str, str]]) -> bytes:
    assert run_cli_at(db, "init", "--empty").returncode == 0
    for name, text in [("orgs.csv", ORGS_CSV), *files]:
        path = tmp / name
        path.write_text(text, encoding="utf-8")
        result = run_cli_at(db, "import", str(path))
        assert result.returncode == 0, result.stderr
    out = tmp / f"{db.stem}.csv"
    assert run_cli_at(db, "export", "--format", "csv", "--out", str(out)).returncode == 0
    return out.read_bytes()


def test_two_databases_with_the_same_data_export_the_same_bytes(tmp_path: Path) -> None:
    first = build(tmp_path / "one.duckdb", tmp_path, [("long.csv", LONG)])
    second = build(
        tmp_path / "two.duckdb",
        tmp_path,
        [
            ("wide.csv", WIDE_SHUFFLED),
            ("root.csv", ROOT_ONLY),
            ("change.csv", CHANGE),
            ("back.csv", CHANGE_BACK),
        ],
    )
    assert first == second
    assert first.decode("utf-8").splitlines() == [
        "year,org_code,indicator_code,value",
        "2021,A,members_studied,28",
        "2021,A,members_total,30",
        "2021,ROOT,classes_candidates,2",
        "2022,A,members_studied,29",
        "2022,A,members_total,1000",
        "2022,B,members_total,20",
    ]


def test_an_amount_with_three_decimals_comes_back_the_same_from_its_export(tmp_path: Path) -> None:
    """1,234 tỷ đồng (uploaded as 1,2340) exported as "1.234" would come back a thousand
    times bigger (an upload reads "." before exactly three digits as a thousands mark): it
    is written 1.2340."""
    from src.cli import commands as cli
    from src.store import queries
    from tests.conftest import load, make_db
    from tests.test_resolution_install import ORGS, install_example

    values = 'year,org_code,indicator_code,value\n2026,A,poor_fund,"1,2340"\n'
    first = make_db(tmp_path / "first.duckdb")
    load(first, ORGS, "orgs.csv")
    install_example(first)
    load(first, values)
    exported = cli.export_csv(first)
    assert "2026,A,poor_fund,1.2340" in exported.splitlines()
    second = make_db(tmp_path / "second.duckdb")
    load(second, ORGS, "orgs.csv")
    install_example(second)
    load(second, exported, "export.csv")
    held = queries.observations_long(second)
    assert held[held["indicator_code"] == "poor_fund"]["value"].tolist() == [1.234]
    assert cli.export_csv(second) == exported
