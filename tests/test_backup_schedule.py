"""Backups on a schedule (issue 15): a full copy before the first write of a day and once
enough values were written since the latest copy, never before every write; every copy read
back before it is kept."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from src.cli import commands as cli
from src.store import storage

ONE_VALUE = "year,org_code,indicator_code,value\n2025,DBCQ,classes_candidates,{n}\n"


@pytest.fixture
def db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "d.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    return path


def upload(tmp_path: Path, capsys: pytest.CaptureFixture[str], n: int) -> tuple[int, str]:
    file = tmp_path / f"value-{n}.csv"
    file.write_text(ONE_VALUE.format(n=n), encoding="utf-8")
    code = cli.main(["import", str(file)])
    return code, capsys.readouterr().err


def values(db: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT * FROM observations ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_the_first_write_makes_a_backup_and_the_next_writes_of_the_day_do_not(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert storage.backups_of(db) == []
    assert upload(tmp_path, capsys, 7)[0] == 0
    first = storage.backups_of(db)
    assert len(first) == 1
    assert upload(tmp_path, capsys, 8)[0] == 0
    assert upload(tmp_path, capsys, 9)[0] == 0
    assert storage.backups_of(db) == first  # no whole-file copy per write


def test_a_write_after_a_backup_from_an_earlier_day_makes_a_new_one(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yesterday = datetime.now() - timedelta(days=1)
    folder = db.parent / "backups"
    folder.mkdir()
    old = folder / f"{db.stem}-{yesterday.strftime('%Y%m%d-%H%M%S-%f')}.duckdb"
    shutil.copy(db, old)
    assert upload(tmp_path, capsys, 7)[0] == 0
    made = storage.backups_of(db)
    assert len(made) == 2 and made[0] == old
    assert storage.backup_time(made[1]).date() == datetime.now().date()


def test_a_write_that_brings_the_values_since_the_backup_to_the_threshold_makes_a_new_one(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "BACKUP_EVERY_VALUES", 3)
    assert upload(tmp_path, capsys, 7)[0] == 0  # no backup yet: one (then 1 value since)
    assert len(storage.backups_of(db)) == 1
    assert upload(tmp_path, capsys, 8)[0] == 0  # 1 since + 1 now < 3: none
    assert len(storage.backups_of(db)) == 1
    assert upload(tmp_path, capsys, 9)[0] == 0  # 2 since + 1 now = 3: one
    assert len(storage.backups_of(db)) == 2


def test_undoing_counts_the_values_it_rewrites_toward_the_next_backup(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert upload(tmp_path, capsys, 7)[0] == 0
    backup = storage.latest_backup(db)
    assert backup is not None
    con = storage.connect(db)
    try:
        made = storage.backup_time(backup)
        before = storage.written_since(con, made)
        batch = con.execute("SELECT max(batch_id) FROM batches").fetchone()
    finally:
        con.close()
    assert before == 1  # the upload after the backup
    assert batch is not None
    assert cli.main(["undo", str(batch[0])]) == 0
    capsys.readouterr()
    con = storage.connect(db)
    try:
        assert storage.written_since(con, made) == 2  # the upload, and its undo
        monkeypatch.setattr(storage, "BACKUP_EVERY_VALUES", 3)
        assert not storage.backup_due(con, db, writing=0)
        assert storage.backup_due(con, db, writing=1)
    finally:
        con.close()


def test_a_backup_that_does_not_read_back_as_the_database_is_removed_and_the_write_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = values(db)
    real = storage._read_back

    def short(con: duckdb.DuckDBPyConnection, copy: Path) -> tuple[object, ...]:
        found = real(con, copy)
        return (*found[:2], int(str(found[2])) - 1, *found[3:])  # a value missing

    monkeypatch.setattr(storage, "_read_back", short)
    code, err = upload(tmp_path, capsys, 7)
    assert code == 1
    assert "không đọc lại được" in err
    assert "Traceback" not in err
    assert storage.backups_of(db) == []
    assert list((db.parent / "backups").iterdir()) == []  # no partial file either
    assert values(db) == before


def test_a_backup_reads_back_with_the_databases_values_history_and_schema(
    db: Path,
) -> None:
    con = storage.connect(db)
    try:
        made = storage.backup(con, db)
        assert storage._read_back(con, made) == storage._fingerprint(con.cursor(), None)
        fingerprint = storage._fingerprint(con.cursor(), None)
    finally:
        con.close()
    assert all(v is not None for v in fingerprint)
    assert int(str(fingerprint[2])) > 0  # the demo's values are counted
