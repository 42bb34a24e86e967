"""The cells page's content: scorecard grid, a cell's profile, the reporting matrix."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from src.domain import paging
from src.domain.goals import PerOrg
from src.domain.models import Goal, Indicator
from src.domain.rows import ProgressRow
from src.i18n import fmt_num, fmt_pct, t
from src.views.overview import STATUS_COLOUR, STATUS_ICON

TEXT_ON = {"met": "#FFFFFF", "near": "#1F2328", "missed": "#FFFFFF", "no_data": "#1F2328"}


@dataclass
class Grid:
    values: pd.DataFrame  # index org_code; columns: name, group, then goal codes (numbers)
    statuses: pd.DataFrame  # same index, goal code columns: met/near/missed/no_data
    goal_codes: list[str]


# the change against last year: better (towards the target), worse, unchanged
CHANGE_COLOUR = {"better": "#009E73", "worse": "#D55E00", "same": "#DDE1E6", "none": "#9AA0A6"}
CHANGE_TEXT = {"better": "#FFFFFF", "worse": "#FFFFFF", "same": "#1F2328", "none": "#1F2328"}


PAGE_ROWS = paging.PAGE_ROWS  # organisations shown at once, whatever the committee's size


@dataclass
class Window:
    """A screenful of the grid: the rows shown, where they stand in the whole, how many
    matched the search."""

    grid: Grid
    page: int  # 1-based
    pages: int
    matched: int
    total: int

    @property
    def first(self) -> int:
        """The position of the first row shown among those matched (1-based; 0: none)."""
        return (self.page - 1) * PAGE_ROWS + 1 if len(self.grid.values) else 0

    @property
    def last(self) -> int:
        return self.first + len(self.grid.values) - 1 if len(self.grid.values) else 0


def window(g: Grid, query: str = "", order: str = "", page: int = 1) -> Window:
    """The rows of the grid a reader looks at: those whose code or name contains ``query``
    (case and accents as typed, NFC), ordered by name or, ``order`` being a goal's code,
    weakest first on that goal (no value last), one page of :data:`PAGE_ROWS`. What is
    sent to the browser never grows with the number of organisations."""
    values = g.values
    if order in g.goal_codes:
        values = values.sort_values(order, na_position="last", kind="stable")
    texts = (f"{c} {n}" for c, n in zip(values.index, values["name"], strict=True))
    found = paging.page_of(values, texts, query, page, PAGE_ROWS)  # texts read for a search
    part = Grid(found.rows, g.statuses.loc[found.rows.index], g.goal_codes)
    return Window(part, found.page, found.pages, found.matched, found.total)


def pickable(shown: Window, whole: Grid, current: object) -> list[str]:
    """The cells the profile picker offers: the screenful shown (search the scorecard to
    reach others), and the one already chosen, wherever it stands."""
    codes = [str(c) for c in shown.grid.values.index]
    if isinstance(current, str) and current in whole.values.index and current not in codes:
        codes.insert(0, current)
    return codes


def goal_titles(goals: list[Goal], codes: list[str], lang: str) -> dict[str, str]:
    """Each scorecard column's goal by its name ("A1 · Cán bộ, đảng viên được học tập …")."""
    by_code = {g.code: g for g in goals}
    return {c: f"{c} · {by_code[c].title(lang)}" for c in codes if c in by_code}


def change_grid(g: Grid, previous: pd.DataFrame, goals: list[Goal]) -> Grid:
    """The same cells × goals with each value's change against last year's scorecard
    (``previous``), in points; statuses say whether it moved towards the target."""
    now = g.values[g.goal_codes].astype(float)
    if previous.empty:
        before = pd.DataFrame(float("nan"), index=now.index, columns=now.columns)
    else:
        before = previous.pivot(index="org_code", columns="goal_code", values="actual")
        before = before.reindex(index=now.index, columns=g.goal_codes).astype(float)
    diff = now - before
    lower_is_better = {x.code for x in goals if x.comparison in ("<", "<=")}
    moves = pd.DataFrame("none", index=now.index, columns=g.goal_codes, dtype=object)
    for code in g.goal_codes:
        d = diff[code]
        good = -d if code in lower_is_better else d
        moves[code] = [
            "none" if pd.isna(v) else "same" if abs(v) < 0.05 else "better" if v > 0 else "worse"
            for v in good
        ]
    values = g.values[["name", "group"]].join(diff)
    return Grid(values, moves, g.goal_codes)


