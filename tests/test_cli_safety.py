"""Command-line writes meet a running dashboard with a clear message; every write is backed
up first; an editor password protects writes but never viewing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, run_cli_at, run_cli_process
from tests.page_support import on_every_tab, open_tab

HOLD = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
    "print('ready', flush=True); time.sleep(60)"
)


def test_import_while_the_dashboard_holds_the_database_says_so_without_a_traceback(
    demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "busy.duckdb"
    shutil.copy(demo_db, db)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        file = tmp_path / "x.csv"
        file.write_text(
            "year,org_code,indicator_code,value\n2025,DBCQ,classes_candidates,3\n", encoding="utf-8"
        )
        result = run_cli_process(db, "import", str(file))
        assert result.returncode == 1
        assert "đang được mở bởi chương trình khác" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_only_the_last_five_backups_are_kept_and_the_newest_holds_the_data_it_was_made_at(
    demo_db: Path, tmp_path: Path
) -> None:
    """Backups follow a schedule (tests/test_backup_schedule.py), not every write: here each
    import is followed by a backup by hand."""
    db = tmp_path / "b.duckdb"
    shutil.copy(demo_db, db)
    for value in range(3, 10):
        file = tmp_path / f"v{value}.csv"
        file.write_text(
            f"year,org_code,indicator_code,value\n2025,DBCQ,classes_candidates,{value}\n",
            encoding="utf-8",
        )
        assert run_cli_at(db, "import", str(file)).returncode == 0
        if value < 9:
            assert run_cli_at(db, "backup").returncode == 0
        time.sleep(0.01)
    backups = sorted((tmp_path / "backups").glob("b-*.duckdb"))
    assert len(backups) == 5
    # the newest backup is the state before the last import: value 8, not 9
    newest = backups[-1]
    out = tmp_path / "from-backup.csv"
    assert run_cli_at(newest, "export", "--format", "csv", "--out", str(out)).returncode == 0
    assert "2025,DBCQ,classes_candidates,8\n" in out.read_text(encoding="utf-8")


@pytest.fixture
def protected(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    db = tmp_path / "p.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", "bí-mật")
    monkeypatch.syspath_prepend(str(ROOT))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    return at


def save_buttons_disabled(at: AppTest) -> list[bool]:
    """Whether each write button of the upload page is disabled, tab by tab."""
    return on_every_tab(
        at, lambda a: [b.disabled for b in a.button if b.label in ("Lưu", "Hoàn tác")]
    )


def test_with_an_editor_password_viewing_is_open_and_writing_needs_the_password(
    protected: AppTest,
) -> None:
    at = protected
    assert not at.exception
    assert len(at.get("plotly_chart")) >= 14  # the overview needs no password
    at.switch_page("pages/upload.py").run()
    assert any("Cần mật khẩu cập nhật" in i.value for i in at.info)
    assert save_buttons_disabled(at) and all(save_buttons_disabled(at))
    at.text_input(key="editor_password_given").input("sai").run()
    assert all(save_buttons_disabled(at))
    at.text_input(key="editor_password_given").input("bí-mật").run()
    assert save_buttons_disabled(at) == [True, False, False]  # undo waits for its confirmation
    open_tab(at, "tab_history")
    next(c for c in at.checkbox if str(c.key).startswith("undo_confirm_")).check().run()
    assert [b.disabled for b in at.button if b.label == "Hoàn tác"] == [False]


def test_a_damaged_database_file_says_where_the_latest_backup_is(
    demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "hurt.duckdb"
    shutil.copy(demo_db, db)
    backups = tmp_path / "backups"
    backups.mkdir()
    shutil.copy(demo_db, backups / "hurt-20261126-101010-000001.duckdb")
    (backups / ".partial-20261126-101011-000001.duckdb").write_bytes(b"")  # cut off: ignored
    with open(db, "r+b") as f:  # what a kill during DuckDB's checkpoint can leave
        f.seek(12288 + 64)
        f.write(b"\xff" * 64)
    result = run_cli_process(db, "export", "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 1
    assert "tệp bị hỏng" in result.stderr
    assert "hurt-20261126-101010-000001.duckdb" in result.stderr
    assert "Traceback" not in result.stderr
