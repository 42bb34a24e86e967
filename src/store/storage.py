"""Storage: the DuckDB connection, numbered migrations, transactions and the write lock.

Every other module reaches the database through a connection made here. Reads take a fresh
``cursor()`` of the shared connection; writes go through :func:`transaction`, which holds
the process-wide write lock, runs in one database transaction and bumps the data version
that cached query results are keyed on.

One module, past 400 lines, because the file's safety is one concern: connection,
migrations, transactions, the write lock, disk failures and backups share the lock and
the mapping of DuckDB's errors.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from glob import escape as glob_escape
from pathlib import Path
from typing import NoReturn

import duckdb

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")

# One lock per process around every write: DuckDB serialises commits itself, but two
# uploads interleaving their diff and apply steps must not.
WRITE_LOCK = threading.RLock()


class DatabaseBusyError(RuntimeError):
    """The database file is held by another process (usually the running dashboard)."""


class DatabaseDamagedError(RuntimeError):
    """The database file does not open or does not read back (cut off while DuckDB was
    writing it, overwritten, not a database at all)."""

    def __init__(self, path: Path, backup: Path | None):
        super().__init__(str(path))
        self.path = path
        self.backup = backup


class DiskFullError(RuntimeError):
    """No room left on the disk of ``folder`` for a write (a backup, a transaction, its WAL).
    ``need`` and ``free``: bytes, when known."""

    def __init__(self, folder: Path, need: int | None = None, free: int | None = None):
        super().__init__(str(folder))
        self.folder = folder
        self.need = need
        self.free = free


class DatabaseReadOnlyError(RuntimeError):
    """The database file, or its folder (where DuckDB writes the WAL and the backups), may
    not be written."""

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


# What DuckDB (and the system under it) says, as measured with DuckDB 2.0 on a full tmpfs, a
# chmod 444 file or folder, and files cut short, overwritten or of random bytes.
_DISK_FULL = ("no space left on device", "not enough space on the disk", "disk is full")
_READ_ONLY = ("permission denied", "read-only file system", "access is denied")
_DAMAGED = (
    "corrupt",  # "Corrupt database file: computed checksum … does not match"
    "checksum",
    "not a valid duckdb database file",  # header overwritten, random bytes, zero length
    "could not read enough bytes",  # the file cut short
    "checkpoint iteration",  # a WAL from another version of the file
    "wal was created for",
    "replaying wal",
)
_WRITE_REFUSED = "read-only mode"  # a write on a connection opened read_only


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    item: BaseException | None = exc
    while item is not None and id(item) not in seen:
        seen.add(id(item))
        yield item
        item = item.__cause__ or item.__context__


def _says(exc: BaseException, words: tuple[str, ...]) -> bool:
    return any(w in str(e).lower() for e in _chain(exc) for w in words)


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is the disk being full."""
    if any(isinstance(e, DiskFullError) for e in _chain(exc)):
        return True
    if any(isinstance(e, OSError) and e.errno == errno.ENOSPC for e in _chain(exc)):
        return True
    return _says(exc, _DISK_FULL)


def cannot_write(exc: BaseException) -> bool:
    """Whether ``exc`` says the database may not be written now: disk full, file or folder
    read-only, or a connection opened read-only. Derived tables then stay as they are."""
    if is_disk_full(exc) or any(isinstance(e, DatabaseReadOnlyError) for e in _chain(exc)):
        return True
    if any(isinstance(e, PermissionError) for e in _chain(exc)):
        return True
    return _says(exc, (*_READ_ONLY, _WRITE_REFUSED))


