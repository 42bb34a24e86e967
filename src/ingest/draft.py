"""A resolution's own text → proposed goal rows (docs/resolutions.md, ``resolution draft``).

Pure: text in, data out; the standard library and the project's plain data types only (no
DuckDB, no Streamlit, no model). The reading is a chain of small rules, each a function
named for what it decides and tested on its own (tests/test_draft.py):

- :func:`normalise`: NFC; every span of a draft is an offset into the normalised text;
- :func:`paragraphs`, :func:`sentences`, :func:`clauses`: the text cut into lines, sentences
  and clauses (``;``, and a lead ending in ``:``);
- :func:`read_numbers` / :func:`parse_number`: numbers as Vietnamese writes them
  (``62.381``, ``02``, ``2,5``, ``1.234,5``) and ranges (``90 - 100``, ``8-9%``);
- :func:`non_target_reason`: what a number is when it is no target (a year, a date, a
  document number, an ordinal, a count of goals or programmes, a duration, a list marker, a
  number without a unit, …);
- :func:`is_past_narrative`: sentences about what was done, not what is aimed at;
- :func:`comparison_before` / :func:`comparison_after`: the comparison word right before
  the number (or "trở lên" right after it); none is ``>=``;
- :func:`period_phrases` / :func:`period_of`: what a target is judged over, the longer
  phrase winning;
- :func:`heading_over`: a heading sets ``over`` for the clauses after it;
- :func:`split_pieces` and :func:`is_of_which`: several targets in one clause, and the
  "trong đó" ones attached under the goal before;
- :func:`measure_of`, :func:`committee_rating`: ratio, sum, growth, the committee's rating;
- :func:`recognise`: the indicators counted, from the catalogue's names and a few known
  phrasings (empty when unsure);
- :func:`title_of`, :func:`resolution_facts`: a short title, the term and a name.

One module, past 400 lines, because it is one chain of small named rules (listed above),
each tested on its own, that share the clause and number types they pass along.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from src.domain.models import Indicator

# --- the result -------------------------------------------------------------------------

Span = tuple[int, int]


@dataclass(frozen=True)
class DraftRow:
    """One proposed goal: the goals sheet's columns it can fill, the clause it came from
    (``source_text``, at ``clause_span`` of the draft's text) and the target's own words
    (``span``: the comparison, the number and its unit, to highlight)."""

    code: str
    title_vi: str
    level: str  # org | root
    measure: str  # ratio | sum | rating | growth
    over: str  # year | term_total | term_average | by_end
    comparison: str  # >= > <= < between
    target: float
    target_max: float | None = None
    numerator: str = ""  # for rating: the rating indicators, separated by ", "
    denominator: str = ""
    parent: str = ""
    source_text: str = ""
    span: Span = (0, 0)
    clause_span: Span = (0, 0)

    @property
    def span_in_source(self) -> Span:
        """The target's span within ``source_text``."""
        start = self.clause_span[0]
        return (self.span[0] - start, self.span[1] - start)

    def as_dict(self) -> dict[str, Any]:
        """The row as the goals sheet names its columns, with ``text_vi`` (the wording),
        ``source_text`` and the spans: a plain dict an editable table can hold."""
        out = asdict(self)
        out["text_vi"] = self.source_text
        out["span"] = list(self.span)
        out["clause_span"] = list(self.clause_span)
        return out


@dataclass(frozen=True)
class ResolutionFacts:
    """What the text says of the resolution itself (None where it does not say)."""

    code: str
    name_vi: str
    term_start: int | None = None
    term_end: int | None = None
    term_span: Span | None = None
    name_span: Span | None = None


@dataclass(frozen=True)
class Draft:
    text: str  # the NFC text every span points into
    rows: tuple[DraftRow, ...]
    facts: ResolutionFacts

    def as_dicts(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in self.rows]


# --- normalising and folding ------------------------------------------------------------


def normalise(text: str) -> str:
    """NFC (text pasted from Word or a web page may carry combining tone marks); line ends
    as ``\\n``. Nothing else changes, so spans stay valid for display."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fold(text: str) -> str:
    """Lower case without diacritics (``đ`` → ``d``): how phrases and names are compared.
    The result has as many characters as the input (for one precomposed character)."""
    out = []
    for ch in text.lower():
        if ch == "đ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base)
    return "".join(out)


def _words(text: str) -> str:
    """Folded text with punctuation and numbers as single spaces (for name matching)."""
    folded = fold(text)
    folded = re.sub(r"[^a-z]+", " ", folded)
    return f" {folded.strip()} "


# --- splitting --------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-+•*–—]\s+|\(\d+\)\s+|[a-zđ]\)\s+|(?:\d+\.)+\d*\)?\s+|\d+\)\s+)")


def paragraphs(text: str) -> list[Span]:
    """Each non-empty line is a paragraph (published text puts one item, heading or
    paragraph per line); a leading bullet or item number is not part of it."""
    out = []
    at = 0
    for line in text.split("\n"):
        start, end = at, at + len(line)
        at = end + 1
        marker = _BULLET.match(line)
        if marker:
            start += marker.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*\s+(?=[\"“(]?[A-ZĐÀ-Ỹ])")


def sentences(text: str, span: Span) -> list[Span]:
    """A paragraph cut after ``.``, ``!``, ``?`` followed by a capital; a dot inside a
    number (``62.381``) or an abbreviation followed by a lower-case word does not cut."""
    start, end = span
    out = []
    at = start
    for m in _SENTENCE_END.finditer(text, start, end):
        piece_end = m.end()
        if _trim(text, (at, piece_end))[1] > _trim(text, (at, piece_end))[0]:
            out.append(_trim(text, (at, piece_end)))
        at = piece_end
    last = _trim(text, (at, end))
    if last[1] > last[0]:
        out.append(last)
    return out


def _trim(text: str, span: Span) -> Span:
    start, end = span
    while start < end and (text[start].isspace() or text[start] in ",;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;!?/"):
        end -= 1
    return start, end


@dataclass(frozen=True)
class Clause:
    span: Span
    heading: bool  # a lead ending in ":" (its clauses follow it)


def clauses(text: str, span: Span) -> list[Clause]:
    """A sentence cut at ``;``; the part before a ``:`` is a heading of the clauses after
    it ("phấn đấu hằng năm đạt các mục tiêu cụ thể: …")."""
    out: list[Clause] = []
    start, end = span
    colon = _heading_colon(text, span)
    if colon is not None:
        head = _trim(text, (start, colon))
        if head[1] > head[0]:
            out.append(Clause(head, True))
        start = colon + 1
    at = start
    for m in re.finditer(";", text[start:end]):
        piece = _trim(text, (at, start + m.start()))
        if piece[1] > piece[0]:
            out.append(Clause(piece, False))
        at = start + m.end()
    piece = _trim(text, (at, end))
    if piece[1] > piece[0]:
        out.append(Clause(piece, False))
    return out


def _heading_colon(text: str, span: Span) -> int | None:
    """The ``:`` that ends a heading: the first one not between digits (``10:30``) and not
    in "Views Today : 55"-like furniture (a colon right before a lone number)."""
    for m in re.finditer(":", text[span[0] : span[1]]):
        at = span[0] + m.start()
        before, after = text[at - 1 : at], text[at + 1 : at + 2]
        if before.isdigit() and after.isdigit():
            continue
        return at
    return None


# --- numbers ----------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_RANGE_JOIN = re.compile(r"\s*(?:%\s*)?(?:-|–|—|đến|tới)\s*")


def parse_number(raw: str) -> float:
    """A number as Vietnamese writes it: ``.`` groups thousands and ``,`` is the decimal
    comma (``62.381`` = 62381, ``1.234,5`` = 1234.5, ``2,5`` = 2.5, ``02`` = 2); a dot not
    followed by groups of three digits is a decimal point (``2.5``); several commas group
    thousands the English way (``1,234,567``)."""
    if "." in raw and "," in raw:
        return float(raw.replace(".", "").replace(",", "."))
    if "." in raw:
        head, *groups = raw.split(".")
        if all(len(g) == 3 for g in groups) and len(head) <= 3:
            return float(raw.replace(".", ""))
        return float(raw) if len(groups) == 1 else float(raw.replace(".", ""))
    if "," in raw:
        head, *groups = raw.split(",")
        if len(groups) > 1 and all(len(g) == 3 for g in groups):
            return float(raw.replace(",", ""))
        return float(raw.replace(",", ".", 1).replace(",", ""))
    return float(raw)


@dataclass(frozen=True)
class Number:
    """A number of the text: its value, where it is, and the number after a range dash
    (``90 - 100``: ``high`` = 100, ``span`` covers both)."""

    value: float
    span: Span
    raw: str
    high: float | None = None
    high_span: Span | None = None

    @property
    def end(self) -> int:
        return self.high_span[1] if self.high_span else self.span[1]


def read_numbers(text: str, span: Span) -> list[Number]:
    """The numbers in ``span``, a range (``90 - 100``, ``8-9%``, ``75 đến 80``) read as
    one number with its upper bound when the second is not below the first."""
    tokens = [(m.group(0), (m.start(), m.end())) for m in _NUMBER.finditer(text, span[0], span[1])]
    out: list[Number] = []
    i = 0
    while i < len(tokens):
        raw, sp = tokens[i]
        value = parse_number(raw)
        if i + 1 < len(tokens):
            raw2, sp2 = tokens[i + 1]
            join = _RANGE_JOIN.fullmatch(text, sp[1], sp2[0])
            value2 = parse_number(raw2)
            if (
                join
                and value2 >= value
                and not _is_year_token(raw)
                and not text[sp2[1] :].startswith("/")
            ):
                out.append(Number(value, sp, raw, value2, sp2))
                i += 2
                continue
        out.append(Number(value, sp, raw))
        i += 1
    return out


def _is_year_token(raw: str) -> bool:
    return raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100


# --- what is not a target ---------------------------------------------------------------

_YEAR_BEFORE = re.compile(
    r"(?:năm|nhiệm kỳ|giai đoạn|kỳ|khóa|khoá|đến|tới|từ|trước|sau|vào|cuối|đầu|tháng|"
    r"niên độ|tầm nhìn)\s*$",
    re.IGNORECASE,
)
_DOC_WORDS = (
    r"chỉ thị|nghị quyết|quyết định|nghị định|kết luận|hướng dẫn|quy định|thông tư|"
    r"thông báo|công văn|kế hoạch|luật|điều|khoản|điểm|mục|chương|phần|số|trung ương|"
    r"hội nghị|kỳ họp|lần thứ|thứ|khóa|khoá|đại hội|phụ lục|biểu|bảng"
)
_ORDINAL_BEFORE = re.compile(rf"(?:{_DOC_WORDS})\s*$", re.IGNORECASE)
_GOAL_COUNT_UNITS = (
    "chỉ tiêu",
    "mục tiêu",
    "chương trình",
    "nhiệm vụ",
    "khâu",
    "đột phá",
    "giải pháp",
    "nhóm",
    "nội dung",
    "đề án",
    "quan điểm",
    "phương hướng",
    "định hướng",
    "nghị quyết",
    "kế hoạch",
    "lĩnh vực",
    "trụ cột",
    "điểm nghẽn",
    "phong trào",
    "cuộc vận động",
    "năm",
    "tháng",
    "ngày",
    "tuần",
    "quý",
    "giờ",
    "lần",
    "kỳ",
    "khóa",
)
_PLAN_SHARE = re.compile(
    r"\s*%\s*(?:so với\s+)?(?:kế hoạch|chỉ tiêu|nghị quyết|kh\b|cùng kỳ)", re.IGNORECASE
)


def _next_words(text: str, at: int, n: int = 3) -> str:
    return " ".join(re.findall(r"[^\W\d_]+", text[at : at + 60])[:n]).lower()


def unit_after(text: str, number: Number) -> str:
    """What follows the number: ``%`` for a percentage, else its next words (the unit:
    ``đảng viên``, ``lớp``, ``triệu đồng``), ``""`` when none follows on the line."""
    rest = text[number.end :]
    m = re.match(r"[ \t\u00a0]*%", rest)
    if m:
        return "%"
    m = re.match(r"[ \t\u00a0]*([^\W\d_][^\s,;:.()]*(?:[ \t][^\W\d_][^\s,;:.()]*){0,2})", rest)
    return m.group(1).lower() if m else ""


def non_target_reason(text: str, number: Number) -> str | None:
    """Why a number is no target, or None: ``year``, ``date``, ``document``, ``ordinal``,
    ``goal_count`` ("31 chỉ tiêu", "04 chương trình", a duration "5 năm"), ``list_marker``,
    ``glued`` (COVID-19, 5G), ``plan_share`` ("đạt 104% kế hoạch": a past result),
    ``no_unit`` (furniture: "Views Today : 55", "005152")."""
    start, end = number.span
    before = text[max(0, start - 40) : start]
    after = text[number.end : number.end + 40]
    raw = number.raw
    if re.search(r"[^\W\d_]-?\Z", before) or re.match(r"[^\W\d_%]", after):
        return "glued"
    if re.search(r"\d\s*/\s*$", before) or re.match(r"/\d", after):
        return "date"
    if re.search(r"/\s*\Z", before):
        return "per"  # the base of a rate: "bác sĩ/1 vạn dân"
    if re.match(r"\s*[-/]\s*[A-ZĐ]", after) or re.search(r"[A-ZĐ]\s*/\s*$", before):
        return "document"
    if _is_year_token(raw):
        tail = after.lstrip()
        if _YEAR_BEFORE.search(before) or not tail or tail[0] in ",.;:)–-—":
            return "year"
        if re.search(r"\d{4}\s*[-–—]\s*$", before):
            return "year"
    if _ORDINAL_BEFORE.search(before):
        return "ordinal"
    if re.search(r"(?:^|\n)\s*(?:\d+\.)*$", before) and re.match(r"\.?\d*[.)]\s", after):
        return "list_marker"
    unit = unit_after(text, number)
    if unit != "%":
        first = unit.split(" ")
        for goal_unit in _GOAL_COUNT_UNITS:
            words = goal_unit.split(" ")
            if first[: len(words)] == words:
                return "goal_count"
    if _PLAN_SHARE.match(after):
        return "plan_share"
    if not unit:
        return "no_unit"
    if len(raw) > 3 and raw.startswith("0") and raw.isdigit():
        return "no_unit"  # a counter or a code, not a quantity
    return None


# --- narrative ----------------------------------------------------------------------------

_PAST = re.compile(
    r"\bđã\b|\bvừa qua\b|nhiệm kỳ qua|nhiệm kỳ trước|được\s+\d|đạt được|"
    r"vượt chỉ tiêu|kết quả đạt|\bhiện có\b|\bhiện nay\b|\btính đến\b|\bhiện đang\b",
    re.IGNORECASE,
)
_AIM = re.compile(r"phấn đấu|mục tiêu|chỉ tiêu\s+(?:cụ thể|chủ yếu)|\bcần đạt\b|\bphải đạt\b", re.I)
_TERM = re.compile(r"(?:nhiệm kỳ|giai đoạn)\s+(\d{4})\s*[-–—]\s*(\d{4})", re.IGNORECASE)


def is_past_narrative(sentence: str, term_start: int | None = None) -> bool:
    """A sentence about what was done ("đã", "nhiệm kỳ vừa qua", "kết nạp được 350",
    "hiện có", a term ending by the start of this one), unless it says what is aimed at
    ("phấn đấu", "mục tiêu")."""
    if _AIM.search(sentence):
        return False
    if _PAST.search(sentence):
        return True
    if term_start is not None:
        for m in _TERM.finditer(sentence):
            if int(m.group(2)) <= term_start:
                return True
    return False


# --- comparisons --------------------------------------------------------------------------

# (phrase, comparison), longest first: "không dưới" is ">=", not "dưới"
_BEFORE = sorted(
    [
        ("từ", ">="),
        ("ít nhất", ">="),
        ("ít nhất là", ">="),
        ("tối thiểu", ">="),
        ("tối thiểu là", ">="),
        ("không dưới", ">="),
        ("không thấp hơn", ">="),
        ("không ít hơn", ">="),
        ("trên", ">"),
        ("hơn", ">"),
        ("cao hơn", ">"),
        ("nhiều hơn", ">"),
        ("vượt", ">"),
        ("dưới", "<"),
        ("thấp hơn", "<"),
        ("ít hơn", "<"),
        ("chưa đến", "<"),
        ("không quá", "<="),
        ("không vượt quá", "<="),
        ("không vượt", "<="),
        ("không cao hơn", "<="),
        ("không nhiều hơn", "<="),
        ("tối đa", "<="),
        ("tối đa là", "<="),
        ("nhiều nhất", "<="),
        ("cao nhất", "<="),
    ],
    key=lambda p: -len(p[0]),
)
_FILLER = r"(?:\s+(?:mức|là|con số))?"


@dataclass(frozen=True)
class Comparison:
    op: str
    start: int  # where its words begin (the number's start when none)
    end: int  # where the target's words end ("trở lên" included)


def comparison_before(text: str, number: Number) -> tuple[str, int] | None:
    """The comparison word right before the number ("trên 90%", "không quá 1%"; the
    longer phrase wins), with where it starts; None when the word before is none (so
    "trên địa bàn" is no comparison: no number follows it)."""
    head = text[max(0, number.span[0] - 40) : number.span[0]]
    for phrase, op in _BEFORE:
        m = re.search(rf"(?:^|[^\w])({re.escape(phrase)}){_FILLER}\s*$", head, re.IGNORECASE)
        if m:
            return op, number.span[0] - len(head) + m.start(1)
    return None


def comparison_after(text: str, number: Number) -> tuple[str, int] | None:
    """ "trở lên" (``>=``) or "trở xuống" (``<=``) right after the number and its unit sign
    ("95% trở lên", "từ 1,5 tỷ đồng trở lên"), with where it ends."""
    m = re.match(
        r"\s*%?\s*(?:[^\W\d_]+\s+){0,3}?(trở lên|trở xuống)\b",
        text[number.end : number.end + 60],
        re.IGNORECASE,
    )
    if not m:
        return None
    return (">=" if m.group(1).lower() == "trở lên" else "<="), number.end + m.end(1)


def comparison_of(text: str, number: Number) -> Comparison:
    """The target's comparison: ``between`` for a range; else the word right before the
    number; else "trở lên"/"trở xuống" right after it; else ``>=`` (a bare number:
    "phấn đấu 85%", "đạt 180 triệu đồng", "khoảng 50%")."""
    before = comparison_before(text, number)
    after = comparison_after(text, number)
    end = _unit_end(text, number)
    start = before[1] if before else number.span[0]
    if after:
        end = max(end, after[1])
    if number.high is not None:
        return Comparison("between", start, end)
    if before and not (before[0] == ">=" and after):
        return Comparison(before[0], start, end)
    if after:
        return Comparison(after[0], start, end)
    if before:
        return Comparison(before[0], start, end)
    return Comparison(">=", start, end)


def _unit_end(text: str, number: Number) -> int:
    m = re.match(r"[ \t]*%(?:\s*/\s*năm)?", text[number.end :])
    return number.end + m.end() if m else number.end


# --- periods ------------------------------------------------------------------------------

_PERIODS: list[tuple[str, str]] = [
    (r"bình quân\s+(?:hằng|hàng|mỗi|một)\s+năm", "term_average"),
    (r"bình quân\s+(?:trong\s+)?(?:cả\s+|toàn\s+)?(?:nhiệm kỳ|giai đoạn)", "term_average"),
    (r"bình quân\s*/\s*năm", "term_average"),
    (r"bình quân\s+(?:trong\s+)?0?5\s+năm", "term_average"),
    (r"(?:vào\s+)?năm\s+\d{4}\s+(?:đạt|có)", "by_end"),
    (r"đến\s+(?:hết\s+|cuối\s+)?năm\s+\d{4}(?:\s+(?:đạt|có))?", "by_end"),
    (r"đến\s+(?:hết\s+|cuối\s+)?(?:năm cuối\s+)?nhiệm kỳ", "by_end"),
    (r"(?:trong\s+)?(?:cả|toàn|suốt)\s+nhiệm kỳ", "term_total"),
    (r"trong\s+nhiệm kỳ", "term_total"),
    (r"(?:trong\s+)?(?:cả\s+)?giai đoạn\s+\d{4}\s*[-–—]\s*\d{4}", "term_total"),
    (r"(?:trong\s+)?(?:0?5)\s+năm(?:\s+tới)?", "term_total"),
    (r"(?:hằng|hàng|mỗi|từng)\s+năm", "year"),
    (r"%\s*/\s*năm", "year"),
    (r"/\s*năm", "year"),
]


@dataclass(frozen=True)
class Period:
    over: str
    span: Span


def period_phrases(text: str, span: Span) -> list[Period]:
    """Every period phrase in ``span``, a phrase inside a longer one dropped ("hằng năm"
    in "bình quân hằng năm" is not ``year``)."""
    found: list[Period] = []
    for pattern, over in _PERIODS:
        for m in re.finditer(pattern, text[span[0] : span[1]], re.IGNORECASE):
            found.append(Period(over, (span[0] + m.start(), span[0] + m.end())))
    found.sort(key=lambda p: (p.span[0], -(p.span[1] - p.span[0])))
    kept: list[Period] = []
    for p in found:
        if any(k.span[0] <= p.span[0] and p.span[1] <= k.span[1] for k in kept):
            continue
        kept = [k for k in kept if not (p.span[0] <= k.span[0] and k.span[1] <= p.span[1])]
        kept.append(p)
    return kept


def period_of(text: str, span: Span, near: int | None = None) -> str | None:
    """What the words of ``span`` say a target is judged over (the phrase nearest to
    ``near``, the target, when there are several); None when they say nothing."""
    found = period_phrases(text, span)
    if not found:
        return None
    if near is None:
        return found[-1].over
    return min(found, key=lambda p: min(abs(p.span[0] - near), abs(p.span[1] - near))).over


_HEADING_WORDS = re.compile(r"mục tiêu|chỉ tiêu|phấn đấu|^\W*về\b", re.IGNORECASE)


def heading_over(
    text: str, clause: Clause, has_targets: bool, lead: Span, alone: bool = False
) -> str | None:
    """The ``over`` a heading sets for the clauses after it (until another sets another):
    a lead ending in ":", a short line without targets, a clause without targets
    that announces goals, or the words before a clause's first
    target that announce goals ("Về mục tiêu cả nhiệm kỳ, …", "… các chỉ tiêu hằng năm")."""
    if not has_targets:
        words = text[clause.span[0] : clause.span[1]]
        short_line = alone and len(words.split()) <= 12
        if clause.heading or short_line or _HEADING_WORDS.search(words):
            return period_of(text, clause.span)
        return None
    words = text[lead[0] : lead[1]]
    if _HEADING_WORDS.search(words):
        return period_of(text, lead)
    return None


# --- pieces and "of which" ----------------------------------------------------------------

_OF_WHICH = re.compile(r"\btrong đó\b", re.IGNORECASE)


def split_pieces(text: str, clause: Span, starts: Sequence[int], ends: Sequence[int]) -> list[Span]:
    """The clause cut into one piece per target: each new piece begins at the last
    "trong đó", else the last comma, else the last " và ", between the previous target and
    this one's words (``starts``/``ends``: the targets' spans, in order)."""
    cuts = [clause[0]]
    for i in range(1, len(starts)):
        gap = (ends[i - 1], starts[i])
        segment = text[gap[0] : gap[1]]
        of_which = list(_OF_WHICH.finditer(segment))
        comma = [m for m in re.finditer(r"[,;]", segment)]
        joint = list(re.finditer(r"\svà\s", segment))
        if of_which:
            cut = gap[0] + of_which[-1].start()
        elif comma:
            cut = gap[0] + comma[-1].end()
        elif joint:
            cut = gap[0] + joint[-1].end()
        else:
            cut = starts[i]
        cuts.append(cut)
    cuts.append(clause[1])
    return [_trim(text, (cuts[i], cuts[i + 1])) for i in range(len(starts))]


def is_of_which(text: str, piece: Span) -> bool:
    """Whether a piece is an "of which" part of the goal before it ("trong đó 20% …")."""
    return bool(re.match(r"\W*trong đó\b", text[piece[0] : piece[1]], re.IGNORECASE))


# --- measures -------------------------------------------------------------------------------

_GROWTH = re.compile(
    r"tăng trưởng|tốc độ tăng|\btăng\s+(?:bình quân\s+|trung bình\s+)?(?:hằng năm\s+|"
    r"mỗi năm\s+)?(?:từ\s+|trên\s+|ít nhất\s+|khoảng\s+)?$",
    re.IGNORECASE,
)


def measure_of(text: str, piece: Span, number: Number, unit: str) -> str:
    """``growth`` for a percentage of growth ("tăng trưởng … 8-9%/năm", "tăng 10% so với
    năm trước"); ``ratio`` for another percentage; ``sum`` for a count or an amount."""
    if unit != "%":
        return "sum"
    before = text[piece[0] : number.span[0]]
    after = text[number.end : min(piece[1], number.end + 40)]
    if re.search(r"tăng trưởng|tốc độ tăng", before, re.IGNORECASE):
        return "growth"
    if _GROWTH.search(before[-40:]):
        return "growth"
    if re.search(r"tăng\b", before, re.IGNORECASE) and re.match(
        r"\s*%\s*(?:/\s*năm|so với (?:năm trước|cùng kỳ))", after, re.IGNORECASE
    ):
        return "growth"
    return "ratio"


_RATING_LEVELS = [
    (r"hoàn thành xuất sắc nhiệm vụ", 1.0),
    (r"hoàn thành tốt nhiệm vụ", 2.0),
    (r"(?<!không )hoàn thành nhiệm vụ", 3.0),
]
_COMMITTEE = re.compile(
    r"\btập thể\b|ban thường vụ|ban chấp hành|\bđảng ủy\b|\bđảng uỷ\b|\bđảng bộ\b",
    re.IGNORECASE,
)


def rating_level(words: str) -> tuple[float, Span] | None:
    """The rating level a phrase names (1 xuất sắc, 2 tốt, 3 hoàn thành) and its span
    ("trở lên" included)."""
    for pattern, level in _RATING_LEVELS:
        m = re.search(pattern + r"(?:\s+trở lên)?", words, re.IGNORECASE)
        if m:
            return level, (m.start(), m.end())
    return None


def committee_rating(
    text: str, clause: Span, numbers: Sequence[Number]
) -> tuple[float, Span] | None:
    """The committee's own collective rating ("tập thể Ban Thường vụ … hoàn thành tốt
    nhiệm vụ trở len"): a rating phrase about the committee's bodies, with no target
    number in the clause; its level and span."""
    if numbers:
        return None
    words = text[clause[0] : clause[1]]
    found = rating_level(words)
    if found is None:
        return None
    subject = words[: found[1][0]]
    if not _COMMITTEE.search(subject):
        return None
    if re.search(r"\b(?:chi bộ|tổ chức cơ sở|đảng viên|cơ sở đảng)\b", subject, re.IGNORECASE):
        return None
    level, (s, e) = found
    return level, (clause[0] + s, clause[0] + e)


# --- indicators ---------------------------------------------------------------------------

_ABBREVIATIONS = {
    "llct": "ly luan chinh tri",
    "tn": "thanh nien",
    "ccb": "cuu chien binh",
    "cbccvc": "can bo cong chuc vien chuc",
    "tcco": "to chuc co so",
    "tcd": "to chuc dang",
    "nv": "nhiem vu",
}
_NAME_LEAD = re.compile(r"^ (?:tong so luong|tong so|so luong|so|ty le|tong) ")


def _name_words(name: str) -> str:
    words = _words(name)
    for short, long in _ABBREVIATIONS.items():
        words = words.replace(f" {short} ", f" {long} ")
    return _NAME_LEAD.sub(" ", words)


def _available(indicators: Iterable[Indicator]) -> dict[str, Indicator]:
    return {i.code: i for i in indicators}


@dataclass(frozen=True)
class Subject:
    """What a piece counts, as a word: ``members``, ``orgs``, ``mass_orgs``, ``staff``,
    ``units`` (or ``""``)."""

    kind: str


def subject_of(words: str) -> str:
    """Who is counted, from the folded words of a piece (the more specific first)."""
    if re.search(r" cong doan | doan thanh nien | cuu chien binh | doan the | mat tran ", words):
        return "mass_orgs"
    if re.search(r" cong chuc | vien chuc | lao dong tien tien | chien si thi dua ", words):
        return "staff"
    if re.search(r" co quan | doanh nghiep | chuan van hoa ", words):
        return "units"
    if re.search(
        r" chi bo | dang bo co so | to chuc co so dang | to chuc dang | co so dang | chi dang bo ",
        words,
    ):
        return "orgs"
    if " dang vien " in words:
        return "members"
    return ""


def _expr_ok(expr: str, known: Mapping[str, Indicator]) -> bool:
    codes = re.findall(
        r"[a-z][a-z0-9_]*(?=@|\b)", re.sub(r"count\(|@\w+|<=|>=|=|<|>|\d+", " ", expr)
    )
    return bool(codes) and all(c in known for c in codes)


def _known_phrasing(
    words: str, measure: str, subject: str, parent_num: str, of_which: bool
) -> tuple[str, str] | None:
    """The numerator and denominator of the phrasings every committee uses for the
    contract's indicators (docs/data-contract.md); None when none applies."""
    excellent = " hoan thanh xuat sac nhiem vu " in words
    good = " hoan thanh tot nhiem vu " in words
    failed = " khong hoan thanh nhiem vu " in words
    if measure == "sum":
        if " ket nap " in words and " dang vien " in words and " lop " not in words:
            return "new_members", ""
        return None
    if measure != "ratio":
        return None
    if " ket nap " in words and " dang vien " in words:
        if " dau nam " in words:
            return "new_members", "members_total@prev"
        if " dau nhiem ky " in words:
            return "new_members", "members_total@base"
        return "new_members", ""
    if subject == "members":
        if excellent:
            den = parent_num if of_which and parent_num else "members_rated"
            return "members_excellent", den
        if good:
            return "members_excellent + members_good", "members_rated"
        if failed:
            return "members_not_completed", "members_rated"
        if re.search(r" hoc tap | quan triet | nghien cuu ", words):
            return "members_studied", "members_total"
    if subject == "orgs":
        if " kiem tra " in words or " giam sat " in words:
            return "inspected", "count(inspected)"
        if excellent:
            den = parent_num if of_which and parent_num else "count(org_rating)"
            return "count(org_rating = 1)", den
        if good:
            return "count(org_rating <= 2)", "count(org_rating)"
        if failed:
            return "count(org_rating = 4)", "count(org_rating)"
    if subject == "mass_orgs" and (good or excellent):
        return "mass_orgs_good", "mass_orgs_total"
    return None


def _by_name(words: str, measure: str, known: Mapping[str, Indicator]) -> tuple[str, str] | None:
    """An indicator whose name (its leading "Số"/"Tổng số" aside, abbreviations spelled
    out) the piece contains word for word, or whose acronym in parentheses ("(GRDP)") it
    names; the longest name wins; a tie is no answer. A ratio's denominator is the whole
    the indicator is part of, when the catalogue says."""
    found: list[tuple[int, Indicator]] = []
    for i in known.values():
        if i.value_type == "rating":
            continue
        name = _name_words(i.name_vi)
        acronyms = [fold(a) for a in re.findall(r"\(([A-ZĐ]{2,})\)", i.name_vi)]
        if len(name.split()) >= 3 and name in words:
            found.append((len(name), i))
        elif any(f" {a} " in words for a in acronyms):
            found.append((1, i))
    if not found:
        return None
    found.sort(key=lambda f: -f[0])
    if len(found) > 1 and found[0][0] == found[1][0]:
        return None
    best = found[0][1]
    if measure == "ratio":
        return best.code, best.part_of or ""
    return best.code, ""


def recognise(
    text: str,
    piece: Span,
    measure: str,
    indicators: Sequence[Indicator],
    parent: DraftRow | None = None,
    parent_piece: Span | None = None,
) -> tuple[str, str]:
    """The numerator and denominator of a piece, where it is clear what is counted: the
    known phrasings of the contract's indicators first, then the catalogue's names. An
    "of which" piece reads as a share of its parent's group (its denominator is the
    parent's numerator). Empty where unsure: an empty cell is better than a wrong one."""
    known = _available(indicators)
    words = _words(text[piece[0] : piece[1]])
    of_which = parent is not None
    subject = subject_of(words)
    if not subject and parent_piece is not None:
        subject = subject_of(_words(text[parent_piece[0] : parent_piece[1]]))
    parent_num = parent.numerator if parent is not None else ""
    found = _known_phrasing(words, measure, subject, parent_num, of_which)
    if found is None:
        found = _by_name(words, measure, known)
        if found is not None and of_which and parent_num and measure == "ratio":
            found = (found[0], parent_num)
    if found is None:
        return "", ""
    num, den = found
    num = num if num and _expr_ok(num, known) else ""
    den = den if den and num and _expr_ok(den, known) else ""
    if measure != "ratio":
        den = ""
    return num, den


def rating_indicators(text: str, clause: Span, indicators: Sequence[Indicator]) -> str:
    """The rating indicators a committee-rating clause names: the Standing Committee's
    ("Ban Thường vụ") and the committee's own ("Đảng bộ", "Ban Chấp hành", "Đảng ủy")."""
    words = _words(text[clause[0] : clause[1]])
    ratings = [i for i in indicators if i.value_type == "rating" and i.level == "root"]
    out = []
    for i in ratings:
        name = _name_words(i.name_vi).replace(" xep loai ", " ").replace(" tap the ", " ")
        named = bool(name.strip()) and name in words
        body = name.strip() == "dang bo" and re.search(r" ban chap hanh | dang uy ", words)
        if named or body:
            out.append(i.code)
    return ", ".join(out)


def level_of(numerator: str, denominator: str, indicators: Sequence[Indicator]) -> str:
    """``root`` when every indicator a goal reads is reported by the committee itself (its
    rating, its classes), else ``org``."""
    known = _available(indicators)
    codes = re.findall(r"[a-z][a-z0-9_]*", re.sub(r"count|@\w+", " ", f"{numerator} {denominator}"))
    found = [known[c] for c in codes if c in known]
    if found and all(i.level == "root" for i in found):
        return "root"
    return "org"


def with_indicators(
    row: DraftRow, numerator: str, denominator: str, indicators: Sequence[Indicator]
) -> DraftRow:
    """The row with the indicators a user picked, its level following them."""
    level = level_of(numerator, denominator, indicators)
    return replace(row, numerator=numerator, denominator=denominator, level=level)


# --- titles and the resolution's facts ----------------------------------------------------

_LEAD_VERB = re.compile(r"^.*\bphấn đấu\b\s*(?:(?:đạt|để|có)\b\s*)?", re.IGNORECASE | re.DOTALL)
TITLE_MAX = 90


def title_of(text: str, piece: Span, target: Span, of_which: bool) -> str:
    """A short title: the piece without its lead ("… phấn đấu"), its target words and its
    period words, "Trong đó: " before an "of which" one, cut at a word near 90 characters."""
    head, tail = text[piece[0] : target[0]], text[target[1] : piece[1]].strip()
    verb = re.search(r"\s(?:đạt|là|còn|ở mức)\s*$", head, re.IGNORECASE)
    if verb and tail and len(tail.split()) <= 3 and not tail.startswith(("%", "/")):
        words = f"{head[: verb.start()]} ({tail})"  # "Thu ngân sách (tỷ đồng)"
    else:
        words = f"{head} {tail}"
    words = re.sub(r"\btrong đó\b\s*(?:có\s+)?", " ", words, count=1, flags=re.IGNORECASE)
    words = _LEAD_VERB.sub("", words)
    for pattern, _ in _PERIODS:
        words = re.sub(pattern, " ", words, flags=re.IGNORECASE)
    words = re.sub(r"\s+", " ", words).strip(" ,;:.-–")
    words = re.sub(r"\s+([,;.])", r"\1", words)
    words = re.sub(r"^(?:đạt|là|có|còn|ở mức)\s+", "", words, flags=re.IGNORECASE)
    words = re.sub(r"\s+(?:đạt|là|còn|ở mức)$", "", words, flags=re.IGNORECASE)
    if len(words) > TITLE_MAX:
        cut = words.rfind(" ", 0, TITLE_MAX)
        words = words[: cut if cut > 0 else TITLE_MAX].rstrip(" ,;") + "…"
    if words:
        words = words[0].upper() + words[1:]
    if of_which:
        words = f"Trong đó: {words[:1].lower() + words[1:]}" if words else "Trong đó"
    return words


_NAME = re.compile(
    r"Nghị quyết\s+(?:Đại hội[^,.;:()\n]{0,160}?|[^,.;:()\n]{0,160}?)"
    r"lần thứ\s+[IVXLC\d]+,?\s+nhiệm kỳ\s+(\d{4})\s*[-–—]\s*(\d{4})",
)
_CONGRESS = re.compile(
    r"Đại hội(?: đại biểu)?\s+[^,.;:()\n]{0,120}?lần thứ\s+[IVXLC\d]+,?\s+nhiệm kỳ\s+"
    r"(\d{4})\s*[-–—]\s*(\d{4})",
    re.IGNORECASE,
)


def resolution_facts(text: str) -> ResolutionFacts:
    """The term (the latest "nhiệm kỳ YYYY-YYYY" the text names: a resolution looks
    ahead), a name (the "Nghị quyết … lần thứ …, nhiệm kỳ …" or "Đại hội … lần thứ …"
    the text names for that term, else "Nghị quyết nhiệm kỳ YYYY-YYYY") and a code
    ``NQ-YYYY-YYYY`` (to change before installing if another resolution has it)."""
    terms = [
        (int(m.group(1)), int(m.group(2)), (m.start(), m.end()))
        for m in re.finditer(r"nhiệm kỳ\s+(\d{4})\s*[-–—]\s*(\d{4})", text, re.IGNORECASE)
        if int(m.group(1)) < int(m.group(2)) <= int(m.group(1)) + 10
    ]
    if not terms:
        return ResolutionFacts("NQ-DU-THAO", "Nghị quyết (dự thảo từ văn bản)")
    start, end, span = max(terms, key=lambda t: (t[1], -t[2][0]))
    for pattern, prefix in ((_NAME, ""), (_CONGRESS, "Nghị quyết ")):
        for m in pattern.finditer(text):
            if (int(m.group(1)), int(m.group(2))) == (start, end):
                name = re.sub(r"\s+", " ", prefix + m.group(0)).strip()
                return ResolutionFacts(
                    f"NQ-{start}-{end}", name, start, end, span, (m.start(), m.end())
                )
    return ResolutionFacts(
        f"NQ-{start}-{end}", f"Nghị quyết nhiệm kỳ {start}-{end}", start, end, span
    )


# --- the whole reading ----------------------------------------------------------------------

_GOAL_WORDS = re.compile(
    r"phấn đấu|chỉ tiêu|mục tiêu|\bđạt\b|kết nạp|\bmở\b|tỷ lệ|tỉ lệ|\btăng\b|\bgiảm\b|"
    r"trở lên|trở xuống|ít nhất|tối thiểu|tối đa|không quá|bình quân|\d\s*%",
    re.IGNORECASE,
)


_ANNOUNCES = re.compile(r"mục tiêu|chỉ tiêu|phấn đấu", re.IGNORECASE)


@dataclass
class _Target:
    number: Number
    comparison: Comparison
    unit: str


@dataclass
class _State:
    scope: str | None = None  # set by the last heading
    goals_seen: bool = False  # a heading announced goals
    rows: list[DraftRow] = field(default_factory=list)
    pieces: dict[str, Span] = field(default_factory=dict)
    top: int = 0
    children: dict[str, int] = field(default_factory=dict)


def _targets(text: str, clause: Span) -> list[_Target]:
    out = []
    for number in read_numbers(text, clause):
        if non_target_reason(text, number) is not None:
            continue
        comparison = comparison_of(text, number)
        out.append(_Target(number, comparison, unit_after(text, number)))
    return out


def draft(text: str, indicators: Sequence[Indicator]) -> Draft:
    """The goals a resolution's text sets, one row per quantitative target (see the module's
    rules), with the resolution's facts."""
    text = normalise(text)
    facts = resolution_facts(text)
    state = _State()
    for paragraph in paragraphs(text):
        local: str | None = None  # what a lead says for the rest of its paragraph
        for sentence in sentences(text, paragraph):
            words = text[sentence[0] : sentence[1]]
            if is_past_narrative(words, facts.term_start):
                continue
            context = state.goals_seen or bool(_GOAL_WORDS.search(words))
            for clause in clauses(text, sentence):
                targets = _targets(text, clause.span) if context else []
                lead = (clause.span[0], targets[0].comparison.start) if targets else clause.span
                rated = (
                    committee_rating(text, clause.span, [t.number for t in targets])
                    if context
                    else None
                )
                alone = clause.span == _trim(text, paragraph)
                said = heading_over(text, clause, bool(targets or rated), lead, alone)
                if said is not None:
                    state.scope = said
                elif targets:
                    local = period_of(text, lead) or local
                announcing = clause.span if clause.heading or not targets else lead
                if _ANNOUNCES.search(text[announcing[0] : announcing[1]]):
                    state.goals_seen = True
                if rated is not None:
                    _add_rating(text, clause.span, rated, local, state, indicators)
                    continue
                if not targets:
                    continue
                _add_targets(text, clause.span, targets, local, state, indicators)
    return Draft(text, tuple(state.rows), facts)


def _next_code(state: _State, parent: DraftRow | None) -> str:
    if parent is None:
        state.top += 1
        return f"A{state.top}"
    n = state.children.get(parent.code, 0)
    state.children[parent.code] = n + 1
    return parent.code + "abcdefghijklmnopqrstuvwxyz"[n % 26] + ("" if n < 26 else str(n // 26))


def _add_rating(
    text: str,
    clause: Span,
    rated: tuple[float, Span],
    local: str | None,
    state: _State,
    indicators: Sequence[Indicator],
) -> None:
    level, span = rated
    over = period_of(text, clause, span[0]) or local or state.scope or "year"
    row = DraftRow(
        code=_next_code(state, None),
        title_vi=title_of(text, clause, (span[0], span[0]), False),
        level="root",
        measure="rating",
        over=over if over in ("year", "by_end") else "year",
        comparison="<=",
        target=level,
        numerator=rating_indicators(text, clause, indicators),
        source_text=text[clause[0] : clause[1]],
        span=span,
        clause_span=clause,
    )
    state.rows.append(row)
    state.pieces[row.code] = clause


def _add_targets(
    text: str,
    clause: Span,
    targets: list[_Target],
    local: str | None,
    state: _State,
    indicators: Sequence[Indicator],
) -> None:
    starts = [t.comparison.start for t in targets]
    ends = [t.comparison.end for t in targets]
    pieces = split_pieces(text, clause, starts, ends)
    for target, piece in zip(targets, pieces, strict=True):
        number = target.number
        span = (target.comparison.start, target.comparison.end)
        of_which = is_of_which(text, piece)
        parent = next((r for r in reversed(state.rows) if not r.parent), None) if of_which else None
        measure = measure_of(text, piece, number, target.unit)
        own = period_of(text, piece, number.span[0])
        over = own or (parent.over if parent else None) or local or state.scope or "year"
        if measure == "growth" and over == "term_total":
            over = "year"
        parent_piece = state.pieces.get(parent.code) if parent else None
        num, den = recognise(text, piece, measure, indicators, parent, parent_piece)
        row = DraftRow(
            code=_next_code(state, parent),
            title_vi=title_of(text, piece, span, of_which),
            level=level_of(num, den, indicators),
            measure=measure,
            over=over,
            comparison=target.comparison.op,
            target=number.value,
            target_max=number.high,
            numerator=num,
            denominator=den,
            parent=parent.code if parent else "",
            source_text=text[piece[0] : piece[1]],
            span=span,
            clause_span=piece,
        )
        state.rows.append(row)
        state.pieces[row.code] = piece


__all__ = [
    "Draft",
    "DraftRow",
    "ResolutionFacts",
    "clauses",
    "committee_rating",
    "comparison_of",
    "draft",
    "fold",
    "heading_over",
    "is_of_which",
    "is_past_narrative",
    "level_of",
    "measure_of",
    "non_target_reason",
    "normalise",
    "paragraphs",
    "parse_number",
    "period_of",
    "read_numbers",
    "recognise",
    "resolution_facts",
    "sentences",
    "split_pieces",
    "title_of",
    "with_indicators",
]
