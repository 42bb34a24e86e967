"""The Word report, laid out as a Party document (Hướng dẫn 36-HD/VPTW): A4, margins 20 mm
top and bottom, 30 mm left, 15 mm right; Times New Roman; the issuing body top left under
the body above it, "ĐẢNG CỘNG SẢN VIỆT NAM" top right over the place and date; the kind of
document and its summary centred; page numbers at the top from the second page; the
distribution list and the signing authority at the end.

Its content is :class:`src.reports.content.ReportContent`; charts are images drawn by
:mod:`src.reports.images`, left out (with their captions) where none could be drawn.

One module, past 400 lines, because it is one document's layout: its parts share the page
geometry, styles and fonts of the guidance above.
"""

from __future__ import annotations

import io
from datetime import UTC

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from src.i18n import t
from src.reports import images
from src.reports.content import (
    GROUP_ANNUAL,
    GROUP_QUALITATIVE,
    GROUP_TERM,
    GoalSection,
    ReportContent,
)

FONT = "Times New Roman"
BODY_PT = 14
PAGE_W, PAGE_H = 210, 297  # A4, mm
MARGIN_TOP = MARGIN_BOTTOM = 20
MARGIN_LEFT, MARGIN_RIGHT = 30, 15
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
FIRST_LINE = Mm(12.7)
DEMO_RED = RGBColor(0xC0, 0x00, 0x00)
HEADER_FILL = "EDEDED"
GROUP_FILL = "F6F6F6"

Container = DocxDocument | _Cell


# ---------------------------------------------------------------------------- helpers


def _fonts(rpr: BaseOxmlElement) -> None:
    """Times New Roman for every script Word distinguishes, so no run falls back."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _run(
    paragraph: Paragraph,
    text: str,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    colour: RGBColor | None = None,
) -> None:
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    if colour is not None:
        run.font.color.rgb = colour
    _fonts(run._element.get_or_add_rPr())


def _para(
    where: Container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    before: float = 0,
    after: float = 6,
    keep: bool = False,
    colour: RGBColor | None = None,
) -> Paragraph:
    p = where.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = FIRST_LINE if indent else Mm(0)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep
    if text:
        _run(p, text, size, bold, italic, underline, colour)
    return p


def _cell_para(cell: _Cell, text: str, size: float, **kwargs: object) -> Paragraph:
    """The cell's first paragraph (a new cell holds an empty one), then new ones."""
    first = cell.paragraphs[0]
    if not first.runs and not first.text:
        fmt = first.paragraph_format
        fmt.alignment = kwargs.pop("align", WD_ALIGN_PARAGRAPH.LEFT)  # type: ignore[assignment]
        fmt.first_line_indent = Mm(0)
        fmt.space_before = Pt(float(kwargs.pop("before", 1)))  # type: ignore[arg-type]
        fmt.space_after = Pt(float(kwargs.pop("after", 1)))  # type: ignore[arg-type]
        if text:
            _run(first, text, size, **kwargs)  # type: ignore[arg-type]
        return first
    kwargs.setdefault("align", WD_ALIGN_PARAGRAPH.LEFT)
    kwargs.setdefault("after", 1)
    kwargs.setdefault("before", 1)
    return _para(cell, text, size=size, indent=False, **kwargs)  # type: ignore[arg-type]


def _widths(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)


def _no_borders(table: Table) -> None:
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    props.append(borders)


def _cell_margins(table: Table, mm: float) -> None:
    props = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    twips = str(int(mm * 56.7))
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), twips)
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    props.append(margins)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_props(row: _Row, header: bool = False) -> None:
    """Rows never split across pages; header rows repeat on every page."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def _field(paragraph: Paragraph, instruction: str, size: float) -> None:
    """A Word field (PAGE): begin, instruction, separate, a placeholder, end."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        run.font.name = FONT
        run.font.size = Pt(size)
        _fonts(run._element.get_or_add_rPr())
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._element.append(el)
        elif kind == "text":
            run.text = text or ""
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._element.append(el)


# ---------------------------------------------------------------------------- parts


def _page_setup(doc: DocxDocument, content: ReportContent) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True
    normal = doc.styles["Normal"]
    normal.font.name = FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(BODY_PT)  # type: ignore[attr-defined]
    rpr = normal.element.get_or_add_rPr()
    _fonts(rpr)
    lang = OxmlElement("w:lang")
    code = "en-GB" if content.lang == "en" else "vi-VN"
    lang.set(qn("w:val"), code)
    lang.set(qn("w:eastAsia"), code)
    rpr.append(lang)
    pf = normal.paragraph_format  # type: ignore[attr-defined]
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    # Page numbers from the second page, centred at the top; "Dữ liệu mẫu" on every page.
    header = section.header.paragraphs[0]
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(header, "PAGE", BODY_PT)
    if content.is_demo:
        for part in (section.header, section.first_page_header):
            p = part.add_paragraph() if part is section.header else part.paragraphs[0]
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(p, t("rep_demo_short", content.lang).upper(), 10, bold=True, colour=DEMO_RED)


