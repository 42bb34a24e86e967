"""The charts as drawn: the gauge's number stands apart from its arc, each axis is scaled to its
data with the target in view, and the report's charts, drawn by kaleido in the bundled font,
keep every label inside the image."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image

from src import config
from src.domain.rows import ProgressRow
from src.reports import images
from src.views import charts
from src.views.cell_view import short_name
from src.views.overview import GoalCard, nice_ceiling, percent_axis_top

ROOT = Path(__file__).resolve().parent.parent


def card(actual: float | None, target: float | None, **kw: object) -> GoalCard:
    fields: dict[str, object] = {
        "code": "A1",
        "title": "Tỷ lệ",
        "kind": "annual_ratio",
        "status": "met",
        "status_text": "Đạt",
        "actual": actual,
        "target": target,
        "suffix": "%",
        "value_text": "–" if actual is None else f"{actual:.1f}%".replace(".", ","),
    }
    fields.update(kw)
    return GoalCard(**fields)  # type: ignore[arg-type]


# --- the gauge ------------------------------------------------------------------------------


def test_a_gauge_is_built_once_per_card_and_language_and_follows_any_change_of_it() -> None:
    first = charts.gauge(card(86.7, 80.0, value_text="86,7%"), "vi")
    assert charts.gauge(card(86.7, 80.0, value_text="86,7%"), "vi") is first  # the same card
    changed = charts.gauge(card(86.7, 90.0, value_text="86,7%"), "vi")
    assert changed is not first and changed.data[0].gauge.threshold.value == 90.0
    assert charts.gauge(card(86.7, 80.0, value_text="86,7%"), "en") is not first


def number_band(fig: go.Figure) -> tuple[float, float]:
    """The number's vertical extent in px from the plot's bottom (its annotation's text box,
    a line of 1.4 × the font size)."""
    (ann,) = fig.layout.annotations
    plot_h = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert ann.yref == "paper" and ann.yanchor == "bottom"
    bottom = ann.y * plot_h
    return bottom, bottom + 1.4 * ann.font.size


def arc_bottom(fig: go.Figure) -> float:
    (indicator,) = fig.data
    plot_h = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    return float(indicator.domain.y[0]) * plot_h


@pytest.mark.parametrize(
    "value", [86.7, 100.0, 0.6, None], ids=["86,7%", "100,0%", "0,6%", "no value"]
)
def test_the_gauges_number_is_written_below_the_arc_never_over_it(value: float | None) -> None:
    fig = charts.gauge(card(value, 80.0), "vi")
    (indicator,) = fig.data
    assert "number" not in indicator.mode  # Plotly's number sits inside the arc
    low, high = number_band(fig)
    assert low >= 0
    assert high <= arc_bottom(fig), (high, arc_bottom(fig))
    expected = "Chưa có số liệu" if value is None else card(value, 80.0).value_text
    assert fig.layout.annotations[0].text == expected


def test_the_gauges_number_is_the_cards_value_as_the_reader_writes_it() -> None:
    fig = charts.gauge(card(86.7, 80.0, value_text="86,7%"), "vi")
    assert fig.layout.annotations[0].text == "86,7%"
    assert fig.layout.font.family.startswith(config.FONT_FAMILY)


def test_a_range_target_is_shaded_on_the_gauge() -> None:
    fig = charts.gauge(card(8.5, 8.0, target_max=9.0, axis_max=15.0), "vi")
    ranges = [tuple(s.range) for s in fig.data[0].gauge.steps]
    assert (8.0, 9.0) in ranges


@pytest.mark.parametrize(
    ("values", "top"),
    [
        ((0.6, 1.0), 1.5),  # "dưới 1%"
        ((8.5, 8.0, 9.0), 15.0),  # growth of 8–9%
        ((19.4, 20.0), 30.0),
        ((86.7, 80.0), 100.0),
        ((98.0, 100.0), 100.0),
        ((None, None), 100.0),
    ],
)
def test_a_percentage_gauge_ends_where_value_and_target_are_both_plain_to_see(
    values: tuple[float | None, ...], top: float
) -> None:
    assert percent_axis_top(*values) == top
    known = [v for v in values if v is not None]
    if known:  # neither is a sliver at the arc's start, both are on it
        assert max(known) <= top and max(known) >= top / 3


def test_an_axis_ends_on_a_round_number_at_or_above_the_value() -> None:
    assert [nice_ceiling(v) for v in (0.9, 1.0, 1.2, 13.5, 22.6, 44, 130, 2500)] == [
        1.0,
        1.0,
        1.5,
        15.0,
        25.0,
        50.0,
        150.0,
        2500.0,
    ]


# --- the page's charts: each axis scaled to its data, the target in view ---------------------


def rows(
    values: list[float], status: str = "near", pace: list[float | None] | None = None
) -> list[ProgressRow]:
    steps = pace or [None] * len(values)
    return [
        ProgressRow.of({"year": 2020 + i, "actual": v, "status": status, "pace_target": p})
        for i, (v, p) in enumerate(zip(values, steps, strict=True))
    ]


def test_a_trend_of_98_against_100_is_drawn_on_an_axis_of_its_own_scale() -> None:
    fig = charts.trend(rows([97.5, 98.0, 98.4]), 100.0, "vi")
    low, high = fig.layout.yaxis.range
    assert low <= 97.5 and high >= 100.0  # data and target in view
    assert low >= 90  # not 0–100: a change of half a point is visible
    assert (high - low) <= 10


def test_a_trend_keeps_room_above_its_highest_point_for_the_points_label() -> None:
    fig = charts.trend(rows([85.0, 90.0, 95.0]), 80.0, "vi")
    low, high = fig.layout.yaxis.range
    assert low <= 80.0 and high > 95.0
    assert (high - 95.0) / (high - low) >= 0.1  # the label above the point fits
    assert fig.data[0].cliponaxis is False


def test_a_trend_of_counts_keeps_its_target_in_view() -> None:
    fig = charts.trend(rows([2.0, 3.0, 2.0]), 5.0, "vi", suffix="")
    low, high = fig.layout.yaxis.range
    assert low <= 2.0 and high >= 5.0


def test_a_level_to_reach_by_the_end_draws_each_years_step_on_the_way_in_view() -> None:
    trend = rows([40.0, 44.0, 47.0], pace=[float("nan"), 44.0, 48.0])
    fig = charts.trend(trend, 60.0, "vi", labels={"actual": "x", "target": "y", "pace": "Lộ trình"})
    way = [d for d in fig.data if d.name == "Lộ trình"]
    assert len(way) == 1
    assert list(way[0].y) == [None, 44.0, 48.0]  # no step before the term's first year
    low, high = fig.layout.yaxis.range
    assert low <= 40.0 and high >= 60.0
    # a goal judged each year has no way to draw
    plain = charts.trend(rows([40.0, 44.0]), 60.0, "vi", labels={"pace": "Lộ trình"})
    assert not [d for d in plain.data if d.name == "Lộ trình"]


def test_a_cells_small_trends_are_each_scaled_to_their_own_data() -> None:
    fig = charts.small_multiples(
        ["A1", "A4a"], [rows([97.0, 98.0, 98.5]), rows([2.5, 10.0, 4.0])], [100.0, 15.0], "vi"
    )
    first, second = fig.layout.yaxis.range, fig.layout.yaxis2.range
    assert first[0] >= 90 and first[0] <= 97.0 and first[1] >= 100.0
    assert second[0] == 0 and second[1] >= 15.0


def test_the_bar_chart_of_cells_tells_93_from_100() -> None:
    fig = charts.ranked_bars(["A", "B", "C"], [93.0, 96.0, 100.0], ["near"] * 3, 100.0, "vi")
    low, high = fig.layout.xaxis.range
    assert low <= 93.0 and high >= 100.0
    assert low > 0  # the bars differ by more than a hair: the axis starts near the data
    assert (100.0 - 93.0) / (high - low) >= 0.3


def test_the_bar_chart_of_cells_starts_at_zero_when_values_are_far_apart() -> None:
    fig = charts.ranked_bars(["A", "B"], [10.0, 95.0], ["missed", "met"], 80.0, "vi")
    low, high = fig.layout.xaxis.range
    assert low == 0 and high >= 95.0


# --- the bundled font and where the page gets it ----------------------------------------------


def streamlit_config() -> dict[str, object]:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_page_font_is_served_from_the_bundled_files_and_nothing_is_fetched() -> None:
    conf = streamlit_config()
    assert conf["server"]["enableStaticServing"] is True  # type: ignore[index]
    theme = conf["theme"]
    assert str(theme["font"]).startswith(config.FONT_FAMILY)  # type: ignore[index]
    faces = theme["fontFaces"]  # type: ignore[index]
    assert {f["weight"] for f in faces} == {400, 700}
    for face in faces:
        assert face["family"] == config.FONT_FAMILY
        url = str(face["url"])
        assert url.startswith("app/static/fonts/"), url  # served by this server
        assert (ROOT / url.removeprefix("app/")).is_file()
    text = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text and "//" not in text.replace("#", "")


def test_the_bundled_font_has_its_licence_beside_it_and_writes_vietnamese() -> None:
    licence = (config.FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Be Vietnam Pro" in licence
    fc_scan = shutil.which("fc-scan")
    if fc_scan is None:
        pytest.skip("fontconfig's fc-scan is not installed")
    for ttf in sorted(config.FONT_DIR.glob("*.ttf")):
        out = subprocess.run(
            [fc_scan, "--format", "%{family}\n%{lang}", str(ttf)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        family, langs = out.split("\n", 1)
        assert family == config.FONT_FAMILY
        assert "vi" in langs.strip().split("|"), langs  # fontconfig: covers Vietnamese


def test_the_report_browser_finds_the_bundled_font_by_its_name(tmp_path: Path) -> None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        pytest.skip("fontconfig's fc-match is not installed")
    conf = images.fonts_conf(tmp_path)
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    found = subprocess.run(
        [fc_match, "--format", "%{family}|%{file}", config.FONT_FAMILY],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    family, file = found.split("|")
    assert family == config.FONT_FAMILY
    assert Path(file).parent == config.FONT_DIR
    assert sorted(p.name for p in config.FONT_DIR.iterdir()) == [
        "BeVietnamPro-Bold.ttf",
        "BeVietnamPro-Regular.ttf",
        "OFL.txt",
    ]  # fontconfig's cache went to tmp_path, not beside the font


# --- the report's charts, drawn: no label cut at the image's edge -----------------------------

EDGE = 3  # px of the image, at each side, where nothing may be drawn


def ink_at_edges(png: bytes) -> dict[str, int]:
    """How many pixels of ink (not the white paper) lie within EDGE px of each side."""
    img = Image.open(io.BytesIO(png)).convert("L")
    w, h = img.size
    boxes = {
        "left": (0, 0, EDGE, h),
        "right": (w - EDGE, 0, w, h),
        "top": (0, 0, w, EDGE),
        "bottom": (0, h - EDGE, w, h),
    }
    out = {}
    for side, (x0, y0, x1, y1) in boxes.items():
        strip = img.crop((x0, y0, x1, y1)).tobytes()
        out[side] = sum(1 for level in strip if level < 235)
    return out


needs_browser = pytest.mark.skipif(
    images.browser_path() is None, reason="no Chromium for kaleido here"
)


@needs_browser
def test_the_edge_check_sees_a_label_cut_at_the_images_edge() -> None:
    fig = go.Figure(
        go.Bar(y=["Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ"], x=[80.0], orientation="h")
    )
    fig.update_layout(
        width=400, height=200, margin={"l": 0, "r": 0, "t": 0, "b": 0}, paper_bgcolor="#FFFFFF"
    )
    fig.update_yaxes(automargin=False)
    drawn = images.render([images.Picture(fig, 400, 200)])
    assert drawn is not None
    assert ink_at_edges(drawn[0])["left"] > 0


@needs_browser
def test_no_label_of_the_reports_charts_is_cut_at_the_images_edge(
    demo_db: Path,
) -> None:
    import duckdb

    from src.reports import content as report_content

    with duckdb.connect(str(demo_db), read_only=True) as con:
        built = report_content.build(con, 2024, term=True)
    assert {c.key for c in built.charts} == {"ratios", "trends", "term"}
    drawn = images.render([c.picture for c in built.charts])
    assert drawn is not None
    for chart, png in zip(built.charts, drawn, strict=True):
        assert ink_at_edges(png) == {"left": 0, "right": 0, "top": 0, "bottom": 0}, chart.key


def test_a_long_cell_name_is_cut_at_a_word_for_the_scorecards_rows() -> None:
    assert short_name("Chi bộ Sở Xây dựng") == "Chi bộ Sở Xây dựng"
    cut = short_name("Chi bộ Cơ quan Liên đoàn Lao động tỉnh")
    assert cut == "Chi bộ Cơ quan Liên…" and len(cut) <= 24
    assert short_name("Chibộ" * 10).endswith("…") and len(short_name("Chibộ" * 10)) == 24
