"""Crash safety of an import: ``kill -9`` of ``python -m src.cli import`` at any point of a big
file leaves a database that opens with exactly the state before the import or after it.

The big file (``NQ_CRASH_ROWS`` rows, default 200,000: every per-organisation indicator of
a few thousand grassroots cells over ten years, consistent with the data contract) is applied
once without interruption, to record the after-state and to time the import's phases: T, the
whole process; the write phase W, from the moment the pre-import backup appears in
``<db dir>/backups/`` (the last step before the transaction) to the summary line (printed once
the batch is committed); and the close, from the summary to the exit. Then, on fresh copies
of the before-database, the import is killed with SIGKILL at fractions of T from its start,
at fractions of W from the backup's appearance (reading and validating the file takes most
of T and writes nothing, so the kills that matter are anchored on the write phase), when the
database file has grown by part of what the import adds to it, when the commit's WAL file
appears, and just after the summary (DuckDB checkpoints on close). Each time the database
must open, export byte for byte the before- or the after-state, and show the big file in its
history accordingly: no batch, or exactly one ``applied`` batch with the uninterrupted run's
counts. All kill points are relative to the measured times or to what is on disk, so they
stay meaningful as the import gets faster.
Run with ``-s`` to see the timings and which state each kill point produced.
"""

from __future__ import annotations

import math
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from src.store import queries
from src.store.catalogue import load_indicators
from tests.conftest import ROOT, run_cli_at
from tests.ingest_support import Result

ROWS = int(os.environ.get("NQ_CRASH_ROWS", "200000"))
YEARS = range(2016, 2026)
# Every per-organisation indicator of the data contract, in catalogue order.
INDICATORS = [i.code for i in load_indicators() if i.level == "org"]
# Kill points: (label, anchor, fraction). The anchor is
# - "start": the start of the process, the fraction is of T;
# - "backup": the pre-import backup's appearance, the fraction is of the write phase W;
# - "grown": the database file has grown by the fraction of what the uninterrupted import
#   added to it (the new rows are written to the file before the commit);
# - "wal": the WAL file appears (the commit being written; DuckDB removes it again after its
#   checkpoint a few milliseconds later, so this point may be missed: it then says so);
# - "summary": the summary line, printed after the commit; the fraction is of the close.
KILL_POINTS = [
    *((f"{f:.0%} of T", "start", f) for f in (0.05, 0.50, 0.90, 0.99)),
    *((f"backup+{f:.0%} of W", "backup", f) for f in (0.0, 0.50)),
    *((f"file grown {f:.0%}", "grown", f) for f in (0.50, 0.99)),
    ("WAL appears", "wal", 0.0),
    ("at summary", "summary", 0.0),
    ("summary+50% of close", "summary", 0.5),
]
POLL = 0.0005  # seconds between looks at the files
BIG = "big.csv"
HEADER = "year,org_code,indicator_code,value\n"
COUNTED = ("added", "changed", "unchanged", "status")


def org_code(i: int) -> str:
    return f"CB{i:05d}"


def org_values(rng: random.Random) -> dict[str, int]:
    """One organisation-year of the 17 indicators, obeying every consistency rule."""
    total = rng.randint(5, 120)
    rated = rng.randint(0, total)
    excellent = rng.randint(0, rated)
    good = rng.randint(0, rated - excellent)
    completed = rng.randint(0, rated - excellent - good)
    staff = rng.randint(0, 300)
    advanced = rng.randint(0, staff)
    mass = rng.randint(0, 6)
    units = rng.randint(0, 10)
    values = {
        "members_total": total,
        "members_studied": rng.randint(0, total),
        "members_rated": rated,
        "members_excellent": excellent,
        "members_good": good,
        "members_completed": completed,
        "members_not_completed": rated - excellent - good - completed,
        "org_rating": rng.randint(1, 4),
        "staff_total": staff,
        "staff_advanced": advanced,
        "staff_emulation": rng.randint(0, advanced),
        "new_members": rng.randint(0, 8),
        "inspected": rng.randint(0, 1),
        "mass_orgs_total": mass,
        "mass_orgs_good": rng.randint(0, mass),
        "units_total": units,
        "units_cultural": rng.randint(0, units),
    }
    assert list(values) == INDICATORS
    return values


def long_rows(orgs: range, years: range, seed: int) -> list[str]:
    """Long-format lines for every organisation, year and indicator (deterministic)."""
    lines: list[str] = []
    for i in orgs:
        for year in years:
            rng = random.Random(seed * 1_000_003 + i * 101 + year)
            values = org_values(rng)
            lines.extend(f"{year},{org_code(i)},{k},{v}\n" for k, v in values.items())
    return lines


@dataclass(frozen=True)
class Files:
    orgs: Path
    small: Path
    big: Path
    n_orgs: int
    big_rows: int


