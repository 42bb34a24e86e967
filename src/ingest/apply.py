"""Apply a validated plan in one transaction; undo a batch exactly.

Applying writes the batch row, the history of every value it replaces (append-only; a value
it adds replaces nothing, and its row carries the batch), then the values, and commits: a
failure or a crash anywhere leaves the previous state. A file
whose hash was already applied is refused. Undoing restores the values a batch replaced;
when a later batch has since changed some of them, undo stops and says which unless forced.

One module, past 400 lines, because applying a batch and undoing it are one write and its
exact inverse: they must be read side by side to see that undo restores what apply wrote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from src.engine import aggregates
from src.i18n import fmt_date, t
from src.ingest.check_organisations import parent_kind
from src.ingest.checks import ORG_FIELDS, Plan
from src.ingest.errors import IngestError, Problem
from src.ingest.plan import diff, prepare
from src.store import storage, units

Con = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class ApplyResult:
    batch_id: int
    added: int
    changed: int
    unchanged: int


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
            if (plan.added or plan.changed) and not (written.added or written.changed):
                # what it would have changed was written meanwhile: no empty batch
                raise IngestError([Problem("e_nothing_new")])
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
        cur.execute(  # the values it sent as they were: it wrote them too (see undo)
            "INSERT INTO observation_history (seq, batch_id, action, year, org_code,"
            " indicator_code, old_value, old_batch_id, new_value, recorded_at)"
            " SELECT (SELECT nextval('history_seq')), ?, 'same', year::SMALLINT, org_code,"
            " indicator_code, old_value, old_batch_id, old_value, ? FROM incoming"
            " WHERE old_value IS NOT NULL AND old_value = value::DOUBLE",
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
        if held:  # the bulk path's grouping says which organisations and years it writes
            cur.execute(
                "CREATE OR REPLACE TEMP VIEW held_writes AS"
                " SELECT year, org_code FROM bulk_groups WHERE writes"
            )
        units.mark(cur, "held_writes" if held else "pending")
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
        same = old is not None and {f: old[f] for f in ORG_FIELDS} == new
        cur.execute(  # 'same': sent as it was, so it stays if the batch it came from goes
            "INSERT INTO organisation_history (batch_id, action, org_code, old_row, new_row,"
            " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                "same" if same else "apply",
                rec["org_code"],
                json.dumps(old, ensure_ascii=False) if old else None,
                json.dumps(new, ensure_ascii=False),
                now,
            ],
        )
        if not same:
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
        same = old is not None and (old[0], old[1]) == (rec["status"], rec["note"])
        cur.execute(  # 'same': sent as it was, so it stays if the batch it came from goes
            "INSERT INTO assessment_history (batch_id, action, resolution_code, year, goal_code,"
            " old_status, old_note, old_batch_id, new_status, new_note, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                "same" if same else "apply",
                *key,
                *(old or (None, None, None)),
                rec["status"],
                rec["note"],
                now,
            ],
        )
        if same:
            continue
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


# --- undo -------------------------------------------------------------------------------
#
# What undoing a batch leaves is what replaying every other batch still applied, in order,
# would leave: each value is the one written by the newest applied batch that sent it, and
# a value no applied batch sent goes. So undoing a batch changes only the values it is the
# newest writer of (a later batch's value stays), and batches can be undone in any order,
# forced or not. What each batch sent is found in three places: the rows of
# ``observations`` (value, batch_id), and each history row of action 'apply' (it replaced a
# value) or 'same' (it sent a value as it was), which holds both what the batch sent
# (new_value, batch_id) and what it found there (old_value, old_batch_id).

# The keys a batch sent. Parameters: the batch, three times.
_UNDO_KEYS = (
    "CREATE OR REPLACE TEMP TABLE undo_keys AS SELECT DISTINCT year, org_code, indicator_code"
    " FROM (SELECT year, org_code, indicator_code FROM observation_history"
    "  WHERE action IN ('apply', 'same') AND (batch_id = ? OR old_batch_id = ?)"
    " UNION ALL SELECT year, org_code, indicator_code FROM observations WHERE batch_id = ?)"
)
# For each key of undo_keys: what is there now and what the newest other applied batch sent
# (none: the value goes). Parameter: the batch being undone.
_UNDO_PLAN = (
    "CREATE OR REPLACE TEMP TABLE undo_plan AS"
    " WITH hist AS (SELECT h.year, h.org_code, h.indicator_code, h.batch_id, h.new_value,"
    "  h.old_batch_id, h.old_value FROM observation_history h SEMI JOIN undo_keys k"
    "  ON h.year = k.year AND h.org_code = k.org_code AND h.indicator_code = k.indicator_code"
    "  WHERE h.action IN ('apply', 'same')),"
    " writers AS (SELECT year, org_code, indicator_code, batch_id AS b, new_value AS v"
    "  FROM hist"
    "  UNION ALL SELECT year, org_code, indicator_code, old_batch_id, old_value FROM hist"
    "  WHERE old_batch_id IS NOT NULL"
    "  UNION ALL SELECT o.year, o.org_code, o.indicator_code, o.batch_id, o.value"
    "  FROM observations o SEMI JOIN undo_keys k ON o.year = k.year"
    "  AND o.org_code = k.org_code AND o.indicator_code = k.indicator_code),"
    " alive AS (SELECT w.* FROM writers w JOIN batches b ON b.batch_id = w.b"
    "  WHERE b.status = 'applied' AND w.b <> ? AND w.v IS NOT NULL),"
    " target AS (SELECT year, org_code, indicator_code, max(b) AS b, arg_max(v, b) AS v"
    "  FROM alive GROUP BY year, org_code, indicator_code)"
    " SELECT k.year, k.org_code, k.indicator_code, o.value AS current_value,"
    " o.batch_id AS current_batch, t.v AS target_value, t.b AS target_batch"
    " FROM undo_keys k"
    " LEFT JOIN observations o ON o.year = k.year AND o.org_code = k.org_code"
    "  AND o.indicator_code = k.indicator_code"
    " LEFT JOIN target t ON t.year = k.year AND t.org_code = k.org_code"
    "  AND t.indicator_code = k.indicator_code"
)
CHANGES_SHOWN = 500  # rows of "what goes back to what" in an undo preview


class UndoError(Exception):
    """An undo refused; ``message(lang)`` says why in the reader's language."""

    key = "undo_refused"

    def __init__(self, batch_id: int, **params: object):
        super().__init__(f"{self.key}: batch {batch_id} {params}")
        self.batch_id = batch_id
        self.params = params

    def message(self, lang: str = "vi") -> str:
        return t(self.key, lang, batch=self.batch_id, **self.params)


