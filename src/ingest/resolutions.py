"""Installing a resolution (docs/resolutions.md) as a batch: in the history, undoable.

Installing writes the batch row, the resolution as it was (``resolution_history``: NULL
when it was not installed) and the new one, in one transaction. A new version of a
resolution (the same code) replaces its row, reporting years, goals and own indicators and
keeps every value: values belong to organisations and indicators, never to a resolution.
Undoing the batch puts the earlier version back (or removes the resolution it added), as
long as no later install replaced it and no value reads an indicator only it defined.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

import duckdb

from src.engine import aggregates
from src.i18n import fmt_date
from src.ingest.apply import (
    BatchAlreadyUndoneError,
    UndoConflictError,
    UndoDependentsError,
    already_applied,
)
from src.ingest.errors import IngestError, Problem
from src.store import catalogue, queries, storage
from src.store.catalogue import ResolutionDoc

Con = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class InstallResult:
    batch_id: int
    code: str
    version: int
    added: int  # goals new in this version
    changed: int  # goals whose definition changed
    unchanged: int  # goals as they were
    removed: int  # goals of the earlier version that this one does not have


@dataclass(frozen=True)
class InstallPreview:
    """What installing would do, before it is done."""

    code: str
    version: int  # the version it would install
    replaces: bool  # a version of this code is installed
    added: list[str]
    changed: list[str]
    unchanged: list[str]
    removed: list[str]


def preview(con: Con, doc: ResolutionDoc) -> InstallPreview:
    """The goals added, changed, unchanged and removed against the installed version."""
    old = queries.resolution_doc(con, doc.resolution.code)
    before = {g.code: g for g in old.goals} if old else {}
    after = {g.code: g for g in doc.goals}
    version = queries.resolution_versions(con).get(doc.resolution.code, (0, None))[0]
    return InstallPreview(
        code=doc.resolution.code,
        version=version + 1 if old else 1,
        replaces=old is not None,
        added=[c for c in after if c not in before],
        changed=[c for c in after if c in before and _same(before[c]) != _same(after[c])],
        unchanged=[c for c in after if c in before and _same(before[c]) == _same(after[c])],
        removed=[c for c in before if c not in after],
    )


def _same(goal: object) -> object:
    return replace(goal, percent_sum=False)  # type: ignore[type-var]


def _normalised(con: Con, doc: ResolutionDoc, default: bool) -> ResolutionDoc:
    known = [*queries.indicators(con), *doc.indicators]
    return replace(
        doc,
        resolution=replace(doc.resolution, is_default=default),
        goals=catalogue.percent_sums(doc.goals, known),
    )


def install(
    con: Con,
    doc: ResolutionDoc,
    file_name: str,
    data: bytes,
    applied_by: str = "",
    refresh: bool = True,
) -> InstallResult:
    """Install the (validated) resolution as one batch; refuses a file already installed
    and a workbook that changes nothing (IngestError, nothing written). ``refresh``: then
    recompute the kept progress tables."""
    sha = hashlib.sha256(data).hexdigest()
    with storage.transaction(con) as cur:
        found = already_applied(cur, sha)
        if found:
            batch, when = found
            when_text = (fmt_date(when, "vi", True), fmt_date(when, "en", True))
            raise IngestError(
                [Problem("e_already_applied", params={"when": when_text, "batch": batch})]
            )
        code = doc.resolution.code
        old = queries.resolution_doc(cur, code)
        versions = queries.resolution_versions(cur)
        others_default = any(r.is_default for r in queries.resolutions(cur) if r.code != code)
        default = old.resolution.is_default if old else not others_default
        new = _normalised(cur, doc, default)
        if old is not None and catalogue.doc_to_json(old) == catalogue.doc_to_json(new):
            raise IngestError([Problem("e_nothing_new")])
        seen = preview(cur, new)
        version = versions[code][0] + 1 if code in versions else 1
        now = datetime.now()
        row = cur.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM batches").fetchone()
        batch_id = int(row[0]) if row else 1
        cur.execute(
            "INSERT INTO batches VALUES (?, ?, ?, ?, ?, 'resolution', false, ?, ?, ?,"
            " 'applied', NULL, NULL)",
            [
                batch_id,
                now,
                applied_by or "",
                file_name,
                sha,
                len(seen.added),
                len(seen.changed),
                len(seen.unchanged),
            ],
        )
        cur.execute(
            "INSERT INTO resolution_history (batch_id, action, resolution_code, old_doc,"
            " new_doc, recorded_at) VALUES (?, 'apply', ?, ?, ?, ?)",
            [
                batch_id,
                code,
                catalogue.doc_to_json(old) if old else None,
                catalogue.doc_to_json(new),
                now,
            ],
        )
        catalogue.write_resolution(cur, new, batch_id, version)
        storage.record_change(cur, None)
    if refresh:
        aggregates.refresh_progress(con)
    return InstallResult(
        batch_id,
        code,
        version,
        len(seen.added),
        len(seen.changed),
        len(seen.unchanged),
        len(seen.removed),
    )


def is_resolution_batch(cur: Con, batch_id: int) -> bool:
    row = cur.execute("SELECT file_kind FROM batches WHERE batch_id = ?", [batch_id]).fetchone()
    return bool(row and row[0] == "resolution")


def _history(cur: Con, batch_id: int) -> tuple[str, str | None, str]:
    row = cur.execute(
        "SELECT resolution_code, old_doc, new_doc FROM resolution_history"
        " WHERE batch_id = ? AND action = 'apply' ORDER BY seq LIMIT 1",
        [batch_id],
    ).fetchone()
    if row is None:
        raise BatchAlreadyUndoneError(batch_id)
    return str(row[0]), row[1], str(row[2])


def undo_install(cur: Con, batch_id: int, undone_by: str, now: datetime) -> int:
    """Inside the undo's transaction: put back what the install replaced. Refused when a
    later install of the same code replaced it (undo that first), or when values were
    uploaded for an indicator that only this version defines. Returns the goals changed."""
    code, old_text, new_text = _history(cur, batch_id)
    row = cur.execute("SELECT batch_id FROM resolutions WHERE code = ?", [code]).fetchone()
    if row is None or row[0] != batch_id:
        later = cur.execute(
            "SELECT list(batch_id ORDER BY batch_id) FROM resolution_history"
            " WHERE resolution_code = ? AND batch_id > ? AND action = 'apply'"
            " AND batch_id IN (SELECT batch_id FROM batches WHERE status = 'applied')",
            [code, batch_id],
        ).fetchone()
        ids = [int(b) for b in (later[0] if later and later[0] else [])]
        raise UndoConflictError(batch_id, len(ids), ids)
    old = catalogue.doc_from_json(old_text) if old_text else None
    new = catalogue.doc_from_json(new_text)
    kept = {i.code for i in old.indicators} if old else set()
    dropped = [i.code for i in new.indicators if i.code not in kept]
    values = 0
    if dropped:
        found = cur.execute(
            "SELECT count(*) FROM observations WHERE list_contains(?::VARCHAR[], indicator_code)",
            [dropped],
        ).fetchone()
        values = int(found[0]) if found else 0
    if values:
        raise UndoDependentsError(batch_id, values, 0, dropped)
    if old is None:
        cur.execute("DELETE FROM goals WHERE resolution_code = ?", [code])
        cur.execute("DELETE FROM reporting_years WHERE resolution_code = ?", [code])
        cur.execute("DELETE FROM indicators WHERE resolution_code = ?", [code])
        cur.execute("DELETE FROM progress_cache WHERE resolution_code = ?", [code])
        cur.execute("DELETE FROM resolutions WHERE code = ?", [code])
        if new.resolution.is_default:
            cur.execute(
                "UPDATE resolutions SET is_default = true WHERE code = (SELECT code FROM"
                " resolutions ORDER BY term_start DESC, code LIMIT 1)"
            )
    else:
        previous = cur.execute(
            "SELECT batch_id FROM resolution_history WHERE resolution_code = ? AND batch_id < ?"
            " AND action = 'apply' AND batch_id IN (SELECT batch_id FROM batches"
            " WHERE status = 'applied') ORDER BY batch_id DESC LIMIT 1",
            [code, batch_id],
        ).fetchone()
        version_row = cur.execute(
            "SELECT version FROM resolutions WHERE code = ?", [code]
        ).fetchone()
        version = max(int(version_row[0] or 2) - 1, 1) if version_row else 1
        current_default = cur.execute(
            "SELECT is_default FROM resolutions WHERE code = ?", [code]
        ).fetchone()
        restored = replace(
            old,
            resolution=replace(
                old.resolution, is_default=bool(current_default and current_default[0])
            ),
        )
        catalogue.write_resolution(cur, restored, previous[0] if previous else None, version)
    cur.execute(
        "INSERT INTO resolution_history (batch_id, action, resolution_code, old_doc, new_doc,"
        " recorded_at) VALUES (?, 'undo', ?, ?, ?, ?)",
        [batch_id, code, new_text, old_text, now],
    )
    storage.record_change(cur, None)
    return len(new.goals)


def edited(
    con: Con,
    code: str,
    goal_code: str,
    target: float | None,
    target_max: float | None,
    title_vi: str,
    text_vi: str,
) -> tuple[ResolutionDoc, bytes]:
    """The installed resolution with one goal's target or wording changed (a new version,
    installed as a batch by :func:`install`), and the bytes that stand for it in the
    history (the new version's JSON with its version number: an edit back to an earlier
    value later is a new batch, not "already applied")."""
    doc = queries.resolution_doc(con, code)
    if doc is None:
        raise LookupError(code)
    goals = []
    for g in doc.goals:
        if g.code == goal_code:
            g = replace(
                g,
                target=target,
                target_max=target_max if g.comparison == "between" else g.target_max,
                title_vi=title_vi.strip() or g.title_vi,
                text_vi=text_vi.strip(),
            )
        goals.append(g)
    new = replace(doc, goals=tuple(goals))
    version = queries.resolution_versions(con).get(code, (1, None))[0]
    data = f"{version}\n{catalogue.doc_to_json(new)}".encode()
    return new, data


def set_default(con: Con, code: str) -> None:
    """Make this installed resolution the one every page opens on."""
    with storage.transaction(con) as cur:
        row = cur.execute("SELECT count(*) FROM resolutions WHERE code = ?", [code]).fetchone()
        if not row or not row[0]:
            raise LookupError(code)
        cur.execute("UPDATE resolutions SET is_default = (code = ?)", [code])
        storage.record_change(cur, storage.NO_YEAR)  # no year's numbers change
