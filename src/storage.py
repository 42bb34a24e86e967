"""Storage: the DuckDB connection, numbered migrations, transactions and the write lock.

Every other module reaches the database through a connection made here. Reads take a fresh
``cursor()`` of the shared connection; writes go through :func:`transaction`, which holds
the process-wide write lock, runs in one database transaction and bumps the data version
that cached query results are keyed on.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")

# One lock per process around every write: DuckDB serialises commits itself, but two
# uploads interleaving their diff and apply steps must not.
WRITE_LOCK = threading.RLock()


class DatabaseBusyError(RuntimeError):
    """The database file is held by another process (usually the running dashboard)."""


class DatabaseDamagedError(RuntimeError):
    """The database file does not open (for example cut off while DuckDB was writing it)."""

    def __init__(self, path: Path, backup: Path | None):
        super().__init__(str(path))
        self.path = path
        self.backup = backup


def latest_backup(path: Path) -> Path | None:
    found = sorted((path.parent / "backups").glob(f"{path.stem}-*.duckdb"))
    return found[-1] if found else None


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database and bring its schema up to date."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:  # the file lock is held elsewhere
        if "lock" in str(exc).lower():
            raise DatabaseBusyError(str(path)) from exc
        raise
    except duckdb.Error as exc:  # checksum mismatch, truncated file…
        if "corrupt" in str(exc).lower() or "checksum" in str(exc).lower():
            raise DatabaseDamagedError(path, latest_backup(path)) from exc
        raise
    if not read_only:
        migrate(con)
    return con


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration file, in order."""
    found = []
    for file in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(file.name)
        if not match:
            raise ValueError(f"bad migration file name: {file.name}")
        found.append((int(match.group(1)), match.group(2), file.read_text(encoding="utf-8")))
    return found


def applied_migrations(con: duckdb.DuckDBPyConnection) -> list[int]:
    cur = con.cursor()
    cur.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    return [row[0] for row in cur.execute("SELECT version FROM schema_migrations").fetchall()]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations not yet recorded, each in its own transaction.

    Returns the versions applied now (empty when the schema was current).
    """
    done_now: list[int] = []
    with WRITE_LOCK:
        done = set(applied_migrations(con))
        for version, name, sql in migrations():
            if version in done:
                continue
            cur = con.cursor()
            cur.begin()
            try:
                cur.execute(sql)
                cur.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [version, name, datetime.now()],
                )
                cur.commit()
            except BaseException:
                cur.rollback()
                raise
            done_now.append(version)
    return done_now


@contextmanager
def upkeep(
    con: duckdb.DuckDBPyConnection, on: duckdb.DuckDBPyConnection | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A transaction under the process lock that changes no data, only tables derived from
    it (``unit_year`` catching up, the kept progress): the data version stays, so results
    cached under it stay valid. Anything raised inside rolls everything back.

    It runs on a cursor of its own, or on ``on`` (a cursor of ``con`` whose temp tables the
    transaction reads), which stays open."""
    with WRITE_LOCK:
        cur = con.cursor() if on is None else on
        cur.begin()
        try:
            yield cur
            cur.commit()
        except BaseException:
            cur.rollback()
            raise
        finally:
            if on is None:
                cur.close()


@contextmanager
def transaction(
    con: duckdb.DuckDBPyConnection, on: duckdb.DuckDBPyConnection | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A write: the process lock, one transaction, the data version bumped on commit.

    Anything raised inside rolls everything back; nothing is half-written. ``on``: as for
    :func:`upkeep`.
    """
    with upkeep(con, on) as cur:
        yield cur
        # a write that did not say which years it changes (record_change) changes all
        cur.execute(
            "INSERT INTO data_changes SELECT CAST(m.value AS BIGINT) + 1, NULL FROM meta m"
            " WHERE m.key = 'data_version' AND NOT EXISTS (SELECT 1 FROM data_changes d"
            " WHERE d.version = CAST(m.value AS BIGINT) + 1)"
        )
        cur.execute(
            "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR)"
            " WHERE key = 'data_version'"
        )


NO_YEAR = 9999  # for record_change: the write changed no year (say so, or it means all)


def record_change(cur: duckdb.DuckDBPyConnection, from_year: int | None) -> None:
    """Inside a write: the first year whose kept progress it can change (observations of a
    year change that year and, through cumulative term goals, the later ones); None: every
    year. A write that never calls this is taken to change every year."""
    cur.execute(
        "INSERT INTO data_changes SELECT CAST(value AS BIGINT) + 1, ? FROM meta"
        " WHERE key = 'data_version'",
        [from_year],
    )


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes with every committed write (cache key for query results)."""
    row = con.cursor().execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def backup(con: duckdb.DuckDBPyConnection, source: Path, keep: int = 5) -> Path:
    """Copy the database aside (``<db dir>/backups/<name>-<timestamp>.duckdb``), keeping the
    last ``keep`` copies. Uses DuckDB's own copy, so it is consistent while the database is
    open."""
    folder = source.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{source.stem}-{stamp}.duckdb"
    partial = folder / f".partial-{stamp}.duckdb"  # renamed once complete: a crash while
    with WRITE_LOCK:  # copying never leaves a half-made file that looks like a backup
        cur = con.cursor()
        alias = "backup_" + stamp.replace("-", "_")
        cur.execute(f"ATTACH ? AS {alias}", [str(partial)])  # alias is ours, not user input
        try:
            cur.execute(f"COPY FROM DATABASE {_main_name(cur)} TO {alias}")
        finally:
            cur.execute(f"DETACH {alias}")
        partial.replace(target)
    for old in sorted(folder.glob(f"{source.stem}-*.duckdb"))[:-keep]:
        old.unlink(missing_ok=True)
    return target


def _main_name(cur: duckdb.DuckDBPyConnection) -> str:
    row = cur.execute("SELECT current_database()").fetchone()
    name = str(row[0]) if row else "main"
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return f'"{name}"'
    return name