def write_files(folder: Path) -> Files:
    n_orgs = max(2, math.ceil(ROWS / (len(YEARS) * len(INDICATORS))))
    orgs = folder / "orgs.csv"
    orgs.write_text(
        "org_code,name,kind,parent_code\nROOT,Đảng bộ Thử nghiệm,root,\n"
        + "".join(f"{org_code(i)},Chi bộ số {i},grassroots_cell,ROOT\n" for i in range(n_orgs)),
        encoding="utf-8",
    )
    # The first small file: values the big file leaves as they are (same seed), values it
    # changes (another seed), and a root value it does not touch at all.
    few = min(20, n_orgs)
    small = folder / "small.csv"
    small.write_text(
        HEADER
        + "".join(long_rows(range(few), range(2024, 2025), seed=1))
        + "".join(long_rows(range(few), range(2025, 2026), seed=2))
        + "2025,ROOT,classes_candidates,3\n",
        encoding="utf-8",
    )
    big_lines = long_rows(range(n_orgs), YEARS, seed=1)
    big = folder / BIG
    big.write_text(HEADER + "".join(big_lines), encoding="utf-8")
    return Files(orgs, small, big, n_orgs, len(big_lines))


def env_for(db: Path) -> dict[str, str]:
    # unbuffered: the summary line reaches the pipe when it is printed, not at exit
    return dict(os.environ, DASHBOARD_DB=str(db), DASHBOARD_LANG="en", PYTHONUNBUFFERED="1")


def cli(db: Path, *args: str) -> Result:
    """The command line in this process: only the import that is killed needs its own."""
    return run_cli_at(db, *args, lang="en")


def ok(db: Path, *args: str) -> str:
    result = cli(db, *args)
    assert result.returncode == 0, (args, result.returncode, result.stdout, result.stderr)
    return result.stdout


def export(db: Path, out: Path) -> bytes:
    ok(db, "export", "--format", "csv", "--out", str(out))
    return out.read_bytes()


def history(db: Path) -> list[dict[str, str]]:
    """The batches as ``cli history --format csv`` lists them (the database was opened,
    after the kill, by the ``cli export`` before it)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        frame = queries.batches(con).iloc[::-1]
    finally:
        con.close()
    return [
        {k: str(getattr(r, k)) for k in ("batch_id", "file_name", "sha256", *COUNTED)}
        for r in frame.itertuples(index=False)
    ]


def copy_db(source: Path, folder: Path) -> Path:
    """A private copy of a closed database (and its WAL, if one was left)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copyfile(source, target)
    wal = Path(str(source) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(target) + ".wal"))
    return target


def on_disk(db: Path) -> str:
    wal = Path(str(db) + ".wal")
    wal_size = f"{wal.stat().st_size / 1e3:.0f}kB" if wal.exists() else "none"
    return f"db {db.stat().st_size / 1e6:.1f}MB, wal {wal_size}"


@dataclass
class Run:
    """One import process, watched: when its backup appeared and its summary was printed."""

    backup_at: float | None = None  # seconds after the start
    summary_at: float | None = None
    wal_at: float | None = None  # when a WAL file was first seen
    killed_at: float | None = None  # None: not killed (it had exited)
    ended_at: float = 0.0
    exit_code: int = 0
    on_disk: str = ""  # sizes at kill time

    def phase(self) -> str:
        """Where the process was when it was killed (or that it had already exited)."""
        if self.killed_at is None:
            return f"had exited {self.exit_code}"
        if self.summary_at is not None:
            return "closing (summary printed)"
        if self.backup_at is not None:
            return f"writing ({self.killed_at - self.backup_at:.2f}s after the backup appeared)"
        return "reading/validating (no backup yet)"


def run_import(
    db: Path,
    big: Path,
    anchor: str | None = None,
    delay: float = 0.0,
    grown_to: int = 0,
    *,
    check: bool = False,
) -> Run:
    """``import big`` on ``db``, SIGKILLed ``delay`` seconds after ``anchor`` ("start",
    "backup", "summary"; "grown": as soon as the database file is ``grown_to`` bytes; "wal":
    as soon as a WAL file exists) unless it exits first; never killed when ``anchor`` is
    None."""
    run = Run()
    backups = db.parent / "backups"
    wal = Path(str(db) + ".wal")
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "src.cli", "import", str(big)],
        cwd=ROOT,
        env=env_for(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )

    def read_summary() -> None:
        assert proc.stdout is not None
        if proc.stdout.readline():
            run.summary_at = time.monotonic() - started
        proc.stdout.read()

    reader = threading.Thread(target=read_summary, daemon=True)
    reader.start()
    try:
        while proc.poll() is None:
            now = time.monotonic() - started
            if run.backup_at is None and backups.is_dir() and any(backups.iterdir()):
                run.backup_at = now
            if run.wal_at is None and wal.exists():
                run.wal_at = now
            if anchor == "grown":
                base = now if db.stat().st_size >= grown_to else None
            elif anchor == "wal":
                base = now if wal.exists() else None
            else:
                marks = {"start": 0.0, "backup": run.backup_at, "summary": run.summary_at}
                base = marks.get(anchor or "")
            if base is not None and now >= base + delay:
                run.on_disk = on_disk(db)
                if proc.poll() is None:
                    os.kill(proc.pid, signal.SIGKILL)
                    run.killed_at = now
                break
            time.sleep(POLL)
        run.exit_code = proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    run.ended_at = time.monotonic() - started
    run.on_disk = run.on_disk or on_disk(db)
    reader.join(timeout=60)
    if check:
        assert run.exit_code == 0, f"the uninterrupted import exited {run.exit_code}"
    return run


