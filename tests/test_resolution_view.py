"""The install preview's counts, said once for the page and the command line."""

from __future__ import annotations

from src.ingest.resolutions import InstallPreview
from src.views.resolution_view import replaces_text


def preview(replaces: bool) -> InstallPreview:
    return InstallPreview(
        code="NQ",
        version=2,
        replaces=replaces,
        added=["A9"],
        changed=["A1", "A2"],
        unchanged=["A3", "A4", "A5"],
        removed=[],
    )


def test_a_new_version_says_how_many_goals_it_adds_changes_keeps_and_removes() -> None:
    assert replaces_text(preview(True), "vi") == (
        "Thay phiên bản đang dùng: 1 chỉ tiêu mới, 2 thay đổi, 3 giữ nguyên, 0 bỏ đi."
        " Mọi số liệu đã có được giữ nguyên."
    )
    assert "1 goals new, 2 changed, 3 as they were, 0 removed" in str(
        replaces_text(preview(True), "en")
    )


def test_a_first_install_says_nothing_of_replacing() -> None:
    assert replaces_text(preview(False), "vi") is None
