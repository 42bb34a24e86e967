"""A page's write answers at once and its summaries are kept beside it (src/ui/refresher.py):
readers meanwhile see the new numbers, computed from the values, and a refresh that fails
is told to the session that wrote, once."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from src.engine import aggregates
from src.store import storage
from src.ui import refresher
from src.ui.refresher import Refresher
from tests.conftest import ROOT
from tests.page_support import open_tab

NOTE = "Ghi chú của lần lưu này"


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "db" / "demo.duckdb"
    path.parent.mkdir()
    shutil.copyfile(demo_db, path)
    return path


def page(monkeypatch: pytest.MonkeyPatch, db: Path) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD", raising=False)
    monkeypatch.syspath_prepend(str(ROOT))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    return at.run()


def save_assessment(at: AppTest) -> AppTest:
    open_tab(at.switch_page("pages/upload.py").run(), "tab_assess")
    at.text_area[0].input(NOTE)
    return next(b for b in at.button if b.label == "Lưu").click().run()


def shown(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.warning, *at.success)]
    parts += [df.value.to_string() for df in at.dataframe]
    parts += [table.value.to_string() for table in at.table]
    return " ".join(str(p) for p in parts)


def test_a_form_saved_on_the_page_answers_while_its_summaries_are_still_being_kept(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    released, began = threading.Event(), threading.Event()
    real = aggregates.refresh_progress

    def held(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
        began.set()
        released.wait(20)  # the page's run must end before this is released
        return real(con)

    monkeypatch.setattr(aggregates, "refresh_progress", held)
    monkeypatch.setattr(refresher, "WAIT_S", 0.05)  # the overview does not wait for it
    at = page(monkeypatch, db)
    try:
        save_assessment(at)
        assert not at.exception, at.exception
        assert any("Đã lưu" in s.value for s in at.success), [s.value for s in at.success]
        assert began.wait(10) and refresher.REFRESHER.busy()  # answered, refresh under way
        assert not current(db)
        at.switch_page("pages/overview.py").run()  # computed from the values meanwhile
        assert not at.exception, at.exception
        assert NOTE in shown(at)
    finally:
        released.set()
    assert refresher.REFRESHER.wait(30)
    assert current(db)


def current(db: Path) -> bool:
    con = storage.connect(db)
    try:
        return aggregates.is_current(con)
    finally:
        con.close()


class FirstPassHeld:
    """A refresh whose first pass waits until ``release()``; every later pass raises
    ``then``, when given. Records the connection of each pass."""

    def __init__(self, then: BaseException | None = None) -> None:
        self.calls: list[object] = []
        self.entered, self._go_on = threading.Event(), threading.Event()
        self.then = then

    def __call__(self, con: object) -> None:
        self.calls.append(con)
        if len(self.calls) == 1:
            self.entered.set()
            self._go_on.wait(10)
        elif self.then is not None:
            raise self.then

    def release(self) -> None:
        self._go_on.set()


def test_a_second_write_during_a_refresh_is_refreshed_after_it() -> None:
    held = FirstPassHeld()
    r = Refresher(held)
    r.request("one", "s1", lambda exc: None)  # type: ignore[arg-type]
    assert held.entered.wait(10)
    r.request("two", "s1", lambda exc: None)  # type: ignore[arg-type]
    r.request("three", "s2", lambda exc: None)  # type: ignore[arg-type]
    assert r.busy()
    held.release()
    assert r.wait(10)
    assert held.calls == ["one", "three"]  # one more pass, on the latest request, not one each


def test_a_refresh_that_fails_tells_the_session_that_wrote_once_and_no_other() -> None:
    def refresh(con: object) -> None:
        raise OSError(28, "No space left on device")

    r = Refresher(refresh)
    r.request(None, "writer", lambda exc: f"written; summaries later ({exc.strerror})")  # type: ignore[arg-type, attr-defined]
    assert r.wait(10)
    assert r.failure("reader") is None
    assert r.failure("writer") == "written; summaries later (No space left on device)"
    assert r.failure("writer") is None


def test_the_words_kept_for_sessions_that_never_come_back_are_bounded() -> None:
    from src.ui import refresher

    def refresh(con: object) -> None:
        raise OSError(28, "No space left on device")

    r = Refresher(refresh)
    for n in range(refresher.KEPT_FAILURES + 40):  # each tab closed before its next run
        r.request(None, f"s{n}", lambda exc, n=n: f"told {n}")  # type: ignore[arg-type, misc]
        assert r.wait(10)
    newest = refresher.KEPT_FAILURES + 39
    assert r.failure(f"s{newest}") == f"told {newest}"
    assert r.failure("s0") is None  # the oldest went
    assert r.failure(f"s{newest - refresher.KEPT_FAILURES + 1}") is not None  # kept


def test_a_refresh_that_fails_for_another_reason_is_logged_and_the_next_one_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []

    def refresh(con: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("a bug")

    r = Refresher(refresh)
    r.request(None, "writer", lambda exc: None)  # type: ignore[arg-type]
    assert r.wait(10)
    assert "refresh of the kept progress failed" in caplog.text and "a bug" in caplog.text
    assert r.failure("writer") is None
    r.request(None, "writer", lambda exc: None)  # type: ignore[arg-type]
    assert r.wait(10) and calls == [1, 1]


def test_a_failed_pass_tells_every_session_whose_write_it_covered() -> None:
    held = FirstPassHeld(then=OSError(28, "No space left on device"))
    r = Refresher(held)
    r.request("one", "first", lambda exc: "first told")  # type: ignore[arg-type]
    assert held.entered.wait(10)
    r.request("two", "second", lambda exc: "second told")  # type: ignore[arg-type]
    r.request("two", "third", lambda exc: "third told")  # type: ignore[arg-type]
    held.release()
    assert r.wait(10)
    assert held.calls == ["one", "two"]
    assert r.failure("first") is None  # its pass went through
    assert (r.failure("second"), r.failure("third")) == ("second told", "third told")


def test_requests_dropped_before_their_connection_is_closed_do_not_run() -> None:
    held = FirstPassHeld()
    r = Refresher(held)
    r.request("one", "s", lambda exc: None)  # type: ignore[arg-type]
    assert held.entered.wait(10)
    r.request("one", "s", lambda exc: None)  # type: ignore[arg-type]
    r.forget()  # (cache.release, before it closes the connection)
    held.release()
    assert r.wait(10) and held.calls == ["one"]
