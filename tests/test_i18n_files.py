"""The strings are data, one TOML file per language (src/i18n/vi.toml, en.toml): the two
files hold the same keys with the same placeholders, or the program refuses to start."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from src import i18n


def copy_of_strings(tmp_path: Path) -> Path:
    for lang in i18n.LANGS:
        shutil.copy(i18n.STRINGS_DIR / f"{lang}.toml", tmp_path / f"{lang}.toml")
    return tmp_path


def test_both_language_files_hold_the_same_keys_in_the_same_order() -> None:
    vi, en = (
        list(tomllib.loads((i18n.STRINGS_DIR / f"{lang}.toml").read_text("utf-8")))
        for lang in i18n.LANGS
    )
    assert vi == en
    assert list(i18n.STRINGS) == vi


def test_a_key_missing_from_one_language_is_refused_by_name(tmp_path: Path) -> None:
    folder = copy_of_strings(tmp_path)
    en = folder / "en.toml"
    en.write_text(en.read_text("utf-8").replace('\napp_title = "', '\nxapp_title = "'), "utf-8")
    with pytest.raises(ValueError, match="app_title"):
        i18n.load_strings(folder)


def test_a_translation_with_other_placeholders_is_refused(tmp_path: Path) -> None:
    folder = copy_of_strings(tmp_path)
    en = folder / "en.toml"
    text = en.read_text("utf-8")
    assert 'cells_unknown = "No cell with code: {codes}"' in text
    en.write_text(text.replace("code: {codes}", "code: {code}"), "utf-8")
    with pytest.raises(ValueError, match="cells_unknown"):
        i18n.load_strings(folder)


def test_a_string_reads_the_same_through_t_as_in_its_file() -> None:
    vi = tomllib.loads((i18n.STRINGS_DIR / "vi.toml").read_text("utf-8"))
    assert i18n.t("cells_unknown", "vi", codes="X-1") == vi["cells_unknown"].format(codes="X-1")
    assert i18n.t("status_met", "vi") == "Đạt" and i18n.t("status_met", "en") == "Met"
