"""The reports page's calls: the letterhead's defaults, the preview, and the two downloads.

The files are made when a download button is clicked (Streamlit runs the callable on a
thread of its own), from a cursor of the page's connection, so drawing the page stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from src import config, reports
from src.domain.models import Resolution
from src.reports import content, images
from src.reports.content import Letterhead
from src.ui import cache


@dataclass(frozen=True)
class Request:
    """What the user picked: the report's year or term, its organisations, its wording."""

    resolution_code: str
    first_year: int
    year: int
    org_codes: tuple[str, ...] | None
    term: bool
    lang: str
    head: Letterhead
    charts: bool

    def file_name(self, fmt: str) -> str:
        return f"{content.file_stem(self.first_year, self.year, self.term)}.{fmt}"


def request(
    resolution: Resolution,
    year: int,
    org_codes: list[str] | None,
    term: bool,
    lang: str,
    head: Letterhead,
    charts: bool,
) -> Request:
    codes = tuple(org_codes) if org_codes else None
    first = resolution.term_years[0]
    return Request(resolution.code, first, year, codes, term, lang, head, charts)


@st.cache_data(show_spinner=False, max_entries=8)
def _default_letterhead(path: str, data_version: int, lang: str) -> Letterhead:
    return reports.letterhead(cache.con(), lang)


def default_letterhead(lang: str) -> Letterhead:
    """The letterhead read from the committee's name (the user may change every line)."""
    return _default_letterhead(str(config.db_path()), cache.version(), lang)


def letterhead(superior: str, issuer: str, place: str, number: str, signer: str) -> Letterhead:
    return Letterhead(superior.strip(), issuer.strip(), place.strip(), number, signer.strip())


@st.cache_resource(show_spinner=False)
def can_draw_charts() -> bool:
    """A browser kaleido can drive is on this machine."""
    return images.browser_path() is not None


@st.cache_data(show_spinner=False, max_entries=64)
def _preview(
    path: str,
    data_version: int,
    resolution_code: str,
    year: int,
    org_codes: tuple[str, ...] | None,
    term: bool,
    lang: str,
) -> pd.DataFrame:
    built = content.build(
        cache.con(),
        year,
        list(org_codes) if org_codes else None,
        term,
        lang,
        resolution_code,
        cells=False,  # Table 1 only
    )
    return content.goals_table(built)


def preview(r: Request) -> pd.DataFrame:
    """Table 1 of the report, as the page shows it before download."""
    return _preview(
        str(config.db_path()),
        cache.version(),
        r.resolution_code,
        r.year,
        r.org_codes,
        r.term,
        r.lang,
    )


def _maker(r: Request, fmt: str) -> Callable[[], bytes]:
    con = cache.con()

    def make() -> bytes:
        report = reports.make(
            con.cursor(),
            fmt,
            year=r.year,
            org_codes=list(r.org_codes) if r.org_codes else None,
            term=r.term,
            lang=r.lang,
            resolution_code=r.resolution_code,
            head=r.head,
            charts=r.charts,
        )
        return report.data

    return make


def docx(r: Request) -> Callable[[], bytes]:
    """The Word report, made when its button is clicked."""
    return _maker(r, "docx")


def xlsx(r: Request) -> Callable[[], bytes]:
    """The Excel workbook, made when its button is clicked."""
    return _maker(r, "xlsx")


MIME = reports.MIME
