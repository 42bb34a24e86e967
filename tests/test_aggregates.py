"""The maintained aggregates always say what a computation from scratch says: after
imports, undo and changes of organisations, and after a write cut off before they caught
up; and a stale kept table is never used."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from src.engine import aggregates, progress
from src.ingest import undo
from src.store import queries, storage, units
from tests.conftest import load

VALUES = """year,org_code,indicator_code,value
2021,A,members_total,30
2021,A,members_studied,28
2021,B,members_total,20
2021,B,members_studied,20
2021,C1,members_total,12
2021,C1,members_studied,9
2021,C1,new_members,2
2021,ROOT,classes_candidates,2
2022,A,members_total,31
2022,A,members_studied,31
2022,D,members_total,10
2022,D,members_studied,7
"""


def unit_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.cursor().execute("SELECT * FROM unit_year ORDER BY year, org_code").df()
    return frame.reset_index(drop=True)


def assert_matches_a_rebuild(con: duckdb.DuckDBPyConnection) -> None:
    kept = unit_year(con)
    tables = {y: progress.progress_table(con, y) for y in range(2020, 2026)}
    assert aggregates.is_current(con)
    aggregates.rebuild(con)
    pd.testing.assert_frame_equal(kept, unit_year(con))
    for year, table in tables.items():
        pd.testing.assert_frame_equal(table, progress.compute_table(con, year))


def test_kept_tables_equal_a_rebuild_after_imports_and_undo(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    first = load(org_con, VALUES)
    assert_matches_a_rebuild(org_con)
    load(
        org_con,
        "year,org_code,indicator_code,value\n2021,A,members_studied,30\n"
        "2021,C,members_total,50\n2023,B,members_total,21\n",
        "second.csv",
    )
    assert_matches_a_rebuild(org_con)
    undo(org_con, first, force=True)
    assert_matches_a_rebuild(org_con)


def test_moving_a_subcell_recomputes_what_rolls_up(org_con: duckdb.DuckDBPyConnection) -> None:
    load(org_con, VALUES)
    c_before = progress.progress_table(org_con, 2021, ["C"]).set_index("goal_code")
    assert c_before.loc["A1", "denominator"] == 12  # C1's members roll up into C
    load(org_con, "org_code,name,kind,parent_code\nC1,Chi bộ C1,grassroots_cell,ROOT\n", "move.csv")
    assert_matches_a_rebuild(org_con)
    c_after = progress.progress_table(org_con, 2021, ["C"]).set_index("goal_code")
    assert pd.isna(c_after.loc["A1", "actual"])  # C1 now stands on its own


def test_a_stale_kept_table_is_not_used(org_con: duckdb.DuckDBPyConnection) -> None:
    load(org_con, VALUES)
    kept = progress.progress_table(org_con, 2021)
    # a write whose recomputation never ran (a crash between the two)
    with storage.transaction(org_con) as cur:
        cur.execute(
            "UPDATE observations SET value = 10 WHERE org_code = 'B'"
            " AND indicator_code = 'members_studied' AND year = 2021"
        )
        units.refresh_all(cur)
    assert not aggregates.is_current(org_con)
    fresh = progress.progress_table(org_con, 2021).set_index("goal_code")
    assert fresh.loc["A1", "numerator"] == 28 + 10 + 9
    assert kept.set_index("goal_code").loc["A1", "numerator"] == 28 + 20 + 9


def test_the_tables_of_several_years_read_at_once_equal_each_computed_alone(demo_db) -> None:  # type: ignore[no-untyped-def]
    """What a write's refresh keeps (compute_tables: one read for all the stale years) is
    what each year's own computation says, for every resolution and reporting year."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        for resolution in queries.resolutions(con):
            term = resolution.term_years
            alone = {
                y: progress.compute_table(con, y, None, resolution.code)
                for y in [term[0] - 1, *term]
            }
            for years in (list(alone), [term[-1]], [term[1], term[-2]]):
                together = progress.compute_tables(con, years, resolution.code)
                assert sorted(together) == sorted(years)
                for year in years:
                    pd.testing.assert_frame_equal(together[year], alone[year])
    finally:
        con.close()


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023, 2024, 2025])
def test_the_demo_kept_tables_equal_the_computation(demo_db, year: int) -> None:  # type: ignore[no-untyped-def]
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        assert aggregates.is_current(con)
        pd.testing.assert_frame_equal(
            progress.progress_table(con, year), progress.compute_table(con, year)
        )
    finally:
        con.close()