def styled_change(g: Grid, lang: str) -> Styler:
    """A change grid (:func:`change_grid`) as a sortable table: "+2,1" / "−1,3" points,
    coloured by whether the cell moved towards its target."""

    def signed(v: object) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "–"
        f = float(v)  # type: ignore[arg-type]
        return ("+" if f > 0 else "−" if f < 0 else "") + fmt_num(abs(f), lang, 1)

    return _styled(g, lang, CHANGE_COLOUR, CHANGE_TEXT, signed)


def _styled(
    g: Grid,
    lang: str,
    fill: dict[str, str],
    ink: dict[str, str],
    shown: Callable[[object], str],
) -> Styler:
    """A grid as a sortable table: headers in the reader's language, each goal's square
    coloured by its status in ``g.statuses`` and written by ``shown`` (numbers stay numbers
    underneath, for sorting)."""
    frame = g.values.rename(
        columns={"name": t("org_name", lang), "group": t("groups", lang)}
    ).rename_axis(t("org_code", lang))

    def colour(column: pd.Series) -> list[str]:
        if column.name not in g.goal_codes:
            return [""] * len(column)
        return [f"background-color: {fill[m]}; color: {ink[m]}" for m in g.statuses[column.name]]

    return frame.style.apply(colour, axis=0).format(shown, subset=g.goal_codes)


def grid(blocks: PerOrg, info: pd.DataFrame, goals: list[Goal]) -> Grid:
    """Organisations × goals from the scorecard's arrays (:func:`src.engine.progress.
    scorecard_blocks`; ``info``: their code, name and group, in the same order), sorted by
    name: the arrays become the grid's columns as they are, with no long table between."""
    # goals that count organisations (A3, A3a, A8) are shares of the committee's
    # organisations: a single cell is covered or not, which the goal page lists instead
    present = set(blocks.goal_codes) if len(blocks.orgs) else set()
    codes = [g.code for g in goals if g.code in present and not g.counts_organisations]
    if not present:
        empty = pd.DataFrame(columns=["name", "group", *codes])
        return Grid(empty, empty[codes], codes)
    rows = [blocks.goal_codes.index(c) for c in codes]
    index = pd.Index(blocks.orgs, name="org_code")
    values = pd.DataFrame(blocks.actual[rows].T, index=index, columns=codes)
    statuses = pd.DataFrame(blocks.status_names()[rows].T, index=index, columns=codes)
    named = pd.DataFrame(
        {
            "name": info["name"].to_numpy(dtype=object),
            "group": info["group"].astype("category").array,
        },
        index=index,
    )
    values = pd.concat([named, values], axis=1)
    order = np.argsort(values["name"].to_numpy(dtype=object), kind="stable")
    return Grid(values.iloc[order], statuses.iloc[order], codes)


def styled(g: Grid, lang: str) -> Styler:
    """The grid as a sortable table: numbers stay numbers, cells coloured by status."""

    def value(v: object) -> str:
        missing = v is None or (isinstance(v, float) and math.isnan(v))
        return "–" if missing else fmt_num(v, lang, 1)  # type: ignore[arg-type]

    return _styled(g, lang, STATUS_COLOUR, TEXT_ON, value)


HEATMAP_NAME_CHARS = 24  # the table below the scorecard has the names in full


def short_name(name: str, limit: int = HEATMAP_NAME_CHARS) -> str:
    """A name cut at ``limit`` characters (a word's end where one is near) with "…": the
    scorecard's rows are labelled code first, then as much of the name as leaves its squares
    room on a phone."""
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space >= limit * 2 // 3 else cut).rstrip() + "…"


