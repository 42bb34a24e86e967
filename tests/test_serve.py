"""The server process (src/ui/serve.py): the pages' modules are loaded before Streamlit
starts serving, and Streamlit then runs app.py with the options given, in the same process.
The browser tests start every dashboard this way (tests/browser_support.dashboard)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from src import config
from src.cli import launch
from src.ui import serve

ROOT = Path(__file__).resolve().parent.parent


def test_the_server_loads_the_pages_then_runs_app_py_with_the_options_given(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from streamlit.web import cli

    done: list[object] = []

    def preload() -> float:
        done.append("preload")
        return 1.5

    monkeypatch.setattr(serve, "preload", preload)

    def streamlit_main(args: list[str], prog_name: str) -> None:
        done.append(args)
        raise SystemExit(3)  # as click ends: the server's exit status

    monkeypatch.setattr(cli, "main", streamlit_main)
    monkeypatch.delenv("DASHBOARD_LANG", raising=False)
    assert serve.main(["--server.port", "8601"]) == 3
    assert done == ["preload", ["run", str(config.ROOT / "app.py"), "--server.port", "8601"]]
    assert "1,5 giây" in capsys.readouterr().err  # said in the reader's number format


def test_the_launcher_starts_the_server_process() -> None:
    command = launch.streamlit_command("local", ["--server.port", "8601"])
    assert command[1:3] == ["-m", "src.ui.serve"]
    assert command[-2:] == ["--server.port", "8601"]


def test_preloading_builds_the_figures_and_leaves_the_database_and_log_alone(
    tmp_path: Path,
) -> None:
    """In a fresh interpreter, as the server starts: the chart and page modules are loaded,
    no database file is opened or made, and no warning is written."""
    db = tmp_path / "never.duckdb"
    code = (
        "import sys; from src.ui import serve; serve.preload();"
        " print(all(m in sys.modules for m in ('plotly.io', 'src.ui.widgets', 'src.views.charts',"
        " 'src.ui.actions', 'duckdb', 'pandas')))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DASHBOARD_DB": str(db), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "True"
    assert "WARNING" not in ran.stderr and "No runtime" not in ran.stderr, ran.stderr
    assert not db.exists()


def test_a_refusal_streamlit_gives_in_words_is_printed_and_exits_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from streamlit.web import cli

    def refuses(args: list[str], prog_name: str) -> None:
        raise SystemExit("Setting 'server.x' option using the CLI flag is not allowed.")

    monkeypatch.setattr(serve, "preload", lambda: 0.0)
    monkeypatch.setattr(cli, "main", refuses)
    assert serve.main(["--server.x", "1"]) == 1
    assert "is not allowed" in capsys.readouterr().err
