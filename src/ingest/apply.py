"""Apply a validated plan in one transaction; undo a batch exactly.

Applying writes the batch row, the history of every value it replaces (append-only; a value
it adds replaces nothing, and its row carries the batch), then the values, and commits: a
failure or a crash anywhere leaves the previous state. A file
whose hash was already applied is refused. Undoing restores the values a batch replaced;
when a later batch has since changed some of them, undo stops and says which unless forced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from src import aggregates, storage, units
from src.i18n import fmt_date
from src.ingest.errors import IngestError, Problem
from src.ingest.plan import ORG_FIELDS, Plan, diff, prepare

Con = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class ApplyResult:
    batch_id: int
    added: int
    changed: int
    unchanged: int


class UndoConflictError(Exception):
    """Later batches changed values of the batch being undone."""

    def __init__(self, batch_id: int, later: pd.DataFrame):
        super().__init__(f"batch {batch_id}: {len(later)} values changed by later batches")
        self.batch_id = batch_id
        self.later = later


def already_applied(cur: Con, sha256: str) -> tuple[int, datetime] | None:
    row = cur.execute(
        "SELECT batch_id, applied_at FROM batches WHERE sha256 = ? AND status = 'applied'"
        " ORDER BY batch_id LIMIT 1",
        [sha256],
    ).fetchone()
    return (int(row[0]), row[1]) if row else None


def _refuse_if_applied(cur: Con, plan: Plan) -> None:
    found = already_applied(cur, plan.sha256)
    if found:
        batch, when = found
        raise IngestError(
            [
                Problem(
                    "e_already_applied",
                    params={
                        "when": (fmt_date(when, "vi", True), fmt_date(when, "en", True)),
                        "batch": batch,
                    },
                )
            ]
        )


def check_not_applied(con: Con, plan: Plan) -> None:
    """Refuse early (in the preview) a file applied before."""
    _refuse_if_applied(con.cursor(), plan)


def apply(
    con: Con,
    plan: Plan,
    applied_by: str = "",
    data: bytes | None = None,
    refresh: bool = True,
) -> ApplyResult:
    """Write the plan as one batch. Raises IngestError when it cannot (nothing written).
    ``refresh``: once committed, recompute the kept progress of the years it changed (else
    they stay stale, and readers compute them directly, until the next refresh).

    If the database changed since the plan was prepared, the plan is validated again from
    ``data`` (the file's bytes) inside the write lock, so two uploads cannot interleave.
    """
    if not plan.ok:
        raise IngestError(plan.errors)
    with storage.WRITE_LOCK:  # taken first: two clicks on one plan share its held rows
        result = _apply_locked(con, plan, applied_by, data)
    if refresh:
        aggregates.refresh_progress(con)
    return result


def _apply_locked(con: Con, plan: Plan, applied_by: str, data: bytes | None) -> ApplyResult:
    """:func:`apply` under the write lock, taken before the plan's held rows are looked at:
    two clicks on one plan share them, and the second finds them let go (and the file
    applied)."""
    # the bulk path's rows are written from where they are, on the cursor that holds them
    held = plan.held.cursor if plan.held is not None and plan.diffed and plan.held.of(con) else None
    with storage.transaction(con, held) as cur:
        _refuse_if_applied(cur, plan)
        written = plan
        if storage.data_version(cur) != plan.data_version:
            if data is None:
                plan.diffed = False  # the values it replaces are looked up again
                diff(cur, plan)
            else:
                written = prepare(cur, data, plan.file_name, plan.resolution_code, plan.is_demo)
                if not written.ok:
                    raise IngestError(written.errors)
        now = datetime.now()
        row = cur.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM batches").fetchone()
        batch_id = int(row[0]) if row else 1
        cur.execute(
            "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'applied', NULL, NULL)",
            [
                batch_id,
                now,
                applied_by or "",
                written.file_name,
                written.sha256,
                written.kind,
                written.is_demo,
                written.added,
                written.changed,
                written.unchanged,
            ],
        )
        if written.kind in ("long", "wide"):
            _apply_observations(cur, written, batch_id, now)
        elif written.kind == "organisations":
            _apply_organisations(cur, written, batch_id, now)
        elif written.kind == "assessments":
            _apply_assessments(cur, written, batch_id, now)
    plan.release()
    written.release()
    return ApplyResult(batch_id, written.added, written.changed, written.unchanged)


def _apply_observations(cur: Con, plan: Plan, batch_id: int, now: datetime) -> None:
    """Set-wise, in SQL: the values it replaces go to the history (one sequence number for
    the batch) and their keys are deleted; every value that differs is appended."""
    held = plan.diffed and plan.held is not None and plan.held.cursor is cur
    if held:
        cur.register("incoming", cur.table("bulk_typed"))  # where the bulk path left them
    else:
        cur.register("incoming", plan.observation_rows())
    try:
        if not plan.diffed:  # the values it replaces are looked up now
            cur.execute(
                "CREATE OR REPLACE TEMP TABLE looked_up AS"
                " SELECT i.year::SMALLINT AS year, i.org_code, i.indicator_code,"
                " i.value::DOUBLE AS value, o.value AS old_value, o.batch_id AS old_batch_id"
                " FROM incoming i LEFT JOIN observations o ON o.year = i.year"
                " AND o.org_code = i.org_code AND o.indicator_code = i.indicator_code"
            )
            cur.unregister("incoming")
            cur.register("incoming", cur.table("looked_up"))
        # straight from the plan's rows (no copy of a million of them): what differs
        cur.execute(
            "CREATE OR REPLACE TEMP VIEW pending AS SELECT year::SMALLINT AS year, org_code,"
            " indicator_code, value::DOUBLE AS value, old_value, old_batch_id FROM incoming"
            " WHERE old_value IS DISTINCT FROM value::DOUBLE"
        )
        cur.execute(  # the values it replaces; what it adds replaces nothing (see _WRITTEN)
            "INSERT INTO observation_history (seq, batch_id, action, year, org_code,"
            " indicator_code, old_value, old_batch_id, new_value, recorded_at)"
            " SELECT (SELECT nextval('history_seq')), ?, 'apply', year, org_code,"
            " indicator_code, old_value, old_batch_id, value, ? FROM pending"
            " WHERE old_value IS NOT NULL",
            [batch_id, now],
        )
        cur.execute(
            "DELETE FROM observations o USING (SELECT * FROM pending WHERE old_value IS NOT NULL)"
            " p WHERE o.year = p.year AND o.org_code = p.org_code"
            " AND o.indicator_code = p.indicator_code"
        )
        cur.execute(
            "INSERT INTO observations SELECT year, org_code, indicator_code, value, ? FROM pending",
            [batch_id],
        )
        # unit_year catches up on its next read (the bulk path grouped the keys already)
        units.mark(cur, "held" if held else "pending")
        first = cur.execute("SELECT min(year) FROM pending").fetchall()
        storage.record_change(cur, storage.NO_YEAR if first[0][0] is None else int(first[0][0]))
        cur.execute("DROP VIEW pending")
    finally:
        cur.unregister("incoming")
        cur.execute("DROP TABLE IF EXISTS looked_up")


def _org_row(cur: Con, code: str) -> dict[str, Any] | None:
    row = cur.execute(
        "SELECT name, kind, parent_code, grp, active_from, active_to, batch_id"
        " FROM organisations WHERE org_code = ?",
        [code],
    ).fetchone()
    if row is None:
        return None
    return dict(zip((*ORG_FIELDS, "batch_id"), row, strict=True))


def _put_org(cur: Con, code: str, rec: dict[str, Any] | None, batch_id: int | None) -> None:
    cur.execute("DELETE FROM organisations WHERE org_code = ?", [code])
    if rec is not None:
        cur.execute(
            "INSERT INTO organisations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                code,
                rec["name"],
                rec["kind"],
                rec["parent_code"],
                rec["group"],
                rec["active_from"],
                rec["active_to"],
                batch_id,
            ],
        )


def _apply_organisations(cur: Con, plan: Plan, batch_id: int, now: datetime) -> None:
    for rec in plan.organisations:
        old = _org_row(cur, rec["org_code"])
        new = {f: rec[f] for f in ORG_FIELDS}
        if old is not None and {f: old[f] for f in ORG_FIELDS} == new:
            continue
        cur.execute(
            "INSERT INTO organisation_history (batch_id, action, org_code, old_row, new_row,"
            " recorded_at) VALUES (?, 'apply', ?, ?, ?, ?)",
            [
                batch_id,
                rec["org_code"],
                json.dumps(old, ensure_ascii=False) if old else None,
                json.dumps(new, ensure_ascii=False),
                now,
            ],
        )
        _put_org(cur, rec["org_code"], new, batch_id)
    # parents and active years decide what rolls up where: recompute every organisation
    units.refresh_all(cur)


def _apply_assessments(cur: Con, plan: Plan, batch_id: int, now: datetime) -> None:
    for rec in plan.assessments:
        key = [plan.resolution_code, rec["year"], rec["goal_code"]]
        old = cur.execute(
            "SELECT status, note, batch_id FROM assessments"
            " WHERE resolution_code = ? AND year = ? AND goal_code = ?",
            key,
        ).fetchone()
        if old is not None and (old[0], old[1]) == (rec["status"], rec["note"]):
            continue
        cur.execute(
            "INSERT INTO assessment_history (batch_id, action, resolution_code, year, goal_code,"
            " old_status, old_note, old_batch_id, new_status, new_note, recorded_at)"
            " VALUES (?, 'apply', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [batch_id, *key, *(old or (None, None, None)), rec["status"], rec["note"], now],
        )
        cur.execute(
            "DELETE FROM assessments WHERE resolution_code = ? AND year = ? AND goal_code = ?",
            key,
        )
        cur.execute(
            "INSERT INTO assessments VALUES (?, ?, ?, ?, ?, ?)",
            [*key, rec["status"], rec["note"], batch_id],
        )
    years = [int(rec["year"]) for rec in plan.assessments]
    storage.record_change(cur, min(years) if years else storage.NO_YEAR)


# Every value a batch wrote, with what was there before it and what is there now. A batch's
# history holds the values it replaced (old_value, old_batch_id); the values it added
# replaced nothing and are found as rows still carrying its batch_id, or, once a later batch
# replaced them, as that batch's history rows whose old_batch_id is this batch. Parameters:
# the batch, three times. Builds the temp table ``written``.
_WRITTEN = (
    "CREATE OR REPLACE TEMP TABLE written AS"
    " WITH own AS (SELECT year, org_code, indicator_code, old_value, old_batch_id"
    "  FROM observation_history WHERE batch_id = ? AND action = 'apply'),"
    " later AS (SELECT year, org_code, indicator_code, arg_min(old_value, seq) AS value"
    "  FROM observation_history WHERE old_batch_id = ? AND action = 'apply'"
    "  GROUP BY year, org_code, indicator_code),"
    " current AS (SELECT year, org_code, indicator_code, value FROM observations"
    "  WHERE batch_id = ?),"
    " keys AS (SELECT year, org_code, indicator_code FROM own"
    "  UNION SELECT year, org_code, indicator_code FROM later"
    "  UNION SELECT year, org_code, indicator_code FROM current),"
    " found AS (SELECT k.year, k.org_code, k.indicator_code, w.old_value, w.old_batch_id,"
    "  coalesce(c.value, l.value) AS batch_value, o.value AS current_value,"
    "  o.batch_id AS current_batch"
    "  FROM keys k"
    "  LEFT JOIN own w ON w.year = k.year AND w.org_code = k.org_code"
    "   AND w.indicator_code = k.indicator_code"
    "  LEFT JOIN later l ON l.year = k.year AND l.org_code = k.org_code"
    "   AND l.indicator_code = k.indicator_code"
    "  LEFT JOIN current c ON c.year = k.year AND c.org_code = k.org_code"
    "   AND c.indicator_code = k.indicator_code"
    "  LEFT JOIN observations o ON o.year = k.year AND o.org_code = k.org_code"
    "   AND o.indicator_code = k.indicator_code)"
    " SELECT * FROM found"
)


def undo_conflicts(con: Con, batch_id: int) -> pd.DataFrame:
    """Values the batch wrote that a later batch has since replaced (or removed)."""
    cur = con.cursor()
    cur.execute(_WRITTEN, [batch_id] * 3)
    return cur.execute(
        "SELECT year, org_code, indicator_code, batch_value, current_value,"
        " current_batch AS later_batch FROM written WHERE current_batch IS DISTINCT FROM ?"
        " UNION ALL"
        " SELECT NULL, h.org_code, NULL, NULL, NULL, o.batch_id"
        " FROM organisation_history h LEFT JOIN organisations o ON o.org_code = h.org_code"
        " WHERE h.batch_id = ? AND h.action = 'apply' AND o.batch_id IS DISTINCT FROM ?"
        " UNION ALL"
        " SELECT h.year, NULL, h.goal_code, NULL, NULL, a.batch_id"
        " FROM assessment_history h LEFT JOIN assessments a"
        " ON a.resolution_code = h.resolution_code AND a.year = h.year"
        " AND a.goal_code = h.goal_code"
        " WHERE h.batch_id = ? AND h.action = 'apply' AND a.batch_id IS DISTINCT FROM ?",
        [batch_id] * 5,
    ).df()


def undo(
    con: Con, batch_id: int, undone_by: str = "", force: bool = False, refresh: bool = True
) -> int:
    """Restore what was there before the batch; returns how many values were restored.
    ``refresh``: recompute the kept progress of the years it changed once committed."""
    with storage.transaction(con) as cur:
        row = cur.execute("SELECT status FROM batches WHERE batch_id = ?", [batch_id]).fetchone()
        if row is None:
            raise LookupError(batch_id)
        if row[0] != "applied":
            raise ValueError(f"batch {batch_id} is already undone")
        conflicts = undo_conflicts(cur, batch_id)
        if len(conflicts) and not force:
            raise UndoConflictError(batch_id, conflicts)
        now = datetime.now()
        cur.execute(_WRITTEN, [batch_id] * 3)
        cur.execute(
            "CREATE TEMP TABLE restore AS SELECT year, org_code, indicator_code, old_value,"
            " old_batch_id, current_value FROM written"
        )
        cur.execute("DROP TABLE written")
        cur.execute(
            "INSERT INTO observation_history (batch_id, action, year, org_code, indicator_code,"
            " old_value, old_batch_id, new_value, recorded_at)"
            " SELECT ?, 'undo', year, org_code, indicator_code, current_value, NULL, old_value, ?"
            " FROM restore",
            [batch_id, now],
        )
        cur.execute(
            "DELETE FROM observations o USING restore r WHERE o.year = r.year"
            " AND o.org_code = r.org_code AND o.indicator_code = r.indicator_code"
        )
        cur.execute(
            "INSERT INTO observations SELECT year, org_code, indicator_code, old_value,"
            " old_batch_id FROM restore WHERE old_value IS NOT NULL"
        )
        restored_row = cur.execute("SELECT count(*), min(year) FROM restore").fetchone()
        restored = int(restored_row[0]) if restored_row else 0
        first_year = restored_row[1] if restored_row else None
        units.mark(cur, "restore")
        cur.execute("DROP TABLE restore")
        orgs_changed = False
        for code, old_row in cur.execute(
            "SELECT org_code, old_row FROM organisation_history WHERE batch_id = ?"
            " AND action = 'apply' ORDER BY seq DESC",
            [batch_id],
        ).fetchall():
            current = _org_row(cur, code)
            old = json.loads(old_row) if old_row else None
            cur.execute(
                "INSERT INTO organisation_history (batch_id, action, org_code, old_row, new_row,"
                " recorded_at) VALUES (?, 'undo', ?, ?, ?, ?)",
                [
                    batch_id,
                    code,
                    json.dumps(current, ensure_ascii=False, default=str) if current else None,
                    old_row,
                    now,
                ],
            )
            _put_org(cur, code, old, old.get("batch_id") if old else None)
            restored += 1
            orgs_changed = True
        if orgs_changed:
            units.refresh_all(cur)
        for res, year, goal, status, note, old_batch in cur.execute(
            "SELECT resolution_code, year, goal_code, old_status, old_note, old_batch_id"
            " FROM assessment_history WHERE batch_id = ? AND action = 'apply' ORDER BY seq DESC",
            [batch_id],
        ).fetchall():
            cur.execute(
                "DELETE FROM assessments WHERE resolution_code = ? AND year = ? AND goal_code = ?",
                [res, year, goal],
            )
            if status is not None:
                cur.execute(
                    "INSERT INTO assessments VALUES (?, ?, ?, ?, ?, ?)",
                    [res, year, goal, status, note, old_batch],
                )
            first_year = year if first_year is None else min(first_year, year)
            cur.execute(
                "INSERT INTO assessment_history (batch_id, action, resolution_code, year,"
                " goal_code, old_status, old_note, old_batch_id, new_status, new_note,"
                " recorded_at) VALUES (?, 'undo', ?, ?, ?, NULL, NULL, NULL, ?, ?, ?)",
                [batch_id, res, year, goal, status, note, now],
            )
            restored += 1
        cur.execute(
            "UPDATE batches SET status = 'undone', undone_at = ?, undone_by = ? WHERE batch_id = ?",
            [now, undone_by or "", batch_id],
        )
        # organisations change every year; else the first year restored, if any
        storage.record_change(cur, None if orgs_changed else int(first_year or storage.NO_YEAR))
    if refresh:
        aggregates.refresh_progress(con)
    return restored
