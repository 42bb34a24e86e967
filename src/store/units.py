"""``unit_year``: one row per grassroots organisation (its subcells rolled up) or root and
year, one column per indicator, which every view reads instead of pivoting observations.

A write of observations only notes the keys it wrote (:func:`mark`, in its transaction);
the rows of the organisations concerned are recomputed by :func:`catch_up`, which every read
of ``unit_year`` (src/store/queries.py) calls first, and which the refresh after each write runs.
Writes of organisations (parents and active years decide what rolls up where) recompute the
whole table in their transaction (:func:`refresh_all`). When the catch-up cannot be kept (the
disk is full, the file read-only), a read computes it for itself without keeping it
(:func:`current`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb

from src.domain.models import INDICATOR_CODE, Indicator
from src.store import storage

Con = duckdb.DuckDBPyConnection

# Recompute unit_year for the units in `affected_units` (year, unit): each grassroots
# organisation's own value, or else the sum of its subcells' values where the indicator adds
# up (counts and amounts: Indicator.adds_up; percentages, flags and ratings do not roll up);
# the root's own values; nothing for a year the unit is not active in.
# A template, made whole by refresh_sql below from the indicators table: the
# parameters are the indicator codes and whether each adds up (two lists), then one code per
# column of the select list; /*columns*/ is the list of the same codes as column names
# (checked against models.INDICATOR_CODE, quoted), so the INSERT names what it fills;
# /*into*/ is unit_year, or the temp table a new column is filled from (sync_columns).
_REFRESH_TEMPLATE = """
INSERT INTO /*into*/ (year, org_code/*columns*/)
WITH ind AS (
    SELECT unnest(?::VARCHAR[]) AS code, unnest(?::BOOLEAN[]) AS adds_up
),
sel AS (
    SELECT o.org_code, o.kind, u.org_code AS unit, u.active_from, u.active_to
    FROM organisations o
    JOIN organisations u ON u.org_code =
         CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END
),
obs AS (
    SELECT ob.year, s.unit, ob.indicator_code, ob.value,
           s.kind <> 'subcell' AS own, i.adds_up
    FROM observations ob
    JOIN sel s ON s.org_code = ob.org_code
    JOIN ind i ON i.code = ob.indicator_code
    JOIN affected_units a ON a.year = ob.year AND a.unit = s.unit
    WHERE (s.active_from IS NULL OR s.active_from <= ob.year)
      AND (s.active_to IS NULL OR s.active_to >= ob.year)
),
-- the subcells' values summed, used where the unit has no value of its own; own values are
-- one per unit, year and indicator already (observations' key), so only these are grouped
sub AS (
    SELECT year, unit, indicator_code, sum(value) AS value
    FROM obs WHERE NOT own AND adds_up
    GROUP BY year, unit, indicator_code
),
vals AS (
    SELECT year, unit, indicator_code, value FROM obs WHERE own
    UNION ALL
    SELECT s.year, s.unit, s.indicator_code, s.value FROM sub s
    ANTI JOIN (SELECT year, unit, indicator_code FROM obs WHERE own) o
      ON o.year = s.year AND o.unit = s.unit AND o.indicator_code = s.indicator_code
)
SELECT year, unit/*values*/
FROM vals
GROUP BY year, unit;
"""
_FIXED = ("year", "org_code")  # unit_year's key; every other column is an indicator's


def column_name(code: str) -> str:
    """An indicator code as a quoted column name of ``unit_year``: only a code of the form
    the catalogue admits (models.INDICATOR_CODE), so no other text reaches SQL."""
    if not INDICATOR_CODE.match(code) or code in _FIXED:
        raise ValueError(f"not an indicator code: {code!r}")
    return '"' + code + '"'


def _installed(cur: Con) -> list[tuple[str, bool]]:
    """(code, adds up) of every indicator in the catalogue, in its order."""
    rows = cur.execute("SELECT code, value_type, level FROM indicators ORDER BY sort_order")
    return [
        (str(r[0]), Indicator(str(r[0]), "", "", "", "", str(r[1]), str(r[2])).adds_up)
        for r in rows.fetchall()
    ]


_TARGETS = ("unit_year", "unit_year_filled")


def refresh_sql(
    indicators: Sequence[tuple[str, bool]], into: str = "unit_year"
) -> tuple[str, list[object]]:
    """The refresh of the ``affected_units`` rows (``_REFRESH_TEMPLATE``) for these
    indicators (code, adds up), and its parameters: one column and one
    ``max(value) FILTER (WHERE indicator_code = ?)`` per indicator, the INSERT naming its
    columns. ``into``: ``unit_year``, or the temp table a new column is filled from."""
    if into not in _TARGETS:
        raise ValueError(into)
    codes = [code for code, _ in indicators]
    names = "".join(", " + column_name(code) for code in codes)
    pick = ",\n       max(value) FILTER (WHERE indicator_code = ?)"
    sql = (
        _REFRESH_TEMPLATE.replace("/*into*/", into)
        .replace("/*columns*/", names)
        .replace("/*values*/", pick * len(codes))
    )
    return sql, [codes, [adds for _, adds in indicators], *codes]


def _run_refresh(cur: Con, indicators: Sequence[tuple[str, bool]], into: str = "unit_year") -> None:
    sql, params = refresh_sql(indicators, into)
    cur.execute(sql, params)


def _refresh(cur: Con) -> None:
    _run_refresh(cur, _installed(cur))


# filling new columns (sync_columns): /*columns*/ and /*set*/ are made of checked names only
_FILL = (
    # its columns written out: DuckDB 2.0 joins a table made by CREATE ... AS ... LIMIT 0 and
    # filled in the same transaction as if it were still empty (beyond a row group)
    "CREATE OR REPLACE TEMP TABLE unit_year_filled"
    " (year SMALLINT NOT NULL, org_code VARCHAR NOT NULL/*typed*/)",
    "UPDATE unit_year u SET /*set*/ FROM unit_year_filled f"
    " WHERE u.year = f.year AND u.org_code = f.org_code",
    "INSERT INTO unit_year (year, org_code/*columns*/) SELECT f.* FROM unit_year_filled f"
    " ANTI JOIN unit_year u ON u.year = f.year AND u.org_code = f.org_code",
)


def _fill(cur: Con, indicators: Sequence[tuple[str, bool]]) -> None:
    """Fill new columns of ``unit_year`` (all NULL) from the observations of their codes, for
    the units in ``affected_units``: only those columns are computed and written (a row that
    had none of the other indicators' values is added)."""
    names = [column_name(code) for code, _ in indicators]
    create, update, insert = (
        sql.replace("/*columns*/", "".join(", " + n for n in names))
        .replace("/*typed*/", "".join(", " + n + " DOUBLE" for n in names))
        .replace("/*set*/", ", ".join(n + " = f." + n for n in names))
        for sql in _FILL
    )
    cur.execute(create)
    _run_refresh(cur, indicators, "unit_year_filled")
    cur.execute(update)
    cur.execute(insert)
    cur.execute("DROP TABLE unit_year_filled")


def columns(cur: Con) -> list[str]:
    """The indicator columns of the kept ``unit_year`` (not a temp one of that name)."""
    rows = cur.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
        " AND schema_name = 'main' AND table_name = 'unit_year' AND NOT internal"
        " ORDER BY column_index"
    ).fetchall()
    return [str(r[0]) for r in rows if str(r[0]) not in _FIXED]


def sync_columns(cur: Con) -> tuple[list[str], list[str]]:
    """Inside the write that installed indicators: give ``unit_year`` one DOUBLE column per
    indicator of the catalogue, and none for an indicator no longer installed (its values
    stay in ``observations``; installed again, it gets its column back, filled).

    A new column is filled only where observations of its code exist: the rows of those
    organisations and years are recomputed, and nothing else (a new indicator has no values
    yet, so its cost is one look for them). Only the new columns are computed and written
    there (:func:`_fill`). Returns (columns added, columns dropped)."""
    installed = _installed(cur)
    wanted = [code for code, _ in installed]
    have = columns(cur)
    added = [c for c in wanted if c not in have]
    dropped = [c for c in have if c not in wanted]
    for code in dropped:
        cur.execute("ALTER TABLE unit_year DROP COLUMN " + column_name(code))
    for code in added:
        cur.execute("ALTER TABLE unit_year ADD COLUMN " + column_name(code) + " DOUBLE")
    if added:
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE affected_units AS SELECT DISTINCT ob.year,"
            " CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END AS unit"
            " FROM observations ob JOIN organisations o ON o.org_code = ob.org_code"
            " WHERE list_contains(?::VARCHAR[], ob.indicator_code)",
            [added],
        )
        if cur.execute("SELECT count(*) FROM affected_units").fetchall()[0][0]:
            _fill(cur, [(code, adds) for code, adds in installed if code in added])
        cur.execute("DROP TABLE affected_units")
    return added, dropped


