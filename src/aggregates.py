"""Aggregates maintained on write, so that reading stays fast at any size (docs/scaling.md).

- ``unit_year``: one row per grassroots organisation (its subcells rolled up) or root and
  year, one column per indicator. Refreshed inside the writing transaction for the
  organisations and years a write touched, so it is never out of step with observations.
- ``progress_cache``: the whole committee's target-vs-actual table for every reporting year,
  computed by the same code that computes it on demand. Each write records the first year
  it can change (``data_changes``); a kept year is used only while no such change is newer
  than the version it was computed at, and a refresh after the write recomputes only the
  stale years. A crash between the write and the refresh leaves years stale, never wrong:
  readers then compute directly, and the next refresh (or start) catches up.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from src import progress, queries, storage

REFRESH_UNIT_YEAR = (Path(__file__).resolve().parent / "sql" / "refresh_unit_year.sql").read_text(
    encoding="utf-8"
)


# the units (grassroots organisation or root) and years of the keys a write touched, from
# the temp table the write holds them in
_UNITS = (
    "CREATE OR REPLACE TEMP TABLE affected_units AS SELECT DISTINCT k.year::SMALLINT AS year,"
    " CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END AS unit"
)
_AFFECTED = {
    "written_keys": _UNITS + " FROM written_keys k JOIN organisations o ON o.org_code = k.org_code",
    "pending": _UNITS + " FROM pending k JOIN organisations o ON o.org_code = k.org_code",
    "restore": _UNITS + " FROM restore k JOIN organisations o ON o.org_code = k.org_code",
}


def refresh_units(cur: duckdb.DuckDBPyConnection, keys: pd.DataFrame | str | None = None) -> None:
    """Recompute ``unit_year`` for the (year, org_code) pairs written: a DataFrame of them,
    or the name of a temp table of the writing transaction that has those columns; every
    row when ``keys`` is None. Run it with the writing transaction's cursor."""
    if keys is None:
        cur.execute("DELETE FROM unit_year")
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE affected_units AS"
            " SELECT DISTINCT ob.year,"
            " CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END AS unit"
            " FROM observations ob JOIN organisations o ON o.org_code = ob.org_code"
        )
    else:
        if isinstance(keys, str):
            if keys not in _AFFECTED:
                raise ValueError(f"not a table of written keys: {keys!r}")
            source = keys
        else:
            cur.register("written_keys", keys[["year", "org_code"]].drop_duplicates())
            source = "written_keys"
        try:
            cur.execute(_AFFECTED[source])
        finally:
            if not isinstance(keys, str):
                cur.unregister("written_keys")
        cur.execute(
            "DELETE FROM unit_year u USING affected_units a"
            " WHERE u.year = a.year AND u.org_code = a.unit"
        )
    cur.execute(REFRESH_UNIT_YEAR)
    cur.execute("DROP TABLE affected_units")


def refresh_progress(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Recompute the whole committee's table of every reporting year that a write made stale
    (``data_changes``), and only those; returns them.

    Computed from committed data, under the write lock (so no write comes in between), in a
    transaction of its own that does not count as a change of data."""
    with storage.WRITE_LOCK:
        version = storage.data_version(con)
        stale = queries.stale_progress_years(con)
        if not stale:
            return []
        rows = []
        for code, year in stale:
            table = progress.compute_table(con, year, None, code)
            rows += [(code, year, i, r, version) for i, r in enumerate(progress.to_rows(table))]
        cur = con.cursor()
        cur.begin()
        try:
            cur.executemany(
                "DELETE FROM progress_cache WHERE resolution_code = ? AND year = ?", stale
            )
            if rows:
                cur.executemany(
                    "INSERT INTO progress_cache (resolution_code, year, sort_order, row_json,"
                    " version) VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
            cur.commit()
        except BaseException:
            cur.rollback()
            raise
        finally:
            cur.close()
        return stale


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the kept progress of every reporting year is current."""
    return not queries.stale_progress_years(con)


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every maintained aggregate from the observations (after a bulk load outside
    the ingest path, or a change of the catalogue or of the organisations)."""
    with storage.transaction(con) as cur:
        refresh_units(cur, None)
    refresh_progress(con)
