"""A draft (src/ingest/draft.py) to a resolution and its workbook; a hostile file to text.

``to_doc`` turns a draft's rows, possibly edited (a list of plain dicts, as an editable
table holds them), into a :class:`ResolutionDoc`; ``to_workbook`` writes it as the workbook
``resolution import`` and the Nghị quyết page read, so that ``resolution_book.read_book``
checks it like any uploaded one (a goal whose indicators are still missing is named there,
with its row and column). ``read_text`` and ``read_docx`` turn the bytes of an uploaded
``.txt`` or ``.docx`` into text, or refuse them in words (:class:`DraftInputError`).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any, cast

from src.domain.models import Goal, Level, Measure, Over, Resolution
from src.i18n import t
from src.ingest import read, resolution_book
from src.ingest.draft import Draft, DraftRow, ResolutionFacts, normalise, parse_number
from src.ingest.errors import IngestError
from src.store.catalogue import ResolutionDoc

TEXT_MAX_BYTES = 2 * 1024 * 1024  # a resolution is some 50 pages of text at most
DOCX_MAX_BYTES = 20 * 1024 * 1024
DOCX_MAX_XML = 64 * 1024 * 1024  # word/document.xml, unpacked


class DraftInputError(ValueError):
    """A file that cannot be read as a resolution's text; ``key`` names its message (src/i18n)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "vi") -> str:
        return t(self.key, lang, **self.params)


# --- text in ----------------------------------------------------------------------------