def _letterhead(doc: DocxDocument, content: ReportContent) -> None:
    head = content.letterhead
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [82, TEXT_W - 82 + 5])
    left, right = table.rows[0].cells
    centre = {"align": WD_ALIGN_PARAGRAPH.CENTER, "before": 0, "after": 0}
    if head.superior:
        _cell_para(left, head.superior, 14, **centre)
    _cell_para(left, head.issuer, 14, bold=True, **centre)
    _cell_para(left, "*", 14, **centre)
    if head.number:
        _cell_para(left, head.number, 14, **centre)
    _cell_para(right, t("rep_party", content.lang), 15, bold=True, underline=True, **centre)
    _cell_para(right, "", 8, **centre)
    _cell_para(right, content.date_line, 14, italic=True, **centre)


def _title(doc: DocxDocument, content: ReportContent) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(
        doc,
        content.doc_type,
        size=16,
        bold=True,
        align=centre,
        indent=False,
        before=18,
        after=0,
        keep=True,
    )
    _para(doc, content.subject, size=14, bold=True, align=centre, indent=False, after=0, keep=True)
    _para(doc, "-----", size=14, align=centre, indent=False, after=12)


def _demo_box(doc: DocxDocument, content: ReportContent) -> None:
    box = doc.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    box.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(box, [TEXT_W])
    _cell_para(
        box.rows[0].cells[0],
        content.demo_text,
        13,
        bold=True,
        colour=DEMO_RED,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=3,
        after=3,
    )
    _para(doc, "", after=6)


def _heading(doc: DocxDocument, text: str, level: int = 1) -> None:
    _para(doc, text, bold=True, before=6 if level == 1 else 3, keep=True)


def _caption(doc: DocxDocument, text: str, before: float = 6) -> None:
    _para(
        doc,
        text,
        size=13,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        before=before,
        after=4,
        keep=True,
    )


