"""Applying a file, the history of applied files, and undoing one, from the command line.

A file is applied whole or not at all, once; every applied file is a batch in the history
(``history --format csv``) and can be undone, which restores exactly what was there before.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from src.cli.commands import HISTORY_OUT
from src.store import queries, storage
from tests.ingest_support import GOOD, Result, copy_db, export, history, run

WIDE = GOOD / "wide_2025_clean.csv"
ORGS = GOOD / "organisations_nfd_names.csv"


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database."""
    return copy_db(demo_db, tmp_path)


def _read(db: Path, what: str) -> pd.DataFrame:
    con = storage.connect(db)
    try:
        return queries.organisations(con) if what == "orgs" else queries.observations_long(con)
    finally:
        con.close()


def _import(db: Path, file: Path, *options: str) -> Result:
    result = run(db, "import", *options, str(file))
    assert "Traceback" not in result.stderr
    return result


def _last_batch(db: Path) -> dict[str, str]:
    return history(db)[-1]


def test_undo_restores_the_exported_data_byte_for_byte(db: Path, tmp_path: Path) -> None:
    before = export(db, tmp_path)
    assert _import(db, WIDE).returncode == 0
    assert export(db, tmp_path) != before
    batch = _last_batch(db)

    result = run(db, "undo", batch["batch_id"])

    assert result.returncode == 0, result.stderr
    assert export(db, tmp_path) == before
    assert _last_batch(db) == {**batch, "status": "undone"}


def test_undo_of_a_batch_already_undone_is_refused(db: Path) -> None:
    assert _import(db, WIDE).returncode == 0
    batch_id = _last_batch(db)["batch_id"]
    assert run(db, "undo", batch_id).returncode == 0

    assert run(db, "undo", batch_id).returncode == 1


def test_the_same_file_twice_is_refused_with_the_date_it_was_first_applied(
    db: Path, tmp_path: Path
) -> None:
    assert _import(db, WIDE).returncode == 0
    first = _last_batch(db)
    after_first = export(db, tmp_path)

    again = _import(db, WIDE)

    assert again.returncode == 1
    day = datetime.fromisoformat(first["applied_at"]).strftime("%d/%m/%Y")
    assert day in again.stderr, again.stderr
    assert f"lần cập nhật số {first['batch_id']}" in again.stderr
    assert export(db, tmp_path) == after_first
    assert _last_batch(db) == first


def test_the_same_content_under_another_name_is_refused_too(db: Path, tmp_path: Path) -> None:
    assert _import(db, WIDE).returncode == 0
    renamed = tmp_path / "so_lieu_2025_gui_lai.csv"
    renamed.write_bytes(WIDE.read_bytes())

    again = _import(db, renamed, "--dry-run")

    assert again.returncode == 1
    assert "đã được cập nhật ngày" in again.stderr


def test_a_file_applied_then_undone_can_be_applied_again(db: Path, tmp_path: Path) -> None:
    assert _import(db, WIDE).returncode == 0
    after_first = export(db, tmp_path)
    assert run(db, "undo", _last_batch(db)["batch_id"]).returncode == 0

    assert _import(db, WIDE).returncode == 0
    assert export(db, tmp_path) == after_first


