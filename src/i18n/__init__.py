"""Every user-facing string, Vietnamese first, English on request; number and date formats.

The strings are data, one file per language beside this module: ``vi.toml`` and ``en.toml``,
the same keys in the same order, a translator's files. ``t(key, lang, **params)`` looks a
string up; ``fmt_num`` and ``fmt_date`` format the way a Vietnamese reader expects
(``1.234,5``, ``26/11/2026``) or the English way.
"""

from __future__ import annotations

import math
import string
import tomllib
from datetime import date, datetime
from pathlib import Path

LANGS = ("vi", "en")
STRINGS_DIR = Path(__file__).resolve().parent


def load_strings(folder: Path = STRINGS_DIR) -> dict[str, tuple[str, str]]:
    """Each key's (Vietnamese, English) text, from ``vi.toml`` and ``en.toml``: refused when
    a key is in one file only, or when the two texts of a key take different placeholders."""
    vi, en = (
        tomllib.loads((folder / f"{lang}.toml").read_text(encoding="utf-8")) for lang in LANGS
    )
    if vi.keys() != en.keys():
        odd = sorted(vi.keys() ^ en.keys())
        raise ValueError(f"vi.toml and en.toml differ in their keys: {', '.join(odd)}")
    for key, text in vi.items():
        if not isinstance(text, str) or not isinstance(en[key], str):
            raise ValueError(f"{key}: a string in both files")
        if _placeholders(text) != _placeholders(en[key]):
            raise ValueError(f"{key}: vi.toml and en.toml take different placeholders")
    return {key: (text, en[key]) for key, text in vi.items()}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


STRINGS: dict[str, tuple[str, str]] = load_strings()


def t(key: str, lang: str = "vi", **params: object) -> str:
    vi, en = STRINGS[key]
    text = en if lang == "en" else vi
    return text.format(**params) if params else text


def fmt_num(value: float | int | None, lang: str = "vi", decimals: int = 0) -> str:
    """``1234.5`` → ``1.234,5`` (vi) or ``1,234.5`` (en); None/NaN → ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_exact(value: float | int | None, lang: str = "vi", max_decimals: int = 2) -> str:
    """A number as written, without trailing zeros: ``2.5`` → ``2,5``, ``2000`` → ``2.000``
    (vi); targets and amounts, which a fixed number of decimals would round or pad."""
    text = fmt_num(value, lang, max_decimals)
    if max_decimals <= 0 or text == "–":
        return text
    mark = "." if lang == "en" else ","
    return text.rstrip("0").rstrip(mark)


def fmt_pct(value: float | None, lang: str = "vi", decimals: int = 1) -> str:
    return "–" if value is None or math.isnan(value) else f"{fmt_num(value, lang, decimals)}%"


def fmt_date(value: date | datetime | None, lang: str = "vi", with_time: bool = False) -> str:
    if value is None:
        return "–"
    if lang == "en":
        return value.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    return value.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators``: decimal mark then thousands mark."""
    return ".," if lang == "en" else ",."


# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them
# all leaves no Markdown, HTML, link, image, table, LaTeX (``$``) or Streamlit directive
# (``:red[…]``, ``:material/…:``, ``:small[…]``) in the text. GFM's bare links (``http://…``,
# ``www.…``, ``a@b.vn``) and emoji codes (``:smile:``) are found in the text after it is
# read, within one run of text: an empty Streamlit directive (an empty <span>, nothing to
# see, nothing in the page's text) splits the run after a ``:`` or ``@`` followed by a
# letter, digit or ``/``, and before a ``.`` that follows a ``w``.
_MD_SPECIAL = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
MD_BREAK = ":small[]"


def escape_markdown(text: object) -> str:
    """Text typed by users (names, groups, notes, file names, who), made safe to put in a
    string Streamlit renders as Markdown: it shows as typed, never as a link, an image,
    HTML, a colour, an icon, an emoji or a formula. One line: a line break would start a
    new block (a heading, a list, a quote)."""
    value = " ".join(("" if text is None else str(text)).splitlines())
    out = []
    for i, c in enumerate(value):
        if c == "." and i and value[i - 1] in "wW":
            out.append(MD_BREAK)
        out.append("\\" + c if c in _MD_SPECIAL else c)
        after = value[i + 1 : i + 2]
        if c in ":@" and after and (after.isalnum() or after in "/_-+"):
            out.append(MD_BREAK)
    return "".join(out)


def escape_html(text: object) -> str:
    """Text typed by users, made safe for Plotly, which renders a subset of HTML (links,
    <b>, <br>, <span style>) in labels, ticks, titles and hover text."""
    value = "" if text is None else str(text)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
