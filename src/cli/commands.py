"""Command line: ``python -m src.cli COMMAND``; the same code path as the web page.

Exit codes: 0 done, 1 refused (every problem on stderr), 2 usage.

One module, past 400 lines, because it is the data contract's command line: one argparse
tree and one short function per command, which the contract documents together.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from decimal import Decimal
from pathlib import Path

import duckdb

from src import config
from src.domain.models import Indicator, Resolution
from src.engine import aggregates
from src.engine.progress import progress_table
from src.i18n import fmt_date, t
from src.ingest import (
    IngestError,
    UndoConflictError,
    UndoError,
    apply,
    draft_book,
    prepare,
    resolution_book,
    resolutions,
    undo,
)
from src.ingest.apply import check_not_applied, check_undoable
from src.ingest.draft import Draft, DraftRow, draft
from src.services import bootstrap
from src.store import catalogue, queries, recovery, storage
from src.views.resolution_view import replaces_text

# src.reports.FORMATS (a test keeps them equal): src.reports is imported for a report only, so
# that every other command starts without Word's, Excel's and the charts' libraries.
REPORT_FORMATS = ("docx", "xlsx")
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
    "target_max",
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
    """One format for numbers in machine output (docs/resolutions.md): unrounded (12
    significant digits), ``.`` as decimal point, no thousands separator, never an exponent;
    integers bare."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return str(int(value))
        # 12 significant digits: unrounded for any real count or ratio, without the noise
        # of binary floating point (8.499999999999996 for 8.5)
        text = f"{value:.12g}"
        if "e" in text:
            text = format(Decimal(text), "f")
        return text
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


class Opened:
    """The database the command opened and its data version then: when a write fails, it
    committed exactly if the version moved (a command holds the file alone)."""

    con: duckdb.DuckDBPyConnection | None = None
    path: Path | None = None
    version = 0


OPENED = Opened()
WRITES = {"import", "undo", "init", "restore", "resolution"}  # commands that change the database


def open_db(
    lang: str, must_exist: bool = True, read: bool = False
) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """Open the database; ``read``: only to read it (read-only when it may not be written).
    A damaged, read-only or full-disk database raises storage's errors, which :func:`main`
    turns into messages."""
    path = config.db_path()
    if must_exist and not path.exists():
        raise CliError(t("cli_no_db", lang, path=path))
    try:
        con = storage.connect_to_read(path) if read else storage.connect(path)
    except storage.DatabaseBusyError as exc:
        raise CliError(t("cli_db_busy", lang, path=path)) from exc
    OPENED.con, OPENED.path, OPENED.version = con, path, storage.data_version(con)
    return con, path


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
    kind = t("kind_" + plan.kind, lang) if plan.kind else ""
    summary = f"{file.name}: {kind}, +{plan.added} ~{plan.changed} ={plan.unchanged}"
    nothing_new = not (plan.added or plan.changed)
    if args.dry_run:  # the preview: valid, and says when applying it would change nothing
        if nothing_new:
            print(t("nothing_new_cli", lang, file=file.name), file=sys.stderr)
        print(f"{summary} {t('cli_dry_run', lang)}")
        return 0
    if nothing_new:  # as the page does: a file that changes nothing makes no batch
        print(t("nothing_new_cli", lang, file=file.name), file=sys.stderr)
        return 1
    storage.backup_if_due(con, path, plan.added + plan.changed)
    try:
        result = apply(
            con, plan, applied_by=os.environ.get("USER", "cli"), data=data, refresh=False
        )
    except IngestError as exc:
        for problem in exc.problems:
            print(problem.render(lang), file=sys.stderr)
        return 1
    print(f"{summary} → {t('cli_batch_made', lang, batch=result.batch_id)}")
    aggregates.refresh_progress(con)  # committed: if this fails, main says it will catch up
    return 0


def _resolution(con: duckdb.DuckDBPyConnection, code: str | None, lang: str) -> Resolution:
    """The installed resolution of this code (the default one when None); an unknown code
    is a usage error naming the installed ones."""
    try:
        return queries.resolution(con, code)
    except LookupError as exc:
        known = ", ".join(r.code for r in queries.resolutions(con))
        raise CliError(t("res_unknown", lang, code=code, known=known), 2) from exc