def test_a_dry_run_changes_nothing(db: Path, tmp_path: Path) -> None:
    before, batches = export(db, tmp_path), history(db)

    result = _import(db, WIDE, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "chạy thử" in result.stdout
    assert export(db, tmp_path) == before
    assert history(db) == batches
    # and the file was not marked as applied: it can be applied for real afterwards
    assert _import(db, WIDE).returncode == 0


def _write_long(path: Path, rows: list[tuple[int, str, str, float]]) -> Path:
    lines = ["year,org_code,indicator_code,value"]
    lines += [f"{y},{o},{i},{int(v)}" for y, o, i, v in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _values(db: Path) -> dict[tuple[int, str, str], float]:
    frame = _read(db, "obs")
    return {
        (int(y), str(o), str(i)): float(v)
        for y, o, i, v in frame[["year", "org_code", "indicator_code", "value"]].itertuples(
            index=False
        )
    }


def _three_new_two_changed_one_same(db: Path) -> list[tuple[int, str, str, float]]:
    """Rows for indicators no consistency rule involves, chosen from what the copy holds."""
    stored = _values(db)
    orgs = _read(db, "orgs")
    active = orgs["active_to"].isna() | (orgs["active_to"] >= 2025)
    cells = sorted(orgs.loc[(orgs["kind"] == "grassroots_cell") & active, "org_code"])
    new = [(2025, c, "new_members", 1.0) for c in cells if (2025, c, "new_members") not in stored][
        :3
    ]
    assert len(new) == 3, "the demo should leave some 2025 numbers to report"
    changed_members = stored[(2024, "CQ-01", "new_members")] + 1
    changed_rating = stored[(2024, "CQ-01", "org_rating")] % 4 + 1
    return [
        *new,
        (2024, "CQ-01", "new_members", changed_members),
        (2024, "CQ-01", "org_rating", changed_rating),
        (2024, "CQ-01", "inspected", stored[(2024, "CQ-01", "inspected")]),
    ]


def test_history_has_the_contract_columns_and_counts_added_changed_unchanged(
    db: Path, tmp_path: Path
) -> None:
    file = _write_long(tmp_path / "cap_nhat.csv", _three_new_two_changed_one_same(db))
    assert "+3 ~2 =1" in _import(db, file, "--dry-run").stdout

    result = _import(db, file)

    assert result.returncode == 0, result.stderr
    header = run(db, "history", "--format", "csv").stdout.splitlines()[0]
    assert header == "batch_id,applied_at,file_name,sha256,added,changed,unchanged,status"
    assert header.split(",") == HISTORY_OUT
    batch = _last_batch(db)
    assert batch["file_name"] == "cap_nhat.csv"
    assert batch["sha256"] == hashlib.sha256(file.read_bytes()).hexdigest()
    assert (batch["added"], batch["changed"], batch["unchanged"]) == ("3", "2", "1")
    assert batch["status"] == "applied"
    assert abs(datetime.now() - datetime.fromisoformat(batch["applied_at"])).total_seconds() < 600


def test_undo_of_a_file_whose_values_a_later_file_changed_is_a_conflict_unless_forced(
    db: Path, tmp_path: Path
) -> None:
    before = export(db, tmp_path)
    assert _import(db, WIDE).returncode == 0
    first = _last_batch(db)
    correction = _write_long(
        tmp_path / "dinh_chinh.csv",
        [
            (2025, "CQ-07", "new_members", 3),
            (2025, "CQ-08", "org_rating", 2),
        ],
    )
    assert _import(db, correction).returncode == 0
    second = _last_batch(db)
    after_both = export(db, tmp_path)

    refused = run(db, "undo", first["batch_id"])

    assert refused.returncode == 1
    assert "--force" in refused.stderr
    assert f"({second['batch_id']})" in refused.stderr, refused.stderr
    assert export(db, tmp_path) == after_both
    assert _last_batch(db)["status"] == "applied"
    assert history(db)[-2]["status"] == "applied"

    forced = run(db, "undo", "--force", first["batch_id"])

    # as if only the correction had been applied: its two values stay, the rest go back
    assert forced.returncode == 0, forced.stderr
    assert [b["status"] for b in history(db)[-2:]] == ["undone", "applied"]
    after = export(db, tmp_path).decode().splitlines()
    assert "2025,CQ-07,new_members,3" in after and "2025,CQ-08,org_rating,2" in after
    kept = {"2025,CQ-07,new_members,3", "2025,CQ-08,org_rating,2"}
    was = {line.rsplit(",", 1)[0]: line for line in before.decode().splitlines()}
    for line in after:
        if line not in kept:
            assert was.get(line.rsplit(",", 1)[0]) == line, line
    assert len(after) == len(was) + sum(1 for line in kept if line.rsplit(",", 1)[0] not in was)

    assert run(db, "undo", second["batch_id"]).returncode == 0  # nothing later: no --force
    assert export(db, tmp_path) == before


def test_undoing_an_organisations_upload_restores_the_previous_names(db: Path) -> None:
    before = _read(db, "orgs").set_index("org_code")
    assert _import(db, ORGS).returncode == 0
    during = _read(db, "orgs").set_index("org_code")
    assert during.at["CQ-16", "name"] == "Đảng bộ Sở Nông nghiệp và Môi trường"
    assert during.at["CQ-17", "kind"] == "grassroots_cell"
    assert "CQ-43" in during.index

    result = run(db, "undo", _last_batch(db)["batch_id"])

    assert result.returncode == 0, result.stderr
    after = _read(db, "orgs").set_index("org_code")
    assert "CQ-43" not in after.index
    pd.testing.assert_frame_equal(after.sort_index(), before.sort_index())
    assert after.at["CQ-16", "name"] == "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn"
    assert after.at["CQ-17", "name"] == "Đảng bộ Sở Tài nguyên và Môi trường"


def test_the_preview_of_changes_speaks_the_readers_language(org_con) -> None:  # type: ignore[no-untyped-def]
    from src.ingest import prepare
    from src.views.upload_view import changes_table
    from tests.conftest import load

    load(org_con, "year,org_code,indicator_code,value\n2021,A,members_total,30\n")
    data = b"year,org_code,indicator_code,value\n2021,A,members_total,31\n"
    plan = prepare(org_con, data, "change.csv")
    assert plan.changed == 1
    assert list(changes_table(plan, "vi").columns) == [
        "Năm",
        "Mã tổ chức",
        "Mã chỉ số",
        "Cũ",
        "Mới",
    ]
    assert list(changes_table(plan, "en").columns) == ["Year", "Code", "Indicator", "Old", "New"]
    assert changes_table(plan, "vi").iloc[0].tolist()[-2:] == ["30", "31"]


def test_the_history_counts_read_with_the_readers_thousands_separator() -> None:
    from src.views.upload_view import history_table

    batches = pd.DataFrame(
        {
            "batch_id": [2],
            "applied_at": [datetime(2026, 12, 4, 9, 30)],
            "applied_by": ["Văn phòng"],
            "file_name": ["so-lieu-2025.csv"],
            "file_kind": ["observations_long"],
            "added": [4023],
            "changed": [1250],
            "unchanged": [0],
            "status": ["applied"],
        }
    )
    vi = history_table(batches, "vi").iloc[0].tolist()
    assert vi[-4:-1] == ["4.023", "1.250", "0"]
    assert history_table(batches, "en").iloc[0].tolist()[-4:-1] == ["4,023", "1,250", "0"]
