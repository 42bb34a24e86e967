"""The pages as a reader meets them (issue 15): ``python -m bench.browser --db FILE``.

Starts the dashboard as ``make run`` does (``python -m src.ui.serve``: ``streamlit run app.py``
with the pages' modules loaded first) on a data set and opens each page in Debian's
headless Chromium, as the browser tests do. A page's time runs from the navigation to the
last frame of Streamlit's run: the time of the last frame received once the page is settled
(its title on the page, no element stale or running: the browser tests' ``settle``) and no
frame has come for 0.8 s. Beside the time: the bytes the server sent on the
page's WebSocket (every delta of the run: tables, charts, text), which must not grow with
the number of organisations past a screenful.

Every view is a new tab of one browser context, a reader's browser: the app's scripts and
fonts come from its cache after the very first view, as they would for a reader.

- **cold**: a page's first view on this server. The overview is the server's very first run
  (nothing cached; the pages' modules were loaded as the server started); every other
  page's first view comes after that one (Streamlit learns the app's pages at its first
  run, so a deep link cannot come earlier), with nothing of its own cached yet.
- **warm**: the median of the next views of the same page, in fresh tabs.
- **another year**: the overview opened for the year before the latest (its queries not
  cached yet), then the goal page the same way.
- **a change in the same tab**: the year chosen again, or one cell, on an open page: the
  rerun a reader waits for, with no reload of the app.
- **memory**: the server's resident memory with 10 browser sessions open on the overview
  at once, and its peak.

Times are printed, never asserted (the targets are in the printed table).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
from playwright.sync_api import BrowserContext, Page, sync_playwright

from bench import write
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SETTLED_JS,
    dashboard,
    drawn,
    pick,
    settle,
)

# (label, url path and query) of each page measured; {year} is filled in
PAGES: list[tuple[str, str]] = [
    ("Tổng quan", ""),
    ("Chỉ tiêu (A4)", "chi-tieu?goal=A4"),
    ("Chi bộ", "chi-bo"),
    ("Báo cáo", "bao-cao"),
    ("Cập nhật", "cap-nhat"),
    ("Nghị quyết", "nghi-quyet"),
]
OTHER_YEAR: list[tuple[str, str]] = [
    ("Tổng quan, năm khác", "?year={year}"),
    ("Chỉ tiêu (A4), năm khác", "chi-tieu?goal=A4&year={year}"),
]
TIMEOUT_MS = 120_000  # a page that takes longer is reported as not finished
SESSIONS = 10
QUIET = 0.8  # seconds without a frame after which a settled page is drawn


class Counter:
    """Bytes received on a page's WebSockets."""

    def __init__(self, page: Page) -> None:
        self.bytes = 0
        self.last = time.perf_counter()  # when the latest frame came
        page.on("websocket", self._watch)

    def _watch(self, ws: Any) -> None:
        ws.on("framereceived", self._add)

    def _add(self, payload: str | bytes) -> None:
        self.bytes += len(payload.encode() if isinstance(payload, str) else payload)
        self.last = time.perf_counter()


def until_quiet(page: Page, counter: Counter, deadline: float) -> bool:
    """Wait until a drawn page has nothing stale or running and no frame has come for QUIET
    seconds (a page can look settled between two parts of its run, before its later deltas
    arrive); False past ``deadline`` (a ``time.perf_counter()`` moment)."""
    while True:
        page.wait_for_function(SETTLED_JS, timeout=TIMEOUT_MS)
        page.wait_for_timeout(100)
        if time.perf_counter() - counter.last >= QUIET:
            return True
        if time.perf_counter() > deadline:
            return False


def open_page(context: BrowserContext, url: str) -> tuple[float | None, int]:
    """(seconds until the run is drawn, or None past TIMEOUT_MS; bytes received) of one view
    of ``url`` in a new tab of ``context``, a reader's browser: the app's scripts and fonts
    are in its cache after the first view, as they are in a reader's."""
    page = context.new_page()
    try:
        counter = Counter(page)
        started = time.perf_counter()
        try:
            page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
            drawn(page, TIMEOUT_MS)
            if not until_quiet(page, counter, started + TIMEOUT_MS / 1000):
                return None, counter.bytes
        except Exception:  # noqa: BLE001 - a page that never finishes is a result, not a crash
            return None, counter.bytes
        return max(counter.last - started, 0.0), counter.bytes
    finally:
        page.close()


