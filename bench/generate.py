"""Data sets for the benchmark, generated inside DuckDB (no Python loop over rows).

S is the demo (42 cells, loaded through the real ingest path). M and L, and the tiny sets of
the tests, come from :func:`generate`: one root, ``units`` grassroots organisations (one in
six a grassroots committee, the rest grassroots cells), a few committees with subcells, and
every indicator of the contract for every organisation and year. Every value is a function
of (seed, organisation, year, indicator) through DuckDB's ``hash()``, so the same spec always
gives the same database. The values keep the contract's consistency rules: no part exceeds
its whole and the four member ratings add up to ``members_rated``.

The indicators are the catalogue's (the database's ``indicators`` table). The contract's have
recipes below (columns of ``bench_wide`` named by code); any other indicator gets a default
by its value type (a part of a whole is kept within it), and what adds up (counts and
amounts: ``Indicator.adds_up``) is what subcells report and delegating committees leave to
them.

Realistic gaps: a few organisations are founded or dissolved during the period (no values
outside their active years), a few percent miss about a third of the years, a few
organisation-years miss one number, and some committees leave their counts to their
subcells (the dashboard rolls those up).

After the bulk insert, :func:`src.engine.aggregates.rebuild` brings the maintained aggregates up to
date, as the fast path needs. The database file carries a marker (``meta.bench_dataset``) so a
later run reuses it when the spec is the same.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from src.engine import aggregates
from src.services import bootstrap
from src.store import queries, storage

GENERATOR_VERSION = 1
ROOT_CODE = "ROOT"
TERM_YEAR = 2024  # the year every size is measured at (a term year with complete data)

QUALITATIVE = ("T3", "K1", "K2")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Spec:
    """A generated data set. Shares are of organisations (or organisation-years)."""

    name: str
    units: int  # grassroots organisations (committees and cells)
    first_year: int
    last_year: int
    seed: int = 20250601
    subcell_every: int = 60  # every n-th unit (a multiple of 6: a committee) has subcells
    subcells: int = 3
    founded_share: float = 0.02  # units founded during the period
    dissolved_share: float = 0.01  # units dissolved during the period
    gappy_share: float = 0.04  # units that miss about a third of the years
    missing_share: float = 0.015  # organisation-years that miss one number
    delegate_share: float = 0.5  # years a committee with subcells leaves its counts to them
    prefix: str = "G"

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1


SPECS: dict[str, Spec | None] = {
    "S": None,  # the demo
    "M": Spec("M", units=2_000, first_year=2020, last_year=2025),
    "L": Spec("L", units=250_000, first_year=2016, last_year=2025),
}


def tiny(seed: int, units: int = 90) -> Spec:
    """A small set with every irregularity made frequent (for the agreement tests)."""
    return Spec(
        "tiny",
        units=units,
        first_year=2019,
        last_year=2025,
        seed=seed,
        subcell_every=12,
        subcells=2,
        founded_share=0.1,
        dissolved_share=0.1,
        gappy_share=0.15,
        missing_share=0.1,
        delegate_share=0.5,
    )


def marker(spec: Spec | None) -> str:
    body = {"version": GENERATOR_VERSION, "spec": asdict(spec) if spec else "demo"}
    return json.dumps(body, sort_keys=True)


def current_marker(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.cursor().execute("SELECT value FROM meta WHERE key = 'bench_dataset'").fetchone()
    return str(row[0]) if row else None


def _set_marker(con: duckdb.DuckDBPyConnection, spec: Spec | None) -> None:
    with storage.transaction(con) as cur:
        cur.execute("DELETE FROM meta WHERE key = 'bench_dataset'")
        cur.execute("INSERT INTO meta VALUES ('bench_dataset', ?)", [marker(spec)])


def _quiet(_: str) -> None:
    return None


def ensure(
    path: Path, size: str, regenerate: bool = False, progress: Progress = _quiet
) -> dict[str, object]:
    """The database of a size at ``path``: reused when its marker matches, else (re)built.

    Returns ``{"rows": observations, "generated_s": seconds or None when reused}``.
    """
    spec = SPECS[size]
    if path.exists() and not regenerate:
        con = duckdb.connect(str(path), read_only=True)
        try:
            found = current_marker(con)
        except duckdb.Error:
            found = None
        finally:
            con.close()
        if found == marker(spec):
            progress(f"{size}: reusing {path}")
            return {"rows": count_rows(path), "generated_s": None}
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    progress(f"{size}: generating {path} …")
    start = time.perf_counter()
    con = bootstrap.open_database(path)
    try:
        if spec is None:
            bootstrap.load_demo(con, applied_by="bench")
        else:
            generate(con, spec, progress)
        _set_marker(con, spec)  # a write: before the aggregates, which key on the version
        progress(f"{size}: maintained aggregates …")
        aggregates.rebuild(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    elapsed = time.perf_counter() - start
    rows = count_rows(path)
    progress(f"{size}: {rows:,} values in {elapsed:.1f} s")
    return {"rows": rows, "generated_s": round(elapsed, 2)}


def count_rows(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute("SELECT count(*) FROM observations").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


# --- the generator ------------------------------------------------------------------------

# u(k, y, tag): a uniform number in [0, 1) from the seed, an organisation id, a year and a tag.
_MACRO = (
    "CREATE OR REPLACE TEMP MACRO bench_u(k, y, tag) AS"
    " (hash(getvariable('bench_seed'), k, y, tag) % 1000003)::DOUBLE / 1000003.0"
)

_ORGS = """
CREATE OR REPLACE TEMP TABLE bench_orgs AS
WITH units AS (
    SELECT i AS id, i AS unit_id,
           getvariable('bench_prefix') || lpad(i::VARCHAR, 7, '0') AS org_code,
           CASE WHEN i % 6 = 0 THEN 'grassroots_committee' ELSE 'grassroots_cell' END AS kind,
           bench_u(i, 0, 'af') < getvariable('bench_founded') AS founded,
           bench_u(i, 0, 'at') < getvariable('bench_dissolved') AS dissolved,
           bench_u(i, 0, 'gap') < getvariable('bench_gappy') AS gappy
    FROM range(1, getvariable('bench_units') + 1) AS r(i)
), windows AS (
    SELECT *,
           CASE WHEN founded THEN getvariable('bench_first') + 1 + floor(bench_u(id, 0, 'af2')
                * (getvariable('bench_last') - getvariable('bench_first')))::INTEGER END AS af,
           CASE WHEN dissolved THEN getvariable('bench_first') + floor(bench_u(id, 0, 'at2')
                * (getvariable('bench_last') - getvariable('bench_first')))::INTEGER END AS at0
    FROM units
)
SELECT id, unit_id, org_code,
       CASE WHEN kind = 'grassroots_committee' THEN 'Đảng bộ cơ sở số ' ELSE 'Chi bộ cơ sở số ' END
           || id::VARCHAR AS name,
       kind, getvariable('bench_root') AS parent_code,
       'Khối ' || lpad((1 + hash(getvariable('bench_seed'), id, 'grp') % 8)::VARCHAR, 2, '0')
           AS grp,
       af::SMALLINT AS active_from,
       (CASE WHEN af IS NOT NULL AND at0 IS NOT NULL THEN greatest(af, at0) ELSE at0 END)::SMALLINT
           AS active_to,
       gappy
