"""Measure the dashboard at one size, in a process of its own (so its peak memory is its own).

    python -m bench.measure --size M --db /tmp/nq-bench/M.duckdb --out /tmp/m.json

Order matters for the peak memory: first the dashboard's reads (overview, one cell,
scorecard, trend) and the overview page through AppTest, then ``rss_mb`` is read, then the
two references (the DuckDB floor and the pandas overview, whose in-memory data would
otherwise count as the dashboard's).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from bench import reference
from bench.generate import TERM_YEAR
from bench.timing import Timing, measure, peak_rss_mb
from src import config
from src.engine import progress
from src.engine.progress import goal_trend, progress_table, scorecard
from src.services import bootstrap
from src.store import queries, storage

ROOT = Path(__file__).resolve().parent.parent
TREND_GOAL = "A4"  # an annual ratio measured per organisation


def log(text: str) -> None:
    print(f"    {text}", file=sys.stderr, flush=True)


def pick_cell(con: duckdb.DuckDBPyConnection, year: int) -> str:
    """A grassroots organisation that reported in full that year: the middle one by code."""
    rows = (
        con.cursor()
        .execute(
            "SELECT o.org_code FROM organisations o JOIN observations ob"
            " ON ob.org_code = o.org_code AND ob.year = ?"
            " WHERE o.kind IN ('grassroots_cell', 'grassroots_committee')"
            " GROUP BY o.org_code HAVING count(*) >= 17 ORDER BY o.org_code",
            [year],
        )
        .fetchall()
    )
    if not rows:
        raise RuntimeError(f"no organisation reported every number in {year}")
    return str(rows[len(rows) // 2][0])


def _record(out: dict[str, Any], name: str, t: Timing) -> None:
    out[f"{name}_ms"] = t.median_ms
    out.setdefault("runs_ms", {})[name] = list(t.runs_ms)
    out.setdefault("peak_mb_after", {})[name] = peak_rss_mb()  # which step set the peak
    log(f"{name}: {t.median_ms:,.1f} ms (median of {t.runs}); peak so far {peak_rss_mb():,.0f} MB")


def page_run(db: Path, year: int, repeat: int, budget_s: float) -> dict[str, Any]:
    """The overview page's script through AppTest: the rerun after the reader changes the
    year, with that year's overview not yet cached (as on a first visit)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from src.ui import cache

    os.environ["DASHBOARD_DB"] = str(db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=3600)
    start = time.perf_counter()
    at.run()
    first_ms = (time.perf_counter() - start) * 1000.0
    if at.exception:
        raise RuntimeError(f"the overview page failed: {at.exception[0].value}")
    for name in list(logging.root.manager.loggerDict):  # "no runtime" warnings: the bench
        if name.startswith("streamlit"):  # reads the cache outside a script run
            logging.getLogger(name).setLevel(logging.ERROR)
    default_year = int(str(at.selectbox(key="year").value))
    other = default_year if default_year != year else year - 1
    conn = cache.con()
    resolution = queries.resolution(conn)

    def forget() -> None:  # the measured year's overview, as on a first visit
        try:
            cache._progress.clear(  # only that entry: the rest stays cached, as it would
                str(config.db_path()), storage.data_version(conn), resolution.code, year, None
            )
        except (AttributeError, TypeError):  # the cache's key changed: forget everything
            st.cache_data.clear()

    def away() -> None:  # back to the other year (cached after the warm-up), then forget
        at.selectbox(key="year").set_value(other).run()
        forget()

    def rerun() -> None:
        at.selectbox(key="year").set_value(year).run()
        if at.exception:
            raise RuntimeError(f"the overview page failed: {at.exception[0].value}")

    t = measure(rerun, repeat=repeat, budget_s=budget_s, before=away)

    def toggle() -> None:  # the same change of year with both overviews cached
        box = at.selectbox(key="year")
        box.set_value(other if int(str(box.value)) == year else year).run()

    cached = measure(toggle, repeat=repeat, budget_s=budget_s)
    gauges = len(at.get("plotly_chart"))
    return {"first_run_ms": round(first_ms, 1), "timing": t, "cached": cached, "charts": gauges}


def run(args: argparse.Namespace) -> dict[str, Any]:
    db, year = Path(args.db), args.year
    out: dict[str, Any] = {"size": args.size, "year": year}
    if not db.exists():
        raise SystemExit(f"{db} does not exist: generate it first (python -m bench)")
    start = time.perf_counter()
    con = bootstrap.open_database(db)
    out["open_s"] = round(time.perf_counter() - start, 2)
    out.setdefault("peak_mb_after", {})["open"] = peak_rss_mb()
    row = con.execute("SELECT count(*) FROM observations").fetchone()
    out["rows"] = int(row[0]) if row else 0
    org_row = con.execute(
        "SELECT count(*) FILTER (WHERE kind IN ('grassroots_cell', 'grassroots_committee')),"
        " count(*) FILTER (WHERE kind = 'subcell') FROM organisations"
    ).fetchone()
    out["organisations"], out["subcells"] = (
        (int(org_row[0]), int(org_row[1])) if org_row else (0, 0)
    )
    years = con.execute("SELECT min(year), max(year) FROM observations").fetchone()
    out["years"] = f"{years[0]}-{years[1]}" if years else ""
    out["db_mb"] = round(db.stat().st_size / 2**20, 1)
    cell = pick_cell(con, year)
    out["peak_mb_after"]["pick_cell"] = peak_rss_mb()
    out["cell"], out["trend_goal"] = cell, TREND_GOAL
    rep, budget = args.repeat, args.budget
    log(f"{args.size}: {out['rows']:,} values, {out['organisations']:,} organisations")
    _record(out, "overview", measure(lambda: progress_table(con, year), rep, budget))
    one = measure(lambda: progress_table(con, year, [cell]), rep, budget)
    _record(out, "overview_one_cell", one)
    _record(out, "scorecard", measure(lambda: scorecard(con, year), rep, budget))
    _record(out, "trend", measure(lambda: goal_trend(con, TREND_GOAL), rep, budget))
    computed = getattr(progress, "compute_table", None)  # the fast path's kept result aside
    if computed is not None:
        _record(out, "overview_computed", measure(lambda: computed(con, year), rep, budget))
    dashboard_table = progress_table(con, year)
    con.close()

    page = page_run(db, year, rep, budget)
    _record(out, "page_run", page["timing"])
    _record(out, "page_cached", page["cached"])
    out["page_first_run_ms"] = page["first_run_ms"]
    out["page_charts"] = page["charts"]
    out["rss_mb"] = peak_rss_mb()
    log(f"peak memory of the dashboard's process: {out['rss_mb']:,.0f} MB")

    con = duckdb.connect(str(db))  # the page's connection is still open: same configuration
    _record(out, "floor", measure(lambda: reference.floor(con, year), rep, budget))
    start = time.perf_counter()
    frames = reference.load_frames(con, year)
    out["pandas_load_s"] = round(time.perf_counter() - start, 2)
    _record(out, "pandas", measure(lambda: reference.pandas_overview(frames, year), rep, budget))
    problems = reference.compare(dashboard_table, reference.pandas_overview(frames, year))
    out["pandas_agrees"] = not problems
    if problems:
        log("the pandas reference and the dashboard DIFFER: " + "; ".join(problems[:5]))
    out["pandas_rss_mb"] = peak_rss_mb()
    con.close()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--size", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--year", type=int, default=TERM_YEAR)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--budget", type=float, default=30.0, help="seconds of timed runs per measure")
    args = p.parse_args(argv)
    result = run(args)
    Path(args.out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
