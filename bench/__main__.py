"""``python -m bench`` (``make bench``): generate, measure, print, write bench/results.json
and the section "The last run" of docs/benchmark.md (between its two markers).

    python -m bench                      # S, M and L, and the import
    python -m bench --sizes S M          # a quick run
    python -m bench --regenerate         # rebuild the data sets even if they exist
    python -m bench --no-import          # skip the one-million-row import
    python -m bench --no-browser         # skip the pages in headless Chromium

Each size is measured in its own process (``bench.measure``), so the peak memory reported
for L is the dashboard's at L alone. Data sets live in ``--dir`` (default /tmp/nq-bench,
or ``NQ_BENCH_DIR``), one DuckDB file per size, reused between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import browser, generate

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
DOCS = ROOT / "docs" / "benchmark.md"
# docs/benchmark.md's last run stands between these lines; the rest of the file is prose
BEGIN = "<!-- make bench writes from here: the last run (bench/results.json) -->"
END = "<!-- make bench writes up to here -->"
DEFAULT_DIR = Path(os.environ.get("NQ_BENCH_DIR") or "/tmp/nq-bench")

# (key, label, unit) of the per-size table
ROWS: list[tuple[str, str]] = [
    ("rows", "values (observations)"),
    ("organisations", "grassroots organisations"),
    ("overview_ms", "overview, all organisations (ms)"),
    ("overview_computed_ms", "… the same computed, nothing kept (ms)"),
    ("overview_one_cell_ms", "overview, one cell (ms)"),
    ("scorecard_ms", "scorecard, every cell × goal (ms)"),
    ("trend_ms", "goal trend over the term (ms)"),
    ("page_run_ms", "overview page rerun, AppTest (ms)"),
    ("floor_ms", "floor: DuckDB scan + aggregate of the year (ms)"),
    ("pandas_ms", "pandas overview on data in memory (ms)"),
    ("overview_vs_floor", "overview ÷ floor"),
    ("pandas_vs_overview", "pandas ÷ overview"),
    ("rss_mb", "peak memory of the process (MB)"),
    ("pandas_agrees", "pandas result = dashboard's"),
    ("write_import_s", "1,000-value upload, `cli import` start to exit (s)"),
    ("write_vs_s", "… ÷ the same upload at S"),
    ("write_backup_s", "… the full backup a due write adds (s)"),
]

# target at L: (key, comparison, bound)
TARGETS: list[tuple[str, str, float]] = [
    ("overview_vs_floor", "<=", 3.0),
    ("pandas_vs_overview", ">=", 10.0),
    ("overview_one_cell_ms", "<=", 100.0),
    ("trend_ms", "<=", 100.0),
    ("scorecard_ms", "<=", 1000.0),
    ("page_run_ms", "<=", 500.0),
    ("rss_mb", "<=", 1536.0),
    ("write_import_s", "<=", 2.0),
    ("write_vs_s", "<=", 2.0),
]


def say(text: str) -> None:
    print(text, flush=True)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    import duckdb
    import pandas
    import streamlit

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "streamlit": streamlit.__version__,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _subprocess(module: str, args: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = Path(tmp.name)
    try:
        cmd = [sys.executable, "-m", module, *args, "--out", str(out)]
        done = subprocess.run(cmd, cwd=ROOT, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{module} failed (exit {done.returncode})")
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return result
    finally:
        out.unlink(missing_ok=True)


def derive(r: dict[str, Any]) -> None:
    if r.get("floor_ms"):
        r["overview_vs_floor"] = round(r["overview_ms"] / r["floor_ms"], 2)
    if r.get("overview_ms"):
        r["pandas_vs_overview"] = round(r["pandas_ms"] / r["overview_ms"], 2)


def check(r: dict[str, Any]) -> dict[str, bool]:
    met = {}
    for key, op, bound in TARGETS:
        if key in r:
            met[key] = r[key] <= bound if op == "<=" else r[key] >= bound
    return met


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"
    return str(value)


def table(sizes: dict[str, dict[str, Any]], imported: dict[str, Any] | None) -> str:
    names = list(sizes)
    target_of = {k: f"{'≤' if op == '<=' else '≥'} {b:g}" for k, op, b in TARGETS}
    head = "| measure | " + " | ".join(names) + " | target at L |"
    lines = [head, "|---|" + "---:|" * len(names) + "---|"]
    for key, label in ROWS:
        cells = [_fmt(sizes[n].get(key)) for n in names]
        target = target_of.get(key, "")
        if target and "L" in sizes and key in sizes["L"]:
            target += " ✓" if check(sizes["L"]).get(key) else " ✗"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    if imported:
        ratio = imported["import_s"] / imported["raw_load_s"] if imported["raw_load_s"] else 0
        mark = "✓" if ratio <= 4 else "✗"
        lines += [
            "",
            "| import of a long CSV (s) | rows | prepare | apply | import | DuckDB read_csv |"
            " ratio |",
            "|---|---:|---:|---:|---:|---:|---|",
            f"| validation, diff, history, commit | {imported['import_rows']:,}"
            f" | {imported.get('prepare_s', 0):,.2f} | {imported.get('apply_s', 0):,.2f}"
            f" | {imported['import_s']:,.2f} | {imported['raw_load_s']:,.2f}"
            f" | {ratio:,.1f} (target ≤ 4 {mark}) |",
        ]
        if "refresh_s" in imported:
            lines.append(
                f"\nThen, outside the import's figure: the kept progress of the"
                f" {imported['refreshed_years']} years it changed recomputed in"
                f" {imported['refresh_s']:,.2f} s, and the full backup, when one is due"
                f" ({imported['base_mb']:,.0f} MB) in {imported['backup_s']:,.2f} s."
            )
    return "\n".join(lines)


def growth(sizes: dict[str, dict[str, Any]]) -> str:
    """How each figure grows from one size to the next, against the growth of the data."""
    names = [n for n in ("S", "M", "L") if n in sizes]
    if len(names) < 2:
        return ""
    steps = list(zip(names, names[1:], strict=False))
    head = "| growth | " + " | ".join(f"{a}→{b}" for a, b in steps) + " |"
    lines = [head, "|---|" + "---:|" * len(steps)]
    for key, label in ROWS[:1] + ROWS[2:10] + ROWS[12:13]:
        cells = []
        for a, b in steps:
            x, y = sizes[a].get(key), sizes[b].get(key)
            cells.append(f"×{y / x:,.1f}" if x and y else "–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def last_run(results: dict[str, Any]) -> str:
    """The section docs/benchmark.md keeps of the results (merged: a size not measured this
    time keeps its figures of the run before, and says when they are from)."""
    m, imported = results.get("machine", {}), results.get("import") or {}
    when = {n: str(r.get("measured_at", "–"))[:10] for n, r in results.get("sizes", {}).items()}
    imported_on = str(imported.get("measured_at", ""))[:10] or "an earlier run"
    parts = [
        f"Written by `make bench` on {str(results.get('measured_at', '–'))[:16].replace('T', ' ')};"
        " machine:"
        f" {m.get('cpu', '–')}, {m.get('cores', '–')} cores, {m.get('memory_gb', '–')} GB."
        " Each size measured on: " + ", ".join(f"{n} {d}" for n, d in when.items()) + "; the"
        f" import of a million rows on {imported_on}.",
        table(results.get("sizes", {}), results.get("import")),
    ]
    pages = browser.table(results.get("sizes", {}))
    if pages:
        parts.append(pages)
    grown = growth(results.get("sizes", {}))
    if grown:
        parts.append(grown)
    return "\n\n".join(parts)


def write_section(path: Path, text: str) -> bool:
    """Put ``text`` between the markers of ``path``, leaving the rest of it as it was;
    False (nothing written) when the file or either marker is missing, or it cannot be
    written (results.json is written before it, and stands)."""
    try:
        doc = path.read_text(encoding="utf-8")
    except OSError:
        return False
    head, found, rest = doc.partition(BEGIN + "\n")
    _, found_end, tail = rest.partition(END)
    if not found or not found_end:
        return False
    fresh = head + BEGIN + "\n" + text.rstrip("\n") + "\n" + END + tail
    temp = path.with_name(path.name + ".tmp")
    try:
        temp.write_text(fresh, encoding="utf-8")
        temp.replace(path)  # whole or not at all
    except OSError:
        temp.unlink(missing_ok=True)
        return False
    return True


def merge(path: Path, run: dict[str, Any]) -> dict[str, Any]:
    """Keep the sizes this run did not measure from the previous results."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    sizes = dict(old.get("sizes", {}))
    sizes.update(run["sizes"])
    merged = dict(old) | {k: v for k, v in run.items() if k != "sizes"}
    merged["sizes"] = {k: sizes[k] for k in ("S", "M", "L") if k in sizes}
    if "import" not in run and "import" in old:
        merged["import"] = old["import"]
    return merged


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", nargs="+", default=["S", "M", "L"], choices=list(generate.SPECS))
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="scratch folder for data sets")
    p.add_argument("--regenerate", action="store_true", help="rebuild the data sets")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per measure (median)")
    p.add_argument("--budget", type=float, default=30.0, help="max seconds of timed runs each")
    p.add_argument("--no-import", action="store_true", help="skip the 1M-row import")
    p.add_argument("--no-browser", action="store_true", help="skip the pages in Chromium")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--docs", type=Path, default=DOCS, help="the Markdown page of the last run")
    args = p.parse_args(argv)
    if args.dir.resolve().is_relative_to((ROOT / "data").resolve()):
        p.error("--dir must not be under data/: the benchmark never touches the real database")

    started = time.perf_counter()
    run: dict[str, Any] = {"machine": machine(), "measured_at": datetime.now().isoformat()}
    say(
        f"machine: {run['machine']['cpu']}, {run['machine']['cores']} cores, "
        f"{run['machine']['memory_gb']} GB; load {run['machine']['load_average_at_start']}"
    )
    sizes: dict[str, dict[str, Any]] = {}
    for size in args.sizes:
        db = args.dir / f"{size}.duckdb"
        made = generate.ensure(db, size, args.regenerate, progress=lambda t: say(f"  {t}"))
        say(f"  {size}: measuring (median of {args.repeat} after a warm-up) …")
        result = _subprocess(
            "bench.measure",
            [
                "--size",
                size,
                "--db",
                str(db),
                "--repeat",
                str(args.repeat),
                "--budget",
                str(args.budget),
            ],
        )
        say(f"  {size}: a 1,000-value upload from the command line …")
        wrote = _subprocess("bench.write", ["--db", str(db), "--repeat", "3"])
        result["write_import_s"], result["write_backup_s"] = wrote["import_s"], wrote["backup_s"]
        if "S" in sizes:
            result["write_vs_s"] = round(wrote["import_s"] / sizes["S"]["write_import_s"], 2)
        result["generated_s"] = made["generated_s"]
        result["measured_at"] = datetime.now().isoformat(timespec="seconds")
        derive(result)
        result["targets_met"] = check(result)
        if not args.no_browser:
            say(f"  {size}: each page in headless Chromium …")
            result["browser"] = _subprocess("bench.browser", ["--db", str(db)])
        sizes[size] = result
    run["sizes"] = sizes
    if not args.no_import:
        say("  import: one-million-row long CSV …")
        flags = ["--dir", str(args.dir)] + (["--regenerate"] if args.regenerate else [])
        imported = _subprocess("bench.importing", flags)
        imported["ratio"] = round(imported["import_s"] / imported["raw_load_s"], 2)
        imported["target_met"] = imported["ratio"] <= 4
        imported["measured_at"] = datetime.now().isoformat(timespec="seconds")
        run["import"] = imported
    say("")
    say(table(sizes, run.get("import")))
    pages = browser.table(sizes)
    if pages:
        say("")
        say(pages)
    grown = growth(sizes)
    if grown:
        say("")
        say(grown)
    disagree = [n for n, r in sizes.items() if not r.get("pandas_agrees", True)]
    if disagree:
        say(f"\nWARNING: the dashboard and the pandas reference disagree at {disagree}")
    results = merge(args.out, run)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    say(f"\nwrote {args.out} ({time.perf_counter() - started:,.0f} s)")
    if write_section(args.docs, last_run(results)):
        say(f"wrote the last run into {args.docs}")
    else:
        say(f"{args.docs}: no markers of the last run, not written")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
