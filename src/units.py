"""``unit_year``: one row per grassroots organisation (its subcells rolled up) or root and
year, one column per indicator, which every view reads instead of pivoting observations.

A write of observations only notes the keys it wrote (:func:`mark`, in its transaction);
the rows of the organisations concerned are recomputed by :func:`catch_up`, which every read
of ``unit_year`` (src/queries.py) calls first, and which the refresh after each write runs.
Writes of organisations (parents and active years decide what rolls up where) recompute the
whole table in their transaction (:func:`refresh_all`). When the catch-up cannot be kept (the
disk is full, the file read-only), a read computes it for itself without keeping it
(:func:`current`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from src import storage

Con = duckdb.DuckDBPyConnection

REFRESH_UNIT_YEAR = (Path(__file__).resolve().parent / "sql" / "refresh_unit_year.sql").read_text(
    encoding="utf-8"
)

# the units (grassroots organisation or root) and years of the keys caught up on
_AFFECTED = (
    "CREATE OR REPLACE TEMP TABLE affected_units AS SELECT DISTINCT k.year::SMALLINT AS year,"
    " CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END AS unit"
    " FROM caught_up k JOIN organisations o ON o.org_code = k.org_code"
)
_MARK = {
    "pending": "INSERT INTO unit_year_pending SELECT DISTINCT year, org_code FROM pending",
    "held": "INSERT INTO unit_year_pending SELECT year, org_code FROM bulk_groups WHERE writes",
    "restore": "INSERT INTO unit_year_pending SELECT DISTINCT year, org_code FROM restore",
}


def refresh_all(cur: Con) -> None:
    """Recompute all of ``unit_year`` now, with the writing transaction's cursor (which also
    settles every pending key)."""
    cur.execute("DELETE FROM unit_year")
    cur.execute("DELETE FROM unit_year_pending")
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE affected_units AS"
        " SELECT DISTINCT ob.year,"
        " CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END AS unit"
        " FROM observations ob JOIN organisations o ON o.org_code = ob.org_code"
    )
    cur.execute(REFRESH_UNIT_YEAR)
    cur.execute("DROP TABLE affected_units")


def _replace_affected(cur: Con) -> None:
    cur.execute(
        "DELETE FROM unit_year u USING affected_units a"
        " WHERE u.year = a.year AND u.org_code = a.unit"
    )
    cur.execute(REFRESH_UNIT_YEAR)
    cur.execute("DROP TABLE affected_units")


def mark(cur: Con, table: str) -> None:
    """Inside a write: note the keys of the temp table ``pending`` or ``restore`` (columns
    year, org_code), or those the bulk path's held rows write (``held``: its grouping,
    src/sql/bulk_groups.sql), for the next :func:`catch_up`."""
    cur.execute(_MARK[table])


def pending(con: Con) -> bool:
    rows = con.cursor().execute("SELECT 1 FROM unit_year_pending LIMIT 1").fetchall()
    return bool(rows)


def catch_up(con: Con) -> int:
    """Recompute the rows of the organisations whose keys were written since; returns how
    many keys were settled (0, at the cost of one tiny read, when there were none).

    Under the write lock, in a transaction of its own that changes no data (the data
    version stays), so cached results stay valid: they were computed as if caught up."""
    if not pending(con):
        return 0
    with storage.upkeep(con) as cur:
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE caught_up AS"
            " SELECT DISTINCT year, org_code FROM unit_year_pending"
        )
        count = int(cur.execute("SELECT count(*) FROM caught_up").fetchall()[0][0])
        if count:  # (another thread may have caught up while this one waited for the lock)
            cur.execute(_AFFECTED)
            _replace_affected(cur)
            cur.execute("DELETE FROM unit_year_pending")
        cur.execute("DROP TABLE caught_up")
    return count


@contextmanager
def current(con: Con) -> Iterator[Con]:
    """A cursor on which ``unit_year`` is caught up, for one read. Caught up and kept, as
    :func:`catch_up`; or, when that cannot be written (disk full, read-only file or
    connection), caught up in a temp table of that name on the cursor alone, which shadows
    the kept one for it (temp names are found first), and is dropped after the read:
    reading never needs to write."""
    try:
        catch_up(con)
        kept = True
    except (duckdb.Error, OSError) as exc:
        if not storage.cannot_write(exc):
            raise
        kept = False
    if kept:
        yield con.cursor()
        return
    cur = con.cursor()
    try:
        # read from the kept table, which the new temp one then shadows on this cursor
        cur.execute("CREATE TEMP TABLE unit_year AS SELECT * FROM unit_year")
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE caught_up AS"
            " SELECT DISTINCT year, org_code FROM unit_year_pending"
        )
        cur.execute(_AFFECTED)
        _replace_affected(cur)
        cur.execute("DROP TABLE caught_up")
        yield cur
    finally:
        cur.execute("DROP TABLE IF EXISTS temp.main.unit_year")
        cur.close()