def _headed_table(doc: DocxDocument, head: list[str], size: int) -> Table:
    """A centred grid whose first row, repeated on every page, holds ``head`` in bold on the
    header's shade, each cell's words in the middle of its height."""
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table, 0.9)
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        _cell_para(cell, text, size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _shade(cell, HEADER_FILL)
    _row_props(table.rows[0], header=True)
    return table


def _goals_table(doc: DocxDocument, content: ReportContent) -> None:
    lang = content.lang
    years = content.years
    n = len(years)
    size = 11 if n <= 3 else 10
    w_no, w_target, w_assess = 10.0, 17.0, 22.0
    w_year = min(22.0, (TEXT_W - w_no - w_target - w_assess - 40) / n)
    w_goal = TEXT_W - w_no - w_target - w_assess - w_year * n
    head = [t("rep_col_no", lang), t("rep_col_goal", lang), t("rep_col_target", lang)]
    head += [t("rep_col_year", lang, year=y) for y in years]
    if content.term and n > 1:
        head.append(t("rep_col_assess_term", lang, first=years[0], year=content.year))
    else:
        head.append(t("rep_col_assess_year", lang, year=content.year))
    table = _headed_table(doc, head, size)
    groups = [
        (GROUP_ANNUAL, "rep_group_annual"),
        (GROUP_TERM, "rep_group_term"),
        (GROUP_QUALITATIVE, "rep_group_qual"),
    ]
    for group, key in groups:
        sections = content.group(group)
        if not sections:
            continue
        row = table.add_row()
        _row_props(row)
        merged = row.cells[0].merge(row.cells[-1])
        _cell_para(merged, t(key, lang), size, bold=True, italic=True)
        _shade(merged, GROUP_FILL)
        for s in sections:
            _goal_row(table, s, years, size)
    _widths(table, [w_no, w_goal, w_target] + [w_year] * n + [w_assess])
    _para(doc, t("rep_table_legend", lang), size=12, italic=True, indent=False, before=3)


def _goal_row(table: Table, s: GoalSection, years: list[int], size: float) -> None:
    row = table.add_row()
    _row_props(row)
    cells = row.cells
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _cell_para(cells[0], s.code, size, align=centre)
    _cell_para(cells[1], s.title, size, italic=s.is_sub)
    _cell_para(cells[2], s.target_text, size, align=centre)
    for i, y in enumerate(years, start=3):
        _cell_para(cells[i], s.value_in(y).text, size, align=centre)
    _cell_para(cells[-1], s.assessment, size, align=centre, bold=True)
    for cell in cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _qualitative_table(doc: DocxDocument, content: ReportContent) -> None:
    lang = content.lang
    rows = content.qualitative
    with_year = content.term and len(content.years) > 1
    head = [t("rep_col_no", lang), t("rep_col_goal", lang)]
    widths = [10.0, 48.0]
    if with_year:
        head.append(t("year", lang))
        widths.append(14.0)
    head += [t("rep_col_result", lang), t("note", lang)]
    widths += [22.0, TEXT_W - sum(widths) - 22.0]
    _caption(doc, t("rep_qual_caption", lang, period=content.period))
    table = _headed_table(doc, head, 12)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    previous = None
    for r in rows:
        row = table.add_row()
        _row_props(row)
        cells = row.cells
        first = r.code != previous
        _cell_para(cells[0], r.code if first else "", 12, align=centre)
        _cell_para(cells[1], r.title if first else "", 12)
        i = 2
        if with_year:
            _cell_para(cells[2], str(r.year), 12, align=centre)
            i = 3
        _cell_para(cells[i], r.status_text, 12, align=centre, bold=True)
        note = r.note or (t("no_assessment", lang, year=r.year) if r.status_text == "–" else "")
        _cell_para(cells[i + 1], note, 12, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        previous = r.code
    _widths(table, widths)
    _para(doc, "", after=3)


def _chart(doc: DocxDocument, png: bytes, caption: str) -> None:
    doc.add_picture(io.BytesIO(png), width=Mm(TEXT_W - 5))
    picture = doc.paragraphs[-1]
    picture.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.first_line_indent = Mm(0)
    picture.paragraph_format.space_before = Pt(6)
    picture.paragraph_format.keep_with_next = True
    _para(
        doc, caption, size=12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=8
    )


def _goal_paragraph(doc: DocxDocument, s: GoalSection) -> None:
    p = _para(doc, "")
    _run(p, f"{s.code}. {s.title}: ", bold=True)
    _run(p, s.paragraph)
    if s.cells_text:
        _para(doc, s.cells_text, size=13)


def _closing(doc: DocxDocument, content: ReportContent) -> None:
    lang = content.lang
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [80, TEXT_W - 80])
    left, right = table.rows[0].cells
    _cell_para(
        left, t("rep_recipients", lang), 14, bold=True, italic=True, underline=True, before=12
    )
    for line in t("rep_recipient_lines", lang).split("|"):
        _cell_para(left, line, 12, before=0, after=0)
    head = content.letterhead
    if head.signer:
        _cell_para(right, head.signer, 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12)
    _row_props(table.rows[0])


def build(content: ReportContent, pictures: dict[str, bytes] | None = None) -> bytes:
    """The .docx bytes; ``pictures`` maps a chart's key to its PNG (absent: no chart)."""
    pictures = pictures or {}
    lang = content.lang
    doc = Document()
    _page_setup(doc, content)
    props = doc.core_properties
    props.title = f"{content.doc_type.capitalize()} {content.subject}"
    props.subject = content.subject
    props.author = content.letterhead.issuer or "Theo dõi thực hiện Nghị quyết"
    props.created = content.made_at.astimezone(UTC).replace(tzinfo=None)  # stored as UTC
    props.comments = f"{content.made_text} {content.source_text}"
    props.keywords = t("rep_demo_short", lang) if content.is_demo else ""
    props.language = "en-GB" if lang == "en" else "vi-VN"

    _letterhead(doc, content)
    _title(doc, content)
    if content.is_demo:
        _demo_box(doc, content)
    _para(doc, content.intro)
    _para(doc, content.summary)
    if content.excluded_text:
        _para(doc, content.excluded_text)

    figure_no = 0

    def chart(key: str) -> None:
        nonlocal figure_no
        found = next((c for c in content.charts if c.key == key), None)
        if found is None or key not in pictures:
            return
        figure_no += 1
        _chart(doc, pictures[key], t("rep_chart_caption", lang, n=figure_no, title=found.title))

    _heading(doc, t("rep_sec_results", lang))
    _caption(doc, t("rep_table_caption", lang, period=content.period))
    _goals_table(doc, content)
    chart("ratios")
    chart("trends")

    _heading(doc, t("rep_sec_goals", lang))
    annual = content.group(GROUP_ANNUAL)
    if annual:
        _heading(doc, t("rep_sec_annual", lang), 2)
        for s in annual:
            _goal_paragraph(doc, s)
    _heading(doc, t("rep_sec_term", lang), 2)
    terms = content.group(GROUP_TERM)
    if terms:
        for s in terms:
            _goal_paragraph(doc, s)
        chart("term")
    else:
        _para(doc, t("rep_no_term_goals", lang))
    if content.qualitative:
        _heading(doc, t("rep_sec_qual", lang), 2)
        _qualitative_table(doc, content)

    _heading(doc, t("rep_sec_source", lang))
    _para(doc, content.made_text)
    _para(doc, content.source_text)
    if content.is_demo:
        _para(doc, content.demo_text, bold=True, colour=DEMO_RED)
    for note in content.notes:
        _para(doc, f"- {note}", size=13)
    _closing(doc, content)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render(content: ReportContent, charts: bool = True) -> tuple[bytes, int]:
    """The Word report, with its charts drawn where a browser is available; and how many
    charts it holds."""
    pictures: dict[str, bytes] = {}
    if charts and content.charts:
        drawn = images.render([c.picture for c in content.charts])
        if drawn:
            pictures = {c.key: png for c, png in zip(content.charts, drawn, strict=True)}
    return build(content, pictures), len(pictures)
