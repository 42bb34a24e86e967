"""The layers of src/ stay one-way: only pages and src/ui import Streamlit; pages hold no
SQL and no database; the pure layers import neither DuckDB nor Streamlit."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = ["src/models.py", "src/domain.py", "src/i18n.py", "src/overview.py", "src/charts.py"]


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", python_files("src"), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_ui_layer_of_src_imports_streamlit(path: Path) -> None:
    uses = any(m == "streamlit" or m.startswith("streamlit.") for m in imports(path))
    assert not uses or "src/ui/" in path.as_posix(), path


@pytest.mark.parametrize("path", python_files("pages") + [ROOT / "app.py"], ids=lambda p: p.name)
def test_pages_hold_layout_only(path: Path) -> None:
    mods = imports(path)
    assert not any(
        m.startswith(("duckdb", "pandas", "src.queries", "src.storage")) for m in mods
    ), mods
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\bSELECT\b.+\bFROM\b|\.execute\(", text, re.IGNORECASE | re.DOTALL)


@pytest.mark.parametrize("rel", PURE)
def test_pure_layers_touch_no_database_and_no_streamlit(rel: str) -> None:
    mods = imports(ROOT / rel)
    assert not any(
        m.startswith(("duckdb", "streamlit", "src.storage", "src.queries")) for m in mods
    ), mods


def test_storage_depends_on_no_other_layer() -> None:
    mods = {m for m in imports(ROOT / "src/storage.py") if m.startswith("src")}
    assert mods <= {"src.config"}, mods


def test_no_sql_is_built_with_values_formatted_in() -> None:
    """Queries take their values as ? parameters: no f-string or % formatting near SQL."""
    offenders = []
    for path in python_files("src"):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if (
                re.search(r"f\"[^\"]*\b(SELECT|INSERT|UPDATE|DELETE|WHERE)\b", line)
                and "ATTACH" not in line
                and "COPY FROM DATABASE" not in line
                and "DETACH" not in line
            ):
                offenders.append(f"{path.name}:{lineno}")
    assert offenders == []


def test_units_sits_below_queries() -> None:
    """queries reads unit_year through units.catch_up, so units may use storage only (and the
    pure data types, whose Indicator says what adds up and which codes may be columns)."""
    mods = {m for m in imports(ROOT / "src/units.py") if m.startswith("src")}
    assert mods <= {"src", "src.storage", "src.config", "src.models"}, mods
