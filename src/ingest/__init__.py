"""Ingest: read an uploaded file, recognise its kind, validate it, diff it, apply it.

One path for the web page and the command line::

    plan = prepare(con, data, file_name)      # read, parse, validate, diff; writes nothing
    if plan.ok:
        apply(con, plan, applied_by="...")    # one transaction, or nothing
"""

from src.ingest.apply import (
    ApplyResult,
    StaleUndoError,
    UndoConflictError,
    UndoDependentsError,
    UndoError,
    UndoPreview,
    apply,
    undo,
    undo_preview,
)
from src.ingest.checks import Plan
from src.ingest.errors import IngestError, Problem
from src.ingest.plan import prepare

__all__ = [
    "ApplyResult",
    "IngestError",
    "Plan",
    "Problem",
    "StaleUndoError",
    "UndoConflictError",
    "UndoDependentsError",
    "UndoError",
    "UndoPreview",
    "apply",
    "prepare",
    "undo",
    "undo_preview",
]
