"""Widgets shared by the pages: language, filters, the demo banner, goal cards.

One module, past 400 lines, because each widget is a short Streamlit wrapper that every page
shares (filters, pickers, cards, footers); none reaches into another.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.uploaded_file_manager import UploadedFile

from src.domain.models import Goal, Resolution
from src.domain.rows import ProgressRow
from src.i18n import escape_markdown, fmt_date, fmt_num, t
from src.ingest.errors import Problem
from src.ui import cache
from src.views import charts
from src.views.cell_view import Window
from src.views.overview import STATUS_BADGE, GoalCard

LANG_OPTIONS = {"vi": "Tiếng Việt", "en": "English"}
# The cell box lists every cell up to this many (about 40 bytes each sent with every page:
# 2,000 cells, a province, sent 78 KB more per page view, most of what the page sent); past
# it, the box takes typed codes and a sector group narrows the list back under it.
MAX_CELL_OPTIONS = 300
# Charts drawn without Plotly's interaction layers: faster to draw, and every value they
# show is also written beside them (labels, tables).
STATIC = {"staticPlot": True}
# A local favicon: a Material icon as page_icon would be fetched from fonts.gstatic.com.
ICON = Path(__file__).resolve().parent / "assets" / "icon.png"


PENDING = "pending-"  # a widget value handed to the next page (open_clicked_goal)


def _from_address(key: str, options: Collection[str], multi: bool) -> None:
    """On a page's first run, take a widget's value from the page address (codes, not
    labels, so a link is short and the same in both languages)."""
    pending = st.session_state.pop(PENDING + key, None)  # set by a link drawn on another page
    if pending is not None:
        st.session_state[key] = [v for v in pending if v in options] if multi else pending
        return
    if key in st.session_state or key not in st.query_params:
        return
    wanted = [v for v in st.query_params.get_all(key) if v in options]
    if multi:
        st.session_state[key] = wanted
    elif wanted:
        st.session_state[key] = wanted[0]


def _to_address(key: str, value: object, default: object = None) -> None:
    """Keep the page address in step with a widget, so the view can be shared as a link."""
    wanted = (
        []
        if value in (None, [], default)
        else ([str(v) for v in value] if isinstance(value, list) else [str(value)])
    )
    if st.query_params.get_all(key) == wanted:
        return  # unchanged: writing it anyway would make the browser navigate again
    if not wanted:
        del st.query_params[key]
    else:
        st.query_params[key] = wanted if len(wanted) > 1 else wanted[0]


def lang() -> str:
    """The reader's language (chosen in the sidebar by the frame; Vietnamese by default)."""
    value = st.session_state.get("lang") or "vi"
    return "en" if value == "en" else "vi"


def language_switch() -> str:
    _from_address("lang", list(LANG_OPTIONS), multi=False)
    value = st.sidebar.segmented_control(
        t("language", "vi"),
        options=list(LANG_OPTIONS),
        format_func=lambda k: LANG_OPTIONS[k],
        default="vi",
        required=True,
        key="lang",
    )
    _to_address("lang", value, "vi")
    return lang()


CARD_CSS = """
<style>
/* goal cards: titles take the same height so gauges line up across a row */
div[class*="st-key-goal-"] [data-testid="stMarkdown"]:first-of-type p { min-height: 3.9em; }
</style>
"""


# Words Streamlit writes in English whatever the page's language, outside any one widget's
# box: each drawn over in the reader's words (see _drawn_over).
STREAMLIT_WORDS = {'[role="option"][data-key="__select_all__"] > div': "select_all"}


def _drawn_over(selector: str, text: str) -> str:
    """CSS that hides the text of the elements of ``selector`` and shows ``text`` (one of our
    strings, never a user's) in its place."""
    return (
        f"{selector} {{ font-size: 0; }}"
        f" {selector}::after {{ content: {json.dumps(text, ensure_ascii=False)};"
        " font-size: 0.875rem; }"
    )


def page_style(lg: str) -> None:
    words = (
        ""
        if lg == "en"
        else "".join(_drawn_over(sel, t(key, lg)) for sel, key in STREAMLIT_WORDS.items())
    )
    st.html(CARD_CSS + (f"<style>{words}</style>" if words else ""))