class BatchNotFoundError(UndoError, LookupError):
    key = "undo_no_batch"


class BatchAlreadyUndoneError(UndoError, ValueError):
    key = "undo_already"


class UndoConflictError(UndoError):
    """Later batches changed values of the batch being undone: they keep the later values,
    and undo asks first (``force``)."""

    key = "undo_conflict_refused"

    def __init__(self, batch_id: int, kept: int, later: list[int]):
        super().__init__(batch_id, n=kept, later=", ".join(map(str, later)) or "–")
        self.kept = kept
        self.later = later


class StaleUndoError(UndoError):
    """The data changed after the reader saw what the undo would do: look again."""

    key = "undo_stale"


class UndoDependentsError(UndoError):
    """Undoing an organisations batch would remove organisations that values (or other
    organisations) still belong to: refused, forced or not."""

    key = "undo_dependents"

    def __init__(self, batch_id: int, values: int, children: int, codes: list[str]):
        shown = ", ".join(codes[:10]) + (" …" if len(codes) > 10 else "")
        super().__init__(batch_id, values=values, children=children, orgs=len(codes), codes=shown)
        self.values = values
        self.children = children
        self.codes = codes


@dataclass(frozen=True)
class UndoPreview:
    """What undoing a batch would do, before it is done (nothing is written)."""

    batch_id: int
    file_name: str
    applied_at: datetime
    status: str
    restored: int  # values going back to what an earlier batch sent
    removed: int  # values no other applied batch sent: they go
    kept: int  # values a later batch changed: they keep the later value
    later: list[int]  # those later batches
    organisations: int  # organisations restored or removed
    assessments: int  # assessments restored or removed
    organisations_removed: int  # of which removed (there was none before)
    assessments_removed: int
    dependents: int  # values that belong to organisations the undo would remove
    changes: pd.DataFrame  # the first CHANGES_SHOWN values that change: now → after

    @property
    def total(self) -> int:
        return self.restored + self.removed + self.organisations + self.assessments


