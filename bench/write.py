"""``python -m bench.write``: what a small upload costs at each size (issue 15, goal 2).

A reader's usual write is a few hundred to a few thousand numbers: one year's corrections
from a handful of cells. This times exactly that, as the reader meets it, at every size:
``python -m src.cli import FILE`` of a long CSV of 1,000 values of 2024 (the new members of
1,000 organisations, each one different from the value kept, so every row is a change),
on a copy of the size's database, in a process of its own, from start to exit (start-up,
read, checks, diff, the write and its history, the refresh of what is kept, the close).

The copy has had a write earlier the same day, so no full backup is due (the first write of
a day, or one after ``BACKUP_EVERY_VALUES`` values, also copies the file: that copy is timed
beside, as ``backup``). Each run uploads to a fresh copy; the figure is the median.

    python -m bench.write --db /tmp/nq-bench/L.duckdb [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
VALUES = 1_000
YEAR = 2024


def write_file(db: Path, out: Path) -> dict[str, int]:
    """The 1,000-value file: ``new_members`` (part of no whole, so every rule still holds) of
    up to 1,000 organisations reporting it in 2024, each moved by one; at a size with fewer
    organisations (S), values kept (of 2024, then of the years before) sent again as they
    are make up the 1,000."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(
            "CREATE TEMP TABLE moved AS SELECT year, org_code, indicator_code,"
            " (CASE WHEN value > 0 THEN value - 1 ELSE value + 1 END)::BIGINT AS value"
            " FROM observations WHERE year = ? AND indicator_code = 'new_members'"
            " ORDER BY org_code LIMIT ?",
            [YEAR, VALUES],
        )
        con.execute(
            "CREATE TEMP TABLE upload AS SELECT * FROM moved UNION ALL"
            " (SELECT year, org_code, indicator_code, value::BIGINT FROM observations"
            " WHERE year <= ? AND NOT (year = ? AND indicator_code = 'new_members')"
            " ORDER BY year DESC, org_code, indicator_code"
            " LIMIT ? - (SELECT count(*) FROM moved))",
            [YEAR, YEAR, VALUES],
        )
        con.execute(
            "COPY upload TO '" + str(out).replace("'", "''") + "' (HEADER)"  # a path of ours
        )
        row = con.execute("SELECT count(*), (SELECT count(*) FROM moved) FROM upload").fetchone()
        assert row is not None
        return {"values": int(row[0]), "changed": int(row[1])}
    finally:
        con.close()


def cli(db: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    """(seconds, result) of ``python -m src.cli ARGS`` on ``db``, in a process of its own."""
    env = {**os.environ, "DASHBOARD_DB": str(db), "DASHBOARD_LANG": "en"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "src.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - start, done


def measure(db: Path, repeat: int = 5) -> dict[str, float]:
    """Median seconds of the 1,000-value import, of the backup a due write adds, and of the
    CLI's own start-up (``--help``), on copies of ``db``."""
    work = Path(tempfile.mkdtemp(prefix="nq-write-"))
    try:
        upload = work / "upload-1000.csv"
        sent = write_file(db, upload)
        imports, backups = [], []
        for _ in range(repeat):
            copy = work / "db" / db.name
            shutil.rmtree(copy.parent, ignore_errors=True)
            copy.parent.mkdir()
            shutil.copyfile(db, copy)
            took, done = cli(copy, "backup")  # a copy made today: the write needs none
            if done.returncode != 0:
                raise RuntimeError(done.stderr)
            backups.append(took)
            os.sync()
            took, done = cli(copy, "import", str(upload))
            if done.returncode != 0:
                raise RuntimeError(done.stderr)
            imports.append(took)
        start_up = statistics.median(cli(db, "--help")[0] for _ in range(3))
        return {
            **sent,
            "import_s": round(statistics.median(imports), 3),
            "backup_s": round(statistics.median(backups), 3),
            "cli_start_s": round(start_up, 3),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    result = measure(args.db, args.repeat)
    print(json.dumps(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