def failure(exc: BaseException, path: Path) -> RuntimeError | None:
    """The storage failure ``exc`` stands for, as one of this module's errors with what the
    user needs to know (the database ``path``); None when it is something else."""
    mine = (
        DatabaseBusyError,
        DatabaseDamagedError,
        DiskFullError,
        DatabaseReadOnlyError,
        BackupUnverifiedError,
    )
    for e in _chain(exc):
        if isinstance(e, mine):
            return e
    if not isinstance(exc, (duckdb.Error, OSError)):
        return None
    # an OSError names its file (an export, a copy): that one, else the database
    named = next((e.filename for e in _chain(exc) if isinstance(e, OSError) and e.filename), None)
    where = Path(named) if named else path
    if is_disk_full(exc):
        return DiskFullError(where.parent, free=_free(where.parent))
    if _says(exc, _DAMAGED):
        return DatabaseDamagedError(path, latest_backup(path))
    if _says(exc, (*_READ_ONLY, _WRITE_REFUSED)):
        return DatabaseReadOnlyError(where)
    if any(isinstance(e, PermissionError) for e in _chain(exc)):
        return DatabaseReadOnlyError(where)
    return None


def _free(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


_BACKUP_STAMP = re.compile(r"-\d{8}-\d{6}-\d{6}\.duckdb")  # as backup() names them


def backups_of(path: Path) -> list[Path]:
    """The backups of the database ``path``, oldest first: ``<stem>-<timestamp>.duckdb``
    exactly, so that those of ``dash-old.duckdb`` are never taken for ``dash.duckdb``'s."""
    folder = path.parent / "backups"
    found = [
        p
        for p in folder.glob(f"{glob_escape(path.stem)}-*.duckdb")
        if p.name.startswith(path.stem) and _BACKUP_STAMP.fullmatch(p.name[len(path.stem) :])
    ]
    return sorted(found)


def latest_backup(path: Path) -> Path | None:
    found = backups_of(path)
    return found[-1] if found else None


def writable(path: Path) -> bool:
    """Whether the database file (if any) and its folder may be written by this process."""
    folder_ok = os.access(path.parent, os.W_OK) if path.parent.exists() else True
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database and bring its schema up to date.

    Raises DatabaseBusyError (held by another process), DatabaseDamagedError (the file
    does not open, or is shorter than its own header says), DatabaseReadOnlyError (it may
    not be written; open it ``read_only`` to read it) or DiskFullError (a migration did not
    fit)."""
    path = Path(path)
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:  # the file lock is held elsewhere
        if "lock" in str(exc).lower():
            raise DatabaseBusyError(str(path)) from exc
        _raise_failure(exc, path)
    except (duckdb.Error, OSError) as exc:  # checksum mismatch, not a database…
        _raise_failure(exc, path)
    try:
        _check_length(con, path)
        if not read_only:
            migrate(con)
    except (duckdb.Error, OSError) as exc:
        con.close()
        _raise_failure(exc, path)
    except BaseException:
        con.close()
        raise
    return con


def _raise_failure(exc: BaseException, path: Path) -> NoReturn:
    found = failure(exc, path)
    if found is None or found is exc:
        raise exc
    raise found from exc


def _check_length(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A file cut short opens, and fails only on reading what is missing: compare its length
    with the blocks in use its header counts (3 header blocks of 4 KiB, then the blocks; a
    file can be longer, by free blocks, never shorter)."""
    if not path.exists():
        return
    row = con.cursor().execute("SELECT block_size, used_blocks FROM pragma_database_size()")
    size = row.fetchone()
    if size and path.stat().st_size < 3 * 4096 + int(size[0]) * int(size[1]):
        raise DatabaseDamagedError(path, latest_backup(path))


def connect_to_read(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the database to read it: as :func:`connect`, or read-only when it may not be
    written (a read-only file or folder) or a migration does not fit on the disk."""
    if path.exists() and not writable(path):
        return connect(path, read_only=True)
    try:
        return connect(path)
    except (DatabaseReadOnlyError, DiskFullError):
        return connect(path, read_only=True)


def committed_since(con: duckdb.DuckDBPyConnection, path: Path, before: int) -> bool:
    """After a write failed: whether it committed anyway (the data version moved past
    ``before``), as the file says. DuckDB invalidates a connection whose checkpoint failed:
    then ``con`` is closed and the file read on a fresh read-only connection. Only sound
    when no other writer can have come in between (the caller holds WRITE_LOCK, or is a
    command-line process, which holds the file alone)."""
    try:
        return data_version(con) > before
    except duckdb.Error:
        con.close()
    fresh = duckdb.connect(str(path), read_only=True)
    try:
        return data_version(fresh) > before
    finally:
        fresh.close()


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
            # a commit that failed (disk full) has ended it already: the error to report
            # is that one, not "no transaction is active"
            with suppress(duckdb.Error):
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


def meta_value(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A value of the ``meta`` table (the data version, the catalogue's fingerprint)."""
    row = con.cursor().execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None


def set_meta(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Set a value of the ``meta`` table, within the caller's transaction."""
    cur.execute("DELETE FROM meta WHERE key = ?", [key])
    cur.execute("INSERT INTO meta VALUES (?, ?)", [key, value])


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes with every committed write (cache key for query results)."""
    value = meta_value(con, "data_version")
    return int(value) if value else 0


# A full copy is not taken before every write (at a country's size it is the whole file,
# seconds long): the history keeps every value a write replaces, so a write can always be
# undone. A copy is taken before the first write of a day, and before a write once this
# many values were written since the latest copy (docs/scaling.md, "Backups").
BACKUP_EVERY_VALUES = 100_000


class BackupUnverifiedError(RuntimeError):
    """The copy just made does not read back as the database it was copied from (it was
    removed; nothing was written)."""

    def __init__(self, folder: Path):
        super().__init__(str(folder))
        self.folder = folder


def backup_time(backup: Path) -> datetime:
    """When a backup was made: from its name (``<name>-YYYYmmdd-HHMMSS-ffffff.duckdb``), else
    the file's time."""
    try:
        return datetime.strptime("-".join(backup.stem.split("-")[-3:]), "%Y%m%d-%H%M%S-%f")
    except ValueError:
        return datetime.fromtimestamp(backup.stat().st_mtime)


def written_since(con: duckdb.DuckDBPyConnection, since: datetime) -> int:
    """Values added or changed (by an upload, or by undoing one) after ``since``."""
    row = (
        con.cursor()
        .execute(
            "SELECT coalesce(sum(added + changed) FILTER (WHERE applied_at > ?), 0)"
            " + coalesce(sum(added + changed) FILTER (WHERE undone_at > ?), 0) FROM batches",
            [since, since],
        )
        .fetchone()
    )
    return int(row[0]) if row else 0


def batch_values(con: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """Values a batch added or changed (what undoing it rewrites, at most)."""
    row = (
        con.cursor()
        .execute("SELECT added + changed FROM batches WHERE batch_id = ?", [batch_id])
        .fetchone()
    )
    return int(row[0]) if row else 0


def backup_due(
    con: duckdb.DuckDBPyConnection, source: Path, writing: int = 0, now: datetime | None = None
) -> bool:
    """Whether a write of ``writing`` values should be preceded by a full copy: there is no
    copy yet, the latest is from an earlier day, or it is ``BACKUP_EVERY_VALUES`` values
    behind once this write is counted."""
    latest = latest_backup(source)
    if latest is None:
        return True
    made = backup_time(latest)
    if made.date() < (now or datetime.now()).date():
        return True
    return written_since(con, made) + writing >= BACKUP_EVERY_VALUES


def backup_if_due(con: duckdb.DuckDBPyConnection, source: Path, writing: int = 0) -> Path | None:
    """:func:`backup` when :func:`backup_due` says so (under the write lock, so that two
    writes at once do not both copy); the copy made, or None."""
    with WRITE_LOCK:
        if backup_due(con, source, writing):
            return backup(con, source)
    return None


def backup(con: duckdb.DuckDBPyConnection, source: Path, keep: int = 5) -> Path:
    """Copy the database aside (``<db dir>/backups/<name>-<timestamp>.duckdb``), keeping the
    last ``keep`` copies. Uses DuckDB's own copy, so it is consistent while the database is
    open, and reads the copy back before keeping it (BackupUnverifiedError when it does not
    hold what the database holds).

    When the copy fails nothing of it stays behind; a full disk raises DiskFullError (with
    the room the copy needs: about the database's size), a folder that may not be written
    DatabaseReadOnlyError."""
    folder = source.parent / "backups"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{source.stem}-{stamp}.duckdb"
    partial = folder / f".partial-{stamp}.duckdb"  # renamed once complete: a crash while
    with WRITE_LOCK:  # copying never leaves a half-made file that looks like a backup
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _copy(con, partial)
            if _fingerprint(con.cursor(), None) != _read_back(con, partial):
                raise BackupUnverifiedError(folder)
            partial.replace(target)
        except (duckdb.Error, OSError, BackupUnverifiedError) as exc:
            for leftover in (partial, _wal(partial)):
                leftover.unlink(missing_ok=True)
            if isinstance(exc, BackupUnverifiedError):
                raise
            if is_disk_full(exc):
                need = sum(p.stat().st_size for p in (source, _wal(source)) if p.exists())
                raise DiskFullError(folder, need, _free(folder)) from exc
            if cannot_write(exc) and not _says(exc, (_WRITE_REFUSED,)):
                raise DatabaseReadOnlyError(folder) from exc
            raise
    for old in backups_of(source)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def _alias(prefix: str, copy: Path) -> str:
    """The name a copy is attached under: ours, from its file's time stamp, never user text."""
    return prefix + copy.stem.removeprefix(".partial-").replace("-", "_")


def _copy(con: duckdb.DuckDBPyConnection, partial: Path) -> None:
    cur = con.cursor()
    alias = _alias("backup_", partial)
    cur.execute(f"ATTACH ? AS {alias}", [str(partial)])  # alias is ours, not user input
    try:
        cur.execute(f"COPY FROM DATABASE {_main_name(cur)} TO {alias}")
    except BaseException:
        with suppress(duckdb.Error):  # its checkpoint fails as the copy did: report the copy
            cur.execute(f"DETACH {alias}")
        raise
    cur.execute(f"DETACH {alias}")  # writes the copy out (its checkpoint): may fail too


# What a copy must hold to be kept: the same schema version, data version, values, history
# and organisations as the database it was copied from.
_FINGERPRINT = (
    "SELECT (SELECT max(version) FROM {db}schema_migrations),"
    " (SELECT value FROM {db}meta WHERE key = 'data_version'),"
    " (SELECT count(*) FROM {db}observations), (SELECT count(*) FROM {db}observation_history),"
    " (SELECT count(*) FROM {db}batches), (SELECT count(*) FROM {db}organisations)"
)


def _fingerprint(cur: duckdb.DuckDBPyConnection, alias: str | None) -> tuple[object, ...]:
    row = cur.execute(_FINGERPRINT.format(db=f"{alias}." if alias else "")).fetchone()
    return tuple(row) if row else ()


def _read_back(con: duckdb.DuckDBPyConnection, copy: Path) -> tuple[object, ...]:
    """The fingerprint of the copy, opened read-only as a database of its own."""
    cur = con.cursor()
    alias = _alias("check_", copy)
    cur.execute(f"ATTACH ? AS {alias} (READ_ONLY)", [str(copy)])  # alias is ours
    try:
        return _fingerprint(cur, alias)
    finally:
        cur.execute(f"DETACH {alias}")


def _wal(path: Path) -> Path:
    return Path(f"{path}.wal")


def _main_name(cur: duckdb.DuckDBPyConnection) -> str:
    row = cur.execute("SELECT current_database()").fetchone()
    name = str(row[0]) if row else "main"
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return f'"{name}"'
    return name