def scroll_wide(key: str, min_px: int) -> DeltaGenerator:
    """A box of at least ``min_px`` pixels' width for a chart (Streamlit keeps a chart within
    its box): on a narrower screen (a phone) the box scrolls sideways, not the page."""
    style = (
        f".st-key-{key} {{ min-width: {int(min_px)}px; }}"
        f" div:has(> .st-key-{key}) {{ overflow-x: auto; }}"
    )
    st.html(f"<style>{style}</style>")
    return st.container(key=key)


def column_widths(widths: dict[str, int]) -> dict[str, Any]:
    """A table's ``column_config`` giving these columns their widths in pixels."""
    return {name: st.column_config.Column(width=px) for name, px in widths.items()}


def lazy_tabs(key: str, labels: list[str]) -> list[Any]:
    """Tabs that can wait until opened: a click on one reruns the page with it open
    (``tab.open``). A page draws such a tab's content under ``if tab.open``, and a tab whose
    widgets must keep their state (a file chosen) always, since Streamlit forgets the state
    of a widget a run does not draw. The open tab is kept in the session under ``key`` (set
    it there to open one from code or a test)."""
    return list(st.tabs(labels, key=key, on_change="rerun"))


def refused(problems: Iterable[Problem], lg: str) -> None:
    """Why a write was refused, one problem a line, as text (a file's words are never
    Markdown)."""
    for problem in problems:
        st.error(escape_markdown(problem.render(lg)))


def flash(key: str, text: str) -> None:
    """Rerun the page, saying ``text`` once on the run after (:func:`flashed`)."""
    st.session_state[key] = text
    st.rerun()


def flashed(key: str, icon: str = ":material/check_circle:") -> None:
    """What the run before said with :func:`flash` under ``key``, once."""
    if key in st.session_state:
        st.success(st.session_state.pop(key), icon=icon)


def file_box(
    label: str, types: list[str], key: str, lg: str, max_mb: int | None = None
) -> UploadedFile | None:
    """``st.file_uploader`` of these file types (and, with ``max_mb``, that limit) in the
    reader's language. Streamlit writes its box's button ("Upload") and limit ("64MB per
    file") in English whatever the page's language: for a Vietnamese reader they are drawn
    over in his words (CSS ``content``; our own strings, never a user's)."""
    if lg != "en":
        mb = max_mb or int(st.get_option("server.maxUploadSize"))
        limit = t("uploader_limit", lg, mb=mb, types=", ".join(x.upper() for x in types))
        words = {
            "button p": t("uploader_button", lg),
            '[data-testid="stFileUploaderDropzoneInstructions"] span': limit,
        }
        box = f'.st-key-{key} [data-testid="stFileUploaderDropzone"]'
        st.html(
            "<style>"
            + "".join(_drawn_over(f"{box} {part}", text) for part, text in words.items())
            + "</style>"
        )
    return st.file_uploader(label, type=types, key=key, max_upload_size=max_mb)


def demo_banner(lg: str) -> None:
    if cache.meta().is_demo:
        st.warning(t("demo_banner", lg), icon=":material/warning:")


@dataclass(frozen=True)
class Filters:
    resolution: Resolution
    year: int
    org_codes: list[str] | None  # None: the whole committee
    label: str

    def caption(self, lg: str) -> str:
        """Resolution, year and selection, under a page's title."""
        return t(
            "overview_caption",
            lg,
            resolution=self.resolution.short(lg),
            year=self.year,
            selection=escape_markdown(self.label),
        )


def _keep_resolution() -> None:
    st.session_state["res_chosen"] = st.session_state.get("res")


def chosen_resolution(lg: str) -> Resolution:
    """The resolution the reader follows: the default one until another is chosen in the
    sidebar (offered when several are installed). The choice is kept apart from the widget
    (``res_chosen``) and given back to it on every page, since Streamlit forgets a page's
    widgets when the reader goes to another page; kept in the page address too."""
    resolutions = cache.meta().resolutions
    if len(resolutions) < 2:
        return resolutions[0]
    codes = [r.code for r in resolutions]
    _from_address("res", codes, multi=False)
    kept = st.session_state.get("res_chosen")
    if kept in codes and st.session_state.get("res") != kept:
        st.session_state["res"] = kept
    if st.session_state.get("res") not in codes:
        st.session_state["res"] = codes[0]
    chosen = st.sidebar.selectbox(
        t("resolution", lg),
        codes,
        format_func=lambda c: next(r.short(lg) for r in resolutions if r.code == c),
        key="res",
        on_change=_keep_resolution,
    )
    st.session_state["res_chosen"] = chosen
    _to_address("res", chosen, codes[0])
    return next(r for r in resolutions if r.code == chosen)