def test_opening_an_unchanged_database_writes_nothing(
    demo_db,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import shutil

    from src.services import bootstrap
    from src.store import catalogue

    db = tmp_path / "open.duckdb"
    shutil.copy(demo_db, db)
    bootstrap.open_database(db).close()
    con = bootstrap.open_database(db)
    version = storage.data_version(con)
    con.close()
    con = bootstrap.open_database(db)  # nothing changed: no install, no recomputation
    assert storage.data_version(con) == version
    assert aggregates.is_current(con)
    con.close()
    monkeypatch.setattr(catalogue, "fingerprint", lambda directory=None: "edited")
    con = bootstrap.open_database(db)  # the catalogue files changed: installed again
    assert storage.data_version(con) == version + 1
    assert aggregates.is_current(con)
    con.close()


def raw_units(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.cursor().execute("SELECT count(*) FROM unit_year").fetchall()[0][0])


def test_a_write_notes_its_keys_and_the_next_read_catches_unit_year_up(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    from src.ingest import apply, prepare
    from src.store import queries, units

    before = raw_units(org_con)
    data = VALUES.encode("utf-8")
    apply(org_con, prepare(org_con, data, "v.csv"), applied_by="t", data=data, refresh=False)
    # committed with the keys noted, unit_year itself not yet touched
    assert units.pending(org_con)
    assert raw_units(org_con) == before
    wide = queries.unit_wide(org_con, 2021, 2021, ["A", "C"]).set_index("org_code")
    assert wide.loc["A", "members_studied"] == 28
    assert wide.loc["C", "members_total"] == 12  # C1's members, rolled up by the catch-up
    assert not units.pending(org_con)
    assert not aggregates.is_current(org_con)  # the kept progress waits for its refresh
    assert aggregates.refresh_progress(org_con)
    assert_matches_a_rebuild(org_con)


def test_a_bulk_path_write_notes_exactly_the_keys_whose_values_it_adds_or_changes(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    from src.ingest import apply, prepare
    from src.store import units

    header = "year,org_code,indicator_code,value\n"
    load(org_con, header + "2021,A,members_total,30\n2021,B,members_total,10\n")
    assert not units.pending(org_con)
    # A unchanged, B changed, C1 (a subcell) added
    data = (
        header + "2021,A,members_total,30\n2021,B,members_total,11\n2022,C1,members_total,5\n"
    ).encode("utf-8")
    plan = prepare(org_con, data, "w.csv")
    assert plan.ok and plan.diffed is True  # the bulk path took it
    apply(org_con, plan, applied_by="t", data=data, refresh=False)
    noted = org_con.cursor().execute("SELECT year, org_code FROM unit_year_pending").fetchall()
    assert sorted(noted) == [(2021, "B"), (2022, "C1")]
    aggregates.refresh_progress(org_con)
    assert_matches_a_rebuild(org_con)


def test_keys_left_by_a_write_cut_off_before_catching_up_are_settled_when_reopened(
    db_path,  # type: ignore[no-untyped-def]
) -> None:
    from src.ingest import apply, prepare
    from src.services import bootstrap
    from src.store import units
    from tests.conftest import ORGS_CSV, make_db

    con = make_db(db_path)
    load(con, ORGS_CSV, "orgs.csv")
    data = VALUES.encode("utf-8")
    apply(con, prepare(con, data, "v.csv"), applied_by="t", data=data, refresh=False)
    con.close()  # as if the process ended between the commit and the catch-up
    con = bootstrap.open_database(db_path)
    try:
        assert not units.pending(con)
        assert aggregates.is_current(con)
        assert_matches_a_rebuild(con)
    finally:
        con.close()


def test_a_write_makes_stale_only_the_years_it_can_change(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    from src.store import queries

    load(org_con, VALUES)
    assert queries.stale_progress_years(org_con) == []
    kept_2021 = progress.progress_table(org_con, 2021)
    # 2023's numbers change 2023 and, through the term's cumulative goals, 2024 and 2025
    data = b"year,org_code,indicator_code,value\n2023,A,new_members,4\n"
    from src.ingest import apply, prepare

    apply(org_con, prepare(org_con, data, "y.csv"), applied_by="t", data=data, refresh=False)
    stale = [year for _, year in queries.stale_progress_years(org_con)]
    assert stale == [2023, 2024, 2025]
    # the years before are still read from what was kept, and still right
    assert queries.cached_progress(org_con, "DBCQ-BK-2020-2025", 2021) is not None
    pd.testing.assert_frame_equal(progress.progress_table(org_con, 2021), kept_2021)
    assert queries.cached_progress(org_con, "DBCQ-BK-2020-2025", 2023) is None
    recomputed = aggregates.refresh_progress(org_con)
    assert [year for _, year in recomputed] == [2023, 2024, 2025]
    assert_matches_a_rebuild(org_con)
    # a change of organisations changes every year
    orgs = "org_code,name,kind,parent_code\nE,Chi bộ E,grassroots_cell,ROOT\n".encode()
    apply(org_con, prepare(org_con, orgs, "e.csv"), applied_by="t", data=orgs, refresh=False)
    assert [y for _, y in queries.stale_progress_years(org_con)] == list(range(2020, 2026))


def test_the_organisations_fingerprint_follows_the_organisations_and_nothing_else(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    """The dashboard keeps what it read of the organisations (cell lists, names) until this
    fingerprint changes: a write of numbers keeps it, a renamed cell, a new one, a changed
    year of activity or an undo of those change it."""
    start = queries.organisations_fingerprint(org_con)
    load(org_con, "year,org_code,indicator_code,value\n2024,A,members_total,10\n", "v.csv")
    assert queries.organisations_fingerprint(org_con) == start
    head = "org_code,name,kind,parent_code,group,active_from,active_to\n"
    seen = {start}
    for row in (
        "A,Chi bộ A mới,grassroots_cell,ROOT,Khối 1,,",
        "A,Chi bộ A mới,grassroots_cell,ROOT,Khối 2,,",
        "A,Chi bộ A mới,grassroots_cell,ROOT,Khối 2,2021,",
        "E,Chi bộ E,grassroots_cell,ROOT,Khối 1,,",
    ):
        batch = load(org_con, head + row + "\n", f"o{len(seen)}.csv")
        now = queries.organisations_fingerprint(org_con)
        assert now not in seen, row
        seen.add(now)
    undo(org_con, batch)
    assert queries.organisations_fingerprint(org_con) != now
