"""Helpers for the pages in AppTest: open one of the upload page's tabs, which run only when
open (``widgets.lazy_tabs``), as a reader's click on it does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

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