def rerun_after(
    context: BrowserContext, url: str, key: str, text: str, wait_url: str
) -> float | None:
    """Seconds from choosing ``text`` in the widget ``key`` of an open page to the rerun
    drawn (the URL says the choice, nothing stale or running): a reader's change of filter,
    in the same tab, without a reload."""
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        drawn(page, TIMEOUT_MS)
        page.wait_for_timeout(500)
        started = pick(page, key, text)
        page.wait_for_url(wait_url, timeout=TIMEOUT_MS)
        page.wait_for_function(SETTLED_JS, timeout=TIMEOUT_MS)
        return time.perf_counter() - started
    except Exception:  # noqa: BLE001 - a rerun that never finishes is a result
        return None
    finally:
        page.close()


def first_cell(db: Path) -> str:
    """A grassroots organisation that reported in the data set's latest year (the year a
    page opens on), to select; read before the server opens the file."""
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT u.org_code FROM unit_year u JOIN organisations o USING (org_code)"
            " WHERE o.kind IN ('grassroots_cell', 'grassroots_committee')"
            " AND u.year = (SELECT max(year) FROM unit_year)"
            " AND (o.active_to IS NULL OR o.active_to >= u.year)"
            " ORDER BY u.org_code LIMIT 1"
        ).fetchone()
    return str(row[0]) if row else ""


