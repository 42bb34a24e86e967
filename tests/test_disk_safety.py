"""A full disk, a read-only database and a damaged database file meet every command and the
pages with a message in the user's language, never a traceback; a write says truthfully
whether it is in the history; reading needs no free space; a backup can be restored.

Disk full is real where it can be without root: the kernel's ``/dev/full`` answers every
write with ENOSPC, and DuckDB is made to write there by a symlink in place of the file it is
about to create (a backup's partial file, the database's WAL). Where the failing write is
on a file DuckDB already holds open (the refresh after a commit), the failure is injected at
that boundary with the exact error DuckDB 2.0 raised on a full tmpfs in the experiment:
``TransactionContext Error: Failed to commit: Could not write file "….wal": No space left on
device``. A read-only file is real when the tests may drop root's override of file
permissions (setpriv), and injected as DuckDB's own "Permission denied" otherwise.
"""

from __future__ import annotations

import faulthandler
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from src.cli import commands as cli
from src.engine import aggregates
from src.ingest import apply, prepare
from src.store import recovery, storage, units
from src.ui.refresher import REFRESHER
from tests.conftest import ROOT, run_cli_at
from tests.page_support import open_tab

STAMP = datetime(2026, 1, 2, 3, 4, 5, 600000)
PARTIAL = ".partial-20260102-030405-600000.duckdb"  # the name backup() gives at STAMP
NEW_VALUE = "year,org_code,indicator_code,value\n2025,DBCQ,classes_candidates,7\n"
DEV_FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full (not Linux)")


def wal_full_message(db: Path) -> str:
    return (
        "TransactionContext Error: Failed to commit: Could not write file"
        f' "{db}.wal": No space left on device'
    )


class Stamped(datetime):
    @classmethod
    def now(cls, tz: object = None) -> Stamped:  # type: ignore[override]
        return cls.fromtimestamp(STAMP.timestamp())


@pytest.fixture
def db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo database, named by DASHBOARD_DB for in-process runs of the CLI."""
    path = tmp_path / "d.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_LANG", "vi")
    return path


@pytest.fixture
def new_file(tmp_path: Path) -> Path:
    file = tmp_path / "new.csv"
    file.write_text(NEW_VALUE, encoding="utf-8")
    return file


def cli_run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``python -m src.cli`` in this process (so a test can make the disk fail): exit code,
    stdout, stderr. An exception escaping main is the traceback a user would see."""
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def reader(db: Path) -> duckdb.DuckDBPyConnection:
    """A connection to read ``db``: read-only, or shared with a page of this process."""
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.ConnectionException:  # the page (AppTest, in this process) holds it
        return duckdb.connect(str(db))


def history(db: Path) -> list[tuple[object, ...]]:
    con = reader(db)
    try:
        return con.execute("SELECT batch_id, file_name, status FROM batches ORDER BY 1").fetchall()
    finally:
        con.close()


def values(db: Path) -> list[tuple[object, ...]]:
    con = reader(db)
    try:
        return con.execute("SELECT * FROM observations ORDER BY ALL").fetchall()
    finally:
        con.close()


def leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in (db.parent / "backups").glob(".partial-*"))


