"""Thin Streamlit cache wrappers over the data layer.

One DuckDB connection per process (``st.cache_resource``); query results cached with the
database's data version in the key, and cleared after every write (:func:`after_write`).

One module, past 400 lines, because every cached read of the dashboard is here, each a
short wrapper: the cache keys (path, data version, filters) must be written the same way
for all of them, and a reviewer checks them side by side.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import streamlit as st

from src import config
from src.domain.models import Goal, Indicator, Resolution
from src.engine.progress import progress_table
from src.ingest.apply import UndoPreview
from src.ingest.apply import undo_preview as plan_undo
from src.services import bootstrap, templates
from src.store import queries, storage
from src.ui.refresher import REFRESHER
from src.views import cell_view, goal_view, overview

# Held while the database file is let go of and replaced (a restore, guard.restore_form):
# a run that opens the file meanwhile waits, and then opens the file put in place. Without
# it a reader's run during the copy opened the file about to be moved aside, and the
# connection kept for the process went on reading and writing that file after the restore.
# Taken before the write lock (opening the file migrates it under the write lock), never
# after it.
OPENING = threading.RLock()
# Every connection _connection opened and release() has not closed: release() closes them
# without calling the cached function (which would wait for a reader's open under way,
# itself waiting for OPENING), and a connection not among them is never served (it was let
# go of between its open and its caching, or DuckDB refused to close it).
_OPENED: list[duckdb.DuckDBPyConnection] = []
_REFUSED: list[duckdb.DuckDBPyConnection] = []  # DuckDB would not close them: tried again


def _kept(con: duckdb.DuckDBPyConnection) -> bool:
    return any(c is con for c in _OPENED)


@st.cache_resource(show_spinner=False, validate=_kept)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    from pathlib import Path

    with OPENING:
        opened = bootstrap.open_database(Path(path), demo_if_new=True)
        _OPENED.append(opened)
        return opened


def con() -> duckdb.DuckDBPyConnection:
    path = str(config.db_path())
    try:
        held = _connection(path)
        if not _kept(held):  # let go of as it was opened: the cache's check opens anew
            held = _connection(path)
        return held
    except (duckdb.Error, OSError, RuntimeError) as exc:
        found = storage.failure(exc, config.db_path())
        if found is None:
            raise
        from src.ui import guard

        guard.show(found)  # damaged: the latest backup, and a button restoring it
        st.stop()
        raise


def release() -> bool:
    """Let go of the database: close this process's connections (one DuckDB gave up on, or
    before a backup replaces the file) and forget every cached result; the next run opens
    it again. False when DuckDB refused to close one: the file may still be held, and the
    next release tries it again."""
    REFRESHER.forget()  # a refresh not yet begun would run on the connection closed here
    held = [*_REFUSED, *_OPENED]
    _OPENED.clear()
    _REFUSED.clear()
    for connection in held:
        try:
            connection.close()
        except duckdb.Error:
            _REFUSED.append(connection)
    _forget_versions()
    _connection.clear()
    _meta.clear()
    _organisations.clear()
    st.cache_data.clear()
    return not _REFUSED


if TYPE_CHECKING:
    from src.ingest.resolutions import InstallPreview
    from src.store.catalogue import ResolutionDoc


# Moved on by every write and release: a version a run read before it is read again.
_GENERATION = [0]


def version() -> int:
    """The data version, read once per run of a page: every cached read of the run is keyed
    by the same version (one snapshot of the data per run), and the run pays one query for
    it instead of one per read (8-14 ms each on a busy server, waiting for the GIL back
    while the server sends the run's messages). Kept on the run's script context with the
    context's dict of cursors, which Streamlit makes anew at the start of every run, before
    its callbacks. Outside a run (the refresh thread), read each time. A write in the run
    reads it again (:func:`after_write`)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return storage.data_version(con())
    held = getattr(ctx, "_nq_version", None)
    if held is not None and held[0] is ctx.cursors and held[1] == _GENERATION[0]:
        return int(held[2])
    seen = storage.data_version(con())
    ctx._nq_version = (ctx.cursors, _GENERATION[0], seen)  # type: ignore[attr-defined]
    return seen


def _forget_versions() -> None:
    _GENERATION[0] += 1


def after_write() -> None:
    """Every write calls this: cached query results must show the new numbers at once, and
    the runs under way read the version again."""
    _forget_versions()
    st.cache_data.clear()


@dataclass(frozen=True)
class Organisations:
    """Every organisation, and the grassroots ones as the cell lists show them: read once
    per content of the organisations table, so a write of numbers does not read 250,000
    organisations again. Shared by all sessions (not copied): treat it as read-only."""

    table: pd.DataFrame
    units: pd.DataFrame  # grassroots organisations (org_code, name, group), sorted by name
    unit_codes: frozenset[str]

    @cached_property
    def names(self) -> dict[str, str]:
        """Every organisation's name by code: built on first use (0.15 s at 250,000
        organisations, which a page that names no cell need not pay)."""
        orgs = self.table
        return dict(zip(orgs["org_code"].tolist(), orgs["name"].tolist(), strict=True))


@st.cache_resource(show_spinner=False, max_entries=4)
def _organisations(path: str, fingerprint: str) -> Organisations:
    c = con()
    units = queries.units_by_name(c)
    return Organisations(queries.organisations(c), units, frozenset(units["org_code"].tolist()))


@dataclass(frozen=True)
class Meta:
    """What every page needs about the database, read once per data version. Shared by all
    sessions (not copied): treat it as read-only."""

    resolutions: list[Resolution]
    indicators: list[Indicator]
    years_with_data: list[int]
    is_demo: bool
    last_batch: dict[str, object] | None
    orgs: Organisations

    @property
    def organisations(self) -> pd.DataFrame:
        return self.orgs.table

    @property
    def units(self) -> pd.DataFrame:
        return self.orgs.units

    @property
    def unit_codes(self) -> frozenset[str]:
        return self.orgs.unit_codes

    @property
    def names(self) -> dict[str, str]:
        return self.orgs.names


@st.cache_resource(show_spinner=False, max_entries=4)
def _meta(path: str, data_version: int) -> Meta:
    c = con()
    return Meta(
        resolutions=queries.resolutions(c),
        indicators=queries.indicators(c),
        years_with_data=queries.data_years(c),
        is_demo=queries.has_demo_data(c),
        last_batch=queries.last_batch(c),
        orgs=_organisations(path, queries.organisations_fingerprint(c)),
    )


def meta() -> Meta:
    return _meta(str(config.db_path()), version())


@dataclass(frozen=True)
class ActiveUnits:
    units: pd.DataFrame  # org_code, name, group, active_from, active_to; sorted by name
    codes: frozenset[str]


@st.cache_resource(show_spinner=False, max_entries=16)
def _active_units(path: str, data_version: int, year: int) -> ActiveUnits:
    units = meta().units
    start = units["active_from"].fillna(year)
    end = units["active_to"].fillna(year)
    active = units[(start <= year) & (end >= year)].reset_index(drop=True)
    return ActiveUnits(active, frozenset(active["org_code"].tolist()))  # tolist: 5x faster


def active_units(year: int) -> ActiveUnits:
    """The grassroots organisations active in ``year``: what a page offers for that year
    (organisations founded, merged or dissolved at a term's change come and go with it).
    Shared, read-only."""
    return _active_units(str(config.db_path()), version(), year)


@st.cache_data(show_spinner=False, max_entries=64)
def _goals(path: str, data_version: int, resolution_code: str) -> list[Goal]:
    return queries.goals(con(), resolution_code)


def goals(resolution_code: str) -> list[Goal]:
    return _goals(str(config.db_path()), version(), resolution_code)


@st.cache_data(show_spinner=False, max_entries=512)
def _progress(
    path: str, data_version: int, resolution_code: str, year: int, org_codes: tuple[str, ...] | None
) -> pd.DataFrame:
    if org_codes is None:  # computed on a miss only, as right after a write
        REFRESHER.wait()
    return progress_table(
        con(), year, list(org_codes) if org_codes is not None else None, resolution_code
    )


def progress(resolution_code: str, year: int, org_codes: list[str] | None) -> pd.DataFrame:
    """The progress table of a year for the selection. The whole committee's is kept: right
    after a write, while the refresh beside the page (src/ui/refresher.py) keeps it, a miss
    of the cache waits for that (bounded) rather than compute the same table beside it on
    the same cores."""
    key = tuple(org_codes) if org_codes is not None else None
    return _progress(str(config.db_path()), version(), resolution_code, year, key)


def overview_view(
    resolution: Resolution, year: int, org_codes: list[str] | None, selection_label: str, lang: str
) -> overview.Overview:
    """The overview's content for the filters (progress cached, wording rebuilt: cheap)."""
    table = progress(resolution.code, year, org_codes)
    part = org_codes is not None  # some cells: a committee-wide term target is not theirs
    before = year - 1
    previous = (
        progress(resolution.code, before, org_codes)
        if before in resolution.term_years or before == resolution.base
        else None
    )
    return overview.build(
        table,
        goals(resolution.code),
        meta().indicators,
        resolution,
        year,
        selection_label,
        lang,
        part,
        previous,
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def _scorecard_grid(
    path: str, data_version: int, resolution_code: str, year: int, org_codes: tuple[str, ...] | None
) -> cell_view.Grid:
    from src.engine.progress import scorecard_blocks  # not through st.cache_data: a copy

    blocks, info = scorecard_blocks(con(), year, _list(org_codes), resolution_code)
    return cell_view.grid(blocks, info, goals(resolution_code))


def scorecard_grid(resolution_code: str, year: int, org_codes: list[str] | None) -> cell_view.Grid:
    """The scorecard as cells × goals, kept per data version (at L the reshape and sort of
    250,000 cells is worth keeping between reruns). Shared by every session and not copied
    (a copy out of st.cache_data on every rerun costs in proportion to it): read-only."""
    return _scorecard_grid(str(config.db_path()), version(), resolution_code, year, _key(org_codes))


@st.cache_resource(show_spinner=False, max_entries=32)
def _goal_cells(
    path: str,
    data_version: int,
    resolution_code: str,
    year: int,
    org_codes: tuple[str, ...] | None,
    goal_code: str,
) -> goal_view.Cells:
    from src.engine.progress import scorecard

    goal = next(g for g in goals(resolution_code) if g.code == goal_code)
    own = scorecard(con(), year, _list(org_codes), resolution_code, goal_codes={goal_code})
    return goal_view.cells(goal, progress(resolution_code, year, _list(org_codes)), own)


def goal_cells(
    resolution_code: str, year: int, org_codes: list[str] | None, goal_code: str
) -> goal_view.Cells:
    """One goal's cells for the goal page: its rows of the scorecard only (a fourteenth of
    it), ranked once per data version. Shared by every session and not copied (a cached
    frame of 250,000 rows took 0.7 s to copy out on every rerun): treat it as read-only."""
    return _goal_cells(
        str(config.db_path()), version(), resolution_code, year, _key(org_codes), goal_code
    )


def _key(org_codes: list[str] | None) -> tuple[str, ...] | None:
    return tuple(org_codes) if org_codes is not None else None


@st.cache_data(show_spinner=False, max_entries=256)
def _scorecard(
    path: str, data_version: int, resolution_code: str, year: int, org_codes: tuple[str, ...] | None
) -> pd.DataFrame:
    from src.engine.progress import scorecard

    return scorecard(
        con(), year, list(org_codes) if org_codes is not None else None, resolution_code
    )


def scorecard(resolution_code: str, year: int, org_codes: list[str] | None) -> pd.DataFrame:
    return _scorecard(str(config.db_path()), version(), resolution_code, year, _key(org_codes))


@st.cache_data(show_spinner=False, max_entries=256)
def _trend(
    path: str,
    data_version: int,
    resolution_code: str,
    goal_code: str,
    org_codes: tuple[str, ...] | None,
) -> pd.DataFrame:
    from src.engine.progress import goal_trend

    return goal_trend(
        con(), goal_code, list(org_codes) if org_codes is not None else None, resolution_code
    )


def trend(resolution_code: str, goal_code: str, org_codes: list[str] | None) -> pd.DataFrame:
    return _trend(str(config.db_path()), version(), resolution_code, goal_code, _key(org_codes))


@st.cache_data(show_spinner=False, max_entries=128)
def _profile(path: str, data_version: int, resolution_code: str, org_code: str) -> pd.DataFrame:
    from src.engine.progress import cell_profile

    return cell_profile(con(), org_code, resolution_code)


def profile(resolution_code: str, org_code: str) -> pd.DataFrame:
    return _profile(str(config.db_path()), version(), resolution_code, org_code)


@st.cache_data(show_spinner=False, max_entries=256)
def _provenance(
    path: str,
    data_version: int,
    first: int,
    last: int,
    org_codes: tuple[str, ...] | None,
    codes: tuple[str, ...],
    include_root: bool,
) -> pd.DataFrame:
    return queries.provenance(
        con(), first, last, list(org_codes) if org_codes else None, list(codes), include_root
    )


def provenance(
    first: int, last: int, org_codes: list[str] | None, codes: list[str], include_root: bool
) -> pd.DataFrame:
    return _provenance(
        str(config.db_path()), version(), first, last, _key(org_codes), tuple(codes), include_root
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _reporting(
    path: str, data_version: int, first: int, last: int, org_codes: tuple[str, ...] | None
) -> pd.DataFrame:
    return queries.reporting_matrix(con(), first, last, _list(org_codes))


def reporting(first: int, last: int, org_codes: list[str] | None = None) -> pd.DataFrame:
    """How many indicators each of ``org_codes`` (None: every organisation) reported."""
    return _reporting(str(config.db_path()), version(), first, last, _key(org_codes))


def _list(org_codes: tuple[str, ...] | None) -> list[str] | None:
    return list(org_codes) if org_codes is not None else None


@st.cache_data(show_spinner=False, max_entries=32)
def _reported_indicators(
    path: str, data_version: int, year: int, org_codes: tuple[str, ...] | None
) -> pd.DataFrame:
    return queries.reported_indicators(con(), year, _list(org_codes))


def reported_indicators(year: int, org_codes: list[str] | None = None) -> pd.DataFrame:
    """Which indicators each of ``org_codes`` (None: every organisation) reported."""
    return _reported_indicators(str(config.db_path()), version(), year, _key(org_codes))


@st.cache_data(show_spinner=False, max_entries=16)
def _undo_preview(path: str, data_version: int, batch_id: int) -> UndoPreview:
    return plan_undo(con(), batch_id)


def undo_preview(batch_id: int) -> tuple[UndoPreview, int]:
    """What undoing the batch would do, worked out once per data version (the upload page
    draws it on every rerun), and that version."""
    seen = version()
    return _undo_preview(str(config.db_path()), seen, batch_id), seen


@st.cache_data(show_spinner=False, max_entries=8)
def _resolution_versions(path: str, data_version: int) -> dict[str, tuple[int, int | None]]:
    return queries.resolution_versions(con())


def resolution_versions() -> dict[str, tuple[int, int | None]]:
    return _resolution_versions(str(config.db_path()), version())


def goal_counts() -> dict[str, int]:
    return {r.code: len(goals(r.code)) for r in meta().resolutions}


@st.cache_data(show_spinner=False, max_entries=8)
def _template(
    path: str, data_version: int, year: int, kind: str, resolution_code: str | None
) -> bytes:
    return templates.make(con().cursor(), year, kind, resolution_code)


def template(year: int, kind: str, resolution_code: str | None) -> bytes:
    """The upload template of a year (xlsx or csv), made once per data version."""
    return _template(str(config.db_path()), version(), year, kind, resolution_code)


@st.cache_data(show_spinner=False, max_entries=4)
def resolution_template(lang: str) -> bytes:
    from src.ingest import resolution_book

    return resolution_book.template_book(lang)


@st.cache_data(show_spinner=False, max_entries=4)
def resolution_example(lang: str) -> bytes:
    from src.ingest import resolution_book

    return resolution_book.write_book(resolution_book.example_doc(), lang)


def install_preview(doc: ResolutionDoc) -> InstallPreview:
    from src.ingest import resolutions

    return resolutions.preview(con(), doc)