def cmd_progress(args: argparse.Namespace, lang: str) -> int:
    con, _ = open_db(lang, read=True)
    resolution = _resolution(con, args.resolution, lang)
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
    """Every observation as canonical long CSV: sorted, LF endings, each number written as
    the upload reads it back (the templates' format: never exactly three digits after the
    point, which an upload takes for a thousands mark: 1.234 is written 1.2340)."""
    from src.services.templates import csv_number

    frame = queries.observations_long(con)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["year", "org_code", "indicator_code", "value"])
    for year, org, code, value in frame.itertuples(index=False):
        writer.writerow([int(year), org, code, csv_number(float(value))])
    return out.getvalue()


def export_report(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, lang: str) -> int:
    """A Word report or an Excel workbook for a year (default: the latest with data), or with
    --term for every year of the term up to it."""
    from src import reports  # Word, Excel and the charts' libraries: loaded for a report only

    resolution = _resolution(con, args.resolution, lang)
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
    con, _ = open_db(lang, read=True)
    if args.format in REPORT_FORMATS:
        return export_report(con, args, lang)
    if args.format != "csv":
        raise CliError(t("cli_format_unsupported", lang, fmt=args.format), 2)
    text = export_csv(con)
    Path(args.out).write_text(text, encoding="utf-8", newline="")
    print(t("cli_exported", lang, path=args.out, n=text.count("\n") - 1))
    return 0


def cmd_history(args: argparse.Namespace, lang: str) -> int:
    con, _ = open_db(lang, read=True)
    oldest_first = queries.batches(con).iloc[::-1]  # the pages' history, newest first
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(HISTORY_OUT)
        for r in oldest_first.itertuples(index=False):
            applied = r.applied_at.isoformat(timespec="seconds")
            writer.writerow(
                [r.batch_id, applied, r.file_name, r.sha256, r.added, r.changed]
                + [r.unchanged, r.status]
            )
    else:
        for r in oldest_first.itertuples(index=False):
            print(
                f"{r.batch_id:>4}  {fmt_date(r.applied_at, lang, True)}  {r.status:<8}"
                f" +{r.added} ~{r.changed} ={r.unchanged}  {r.file_name}"
            )
    return 0


def cmd_undo(args: argparse.Namespace, lang: str) -> int:
    con, path = open_db(lang)
    try:
        check_undoable(con, args.batch_id)  # refused before the backup
        storage.backup_if_due(con, path, storage.batch_values(con, args.batch_id))
        n = undo(
            con,
            args.batch_id,
            undone_by=os.environ.get("USER", "cli"),
            force=args.force,
            refresh=False,
        )
    except UndoConflictError as exc:
        raise CliError(f"{exc.message(lang)} {t('undo_force_hint', lang)}", 1) from exc
    except UndoError as exc:
        raise CliError(exc.message(lang), 1) from exc
    print(t("cli_undone", lang, batch=args.batch_id, n=n))
    aggregates.refresh_progress(con)  # committed: if this fails, main says it will catch up
    return 0


def _read_resolution(
    con: duckdb.DuckDBPyConnection, file: Path, lang: str
) -> resolution_book.BookResult:
    if not file.is_file():
        raise CliError(t("cli_file_missing", lang, file=file), 2)
    return resolution_book.read_book(file.read_bytes(), file.name, queries.indicators(con))


def cmd_resolution_import(args: argparse.Namespace, lang: str) -> int:
    file = Path(args.file)
    con, path = open_db(lang)
    found = _read_resolution(con, file, lang)
    if found.doc is None:
        for problem in found.errors:
            print(problem.render(lang), file=sys.stderr)
        print(t("res_refused", lang, file=file.name, n=len(found.errors)), file=sys.stderr)
        return 1
    doc = found.doc
    seen = resolutions.preview(con, doc)
    known = {i.code: i for i in [*queries.indicators(con), *doc.indicators]}
    print(
        t(
            "res_summary",
            lang,
            code=doc.resolution.code,
            name=doc.resolution.name(lang),
            start=doc.resolution.term_start,
            end=doc.resolution.term_end,
            goals=len(doc.goals),
            indicators=len(doc.indicators),
            version=seen.version,
        )
    )
    for goal in doc.goals:
        words = resolution_book.describe_goal(goal, known, lang)
        print(f"  {goal.code}. {goal.title(lang)}: {words}")
    replaces = replaces_text(seen, lang)
    if replaces:
        print(replaces)
    if args.dry_run:
        print(t("cli_dry_run", lang))
        return 0
    data = file.read_bytes()
    storage.backup_if_due(con, path)
    try:
        result = resolutions.install(con, doc, file.name, data, os.environ.get("USER", "cli"))
    except IngestError as exc:
        for refusal in exc.problems:
            print(refusal.render(lang), file=sys.stderr)
        return 1
    print(
        t(
            "res_installed",
            lang,
            code=result.code,
            version=result.version,
            batch=result.batch_id,
        )
    )
    return 0


