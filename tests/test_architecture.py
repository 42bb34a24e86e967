"""The layers of src/ run one way, as the import-linter contracts in pyproject.toml declare
(`lint-imports`, run by `make lint`); a wrong import breaks them. Pages hold layout only;
storage sits at the bottom; no SQL is built with values formatted in."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def imports(path: Path) -> set[str]:
    """Every module a file imports, ``from a import b`` giving both ``a`` and ``a.b``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def src_imports(rel: str, packages: set[str]) -> set[str]:
    """The modules of src a file imports, leaving out the bare packages named in ``from``."""
    return {m for m in imports(ROOT / rel) if m.startswith("src")} - packages


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_src(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layer_contracts_hold_for_src() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "contract"),
    [
        # the domain reaching up into storage
        ("src/domain/goals.py", "from src.store import storage", "src's layers run one way"),
        # storage reaching up into the progress engine
        ("src/store/queries.py", "from src.engine import progress", "src's layers run one way"),
        # a view importing Streamlit itself instead of leaving it to src.ui
        ("src/views/overview.py", "import streamlit", "only src.ui imports Streamlit"),
        # the command line importing the pages' widgets
        ("src/cli/commands.py", "from src.ui import widgets", "src's layers run one way"),
    ],
)
def test_a_wrong_import_breaks_the_layer_contracts(
    tmp_path: Path, module: str, wrong_import: str, contract: str
) -> None:
    root = copy_of_src(tmp_path)
    target = root / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{wrong_import}\n", "utf-8")
    done = lint_imports(root)
    assert done.returncode != 0
    assert f"{contract} BROKEN" in done.stdout, done.stdout


PAGE_MAY_IMPORT = ("streamlit", "src.ui", "src.views", "src.i18n")


@pytest.mark.parametrize("path", python_files("pages") + [ROOT / "app.py"], ids=lambda p: p.name)
def test_pages_hold_layout_only(path: Path) -> None:
    """A page imports Streamlit, the ui layer, the views it renders and the strings; no
    database, no pandas, no ingest or domain code of its own, and no SQL."""
    mods = imports(path) - {"src", "__future__", "__future__.annotations"}
    assert [m for m in mods if not _layer(m)] == []
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\bSELECT\b.+\bFROM\b|\.execute\(", text, re.IGNORECASE | re.DOTALL)


@pytest.mark.parametrize("path", python_files("pages") + [ROOT / "app.py"], ids=lambda p: p.name)
def test_pages_write_only_with_calls_since_magic_is_off(path: Path) -> None:
    """Streamlit's magic is off (.streamlit/config.toml, runner.magicEnabled): a bare value
    on a page (a variable, a string past the docstring) would show nothing."""
    assert "magicEnabled = false" in (ROOT / ".streamlit" / "config.toml").read_text("utf-8")
    body = ast.parse(path.read_text(encoding="utf-8")).body
    bare = [
        node.lineno
        for node in ast.walk(ast.Module(body=body[1:], type_ignores=[]))
        if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Call | ast.Await)
    ]
    assert bare == []


def _layer(module: str) -> str:
    return next((p for p in PAGE_MAY_IMPORT if module == p or module.startswith(p + ".")), "")


def test_storage_depends_on_no_other_layer() -> None:
    assert src_imports("src/store/storage.py", packages={"src"}) <= {"src.config"}


def test_units_sits_below_queries() -> None:
    """queries reads unit_year through units.catch_up, so units may use storage only (and the
    pure data types, whose Indicator says what adds up and which codes may be columns)."""
    mods = src_imports("src/store/units.py", packages={"src", "src.store", "src.domain"})
    allowed = ("src.store.storage", "src.config", "src.domain.models")
    assert all(m.startswith(allowed) for m in mods), mods


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


def test_sql_runs_only_in_the_store_and_ingest_layers() -> None:
    """The other layers ask store (reads, meta, history) or ingest (writes) for what they
    need: no statement is executed anywhere else."""
    runs = re.compile(r"\.(execute|executemany|sql)\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in python_files("src")
        if not path.relative_to(ROOT).as_posix().startswith(("src/store/", "src/ingest/"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if runs.search(line)
    ]
    assert offenders == []


LONG = 400  # lines: a module past this says at its top why it is one module


@pytest.mark.parametrize("path", python_files("src"), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_past_400_lines_says_why_it_is_one_module(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if text.count("\n") <= LONG:
        return
    doc = ast.get_docstring(ast.parse(text)) or ""
    assert "One module, past 400 lines, because" in doc, path


def test_the_kept_tables_fingerprint_covers_every_module_that_computes_a_goal() -> None:
    """The kept progress tables are recomputed when the code that computed them changes
    (bootstrap.engine_fingerprint): every module of the domain, or the compiled totals, that
    the computation imports, directly or through another of them, must be in ENGINE_FILES."""
    from src.services import bootstrap

    def rel(module: str) -> str:
        return module.removeprefix("src.").replace(".", "/") + ".py"

    computing = {"src.engine.progress"}
    todo = ["src.engine.progress"]
    while todo:
        for module in imports(ROOT / "src" / rel(todo.pop())):
            if module in computing or not (ROOT / "src" / rel(module)).is_file():
                continue  # a package, a name imported from a module, or seen
            if module.startswith("src.domain.") or module == "src.store.goal_sums":
                computing.add(module)
                todo.append(module)
    assert {"src.domain.goals", "src.domain.sums", "src.store.goal_sums"} <= computing
    assert {rel(m) for m in computing} <= set(bootstrap.ENGINE_FILES)