def server_pid(port: str) -> int | None:
    """The dashboard's process: the one started with ``--server.port PORT`` (``streamlit
    run``, or ``src.ui.serve`` as ``make run`` starts it)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        joined = b" ".join(args)
        if (b"streamlit" in joined or b"src.ui.serve" in joined) and port.encode() in args:
            return int(proc.name)
    return None


def memory_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_mb": fields.get("VmHWM", 0.0)}


FLOOR_APP = Path(__file__).with_name("floor_app.py")
FLOOR = "Sàn: trang Streamlit trống (bench/floor_app.py)"


def floor(db: Path, repeat: int) -> dict[str, Any]:
    """Cold and warm views of the floor page (bench/floor_app.py) as of every page below:
    what a fresh tab of a Streamlit page with nothing on it costs here. The script runs from
    a folder of its own beside the dashboard's ``static/`` (Streamlit serves the folder next
    to the main script), so it loads the same fonts."""
    folder = Path(tempfile.mkdtemp(prefix="nq-floor-"))
    try:
        shutil.copyfile(FLOOR_APP, folder / FLOOR_APP.name)
        (folder / "static").symlink_to(FLOOR_APP.parent.parent / "static", target_is_directory=True)
        return _floor(db, folder / FLOOR_APP.name, repeat)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _floor(db: Path, app: Path, repeat: int) -> dict[str, Any]:
    with dashboard(db, app=app) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return views(browser.new_context(viewport={"width": 1366, "height": 768}), url, repeat)
        finally:
            browser.close()


def views(reader: BrowserContext, url: str, repeat: int) -> dict[str, Any]:
    """A page's first view in ``reader`` and the median of ``repeat`` views after it, each in
    a fresh tab: their time and bytes."""
    cold, cold_bytes = open_page(reader, url)
    warm = [open_page(reader, url) for _ in range(repeat)]
    times = [t for t, _ in warm if t is not None]
    return {
        "cold_s": None if cold is None else round(cold, 3),
        "warm_s": round(statistics.median(times), 3) if times else None,
        "cold_bytes": cold_bytes,
        "warm_bytes": int(statistics.median(b for _, b in warm)),
    }


def measure(db: Path, year: int, repeat: int) -> dict[str, Any]:
    out: dict[str, Any] = {"pages": {}, "reruns": {}}
    cell = first_cell(db)
    out["floor"] = floor(db, repeat)
    print(f"    {FLOOR}: {out['floor']}", flush=True)
    with dashboard(db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        reader = browser.new_context(viewport={"width": 1366, "height": 768})
        try:
            for label, path in PAGES:
                out["pages"][label] = views(reader, f"{url}/{path}", repeat)
                print(f"    {label}: {out['pages'][label]}", flush=True)
            for label, path in OTHER_YEAR:
                took, sent = open_page(reader, f"{url}/{path.format(year=year)}")
                out["pages"][label] = {
                    "cold_s": None if took is None else round(took, 3),
                    "cold_bytes": sent,
                }
                print(f"    {label}: {out['pages'][label]}", flush=True)
            changes = [
                ("Tổng quan: đổi năm", "", "year", str(year - 1), f"**year={year - 1}**"),
                ("Tổng quan: chọn một chi bộ", "", "cells", cell, "**cells=*"),
                (
                    "Chỉ tiêu (A4): đổi năm",
                    "chi-tieu?goal=A4",
                    "year",
                    str(year - 2),
                    f"**year={year - 2}**",
                ),
            ]
            for label, path, key, text, wait_url in changes:
                runs = [
                    rerun_after(reader, f"{url}/{path}", key, text, wait_url) for _ in range(repeat)
                ]
                times = [r for r in runs if r is not None]
                out["reruns"][label] = round(statistics.median(times), 3) if times else None
                print(f"    {label}: {out['reruns'][label]}", flush=True)
            pid = server_pid(url.rsplit(":", 1)[1])
            contexts = [browser.new_context() for _ in range(SESSIONS)]
            pages = [c.new_page() for c in contexts]
            for page in pages:
                page.goto(url + "/", wait_until="commit")
            for page in pages:
                drawn(page, TIMEOUT_MS)
            if pid is not None:
                out["memory_10_sessions"] = memory_mb(pid)
                print(f"    {SESSIONS} sessions: {out['memory_10_sessions']}", flush=True)
            for c in contexts:
                c.close()
        finally:
            browser.close()
    return out


def apply_to_overview(db: Path) -> dict[str, float | None]:
    """A 1,000-value upload on the Cập nhật page, as a reader makes it: (seconds from the
    click on "Cập nhật vào cơ sở dữ liệu" to the page saying it is done; then from the click
    on Tổng quan in the menu, in the same tab, to its run on the new numbers drawn). On a
    copy of ``db`` that had a backup made the same day (no full copy is due:
    ``bench.write``), with the dashboard already open once; the file is ``bench.write``'s."""
    work = Path(tempfile.mkdtemp(prefix="nq-apply-"))
    try:
        copy = work / "db" / db.name
        copy.parent.mkdir()
        shutil.copyfile(db, copy)
        upload = work / "upload-1000.csv"
        write.write_file(copy, upload)
        if write.cli(copy, "backup")[1].returncode != 0:
            raise RuntimeError("backup failed")
        with dashboard(copy) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1366, "height": 768})
                for path in ("", "cap-nhat"):  # the reader has the dashboard open
                    page.goto(f"{url}/{path}", wait_until="commit", timeout=TIMEOUT_MS)
                    drawn(page, TIMEOUT_MS)
                    settle(page, TIMEOUT_MS)
                page.locator("input[type=file]").set_input_files(str(upload))
                button = page.get_by_role("button", name="Cập nhật vào cơ sở dữ liệu")
                button.wait_for(timeout=TIMEOUT_MS)
                settle(page, TIMEOUT_MS)
                started = time.perf_counter()
                button.click()
                page.wait_for_selector("text=Đã cập nhật (lần cập nhật số", timeout=TIMEOUT_MS)
                applied = time.perf_counter() - started
                started = time.perf_counter()  # the reader goes to Tổng quan in the menu
                page.locator("[data-testid=stSidebarNav] a").first.click()
                page.wait_for_url(f"{url}/", timeout=TIMEOUT_MS)
                page.wait_for_selector("h1:has-text('Tổng quan')", timeout=TIMEOUT_MS)
                settle(page, TIMEOUT_MS)
                overview = time.perf_counter() - started
            except Exception:  # noqa: BLE001 - a write that never finishes is a result
                return {"apply_s": None, "overview_s": None}
            finally:
                browser.close()
        return {"apply_s": round(applied, 3), "overview_s": round(overview, 3)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(sizes: dict[str, dict[str, Any]]) -> str:
    """Warm and cold time and bytes of each page, per size, with the issue's targets."""
    names = [n for n in ("S", "M", "L") if n in sizes and "browser" in sizes[n]]
    if not names:
        return ""
    goal = {"S": 1.0, "M": 1.5, "L": 2.0}
    head = "| page (warm s / cold s / KB sent) | " + " | ".join(names) + " |"
    lines = [head, "|---|" + "---:|" * len(names)]
    floors = [sizes[n]["browser"].get("floor") for n in names]
    if any(floors):
        cells = [
            "–"
            if not m
            else "not finished"
            if m.get("warm_s") is None or m.get("cold_s") is None
            else f"{m['warm_s']:.2f} / {m['cold_s']:.2f} / {m.get('warm_bytes', 0) / 1024:,.0f}"
            for m in floors
        ]
        lines.append(f"| {FLOOR} | " + " | ".join(cells) + " |")
    labels = list(sizes[names[0]]["browser"]["pages"])
    for label in labels:
        cells = []
        for n in names:
            m = sizes[n]["browser"]["pages"].get(label, {})
            warm, cold = m.get("warm_s"), m.get("cold_s")
            ok = warm is not None and warm <= goal[n] and cold is not None and cold <= 2 * goal[n]
            if "warm_s" not in m:
                ok = cold is not None and cold <= 2 * goal[n]
            w = "–" if warm is None else f"{warm:.2f}"
            c = "not finished" if cold is None else f"{cold:.2f}"
            kb = m.get("warm_bytes", m.get("cold_bytes", 0)) / 1024
            cells.append(f"{w} / {c} / {kb:,.0f} {'✓' if ok else '✗'}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    reruns = list(sizes[names[0]]["browser"].get("reruns", {}))
    for label in reruns:
        cells = []
        for n in names:
            r = sizes[n]["browser"].get("reruns", {}).get(label)
            cells.append(
                "not finished ✗" if r is None else f"{r:.2f} {'✓' if r <= goal[n] else '✗'}"
            )
        lines.append(f"| {label} (s, same tab) | " + " | ".join(cells) + " |")
    upload_cells: list[str] = []
    for n in names:
        upload: dict[str, Any] | None = sizes[n]["browser"].get("apply")
        a, o = (upload or {}).get("apply_s"), (upload or {}).get("overview_s")
        total = a + o if a is not None and o is not None else None
        mark = "" if total is None or n != "L" else " ✓" if total <= 2.0 else " ✗"
        upload_cells.append(
            "– (not measured)"
            if upload is None
            else "not finished"
            if total is None
            else f"{a:.2f} + {o:.2f} = {total:.2f}{mark}"
        )
    lines.append(
        "| 1,000-value upload: apply click → done + Tổng quan drawn (s) | "
        + " | ".join(upload_cells)
        + " |"
    )
    mem = []
    for n in names:
        m = sizes[n]["browser"].get("memory_10_sessions")
        mem.append(f"{m['rss_mb']:,.0f} (peak {m['peak_mb']:,.0f})" if m else "–")
    lines.append(f"| server memory, {SESSIONS} sessions (MB) | " + " | ".join(mem) + " |")
    lines.append(
        "\nTargets (issue 15): warm within 1 s at S, 1.5 s at M, 2 s at L; cold within twice that."
        " The first row is no page of the dashboard: a Streamlit script with a title and one line"
        " served the same way (its own server, the same config and fonts), the floor below"
        " which no page can be drawn in this browser on this machine (no target)."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--year", type=int, default=2024, help="the year of the 'another year' views")
    p.add_argument("--repeat", type=int, default=3, help="warm views per page (median)")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    result = measure(args.db, args.year, args.repeat)
    result["apply"] = apply_to_overview(args.db)
    print(f"    1,000-value upload on the page: {result['apply']}", flush=True)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
