"""The Nghị quyết page's draft (issue 13, the page part), in AppTest: paste the resolution's
text or upload it, see the goals it proposes beside their sentences, correct them, see the
workbook's checks, install; nothing is installed before the install button."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError

from tests.page_support import count_runs

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "tests" / "data" / "draft" / "resolution-article-vi.txt"
DRAFTED = "NQ-2020-2025"  # the code the draft gives the seed's article


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/resolutions.py").run()
    assert not at.exception, at.exception
    return at


def _installed() -> list[str]:
    from src.store import queries
    from src.ui import cache

    return [r.code for r in queries.resolutions(cache.con())]


def _paste(at: AppTest, text: str) -> AppTest:
    at.text_area(key="draft_text_0").set_value(text)
    at.button(key="draft_read").click().run()
    assert not at.exception, at.exception
    return at


def _edit(at: AppTest, changes: dict[int, dict[str, object]]) -> AppTest:
    """Cell edits, as the browser sends them (AppTest cannot type into a data editor)."""
    editor = at.data_editor[0]
    assert editor.key is not None
    at.session_state[editor.key] = {"edited_rows": changes, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest, column: str) -> pd.DataFrame:
    """The read-only table with that column (AppTest names no st.dataframe by its key)."""
    tables = [d.value for d in at.dataframe if d.editing_mode == "read_only"]
    return next(t for t in tables if column in t.columns)


def _texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.success, *at.error])


def test_the_seed_article_pasted_is_proposed_corrected_checked_and_installed_only_on_click(
    page_db: Path,
) -> None:
    from src.store import queries
    from src.ui import cache

    before = _installed()
    at = _paste(_page(), ARTICLE.read_text(encoding="utf-8"))
    table = at.data_editor[0].value
    assert len(table) == 15
    assert table["numerator"][0] == "Số đảng viên được học tập, quán triệt nghị quyết"  # a name
    assert table["measure"][0] == "tỷ lệ" and table["comparison"][0] == "từ … trở lên (≥)"
    sources = _texts(at)
    assert ":orange-background[**100\\%**]" in sources  # the target, highlighted, escaped
    assert "Đề xuất 15 chỉ tiêu" in sources

    _edit(at, {0: {"target": 95.0}})
    preview = _table(at, "Cách tính")  # the goals in plain words, as for a workbook
    assert len(preview) == 15 and "95%" in preview["Cách tính"][0]
    assert not [e for e in at.error if "lỗi" in str(e.value)]
    assert "Sẽ cài đặt là phiên bản 1" in _texts(at)
    assert _installed() == before  # nothing installed yet

    at.button(key="draft_go").click().run()
    assert not at.exception, at.exception
    assert DRAFTED in _installed()
    goals = {g.code: g for g in queries.goals(cache.con(), DRAFTED)}
    assert len(goals) == 15
    assert goals["A1"].target == 95.0 and goals["A1"].numerator == "members_studied"
    assert goals["A4a"].parent == "A4" and goals["A11"].over == "term_total"
    assert "Đã cài đặt nghị quyết NQ-2020-2025" in "\n".join(str(s.value) for s in at.success)
    # the draft is gone: no table, no install button to click a second time
    assert not at.data_editor and not [b for b in at.button if b.key == "draft_go"]
    assert queries.resolution_versions(cache.con())[DRAFTED][0] == 1


def test_an_indicator_picked_by_name_at_the_start_of_the_year_is_installed_as_prev(
    page_db: Path,
) -> None:
    from src.store import queries
    from src.ui import cache

    at = _paste(_page(), ARTICLE.read_text(encoding="utf-8"))
    new_members = {  # A11, 400 new members in the term, as 3% of the members each year
        "measure": "tỷ lệ",
        "over": "hằng năm",
        "target": 3.0,
        "denominator": "Tổng số đảng viên (đầu năm)",
        "numerator_expr": "x",
    }
    _edit(at, {13: new_members})
    at.button(key="draft_go").click().run()
    assert not at.exception, at.exception
    goal = {g.code: g for g in queries.goals(cache.con(), DRAFTED)}["A11"]
    assert goal.numerator == "new_members"  # the name picked wins over the expression
    assert goal.denominator == "members_total@prev"
    assert goal.measure == "ratio" and goal.over == "year" and goal.target == 3.0


def test_a_draft_made_invalid_names_sheet_row_and_column_and_cannot_be_installed(
    page_db: Path,
) -> None:
    before = _installed()
    at = _paste(_page(), ARTICLE.read_text(encoding="utf-8"))
    _edit(at, {2: {"comparison": "từ … đến … (khoảng)", "target": 80.0, "target_max": 70.0}})
    problems = _table(at, "Trang")
    assert list(problems.columns[:3]) == ["Trang", "Dòng", "Cột"]
    # the table's third goal is row 4 of the goals sheet (its header is row 1)
    assert problems.iloc[0].tolist()[:3] == ["Chỉ tiêu", "4", "Mức tối đa"]
    assert "70" in problems.iloc[0]["Lỗi"] and "80" in problems.iloc[0]["Lỗi"]
    assert at.button(key="draft_go").disabled
    with pytest.raises(AppTestError):  # no click gets through
        at.button(key="draft_go").click()
    at.run()
    assert _installed() == before


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (80 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("nghi-quyet.docx", _zip_bomb(), "Không đọc được tệp"),
        ("nghi-quyet.docx", b"%PDF-1.4 not a word file", "không phải tệp Word"),
        ("nghi-quyet.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "không phải văn bản"),
    ],
    ids=["zip-bomb-docx", "not-a-docx", "binary-txt"],
)
def test_a_hostile_upload_is_refused_in_vietnamese_and_changes_nothing(
    page_db: Path, name: str, data: bytes, words: str
) -> None:
    before = _installed()
    at = _paste(_page(), ARTICLE.read_text(encoding="utf-8"))  # a draft already on the page
    at.file_uploader(key="draft_file_0").set_value((name, data, "application/octet-stream"))
    at.button(key="draft_read").click().run()
    assert not at.exception, at.exception
    refused = "\n".join(str(e.value) for e in at.error)
    assert words in refused and "Chưa có gì thay đổi" in refused
    assert len(at.data_editor[0].value) == 15  # the draft before is kept as it was
    assert _installed() == before


def test_without_the_editor_password_the_draft_is_shown_but_cannot_be_installed(
    page_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from src.ui import auth
    from src.ui.auth import PasswordGuard

    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", "mat-khau-dung")
    monkeypatch.setattr(auth, "GUARD", PasswordGuard())
    before = _installed()
    at = _paste(_page(), ARTICLE.read_text(encoding="utf-8"))
    assert len(at.data_editor[0].value) == 15
    assert at.button(key="draft_go").disabled
    at.text_input(key="editor_password_given").input("mat-khau-dung").run()
    assert not at.button(key="draft_go").disabled
    assert _installed() == before


def test_a_draft_whose_install_was_already_spent_is_not_installed_again(page_db: Path) -> None:
    """Two clicks on the same draft (the second arriving before the page is redrawn): the
    first spends the draft's one-use token, the second finds none and installs nothing."""
    before = _installed()
    at = _paste(_page(), ARTICLE.read_text(encoding="utf-8"))
    del at.session_state["draft_token"]  # as the first click left it
    at.button(key="draft_go").click().run()
    assert not at.exception, at.exception
    assert "không cài đặt lại" in "\n".join(str(w.value) for w in at.warning)
    assert _installed() == before


