"""Command line: ``python -m src.cli COMMAND``; the same code path as the web page.

Exit codes: 0 done, 1 refused (every problem on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from src import bootstrap, config, queries, reports, storage
from src.i18n import fmt_date, t
from src.ingest import IngestError, UndoConflictError, apply, prepare, undo
from src.ingest.apply import check_not_applied
from src.ingest.report import later_batches
from src.progress import progress_table

PROGRESS_OUT = [
    "goal_code",
    "year",
    "actual",
    "target",
    "status",
    "pace_target",
    "pace_status",
    "projection",
    "numerator",
    "denominator",
    "reported",
    "expected",
    "applicable",
]
HISTORY_OUT = [
    "batch_id",
    "applied_at",
    "file_name",
    "sha256",
    "added",
    "changed",
    "unchanged",
    "status",
]


class CliError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def number(value: object) -> str:
    """One format for numbers in machine output: integers bare, others shortest repr."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(round(value, 6))
    return str(value)


def json_value(value: object) -> object:
    """NaN and infinities → null (JSON has neither); whole counts as integers; numpy
    scalars as plain Python."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value.is_integer():
            return int(value)
    return value


def open_db(lang: str, must_exist: bool = True) -> tuple[duckdb.DuckDBPyConnection, Path]:
    path = config.db_path()
    if must_exist and not path.exists():
        raise CliError(t("cli_no_db", lang, path=path))
    try:
        return storage.connect(path), path
    except storage.DatabaseBusyError as exc:
        raise CliError(t("cli_db_busy", lang, path=path)) from exc
    except storage.DatabaseDamagedError as exc:
        raise CliError(t("db_damaged", lang, path=path, backup=exc.backup or "–")) from exc


def cmd_init(args: argparse.Namespace, lang: str) -> int:
    path = config.db_path()
    if path.exists() and args.force:
        path.unlink()
        Path(str(path) + ".wal").unlink(missing_ok=True)
    try:
        con = bootstrap.open_database(path)
    except storage.DatabaseBusyError as exc:
        raise CliError(t("cli_db_busy", lang, path=path)) from exc
    if args.demo:
        if not bootstrap.is_empty(con):
            raise CliError(t("cli_db_exists", lang, path=path))
        bootstrap.load_demo(con)
    what = t("cli_init_demo" if args.demo else "cli_init_empty", lang)
    print(t("cli_init_done", lang, path=path, what=what))
    return 0


def cmd_import(args: argparse.Namespace, lang: str) -> int:
    file = Path(args.file)
    if not file.is_file():
        raise CliError(t("cli_file_missing", lang, file=file), 2)
    data = file.read_bytes()
    con, path = open_db(lang)
    plan = prepare(con, data, file.name)
    try:
        if plan.ok:
            check_not_applied(con, plan)
    except IngestError as exc:
        plan.problems = plan.problems + exc.problems
    for problem in plan.problems:
        print(problem.render(lang), file=sys.stderr)
    if not plan.ok:
        return 1
    summary = f"{file.name}: {plan.kind}, +{plan.added} ~{plan.changed} ={plan.unchanged}"
    if args.dry_run:
        print(f"{summary} {t('cli_dry_run', lang)}")
        return 0
    storage.backup(con, path)
    try:
        result = apply(con, plan, applied_by=os.environ.get("USER", "cli"), data=data)
    except IngestError as exc:
        for problem in exc.problems:
            print(problem.render(lang), file=sys.stderr)
        return 1
    print(f"{summary} → batch {result.batch_id}")
    return 0


def cmd_progress(args: argparse.Namespace, lang: str) -> int:
    con, _ = open_db(lang)
    resolution = queries.resolution(con, args.resolution)
    if args.org:
        known = set(queries.organisations(con)["org_code"])
        unknown = [c for c in args.org if c not in known]
        if unknown:
            raise CliError(t("cli_unknown_org", lang, codes=", ".join(unknown)), 2)
    table = progress_table(con, args.year, args.org or None, resolution.code)
    rows = [{c: row[c] for c in PROGRESS_OUT} for row in table.to_dict("records")]
    if args.format == "json":
        clean = [{k: json_value(v) for k, v in r.items()} for r in rows]
        # never Infinity or NaN, which no JSON reader accepts
        json.dump(clean, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
        print()
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(PROGRESS_OUT)
        for r in rows:
            writer.writerow([number(r[c]) for c in PROGRESS_OUT])
    return 0


def export_csv(con: duckdb.DuckDBPyConnection) -> str:
    """Every observation as canonical long CSV: sorted, one number format, LF endings."""
    frame = queries.observations_long(con)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["year", "org_code", "indicator_code", "value"])
    for year, org, code, value in frame.itertuples(index=False):
        writer.writerow([int(year), org, code, number(float(value))])
    return out.getvalue()


def export_report(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, lang: str) -> int:
    """A Word report or an Excel workbook for a year (default: the latest with data), or with
    --term for every year of the term up to it."""
    resolution = queries.resolution(con, args.resolution)
    year = args.year if args.year is not None else queries.latest_data_year(con, resolution)
    if year not in resolution.term_years:
        first, last = resolution.term_years[0], resolution.term_years[-1]
        raise CliError(t("cli_bad_year", lang, year=year, first=first, last=last), 2)
    if args.org:
        known = set(queries.organisations(con)["org_code"])
        unknown = [c for c in args.org if c not in known]
        if unknown:
            raise CliError(t("cli_unknown_org", lang, codes=", ".join(unknown)), 2)
    head = reports.letterhead(
        con, lang, superior=args.superior, issuer=args.issuer, place=args.place
    )
    report = reports.make(
        con,
        args.format,
        year=year,
        org_codes=args.org or None,
        term=args.term,
        lang=lang,
        resolution_code=resolution.code,
        head=head,
        charts=not args.no_charts,
    )
    Path(args.out).write_bytes(report.data)
    if report.charts_drawn < report.charts_wanted:
        print(t("cli_report_no_charts", lang), file=sys.stderr)
    print(t("cli_report_written", lang, path=args.out, period=report.content.period))
    return 0


def cmd_export(args: argparse.Namespace, lang: str) -> int:
    con, _ = open_db(lang)
    if args.format in reports.FORMATS:
        return export_report(con, args, lang)
    if args.format != "csv":
        raise CliError(t("cli_format_unsupported", lang, fmt=args.format), 2)
    text = export_csv(con)
    Path(args.out).write_text(text, encoding="utf-8", newline="")
    print(t("cli_exported", lang, path=args.out, n=text.count("\n") - 1))
    return 0


def cmd_history(args: argparse.Namespace, lang: str) -> int:
    con, _ = open_db(lang)
    rows = (
        con.cursor()
        .execute(
            "SELECT batch_id, applied_at, file_name, sha256, added, changed, unchanged, status"
            " FROM batches ORDER BY batch_id"
        )
        .fetchall()
    )
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(HISTORY_OUT)
        for r in rows:
            writer.writerow([r[0], r[1].isoformat(timespec="seconds"), *r[2:]])
    else:
        for r in rows:
            print(
                f"{r[0]:>4}  {fmt_date(r[1], lang, True)}  {r[7]:<8} +{r[4]} ~{r[5]} ={r[6]}"
                f"  {r[2]}"
            )
    return 0


def cmd_undo(args: argparse.Namespace, lang: str) -> int:
    con, path = open_db(lang)
    storage.backup(con, path)
    try:
        n = undo(con, args.batch_id, undone_by=os.environ.get("USER", "cli"), force=args.force)
    except LookupError as exc:
        raise CliError(t("cli_batch_missing", lang, batch=args.batch_id), 1) from exc
    except ValueError as exc:
        raise CliError(str(exc), 1) from exc
    except UndoConflictError as exc:
        msg = t(
            "cli_undo_conflict",
            lang,
            batch=args.batch_id,
            n=len(exc.later),
            later=later_batches(exc.later),
        )
        raise CliError(msg, 1) from exc
    print(t("cli_undone", lang, batch=args.batch_id, n=n))
    return 0


def cmd_backup(args: argparse.Namespace, lang: str) -> int:
    con, path = open_db(lang)
    print(storage.backup(con, path))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m src.cli", description=__doc__)
    p.add_argument("--lang", choices=["vi", "en"], default=None)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("init", help="create the database with the goal catalogue")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--demo", action="store_true", help="load the demo data")
    g.add_argument("--empty", action="store_true", help="no data (the default)")
    s.add_argument("--force", action="store_true", help="delete an existing database first")
    s.set_defaults(func=cmd_init)
    s = sub.add_parser("import", help="validate and apply a file")
    s.add_argument("file")
    s.add_argument("--dry-run", action="store_true")
    s.set_defaults(func=cmd_import)
    s = sub.add_parser("progress", help="target vs actual for a year")
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--org", nargs="+", metavar="CODE")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.add_argument("--resolution", default=None)
    s.set_defaults(func=cmd_progress)
    s = sub.add_parser("export", help="export all data")
    s.add_argument("--format", choices=["csv", "xlsx", "docx"], default="csv")
    s.add_argument("--out", required=True)
    s.add_argument("--year", type=int)
    s.add_argument("--org", nargs="+", metavar="CODE")
    s.add_argument("--term", action="store_true", help="every year of the term up to --year")
    s.add_argument("--resolution", default=None)
    s.add_argument("--no-charts", action="store_true", help="docx: leave the charts out")
    s.add_argument("--issuer", help="docx: the issuing body (top left)")
    s.add_argument("--superior", help="docx: the body above it (top left, first line)")
    s.add_argument("--place", help="docx: the place of the date line")
    s.set_defaults(func=cmd_export)
    s = sub.add_parser("history", help="applied files")
    s.add_argument("--format", choices=["text", "csv"], default="text")
    s.set_defaults(func=cmd_history)
    s = sub.add_parser("undo", help="undo one applied file")
    s.add_argument("batch_id", type=int)
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=cmd_undo)
    s = sub.add_parser("backup", help="copy the database aside")
    s.set_defaults(func=cmd_backup)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    lang = args.lang or config.default_lang()
    try:
        return int(args.func(args, lang))
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):  # `... | head` ends quietly, as other commands do
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
