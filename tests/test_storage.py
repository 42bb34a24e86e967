"""Storage: numbered migrations, transactions that write everything or nothing, the data version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from src.store import storage

TABLES = {
    "resolutions",
    "reporting_years",
    "indicators",
    "goals",
    "batches",
    "organisations",
    "observations",
    "data_changes",
    "assessments",
    "observation_history",
    "organisation_history",
    "assessment_history",
    "resolution_history",
    "meta",
    "unit_year",
    "unit_year_pending",
    "progress_cache",
    "schema_migrations",
}


@pytest.fixture
def raw(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A brand-new database file, with no schema at all."""
    connection = duckdb.connect(str(tmp_path / "raw.duckdb"))
    yield connection
    connection.close()


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {str(r[0]) for r in rows}


def organisations(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [str(r[0]) for r in con.execute("SELECT org_code FROM organisations").fetchall()]


def add_org(cur: duckdb.DuckDBPyConnection, code: str) -> None:
    cur.execute(
        "INSERT INTO organisations (org_code, name, kind) VALUES (?, ?, 'grassroots_cell')",
        [code, f"Chi bộ {code}"],
    )


def all_versions() -> list[int]:
    return [version for version, _, _ in storage.migrations()]


def test_migrations_from_an_empty_database_create_every_table(
    raw: duckdb.DuckDBPyConnection,
) -> None:
    assert tables(raw) == set()
    assert storage.migrate(raw) == all_versions()
    assert tables(raw) == TABLES
    rows = raw.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert rows[0] == (1, "initial")
    assert sorted(storage.applied_migrations(raw)) == all_versions()
    assert storage.data_version(raw) == 0


def test_every_migration_file_is_numbered_in_order_from_one() -> None:
    versions = all_versions()
    assert versions == list(range(1, len(versions) + 1))


def test_migrating_twice_does_nothing_the_second_time(raw: duckdb.DuckDBPyConnection) -> None:
    storage.migrate(raw)
    with storage.transaction(raw) as cur:
        add_org(cur, "A")
    assert storage.migrate(raw) == []
    count = raw.execute("SELECT count(*) FROM schema_migrations").fetchone()
    assert count == (len(all_versions()),)
    assert organisations(raw) == ["A"]  # the data are untouched
    assert storage.data_version(raw) == 1


def test_connecting_again_keeps_the_schema_and_the_data(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    con = storage.connect(path)
    with storage.transaction(con) as cur:
        add_org(cur, "A")
    con.close()
    con = storage.connect(path)
    assert organisations(con) == ["A"]
    assert sorted(storage.applied_migrations(con)) == all_versions()
    con.close()


def test_a_failing_write_inside_a_transaction_leaves_nothing(tmp_path: Path) -> None:
    con = storage.connect(tmp_path / "db.duckdb")
    with pytest.raises(duckdb.ConstraintException), storage.transaction(con) as cur:
        add_org(cur, "A")
        add_org(cur, "B")
        add_org(cur, "A")  # the primary key refuses it: everything is rolled back
    assert organisations(con) == []
    assert storage.data_version(con) == 0
    con.close()


def test_an_error_raised_by_the_caller_rolls_the_transaction_back(tmp_path: Path) -> None:
    con = storage.connect(tmp_path / "db.duckdb")
    with pytest.raises(RuntimeError, match="refused"), storage.transaction(con) as cur:
        add_org(cur, "A")
        raise RuntimeError("refused")
    assert organisations(con) == []
    assert storage.data_version(con) == 0
    # the connection is still usable for the next write
    with storage.transaction(con) as cur:
        add_org(cur, "B")
    assert organisations(con) == ["B"]
    assert storage.data_version(con) == 1
    con.close()


def test_data_version_increases_with_every_successful_write(tmp_path: Path) -> None:
    con = storage.connect(tmp_path / "db.duckdb")
    assert storage.data_version(con) == 0
    with storage.transaction(con) as cur:
        add_org(cur, "A")
    assert storage.data_version(con) == 1
    with storage.transaction(con) as cur:
        add_org(cur, "B")
    assert storage.data_version(con) == 2
    assert sorted(organisations(con)) == ["A", "B"]
    con.close()


def test_backups_of_another_database_whose_name_starts_alike_are_neither_rotated_nor_restored(
    tmp_path: Path,
) -> None:
    dash = storage.connect(tmp_path / "dash.duckdb")
    old = storage.connect(tmp_path / "dash-old.duckdb")
    try:
        for _ in range(5):
            storage.backup(old, tmp_path / "dash-old.duckdb")
        mine = storage.backup(dash, tmp_path / "dash.duckdb")

        assert mine.exists()  # not rotated away among dash-old's five
        assert storage.latest_backup(tmp_path / "dash.duckdb") == mine
        assert len(storage.backups_of(tmp_path / "dash-old.duckdb")) == 5
        assert storage.backups_of(tmp_path / "dash.duckdb") == [mine]
    finally:
        dash.close()
        old.close()


def test_the_tests_copied_catalogue_database_holds_what_installing_the_catalogue_writes(
    tmp_path: Path,
) -> None:
    """make_db (tests/conftest.py) copies one database built per process: the copy holds,
    table by table, what a fresh install of the catalogue writes (but for when it was made:
    the moments of the install and of the migrations, the columns of type TIMESTAMP)."""
    from tests.conftest import build_catalogue_db, make_db

    build_catalogue_db(tmp_path / "fresh.duckdb")
    fresh = storage.connect(tmp_path / "fresh.duckdb")
    copied = make_db(tmp_path / "copied.duckdb")
    try:
        for table in sorted(TABLES):
            columns = [
                f'"{name}"'
                for name, kind, *_ in fresh.execute(f"DESCRIBE {table}").fetchall()
                if kind != "TIMESTAMP"
            ]
            query = f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL"
            assert copied.execute(query).fetchall() == fresh.execute(query).fetchall(), table
    finally:
        fresh.close()
        copied.close()


def test_reads_by_way_of_arrow_give_the_frames_duckdb_df_gives(tmp_path: Path) -> None:
    """queries._frame (organisations, cell lists, scorecard input) must give the same
    columns, values and dtypes as ``.df()`` (text always as pandas' string dtype): text with
    and without NULLs, nullable small and big integers, doubles with NULLs, an empty
    result."""
    from src.store import queries

    con = duckdb.connect(str(tmp_path / "types.duckdb"))
    con.execute(
        "CREATE TABLE t AS SELECT i::INTEGER AS i, ('c' || i)::VARCHAR AS code,"
        " CASE WHEN i % 3 = 0 THEN NULL ELSE 'Chi bộ ' || i END AS name,"
        " CASE WHEN i % 4 = 0 THEN NULL ELSE (2000 + i)::SMALLINT END AS year,"
        " (i * 1000000000)::BIGINT AS big, CASE WHEN i % 5 = 0 THEN NULL ELSE i / 7 END AS x"
        " FROM range(50) r(i)"
    )
    for sql, params in (
        ("SELECT * FROM t ORDER BY i", None),
        ("SELECT code, name, year, x FROM t WHERE i > ? ORDER BY code", [10]),
        ("SELECT * FROM t WHERE i < 0", None),
    ):
        fast = queries._frame(con.cursor(), sql, params)
        plain = con.cursor().execute(sql, params or []).df()
        # .df() gives text as pandas' string dtype or as objects, depending on how DuckDB
        # holds the column; the Arrow way always gives the string dtype
        text = [c for c in plain.columns if plain[c].dtype == object or plain[c].dtype == "str"]
        assert all(fast[c].dtype == "str" for c in text)
        pd.testing.assert_frame_equal(fast, plain.astype(dict.fromkeys(text, "str")))
    con.close()
