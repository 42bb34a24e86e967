"""When the disk or the database file fails: what to tell the user, and restoring a backup.

Used by the command line and the pages alike. :func:`describe` says in the user's language
what a storage failure (src/store/storage.py: damaged file, read-only file, full disk) means and
what to do; :func:`restore` puts a backup back in place of a damaged database, keeping the
damaged file aside (it is never deleted).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from src.i18n import fmt_date, fmt_num, t
from src.store import storage


class RestoreError(Exception):
    """The backup cannot be restored (none, missing, not a database of this dashboard), or
    the database is held by another program. The message is the user's."""


@dataclass(frozen=True)
class Restored:
    backup: Path
    path: Path
    aside: list[Path]  # the files moved aside (the damaged database, its WAL)


def size_text(n: int | None, lang: str) -> str:
    if n is None:
        return "?"
    mb = n / 1024 / 1024
    text = f"{mb:.1f} MB" if mb >= 0.1 else f"{max(n // 1024, 1)} KB"
    return text.replace(".", ",") if lang == "vi" else text


def backup_line(path: Path, lang: str) -> str:
    """The latest backup of ``path`` with its date and how to restore it, or that there is
    none."""
    found = storage.latest_backup(path)
    if found is None:
        return t("disk_no_backup", lang, folder=path.parent / "backups")
    when = fmt_date(storage.backup_time(found), lang, with_time=True)
    return t("disk_restore_how", lang, backup=found, when=when)


def backups_note(path: Path, lang: str) -> str:
    """When the database ``path`` is copied aside, where to, and the latest copy."""
    folder = path.parent / "backups"
    text = t("backups_note", lang, folder=folder, every=fmt_num(storage.BACKUP_EVERY_VALUES, lang))
    found = storage.latest_backup(path)
    if found is not None:
        when = fmt_date(storage.backup_time(found), lang, with_time=True)
        text += " " + t("backups_latest", lang, when=when)
    return text


def describe(failure: BaseException, lang: str, hint: bool = True) -> str:
    """The user's message for a storage failure (one of src/store/storage.py's errors); ``hint``:
    with what to do before trying again."""
    if isinstance(failure, storage.DatabaseDamagedError):
        return t("disk_damaged", lang, path=failure.path) + " " + backup_line(failure.path, lang)
    if isinstance(failure, storage.DiskFullError):
        room = ""
        if failure.need is not None:
            room = t(
                "disk_room",
                lang,
                need=size_text(failure.need, lang),
                free=size_text(failure.free, lang),
            )
        text = t("disk_full", lang, folder=failure.folder, room=room)
        return f"{text} {t('disk_free_some', lang)}" if hint else text
    if isinstance(failure, storage.DatabaseReadOnlyError):
        return t("disk_read_only", lang, path=failure.path)
    if isinstance(failure, storage.DatabaseBusyError):
        return t("cli_db_busy", lang, path=failure)
    if isinstance(failure, storage.BackupUnverifiedError):
        return t("disk_backup_unverified", lang, folder=failure.folder)
    return str(failure)


def check_backup(backup: Path, lang: str) -> int:
    """That ``backup`` opens as a database of this dashboard (its migrations and history are
    there); returns how many batches its history holds. Raises RestoreError."""
    if not backup.is_file():
        raise RestoreError(t("disk_restore_missing", lang, backup=backup))
    try:
        con = duckdb.connect(str(backup), read_only=True)
    except duckdb.Error as exc:
        raise RestoreError(t("disk_restore_unusable", lang, backup=backup, why=exc)) from exc
    try:
        con.execute("SELECT count(*) FROM schema_migrations").fetchall()
        row = con.execute("SELECT count(*) FROM batches").fetchone()
        con.execute("SELECT count(*) FROM observations").fetchall()
    except duckdb.Error as exc:
        raise RestoreError(t("disk_restore_unusable", lang, backup=backup, why=exc)) from exc
    finally:
        con.close()
    return int(row[0]) if row else 0


def _refuse_if_held(path: Path, lang: str) -> None:
    """Refuse while another program (the running dashboard) holds the database: it would
    keep writing to the file moved aside."""
    if not path.exists():
        return
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise RestoreError(t("cli_db_busy", lang, path=path)) from exc
        # damaged: that is why it is being restored


def restore(path: Path, backup: Path | None, lang: str) -> Restored:
    """Put ``backup`` (default: the latest) in place of the database ``path``.

    The backup is checked first (it opens, it has the schema and the history) and copied
    next to the database under a temporary name (so a full disk stops it before anything is
    moved); then the database and its WAL are kept aside as ``<name>.damaged-<time>`` (never
    deleted) and the copy renamed into place in one step (``os.replace``), so that there is
    always a file at ``path``. Raises
    RestoreError, DiskFullError."""
    backup = backup or storage.latest_backup(path)
    if backup is None:
        raise RestoreError(t("disk_no_backup", lang, folder=path.parent / "backups"))
    check_backup(backup, lang)
    _refuse_if_held(path, lang)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    temp = path.with_name(f".{path.name}.restoring-{stamp}")
    try:
        shutil.copyfile(backup, temp)
        with open(temp, "rb+") as f:
            os.fsync(f.fileno())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        if storage.is_disk_full(exc):
            need = backup.stat().st_size
            free = shutil.disk_usage(path.parent).free
            raise storage.DiskFullError(path.parent, need, free) from exc
        raise
    # The damaged file is kept under its new name by a second link, and the copy then takes
    # its place in one step: there is no moment without a file at ``path`` (a reader opening
    # it then would create an empty database). Its WAL goes aside just before.
    aside = []
    moved = path.with_name(f"{path.name}.damaged-{stamp}")
    wal = Path(f"{path}.wal")
    if path.exists():
        try:
            os.link(path, moved)
        except OSError:  # no hard links here (some network shares): a copy instead
            shutil.copy2(path, moved)
        aside.append(moved)
    if wal.exists():
        wal.replace(path.with_name(f"{path.name}.damaged-{stamp}.wal"))
        aside.append(path.with_name(f"{path.name}.damaged-{stamp}.wal"))
    os.replace(temp, path)
    return Restored(backup, path, aside)


def restored_text(done: Restored, lang: str) -> str:
    when = fmt_date(storage.backup_time(done.backup), lang, with_time=True)
    aside = ", ".join(str(p) for p in done.aside) or "–"
    return t("disk_restored", lang, path=done.path, backup=done.backup, when=when, aside=aside)
