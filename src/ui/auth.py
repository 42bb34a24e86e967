"""Guesses of the editor password, limited for the whole process (issue 11).

A count kept in a session would be reset by opening a new one (a new websocket), so the
failures are counted here, once per process, for every session and address together: each
wrong guess waits longer than the one before (up to a few seconds), and after
``max_failures`` wrong guesses within ``window_s`` every guess is refused, even the right
one, for ``lockout_s``. No Streamlit here: the clock and the wait are injectable for tests.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from src.i18n import fmt_date, t

OK, WRONG, LOCKED = "ok", "wrong", "locked"


@dataclass(frozen=True)
class Verdict:
    result: str  # OK, WRONG or LOCKED
    until: float | None = None  # LOCKED: when guesses are taken again (clock's seconds)
    wrong: bool = False  # LOCKED by this very guess, which was wrong

    @property
    def ok(self) -> bool:
        return self.result == OK

    def message(self, lang: str) -> str | None:
        """What the user is told: nothing when the password was right."""
        if self.result == WRONG:
            return t("password_wrong", lang)
        if self.result == LOCKED and self.until is not None:
            until = fmt_date(datetime.fromtimestamp(self.until), lang, with_time=True)
            locked = t("password_locked", lang, until=until)
            return f"{t('password_wrong', lang)} {locked}" if self.wrong else locked
        return None


class PasswordGuard:
    """Checks guesses against the password, slowing down and then locking out."""

    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        max_failures: int = 5,
        window_s: float = 15 * 60,
        lockout_s: float = 15 * 60,
        first_delay_s: float = 0.5,
        max_delay_s: float = 4.0,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.max_failures = max_failures
        self.window_s = window_s
        self.lockout_s = lockout_s
        self.first_delay_s = first_delay_s
        self.max_delay_s = max_delay_s
        self._lock = threading.Lock()
        self._failures: list[float] = []  # when each recent wrong guess was made
        self._locked_until = 0.0

    def delay(self, failures: int) -> float:
        """The wait after the n-th wrong guess in a row: 0.5, 1, 2, 4, 4 … seconds."""
        if failures <= 0:
            return 0.0
        return float(min(self.max_delay_s, self.first_delay_s * 2 ** (failures - 1)))

    def check(self, given: str, password: str) -> Verdict:
        """One guess. While locked out it is refused without being compared or counted."""
        with self._lock:
            now = self.clock()
            if now < self._locked_until:
                return Verdict(LOCKED, self._locked_until)
            if hmac.compare_digest(given.encode(), password.encode()):
                self._failures.clear()
                return Verdict(OK)
            self._failures = [f for f in self._failures if now - f < self.window_s]
            self._failures.append(now)
            failures = len(self._failures)
            verdict = Verdict(WRONG)
            if failures >= self.max_failures:
                self._locked_until = now + self.lockout_s
                self._failures.clear()
                verdict = Verdict(LOCKED, self._locked_until, wrong=True)
        self.sleep(self.delay(failures))  # outside the lock: other sessions are not held up
        return verdict

    def failures(self) -> int:
        """Wrong guesses counted towards the next lockout."""
        with self._lock:
            return len(self._failures)

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()
            self._locked_until = 0.0


# The one guard of the dashboard's process: every session's guesses count together.
GUARD = PasswordGuard()