FROM windows
UNION ALL
SELECT 1000000000 + i * 10 + j AS id, i AS unit_id,
       getvariable('bench_prefix') || lpad(i::VARCHAR, 7, '0') || '-' || j::VARCHAR,
       'Chi bộ trực thuộc ' || j::VARCHAR || ' của Đảng bộ cơ sở số ' || i::VARCHAR,
       'subcell', getvariable('bench_prefix') || lpad(i::VARCHAR, 7, '0'), NULL, NULL, NULL,
       bench_u(1000000000 + i * 10 + j, 0, 'gap') < getvariable('bench_gappy')
FROM range(1, getvariable('bench_units') + 1) AS r(i),
     range(1, getvariable('bench_subcells') + 1) AS s(j)
WHERE getvariable('bench_every') > 0 AND i % getvariable('bench_every') = 0 AND i % 6 = 0
"""

# one row per organisation and year it reports, with every number of the contract
_WIDE = """
CREATE OR REPLACE TEMP TABLE bench_wide AS
WITH oy AS (
    SELECT o.id, o.org_code, o.kind, o.unit_id, y.year::SMALLINT AS year,
           (o.kind = 'grassroots_committee'
            AND EXISTS (SELECT 1 FROM bench_orgs s WHERE s.kind = 'subcell'
                        AND s.unit_id = o.id)
            AND bench_u(o.id, y.year, 'delegate') < getvariable('bench_delegate')) AS delegates
    FROM bench_orgs o
    JOIN bench_orgs u ON u.id = o.unit_id AND u.kind <> 'subcell'
    CROSS JOIN range(getvariable('bench_first'), getvariable('bench_last') + 1) AS y(year)
    WHERE (u.active_from IS NULL OR y.year >= u.active_from)
      AND (u.active_to IS NULL OR y.year <= u.active_to)
      AND NOT (o.gappy AND bench_u(o.id, y.year, 'gy') < 1.0 / 3)
), base AS (
    SELECT *,
           CASE WHEN kind = 'grassroots_committee'
                THEN 30 + floor(bench_u(id, year, 'mt') * 270)
                ELSE 5 + floor(bench_u(id, year, 'mt') * 45) END AS members_total,
           CASE WHEN kind = 'grassroots_committee'
                THEN 40 + floor(bench_u(id, year, 'st') * 400)
                ELSE 5 + floor(bench_u(id, year, 'st') * 60) END AS staff_total,
           1 + floor(bench_u(id, year, 'mo') * 4) AS mass_orgs_total,
           1 + CASE WHEN bench_u(id, year, 'ut') < 0.2
                    THEN floor(bench_u(id, year, 'ut2') * 5) ELSE 0 END AS units_total
    FROM oy
), members AS (
    SELECT *,
           members_total - CASE WHEN bench_u(id, year, 'ms') < 0.15
               THEN floor(bench_u(id, year, 'ms2') * least(members_total, 4)) ELSE 0 END
               AS members_studied,
           members_total - CASE WHEN bench_u(id, year, 'mr') < 0.3
               THEN floor(bench_u(id, year, 'mr2') * least(members_total, 3)) ELSE 0 END
               AS members_rated
    FROM base
), ratings AS (
    SELECT *, floor(members_rated * (0.08 + 0.14 * bench_u(id, year, 'ex')))
                  AS members_excellent
    FROM members
), ratings2 AS (
    SELECT *, least(members_rated - members_excellent,
                    floor(members_rated * (0.55 + 0.3 * bench_u(id, year, 'gd'))))
                  AS members_good
    FROM ratings
), ratings3 AS (
    SELECT *, least(members_rated - members_excellent - members_good,
                    CASE WHEN bench_u(id, year, 'nc') < 0.1 THEN 1 ELSE 0 END)
                  AS members_not_completed
    FROM ratings2
)
SELECT *,  -- the key columns and the numbers drawn above, then the rest
       members_rated - members_excellent - members_good - members_not_completed
           AS members_completed,
       staff_total - floor(staff_total * 0.12 * bench_u(id, year, 'sa')) AS staff_advanced,
       floor((staff_total - floor(staff_total * 0.12 * bench_u(id, year, 'sa')))
             * (0.06 + 0.12 * bench_u(id, year, 'se'))) AS staff_emulation,
       floor(bench_u(id, year, 'nm') * CASE WHEN kind = 'grassroots_committee' THEN 12 ELSE 3 END)
           AS new_members,
       mass_orgs_total - CASE WHEN bench_u(id, year, 'mg') < 0.12 THEN 1 ELSE 0 END
           AS mass_orgs_good,
       units_total - CASE WHEN bench_u(id, year, 'uc') < 0.15 THEN 1 ELSE 0 END
           AS units_cultural,
       CASE WHEN bench_u(id, year, 'or') < 0.15 THEN 1
            WHEN bench_u(id, year, 'or') < 0.82 THEN 2
            WHEN bench_u(id, year, 'or') < 0.97 THEN 3 ELSE 4 END AS org_rating,
       CASE WHEN bench_u(id, year, 'in') < 0.3 THEN 1 ELSE 0 END AS inspected,
       CASE WHEN bench_u(id, year, 'miss') < getvariable('bench_missing')
            THEN getvariable('bench_codes')[1 + floor(bench_u(id, year, 'mk')
                 * len(getvariable('bench_codes')))::INTEGER]
       END AS missing_code
