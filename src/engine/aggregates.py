"""Aggregates maintained on write, so that reading stays fast at any size (docs/scaling.md).

- ``unit_year``: one row per grassroots organisation (its subcells rolled up) or root and
  year, one column per indicator; a write notes the keys it wrote and every read catches up
  first (src/store/units.py), so no reader sees it out of step with observations.
- ``progress_cache``: the whole committee's target-vs-actual table for every reporting year,
  computed by the same code that computes it on demand. Each write records the first year
  it can change (``data_changes``); a kept year is used only while no such change is newer
  than the version it was computed at, and a refresh after the write recomputes only the
  stale years. A crash between the write and the refresh leaves years stale, never wrong:
  readers then compute directly, and the next refresh (or start) catches up.
"""

from __future__ import annotations

import duckdb

from src.engine import progress
from src.store import kept, queries, storage, units


def refresh_progress(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Recompute the whole committee's table of every reporting year that a write made stale
    (``data_changes``), and only those; returns them.

    Computed from committed data, under the write lock (so no write comes in between), in a
    transaction of its own that does not count as a change of data."""
    with storage.WRITE_LOCK:
        units.catch_up(con)  # the write's organisations first: the tables are built on them
        version = storage.data_version(con)
        stale = queries.stale_progress_years(con)
        if not stale:
            return []
        rows = []
        for code in dict.fromkeys(c for c, _ in stale):
            tables = progress.compute_tables(con, [y for c, y in stale if c == code], code)
            for year, table in tables.items():
                rows += [(code, year, i, r, version) for i, r in enumerate(progress.to_rows(table))]
        with storage.upkeep(con) as cur:
            kept.replace_progress(cur, stale, rows)
        return stale


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the kept progress of every reporting year is current."""
    return not queries.stale_progress_years(con)


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every maintained aggregate from the observations (after a bulk load outside
    the ingest path, or a change of the catalogue or of the organisations)."""
    with storage.transaction(con) as cur:
        units.refresh_all(cur)
    refresh_progress(con)
