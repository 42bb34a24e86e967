"""A problem found in an uploaded file: where it is and what is wrong, in both languages."""

from __future__ import annotations

from dataclasses import dataclass, field

from src.i18n import t


@dataclass(frozen=True)
class Problem:
    """``row`` is the spreadsheet's own row number (the header is row 1); ``column`` the
    header as written in the file, ``letter`` the spreadsheet's letter of that column where
    the file has it (``D``). ``severity``: error (blocks the file) or warning."""

    key: str
    row: int | None = None
    column: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    severity: str = "error"
    letter: str | None = None

    def message(self, lang: str = "vi") -> str:
        # a parameter given as a (vi, en) pair is shown in the reader's language
        params = {
            k: (v[1] if lang == "en" else v[0]) if isinstance(v, tuple) else v
            for k, v in self.params.items()
        }
        # formatted here, not by t(key, lang, **params): messages have a parameter "key"
        return t(self.key, lang).format(**params) if params else t(self.key, lang)

    def render(self, lang: str = "vi") -> str:
        msg = self.message(lang)
        if self.row is not None and self.column:
            return t("row_col", lang, row=self.row, column=self.column, message=msg)
        if self.row is not None:
            return t("row_only", lang, row=self.row, message=msg)
        if self.column:
            return t("row_col", lang, row=1, column=self.column, message=msg)
        return t("file_only", lang, message=msg)


class IngestError(Exception):
    """A file refused as a whole (before or at apply time)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.render("en") for p in problems))
        self.problems = problems
