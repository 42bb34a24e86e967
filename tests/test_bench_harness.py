"""The benchmark harness keeps working as the code under it changes: one pass of every
measure on a tiny generated database (no timing is asserted, only that each figure is
there and that the pandas reference agrees with the dashboard)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from bench import __main__ as runner
from bench import browser, generate, measure
from src.engine import aggregates
from tests.conftest import make_db


@pytest.fixture
def tiny_db(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.duckdb"
    con = make_db(path)
    generate.generate(con, generate.tiny(7, units=40))
    aggregates.rebuild(con)
    con.close()
    return path


def test_one_pass_of_every_measure(tiny_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(tiny_db))  # restored after the page run sets it
    args = argparse.Namespace(size="tiny", db=str(tiny_db), year=2024, repeat=1, budget=0.0)
    result = measure.run(args)
    for key in (
        "rows",
        "overview_ms",
        "overview_one_cell_ms",
        "scorecard_ms",
        "trend_ms",
        "page_run_ms",
        "floor_ms",
        "pandas_ms",
        "rss_mb",
    ):
        assert result[key] > 0, key
    assert result["pandas_agrees"] is True
    assert result["page_charts"] >= 10  # the overview's gauges were drawn

    runner.derive(result)
    sizes = {"S": result, "M": dict(result), "L": dict(result)}
    printed = runner.table(sizes, {"import_rows": 10, "import_s": 2.0, "raw_load_s": 1.0})
    assert "overview, all organisations" in printed and "| S | M | L |" in printed
    assert "×1.0" in runner.growth(sizes)


def test_results_keep_the_sizes_a_quick_run_did_not_measure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    out.write_text(json.dumps({"sizes": {"L": {"rows": 3}}, "import": {"import_s": 1}}))
    merged = runner.merge(out, {"machine": {}, "sizes": {"S": {"rows": 1}, "M": {"rows": 2}}})
    assert list(merged["sizes"]) == ["S", "M", "L"]
    assert merged["import"] == {"import_s": 1}


def test_the_benchmark_never_writes_under_data() -> None:
    with pytest.raises(SystemExit):
        runner.main(["--dir", str(runner.ROOT / "data" / "bench"), "--sizes", "S"])


def test_the_last_run_is_written_between_the_markers_and_the_prose_around_it_stays(
    tmp_path: Path,
) -> None:
    page = tmp_path / "benchmark.md"
    before = f"# Benchmark\n\nprose before\n\n{runner.BEGIN}\nold figures\n{runner.END}\n\nafter\n"
    page.write_text(before, encoding="utf-8")
    results = {
        "machine": {"cpu": "CPU X", "cores": 2, "memory_gb": 24},
        "measured_at": "2026-12-04T02:00:00",
        "sizes": {"S": {"rows": 4023, "measured_at": "2026-12-04T02:00:00"}},
    }
    assert runner.write_section(page, runner.last_run(results))
    text = page.read_text(encoding="utf-8")
    assert "old figures" not in text
    assert text.startswith("# Benchmark\n\nprose before\n\n" + runner.BEGIN + "\n")
    assert text.endswith(runner.END + "\n\nafter\n")
    assert "CPU X, 2 cores" in text and "| values (observations) | 4,023 |" in text
    # a second run replaces the first, it does not add to it
    assert runner.write_section(page, runner.last_run(results))
    assert page.read_text(encoding="utf-8") == text


def test_a_page_without_the_markers_is_left_as_it_was(tmp_path: Path) -> None:
    page = tmp_path / "benchmark.md"
    page.write_text("# Benchmark\n\nno markers\n", encoding="utf-8")
    assert not runner.write_section(page, "figures")
    assert page.read_text(encoding="utf-8") == "# Benchmark\n\nno markers\n"
    assert not runner.write_section(tmp_path / "missing.md", "figures")


def test_the_browser_table_puts_the_floor_first_without_a_target_and_marks_each_page() -> None:
    page = {"warm_s": 1.2, "cold_s": 1.9, "warm_bytes": 10240, "cold_bytes": 10240}
    sizes: dict[str, dict[str, Any]] = {
        "S": {
            "browser": {
                "floor": {"warm_s": 0.91, "cold_s": 1.05, "warm_bytes": 4096},
                "pages": {"Tổng quan": page},
                "apply": {"apply_s": 0.9, "overview_s": 0.7},
            }
        },
        "L": {"browser": {"pages": {"Tổng quan": {**page, "warm_s": 1.6}}, "apply": None}},
    }
    rows = browser.table(sizes).splitlines()
    assert rows[2] == f"| {browser.FLOOR} | 0.91 / 1.05 / 4 | – |"
    assert rows[3] == "| Tổng quan | 1.20 / 1.90 / 10 ✗ | 1.60 / 1.90 / 10 ✓ |"
    assert "0.90 + 0.70 = 1.60 |" in browser.table(sizes)
