"""Paths and settings read from the environment (no Streamlit, no database)."""

from __future__ import annotations

import ipaddress
import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
CATALOGUE_DIR = DATA_DIR / "catalogue"
EXAMPLES_DIR = DATA_DIR / "examples"  # example resolutions: offered, never installed by themselves
DEMO_DIR = DATA_DIR / "demo"
DEFAULT_DB = DATA_DIR / "dashboard.duckdb"
# The bundled font (Be Vietnam Pro, SIL OFL 1.1): the pages load it from this server
# (.streamlit/config.toml, theme.fontFaces), the report's charts from this folder.
FONT_DIR = ROOT / "static" / "fonts"
FONT_FAMILY = "Be Vietnam Pro"


def db_path() -> Path:
    """The database file: ``DASHBOARD_DB`` or ``data/dashboard.duckdb``."""
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


def default_lang() -> str:
    lang = (os.environ.get("DASHBOARD_LANG") or "vi").strip().lower()
    return "en" if lang.startswith("en") else "vi"


def is_loopback(address: str | None) -> bool:
    """True when a server address is reachable from this machine only. An empty address is
    not: Streamlit then listens on every interface."""
    value = (address or "").strip().strip("[]")
    if value.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(value).is_loopback
    except ValueError:
        return False


def editor_password() -> str | None:
    """The editor password, if one is set: ``DASHBOARD_EDITOR_PASSWORD``, or
    ``editor_password`` in ``.streamlit/secrets.toml`` (the project's or the user's).

    Read here rather than through ``st.secrets``: a secrets file saved by Windows Notepad
    starts with a byte-order mark, which Streamlit's reader refuses, and the password the
    office set would then be silently ignored (anyone could write)."""
    value = os.environ.get("DASHBOARD_EDITOR_PASSWORD")
    if value:
        return value
    for folder in (Path.cwd(), ROOT, Path.home()):
        path = folder / ".streamlit" / "secrets.toml"
        try:
            if path.stat().st_size > 1_000_000:  # not a secrets file: never read it whole
                continue
            secrets = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        secret = secrets.get("editor_password")
        if secret:
            return str(secret)
    return None


def editor_password_configured() -> bool:
    """An editor password is set, as the dashboard reads it (:func:`editor_password`)."""
    return editor_password() is not None
