"""The draft reader (src/ingest/draft.py, issue 13): each rule on its own, then the seed's
article read whole, then a draft installed computing what the shipped catalogue computes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from src import config
from src.cli.commands import PROGRESS_OUT
from src.engine import progress
from src.ingest import draft_book, resolutions
from src.ingest import resolution_book as rb
from src.ingest.draft import (
    Clause,
    Number,
    clauses,
    committee_rating,
    comparison_of,
    draft,
    fold,
    heading_over,
    is_of_which,
    is_past_narrative,
    level_of,
    measure_of,
    non_target_reason,
    normalise,
    paragraphs,
    parse_number,
    period_of,
    read_numbers,
    recognise,
    resolution_facts,
    sentences,
    split_pieces,
    title_of,
)
from src.store import catalogue, storage

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "draft" / "resolution-article-vi.txt"
INDICATORS = catalogue.shipped_indicators()
SHIPPED = catalogue.load_resolution_doc(config.CATALOGUE_DIR / "dbcq-bac-kan-2020-2025.toml")


def whole(text: str) -> tuple[int, int]:
    return (0, len(text))


def first_number(text: str) -> Number:
    return read_numbers(text, whole(text))[0]


def reason(text: str, raw: str) -> str | None:
    """The non-target reason of the number written ``raw`` in ``text``."""
    number = next(n for n in read_numbers(text, whole(text)) if n.raw == raw)
    return non_target_reason(text, number)


def rows(text: str) -> list[tuple[object, ...]]:
    found = draft(text, INDICATORS)
    return [(r.measure, r.over, r.comparison, r.target, r.target_max, r.parent) for r in found.rows]


# --- number reading ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("62.381", 62381),
        ("02", 2),
        ("2,5", 2.5),
        ("1.234,5", 1234.5),
        ("2.000", 2000),
        ("1.000.000", 1_000_000),
        ("2.5", 2.5),
        ("8,5", 8.5),
        ("100", 100),
    ],
)
def test_numbers_are_read_as_vietnamese_writes_them(raw: str, value: float) -> None:
    assert parse_number(raw) == value


def test_a_range_is_one_number_with_its_upper_bound() -> None:
    for text, low, high in [
        ("từ 90 - 100 đảng viên", 90, 100),
        ("10-11%/năm", 10, 11),
        ("8 - 8,5%", 8, 8.5),
        ("75 đến 80 triệu đồng", 75, 80),
    ]:
        number = first_number(text)
        assert (number.value, number.high) == (low, high), text


def test_a_term_is_no_range_of_targets_but_two_years() -> None:
    text = "nhiệm kỳ 2020-2025"
    assert [n.high for n in read_numbers(text, whole(text))] == [None, None]
    assert reason(text, "2020") == reason(text, "2025") == "year"


# --- non-target filters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "why"),
    [
        ("Đại hội diễn ra tháng 10/2020", "10", "date"),
        ("Đại hội diễn ra tháng 10/2020", "2020", "date"),
        ("đến năm 2030 đạt 60%", "2030", "year"),
        ("thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị", "05", "document"),
        ("theo Nghị định 91/2017/NĐ-CP", "91", "date"),
        ("Nghị quyết Trung ương 4 (khóa XII)", "4", "ordinal"),
        ("Đại hội lần thứ 11 của Đảng bộ", "11", "ordinal"),
        ("Nghị quyết đề ra 31 chỉ tiêu chủ yếu", "31", "goal_count"),
        ("thực hiện 04 chương trình trọng tâm", "04", "goal_count"),
        ("xác định 02 nhiệm vụ trọng tâm", "02", "goal_count"),
        ("03 khâu đột phá", "03", "goal_count"),
        ("tổng vốn đầu tư 5 năm đạt 100 tỷ đồng", "5", "goal_count"),
        ("Views Today : 55", "55", "no_unit"),
        ("005152", "005152", "no_unit"),
        ("phòng chống dịch COVID-19 hiệu quả", "19", "glued"),
        ("kết nạp 350 đảng viên, đạt 104% kế hoạch", "104", "plan_share"),
    ],
)
def test_numbers_that_are_no_targets_say_why(text: str, raw: str, why: str) -> None:
    assert reason(text, raw) == why


def test_a_list_marker_is_no_target() -> None:
    text = "2.1. Về xây dựng Đảng\n3) Về kinh tế"
    assert reason(text, "2.1") == "list_marker"
    assert reason(text, "3") == "list_marker"


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("kết nạp 400 đảng viên mới", "400"),
        ("bình quân hằng năm 2.000 đảng viên", "2.000"),
        ("đạt 180 triệu đồng", "180"),
        ("mở 02 lớp bồi dưỡng", "02"),
        ("từ 80% trở lên", "80"),
    ],
)
def test_quantities_with_a_unit_are_targets(text: str, raw: str) -> None:
    assert reason(text, raw) is None


# --- comparisons --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("từ 80% trở lên", ">="),
        ("ít nhất 20% tổ chức", ">="),
        ("tối thiểu 50% số xã", ">="),
        ("không dưới 90%", ">="),
        ("95% trở lên cán bộ", ">="),
        ("không quá 2%", "<="),
        ("tối đa 5 lớp", "<="),
        ("từ 2% trở xuống", "<="),
        ("dưới 1%", "<"),
        ("từ 90 - 100 đảng viên", "between"),
        ("10-11%/năm", "between"),
        ("phấn đấu 85% đảng viên", ">="),
        ("đạt 180 triệu đồng", ">="),
        ("khoảng 50%", ">="),
    ],
)
def test_comparison_words_give_their_comparison(text: str, op: str) -> None:
    assert comparison_of(text, first_number(text)).op == op


def test_tren_before_its_number_is_strictly_more_than() -> None:
    text = "trên 90% đảng viên hoàn thành tốt nhiệm vụ"
    assert comparison_of(text, first_number(text)).op == ">"


def test_tren_not_before_a_number_is_no_comparison() -> None:
    text = "tổng sản phẩm trên địa bàn đạt 50 tỷ đồng"
    assert comparison_of(text, first_number(text)).op == ">="


def test_the_longer_comparison_phrase_wins() -> None:
    text = "không dưới 90% đảng viên"
    assert comparison_of(text, first_number(text)).op == ">="


def test_the_targets_words_span_its_comparison_number_and_unit_sign() -> None:
    text = "kiểm tra ít nhất 20% tổ chức cơ sở đảng"
    found = comparison_of(text, first_number(text))
    assert text[found.start : found.end] == "ít nhất 20%"
    text = "phấn đấu 95% trở lên cán bộ"
    found = comparison_of(text, first_number(text))
    assert text[found.start : found.end] == "95% trở lên"


# --- periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "over"),
    [
        ("hằng năm kết nạp 100 đảng viên", "year"),
        ("mỗi năm kết nạp 100 đảng viên", "year"),
        ("tăng trưởng 10-11%/năm", "year"),
        ("cả nhiệm kỳ kết nạp 400 đảng viên", "term_total"),
        ("kết nạp 400 đảng viên trong nhiệm kỳ", "term_total"),
        ("bình quân hằng năm kết nạp 2.000 đảng viên", "term_average"),
        ("đến năm 2030 đạt 60%", "by_end"),
        ("kết nạp 400 đảng viên", None),
    ],
)
def test_period_phrases_say_what_a_target_is_judged_over(text: str, over: str | None) -> None:
    assert period_of(text, whole(text)) == over


def test_binh_quan_hang_nam_is_not_hang_nam() -> None:
    text = "bình quân hằng năm kết nạp 2.000 đảng viên"
    assert period_of(text, whole(text), near=text.index("2.000")) == "term_average"


def test_the_period_nearest_the_target_is_its_own() -> None:
    text = "hằng năm kết nạp 100 đảng viên, cả nhiệm kỳ kết nạp 500 đảng viên"
    assert period_of(text, whole(text), near=text.index("500")) == "term_total"
    assert period_of(text, whole(text), near=text.index("100")) == "year"


# --- heading scope ------------------------------------------------------------------------


def test_a_heading_before_a_colon_sets_over_for_the_clauses_after_it() -> None:
    text = "Phấn đấu hằng năm đạt các mục tiêu cụ thể: 80% đảng viên; 02 lớp bồi dưỡng"
    found = clauses(text, whole(text))
    assert found[0].heading and text[found[0].span[0] : found[0].span[1]].endswith("cụ thể")
    assert heading_over(text, found[0], False, found[0].span) == "year"
    assert rows(text) == [
        ("ratio", "year", ">=", 80.0, None, ""),
        ("sum", "year", ">=", 2.0, None, ""),
    ]


def test_a_lead_that_announces_goals_sets_over_until_another_does() -> None:
    text = (
        "Các chỉ tiêu hằng năm:\n"
        "- 80% đảng viên hoàn thành tốt nhiệm vụ.\n"
        "Về mục tiêu cả nhiệm kỳ, kết nạp 400 đảng viên mới; mở 02 lớp bồi dưỡng.\n"
        "- 90% chi bộ hoàn thành tốt nhiệm vụ."
    )
    assert [r[1] for r in rows(text)] == ["year", "term_total", "term_total", "term_total"]


def test_a_target_without_a_period_word_or_heading_is_yearly() -> None:
    assert rows("Phấn đấu 85% đảng viên hoàn thành tốt nhiệm vụ.")[0][1] == "year"


# --- of which -----------------------------------------------------------------------------


def test_trong_do_starts_an_of_which_piece() -> None:
    text = "80% đảng viên hoàn thành tốt nhiệm vụ, trong đó 15% hoàn thành xuất sắc nhiệm vụ"
    numbers = read_numbers(text, whole(text))
    starts = [comparison_of(text, n).start for n in numbers]
    ends = [comparison_of(text, n).end for n in numbers]
    pieces = split_pieces(text, whole(text), starts, ends)
    assert [text[a:b] for a, b in pieces] == [
        "80% đảng viên hoàn thành tốt nhiệm vụ",
        "trong đó 15% hoàn thành xuất sắc nhiệm vụ",
    ]
    assert [is_of_which(text, p) for p in pieces] == [False, True]


def test_an_of_which_goal_is_under_the_goal_before_with_a_code_of_its_own() -> None:
    found = draft(
        "Hằng năm 80% đảng viên hoàn thành tốt nhiệm vụ trở lên, trong đó 15% hoàn thành "
        "xuất sắc nhiệm vụ; 90% chi bộ hoàn thành tốt nhiệm vụ, trong đó 20% hoàn thành "
        "xuất sắc nhiệm vụ.",
        INDICATORS,
    )
    assert [(r.code, r.parent) for r in found.rows] == [
        ("A1", ""),
        ("A1a", "A1"),
        ("A2", ""),
        ("A2a", "A2"),
    ]


def test_two_targets_joined_by_a_comma_are_two_pieces() -> None:
    text = "mở 02 lớp bồi dưỡng cho đối tượng kết nạp Đảng, 02 lớp bồi dưỡng cho đảng viên mới"
    numbers = read_numbers(text, whole(text))
    starts = [n.span[0] for n in numbers]
    ends = [n.span[1] for n in numbers]
    pieces = split_pieces(text, whole(text), starts, ends)
    assert text[pieces[1][0] : pieces[1][1]] == "02 lớp bồi dưỡng cho đảng viên mới"


# --- splitting ----------------------------------------------------------------------------


def test_lines_are_paragraphs_without_their_bullets() -> None:
    text = "a) Mục tiêu\n- 80% đảng viên\n\n2.1. Về kinh tế"
    assert [text[a:b] for a, b in paragraphs(text)] == ["Mục tiêu", "80% đảng viên", "Về kinh tế"]


def test_sentences_end_at_a_dot_before_a_capital_not_inside_a_number() -> None:
    text = "Kết nạp 2.000 đảng viên. Mở 02 lớp bồi dưỡng."
    assert [text[a:b] for a, b in sentences(text, whole(text))] == [
        "Kết nạp 2.000 đảng viên",
        "Mở 02 lớp bồi dưỡng",
    ]


def test_clauses_are_cut_at_semicolons() -> None:
    text = "80% đảng viên; 90% chi bộ"
    assert [c.heading for c in clauses(text, whole(text))] == [False, False]
    assert len(clauses(text, whole(text))) == 2


def test_text_is_nfc_normalised() -> None:
    decomposed = "đa\u0309ng viên"  # "ả" as a + combining hook
    assert normalise(decomposed) == "đảng viên"
    assert rows("Hằng năm kết nạp 100 đa\u0309ng viên mới")[0][3] == 100.0


def test_fold_keeps_the_length_and_drops_diacritics() -> None:
    assert fold("Đảng viên") == "dang vien"


# --- narrative ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Nhiệm kỳ qua, Đảng bộ đã kết nạp 350 đảng viên",
        "Trong nhiệm kỳ 2015-2020, 95% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ",
        "Toàn Đảng bộ hiện có 62.381 đảng viên",
        "kết nạp được 1.250 đảng viên",
    ],
)
def test_the_past_terms_narrative_is_no_goal(sentence: str) -> None:
    assert is_past_narrative(sentence, 2020)
    # in a document about the 2020-2025 term (the latest it names)
    assert rows(f"Mục tiêu nhiệm kỳ 2020-2025\n{sentence}.") == []


def test_a_sentence_that_aims_is_no_narrative() -> None:
    assert not is_past_narrative("Phát huy kết quả đã đạt, phấn đấu kết nạp 100 đảng viên")


# --- measures and the committee's rating ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("80% đảng viên hoàn thành tốt nhiệm vụ", "ratio"),
        ("kết nạp 400 đảng viên mới", "sum"),
        ("mở 02 lớp bồi dưỡng", "sum"),
        ("thu ngân sách đạt 180 tỷ đồng", "sum"),
        ("tốc độ tăng trưởng GRDP đạt 8-9%/năm", "growth"),
        ("thu ngân sách tăng bình quân 10%/năm", "growth"),
    ],
)
def test_measure_follows_the_unit_and_the_growth_words(text: str, measure: str) -> None:
    number = first_number(text)
    unit = "%" if text[number.end :].lstrip().startswith("%") else "x"
    assert measure_of(text, whole(text), number, unit) == measure


def test_the_committees_collective_rating_is_a_rating_goal_of_the_root() -> None:
    text = "tập thể Ban Thường vụ, Đảng bộ Các cơ quan tỉnh hoàn thành tốt nhiệm vụ trở lên"
    level, span = committee_rating(text, whole(text), []) or (None, (0, 0))
    assert level == 2.0 and text[span[0] : span[1]] == "hoàn thành tốt nhiệm vụ trở lên"
    found = draft(f"Hằng năm {text}.", INDICATORS).rows[0]
    assert (found.measure, found.level, found.comparison, found.target) == (
        "rating",
        "root",
        "<=",
        2.0,
    )
    assert found.numerator == "standing_committee_rating, committee_rating"


def test_a_rating_of_the_grassroots_is_no_committee_rating() -> None:
    text = "chi bộ hoàn thành tốt nhiệm vụ"
    assert committee_rating(text, whole(text), []) is None


# --- indicator recognition ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "measure", "numerator", "denominator"),
    [
        (
            "kết nạp đảng viên mới từ 3% trở lên so với tổng số đảng viên đầu năm",
            "ratio",
            "new_members",
            "members_total@prev",
        ),
        (
            "kết nạp đảng viên mới đạt 10% so với tổng số đảng viên đầu nhiệm kỳ",
            "ratio",
            "new_members",
            "members_total@base",
        ),
        ("kết nạp 400 đảng viên mới", "sum", "new_members", ""),
        (
            "trên 90% đảng viên hoàn thành tốt nhiệm vụ trở lên",
            "ratio",
            "members_excellent + members_good",
            "members_rated",
        ),
        (
            "90% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ",
            "ratio",
            "count(org_rating <= 2)",
            "count(org_rating)",
        ),
        ("kiểm tra 25% tổ chức cơ sở đảng", "ratio", "inspected", "count(inspected)"),
        (
            "mở 02 lớp bồi dưỡng lý luận chính trị cho đảng viên mới",
            "sum",
            "classes_new_members",
            "",
        ),
        ("100% đảng viên được học tập nghị quyết", "ratio", "members_studied", "members_total"),
        (
            "85% cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa",
            "ratio",
            "units_cultural",
            "units_total",
        ),
        ("thu ngân sách đạt 180 tỷ đồng", "sum", "", ""),
        ("70% hộ gia đình đạt danh hiệu gia đình văn hóa", "ratio", "", ""),
    ],
)
def test_what_is_counted_is_recognised_or_left_empty(
    text: str, measure: str, numerator: str, denominator: str
) -> None:
    assert recognise(text, whole(text), measure, INDICATORS) == (numerator, denominator)


def test_a_resolutions_own_indicator_is_recognised_by_its_name() -> None:
    example = rb.example_doc()
    known = [*INDICATORS, *example.indicators]
    text = "tỷ lệ đảng viên bị kỷ luật dưới 1%"
    assert recognise(text, whole(text), "ratio", known) == ("members_disciplined", "members_total")
    text = "tốc độ tăng trưởng GRDP đạt 8-9%/năm"
    assert recognise(text, whole(text), "growth", known) == ("grdp", "")


def test_an_indicator_that_is_not_installed_is_never_proposed() -> None:
    text = "kết nạp 400 đảng viên mới"
    without = [i for i in INDICATORS if i.code != "new_members"]
    assert recognise(text, whole(text), "sum", without) == ("", "")


def test_the_level_follows_the_indicators_read() -> None:
    assert level_of("classes_party_work", "", INDICATORS) == "root"
    assert level_of("new_members", "", INDICATORS) == "org"
    assert level_of("", "", INDICATORS) == "org"


# --- titles and facts -----------------------------------------------------------------------


def test_a_title_is_the_clause_without_its_lead_target_and_period() -> None:
    text = "Về mục tiêu cả nhiệm kỳ, Đảng bộ phấn đấu kết nạp 400 đảng viên mới"
    at = text.index("400")
    assert title_of(text, whole(text), (at, at + 3), False) == "Kết nạp đảng viên mới"
    text = "trong đó 20% hoàn thành xuất sắc nhiệm vụ"
    at = text.index("20%")
    assert title_of(text, whole(text), (at, at + 3), True) == (
        "Trong đó: hoàn thành xuất sắc nhiệm vụ"
    )


def test_the_term_and_a_name_are_found_the_latest_term_being_the_resolutions() -> None:
    facts = resolution_facts(
        "Trong nhiệm kỳ 2015-2020 … Nghị quyết Đại hội đại biểu Đảng bộ xã A lần thứ XX, "
        "nhiệm kỳ 2025-2030 đã đề ra"
    )
    assert (facts.term_start, facts.term_end, facts.code) == (2025, 2030, "NQ-2025-2030")
    assert (
        facts.name_vi == "Nghị quyết Đại hội đại biểu Đảng bộ xã A lần thứ XX, nhiệm kỳ 2025-2030"
    )


def test_no_term_in_the_text_leaves_it_unset() -> None:
    facts = resolution_facts("Hằng năm kết nạp 100 đảng viên")
    assert facts.term_start is None and facts.term_end is None


# --- the seed's article ---------------------------------------------------------------------


def seed_draft() -> object:
    return draft(SEED.read_text(encoding="utf-8"), INDICATORS)


def test_the_seed_article_gives_every_target_and_nothing_else() -> None:
    found = draft(SEED.read_text(encoding="utf-8"), INDICATORS)
    got = [(r.measure, r.over, r.comparison, r.target, r.target_max) for r in found.rows]
    expected = [
        (str(g.measure), str(g.over), g.comparison, g.target, g.target_max)
        for g in SHIPPED.goals
        if str(g.measure) != "qualitative"
    ]
    assert got == expected
    yearly = [r for r in found.rows if r.over == "year"]
    assert len(yearly) == 13  # the 12 yearly targets with numbers and the rating
    term = [(r.target, r.measure) for r in found.rows if r.over == "term_total"]
    assert term == [(400.0, "sum"), (2.0, "sum")]


def test_the_seed_of_which_goals_are_under_their_parents() -> None:
    found = draft(SEED.read_text(encoding="utf-8"), INDICATORS)
    assert [(r.code, r.parent) for r in found.rows if r.parent] == [
        ("A3a", "A3"),
        ("A4a", "A4"),
        ("A5a", "A5"),
    ]


def test_the_seed_committee_rating_is_a_rating_goal() -> None:
    found = draft(SEED.read_text(encoding="utf-8"), INDICATORS)
    rating = [r for r in found.rows if r.measure == "rating"]
    assert len(rating) == 1
    assert (rating[0].level, rating[0].comparison, rating[0].target) == ("root", "<=", 2.0)


def test_the_seed_indicators_are_recognised_as_the_catalogue_reads_them() -> None:
    found = draft(SEED.read_text(encoding="utf-8"), INDICATORS)
    shipped = [g for g in SHIPPED.goals if str(g.measure) != "qualitative"]
    for row, goal in zip(found.rows, shipped, strict=True):
        if goal.measure == "rating":
            assert row.numerator == ", ".join(goal.rating_indicators)
            continue
        assert (row.numerator, row.denominator) == (goal.numerator, goal.denominator or ""), (
            row.code
        )
        assert row.level == str(goal.level), row.code


def test_the_seed_spans_point_at_the_targets_in_the_text() -> None:
    found = draft(SEED.read_text(encoding="utf-8"), INDICATORS)
    words = [found.text[a:b] for a, b in (r.span for r in found.rows)]
    assert words[0] == "100%" and "ít nhất 20%" in words and "400" in words
    for r in found.rows:
        assert found.text[r.clause_span[0] : r.clause_span[1]] == r.source_text
        a, b = r.span_in_source
        assert r.source_text[a:b] == found.text[r.span[0] : r.span[1]]


def test_the_seed_facts_give_the_term() -> None:
    found = draft(SEED.read_text(encoding="utf-8"), INDICATORS)
    assert (found.facts.term_start, found.facts.term_end) == (2020, 2025)
    assert "lần thứ XI" in found.facts.name_vi


# --- the draft as a workbook, installed -----------------------------------------------------


def _fill_from_catalogue(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The indicators the draft could not recognise, from the shipped goal of the same
    target (matched by measure, target and over, in order)."""
    left = [g for g in SHIPPED.goals if str(g.measure) != "qualitative"]
    out = []
    for row in rows:
        goal = next(
            g
            for g in left
            if (str(g.measure), g.target, str(g.over))
            == (row["measure"], row["target"], row["over"])
        )
        left.remove(goal)
        row = dict(row)
        if not row["numerator"]:
            row["numerator"] = (
                ", ".join(goal.rating_indicators) if goal.rating_indicators else goal.numerator
            )
            row["denominator"] = goal.denominator or ""
            row["level"] = str(goal.level)
        row["shipped"] = goal.code
        out.append(row)
    return out