def backup_full(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """The next backup's partial file is /dev/full: DuckDB's copy meets a real ENOSPC."""
    monkeypatch.setattr(storage, "datetime", Stamped)
    (db.parent / "backups").mkdir(exist_ok=True)
    (db.parent / "backups" / PARTIAL).symlink_to(DEV_FULL)


def wal_full_after_backup(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """Once the backup is made, the database's WAL (not yet created: no write so far) is
    /dev/full: the commit meets a real ENOSPC."""
    real = storage.backup

    def backup(con: duckdb.DuckDBPyConnection, source: Path, keep: int = 5) -> Path:
        made = real(con, source, keep)
        Path(f"{source}.wal").symlink_to(DEV_FULL)
        return made

    monkeypatch.setattr(storage, "backup", backup)


def refresh_full(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """The refresh of the summaries after a commit fails as DuckDB fails on a full disk."""

    def refresh(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
        raise duckdb.TransactionException(wal_full_message(db))

    monkeypatch.setattr(aggregates, "refresh_progress", refresh)


def commits_full(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """Every commit of upkeep (catch-up of unit_year, kept progress) fails as on a full disk,
    after DuckDB rolled it back."""

    @contextmanager
    def upkeep(
        con: duckdb.DuckDBPyConnection, on: duckdb.DuckDBPyConnection | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        with storage.WRITE_LOCK:
            cur = con.cursor() if on is None else on
            cur.begin()
            yield cur
            cur.rollback()
            raise duckdb.TransactionException(wal_full_message(db))

    monkeypatch.setattr(storage, "upkeep", upkeep)


# --- 1. disk full -------------------------------------------------------------------------


@needs_dev_full
@pytest.mark.parametrize("command", [["import", "FILE"], ["undo", "3"], ["backup"]])
def test_a_backup_that_does_not_fit_refuses_the_write_names_the_folder_and_leaves_nothing(
    db: Path,
    new_file: Path,
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = history(db), values(db)
    backup_full(monkeypatch, db)
    args = [str(new_file) if a == "FILE" else a for a in command]
    code, _, err = cli_run(capsys, *args)
    assert code == 1
    assert "Không đủ chỗ trống trên đĩa" in err
    assert str(db.parent / "backups") in err
    assert "cần khoảng" in err  # how much room the backup needs
    assert "Traceback" not in err
    assert leftovers(db) == []  # neither the partial file nor its WAL
    assert not list((db.parent / "backups").glob("d-*.duckdb"))
    assert (history(db), values(db)) == before


@needs_dev_full
def test_an_import_whose_commit_does_not_fit_exits_1_saying_nothing_was_written_and_nothing_is(
    db: Path, new_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = history(db), values(db)
    wal_full_after_backup(monkeypatch, db)
    code, out, err = cli_run(capsys, "import", str(new_file))
    assert code == 1
    assert "Không đủ chỗ trống trên đĩa" in err
    assert "Không có gì được ghi" in err
    assert "no transaction is active" not in err
    assert "→ lần cập nhật" not in out
    Path(f"{db}.wal").unlink()
    assert (history(db), values(db)) == before  # DuckDB rolled the transaction back


def test_an_import_committed_before_the_refresh_failed_exits_0_and_says_the_summaries_catch_up(
    db: Path,
    new_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reference = tmp_path / "ref.duckdb"
    shutil.copy(db, reference)
    assert run_cli_at(reference, "import", str(new_file)).returncode == 0
    refresh_full(monkeypatch, db)
    code, out, err = cli_run(capsys, "import", str(new_file))
    assert code == 0, err
    assert "→ lần cập nhật 4" in out
    assert "đã được ghi vào cơ sở dữ liệu" in err
    assert "tự cập nhật" in err
    assert history(db)[-1] == (4, "new.csv", "applied")
    monkeypatch.undo()
    # stale, never wrong: what is read afterwards is what a complete import gives
    for args in (["progress", "--year", "2025"], ["progress", "--year", "2025", "--org", "CQ-01"]):
        assert run_cli_at(db, *args).stdout == run_cli_at(reference, *args).stdout


def test_an_undo_committed_before_the_refresh_failed_exits_0_and_says_so(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    refresh_full(monkeypatch, db)
    code, _, err = cli_run(capsys, "undo", "3")
    assert code == 0, err
    assert "đã được ghi vào cơ sở dữ liệu" in err
    assert history(db)[-1][2] == "undone"


@pytest.mark.parametrize(
    "args",
    [
        ["progress", "--year", "2025"],
        ["progress", "--year", "2024", "--org", "CQ-01", "CQ-07", "--format", "json"],
        ["export", "--format", "csv", "--out", "OUT"],
        ["history", "--format", "csv"],
    ],
)
def test_reading_needs_no_free_disk_space_and_reads_what_a_caught_up_database_gives(
    db: Path,
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    con = storage.connect(db)  # a write committed, its catch-up not run (keys pending)
    data = NEW_VALUE.replace(",7", ",9").encode()
    apply(con, prepare(con, data, "late.csv"), applied_by="test", data=data, refresh=False)
    assert units.pending(con)
    con.close()
    reference = tmp_path / "ref.duckdb"
    shutil.copy(db, reference)
    out = tmp_path / "out.csv"

    def run(path: Path) -> str:
        monkeypatch.setenv("DASHBOARD_DB", str(path))
        code, stdout, err = cli_run(capsys, *[str(out) if a == "OUT" else a for a in args])
        assert code == 0, err
        return stdout + (out.read_text(encoding="utf-8") if out.exists() else "")

    expected = run(reference)
    commits_full(monkeypatch, db)
    assert run(db) == expected


@needs_dev_full
def test_a_commit_that_fails_on_a_full_disk_reports_the_disk_not_no_transaction_is_active(
    db: Path,
) -> None:
    con = storage.connect(db)
    Path(f"{db}.wal").symlink_to(DEV_FULL)
    with pytest.raises(duckdb.Error) as caught, storage.transaction(con) as cur:
        cur.execute("INSERT INTO meta VALUES ('x', 'y')")
    assert "No space left on device" in str(caught.value)
    assert storage.is_disk_full(caught.value)
    con.close()


# --- 2. damaged and read-only databases ---------------------------------------------------


def cut_in_half(db: Path) -> None:
    os.truncate(db, db.stat().st_size // 2)


def header_overwritten(db: Path) -> None:
    with open(db, "r+b") as f:
        f.write(os.urandom(4096))


def random_bytes(db: Path) -> None:
    db.write_bytes(os.urandom(200_000))


def zero_length(db: Path) -> None:
    db.write_bytes(b"")


def block_overwritten(db: Path) -> None:
    with open(db, "r+b") as f:  # a data block: opens, fails on reading it
        f.seek(db.stat().st_size // 2)
        f.write(os.urandom(db.stat().st_size // 3))


def wal_of_an_older_file(db: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("INSERT INTO meta VALUES ('x', 'y')")
    shutil.copy(f"{db}.wal", f"{db}.old-wal")
    con.close()  # checkpoints: the file moves on past that WAL
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE other (i INTEGER)")
    con.execute("CHECKPOINT")
    con.close()
    shutil.move(f"{db}.old-wal", f"{db}.wal")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "cut in half": cut_in_half,
    "header overwritten": header_overwritten,
    "random bytes": random_bytes,
    "zero length": zero_length,
    "a data block overwritten": block_overwritten,
    "a WAL of an older file": wal_of_an_older_file,
}
BACKUP_NAME = "d-20261126-101010-000001.duckdb"


def backed_up(db: Path, source: Path | None = None) -> Path:
    """``db`` with a backup of ``source`` (by default of itself) in its backups folder, as
    the latest one."""
    (db.parent / "backups").mkdir(exist_ok=True)
    shutil.copy(source or db, db.parent / "backups" / BACKUP_NAME)
    return db


@pytest.fixture
def damaged_with_backup(demo_db: Path, tmp_path: Path) -> Callable[[str], Path]:
    def make(kind: str) -> Path:
        path = tmp_path / "d.duckdb"
        shutil.copy(demo_db, path)
        backed_up(path, demo_db)
        DAMAGE[kind](path)
        return path

    return make


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_every_command_on_a_damaged_database_says_it_is_damaged_and_names_the_latest_backup(
    damaged_with_backup: Callable[[str], Path], new_file: Path, kind: str, tmp_path: Path
) -> None:
    db = damaged_with_backup(kind)
    out = str(tmp_path / "x.csv")
    commands = [
        ["progress", "--year", "2024"],
        ["history"],
        ["export", "--format", "csv", "--out", out],
        ["import", str(new_file)],
        ["undo", "3"],
        ["backup"],
    ]
    # a damaged data block is met only by what reads it (the export reads every value)
    opens = kind == "a data block overwritten"
    for args in commands:
        result = run_cli_at(db, *args)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        if opens and result.returncode == 0 and args[0] != "export":
            continue
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "tệp bị hỏng" in result.stderr, (args, result.stderr)
        assert BACKUP_NAME in result.stderr
        assert "python -m src.cli restore" in result.stderr


def test_restore_puts_the_latest_backup_in_place_and_keeps_the_damaged_file_and_its_wal_aside(
    damaged_with_backup: Callable[[str], Path], tmp_path: Path, demo_db: Path
) -> None:
    db = damaged_with_backup("header overwritten")
    Path(f"{db}.wal").write_bytes(b"wal of the damaged file")
    damaged = db.read_bytes()
    older = tmp_path / "backups" / "d-20261125-101010-000001.duckdb"
    older.write_bytes(b"not the latest")
    result = run_cli_at(db, "restore")
    assert result.returncode == 0, result.stderr
    assert BACKUP_NAME in result.stdout and "Đã khôi phục" in result.stdout
    aside = sorted(tmp_path.glob("d.duckdb.damaged-*"))
    assert [p.name.endswith(".wal") for p in aside] == [False, True]
    assert aside[0].read_bytes() == damaged  # never deleted
    assert aside[1].read_bytes() == b"wal of the damaged file"
    assert not Path(f"{db}.wal").exists()
    assert not list(tmp_path.glob(".d.duckdb.restoring-*"))
    assert db.read_bytes() == demo_db.read_bytes()
    assert run_cli_at(db, "history").returncode == 0
    assert history(db) == history(demo_db)


def test_restore_leaves_a_file_at_the_database_path_at_every_step(
    damaged_with_backup: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from src.store import recovery

    db = damaged_with_backup("random bytes")
    seen: list[bool] = []
    for name in ("replace", "rename", "link"):
        real = getattr(os, name)

        def watched(*args: object, _real: Callable[..., object] = real, **kw: object) -> object:
            seen.append(db.exists())
            return _real(*args, **kw)

        monkeypatch.setattr(recovery.os, name, watched)
    real_path_replace = Path.replace

    def path_replace(self: Path, target: object) -> Path:
        seen.append(db.exists())
        result = real_path_replace(self, target)  # type: ignore[arg-type]
        seen.append(db.exists())
        return result

    monkeypatch.setattr(Path, "replace", path_replace)
    recovery.restore(db, None, "vi")
    assert seen and all(seen), seen
    assert db.exists()


def test_restore_takes_the_backup_given_and_refuses_one_that_is_not_a_database(
    damaged_with_backup: Callable[[str], Path], tmp_path: Path
) -> None:
    db = damaged_with_backup("random bytes")
    damaged = db.read_bytes()
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(os.urandom(50_000))
    refused = run_cli_at(db, "restore", str(junk))
    assert refused.returncode == 1
    assert "không dùng được để khôi phục" in refused.stderr
    assert "Traceback" not in refused.stderr
    missing = run_cli_at(db, "restore", str(tmp_path / "nowhere.duckdb"))
    assert missing.returncode == 1 and "không tìm thấy tệp sao lưu" in missing.stderr
    assert db.read_bytes() == damaged and not list(tmp_path.glob("d.duckdb.damaged-*"))
    chosen = tmp_path / "backups" / BACKUP_NAME
    assert run_cli_at(db, "restore", str(chosen)).returncode == 0
    assert db.read_bytes() == chosen.read_bytes()


def test_restore_without_any_backup_says_there_is_none_and_changes_nothing(
    demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    zero_length(db)
    result = run_cli_at(db, "restore")
    assert result.returncode == 1
    assert "Không có bản sao lưu nào" in result.stderr
    assert db.exists() and db.stat().st_size == 0


def test_restore_is_refused_while_the_dashboard_holds_the_database(
    demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db, db)
    (tmp_path / "backups").mkdir()
    shutil.copy(demo_db, tmp_path / "backups" / BACKUP_NAME)
    hold = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
        "print('ready', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = run_cli_at(db, "restore")
        assert result.returncode == 1
        assert "đang được mở bởi chương trình khác" in result.stderr
        assert not list(tmp_path.glob("d.duckdb.damaged-*"))
    finally:
        holder.kill()
        holder.wait()


def permission_denied(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """Opening ``db`` for writing fails as DuckDB fails on a chmod 444 file (measured as a
    user without root's override); reading it read-only works, as it does there."""
    real = duckdb.connect

    def connect(database: str = ":memory:", read_only: bool = False, **kw: object) -> object:
        if Path(database) == db and not read_only:
            raise duckdb.IOException(f'IO Error: Cannot open file "{db}": Permission denied')
        return real(database, read_only=read_only, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(duckdb, "connect", connect)


@pytest.mark.parametrize(
    "args",
    [
        ["progress", "--year", "2024"],
        ["history", "--format", "csv"],
        ["export", "--format", "csv", "--out", "OUT"],
    ],
)
def test_reading_commands_work_on_a_database_that_may_not_be_written(
    db: Path,
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "x.csv"
    args = [str(out) if a == "OUT" else a for a in args]
    expected = run_cli_at(db, *args)
    permission_denied(monkeypatch, db)
    code, stdout, err = cli_run(capsys, *args)
    assert code == 0, err
    assert stdout == expected.stdout


@pytest.mark.parametrize("command", [["import", "FILE"], ["undo", "3"]])
def test_a_write_to_a_database_that_may_not_be_written_says_so_and_changes_nothing(
    db: Path,
    new_file: Path,
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = history(db), values(db)
    permission_denied(monkeypatch, db)
    code, _, err = cli_run(capsys, *[str(new_file) if a == "FILE" else a for a in command])
    assert code == 1
    assert "chỉ cho phép đọc" in err and str(db) in err
    monkeypatch.undo()
    assert (history(db), values(db)) == before


SETPRIV = shutil.which("setpriv")


@pytest.mark.skipif(
    SETPRIV is None or os.geteuid() != 0,
    reason="needs root and setpriv to drop the override of file permissions",
)
def test_a_real_read_only_file_and_folder_are_read_and_refuse_writes(
    db: Path, new_file: Path, tmp_path: Path
) -> None:
    """As root without CAP_DAC_OVERRIDE, chmod is obeyed: the real thing."""
    assert SETPRIV is not None
    expected = run_cli_at(db, "progress", "--year", "2024").stdout
    before = history(db), values(db)
    env = dict(os.environ, DASHBOARD_DB=str(db), DASHBOARD_LANG="vi")
    drop = [SETPRIV, "--inh-caps=-dac_override", "--bounding-set=-dac_override"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*drop, sys.executable, "-m", "src.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    db.chmod(0o444)
    try:
        read = run("progress", "--year", "2024")
        assert read.returncode == 0, read.stderr
        assert read.stdout == expected
        write = run("import", str(new_file))
        assert write.returncode == 1 and "chỉ cho phép đọc" in write.stderr
        assert "Traceback" not in write.stderr
        db.chmod(0o644)
        db.parent.chmod(0o555)  # the folder: no WAL, no backup can be made there
        write = run("import", str(new_file))
        assert write.returncode == 1 and "chỉ cho phép đọc" in write.stderr
        assert "Traceback" not in write.stderr
        assert run("history").returncode == 0
    finally:
        db.parent.chmod(0o755)
        db.chmod(0o644)
    assert (history(db), values(db)) == before


# --- the pages ----------------------------------------------------------------------------


def page(monkeypatch: pytest.MonkeyPatch, db: Path, password: str | None = None) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    if password:
        monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", password)
    else:
        monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD", raising=False)
    monkeypatch.syspath_prepend(str(ROOT))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    return at


@pytest.mark.parametrize("kind", ["cut in half", "header overwritten", "a data block overwritten"])
def test_the_page_on_a_damaged_database_names_the_backup_and_its_button_restores_it(
    damaged_with_backup: Callable[[str], Path],
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
    demo_db: Path,
) -> None:
    db = damaged_with_backup(kind)
    at = page(monkeypatch, db)
    assert not at.exception, at.exception
    shown = re.sub(r"\\(.)", r"\1", " ".join(e.value for e in at.error))  # Markdown escapes
    assert "tệp bị hỏng" in shown and BACKUP_NAME in shown and "26/11/2026" in shown
    at.button[0].click().run()  # Khôi phục bản sao lưu
    assert not at.exception, at.exception
    assert any("Đã khôi phục" in s.value for s in at.success)
    assert db.read_bytes() == demo_db.read_bytes()
    assert len(list(db.parent.glob("d.duckdb.damaged-*"))) == 1
    at.run()
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) >= 14  # the overview again


def test_a_reader_opening_the_database_during_a_restore_waits_and_opens_the_restored_file(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another reader's run opens the database while a restore copies the backup: it waits
    until the restored file is in place, and the connection this process keeps is one on
    that file, not on the one moved aside (which it would go on reading and writing: a
    file damaged in a block that opening does not read opens)."""
    from src.ui import cache, guard

    monkeypatch.setenv("DASHBOARD_DB", str(db))
    backed_up(db)
    cache.con()  # this process holds the file, as the dashboard does
    restore, opened = recovery.restore, threading.Event()
    during: list[bool] = []

    def reader() -> None:
        cache.con()
        opened.set()

    def slow_restore(path: Path, backup: Path | None, lang: str) -> recovery.Restored:
        threading.Thread(target=reader, daemon=True).start()
        during.append(opened.wait(1.0))  # the copy takes a while: the reader comes meanwhile
        return restore(path, backup, lang)

    monkeypatch.setattr(recovery, "restore", slow_restore)
    try:
        assert guard.restore_now(db) is not None
        assert during == [False]  # the reader had not opened the file while it was replaced
        assert opened.wait(30)
        # what the kept connection writes lands in the file at the database's path
        cache.con().cursor().execute("CREATE TABLE probe AS SELECT 1 AS x")
    finally:
        cache.release()
    with duckdb.connect(str(db), read_only=True) as restored:
        assert restored.execute("SELECT x FROM probe").fetchall() == [(1,)]


@pytest.mark.parametrize("first", ["reader", "restore"])
def test_a_restore_clicked_while_a_reader_opens_the_database_behind_a_write_ends(
    db: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """A reader's run opens the database and a restore is clicked, one after the other,
    while a write holds the write lock (opening migrates under it). Both end once the write
    does: the restore takes cache.OPENING and the write lock in the order the reader does,
    and lets go of the connection without calling the cached open (which would wait for the
    reader's open under way, itself waiting for cache.OPENING)."""
    from src.ui import cache, guard

    monkeypatch.setenv("DASHBOARD_DB", str(db))
    backed_up(db)
    ended: list[str] = []

    def read() -> None:
        cache.con()
        ended.append("reader")

    def restore() -> None:
        guard.restore_now(db)
        ended.append("restore")

    reader = threading.Thread(target=read, daemon=True)
    restorer = threading.Thread(target=restore, daemon=True)
    # stuck threads would hold the locks for the tests after this one: past 90 s the worker
    # ends with every thread's stack instead of hanging the run
    faulthandler.dump_traceback_later(90, exit=True)
    with storage.WRITE_LOCK:  # a write under way
        for thread in (reader, restorer) if first == "reader" else (restorer, reader):
            thread.start()
            time.sleep(0.3)  # it is under way, waiting for a lock
    reader.join(30)
    restorer.join(30)
    assert sorted(ended) == ["reader", "restore"], f"stuck: {ended}"
    faulthandler.cancel_dump_traceback_later()
    cache.release()


def test_a_connection_let_go_of_before_it_was_cached_is_never_served(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release that runs between a reader's open and Streamlit keeping what it opened
    closes that connection: the next read opens anew instead of failing on a closed one
    until the server restarts."""
    from src.ui import cache

    monkeypatch.setenv("DASHBOARD_DB", str(db))
    try:
        opened = cache.con()
        cache._OPENED.remove(opened)  # what release() in that gap does, the cache kept
        opened.close()
        again = cache.con()
        assert again is not opened
        assert again.cursor().execute("SELECT count(*) FROM observations").fetchone()
    finally:
        cache.release()


def test_a_restore_is_refused_while_duckdb_will_not_let_go_of_a_connection(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from src.ui import cache, guard

    class Stuck:
        closes = 0

        def close(self) -> None:
            self.closes += 1
            if self.closes == 1:
                raise duckdb.ConnectionException("still in use")

    monkeypatch.setenv("DASHBOARD_DB", str(db))
    backed_up(db)
    before = db.stat().st_ino
    stuck = Stuck()
    cache._OPENED.append(stuck)  # type: ignore[arg-type]
    assert guard.restore_now(db) is None  # nothing restored
    assert db.stat().st_ino == before and not list(db.parent.glob("d.duckdb.damaged-*"))
    assert guard.restore_now(db) is not None  # tried again, it let go: restored
    assert stuck.closes == 2


def test_restoring_from_the_page_asks_for_the_editor_password_when_one_is_set(
    damaged_with_backup: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from src.ui import auth

    guard = auth.PasswordGuard(sleep=lambda _: None)
    monkeypatch.setattr(auth, "GUARD", guard)
    db = damaged_with_backup("random bytes")
    damaged = db.read_bytes()
    at = page(monkeypatch, db, password="bí-mật")
    at.text_input[0].input("sai")
    at.button[0].click().run()
    assert any("Sai mật khẩu" in e.value for e in at.error)
    assert guard.failures() == 1  # the same slowing and lockout as every other guess
    assert db.read_bytes() == damaged
    at.text_input[0].input("bí-mật")
    at.button[0].click().run()
    assert any("Đã khôi phục" in s.value for s in at.success)
    assert db.read_bytes() != damaged


@needs_dev_full
def test_undo_on_the_page_with_a_full_disk_says_so_instead_of_a_traceback(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = history(db)
    at = page(monkeypatch, db)
    open_tab(at.switch_page("pages/upload.py").run(), "tab_history")
    backup_full(monkeypatch, db)
    next(c for c in at.checkbox if str(c.key).startswith("undo_confirm_")).check().run()
    next(b for b in at.button if b.label == "Hoàn tác").click().run()
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error)
    assert "Không đủ chỗ trống trên đĩa" in shown and "Không có gì được ghi" in shown
    assert leftovers(db) == []
    assert history(db) == before


def test_a_form_saved_on_the_page_before_the_refresh_failed_says_it_is_written(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page(monkeypatch, db)
    open_tab(at.switch_page("pages/upload.py").run(), "tab_assess")
    refresh_full(monkeypatch, db)
    fails, answered = aggregates.refresh_progress, threading.Event()

    def after_the_page(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
        answered.wait(30)  # (it fails once the page has answered, as a slow one does)
        return fails(con)

    monkeypatch.setattr(aggregates, "refresh_progress", after_the_page)
    next(b for b in at.button if b.label == "Lưu").click().run()
    answered.set()
    assert not at.exception, at.exception
    assert history(db)[-1][2] == "applied" and len(history(db)) == 4
    # the refresh runs beside the page: its failure reaches the writer on the next run,
    # once, whichever page that is
    assert REFRESHER.wait(30)
    # (not the overview: AppTest runs the default page's script alone, without app.py)
    at.switch_page("pages/cells.py").run()
    assert any("đã được ghi vào cơ sở dữ liệu" in w.value for w in at.warning)
    at.run()
    assert not any("đã được ghi vào cơ sở dữ liệu" in w.value for w in at.warning)
