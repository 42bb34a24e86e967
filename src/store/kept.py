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
    if stale:  # one statement each, not one per row (DuckDB runs executemany row by row)
        codes, years = zip(*stale, strict=True)
        cur.execute(
            "DELETE FROM progress_cache USING"
            " (SELECT unnest(?::VARCHAR[]) AS code, unnest(?::INTEGER[]) AS year) AS s"
            " WHERE progress_cache.resolution_code = s.code AND progress_cache.year = s.year",
            [list(codes), list(years)],
        )
    if rows:
        columns = [list(c) for c in zip(*rows, strict=True)]
        cur.execute(
            "INSERT INTO progress_cache (resolution_code, year, sort_order, row_json, version)"
            " SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]), unnest(?::INTEGER[]),"
            " unnest(?::VARCHAR[]), unnest(?::BIGINT[])",
            columns,
        )
