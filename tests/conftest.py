"""Shared fixtures: small databases in tmp_path, and the command line run as a user runs it."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, sync_playwright

from src.ingest import apply, prepare
from src.store import catalogue, storage
from tests import ingest_support
from tests.browser_support import (
    CHROMIUM,
    TEST_CHROMIUM_ARGS,
    dashboard,
    have_chromium,
    warm_up,
)
from tests.ingest_support import Result

ROOT = Path(__file__).resolve().parent.parent

ORGS_CSV = """org_code,name,kind,parent_code,group,active_from,active_to
ROOT,Đảng bộ Thử nghiệm,root,,,,
A,Chi bộ A,grassroots_cell,ROOT,Khối 1,,
B,Chi bộ B,grassroots_cell,ROOT,Khối 1,,
C,Đảng bộ C,grassroots_committee,ROOT,Khối 2,,
C1,Chi bộ C1,subcell,C,Khối 2,,
D,Chi bộ D,grassroots_cell,ROOT,Khối 2,2022,
"""


def build_catalogue_db(path: Path) -> None:
    """A new database with the goal catalogue installed, closed (so one file, no WAL)."""
    con = storage.connect(path)
    try:
        with storage.transaction(con) as cur:
            catalogue.install(cur)
    finally:
        con.close()


_TEMPLATES: dict[str, Path] = {}  # the databases this process copies (each built once)


def _template(name: str) -> Path:
    """``catalogue``: the goal catalogue installed; ``orgs``: that and ORGS_CSV applied through
    the real ingest path (batch 1). Each takes a few tenths of a second to build and gives
    the same database every time: built once per process, at the start of the session
    (before any test patches anything), and copied."""
    if name not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix=f"nq-{name}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / f"{name}.duckdb"
        if name == "catalogue":
            build_catalogue_db(path)
        else:
            shutil.copyfile(_template("catalogue"), path)
            connection = storage.connect(path)
            try:
                load(connection, ORGS_CSV, "orgs.csv")
            finally:
                connection.close()
        _TEMPLATES[name] = path
    return _TEMPLATES[name]


def make_db(path: Path, *, orgs: bool = False) -> duckdb.DuckDBPyConnection:
    """A database with the goal catalogue at ``path`` (and, with ``orgs``, the six small
    organisations of ORGS_CSV), open."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template("orgs" if orgs else "catalogue"), path)
    return storage.connect(path)


@pytest.fixture(scope="session", autouse=True)
def _templates() -> None:
    """Build make_db's templates first thing, while nothing is monkeypatched."""
    _template("catalogue")
    _template("orgs")


@pytest.fixture(autouse=True)
def _refresh_settled(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A page's write refreshes the summaries in a thread (src/ui/refresher.py): each test
    ends with it finished, before its patches are undone (``monkeypatch`` is torn down
    after this), so none reaches into the next test's database."""
    yield
    refresher = sys.modules.get("src.ui.refresher")
    if refresher is not None:
        assert refresher.REFRESHER.wait(30), "a refresh after a page's write did not finish"


def load(con: duckdb.DuckDBPyConnection, text: str, name: str = "file.csv") -> int:
    """Apply a CSV text through the real ingest path; fails the test if it is refused."""
    data = text.encode("utf-8")
    plan = prepare(con, data, name)
    assert plan.ok, [p.render("en") for p in plan.errors]
    return apply(con, plan, applied_by="test", data=data).batch_id


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def con(db_path: Path, request: pytest.FixtureRequest) -> Iterator[duckdb.DuckDBPyConnection]:
    """An empty database with the goal catalogue; for a test that also asks for ``org_con``,
    the same connection with the organisations already in (one copy of one file)."""
    connection = make_db(db_path, orgs="org_con" in request.fixturenames)
    yield connection
    connection.close()


@pytest.fixture
def org_con(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The catalogue and six small organisations (ROOT, A, B, C with subcell C1, D from 2022),
    applied as batch 1 (a copy of a database built once with ``load(con, ORGS_CSV)``)."""
    return con


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once per session with `init --demo` (read it, do not write it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    result = run_cli_at(path, "init", "--demo")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def page_db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo database that the pages of this process (AppTest) open
    (``DASHBOARD_DB``), with no editor password."""
    db = tmp_path / "page.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD", raising=False)
    return db


def run_cli_process(db: Path, *args: str, lang: str = "vi") -> subprocess.CompletedProcess[str]:
    """``python -m src.cli ARGS`` in a new interpreter, as a user runs it: for what only a
    process shows (its entry point, exit status, a file lock held by another process)."""
    env = dict(os.environ, DASHBOARD_DB=str(db), DASHBOARD_LANG=lang)
    return subprocess.run(
        [sys.executable, "-m", "src.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_cli_at(db: Path, *args: str, lang: str = "vi") -> Result:
    """The command line in this process (:func:`tests.ingest_support.run`): exit code,
    stdout and stderr as :func:`run_cli_process` gives them, without a new interpreter
    (about a second of imports per call)."""
    return ingest_support.run(db, *args, lang=lang)


@pytest.fixture
def run_cli(db_path: Path) -> Callable[..., Result]:
    """Run the command line against the test's database (in this process: run_cli_at)."""

    def run(*args: str, lang: str = "vi") -> Result:
        return run_cli_at(db_path, *args, lang=lang)

    return run


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, one for the whole run. CI installs it: a missing browser
    fails the browser tests, it never skips them."""
    if not have_chromium():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=TEST_CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def app_url(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory, browser: Browser
) -> Iterator[str]:
    """The dashboard served on a copy of the demo database, one per test module, once run
    (so that it knows its pages: a test may open a deep link first). For the modules that
    write through the pages."""
    db = tmp_path_factory.mktemp("app") / "dash.duckdb"
    shutil.copy(demo_db, db)
    with dashboard(db) as url:
        warm_up(browser, url)
        yield url


@pytest.fixture(scope="session")
def read_only_app_url(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory, browser: Browser
) -> Iterator[str]:
    """One dashboard on a copy of the demo database shared by the browser test modules that
    only read (each overrides ``app_url`` with it): a server and its first run saved per
    module. Their tests must not write; the data version is checked unchanged at the end."""
    db = tmp_path_factory.mktemp("shared-app") / "dash.duckdb"
    shutil.copy(demo_db, db)
    with dashboard(db) as url:
        warm_up(browser, url)
        yield url
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert storage.data_version(con) == _demo_version(demo_db), "a read-only module wrote"
    finally:
        con.close()


def _demo_version(demo_db: Path) -> int:
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        return storage.data_version(con)
    finally:
        con.close()


# The test files that take longest in all (seconds of `--durations` on a 2-core machine),
# longest first. pytest-xdist gives each worker one file at a time in collection order
# (`--dist loadfile --no-loadscope-reorder`, pyproject.toml): these go first, so that the
# workers end together rather than one of them running a long file alone at the end. Only
# the order changes (within a file it is kept); a file missing here runs after these.
LONGEST_FIRST = [
    "test_browser_views.py",
    "test_browser_bytes.py",
    "test_browser_upload.py",
    "test_crash_safety.py",
    "test_ingest_bulk.py",
    "test_undo.py",
    "test_browser_resolutions.py",
    "test_browser_user_text.py",
    "test_browser_overview.py",
    "test_browser_reports.py",
    "test_disk_safety.py",
    "test_browser_fonts.py",
    "test_browser_draft.py",
    "test_ingest_hostile.py",
    "test_concurrency.py",
    "test_aggregates.py",
    "test_rules.py",
    "test_resolution_install.py",
    "test_draft_page.py",
    "test_reports.py",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files stay whole
