"""Failures of the disk or of the database file on the pages: a message in the reader's
language, never a traceback. A damaged database shows its latest backup with its date and a
button that restores it (asking for the editor password when one is configured); a write
that failed says whether it is in the history (src/store/recovery.py says what to tell)."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import duckdb
import streamlit as st

from src import config
from src.i18n import escape_markdown, t
from src.store import recovery, storage
from src.ui import auth


def lang() -> str:
    return "en" if st.session_state.get("lang") == "en" else "vi"


def session_id() -> str:
    """This reader's session (a write's refresh reports to it), or "" outside a run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def notices() -> None:
    """The warning left by a write that committed while its refresh failed, for the runs
    after it: the upload reruns at once to show the new numbers, and the refresh runs beside
    the page (src/ui/refresher.py), so its failure reaches the session on a later run."""
    from src.ui.refresher import REFRESHER

    notice = REFRESHER.failure(session_id())
    if notice:
        st.warning(escape_markdown(notice), icon=":material/warning:")


def run(page: Callable[[], object]) -> None:
    """Run a page; a storage failure anywhere in it becomes a message."""
    try:
        page()
    except (duckdb.Error, OSError, RuntimeError) as exc:
        found = storage.failure(exc, config.db_path())
        if found is None:
            raise
        if "invalidated" in str(exc):  # DuckDB gives up on a connection whose write failed
            from src.ui import cache

            cache.release()
        show(found)


def show(found: BaseException) -> None:
    """The message for a storage failure; for a damaged database, the restore form too."""
    st.error(escape_markdown(recovery.describe(found, lang())), icon=":material/error:")
    if isinstance(found, storage.DatabaseDamagedError):
        restore_form()


def restore_form() -> None:
    from src.ui import actions

    db = config.db_path()
    if storage.latest_backup(db) is None:
        return
    password = actions.editor_password()
    with st.form("restore_backup"):
        given = ""
        if password and not actions.may_edit():
            given = st.text_input(t("disk_restore_password", lang()), type="password")
        pressed = st.form_submit_button(t("disk_restore_button", lang()), type="primary")
    if not pressed:
        return
    if password and not actions.may_edit():
        verdict = auth.GUARD.check(given, str(password))  # the same slowing and lockout
        if not verdict.ok:
            st.error(verdict.message(lang()) or t("disk_restore_wrong_password", lang()))
            return
    try:
        done = restore_now(db)
    except recovery.RestoreError as exc:
        st.error(escape_markdown(str(exc)))
        return
    except (OSError, storage.DiskFullError) as exc:
        found = storage.failure(exc, db)
        st.error(escape_markdown(recovery.describe(found, lang()) if found else str(exc)))
        return
    if done is None:
        st.error(t("disk_restore_held", lang()))
        return
    st.success(
        escape_markdown(recovery.restored_text(done, lang())), icon=":material/check_circle:"
    )


def restore_now(db: Path) -> recovery.Restored | None:
    """Put the latest backup in place of ``db`` for this process: None when DuckDB would not
    let go of the file (nothing is restored). Raises as :func:`recovery.restore`.

    Under ``cache.OPENING``: no run of this process opens the file until the restored one
    is in place (a connection opened on the file moved aside would be kept for the
    process); taken first, as a reader's open does (it migrates under the write lock).
    Under the write lock: no write, and no refresh after one (it holds the lock for its
    whole pass), runs on the file while it is let go of and replaced."""
    from src.ui import cache

    with cache.OPENING, storage.WRITE_LOCK:
        if not cache.release():
            return None
        return recovery.restore(db, None, lang())


class WriteFailed(Exception):
    """A write from a page that failed on the storage, in the reader's words (already text,
    Markdown escaped): ``written`` when it committed all the same (a warning: the summaries or
    the backup after it failed), else not or not known (an error)."""

    def __init__(self, text: str, written: bool) -> None:
        super().__init__(text)
        self.text = text
        self.written = written

    def draw(self) -> None:
        if self.written:
            st.warning(self.text, icon=":material/warning:")
        else:
            st.error(self.text, icon=":material/error:")


# Set while a button's callback writes (actions.write_button): a failed write is then raised
# as WriteFailed for the callback to keep, since nothing a callback draws lands where the
# reader clicked and st.stop() there would stop the page's whole run.
_DEFERRED: contextvars.ContextVar[bool] = contextvars.ContextVar("write_deferred", default=False)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Within it, :func:`write_failed` raises :class:`WriteFailed` instead of drawing."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def write_failed(exc: BaseException, con: duckdb.DuckDBPyConnection, before: int) -> NoReturn:
    """After a write from a page raised ``exc``: say where the user clicked whether it was
    written (the data version moved past ``before``; the caller held the write lock, so no
    other write came in between), and stop; raise ``exc`` itself when it is not a storage
    failure, and the words as :class:`WriteFailed` within :func:`deferred`."""
    from src.ui import cache

    db = config.db_path()
    found = storage.failure(exc, db)
    if found is None:
        raise exc
    try:
        written: bool | None = storage.committed_since(con, db, before)
    except duckdb.Error:
        written = None
    if written is None or "invalidated" in str(exc):  # DuckDB gave up on the connection
        cache.release()
    if written:
        why = recovery.describe(found, lang(), hint=False)
        failed = WriteFailed(escape_markdown(t("disk_written_later", lang(), why=why)), True)
    else:
        message = recovery.describe(found, lang())
        after = t("disk_nothing_written" if written is False else "disk_unknown", lang())
        failed = WriteFailed(escape_markdown(f"{message} {after}"), False)
    if _DEFERRED.get():
        raise failed from exc
    failed.draw()
    st.stop()


def refresh_words() -> Callable[[BaseException], str | None]:
    """What to tell this session when the refresh of the summaries after its committed write
    fails (readers catch up): None for a failure that is not the storage's. Made in the
    page's run (its language, its database), called from the refresh thread."""
    db, language = config.db_path(), lang()

    def words(exc: BaseException) -> str | None:
        found = storage.failure(exc, db)
        if found is None:
            return None
        why = recovery.describe(found, language, hint=False)
        return t("disk_written_later", language, why=why)

    return words
