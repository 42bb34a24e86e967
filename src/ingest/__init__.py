"""Ingest: read an uploaded file, recognise its kind, validate it, diff it, apply it.

One path for the web page and the command line::

    plan = prepare(con, data, file_name)      # read, parse, validate, diff; writes nothing
    if plan.ok:
        apply(con, plan, applied_by="...")    # one transaction, or nothing
"""

from src.ingest.apply import ApplyResult, UndoConflictError, apply, undo, undo_conflicts
from src.ingest.errors import IngestError, Problem
from src.ingest.plan import Plan, prepare

__all__ = [
    "ApplyResult",
    "IngestError",
    "Plan",
    "Problem",
    "UndoConflictError",
    "apply",
    "prepare",
    "undo",
    "undo_conflicts",
]
