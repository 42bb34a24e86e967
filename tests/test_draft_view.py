"""The draft's editable table (src/views/draft_view.py): indicators by name and back, and each
target highlighted in its sentence as safe Markdown."""

from __future__ import annotations

from pathlib import Path

from src.domain.models import Indicator
from src.ingest import draft_book, resolution_book
from src.ingest.draft import draft
from src.store import catalogue, queries, storage
from src.views.draft_view import edited_rows, editor_table, highlighted, indicator_options

ARTICLE = Path(__file__).resolve().parent / "data" / "draft" / "resolution-article-vi.txt"


def _indicators(tmp_path: Path) -> list[Indicator]:
    con = storage.connect(tmp_path / "c.duckdb")
    with storage.transaction(con) as cur:
        catalogue.install(cur)
    found = queries.indicators(con)
    con.close()
    return found


def _indicator(code: str, name: str) -> Indicator:
    return Indicator(code, name, "", "", "", "count", "org")


def test_the_table_unedited_gives_back_the_rows_the_draft_proposed(tmp_path: Path) -> None:
    indicators = _indicators(tmp_path)
    found = draft(ARTICLE.read_text(encoding="utf-8"), indicators)
    back = edited_rows(editor_table(found.as_dicts(), indicators), indicators)
    fields = ("code", "parent", "measure", "over", "comparison", "numerator", "denominator")
    assert [{f: r[f] for f in fields} for r in back] == [
        {f: getattr(r, f) for f in fields} for r in found.rows
    ]
    assert [r["target"] for r in back] == [r.target for r in found.rows]
    assert [r["level"] for r in back] == [r.level for r in found.rows]
    book = draft_book.to_workbook(back, found.facts)
    assert resolution_book.read_book(book, "d.xlsx", indicators).errors == []


def test_an_indicator_is_named_by_its_name_and_at_the_start_of_the_year_or_term() -> None:
    options = indicator_options([_indicator("members_total", "Tổng số đảng viên")])
    assert options == {
        "Tổng số đảng viên": "members_total",
        "Tổng số đảng viên (đầu năm)": "members_total@prev",
        "Tổng số đảng viên (đầu nhiệm kỳ)": "members_total@base",
    }


def test_two_indicators_of_one_name_are_told_apart_by_their_codes() -> None:
    options = indicator_options([_indicator("a", "Số lớp"), _indicator("b", "Số lớp")])
    assert options["Số lớp [a]"] == "a" and options["Số lớp [b]"] == "b"
    assert len(set(options)) == len(options) == 6


def test_an_expression_no_name_says_stays_in_the_expression_column() -> None:
    indicators = [_indicator("x", "Số x"), _indicator("y", "Số y")]
    row = {"code": "A1", "measure": "sum", "over": "year", "comparison": ">=", "target": 1}
    table = editor_table([{**row, "numerator": "x + y"}], indicators)
    assert table["numerator"][0] is None and table["numerator_expr"][0] == "x + y"
    assert edited_rows(table, indicators)[0]["numerator"] == "x + y"
    table.loc[0, "numerator"] = "Số y (đầu nhiệm kỳ)"  # a name picked wins
    assert edited_rows(table, indicators)[0]["numerator"] == "y@base"


def test_an_empty_row_added_to_the_table_is_no_goal() -> None:
    table = editor_table([], []).astype(object)
    table.loc[0] = [None] * len(table.columns)
    assert edited_rows(table, []) == []


def test_the_target_is_highlighted_in_its_sentence_and_the_users_text_stays_text() -> None:
    source = "[bấm](http://x.vn) <b>ít nhất 90%</b> *đạt*"
    start = source.index("ít nhất")
    row = {
        "code": "A1",
        "source_text": source,
        "clause_span": [100, 100 + len(source)],
        "span": [100 + start, 100 + start + len("ít nhất 90%")],
    }
    shown = highlighted(row)
    assert ":orange-background[**ít nhất 90\\%**]" in shown
    assert "\\[bấm\\]" in shown and "\\<b\\>" in shown and "\\*đạt\\*" in shown
    assert "](http" not in shown and "<b>" not in shown
