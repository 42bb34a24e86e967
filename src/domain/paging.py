"""A screenful of a long table: rows whose text contains what the reader typed, one page
at a time. What a page sends to the browser then never grows with the number of
organisations (250,000 at the country's scale)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

PAGE_ROWS = 40


def fold(text: str) -> str:
    """Text compared as the reader means it: NFC, case ignored."""
    return unicodedata.normalize("NFC", text).casefold()


@dataclass
class Page:
    rows: pd.DataFrame
    page: int  # 1-based, within 1..pages
    pages: int
    matched: int  # rows that contain the text searched
    total: int


def page_of(
    frame: pd.DataFrame, texts: Iterable[str], query: str = "", page: int = 1, size: int = PAGE_ROWS
) -> Page:
    """Page ``page`` (clamped) of the rows of ``frame`` whose ``texts`` (one per row, e.g.
    code and name) contain ``query``."""
    wanted = fold(query.strip())
    rows = frame
    if wanted:
        rows = frame[[wanted in fold(x) for x in texts]]
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    return Page(rows.iloc[(page - 1) * size : page * size], page, pages, len(rows), len(frame))
