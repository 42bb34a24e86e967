"""Aggregates maintained on write, so that reading stays fast at any size (docs/scaling.md).

- ``unit_year``: one row per grassroots organisation (its subcells rolled up) or root and
  year, one column per indicator. Refreshed inside the writing transaction for the
  organisations and years a write touched, so it is never out of step with observations.
- ``progress_cache``: the whole committee's target-vs-actual table for every reporting year,
  recomputed right after each write by the same code that computes it on demand, and used
  only while its recorded version equals the database's data version. A crash between the
  write and the recomputation leaves it stale, never wrong: readers then compute directly.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from src import progress, queries, storage

REFRESH_UNIT_YEAR = (Path(__file__).resolve().parent / "sql" / "refresh_unit_year.sql").read_text(
    encoding="utf-8"
)


def refresh_units(cur: duckdb.DuckDBPyConnection, keys: pd.DataFrame | None = None) -> None:
    """Recompute ``unit_year`` for the (year, org_code) pairs written — every row when
    ``keys`` is None. Run it with the writing transaction's cursor."""
    if keys is None:
        cur.execute("DELETE FROM unit_year")
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE affected_units AS"
            " SELECT DISTINCT ob.year,"
            " CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END AS unit"
            " FROM observations ob JOIN organisations o ON o.org_code = ob.org_code"
        )
    else:
        cur.register("written_keys", keys[["year", "org_code"]].drop_duplicates())
        try:
            cur.execute(
                "CREATE OR REPLACE TEMP TABLE affected_units AS"
                " SELECT DISTINCT k.year::SMALLINT AS year,"
                " CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END AS unit"
                " FROM written_keys k JOIN organisations o ON o.org_code = k.org_code"
            )
        finally:
            cur.unregister("written_keys")
        cur.execute(
            "DELETE FROM unit_year u USING affected_units a"
            " WHERE u.year = a.year AND u.org_code = a.unit"
        )
    cur.execute(REFRESH_UNIT_YEAR)
    cur.execute("DROP TABLE affected_units")


def refresh_progress(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the whole committee's tables of every reporting year and mark them current.

    Computed from committed data, under the write lock, in its own transaction (which does
    not count as a change of data)."""
    with storage.WRITE_LOCK:
        version = storage.data_version(con)
        rows = []
        for resolution in queries.resolutions(con):
            for year in resolution.term_years:
                table = progress.compute_table(con, year, None, resolution.code)
                rows += [
                    (resolution.code, year, i, r) for i, r in enumerate(progress.to_rows(table))
                ]
        cur = con.cursor()
        cur.begin()
        try:
            cur.execute("DELETE FROM progress_cache")
            if rows:
                cur.executemany("INSERT INTO progress_cache VALUES (?, ?, ?, ?)", rows)
            cur.execute("DELETE FROM meta WHERE key = 'progress_version'")
            cur.execute("INSERT INTO meta VALUES ('progress_version', ?)", [str(version)])
            cur.commit()
        except BaseException:
            cur.rollback()
            raise
        finally:
            cur.close()


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    row = (
        con.cursor()
        .execute(
            "SELECT (SELECT value FROM meta WHERE key = 'progress_version')"
            " = (SELECT value FROM meta WHERE key = 'data_version')"
        )
        .fetchone()
    )
    return bool(row and row[0])


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every maintained aggregate from the observations (after a bulk load outside
    the ingest path, or a change of the catalogue or of the organisations)."""
    with storage.transaction(con) as cur:
        refresh_units(cur, None)
    refresh_progress(con)