def _applied_ids(cur: Con) -> set[int]:
    rows = cur.execute("SELECT batch_id FROM batches WHERE status = 'applied'").fetchall()
    return {int(r[0]) for r in rows}


def _newest(writers: list[tuple[int, Any]], applied: set[int], batch_id: int) -> Any:
    """What the newest applied batch other than ``batch_id`` sent (None: no such batch).
    A writer of batch 0 stands for rows put in outside any batch: always kept."""
    alive = [(b, v) for b, v in writers if b != batch_id and (b == 0 or b in applied)]
    return max(alive, key=lambda w: w[0]) if alive else None


def _org_plan(cur: Con, batch_id: int, applied: set[int]) -> list[tuple[str, Any, Any]]:
    """(code, current row, row after the undo) of each organisation the batch sent whose row
    changes; a row is a dict of ORG_FIELDS and batch_id, None when there is none."""
    codes = [
        str(r[0])
        for r in cur.execute(
            "SELECT DISTINCT org_code FROM organisation_history WHERE batch_id = ?"
            " AND action IN ('apply', 'same') ORDER BY org_code",
            [batch_id],
        ).fetchall()
    ]
    out = []
    for code in codes:
        writers: list[tuple[int, Any]] = []
        for b, old_row, new_row in cur.execute(
            "SELECT batch_id, old_row, new_row FROM organisation_history WHERE org_code = ?"
            " AND action IN ('apply', 'same')",
            [code],
        ).fetchall():
            new = json.loads(new_row)
            writers.append((int(b), {**{f: new.get(f) for f in ORG_FIELDS}, "batch_id": b}))
            if old_row:
                old = json.loads(old_row)
                writers.append((int(old.get("batch_id") or 0), old))
        current = _org_row(cur, code)
        if current is not None:
            writers.append((int(current["batch_id"] or 0), current))
        newest = _newest(writers, applied, batch_id)
        after = None if newest is None else {**newest[1], "batch_id": newest[0] or None}
        if _org_key(after) != _org_key(current):
            out.append((code, current, after))
    return out


def _org_key(row: dict[str, Any] | None) -> Any:
    if row is None:
        return None
    return tuple(row.get(f) for f in (*ORG_FIELDS, "batch_id"))


def _assessment_plan(cur: Con, batch_id: int, applied: set[int]) -> list[tuple[Any, ...]]:
    """(resolution, year, goal, current (status, note, batch) or None, after or None) of each
    assessment the batch sent that changes."""
    keys = cur.execute(
        "SELECT DISTINCT resolution_code, year, goal_code FROM assessment_history"
        " WHERE batch_id = ? AND action IN ('apply', 'same') ORDER BY 1, 2, 3",
        [batch_id],
    ).fetchall()
    out = []
    for res, year, goal in keys:
        writers: list[tuple[int, Any]] = []
        for b, old_s, old_n, old_b, new_s, new_n in cur.execute(
            "SELECT batch_id, old_status, old_note, old_batch_id, new_status, new_note"
            " FROM assessment_history WHERE resolution_code = ? AND year = ? AND goal_code = ?"
            " AND action IN ('apply', 'same')",
            [res, year, goal],
        ).fetchall():
            writers.append((int(b), (new_s, new_n, int(b))))
            if old_s is not None:
                writers.append((int(old_b or 0), (old_s, old_n, old_b)))
        row = cur.execute(
            "SELECT status, note, batch_id FROM assessments"
            " WHERE resolution_code = ? AND year = ? AND goal_code = ?",
            [res, year, goal],
        ).fetchone()
        current = None if row is None else (row[0], row[1], row[2])
        if current is not None:
            writers.append((int(current[2] or 0), current))
        newest = _newest(writers, applied, batch_id)
        after = None if newest is None else newest[1]
        if after != current:
            out.append((res, year, goal, current, after))
    return out