FROM ratings3
"""

# every recipe column of bench_wide (those of indicators in the catalogue), then a default by
# value type for each org indicator without a recipe, then the root's values
_INSERT_OBS = """
INSERT INTO observations (year, org_code, indicator_code, value, batch_id)
SELECT year, org_code, indicator_code, value::DOUBLE, getvariable('bench_batch')
FROM (
    SELECT year, org_code, kind, delegates, missing_code, indicator_code, value
    FROM bench_wide
    UNPIVOT (value FOR indicator_code IN
             (COLUMNS(* EXCLUDE (id, org_code, kind, unit_id, year, delegates, missing_code))))
    UNION ALL
    SELECT w.year, w.org_code, w.kind, w.delegates, w.missing_code, d.code,
           CASE d.value_type
               WHEN 'rating' THEN CASE WHEN bench_u(w.id, w.year, d.code) < 0.15 THEN 1
                                       WHEN bench_u(w.id, w.year, d.code) < 0.82 THEN 2
                                       WHEN bench_u(w.id, w.year, d.code) < 0.97 THEN 3
                                       ELSE 4 END
               WHEN 'flag' THEN CASE WHEN bench_u(w.id, w.year, d.code) < 0.3 THEN 1 ELSE 0 END
               WHEN 'percent' THEN 60 + floor(bench_u(w.id, w.year, d.code) * 41)
               WHEN 'decimal' THEN floor(bench_u(w.id, w.year, d.code) * 401)
               ELSE floor(bench_u(w.id, w.year, d.code) * 21) END
    FROM bench_wide w,
         (SELECT unnest(getvariable('bench_default_codes')::VARCHAR[]) AS code,
                 unnest(getvariable('bench_default_types')::VARCHAR[]) AS value_type) d
)
WHERE list_contains(getvariable('bench_codes'), indicator_code)
  AND indicator_code IS DISTINCT FROM missing_code
  AND NOT (kind = 'subcell' AND NOT list_contains(getvariable('bench_adds_up'), indicator_code))
  AND NOT (delegates AND list_contains(getvariable('bench_adds_up'), indicator_code))