def test_the_draft_workbook_reads_back_as_a_valid_resolution() -> None:
    found = draft(SEED.read_text(encoding="utf-8"), INDICATORS)
    book = rb.read_book(draft_book.draft_workbook(found), "draft.xlsx", INDICATORS)
    assert book.doc is not None, [p.render("en") for p in book.errors]
    assert [g.code for g in book.doc.goals] == [r.code for r in found.rows]
    assert book.doc.resolution.term_start == 2020


def test_a_draft_row_left_without_indicators_is_named_by_the_workbooks_checks() -> None:
    found = draft(SEED.read_text(encoding="utf-8"), INDICATORS)
    edited = found.as_dicts()
    edited[0]["numerator"] = ""
    book = rb.read_book(draft_book.to_workbook(edited, found.facts), "draft.xlsx", INDICATORS)
    assert book.doc is None
    assert [(p.key, p.row) for p in book.errors] == [("rb_needs_numerator", 2)]


# every column `progress` prints, but the key
PROGRESS_COLUMNS = [c for c in PROGRESS_OUT if c not in ("goal_code", "year")]


def _cells(row: dict[str, object]) -> list[object]:
    out: list[object] = []
    for c in PROGRESS_COLUMNS:
        v = row[c]
        if isinstance(v, float) and v != v:
            v = None
        out.append(round(v, 9) if isinstance(v, float) else v)
    return out