def heatmap_inputs(
    g: Grid,
) -> tuple[list[str], list[str], list[list[float | None]], list[list[str]]]:
    cells = [
        f"{c} · {short_name(n)}" for c, n in zip(g.values.index, g.values["name"], strict=True)
    ]
    values = [
        [None if pd.isna(v) else float(v) for v in row]
        for row in g.values[g.goal_codes].itertuples(index=False)
    ]
    statuses = [list(row) for row in g.statuses.itertuples(index=False)]
    return cells, g.goal_codes, values, statuses


def profile_table(profile: pd.DataFrame, goals: list[Goal], lang: str) -> pd.DataFrame:
    """Years × goals for one cell: value and status sign."""
    if profile.empty:
        return pd.DataFrame()
    titles = {g.code: g.code for g in goals if not g.counts_organisations}
    text = [
        ("–" if pd.isna(v) else fmt_pct(float(v), lang)) + " " + STATUS_ICON[str(s)]
        for v, s in zip(profile["actual"], profile["status"], strict=True)
    ]
    frame = profile.assign(text=text).pivot(index="year", columns="goal_code", values="text")
    cols = [c for c in titles if c in frame.columns]
    return frame[cols].rename_axis(index=t("year", lang), columns=None)


def profile_rows(profile: pd.DataFrame, goal_code: str) -> list[ProgressRow]:
    """One goal's years in a cell's profile, oldest first: its value and status each year."""
    rows = profile[profile["goal_code"] == goal_code].sort_values("year")
    return [
        ProgressRow.of({"goal_code": goal_code, "year": y, "actual": a, "status": s})
        for y, a, s in zip(rows["year"], rows["actual"], rows["status"], strict=True)
    ]


def reporting_codes(g: Grid, orgs: pd.DataFrame) -> list[str]:
    """The organisations the reporting tables are read for: the committee's root(s) and the
    scorecard's screenful."""
    roots = [str(c) for c in orgs.loc[orgs["kind"] == "root", "org_code"]]
    return roots + [str(c) for c in g.values.index]


def _shown_units(orgs: pd.DataFrame, only: list[str] | None) -> pd.DataFrame:
    """The organisations the reporting tables list: the committee itself and ``only`` (the
    scorecard's screenful; None: all), never their subcells."""
    units = orgs[orgs["kind"] != "subcell"]
    if only is not None:
        units = units[units["org_code"].isin(only) | (units["kind"] == "root")]
    return units.set_index("org_code")


def reporting_grid(
    matrix: pd.DataFrame,
    orgs: pd.DataFrame,
    years: list[int],
    lang: str,
    only: list[str] | None = None,
) -> pd.DataFrame:
    """Organisations × years: how many indicators each reported (empty: none)."""
    units = _shown_units(orgs, only)
    counts = (
        matrix.pivot(index="org_code", columns="year", values="n")
        if not matrix.empty
        else pd.DataFrame()
    )
    counts = counts.reindex(index=units.index, columns=years)
    out = pd.DataFrame({t("org_name", lang): units["name"]})
    for y in years:
        out[str(y)] = ["" if pd.isna(v) else str(int(v)) for v in counts[y]]
    return out.rename_axis(t("org_code", lang))


def reported_detail(
    reported: pd.DataFrame,
    orgs: pd.DataFrame,
    indicators: list[Indicator],
    lang: str,
    only: list[str] | None = None,
) -> pd.DataFrame:
    """Organisations × indicators for one year: ✓ reported, blank not."""
    units = _shown_units(orgs, only)
    have = set(zip(reported["org_code"], reported["indicator_code"], strict=True))
    out = pd.DataFrame({t("org_name", lang): units["name"]})
    names = [ind.name(lang) for ind in indicators]
    for ind, name in zip(indicators, names, strict=True):
        header = name if names.count(name) == 1 else f"{name} ({ind.code})"
        out[header] = ["✓" if (code, ind.code) in have else "" for code in units.index]
    return out.rename_axis(t("org_code", lang))