RESOLUTION_OUT = ["code", "name", "term_start", "term_end", "goals", "default", "version"]


def cmd_resolution_list(args: argparse.Namespace, lang: str) -> int:
    con, _ = open_db(lang, read=True)
    versions = queries.resolution_versions(con)
    rows = [
        [
            r.code,
            r.name(lang),
            r.term_start,
            r.term_end,
            len(queries.goals(con, r.code)),
            str(r.is_default).lower(),
            versions.get(r.code, (1, None))[0],
        ]
        for r in queries.resolutions(con)
    ]
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(RESOLUTION_OUT)
        writer.writerows(rows)
        return 0
    for code, name, start, end, goals, default, version in rows:
        mark = " *" if default == "true" else ""
        print(
            t(
                "res_list_line",
                lang,
                code=code,
                name=name,
                start=start,
                end=end,
                goals=goals,
                version=version,
            )
            + mark
        )
    return 0


def cmd_resolution_export(args: argparse.Namespace, lang: str) -> int:
    con, _ = open_db(lang, read=True)
    doc = queries.resolution_doc(con, args.code)
    if doc is None:
        known = ", ".join(r.code for r in queries.resolutions(con))
        raise CliError(t("res_unknown", lang, code=args.code, known=known), 1)
    out = Path(args.out)
    data = resolution_book.write_book(doc, lang)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, out)
    print(out)
    return 0


DRAFT_OUT = [*draft_book.ROW_FIELDS, "source_text"]


def _draft_indicators() -> list[Indicator]:
    """The indicators a draft may name: the installed ones when there is a database (a
    committee's own included), else those the catalogue files ship."""
    if config.db_path().exists():
        with suppress(CliError, duckdb.Error, OSError, RuntimeError):
            con = storage.connect_to_read(config.db_path())
            try:
                return queries.indicators(con)
            finally:
                con.close()
    return catalogue.shipped_indicators()


def _draft_cells(row: DraftRow, lang: str) -> list[str]:
    target = number(row.target)
    if row.comparison == "between":
        target = f"{number(row.target)}-{number(row.target_max)}"
    else:
        target = f"{row.comparison} {target}"
    if row.measure in ("ratio", "growth"):
        target += "%"
    counted = " / ".join(x for x in (row.numerator, row.denominator) if x)
    return [
        row.code,
        row.parent,
        t(f"dr_measure_{row.measure}", lang),
        t(f"dr_over_{row.over}", lang),
        target,
        counted or t("dr_unrecognised", lang),
        row.title_vi,
    ]


def print_draft(found: Draft, lang: str) -> None:
    """The draft as a table to read: a line per goal, its wording under it."""
    facts = found.facts
    term = (
        f"{facts.term_start}-{facts.term_end}"
        if facts.term_start is not None
        else t("dr_term_unknown", lang)
    )
    print(t("dr_summary", lang, name=facts.name_vi, code=facts.code, term=term, n=len(found.rows)))
    keys = ["code", "parent", "measure", "over", "target", "indicators", "title"]
    head = [t(f"dr_col_{k}", lang) for k in keys]
    cells = [_draft_cells(r, lang) for r in found.rows]
    widths = [max(len(x) for x in [h, *(c[i] for c in cells)]) for i, h in enumerate(head)]
    widths[-1] = len(head[-1])

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    print(line(head))
    print(line(["-" * w for w in widths]))
    for row, values in zip(found.rows, cells, strict=True):
        print(line(values))
        print(f"    {t('dr_source', lang)}: {row.source_text}")


