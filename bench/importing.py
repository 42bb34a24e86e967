"""The import of a one-million-row long CSV through the real ingest path, against DuckDB's
bare ``read_csv`` of the same file into a table. Runs in a process of its own:

    python -m bench.importing --dir /tmp/nq-bench --out /tmp/import.json

The setting: a province of 61,000 grassroots organisations (and their subcells) with four
years already in the database (2020-2023) uploads its 2024 numbers, one long CSV of
exactly 1,000,000 rows. A tenth of the organisations had sent 2024 numbers before, so the
diff finds rows unchanged and rows changed (their old values go to the history).

Each run applies the file to a fresh copy of the prepared database (copying is not timed),
as the upload page and ``cli import`` do: ``prepare`` (read, parse, validate, check
consistency, diff), the full backup (taken when one is due: the first write of a day, or
after 100,000 values; timed here on every run, to show what that write pays), ``apply``
(batch, history, values, the keys ``unit_year`` must catch up on, commit), then the refresh
(``unit_year`` and the kept progress of the years the file changed).
The import's figure is prepare + apply, the issue's "validation, diff, history, commit"; the
backup and the refresh are reported beside it. Each import is followed by a bare load, and
the medians of both are compared, so that the ratio is taken under one machine's load.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from bench import generate
from bench.timing import peak_rss_mb
from src.engine import aggregates
from src.ingest import apply, prepare
from src.services import bootstrap
from src.store import storage

ROWS = 1_000_000
YEAR = 2024
SPEC = generate.Spec("import", units=61_000, first_year=2020, last_year=YEAR, prefix="P")


def log(text: str) -> None:
    print(f"    {text}", file=sys.stderr, flush=True)


def _remove(database: Path) -> None:
    """A database file and its write-ahead log, if there."""
    for stale in (database, database.with_name(database.name + ".wal")):
        stale.unlink(missing_ok=True)


def _close(state: dict[str, Any]) -> None:
    """The connection kept in ``state``, if any."""
    old = state.pop("con", None)
    if old is not None:
        old.close()


def _marker() -> str:
    return generate.marker(SPEC) + f"|rows={ROWS}"


def prepare_files(folder: Path, regenerate: bool = False) -> tuple[Path, Path]:
    """The database before the upload and the CSV file (built once, reused)."""
    base, csv = folder / "import-base.duckdb", folder / "import-1m.csv"
    if base.exists() and csv.exists() and not regenerate:
        con = duckdb.connect(str(base), read_only=True)
        try:
            if generate.current_marker(con) == _marker():
                log(f"import: reusing {base} and {csv}")
                return base, csv
        except duckdb.Error:
            pass
        finally:
            con.close()
    _remove(base)
    csv.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    log("import: generating the database and the CSV …")
    con = bootstrap.open_database(base)
    try:
        generate.generate(con, SPEC)
        with storage.transaction(con) as cur:
            # the file: 2024, exactly ROWS rows, sorted as a spreadsheet export would be
            cur.execute(
                "CREATE TEMP TABLE upload AS SELECT year, org_code, indicator_code,"
                " value::BIGINT AS value FROM observations WHERE year = ?"
                " ORDER BY org_code, indicator_code LIMIT ?",
                [YEAR, ROWS],
            )
            cur.execute("COPY upload TO ? (HEADER, DELIMITER ',')", [str(csv)])
            # the database before: 2024 only for a tenth of the organisations, with one
            # number different (new_members, part of no whole: the file stays consistent)
            cur.execute(
                "DELETE FROM observations WHERE year = ? AND (hash(org_code) % 10 <> 0"
                " OR org_code NOT IN (SELECT DISTINCT org_code FROM upload))",
                [YEAR],
            )
            cur.execute(
                "UPDATE observations SET value = value + 1 WHERE year = ?"
                " AND indicator_code = 'new_members'",
                [YEAR],
            )
            cur.execute("DROP TABLE upload")
            cur.execute("DELETE FROM meta WHERE key = 'bench_dataset'")
            cur.execute("INSERT INTO meta VALUES ('bench_dataset', ?)", [_marker()])
        aggregates.rebuild(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return base, csv


def run(folder: Path, repeat: int, budget_s: float, regenerate: bool) -> dict[str, Any]:
    base, csv = prepare_files(folder, regenerate)
    data = csv.read_bytes()
    rows = data.count(b"\n") - 1
    work = folder / "import-work.duckdb"
    state: dict[str, Any] = {}

    def fresh() -> None:
        _close(state)
        _remove(work)
        shutil.copy(base, work)
        os.sync()  # the copy's write-back is not left to overlap the timed import
        state["con"] = bootstrap.open_database(work)

    phases: dict[str, list[float]] = {"prepare": [], "apply": [], "refresh": [], "backup": []}

    def timed(phase: str, fn: Any) -> Any:
        start = time.perf_counter()
        result = fn()
        phases[phase].append(time.perf_counter() - start)
        return result

    def ingest() -> None:
        """What the upload page and ``cli import`` do, phase by phase: prepare (read, check,
        diff); the backup (as when one is due); apply up to its commit (batch, history,
        values, the keys unit_year must catch up on); then the refresh (unit_year and the
        kept progress of the years it changed)."""
        con = state["con"]
        raw = csv.read_bytes()
        plan = timed("prepare", lambda: prepare(con, raw, csv.name))
        if not plan.ok:
            raise RuntimeError(f"the benchmark file was refused: {plan.errors[:3]}")
        timed("backup", lambda: storage.backup(con, work))  # where the CLI and page take it
        result = timed("apply", lambda: apply(con, plan, "bench", raw, refresh=False))
        state["stale"] = timed("refresh", lambda: aggregates.refresh_progress(con))
        state["counts"] = (result.added, result.changed, result.unchanged)
        state["bulk"] = plan.diffed

    raw_db = folder / "import-raw.duckdb"
    raw_state: dict[str, Any] = {}

    def raw_load() -> float:
        _close(raw_state)
        _remove(raw_db)
        raw_state["con"] = duckdb.connect(str(raw_db))
        os.sync()  # nor the import's write-back the bare load
        gc.collect()
        start = time.perf_counter()
        raw_state["con"].execute("CREATE TABLE raw AS SELECT * FROM read_csv(?)", [str(csv)])
        return time.perf_counter() - start

    # the import and the bare load take turns, so that both see the same machine: on a
    # shared 2-core machine the load moves by a third within minutes, and a ratio of two
    # figures taken minutes apart would measure that
    runs = max(repeat, 3)
    log(
        f"import: {rows:,} rows through prepare + apply, and the bare load, in turn:"
        f" a warm-up and {runs} runs …"
    )
    fresh()
    ingest()  # the warm-ups, as for every other figure
    raw_load()
    for values in phases.values():
        values.clear()
    raw_runs: list[float] = []
    spent = 0.0
    while len(raw_runs) < runs and (spent < budget_s or not raw_runs):
        fresh()
        gc.collect()
        ingest()
        raw_runs.append(raw_load())
        spent += phases["prepare"][-1] + phases["apply"][-1] + raw_runs[-1]
    _close(state)
    _close(raw_state)
    shutil.rmtree(folder / "backups", ignore_errors=True)
    _remove(work)
    _remove(raw_db)
    import_runs = [p + a for p, a in zip(phases["prepare"], phases["apply"], strict=True)]
    median = {k: statistics.median(v) for k, v in phases.items()}
    import_s = statistics.median(import_runs)
    raw_s = statistics.median(raw_runs)
    added, changed, unchanged = state["counts"]
    log(
        f"import: {import_s:,.2f} s (prepare {median['prepare']:,.2f} + apply"
        f" {median['apply']:,.2f}; median of {runs}); then refresh {median['refresh']:,.2f} s"
        f" for {len(state['stale'])} years, backup before it {median['backup']:,.2f} s;"
        f" added {added:,}, changed {changed:,}, unchanged {unchanged:,}"
    )
    log(f"raw read_csv: {raw_s:,.2f} s (median of {len(raw_runs)}, each after an import)")
    import_rss = peak_rss_mb()
    return {
        "import_rows": rows,
        "import_s": round(import_s, 3),
        "raw_load_s": round(raw_s, 3),
        "prepare_s": round(median["prepare"], 3),
        "apply_s": round(median["apply"], 3),
        "refresh_s": round(median["refresh"], 3),
        "refreshed_years": len(state["stale"]),
        "backup_s": round(median["backup"], 3),
        "base_mb": round(base.stat().st_size / 2**20, 1),
        "bulk_path": bool(state["bulk"]),
        "import_runs_s": [round(r, 3) for r in import_runs],
        "raw_runs_s": [round(r, 3) for r in raw_runs],
        # each import over the bare load just after it: how steady the ratio is
        "pair_ratios": [round(i / r, 2) for i, r in zip(import_runs, raw_runs, strict=True)],
        "added": added,
        "changed": changed,
        "unchanged": unchanged,
        "import_rss_mb": import_rss,
        "csv_mb": round(len(data) / 2**20, 1),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--dir", default="/tmp/nq-bench")
    p.add_argument("--out", required=True)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--budget", type=float, default=120.0)
    p.add_argument("--regenerate", action="store_true")
    args = p.parse_args(argv)
    result = run(Path(args.dir), args.repeat, args.budget, args.regenerate)
    Path(args.out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
