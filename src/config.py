"""Paths and settings read from the environment (no Streamlit, no database)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CATALOGUE_DIR = DATA_DIR / "catalogue"
DEMO_DIR = DATA_DIR / "demo"
DEFAULT_DB = DATA_DIR / "dashboard.duckdb"


def db_path() -> Path:
    """The database file: ``DASHBOARD_DB`` or ``data/dashboard.duckdb``."""
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


def default_lang() -> str:
    lang = (os.environ.get("DASHBOARD_LANG") or "vi").strip().lower()
    return "en" if lang.startswith("en") else "vi"