def test_in_english_the_table_offers_english_words_and_still_installs(page_db: Path) -> None:
    at = _page()
    at.session_state["lang"] = "en"
    at.run()
    _paste(at, ARTICLE.read_text(encoding="utf-8"))
    table = at.data_editor[0].value
    assert table["measure"][0] == "ratio" and table["over"][0] == "each year"
    assert table["comparison"][0] == "at least (≥)"
    at.button(key="draft_go").click().run()
    assert not at.exception, at.exception
    assert DRAFTED in _installed()


def test_a_word_file_uploaded_is_read_instead_of_the_text_box(page_db: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Nhiệm kỳ 2025-2030, Đảng bộ phấn đấu hằng năm đạt các mục tiêu:")
    document.add_paragraph("- 90% trở lên đảng viên hoàn thành tốt nhiệm vụ trở lên;")
    document.add_paragraph("- kết nạp ít nhất 50 đảng viên mới.")
    out = io.BytesIO()
    document.save(out)
    at = _page()
    at.file_uploader(key="draft_file_0").set_value(("nq.docx", out.getvalue(), "application/zip"))
    at.button(key="draft_read").click().run()
    assert not at.exception, at.exception
    table = at.data_editor[0].value
    assert list(table["target"]) == [90.0, 50.0]
    assert "2025" in str(at.number_input(key="draft_start_1").value)


def test_a_draft_discarded_is_gone_in_the_one_run_the_click_starts(
    page_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _paste(_page(), ARTICLE.read_text(encoding="utf-8"))
    assert at.data_editor and "Đề xuất 15 chỉ tiêu" in _texts(at)
    runs = count_runs(monkeypatch)
    at.button(key="draft_discard").click().run()
    assert not at.exception, at.exception
    assert len(runs) == 1
    assert not at.data_editor and "Đề xuất 15 chỉ tiêu" not in _texts(at)
    assert at.text_area(key="draft_text_1").value in ("", None)  # the text box emptied
