"""The kept committee-wide progress (``progress_cache``): its rows replaced for the years a
write made stale. Which years are stale, and reading a kept year, are in queries.py."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb


def replace_progress(
    cur: duckdb.DuckDBPyConnection,
    stale: Sequence[tuple[str, int]],
    rows: Sequence[tuple[str, int, int, str, int]],
) -> None:
    """Within the caller's transaction: drop the kept rows of each (resolution, year) in
    ``stale``, then keep ``rows`` (resolution, year, order, row as JSON, data version)."""
    cur.executemany("DELETE FROM progress_cache WHERE resolution_code = ? AND year = ?", stale)
    if rows:
        cur.executemany(
            "INSERT INTO progress_cache (resolution_code, year, sort_order, row_json, version)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )
