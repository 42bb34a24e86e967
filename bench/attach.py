"""Past one file: one DuckDB file per province, attached read-only by a national view.

    python -m bench.attach --size L --parts 2      # after `python -m bench --sizes L`

Splits the size's database into ``--parts`` province files (each its own complete dashboard
database: the root, its share of the grassroots organisations with their subcells, their
values, the maintained aggregates), then builds a national file in which every table that
holds per-organisation rows (``observations``, ``organisations``, ``unit_year``, …) is a
view: the national root's own rows ``UNION ALL`` each province's rows, read through
``ATTACH … (READ_ONLY)``. The dashboard's own functions then run unchanged on that
connection and are timed against the same functions on the single file, and their answers
compared. See docs/scaling.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import duckdb

from bench import generate, reference
from bench.timing import measure
from src.engine import aggregates, progress
from src.services import bootstrap
from src.store import storage

# tables that are the national file's own, never a union of the provinces'
OWN = {"observation_history", "organisation_history"}


def log(text: str) -> None:
    print(f"    {text}", file=sys.stderr, flush=True)


def org_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "SELECT DISTINCT table_name FROM information_schema.columns"
        " WHERE table_catalog = ? AND column_name = 'org_code' AND table_schema = 'main'"
        " ORDER BY table_name",
        [catalog],
    ).fetchall()
    return [str(r[0]) for r in rows if str(r[0]) not in OWN]


def split(source: Path, folder: Path, parts: int) -> list[Path]:
    """Province files: grassroots organisations dealt out by code in ``parts`` ranges."""
    src = duckdb.connect(str(source), read_only=True)
    stamp = f"{generate.current_marker(src)}|parts={parts}"
    src.close()
    paths = [folder / f"{source.stem}-province{i + 1}.duckdb" for i in range(parts)]
    if all(p.exists() for p in paths):
        found = []
        for p in paths:
            c = duckdb.connect(str(p), read_only=True)
            found.append(generate.current_marker(c))
            c.close()
        if all(f == stamp for f in found):
            log(f"reusing {len(paths)} province files")
            return paths
    for i, path in enumerate(paths):
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)
        log(f"province {i + 1}/{parts}: {path} …")
        con = bootstrap.open_database(path)
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(source)])
        with storage.transaction(con) as cur:
            cur.execute(
                "CREATE TEMP TABLE part AS SELECT org_code FROM ("
                " SELECT org_code, ntile(?) OVER (ORDER BY org_code) AS part"
                " FROM src.organisations"
                " WHERE kind IN ('grassroots_committee', 'grassroots_cell')) WHERE part = ?",
                [parts, i + 1],
            )
            cur.execute(
                "INSERT INTO organisations SELECT o.* FROM src.organisations o"
                " WHERE o.kind = 'root' OR o.org_code IN (SELECT org_code FROM part)"
                " OR (o.kind = 'subcell' AND o.parent_code IN (SELECT org_code FROM part))"
            )
            cur.execute(
                "INSERT INTO observations SELECT ob.* FROM src.observations ob"
                " SEMI JOIN organisations o ON o.org_code = ob.org_code ORDER BY ALL"
            )
            cur.execute("INSERT INTO assessments SELECT * FROM src.assessments")
            cur.execute("INSERT INTO batches SELECT * FROM src.batches")
            cur.execute("DELETE FROM meta WHERE key = 'bench_dataset'")
            cur.execute("INSERT INTO meta VALUES ('bench_dataset', ?)", [stamp])
            cur.execute("DROP TABLE part")
        con.execute("DETACH src")
        aggregates.rebuild(con)
        con.execute("CHECKPOINT")
        con.close()
    return paths


def national(source: Path, folder: Path, provinces: list[Path]) -> duckdb.DuckDBPyConnection:
    """The national file (rebuilt each time: it holds views only) and a connection to it
    with the provinces attached read-only."""
    path = folder / f"{source.stem}-national.duckdb"
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = bootstrap.open_database(path)
    aliases = attach(con, provinces)
    con.execute("ATTACH ? AS src (READ_ONLY)", [str(source)])
    tables = org_tables(con, aliases[0])
    root = con.execute(
        f"SELECT org_code FROM {aliases[0]}.organisations WHERE kind = 'root'"  # noqa: S608
    ).fetchone()
    assert root is not None
    with storage.transaction(con) as cur:  # a write: the kept results become stale
        for table in tables:
            # identifiers are our own table names and aliases; the root code is a parameter
            cur.execute(
                f"CREATE TABLE national_{table} AS SELECT * FROM src.{table}"  # noqa: S608
                " WHERE org_code = ?",
                [root[0]],
            )
            cur.execute(f"DROP TABLE IF EXISTS {table}")
            code = str(root[0]).replace("'", "''")  # a view takes no parameters
            union = " UNION ALL ".join(
                [f"SELECT * FROM national_{table}"]  # noqa: S608
                + [f"SELECT * FROM {a}.{table} WHERE org_code <> '{code}'" for a in aliases]  # noqa: S608
            )
            cur.execute(f"CREATE VIEW {table} AS {union}")
        cur.execute("DELETE FROM assessments")
        cur.execute("INSERT INTO assessments SELECT * FROM src.assessments")
        cur.execute("DELETE FROM batches")
        cur.execute("INSERT INTO batches SELECT * FROM src.batches")
    con.execute("DETACH src")
    log(f"national view over {len(provinces)} files: {', '.join(tables)}")
    return con


def attach(con: duckdb.DuckDBPyConnection, provinces: list[Path]) -> list[str]:
    aliases = []
    for i, path in enumerate(provinces):
        alias = f"province{i + 1}"
        con.execute(f"ATTACH ? AS {alias} (READ_ONLY)", [str(path)])
        aliases.append(alias)
    return aliases


def timings(con: duckdb.DuckDBPyConnection, year: int, cell: str, rep: int) -> dict[str, Any]:
    """The reads of the benchmark, through the dashboard's public functions."""
    out: dict[str, Any] = {}
    compute = getattr(progress, "compute_table", progress.progress_table)
    for name, fn in (
        ("overview", lambda: progress.progress_table(con, year)),
        ("overview_computed", lambda: compute(con, year)),
        ("overview_one_cell", lambda: progress.progress_table(con, year, [cell])),
        ("scorecard", lambda: progress.scorecard(con, year)),
        ("trend", lambda: progress.goal_trend(con, "A4")),
    ):
        t = measure(fn, repeat=rep, budget_s=60.0)
        out[f"{name}_ms"] = t.median_ms
        log(f"{name}: {t.median_ms:,.1f} ms")
    return out


