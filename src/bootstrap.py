"""Creating and opening the database: migrations, the catalogue, the demo data."""

from __future__ import annotations

from pathlib import Path

import duckdb

from src import aggregates, catalogue, config, queries, storage
from src.ingest import apply, prepare

DEMO_FILES = ("organisations.csv", "observations.csv", "assessments.csv")


def load_demo(con: duckdb.DuckDBPyConnection, applied_by: str = "init --demo") -> None:
    """Apply the committed demo files through the normal upload path, marked as demo."""
    for name in DEMO_FILES:
        data = (config.DEMO_DIR / name).read_bytes()
        plan = prepare(con, data, f"demo/{name}", is_demo=True)
        apply(con, plan, applied_by=applied_by, data=data)


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    return not queries.data_years(con) and queries.organisations(con).empty


def open_database(path: Path, demo_if_new: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database, bring schema and catalogue up to date; a new file gets the demo
    data when ``demo_if_new``."""
    new = not path.exists()
    con = storage.connect(path)
    with storage.transaction(con) as cur:
        catalogue.install(cur)
        stale = _units_missing(cur)
    if new and demo_if_new:
        load_demo(con)
    elif stale:
        aggregates.rebuild(con)  # a database from before the maintained aggregates
    else:
        aggregates.refresh_progress(con)  # the catalogue may have changed
    return con


def _units_missing(cur: duckdb.DuckDBPyConnection) -> bool:
    row = cur.execute(
        "SELECT (SELECT count(*) FROM observations) > 0 AND (SELECT count(*) FROM unit_year) = 0"
    ).fetchone()
    return bool(row and row[0])