def sidebar_filters(lg: str) -> Filters:
    """Resolution (when several), year, sector groups and cells; kept in the page address."""
    meta = cache.meta()
    sb = st.sidebar
    sb.header(t("filters", lg))
    resolution = chosen_resolution(lg)
    years = list(resolution.term_years)
    with_data = [y for y in meta.years_with_data if y in years]
    default_year = max(with_data) if with_data else years[0]
    _from_address("year", [str(y) for y in years], multi=False)
    if isinstance(st.session_state.get("year"), str):
        st.session_state["year"] = int(st.session_state["year"])
    if "year" in st.session_state and st.session_state["year"] not in years:
        st.session_state["year"] = default_year  # a year of another resolution's term
    year = sb.selectbox(t("year", lg), years, index=years.index(default_year), key="year")
    _to_address("year", year, default_year)
    active = cache.active_units(int(year))
    units = active.units
    groups = sorted(g for g in units["group"].dropna().unique())
    chosen_groups: list[str] = []
    if groups:
        _from_address("groups", groups, multi=True)
        chosen_groups = sb.multiselect(
            t("groups", lg), groups, key="groups", placeholder=t("cells_all", lg)
        )
        _to_address("groups", chosen_groups)
    pool = units[units["group"].isin(chosen_groups)] if chosen_groups else units
    names = meta.names
    pool_codes = frozenset(pool["org_code"].tolist()) if chosen_groups else active.codes
    # A list of thousands of cells is no use to read, and is sent with every page: past
    # MAX_CELL_OPTIONS the box takes typed codes (checked) and lists only those chosen.
    large = len(pool) > MAX_CELL_OPTIONS
    if large:
        cells = _typed_cells(len(pool), lg)
    else:
        _from_address("cells", meta.unit_codes, multi=True)
        if "cells" in st.session_state:  # a group filter may have removed chosen cells
            st.session_state["cells"] = [c for c in st.session_state["cells"] if c in pool_codes]
        cells = sb.multiselect(
            t("cells", lg),
            list(pool["org_code"]),
            format_func=lambda c: f"{names.get(c, c)} ({c})",
            key="cells",
            help=t("cells_help", lg),
            placeholder=t("cells_all", lg),
        )
    unknown = [c for c in cells if c not in pool_codes]
    if unknown:
        sb.warning(t("cells_unknown", lg, codes=escape_markdown(", ".join(unknown))))
        cells = [c for c in cells if c in pool_codes]
    _to_address("cells", cells)
    cells = cells or (list(pool["org_code"]) if chosen_groups else [])
    if cells:
        label = names[cells[0]] if len(cells) == 1 else t("selection_n", lg, n=len(cells))
        return Filters(resolution, int(year), sorted(cells), label)
    return Filters(resolution, int(year), None, t("selection_all", lg))


TYPED_KEY = "cells_text"
MAX_TYPED_CELLS = 50  # codes read from the box: a selection to look at, not a list to paste


def _typed_cells(pool_size: int, lg: str) -> list[str]:
    """Past MAX_CELL_OPTIONS: the cell box is a text box of codes, separated by commas or
    spaces. A multiselect of only the chosen codes loses what is typed: its options change
    with the choice, and a widget whose options change is a new widget to Streamlit."""
    if TYPED_KEY not in st.session_state:  # first run: from a link, or from another page
        pending = st.session_state.pop(PENDING + "cells", None)
        given = pending if pending is not None else st.query_params.get_all("cells")
        st.session_state[TYPED_KEY] = ", ".join(given)
    typed = st.sidebar.text_input(
        t("cells", lg),
        key=TYPED_KEY,
        help=t("cells_help_large", lg, n=pool_size),
        placeholder=t("cells_type_code", lg),
        max_chars=MAX_TYPED_CELLS * 20,
    )
    codes = [c for c in re.split(r"[\s,;]+", typed.strip()) if c]
    return list(dict.fromkeys(codes))[:MAX_TYPED_CELLS]