def _dependents(cur: Con, orgs: list[tuple[str, Any, Any]]) -> tuple[int, int, list[str]]:
    """Values that belong to the organisations an undo would remove, and the organisations
    the undo would leave under a parent that is gone or of the wrong kind (the rules an
    organisations file is checked by), counted as they would be after the undo."""
    gone = [code for code, current, after in orgs if current is not None and after is None]
    values = 0
    if gone:
        cur.execute("CREATE OR REPLACE TEMP TABLE undo_gone (org_code VARCHAR)")
        cur.executemany("INSERT INTO undo_gone VALUES (?)", [[c] for c in gone])
        values = int(
            cur.execute(
                "SELECT count(*) FROM observations o"
                " SEMI JOIN undo_gone g ON g.org_code = o.org_code"
            ).fetchall()[0][0]
        )
        cur.execute("DROP TABLE undo_gone")
    broken = _misplaced(cur, orgs) if orgs else []
    return values, len(broken), sorted(set(gone) | set(broken))


def _misplaced(cur: Con, orgs: list[tuple[str, Any, Any]]) -> list[str]:
    """Organisations whose parent would be gone or of the wrong kind after the undo: a
    subcell belongs to a grassroots committee, a grassroots organisation to the root; and
    one root at most."""
    after = {
        str(code): (str(kind), parent)
        for code, kind, parent in cur.execute(
            "SELECT org_code, kind, parent_code FROM organisations"
        ).fetchall()
    }
    for code, _current, row in orgs:
        if row is None:
            after.pop(code, None)
        else:
            after[code] = (str(row["kind"]), row.get("parent_code"))
    changed = {code for code, _, _ in orgs}
    out = []
    for code, (kind, parent) in after.items():
        if code not in changed and parent not in changed:
            continue  # as it was: an undo is not the place to judge what it did not touch
        need = parent_kind(kind)  # the rule an organisations file is checked by
        if need is not None and (after[parent][0] if parent in after else None) != need:
            out.append(code)
    roots = [code for code, (kind, _) in after.items() if kind == "root"]
    if len(roots) > 1:
        out += [code for code in roots if code in changed]
    return out


def _batch_row(cur: Con, batch_id: int) -> Any:
    """(status, file_name, applied_at) of the batch; BatchNotFoundError when there is none."""
    row = cur.execute(
        "SELECT status, file_name, applied_at FROM batches WHERE batch_id = ?", [batch_id]
    ).fetchone()
    if row is None:
        raise BatchNotFoundError(batch_id)
    return row


def check_undoable(con: Con, batch_id: int) -> None:
    """Refuse at once (one small read) a batch that does not exist or is already undone."""
    if _batch_row(con, batch_id)[0] != "applied":
        raise BatchAlreadyUndoneError(batch_id)


def _plan_undo(
    cur: Con, batch_id: int, plan_values: bool = True
) -> tuple[Any, list[Any], list[Any]]:
    """Build ``undo_plan`` (temp) for the batch's values (unless ``plan_values`` is False);
    return the batch's row and the organisations and assessments that change."""
    row = _batch_row(cur, batch_id)
    if plan_values:
        cur.execute(_UNDO_KEYS, [batch_id] * 3)
        cur.execute(_UNDO_PLAN, [batch_id])
        cur.execute("DROP TABLE undo_keys")
    applied = _applied_ids(cur)
    return row, _org_plan(cur, batch_id, applied), _assessment_plan(cur, batch_id, applied)


# Whether no other batch ever met the batch's values: it replaced nothing and nothing
# replaced or resent them since (no history row names it). Parameters: the batch, twice.
_UNTOUCHED = (
    "SELECT NOT EXISTS (SELECT 1 FROM observation_history WHERE action IN ('apply', 'same')"
    " AND (batch_id = ? OR old_batch_id = ?))"
)


