"""The upload page's template buttons: a committee's template is made with the page and
handed over at the click; a national one is made only when clicked (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_a_committees_template_is_ready_with_the_page_and_a_national_one_is_made_on_click(
    page_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from src.ui import actions

    ready = actions.template(2025, "csv", None)
    assert isinstance(ready, bytes)
    assert ready.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    assert "DBCQ" in ready.decode("utf-8-sig")

    monkeypatch.setattr(actions, "EAGER_TEMPLATE_ORGS", 10)  # the demo's 40-odd are "many"
    later = actions.template(2025, "xlsx", None)
    assert callable(later)
    assert later()[:2] == b"PK"  # a workbook, made when called
