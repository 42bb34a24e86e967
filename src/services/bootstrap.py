"""Creating and opening the database: migrations, the catalogue, the demo data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from src import config
from src.engine import aggregates
from src.ingest import apply, prepare
from src.store import catalogue, queries, storage

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
    data when ``demo_if_new``.

    A file that may not be written (read-only, or a migration that does not fit on the
    disk) is opened read-only: it can be read, and a write says why it cannot be made. The
    upkeep of the start (catalogue, derived tables) is left for a start that can write when
    it cannot be written now: readers catch up for themselves (src/store/units.py)."""
    new = not path.exists()
    try:
        con = storage.connect(path)
    except (storage.DatabaseReadOnlyError, storage.DiskFullError):
        if new:
            raise
        return storage.connect(path, read_only=True)
    try:
        _upkeep(con, new and demo_if_new)
    except (duckdb.Error, OSError) as exc:
        if new or not storage.cannot_write(exc):
            found = storage.failure(exc, path)
            if not isinstance(found, storage.DatabaseDamagedError):
                raise
            con.close()  # a damaged block met on the first reads
            raise found from exc
    return con


ENGINE_FILES = (
    "domain/goals.py",
    "domain/sums.py",
    "domain/rows.py",
    "store/goal_sums.py",
    "engine/progress.py",
    "domain/models.py",
)


def engine_fingerprint() -> str:
    """The catalogue files and the code that computes goals: the kept progress tables were
    computed by the code of their day, so a new version of it installs the catalogue again
    (and so marks every kept year stale)."""
    digest = hashlib.sha256(catalogue.fingerprint().encode())
    for name in ENGINE_FILES:
        digest.update((Path(__file__).resolve().parents[1] / name).read_bytes())
    return digest.hexdigest()


def _upkeep(con: duckdb.DuckDBPyConnection, demo: bool) -> None:
    wanted = engine_fingerprint()
    if (
        storage.meta_value(con, "catalogue_sha") != wanted
    ):  # first start, or the catalogue files changed
        with storage.transaction(con) as cur:
            catalogue.install(cur)
            storage.set_meta(cur, "catalogue_sha", wanted)
    if demo:
        load_demo(con)
    elif queries.has_values_without_units(con):
        aggregates.rebuild(con)  # a database from before the maintained aggregates
    elif not aggregates.is_current(con):
        aggregates.refresh_progress(con)  # the catalogue changed, or a write was cut off
