"""The editor password cannot be guessed quickly (issue 11): every wrong guess waits longer,
five within 15 minutes lock every guess out for 15 minutes (even the right one), counted
for the whole process (a new session does not start afresh), once per guess typed."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from src.ui import auth
from src.ui.auth import LOCKED, OK, WRONG, PasswordGuard
from tests.page_support import on_every_tab, open_tab

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bí-mật"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def guard(clock: Clock) -> PasswordGuard:
    return PasswordGuard(clock=clock, sleep=clock.sleep)


def test_each_wrong_guess_waits_longer_up_to_a_cap(guard: PasswordGuard, clock: Clock) -> None:
    for _ in range(4):
        assert guard.check("sai", SECRET).result == WRONG
    assert clock.waits == [0.5, 1.0, 2.0, 4.0]
    assert guard.delay(9) == guard.max_delay_s <= 5


def test_a_right_guess_is_not_delayed_and_clears_the_count(
    guard: PasswordGuard, clock: Clock
) -> None:
    guard.check("sai", SECRET)
    assert guard.check(SECRET, SECRET).result == OK
    assert clock.waits == [0.5] and guard.failures() == 0


def test_five_wrong_guesses_lock_out_every_guess_even_the_right_one_for_15_minutes(
    guard: PasswordGuard, clock: Clock
) -> None:
    verdicts = [guard.check(f"sai-{i}", SECRET) for i in range(5)]
    assert [v.result for v in verdicts] == [WRONG] * 4 + [LOCKED]
    until = verdicts[-1].until
    assert until is not None and until == pytest.approx(clock.now + 15 * 60)
    message = verdicts[-1].message("vi") or ""
    assert message.startswith("Sai mật khẩu.") and "đến" in message
    clock.now = until - 1
    refused = guard.check(SECRET, SECRET)
    assert refused.result == LOCKED and refused.until == until
    assert "kể cả mật khẩu đúng" in (refused.message("vi") or "")
    assert "even the right one" in (refused.message("en") or "")
    clock.now = until
    assert guard.check(SECRET, SECRET).result == OK


def test_wrong_guesses_older_than_the_window_are_forgotten(
    guard: PasswordGuard, clock: Clock
) -> None:
    for _ in range(4):
        guard.check("sai", SECRET)
    clock.now += 15 * 60 + 1
    assert guard.check("sai", SECRET).result == WRONG
    assert guard.failures() == 1


def test_guesses_from_many_sessions_at_once_all_count(guard: PasswordGuard) -> None:
    threads = [threading.Thread(target=guard.check, args=("sai", SECRET)) for _ in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert guard.check(SECRET, SECRET).result == LOCKED


def test_a_wrong_guess_says_sai_mat_khau() -> None:
    assert auth.Verdict(WRONG).message("vi") == "Sai mật khẩu."
    assert auth.Verdict(WRONG).message("en") == "Wrong password."
    assert auth.Verdict(OK).message("vi") is None


@pytest.fixture
def upload_page(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> AppTest:
    db = tmp_path / "p.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", SECRET)
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setattr(auth, "GUARD", PasswordGuard(clock=clock, sleep=clock.sleep))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/upload.py").run()
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_the_upload_page_says_sai_mat_khau_and_counts_a_guess_once_across_reruns(
    upload_page: AppTest,
) -> None:
    at = upload_page
    assert not at.exception
    at.text_input(key="editor_password_given").input("sai").run()
    assert "Sai mật khẩu." in errors(at)
    at.run()  # the page runs again (another widget, a click): the same guess, not a new one
    at.run()
    assert auth.GUARD.failures() == 1
    assert "Sai mật khẩu." in errors(at)
    at.text_input(key="editor_password_given").input(SECRET).run()
    assert not errors(at)
    saves = on_every_tab(at, lambda a: [b.disabled for b in a.button if b.label == "Lưu"])
    assert len(saves) == 2 and not any(saves)  # the two forms
    open_tab(at, "tab_history")
    next(c for c in at.checkbox if str(c.key).startswith("undo_confirm_")).check().run()
    assert [b.disabled for b in at.button if b.label == "Hoàn tác"] == [False]


def test_a_new_session_does_not_start_the_count_afresh(
    upload_page: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)  # a new session
        at.run()
        at.switch_page("pages/upload.py").run()
        at.text_input(key="editor_password_given").input(f"sai-{i}").run()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/upload.py").run()
    at.text_input(key="editor_password_given").input(SECRET).run()
    assert any("kể cả mật khẩu đúng" in e for e in errors(at))
    writes = on_every_tab(
        at, lambda a: [b.disabled for b in a.button if b.label in ("Lưu", "Hoàn tác")]
    )
    assert len(writes) == 3 and all(writes)  # two forms and the undo