def cmd_resolution_draft(args: argparse.Namespace, lang: str) -> int:
    file = Path(args.file)
    if not file.is_file():
        raise CliError(t("cli_file_missing", lang, file=file), 2)
    with file.open("rb") as handle:  # never more than the cap is read
        data = handle.read(max(draft_book.TEXT_MAX_BYTES, draft_book.DOCX_MAX_BYTES) + 1)
    try:
        text = draft_book.read_upload(data, file.name)
    except draft_book.DraftInputError as exc:
        raise CliError(f"{file.name}: {exc.message(lang)}", 1) from exc
    indicators = _draft_indicators()
    found = draft(text, indicators)
    if not found.rows:
        print(t("dr_nothing_found", lang), file=sys.stderr)
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(DRAFT_OUT)
        for row in found.as_dicts():
            writer.writerow(
                [number(row[c]) if c in ("target", "target_max") else row[c] for c in DRAFT_OUT]
            )
    else:
        print_draft(found, lang)
    missing = [r for r in found.rows if not r.numerator]
    if missing:
        print(t("dr_missing_indicators", lang, n=len(missing)), file=sys.stderr)
    if args.out:
        out = Path(args.out)
        data = draft_book.draft_workbook(found, lang)
        partial = out.with_name(out.name + ".partial")
        partial.write_bytes(data)
        os.replace(partial, out)
        print(t("dr_written", lang, path=out), file=sys.stderr)
    return 0


def cmd_backup(args: argparse.Namespace, lang: str) -> int:
    con, path = open_db(lang, read=True)
    print(storage.backup(con, path))
    return 0


def cmd_restore(args: argparse.Namespace, lang: str) -> int:
    """Put a backup (default: the latest) in place of the database, the old file kept aside."""
    path = config.db_path()
    try:
        done = recovery.restore(path, Path(args.backup) if args.backup else None, lang)
    except recovery.RestoreError as exc:
        raise CliError(str(exc)) from exc
    print(recovery.restored_text(done, lang))
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
    s = sub.add_parser("resolution", help="install, list and export resolutions")
    rsub = s.add_subparsers(dest="resolution_command", required=True)
    r = rsub.add_parser("import", help="validate and install a resolution workbook")
    r.add_argument("file")
    r.add_argument("--dry-run", action="store_true")
    r.set_defaults(func=cmd_resolution_import)
    r = rsub.add_parser("list", help="the installed resolutions")
    r.add_argument("--format", choices=["text", "csv"], default="text")
    r.set_defaults(func=cmd_resolution_list)
    r = rsub.add_parser("export", help="a resolution as a workbook")
    r.add_argument("code")
    r.add_argument("--out", required=True)
    r.set_defaults(func=cmd_resolution_export)
    r = rsub.add_parser("draft", help="propose a resolution's goals from its own text")
    r.add_argument("file", help="the resolution's text: UTF-8 .txt (or a Word .docx)")
    r.add_argument("--format", choices=["text", "csv"], default="text")
    r.add_argument("--out", help="write a whole resolution workbook (.xlsx) to finish")
    r.set_defaults(func=cmd_resolution_draft)
    s = sub.add_parser("backup", help="copy the database aside")
    s.set_defaults(func=cmd_backup)
    s = sub.add_parser("restore", help="put a backup in place of the (damaged) database")
    s.add_argument("backup", nargs="?", help="the backup file (default: the latest)")
    s.set_defaults(func=cmd_restore)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    lang = args.lang or config.default_lang()
    try:
        return int(args.func(args, lang))
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except (duckdb.Error, OSError, RuntimeError) as exc:
        found = storage.failure(exc, OPENED.path or config.db_path())
        if found is None:
            raise
        return storage_failed(found, args.command in WRITES, lang)
    finally:
        if OPENED.con is not None:
            with suppress(duckdb.Error):
                OPENED.con.close()
        OPENED.con, OPENED.path, OPENED.version = None, None, 0


def storage_failed(found: RuntimeError, writes: bool, lang: str) -> int:
    """Say what a failure of the disk or the file means; for a write, whether it was written
    anyway (exit 0: the batch is in the history; only what derives from it lags), else that
    nothing was (exit 1)."""
    message = recovery.describe(found, lang)
    if not writes or OPENED.con is None or OPENED.path is None:
        print(message, file=sys.stderr)
        return 1
    try:
        written = storage.committed_since(OPENED.con, OPENED.path, OPENED.version)
    except duckdb.Error:
        print(f"{message}\n{t('disk_unknown', lang)}", file=sys.stderr)
        return 1
    if written:
        why = recovery.describe(found, lang, hint=False)
        print(t("disk_written_later", lang, why=why), file=sys.stderr)
        return 0
    print(f"{message}\n{t('disk_nothing_written', lang)}", file=sys.stderr)
    return 1