UNION ALL
SELECT y.year::SMALLINT, getvariable('bench_root'), c.code,
       CASE c.value_type
            WHEN 'rating' THEN CASE WHEN bench_u(0, y.year, c.code) < 0.75 THEN 1 ELSE 2 END
            WHEN 'flag' THEN CASE WHEN bench_u(0, y.year, c.code) < 0.5 THEN 1 ELSE 0 END
            WHEN 'percent' THEN 60 + floor(bench_u(0, y.year, c.code) * 41)
            ELSE 1 + floor(bench_u(0, y.year, c.code) * 4) END,
       getvariable('bench_batch')
FROM range(getvariable('bench_first'), getvariable('bench_last') + 1) AS y(year),
     (SELECT unnest(getvariable('bench_root_codes')::VARCHAR[]) AS code,
             unnest(getvariable('bench_root_types')::VARCHAR[]) AS value_type) c
ORDER BY 1, 2, 3
"""

# a part without a recipe kept within its whole (parameters: the part's code, the whole's)
_WITHIN_WHOLE = """
UPDATE observations p SET value = w.value
FROM observations w
WHERE p.indicator_code = ? AND w.indicator_code = ?
  AND w.year = p.year AND w.org_code = p.org_code AND p.value > w.value
"""


def generate(con: duckdb.DuckDBPyConnection, spec: Spec, progress: Progress = _quiet) -> int:
    """Write the organisations, observations and assessments of ``spec`` into an empty
    database that has the schema and catalogue; returns the number of observations.

    The caller then runs :func:`src.engine.aggregates.rebuild` (:func:`ensure` does)."""
    indicators = queries.indicators(con)
    # the org indicators, those that add up first (the recipes' order: the organisation-years
    # that miss one number pick it from this list), then the others, each in catalogue order
    org = sorted((i for i in indicators if i.level == "org"), key=lambda i: not i.adds_up)
    root = [i for i in indicators if i.level == "root"]
    if spec.subcell_every and spec.subcell_every % 6:
        raise ValueError("subcell_every must be a multiple of 6 (committees are every 6th unit)")
    settings = {
        "bench_seed": spec.seed,
        "bench_units": spec.units,
        "bench_first": spec.first_year,
        "bench_last": spec.last_year,
        "bench_every": spec.subcell_every,
        "bench_subcells": spec.subcells,
        "bench_founded": spec.founded_share,
        "bench_dissolved": spec.dissolved_share,
        "bench_gappy": spec.gappy_share,
        "bench_missing": spec.missing_share,
        "bench_delegate": spec.delegate_share,
        "bench_prefix": spec.prefix,
        "bench_root": ROOT_CODE,
        "bench_codes": [i.code for i in org],
        "bench_adds_up": [i.code for i in org if i.adds_up],
        "bench_root_codes": [i.code for i in root],
        "bench_root_types": [i.value_type for i in root],
    }
    with storage.transaction(con) as tx:  # variables and temp objects live on one cursor
        for name, value in settings.items():
            tx.execute(f"SET VARIABLE {name} = ?", [value])  # names are ours, values params
        tx.execute(_MACRO)
        row = tx.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM batches").fetchone()
        batch = int(row[0]) if row else 1
        tx.execute("SET VARIABLE bench_batch = ?", [batch])
        progress(f"{spec.name}: organisations …")
        tx.execute(_ORGS)
        tx.execute(
            "INSERT INTO organisations VALUES (?, ?, 'root', NULL, NULL, NULL, NULL, ?)",
            [ROOT_CODE, f"Đảng bộ thử nghiệm (quy mô {spec.name})", batch],
        )
        tx.execute(
            "INSERT INTO organisations SELECT org_code, name, kind, parent_code, grp,"
            " active_from, active_to, getvariable('bench_batch') FROM bench_orgs ORDER BY org_code"
        )
        progress(f"{spec.name}: values per organisation and year …")
        tx.execute(_WIDE)
        recipes = {  # the columns of bench_wide named by an indicator code
            str(r[0])
            for r in tx.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'temp'"
                " AND table_name = 'bench_wide'"
            ).fetchall()
        }
        defaults = [i for i in org if i.code not in recipes]
        tx.execute("SET VARIABLE bench_default_codes = ?", [[i.code for i in defaults]])
        tx.execute("SET VARIABLE bench_default_types = ?", [[i.value_type for i in defaults]])
        progress(f"{spec.name}: observations (long, sorted, with the primary key) …")
        tx.execute(_INSERT_OBS)
        for part in defaults:
            if part.part_of:
                tx.execute(_WITHIN_WHOLE, [part.code, part.part_of])
        tx.execute(
            "INSERT INTO assessments SELECT r.code, y.year, g.code,"
            " CASE WHEN bench_u(1, y.year, g.code) < 0.7 THEN 'met'"
            " WHEN bench_u(1, y.year, g.code) < 0.9 THEN 'near' ELSE 'missed' END,"
            " NULL, getvariable('bench_batch')"
            " FROM resolutions r JOIN reporting_years y ON y.resolution_code = r.code"
            " JOIN goals g ON g.resolution_code = r.code AND g.kind = 'qualitative'"
            " WHERE y.year BETWEEN getvariable('bench_first') AND getvariable('bench_last')"
        )
        count_row = tx.execute("SELECT count(*) FROM observations").fetchone()
        rows = int(count_row[0]) if count_row else 0
        tx.execute(
            "INSERT INTO batches VALUES (?, ?, 'bench', ?, ?, 'long', false, ?, 0, 0, 'applied',"
            " NULL, NULL)",
            [batch, datetime.now(), f"bench/{spec.name}", marker(spec), rows],
        )
        tx.execute("DROP TABLE bench_wide")
        tx.execute("DROP TABLE bench_orgs")
    return rows
