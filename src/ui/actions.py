"""Writes from the pages: preview, apply, undo, forms. Each goes through the one ingest
path, takes a backup first, holds the process-wide write lock (inside src.ingest), and
clears cached query results afterwards so every page shows the new numbers at once."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

import duckdb
import pandas as pd
import streamlit as st

from src import config
from src.i18n import escape_markdown, fmt_date, t
from src.ingest import (
    ApplyResult,
    IngestError,
    Plan,
    Problem,
    StaleUndoError,
    UndoPreview,
    apply,
    prepare,
    resolution_book,
    resolutions,
    undo,
)
from src.ingest.apply import already_applied
from src.services import templates
from src.store import queries, recovery, storage
from src.store.catalogue import ResolutionDoc
from src.ui import auth, cache, guard
from src.ui.refresher import REFRESHER

T = TypeVar("T")


def editor_password() -> str | None:
    """The password that protects writes, if one is configured (environment or secrets)."""
    return config.editor_password()


def refuse_open_network(lang: str) -> None:
    """Serve no page when the server listens beyond this machine and no editor password
    protects writing (``streamlit run app.py --server.address 0.0.0.0`` by hand)."""
    address = st.get_option("server.address")
    if config.is_loopback(address) or editor_password():
        return
    st.error(
        t("net_refused", lang, address=escape_markdown(address or "*")), icon=":material/lock:"
    )
    st.stop()


def edit_access() -> auth.Verdict | None:
    """Whether this session may write: ``None`` when nothing was typed yet (no password
    configured: always allowed). A guess goes through the process-wide guard once, when it
    is typed: the page's reruns with the same value reuse its verdict, so one wrong guess
    counts once and a right one is not refused by a later lockout."""
    password = editor_password()
    if not password:
        return auth.Verdict(auth.OK)
    given = str(st.session_state.get("editor_password_given") or "")
    if not given:
        return None
    key = hashlib.sha256(f"{len(password)}:{password}{given}".encode()).hexdigest()
    last = st.session_state.get("editor_password_checked")
    if last and hmac.compare_digest(str(last[0]), key):
        return auth.Verdict(last[1])
    verdict = auth.GUARD.check(given, password)
    if verdict.result != auth.LOCKED:  # a guess refused unchecked is checked when retried
        st.session_state["editor_password_checked"] = (key, verdict.result)
    return verdict


def editor_sidebar(lang: str) -> tuple[str, bool]:
    """The sidebar of a page that writes: who writes, the editor password when one is
    configured, and why writing is refused; returns (who, whether this session may write)."""
    with st.sidebar:
        who = st.text_input(t("who", lang), key="who", help=t("who_help", lang))
        if editor_password():
            st.text_input(t("password", lang), type="password", key="editor_password_given")
    access = edit_access()
    can_edit = access is not None and access.ok
    refused = access.message(lang) if access else None
    if refused:
        st.sidebar.error(refused, icon=":material/lock:")
    if not can_edit:
        st.info(t("password_needed", lang), icon=":material/lock:")
    return who, can_edit


def may_edit() -> bool:
    """True when no password is configured or the user gave the right one this session."""
    verdict = edit_access()
    return verdict is not None and verdict.ok


@dataclass(frozen=True)
class Preview:
    """What the upload page shows of a file: its plan, or that it was applied before."""

    plan: Plan | None  # without its rows (Plan.summary); None: applied before
    applied: tuple[int, str] = (0, "")  # (batch, when) of that earlier apply


_PREVIEW = "_upload_preview"  # the session's last plan: ((digest, name, version), plan)


def preview(data: bytes, file_name: str, lang: str) -> Preview:
    """Validate and diff a file; nothing is written. A file of these bytes applied and not
    undone is refused again, so it is not read. Worked out once per file, name and data
    version in a session (a rerun of the page, a click on another widget, reads it back);
    apply_file prepares the file again, under the write lock."""
    digest = hashlib.sha256(data).hexdigest()
    found = already_applied(cache.con().cursor(), digest)
    if found:
        return Preview(None, (found[0], fmt_date(found[1], lang, with_time=True)))
    key = (digest, file_name, cache.version())
    kept = st.session_state.get(_PREVIEW)
    if kept is not None and kept[0] == key:
        return Preview(cast(Plan, kept[1]))
    plan = prepare(cache.con(), data, file_name).summary()
    st.session_state[_PREVIEW] = (key, plan)
    return Preview(plan)


def apply_file(
    data: bytes,
    file_name: str,
    applied_by: str,
    resolution_code: str | None = None,
    form_token: str | None = None,
) -> ApplyResult:
    """Back up, then apply whole or not at all (raises IngestError when refused).

    A form's submission carries a token made when the form was drawn: a repeated click is
    refused as the same file, while entering an earlier value again later is not.
    """
    con = cache.con()
    plan = prepare(con, data, file_name, resolution_code)
    if form_token:
        plan.sha256 = hashlib.sha256(data + form_token.encode()).hexdigest()
    if not plan.ok:
        raise IngestError(plan.errors)
    if not (plan.added or plan.changed):
        raise IngestError([Problem("e_nothing_new")])
    return _write(
        con,
        lambda: apply(con, plan, applied_by=applied_by, data=data, refresh=False),
        writing=plan.added + plan.changed,
    )


def undo_plan(batch_id: int) -> tuple[UndoPreview, int]:
    """What undoing the batch will do, and the data version it was worked out at."""
    return cache.undo_preview(batch_id)


def undo_batch(batch_id: int, who: str, force: bool, seen_version: int) -> int:
    """Undo, unless the data changed since the reader saw what the undo would do (another
    tab or user wrote in between): then :class:`StaleUndoError`, nothing written."""
    con = cache.con()
    with storage.WRITE_LOCK:  # held on through the write (the lock is re-entrant)
        if storage.data_version(con) != seen_version:
            raise StaleUndoError(batch_id)
        return _write(
            con,
            lambda: undo(con, batch_id, who, force=force, refresh=False),
            writing=storage.batch_values(con, batch_id),
        )


def _write(con: duckdb.DuckDBPyConnection, write: Callable[[], T], writing: int = 0) -> T:
    """A write (of about ``writing`` values) from a page: under the write lock (no other
    write between the version read here and the write), a backup first when one is due
    (storage.backup_due), a storage failure told where the user clicked
    (whether it was written: the data version moved), cached results cleared, then the
    summaries refreshed."""
    with storage.WRITE_LOCK:
        before = storage.data_version(con)
        try:
            storage.backup_if_due(con, config.db_path(), writing)
            result = write()
        except (duckdb.Error, OSError, RuntimeError) as exc:  # disk full, read-only…
            guard.write_failed(exc, con, before)  # says so, and stops
        finally:
            cache.after_write()
    # the summaries beside the page (src/ui/refresher.py), which answers at once; when they
    # cannot be kept (disk full), the write stands and the session's next run says so
    REFRESHER.request(con, guard.session_id(), guard.refresh_words())
    return result


def backups_note(lang: str) -> str:
    """The upload page's line on backups (recovery.backups_note), for the current database."""
    return recovery.backups_note(config.db_path(), lang)


