"""The command line run in-process against a private copy of the demo database.

``python -m src.cli`` is ``sys.exit(main())``: calling :func:`src.cli.commands.main` with the same
arguments runs the same code, without paying for a new interpreter (about a second) on each
of the hundred-odd commands the upload tests run. A traceback is not swallowed: it fails the
test. A few tests run the real ``python -m src.cli`` in a subprocess as well.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from src.cli import commands as cli

DATA = Path(__file__).resolve().parent / "data"
BAD = DATA / "bad"
GOOD = DATA / "good"


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def copy_db(source: Path, target_dir: Path) -> Path:
    """A private copy of a closed database file."""
    target = target_dir / source.name
    shutil.copyfile(source, target)
    wal = Path(str(source) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(target) + ".wal"))
    return target


def run(db: Path, *args: str, lang: str | None = None) -> Result:
    """``python -m src.cli [--lang LANG] ARGS`` against ``db``, in this process."""
    argv = [*(["--lang", lang] if lang else []), *args]
    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in ("DASHBOARD_DB", "DASHBOARD_LANG")}
    os.environ["DASHBOARD_DB"] = str(db)
    os.environ.pop("DASHBOARD_LANG", None)  # Vietnamese unless --lang says otherwise
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:  # sys.exit("text"): Python prints the text and exits 1
                    print(exc.code, file=err)
                    code = 1
    finally:
        # The command's connection is closed as its last reference goes when main() returns
        # (no gc.collect() here: it would cost a tenth of a second per command).
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Result(code, out.getvalue(), err.getvalue())


def export(db: Path, tmp_path: Path, name: str = "export.csv") -> bytes:
    """``export --format csv``: every observation, canonical; the bytes of the file."""
    out = tmp_path / name
    result = run(db, "export", "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


def history(db: Path) -> list[dict[str, str]]:
    """``history --format csv`` as rows."""
    result = run(db, "history", "--format", "csv")
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))
