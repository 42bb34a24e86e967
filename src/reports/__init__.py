"""Reports to take to a meeting: a Word report laid out as a Party document and an Excel
workbook, for a year or for the term up to a year, from the same data layer as the pages.

:mod:`.content` assembles what a report says; :mod:`.docx_report` and :mod:`.xlsx_report`
lay it out; :mod:`.images` draws its charts where a browser is available.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import duckdb

from src.reports import docx_report, xlsx_report
from src.reports.content import Letterhead, ReportContent, build, default_letterhead
from src.store import queries

FORMATS = ("docx", "xlsx")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Report:
    fmt: str  # docx | xlsx
    data: bytes
    content: ReportContent
    charts_wanted: int  # charts the report would hold
    charts_drawn: int  # charts it holds (none where no browser could draw them)

    @property
    def file_name(self) -> str:
        return f"{self.content.file_stem}.{self.fmt}"


def letterhead(
    con: duckdb.DuckDBPyConnection, lang: str = "vi", **overrides: str | None
) -> Letterhead:
    """The letterhead read from the committee's name, with the fields the user gave."""
    orgs = queries.organisations(con)
    roots = orgs[orgs["kind"] == "root"]["name"]
    base = default_letterhead(str(roots.iloc[0]) if len(roots) else None, lang)
    given = {k: v.strip() for k, v in overrides.items() if v is not None}
    return dataclasses.replace(base, **given)


def make(
    con: duckdb.DuckDBPyConnection,
    fmt: str,
    *,
    year: int | None = None,
    org_codes: list[str] | None = None,
    term: bool = False,
    lang: str = "vi",
    resolution_code: str | None = None,
    head: Letterhead | None = None,
    charts: bool = True,
) -> Report:
    """A report as bytes: ``fmt`` is "docx" or "xlsx"."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    content = build(con, year, org_codes, term, lang, resolution_code, head, raw=fmt == "xlsx")
    if fmt == "xlsx":
        return Report(fmt, xlsx_report.build(content), content, 0, 0)
    data, drawn = docx_report.render(content, charts)
    return Report(fmt, data, content, len(content.charts) if charts else 0, drawn)


__all__ = ["FORMATS", "MIME", "Letterhead", "Report", "ReportContent", "letterhead", "make"]