def run(size: str, folder: Path, parts: int, year: int, rep: int) -> dict[str, Any]:
    source = folder / f"{size}.duckdb"
    if not source.exists():
        raise SystemExit(f"{source} does not exist: run `python -m bench --sizes {size}` first")
    provinces = split(source, folder, parts)
    single = storage.connect(source)
    cell = str(
        single.execute(
            "SELECT org_code FROM organisations WHERE kind = 'grassroots_cell'"
            " ORDER BY org_code LIMIT 1 OFFSET (SELECT count(*) FROM organisations) // 2"
        ).fetchone()[0]  # type: ignore[index]
    )
    log(f"{size}, one file:")
    one = timings(single, year, cell, rep)
    compute = getattr(progress, "compute_table", progress.progress_table)
    want = compute(single, year)
    want_cell = progress.progress_table(single, year, [cell])
    single.close()
    con = national(source, folder, provinces)
    log(f"{size}, {parts} files attached read-only:")
    many = timings(con, year, cell, rep)
    problems = reference.compare(compute(con, year), want)
    problems += reference.compare(progress.progress_table(con, year, [cell]), want_cell)
    if problems:
        log("the national view and the single file DIFFER: " + "; ".join(problems[:5]))
    # the national file can keep its own whole-country tables too, refreshed when a
    # province publishes: then the overview and the trend are lookups again
    aggregates.refresh_progress(con)
    log(f"{size}, {parts} files attached, whole-country tables kept in the national file:")
    kept = timings(con, year, cell, rep)
    con.close()
    return {
        "size": size,
        "parts": parts,
        "year": year,
        "rows": generate.count_rows(source),
        "single": one,
        "attached": many,
        "attached_kept": kept,
        "agrees": not problems,
        "tables_viewed": org_tables_names(provinces[0]),
    }


def org_tables_names(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        catalog = con.execute("SELECT current_database()").fetchone()
        return org_tables(con, str(catalog[0])) if catalog else []
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--size", default="L", choices=["M", "L"])
    p.add_argument("--parts", type=int, default=2)
    p.add_argument("--dir", type=Path, default=Path("/tmp/nq-bench"))
    p.add_argument("--year", type=int, default=generate.TERM_YEAR)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--out", type=Path, default=None, help="also merge into this results file")
    args = p.parse_args(argv)
    result = run(args.size, args.dir, args.parts, args.year, args.repeat)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out is not None:
        try:
            data = json.loads(args.out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        data.setdefault("attach", {})[args.size] = result
        args.out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
