"""Aggregates maintained on write (see docs/scaling.md).

``rebuild(con)`` recomputes every maintained aggregate from the observations; call it after
loading observations in bulk outside the ingest path (the benchmark's generator does).
"""

from __future__ import annotations

import duckdb


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the maintained aggregates from scratch (nothing to do yet)."""
    return None