# the units (grassroots organisation or root) and years of the keys caught up on
_AFFECTED = (
    "CREATE OR REPLACE TEMP TABLE affected_units AS SELECT DISTINCT k.year::SMALLINT AS year,"
    " CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END AS unit"
    " FROM caught_up k JOIN organisations o ON o.org_code = k.org_code"
)


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
    _refresh(cur)
    cur.execute("DROP TABLE affected_units")


def _replace_affected(cur: Con) -> None:
    cur.execute(
        "DELETE FROM unit_year u USING affected_units a"
        " WHERE u.year = a.year AND u.org_code = a.unit"
    )
    _refresh(cur)
    cur.execute("DROP TABLE affected_units")


_TEMP_NAME = re.compile(r"[a-z][a-z_]{0,62}")


def mark(cur: Con, table: str) -> None:
    """Inside a write, on its cursor: note the (year, org_code) keys the write changes, for
    the next :func:`catch_up`. ``table`` names the writer's own temp table or view with
    those two columns (a plain lower-case name: it is written into the statement)."""
    if not _TEMP_NAME.fullmatch(table):
        raise ValueError(f"not a temp table name: {table!r}")
    cur.execute(
        "INSERT INTO unit_year_pending SELECT DISTINCT year, org_code FROM " + table  # noqa: S608
    )


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
