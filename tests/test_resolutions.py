"""The database holds more than one resolution; the default comes first and the sidebar
offers a choice when there are several."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from src import config
from src.engine import progress
from src.store import catalogue, queries, storage
from tests.conftest import ROOT, load

NEXT_TERM = """
[resolution]
code = "DBCQ-BK-2025-2030"
name_vi = "Nghị quyết Đại hội nhiệm kỳ 2025-2030"
name_en = "Resolution of the 2025-2030 term"
short_vi = "Nghị quyết 2025-2030"
short_en = "2025-2030 resolution"
term_start = 2025
term_end = 2030

[[goal]]
code = "B1"
kind = "annual_ratio"
level = "org"
comparison = ">="
target = 90
numerator = "members_studied"
denominator = "members_total"
title_vi = "Đảng viên học tập nghị quyết"
title_en = "Members who studied"

[[goal]]
code = "B2"
kind = "term_cumulative"
level = "org"
comparison = ">="
target = 100
numerator = "new_members"
title_vi = "Kết nạp đảng viên"
title_en = "New members"
"""


@pytest.fixture
def two_terms(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(config.CATALOGUE_DIR, folder)
    (folder / "dbcq-bac-kan-2025-2030.toml").write_text(NEXT_TERM, encoding="utf-8")
    return folder


def test_a_second_resolution_is_installed_beside_the_default(
    org_con: duckdb.DuckDBPyConnection, two_terms: Path
) -> None:
    with storage.transaction(org_con) as cur:
        catalogue.install(cur, two_terms)
    found = queries.resolutions(org_con)
    assert [r.code for r in found] == ["DBCQ-BK-2020-2025", "DBCQ-BK-2025-2030"]
    assert found[1].term_years == (2025, 2026, 2027, 2028, 2029, 2030)
    load(
        org_con,
        "year,org_code,indicator_code,value\n2026,A,members_total,20\n"
        "2026,A,members_studied,19\n2026,A,new_members,3\n2025,A,new_members,4\n",
    )
    table = progress.progress_table(org_con, 2026, None, "DBCQ-BK-2025-2030")
    rows = table.set_index("goal_code")
    assert list(rows.index) == ["B1", "B2"]
    assert rows.loc["B1", "actual"] == pytest.approx(95.0)
    assert rows.loc["B2", "actual"] == 7  # 4 in 2025 + 3 in 2026
    assert rows.loc["B2", "pace_target"] == pytest.approx(100 * 2 / 6)


def test_the_sidebar_offers_the_resolutions_when_there_are_several(
    demo_db: Path, two_terms: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "two.duckdb"
    shutil.copy(demo_db, db)
    con = storage.connect(db)
    with storage.transaction(con) as cur:
        catalogue.install(cur, two_terms)
    con.close()
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.syspath_prepend(str(ROOT))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    picker = at.selectbox(key="res")
    assert picker.options == ["Nghị quyết Đại hội XI (2020-2025)", "Nghị quyết 2025-2030"]
    picker.select("DBCQ-BK-2025-2030").run()
    assert not at.exception
    assert any("Nghị quyết 2025-2030" in c.value for c in at.caption)


def test_with_many_cells_the_cell_box_takes_typed_codes_instead_of_a_huge_list(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from src.ui import widgets

    db = tmp_path / "many.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setattr(widgets, "MAX_CELL_OPTIONS", 5)  # the demo's 41 cells count as many
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["cells"] = "CQ-25"
    at.session_state["lang"] = "vi"  # AppTest sends every widget's state on a rerun
    at.run()
    assert not at.exception
    assert not [m for m in at.multiselect if m.key == "cells"]  # no list of every cell
    box = at.text_input(key=widgets.TYPED_KEY)
    assert box.value == "CQ-25"  # from the link
    assert any("Chi bộ Sở Giao thông vận tải" in c.value for c in at.caption)
    box.set_value("CQ-01, CQ-02;CQ-01  NOPE").run()  # typed: commas, spaces, a repeat
    assert not at.exception
    assert at.query_params["cells"] == ["CQ-01", "CQ-02"]
    assert any("NOPE" in w.value for w in at.sidebar.warning)  # an unknown code is named
    assert any("2 tổ chức" in c.value for c in at.caption)
    box.set_value("CQ-07").run()  # the choice made again stays made: the box is one widget
    assert at.query_params["cells"] in ("CQ-07", ["CQ-07"])
    assert at.text_input(key=widgets.TYPED_KEY).value == "CQ-07"