def counts(row: dict[str, str]) -> tuple[str, ...]:
    return (row["file_name"], *(row[k] for k in COUNTED))


def test_kill_during_import_leaves_before_or_after_state(tmp_path: Path) -> None:
    began = time.monotonic()
    files = write_files(tmp_path)
    base = tmp_path / "before" / "nq.duckdb"
    base.parent.mkdir()
    ok(base, "init", "--empty")
    ok(base, "import", str(files.orgs))
    ok(base, "import", str(files.small))
    shutil.rmtree(base.parent / "backups", ignore_errors=True)
    before = export(base, tmp_path / "before.csv")
    before_history = history(base)
    assert len(before_history) == 2 and before.count(b"\n") > 1
    setup = time.monotonic() - began

    # The after-state: the same import, uninterrupted, timed phase by phase.
    ref_db = copy_db(base, tmp_path / "after")
    size_before = ref_db.stat().st_size
    ref = run_import(ref_db, files.big, check=True)
    growth = ref_db.stat().st_size - size_before
    assert ref.backup_at is not None and ref.summary_at is not None
    whole, write = ref.ended_at, ref.summary_at - ref.backup_at
    close = ref.ended_at - ref.summary_at
    after = export(ref_db, tmp_path / "after.csv")
    after_history = history(ref_db)
    assert after != before
    assert after_history[:-1] == before_history
    big_batch = after_history[-1]
    assert big_batch["file_name"] == BIG and big_batch["status"] == "applied"
    changes = [int(big_batch[k]) for k in ("added", "changed", "unchanged")]
    assert sum(changes) == files.big_rows
    print(
        f"\n{files.big_rows} rows ({files.n_orgs} organisations x {len(YEARS)} years x"
        f" {len(INDICATORS)} indicators, +{changes[0]} ~{changes[1]} ={changes[2]});"
        f" setup {setup:.1f}s\nuninterrupted import: T = {whole:.2f}s, backup appeared at"
        f" {ref.backup_at:.2f}s, write phase W = {write:.2f}s, close {close:.2f}s; database"
        f" file {size_before / 1e6:.1f}MB -> {(size_before + growth) / 1e6:.1f}MB, WAL seen at"
        f" {'-' if ref.wal_at is None else f'{ref.wal_at:.3f}s'}, summary at {ref.summary_at:.3f}s"
    )

    phase_length = {"start": whole, "backup": write, "summary": close, "grown": 0.0, "wal": 0.0}
    runs: list[Run] = []
    for n, (label, anchor, fraction) in enumerate(KILL_POINTS):
        db = copy_db(base, tmp_path / f"kill{n}")
        delay = fraction * phase_length[anchor]
        run = run_import(db, files.big, anchor, delay, size_before + int(fraction * growth))
        runs.append(run)
        if run.killed_at is None:  # it finished first: that counts only as a success
            assert run.exit_code == 0, f"{label}: the import exited {run.exit_code}"
        opened = cli(db, "export", "--format", "csv", "--out", str(db.parent / "state.csv"))
        assert opened.returncode == 0, (
            f"{label}: the database did not open after the kill ({db}): {opened.stderr}"
        )
        state = (db.parent / "state.csv").read_bytes()
        name = "before" if state == before else "after" if state == after else "NEITHER"
        when = run.killed_at if run.killed_at is not None else run.ended_at
        print(f"  {label:>21} at {when:5.2f}s, {run.phase()}; {run.on_disk}: {name}")
        assert name != "NEITHER", f"{label}: the database holds neither state ({db})"
        if run.killed_at is None or run.summary_at is not None:
            assert name == "after", f"{label}: the summary was printed but the import is lost"
        rows = history(db)
        if name == "before":
            assert rows == before_history, f"{label}: history without the values: {rows}"
        else:
            assert rows[:-1] == before_history, f"{label}: {rows}"
            assert counts(rows[-1]) == counts(big_batch), f"{label}: {rows[-1]}"
        shutil.rmtree(db.parent)  # one copy on disk at a time

    assert any(
        r.killed_at is not None and r.backup_at is not None and r.summary_at is None for r in runs
    ), "no kill landed in the write phase (after the backup, before the commit)"
    print(f"  total {time.monotonic() - began:.1f}s")