def read_text(data: bytes) -> str:
    """The text of a ``.txt`` file: UTF-8 (a byte-order mark allowed), NFC; refused when it
    is too big, binary or not UTF-8."""
    if len(data) > TEXT_MAX_BYTES:
        raise DraftInputError("dr_too_big", mb=TEXT_MAX_BYTES // (1024 * 1024))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DraftInputError("dr_not_utf8")
    if read.is_xlsx(data) or data.startswith(read.OLE_MAGIC) or data.startswith(b"%PDF"):
        raise DraftInputError("dr_not_text")
    if b"\x00" in data:
        raise DraftInputError("dr_not_text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DraftInputError("dr_not_utf8") from exc
    if read.looks_binary(text):
        raise DraftInputError("dr_not_text")
    text = normalise(text)
    if not text.strip():
        raise DraftInputError("dr_empty")
    return text


def read_docx(data: bytes) -> str:
    """The text of a Word ``.docx``: its paragraphs and table cells in order, one per line.
    The zip is checked under the same caps as an uploaded workbook before anything is
    unpacked (src/ingest/read.py); refused in words when it is no Word file."""
    if len(data) > DOCX_MAX_BYTES:
        raise DraftInputError("dr_too_big", mb=DOCX_MAX_BYTES // (1024 * 1024))
    if not read.is_xlsx(data):  # a zip's magic number
        raise DraftInputError("dr_not_docx")
    try:
        read._check_directory(data)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            read._check_zip(zf)
            info = next((i for i in zf.infolist() if i.filename == "word/document.xml"), None)
            if info is None:
                raise DraftInputError("dr_not_docx")
            if info.file_size > DOCX_MAX_XML:
                raise DraftInputError("dr_too_big", mb=DOCX_MAX_XML // (1024 * 1024))
    except DraftInputError:
        raise
    except IngestError as exc:
        raise DraftInputError("dr_docx_refused", why=exc.problems[0].message("vi")) from exc
    except Exception as exc:  # a damaged zip, a password
        raise DraftInputError("dr_not_docx") from exc
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        body = document.element.body
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append("".join(node.text or "" for node in child.iter() if _is_text(node)))
            elif tag == "tbl":
                for row in child.iter():
                    if row.tag.rsplit("}", 1)[-1] != "tr":
                        continue
                    cells = [
                        "".join(n.text or "" for n in cell.iter() if _is_text(n)).strip()
                        for cell in row.iterchildren()
                        if cell.tag.rsplit("}", 1)[-1] == "tc"
                    ]
                    lines.append(" ".join(c for c in cells if c))
    except Exception as exc:
        raise DraftInputError("dr_not_docx") from exc
    text = normalise("\n".join(lines))
    if not text.strip():
        raise DraftInputError("dr_empty")
    return text


def _is_text(node: Any) -> bool:
    return isinstance(node.tag, str) and node.tag.rsplit("}", 1)[-1] == "t"


def read_upload(data: bytes, file_name: str) -> str:
    """The text of an uploaded ``.txt`` or ``.docx`` (by its name, else by its bytes)."""
    if file_name.lower().endswith(".docx") or (read.is_xlsx(data) and b"word/" in data[:4096]):
        return read_docx(data)
    return read_text(data)


# --- rows out ---------------------------------------------------------------------------

ROW_FIELDS = (
    "code",
    "title_vi",
    "level",
    "measure",
    "numerator",
    "denominator",
    "over",
    "comparison",
    "target",
    "target_max",
    "parent",
)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN from a table
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return None if value != value else float(value)
    text = _text(value)
    if not text:
        return None
    try:
        return parse_number(text.rstrip("%").strip())
    except ValueError:
        return None


def row_dicts(rows: Sequence[DraftRow | Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [r.as_dict() if isinstance(r, DraftRow) else dict(r) for r in rows]


def goal_of(row: Mapping[str, Any]) -> Goal:
    """A goal from a (possibly edited) row; what it lacks stays empty, for the workbook's
    checks to name."""
    measure = _text(row.get("measure")) or "ratio"
    numerator = _text(row.get("numerator"))
    rating = measure == "rating"
    return Goal(
        code=_text(row.get("code")),
        measure=Measure(measure) if measure in tuple(Measure) else Measure.RATIO,
        over=Over(_text(row.get("over"))) if _text(row.get("over")) in tuple(Over) else Over.YEAR,
        level=Level.ROOT if _text(row.get("level")) == "root" else Level.ORG,
        title_vi=_text(row.get("title_vi")),
        title_en=_text(row.get("title_en")),
        text_vi=_text(row.get("text_vi")) or _text(row.get("source_text")),
        comparison=_text(row.get("comparison")) or None,
        target=_number(row.get("target")),
        target_max=_number(row.get("target_max")),
        numerator=None if rating or not numerator else numerator,
        denominator=_text(row.get("denominator")) or None,
        rating_indicators=tuple(
            c.strip() for c in re.split(r"[,;]", numerator) if c.strip() and rating
        ),
        parent=_text(row.get("parent")) or None,
        basis="parent" if _text(row.get("parent")) else None,
    )


def to_doc(
    rows: Sequence[DraftRow | Mapping[str, Any]],
    facts: ResolutionFacts | Mapping[str, Any],
) -> ResolutionDoc:
    """The resolution a draft proposes (its rows possibly edited), with no indicators of its
    own. A term the text did not give stays empty (the workbook then says it is missing)."""
    f = facts if isinstance(facts, Mapping) else facts.__dict__
    name = _text(f.get("name_vi")) or "Nghị quyết"
    start, end = f.get("term_start"), f.get("term_end")
    resolution = Resolution(
        code=_text(f.get("code")) or "NQ-DU-THAO",
        name_vi=name,
        name_en=_text(f.get("name_en")),
        short_vi=_text(f.get("short_vi")) or name,
        short_en=_text(f.get("short_en")),
        # None is written as an empty cell: the user fills it in before importing
        term_start=cast(int, int(start) if start not in (None, "") else None),
        term_end=cast(int, int(end) if end not in (None, "") else None),
    )
    goals = tuple(goal_of(r) for r in row_dicts(rows))
    return ResolutionDoc(resolution, (), goals)


def to_workbook(
    rows: Sequence[DraftRow | Mapping[str, Any]],
    facts: ResolutionFacts | Mapping[str, Any],
    lang: str = "vi",
) -> bytes:
    """The workbook of a draft: what ``resolution import`` and the Nghị quyết page read."""
    return resolution_book.write_book(to_doc(rows, facts), lang)


def draft_workbook(found: Draft, lang: str = "vi") -> bytes:
    return to_workbook(found.rows, found.facts, lang)


__all__ = [
    "DOCX_MAX_BYTES",
    "ROW_FIELDS",
    "TEXT_MAX_BYTES",
    "DraftInputError",
    "draft_workbook",
    "goal_of",
    "read_docx",
    "read_text",
    "read_upload",
    "row_dicts",
    "to_doc",
    "to_workbook",
]