def data_footer(lg: str) -> None:
    last = cache.meta().last_batch
    if last:
        source = t("demo_source", lg) if last.get("is_demo") else str(last["file_name"])
        st.caption(
            t(
                "made_from",
                lg,
                when=fmt_date(last["applied_at"], lg, True),  # type: ignore[arg-type]
                file=escape_markdown(source),
            )
        )


def detail_params(goal_code: str) -> dict[str, str | list[str]]:
    """The current view's address, pointed at a goal."""
    params: dict[str, str | list[str]] = {"goal": goal_code}
    for key in ("year", "cells", "lang"):
        values = st.query_params.get_all(key)
        if values:
            params[key] = values if len(values) > 1 else values[0]
    return params


def goal_card(card: GoalCard, lg: str, gauge: bool = True, link: bool = True) -> None:
    with st.container(border=True, key=f"goal-{card.code}"):
        st.markdown(f"**{card.code}** · {escape_markdown(card.title)}")
        if not card.applicable:
            st.info(escape_markdown(card.note), icon=":material/info:")
            return
        if gauge:
            st.plotly_chart(charts.gauge(card, lg), config=STATIC, key=f"gauge-{card.code}")
        else:
            st.markdown(f"### {card.value_text}")
        badge = STATUS_BADGE.get(card.badge or card.status, "gray")
        parts = [f":{badge}-badge[{card.status_text}]"]
        if card.target_text:
            parts.append(card.target_text)
        lines = [" · ".join(parts)] + [
            x for x in (card.numbers_text, card.pace_text, card.projection_text) if x
        ]
        if card.coverage_text:  # our own words (counts), small and grey as a caption is
            lines.append(f":gray[:small[{card.coverage_text}]]")
        # one element for the card's words: each element is a message of its own to send
        # and draw, and the overview draws eighteen cards
        st.markdown("  \n".join(lines))
        if card.warning:
            st.warning(card.warning, icon=":material/warning:")
        if card.note:
            st.caption(escape_markdown(card.note))
        if link:
            st.page_link(
                "pages/goal.py",
                label=t("see_goal", lg),
                icon=":material/arrow_forward:",
                query_params=detail_params(card.code),
            )


def qualitative_goals(resolution_code: str, lg: str) -> dict[str, str]:
    return {g.code: g.title(lg) for g in cache.goals(resolution_code) if g.kind == "qualitative"}


def root_code() -> str | None:
    """The root organisation a new grassroots organisation belongs to: the latest founded
    (organisations are listed root first, queries.organisations)."""
    orgs = cache.meta().organisations
    roots = orgs[orgs["kind"] == "root"]
    if roots.empty:
        return None
    latest = roots.sort_values("active_from", na_position="first", kind="stable").iloc[-1]
    return str(latest["org_code"])


def form_token(name: str, renew: bool = False) -> str:
    """A token per drawn form: the same submission twice is one write, not two."""
    import uuid

    key = f"form-token-{name}"
    if renew or key not in st.session_state:
        st.session_state[key] = uuid.uuid4().hex
    return str(st.session_state[key])


def goal_picker(goals: list[Goal], lg: str) -> Goal:
    """The goal shown, kept in the page address (``?goal=A4``)."""
    codes = [g.code for g in goals]
    _from_address("goal", codes, multi=False)
    titles = {g.code: g.title(lg) for g in goals}
    code = st.selectbox(
        t("pick_goal", lg), codes, key="goal", format_func=lambda c: f"{c} · {titles[c]}"
    )
    _to_address("goal", code, codes[0])
    return next(g for g in goals if g.code == code)


def cell_picker(options: list[str], names: dict[str, str], lg: str) -> str | None:
    """The cell profiled, kept in the page address (``?cell=CQ-01``)."""
    _from_address("cell", options, multi=False)
    if st.session_state.get("cell") not in options:
        st.session_state.pop("cell", None)
    code = st.selectbox(
        t("pick_cell", lg),
        options,
        key="cell",
        index=None,
        format_func=lambda c: f"{names.get(c, c)} ({c})",
        placeholder=t("pick_cell", lg),
    )
    _to_address("cell", code)
    return code


