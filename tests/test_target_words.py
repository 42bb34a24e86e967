"""The target as a goal states it, on the overview's cards and in the reports: the
comparison and what it is judged over in words, numbers as written (never rounded)."""

from __future__ import annotations

import pytest

from src.domain.models import Goal, Measure, Over
from src.domain.rows import ProgressRow
from src.i18n import fmt_exact
from src.ingest import resolution_book as rb
from src.reports.content import target_text
from src.views import overview

EXAMPLE = {g.code: g for g in rb.example_doc().goals}


def goal(**fields: object) -> Goal:
    fields.setdefault("code", "G")
    fields.setdefault("title_vi", "Chỉ tiêu")
    return Goal(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "unit", "vi", "en"),
    [
        ({"measure": Measure.RATIO, "comparison": ">=", "target": 80.0}, "", "80%", "80%"),
        ({"measure": Measure.RATIO, "comparison": ">", "target": 90.0}, "", "trên 90%", "over 90%"),
        ({"measure": Measure.RATIO, "comparison": "<", "target": 1.0}, "", "dưới 1%", "under 1%"),
        (
            {"measure": Measure.RATIO, "comparison": "<=", "target": 2.5},
            "",
            "không quá 2,5%",
            "at most 2.5%",
        ),
        (
            {"measure": Measure.GROWTH, "comparison": "between", "target": 8.0, "target_max": 9.0},
            "",
            "8–9%",
            "8–9%",
        ),
        (
            {"measure": Measure.SUM, "comparison": "between", "target": 90.0, "target_max": 100.0},
            "đảng viên",
            "90–100 đảng viên",
            "90–100 đảng viên",
        ),
        (
            {
                "measure": Measure.SUM,
                "over": Over.TERM_AVERAGE,
                "comparison": ">=",
                "target": 2000.0,
            },
            "đảng viên",
            "bình quân hằng năm 2.000 đảng viên",
            "2,000 đảng viên a year on average",
        ),
        (
            {"measure": Measure.RATIO, "over": Over.BY_END, "comparison": ">=", "target": 60.0},
            "",
            "60% vào năm 2030",
            "60% by 2030",
        ),
        (
            {"measure": Measure.SUM, "comparison": ">=", "target": 180.5},
            "tỷ đồng",
            "180,5 tỷ đồng",
            "180.5 tỷ đồng",
        ),
        ({"measure": Measure.RATING, "comparison": "<=", "target": 2.0}, "", "Tốt trở lên", None),
        ({"measure": Measure.RATIO, "comparison": ">=", "target": None}, "", "–", "–"),
    ],
)
def test_the_target_reads_as_the_resolution_states_it(
    fields: dict[str, object], unit: str, vi: str, en: str | None
) -> None:
    g = goal(**fields)
    assert overview.target_words(g, unit, "vi", 2030) == vi
    assert target_text(g, unit, "vi", 2030) == vi  # the reports say the same
    if en is not None:
        assert overview.target_words(g, unit, "en", 2030) == en


def test_numbers_are_written_without_rounding_or_padding() -> None:
    assert fmt_exact(2.5, "vi") == "2,5"
    assert fmt_exact(2000.0, "vi") == "2.000"
    assert fmt_exact(1085.25, "en") == "1,085.25"
    assert fmt_exact(0.0, "vi") == "0"
    assert fmt_exact(None, "vi") == "–"


def test_the_example_resolutions_cards_state_their_targets_in_words() -> None:
    doc = rb.example_doc()
    by_code = {i.code: i for i in doc.indicators}
    row = {"status": "no_data", "applicable": True, "actual": None, "year": 2026}
    row |= {"numerator": None, "denominator": None, "pace_target": None, "projection": None}

    def text(code: str) -> str:
        return overview.card(
            EXAMPLE[code], ProgressRow.of(row), by_code, doc.resolution, "vi"
        ).target_text

    assert text("A6") == "Chỉ tiêu: dưới 1%"
    assert text("B1") == "Chỉ tiêu: 8–9%"
    assert text("A5") == f"Chỉ tiêu: 60% vào năm {doc.resolution.term_end}"
    assert text("A2").startswith("Chỉ tiêu: trên ")


def test_a_level_to_reach_by_the_end_shows_the_years_way_there_and_whether_it_is_on_it() -> None:
    doc = rb.example_doc()
    by_code = {i.code: i for i in doc.indicators}
    row = {"status": "missed", "applicable": True, "actual": 50.0, "year": 2026}
    row |= {"numerator": 5.0, "denominator": 10.0, "pace_target": 44.0}
    row |= {"pace_status": "on_track", "projection": None}
    c = overview.card(EXAMPLE["A5"], ProgressRow.of(row), by_code, doc.resolution, "vi")
    assert c.pace == 44.0
    assert c.pace_text == "Tiến độ năm 2026: 44,0% · Đúng tiến độ"


def test_a_goals_definition_states_its_target_and_how_it_is_computed_in_plain_words() -> None:
    from src import config
    from src.store import catalogue
    from src.views import goal_view

    doc = rb.example_doc()
    lines = dict(goal_view.definition(EXAMPLE["B1"], list(doc.indicators), "vi", 2030).lines)
    assert lines["Chỉ tiêu"] == "8–9%"
    assert lines["Loại chỉ tiêu"].startswith("Tốc độ tăng so với năm trước")
    lines = dict(goal_view.definition(EXAMPLE["A5"], list(doc.indicators), "vi", 2030).lines)
    assert lines["Chỉ tiêu"] == "≥ 60% vào năm 2030"
    assert lines["Loại chỉ tiêu"].startswith("Mức cần đạt vào năm cuối nhiệm kỳ")
    seed = catalogue.load_resolution_doc(config.CATALOGUE_DIR / "dbcq-bac-kan-2020-2025.toml")
    a1 = next(g for g in seed.goals if g.code == "A1")
    lines = dict(goal_view.definition(a1, list(seed.indicators), "vi", 2025).lines)
    assert lines["Chỉ tiêu"] == "≥ 100%"
    assert {"Tử số", "Mẫu số", "Phạm vi tính"} <= set(lines)
