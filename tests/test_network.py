"""The dashboard serves this machine only unless asked, never the office network without
an editor password, and shows readers no traceback (issue 11)."""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from src import config
from src.cli import launch

ROOT = Path(__file__).resolve().parent.parent


def settings() -> dict[str, dict[str, object]]:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_server_listens_on_this_machine_only_by_default() -> None:
    s = settings()
    assert s["server"]["address"] == "127.0.0.1"
    assert config.is_loopback(str(s["server"]["address"]))
    assert s["browser"]["serverAddress"] == "localhost"  # no look-up of the external IP


def test_readers_are_shown_no_error_details() -> None:
    assert settings()["client"]["showErrorDetails"] == "none"


def test_a_page_that_raises_shows_no_traceback_nor_the_error_message() -> None:
    def page() -> None:
        raise RuntimeError("chi tiết bí mật /home/van-phong/data")

    at = AppTest.from_function(page)  # reads the project's .streamlit/config.toml
    at.run()
    shown = at.exception[0]
    assert shown.stack_trace == []
    assert "bí mật" not in shown.message and "RuntimeError" not in shown.proto.type


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),  # Streamlit's default: every interface
        (None, False),
        ("192.168.1.10", False),
        ("my-pc.local", False),
    ],
)
def test_only_loopback_addresses_count_as_this_machine(address: str | None, loopback: bool) -> None:
    assert config.is_loopback(address) is loopback


@pytest.fixture
def no_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No password in the environment nor in any secrets file the dashboard would read."""
    monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD", raising=False)
    monkeypatch.setenv("DASHBOARD_LANG", "vi")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(config, "ROOT", tmp_path)
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    return tmp_path


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The commands the launcher would run (nothing is started)."""
    calls: list[list[str]] = []

    def call(cmd: list[str], **kw: object) -> int:
        calls.append(cmd)
        return 0

    monkeypatch.setattr(launch.subprocess, "call", call)
    return calls


def test_the_office_network_is_refused_without_an_editor_password(
    no_password: Path,
    monkeypatch: pytest.MonkeyPatch,
    started: list[list[str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DASHBOARD_NETWORK", "office")
    assert launch.main([]) == 2
    assert started == []
    err = capsys.readouterr().err
    assert "mạng cơ quan" in err and "DASHBOARD_EDITOR_PASSWORD" in err


@pytest.mark.parametrize("address", [["--server.address", "0.0.0.0"], ["--server.address=::"]])
def test_an_open_address_passed_to_the_launcher_is_refused_without_an_editor_password(
    no_password: Path, started: list[list[str]], address: list[str]
) -> None:
    assert launch.main(address) == 2
    assert started == []
    assert launch.main(["--server.address", "127.0.0.1"]) == 0


@pytest.mark.parametrize("where", ["environment", "secrets"])
def test_the_office_network_with_an_editor_password_listens_on_every_interface(
    no_password: Path, monkeypatch: pytest.MonkeyPatch, started: list[list[str]], where: str
) -> None:
    monkeypatch.setenv("DASHBOARD_NETWORK", "office")
    if where == "environment":
        monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", "bí-mật")
    else:
        (no_password / ".streamlit").mkdir()
        (no_password / ".streamlit" / "secrets.toml").write_text('editor_password = "bí-mật"\n')
    assert launch.main(["--server.port", "8601"]) == 0
    [command] = started
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert command[-2:] == ["--server.port", "8601"]


def test_without_the_setting_the_launcher_keeps_the_loopback_address(
    no_password: Path, monkeypatch: pytest.MonkeyPatch, started: list[list[str]]
) -> None:
    monkeypatch.delenv("DASHBOARD_NETWORK", raising=False)
    assert launch.main([]) == 0
    assert "--server.address" not in started[0]
    monkeypatch.setenv("DASHBOARD_NETWORK", "internet")
    assert launch.main([]) == 2


def test_make_run_starts_the_dashboard_through_the_launcher() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "-m src.cli.launch" in run and "DASHBOARD_NETWORK" in run
    assert "streamlit run" not in run


@pytest.fixture
def open_address(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppTest]:
    """The app as ``streamlit run app.py --server.address 0.0.0.0`` would serve it."""
    db = tmp_path / "n.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD", raising=False)
    monkeypatch.syspath_prepend(str(ROOT))
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "0.0.0.0")
    try:
        yield AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    finally:
        st_config.set_option("server.address", before)


def test_pages_are_not_served_on_an_open_address_without_an_editor_password(
    open_address: AppTest,
) -> None:
    at = open_address.run()
    assert not at.exception
    assert any("chưa đặt mật khẩu cập nhật" in e.value for e in at.error)
    assert len(at.get("plotly_chart")) == 0


def test_pages_are_served_on_an_open_address_with_an_editor_password(
    open_address: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", "bí-mật")
    at = open_address.run()
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) >= 14


def test_a_secrets_file_saved_with_a_byte_order_mark_still_sets_the_editor_password(
    no_password: Path, monkeypatch: pytest.MonkeyPatch, started: list[list[str]]
) -> None:
    """Windows Notepad saves UTF-8 with a BOM, which Streamlit's own reader of secrets.toml
    refuses: the password the office set must not be silently ignored."""
    from src.ui import actions

    assert actions.editor_password() is None
    (no_password / ".streamlit").mkdir()
    (no_password / ".streamlit" / "secrets.toml").write_bytes(
        b"\xef\xbb\xbf" + 'editor_password = "bí-mật"\n'.encode()
    )
    assert config.editor_password() == "bí-mật"
    assert actions.editor_password() == "bí-mật"  # what the pages ask for before a write
    monkeypatch.setenv("DASHBOARD_NETWORK", "office")
    assert launch.main([]) == 0
    [command] = started
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