def provenance(
    row: ProgressRow,
    goal: Goal,
    filters: Filters,
    names: dict[str, str],
    orgs_counted: list[str],
    lg: str,
) -> None:
    """Where a number comes from: numerator, denominator, organisations, files."""
    with st.expander(t("provenance_head", lg), icon=":material/manage_search:"):
        if orgs_counted:
            listed = ", ".join(escape_markdown(names.get(c, c)) for c in orgs_counted[:60])
            if len(orgs_counted) > 60:
                listed += ", …"
            st.markdown(
                t(
                    "prov_numbers",
                    lg,
                    num=fmt_num(row.numerator, lg),
                    den=fmt_num(row.denominator, lg),
                    n=len(orgs_counted),
                    orgs=listed,
                )
            )
        codes = list(goal.indicator_codes())
        first = filters.resolution.term_years[0] if goal.kind == "term_cumulative" else filters.year
        files = cache.provenance(
            first, filters.year, filters.org_codes, codes, filters.org_codes is None
        )
        if not files.empty:
            st.markdown(t("prov_files", lg))
            for r in files.itertuples(index=False):
                st.markdown(
                    f"- {t('col_batch', lg)} {r.batch_id} · {escape_markdown(r.file_name)} · "
                    f"{fmt_date(r.applied_at, lg, True)} · "
                    f"{t('prov_value', lg, n=fmt_num(r.n_values, lg))}"
                )


def scorecard_mode(before: int, lg: str) -> bool:
    """Whether the reader wants the scorecard's change against ``before`` instead of the
    year's results."""
    options = ["result", "change"]
    chosen = st.segmented_control(
        t("scorecard_show", lg),
        options,
        default="result",
        format_func=lambda o: t("scorecard_" + o, lg, year=before),
        key="scorecard-mode",
    )
    return chosen == "change"


def scorecard_table(table: Any, titles: dict[str, str], lg: str) -> Any:
    """The scorecard: a row opens the cell's profile, a goal's square opens that goal for
    that cell; each goal column says its goal's name on hover."""
    columns = {code: st.column_config.Column(code, help=title) for code, title in titles.items()}
    return st.dataframe(
        table,
        key="scorecard",
        on_select="rerun",
        selection_mode=["single-row", "single-cell"],
        placeholder="–",
        column_config=columns,
    )


def open_clicked_goal(picked: Any, orgs: list[str], goal_codes: list[str]) -> None:
    """A square of the scorecard clicked: that goal's page, for that cell and year."""
    cells = list(getattr(picked.selection, "cells", []) or []) if picked else []
    if not cells:
        return
    row, column = cells[0]
    if column not in goal_codes or not 0 <= int(row) < len(orgs):
        return
    params = detail_params(str(column))
    params["cells"] = orgs[int(row)]
    # the next page's cell picker keeps this run's value: hand it the clicked cell instead
    st.session_state[PENDING + "cells"] = [orgs[int(row)]]
    st.switch_page("pages/goal.py", query_params=params)


def scorecard_finder(titles: dict[str, str], lg: str) -> tuple[str, str, int]:
    """The scorecard's search, order and page: (text typed, goal code to order by or "",
    page number)."""
    c1, c2, c3 = st.columns([3, 3, 1])
    query = c1.text_input(t("sc_search", lg), key="sc-search", max_chars=100)
    orders = ["", *titles]
    order = c2.selectbox(
        t("sc_order", lg),
        orders,
        format_func=lambda o: (
            t("sc_order_name", lg) if not o else t("sc_order_goal", lg, goal=titles[o])
        ),
        key="sc-order",
    )
    page = c3.number_input(t("sc_page", lg), min_value=1, step=1, key="sc-page")
    return query, str(order or ""), int(page)


def scorecard_pages(shown: Window, lg: str) -> None:
    """Where the screenful stands: rows shown of those matched, page of pages."""
    st.caption(
        t(
            "sc_window",
            lg,
            first=fmt_num(shown.first, lg),
            last=fmt_num(shown.last, lg),
            matched=fmt_num(shown.matched, lg),
            total=fmt_num(shown.total, lg),
            page=shown.page,
            pages=shown.pages,
        )
    )


def finder(key: str, lg: str) -> tuple[str, int]:
    """A long table's search and page: (text searched, page number)."""
    c1, c2 = st.columns([5, 1])
    query = c1.text_input(t("sc_search", lg), key=f"{key}-search", max_chars=100)
    page = c2.number_input(t("sc_page", lg), min_value=1, step=1, key=f"{key}-page")
    return query, int(page)