def test_installing_the_draft_gives_the_shipped_catalogues_progress_on_the_demo_data(
    demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    con = storage.connect(db)
    try:
        found = draft(SEED.read_text(encoding="utf-8"), INDICATORS)
        filled = _fill_from_catalogue(found.as_dicts())
        data = draft_book.to_workbook(filled, found.facts)
        from src.store import queries

        book = rb.read_book(data, "draft.xlsx", queries.indicators(con))
        assert book.doc is not None, [p.render("en") for p in book.errors]
        resolutions.install(con, book.doc, "draft.xlsx", data, "test")
        code = found.facts.code
        compared = 0
        for year in SHIPPED.resolution.term_years:
            ours = {
                r["goal_code"]: r
                for r in progress.progress_table(con, year, None, code).to_dict("records")
            }
            theirs = {
                r["goal_code"]: r
                for r in progress.progress_table(con, year, None, SHIPPED.resolution.code).to_dict(
                    "records"
                )
            }
            for row in filled:
                mine, shipped = ours[row["code"]], theirs[row["shipped"]]
                assert _cells(mine) == _cells(shipped), (year, row["code"])
                compared += 1
        assert compared == len(filled) * len(SHIPPED.resolution.term_years)
        statuses = {
            r["status"] for r in progress.progress_table(con, 2024, None, code).to_dict("records")
        }
        assert statuses - {"no_data"}  # the demo data is computed, not all empty
    finally:
        con.close()


def test_a_clause_object_is_plain_data() -> None:
    assert Clause((0, 1), True).heading


def test_the_reader_is_pure_standard_library_and_the_plain_data_types() -> None:
    from tests.test_architecture import imports

    mods = imports(ROOT / "src" / "ingest" / "draft.py")
    ours = {m for m in mods if m.startswith("src")}
    assert "src.domain.models" in ours
    assert all(m == "src.domain.models" or m.startswith("src.domain.models.") for m in ours)
    assert not any(m.startswith(("duckdb", "streamlit", "pandas")) for m in mods)


def test_a_number_after_a_slash_is_the_base_of_a_rate_not_a_target() -> None:
    assert reason("số bác sĩ/1 vạn dân đạt 12 bác sĩ", "1") == "per"
    assert rows("Số bác sĩ/1 vạn dân đạt 12 bác sĩ.") == [("sum", "year", ">=", 12.0, None, "")]


def test_a_line_without_targets_sets_the_scope_only_when_it_reads_as_a_heading() -> None:
    text = (
        "Chỉ tiêu hằng năm:\n"
        "Tổ chức sơ kết, tổng kết việc thực hiện nghị quyết theo định kỳ và trong cả nhiệm kỳ "
        "để rút kinh nghiệm, điều chỉnh kịp thời các giải pháp phù hợp với thực tế.\n"
        "- 90% chi bộ hoàn thành tốt nhiệm vụ."
    )
    assert [r[1] for r in rows(text)] == ["year"]


def test_an_amounts_unit_goes_into_its_title_in_brackets() -> None:
    found = draft("Thu ngân sách nhà nước trên địa bàn đạt 180 tỷ đồng.", INDICATORS).rows[0]
    assert found.title_vi == "Thu ngân sách nhà nước trên địa bàn (tỷ đồng)"
    assert found.target == 180.0  # the number as written, in the text's unit