def _values_planned(cur: Con, batch_id: int) -> tuple[tuple[Any, ...], pd.DataFrame]:
    """(restored, removed, kept, later batches) and the first changes, from ``undo_plan``."""
    counts = cur.execute(
        "SELECT count(*) FILTER (WHERE current_batch = ? AND target_value IS NOT NULL"
        "  AND target_value IS DISTINCT FROM current_value),"
        " count(*) FILTER (WHERE current_batch = ? AND target_value IS NULL),"
        " count(*) FILTER (WHERE current_batch > ?),"
        " list(DISTINCT current_batch ORDER BY current_batch)"
        "  FILTER (WHERE current_batch > ?)"
        " FROM undo_plan",
        [batch_id] * 4,
    ).fetchall()[0]
    changes = cur.execute(
        "SELECT year, org_code, indicator_code, current_value AS old, target_value AS new"
        " FROM undo_plan WHERE current_value IS DISTINCT FROM target_value"
        " ORDER BY year, org_code, indicator_code LIMIT ?",
        [CHANGES_SHOWN],
    ).df()
    return counts, changes


def _values_untouched(cur: Con, batch_id: int) -> tuple[tuple[Any, ...], pd.DataFrame]:
    """The same for a batch no other batch met (``_UNTOUCHED``): every value it holds goes
    and nothing comes back, since whatever held its keys before it had gone (an undo never
    removes a value an applied batch sent), so the plan need not be built. At the national
    size a first load is 42.8 million values: the plan took over a minute."""
    (removed,) = cur.execute(
        "SELECT count(*) FROM observations WHERE batch_id = ?", [batch_id]
    ).fetchall()[0]
    changes = cur.execute(
        "SELECT year, org_code, indicator_code, value AS old, NULL::DOUBLE AS new"
        " FROM observations WHERE batch_id = ?"
        " ORDER BY year, org_code, indicator_code LIMIT ?",
        [batch_id, CHANGES_SHOWN],
    ).df()
    return (0, removed, 0, []), changes


def undo_preview(con: Con, batch_id: int) -> UndoPreview:
    """What :func:`undo` would do to the batch, for the reader to confirm; writes nothing."""
    cur = con.cursor()
    try:
        untouched = cur.execute(_UNTOUCHED, [batch_id, batch_id]).fetchone() == (True,)
        row, orgs, assessed = _plan_undo(cur, batch_id, plan_values=not untouched)
        read = _values_untouched if untouched else _values_planned
        counts, changes = read(cur, batch_id)
        values, _, _ = _dependents(cur, orgs)
    finally:
        cur.execute("DROP TABLE IF EXISTS undo_plan")
        cur.close()
    return UndoPreview(
        batch_id=batch_id,
        file_name=str(row[1]),
        applied_at=row[2],
        status=str(row[0]),
        restored=int(counts[0]),
        removed=int(counts[1]),
        kept=int(counts[2]),
        later=[int(b) for b in (counts[3] or [])],
        organisations=len(orgs),
        assessments=len(assessed),
        organisations_removed=sum(1 for _, _, after in orgs if after is None),
        assessments_removed=sum(1 for *_, after in assessed if after is None),
        dependents=values,
        changes=changes,
    )


