"""Helpers for the pages in AppTest: open one of the upload page's tabs, which run only when
open (``widgets.lazy_tabs``), as a reader's click on it does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from streamlit.testing.v1 import AppTest

from src.i18n import t

T = TypeVar("T")
UPLOAD_TABS = ("tab_upload", "tab_history", "tab_assess", "tab_orgs")


def open_tab(at: AppTest, tab: str, lang: str = "vi") -> AppTest:
    """The upload page with its tab ``tab`` (an i18n key of UPLOAD_TABS) open, rerun."""
    at.session_state["upload_tab"] = t(tab, lang)
    return at.run()


def on_every_tab(at: AppTest, look: Callable[[AppTest], list[T]], lang: str = "vi") -> list[T]:
    """What ``look`` finds on each tab of the upload page, opened in turn; the first tab is
    open again after."""
    found: list[T] = []
    for tab in UPLOAD_TABS:
        found += look(open_tab(at, tab, lang))
    open_tab(at, UPLOAD_TABS[0], lang)
    return found


def count_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one at each run of the frame (app.py) from now on: its language
    switch is drawn once per run. For tests that a click is one run, not two (st.rerun)."""
    from src.ui import widgets

    runs: list[int] = []
    frame_language = widgets.language_switch

    def counted() -> str:
        runs.append(1)
        return frame_language()

    monkeypatch.setattr(widgets, "language_switch", counted)
    return runs