def history() -> pd.DataFrame:
    return queries.batches(cache.con())


def assessment_file(
    resolution_code: str, year: int, goal_code: str, status: str, note: str
) -> bytes:
    """A one-row assessments file, so the form goes through the same checks as uploads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["year", "goal_code", "status", "note"])
    writer.writerow([year, goal_code, status, note])
    return out.getvalue().encode("utf-8")


def organisation_file(rec: dict[str, object]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cols = ["org_code", "name", "kind", "parent_code", "group", "active_from", "active_to"]
    writer.writerow(cols)
    writer.writerow(["" if rec.get(c) is None else rec[c] for c in cols])
    return out.getvalue().encode("utf-8")


# Up to this many organisations an upload template is made with the page (cached per data
# version: about 0.1 s at the demo's 42 cells; 1.1 s for both files at a province's 2,000,
# which then wait for the click), so the button hands over a file already made. Past it, the
# file is made when the button is clicked (Streamlit's deferred download): a row per
# organisation is 250,000 rows at the national size, minutes of openpyxl, which made on
# every run kept the page from ever finishing.
EAGER_TEMPLATE_ORGS = 500


def template(
    year: int, kind: str, resolution_code: str | None = None
) -> bytes | Callable[[], bytes]:
    """The upload template of a year, listing what the resolution reads: its bytes for a
    database of up to ``EAGER_TEMPLATE_ORGS`` organisations, else a callable that makes it."""
    if len(cache.meta().organisations) <= EAGER_TEMPLATE_ORGS:
        return cache.template(year, kind, resolution_code)
    con = cache.con()

    def make() -> bytes:
        return templates.make(con.cursor(), year, kind, resolution_code)

    return make


def resolution_preview(data: bytes, file_name: str) -> resolution_book.BookResult:
    """Read and check a resolution workbook; nothing is written."""
    return resolution_book.read_book(data, file_name, queries.indicators(cache.con()))


def install_resolution(
    doc: ResolutionDoc, file_name: str, data: bytes, who: str
) -> resolutions.InstallResult:
    """Back up, then install the resolution as one batch (IngestError when refused)."""
    con = cache.con()
    return _write(con, lambda: resolutions.install(con, doc, file_name, data, who, refresh=False))


def edit_goal(
    code: str,
    goal_code: str,
    target: float | None,
    target_max: float | None,
    title_vi: str,
    text_vi: str,
    who: str,
) -> resolution_book.BookResult | resolutions.InstallResult:
    """A new version with one goal changed, checked as a workbook would be (the same rules
    as an upload): the problems, or the install's result."""
    con = cache.con()
    doc, data = resolutions.edited(con, code, goal_code, target, target_max, title_vi, text_vi)
    checked = resolution_book.read_book(
        resolution_book.write_book(doc), "form.xlsx", queries.indicators(con)
    )
    if checked.doc is None:
        return checked
    name = f"form:{code}/{goal_code}"
    return _write(con, lambda: resolutions.install(con, doc, name, data, who, refresh=False))


def set_default_resolution(code: str) -> None:
    con = cache.con()
    _write(con, lambda: resolutions.set_default(con, code))


def resolution_workbook(code: str, lang: str) -> Callable[[], bytes]:
    """The installed resolution's workbook, made when its button is clicked (Streamlit's
    deferred download): 0.05 s of openpyxl that the page's every run need not pay."""
    con = cache.con()

    def make() -> bytes:
        doc = queries.resolution_doc(con.cursor(), code)
        if doc is None:
            raise LookupError(code)
        return resolution_book.write_book(doc, lang)

    return make