def undo(
    con: Con, batch_id: int, undone_by: str = "", force: bool = False, refresh: bool = True
) -> int:
    """Leave the data as if the batch had never been applied (the other applied batches
    replayed in order); returns how many values, organisations and assessments changed.

    Refused (UndoError, nothing written) when the batch does not exist or is undone, when
    it would remove organisations that values or other organisations belong to, and, unless
    ``force``, when later batches changed some of its values (those keep the later values).
    ``refresh``: recompute the kept progress of the years it changed once committed."""
    from src.ingest import resolutions  # (it builds on this module)

    if resolutions.is_resolution_batch(con.cursor(), batch_id):  # an installed resolution
        with storage.transaction(con) as cur:
            check_undoable(cur, batch_id)
            now = datetime.now()
            changed = resolutions.undo_install(cur, batch_id, undone_by, now)
            cur.execute(
                "UPDATE batches SET status = 'undone', undone_at = ?, undone_by = ?"
                " WHERE batch_id = ?",
                [now, undone_by or "", batch_id],
            )
        if refresh:
            aggregates.refresh_progress(con)
        return changed
    with storage.transaction(con) as cur:
        check_undoable(cur, batch_id)
        _, orgs, assessed = _plan_undo(cur, batch_id)
        values, children, gone = _dependents(cur, orgs)
        if values or children:
            raise UndoDependentsError(batch_id, values, children, gone)
        kept = cur.execute(
            "SELECT count(*), list(DISTINCT current_batch ORDER BY current_batch)"
            " FROM undo_plan WHERE current_batch > ?",
            [batch_id],
        ).fetchall()[0]
        if kept[0] and not force:
            raise UndoConflictError(batch_id, int(kept[0]), [int(b) for b in kept[1]])
        now = datetime.now()
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE restore AS SELECT * FROM undo_plan"
            " WHERE current_value IS DISTINCT FROM target_value"
            " OR current_batch IS DISTINCT FROM target_batch"
        )
        cur.execute("DROP TABLE undo_plan")
        cur.execute(
            "INSERT INTO observation_history (batch_id, action, year, org_code, indicator_code,"
            " old_value, old_batch_id, new_value, recorded_at)"
            " SELECT ?, 'undo', year, org_code, indicator_code, current_value, current_batch,"
            " target_value, ? FROM restore",
            [batch_id, now],
        )
        cur.execute(
            "DELETE FROM observations o USING restore r WHERE o.year = r.year"
            " AND o.org_code = r.org_code AND o.indicator_code = r.indicator_code"
        )
        cur.execute(
            "INSERT INTO observations SELECT year, org_code, indicator_code, target_value,"
            " target_batch FROM restore WHERE target_value IS NOT NULL"
        )
        restored_row = cur.execute(
            "SELECT count(*) FILTER (WHERE current_value IS DISTINCT FROM target_value),"
            " min(year) FROM restore"
        ).fetchone()
        restored = int(restored_row[0]) if restored_row else 0
        first_year = restored_row[1] if restored_row else None
        units.mark(cur, "restore")
        cur.execute("DROP TABLE restore")
        for code, current, after in orgs:
            cur.execute(
                "INSERT INTO organisation_history (batch_id, action, org_code, old_row, new_row,"
                " recorded_at) VALUES (?, 'undo', ?, ?, ?, ?)",
                [
                    batch_id,
                    code,
                    json.dumps(current, ensure_ascii=False, default=str) if current else None,
                    json.dumps(after, ensure_ascii=False, default=str) if after else None,
                    now,
                ],
            )
            _put_org(cur, code, after, after.get("batch_id") if after else None)
            restored += 1
        if orgs:
            units.refresh_all(cur)
        for res, year, goal, current, after in assessed:
            cur.execute(
                "DELETE FROM assessments WHERE resolution_code = ? AND year = ? AND goal_code = ?",
                [res, year, goal],
            )
            if after is not None:
                cur.execute(
                    "INSERT INTO assessments VALUES (?, ?, ?, ?, ?, ?)",
                    [res, year, goal, after[0], after[1], after[2]],
                )
            first_year = year if first_year is None else min(first_year, year)
            cur.execute(
                "INSERT INTO assessment_history (batch_id, action, resolution_code, year,"
                " goal_code, old_status, old_note, old_batch_id, new_status, new_note,"
                " recorded_at) VALUES (?, 'undo', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    batch_id,
                    res,
                    year,
                    goal,
                    *(current or (None, None, None)),
                    *((after[0], after[1]) if after else (None, None)),
                    now,
                ],
            )
            restored += 1
        cur.execute(
            "UPDATE batches SET status = 'undone', undone_at = ?, undone_by = ? WHERE batch_id = ?",
            [now, undone_by or "", batch_id],
        )
        # organisations change every year; else the first year restored, if any
        storage.record_change(cur, None if orgs else int(first_year or storage.NO_YEAR))
    if refresh:
        aggregates.refresh_progress(con)
    return restored
