"""The kept summaries refreshed after a page's write, beside the page, not before it answers.

A write from a page commits, and the page says it is done at once; the kept progress of the
years the write made stale is recomputed by one background thread of the process
(:data:`REFRESHER`). Nothing waits for it to be right: while a year is stale, a reader
computes it directly from the values (src/engine/aggregates.py), so a reader never sees old
numbers. A whole-committee read that finds a refresh under way waits for it (bounded, see
:meth:`Refresher.wait`) instead of computing the same table beside it on the same cores.

A refresh that fails (a full disk) leaves the years stale, never wrong; the write stands.
The session that wrote is told on its next run (:meth:`Refresher.failure`, shown by
``guard.notices``), and the next write or start refreshes again. Any other error is logged:
the data is unchanged, and readers still compute.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable
from typing import cast

import duckdb

from src.engine import aggregates

LOG = logging.getLogger(__name__)
# The words of failed refreshes kept for sessions not yet back: a closed tab never takes its
# own, so past this many the oldest go
KEPT_FAILURES = 256
WAIT_S = 2.0  # the longest a reader waits for a refresh under way before computing itself


Describe = Callable[[BaseException], str | None]


class Refresher:
    """One refresh thread per process; requests while one runs make it run once more (the
    later writes' years are stale after the first pass has read them), and every session
    whose write that pass covers is told if it fails."""

    def __init__(
        self, refresh: Callable[[duckdb.DuckDBPyConnection], object] | None = None
    ) -> None:
        self._refresh = refresh or _refresh_progress
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._con: duckdb.DuckDBPyConnection | None = None  # of the requests not yet run
        self._waiting: dict[str, Describe] = {}  # session → its words, for the next pass
        self._failures: dict[str, str] = {}

    def request(self, con: duckdb.DuckDBPyConnection, session: str, describe: Describe) -> None:
        """Refresh on ``con`` after a committed write of ``session``; ``describe`` turns a
        storage failure into the words for that session (None: not a storage failure)."""
        with self._lock:
            self._con = con
            self._waiting[session] = describe
            if not self._idle.is_set():
                return  # the running thread takes it on its next pass
            self._idle.clear()
        try:
            threading.Thread(target=self._run, name="nq-refresh", daemon=True).start()
        except RuntimeError:  # no thread to be had: the years stay stale, readers compute
            LOG.exception("could not start the refresh of the kept progress")
            with self._lock:
                self._con, self._waiting = None, {}
                self._idle.set()

    def forget(self) -> None:
        """Drop the requests not yet run (the connection they name is being closed: the
        next start refreshes what is stale, bootstrap.open_database)."""
        with self._lock:
            self._con, self._waiting = None, {}

    def _run(self) -> None:
        while True:
            with self._lock:
                con, waiting = self._con, self._waiting
                self._con, self._waiting = None, {}
                if not waiting:  # every request names its session; forget() drops them
                    self._idle.set()
                    return
            try:
                self._refresh(cast(duckdb.DuckDBPyConnection, con))
            except BaseException as exc:  # noqa: BLE001 - a thread has no one to raise to
                told = {session: _safe(describe, exc) for session, describe in waiting.items()}
                if not any(told.values()):
                    LOG.exception("refresh of the kept progress failed")
                with self._lock:
                    for session, words in told.items():
                        if words is not None:
                            self._failures.pop(session, None)  # the newest last
                            self._failures[session] = words
                    while len(self._failures) > KEPT_FAILURES:  # sessions that never came back
                        del self._failures[next(iter(self._failures))]

    def busy(self) -> bool:
        return not self._idle.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no refresh runs (at most ``timeout`` seconds, by default
        :data:`WAIT_S`); whether none runs."""
        return self._idle.wait(WAIT_S if timeout is None else timeout)

    def failure(self, session: str) -> str | None:
        """The words of a refresh after ``session``'s write that failed, once."""
        with self._lock:
            return self._failures.pop(session, None)


def _refresh_progress(con: duckdb.DuckDBPyConnection) -> object:
    return aggregates.refresh_progress(con)  # looked up at each call (a test may replace it)


def _safe(describe: Callable[[BaseException], str | None], exc: BaseException) -> str | None:
    try:
        return describe(exc)
    except Exception:  # noqa: BLE001 - the words for a failure must not hide it
        LOG.exception("could not describe a failed refresh")
        return None


REFRESHER = Refresher()
atexit.register(REFRESHER.wait, 10.0)  # a stop gives a refresh under way time to finish;
# one cut off rolls back, and the next start refreshes what is stale
