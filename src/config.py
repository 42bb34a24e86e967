"""Paths and settings read from the environment (no Streamlit, no database)."""

from __future__ import annotations

import ipaddress
import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def editor_password_configured() -> bool:
    """An editor password is set, as the dashboard reads it: ``DASHBOARD_EDITOR_PASSWORD``,
    or ``editor_password`` in ``.streamlit/secrets.toml`` (the project's or the user's)."""
    if os.environ.get("DASHBOARD_EDITOR_PASSWORD"):
        return True
    for folder in (Path.cwd(), ROOT, Path.home()):
        path = folder / ".streamlit" / "secrets.toml"
        try:
            secrets = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        if secrets.get("editor_password"):
            return True
    return False
