"""Writes done in a button's callback (``on_click``), before the run the click starts: that
one run draws the page on the new data and says what became of the write. A write in the
page's own run needs a second run (``st.rerun()``) to draw what it changed, and the browser
draws the page twice: at L about 0.2 s of the server and 0.35 s of Chromium per click."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from src.i18n import escape_markdown, t
from src.ingest import IngestError, UndoError
from src.ui import actions, guard


@dataclass(frozen=True)
class Said:
    """A line a write done in a button's callback left for the page's run after it."""

    level: str  # "success", "warning" or "error"
    text: str  # Markdown: our own words, any user or file text in them escaped
    icon: str | None = None


def write_button(
    label: str,
    key: str,
    write: Callable[[], str],
    said_key: str,
    primary: bool = False,
    disabled: bool = False,
) -> None:
    """A button whose write runs in its callback, before the run the click starts: that one
    run draws the page on the new data, and :func:`said` (where the page calls it with
    ``said_key``) what became of the write. A write in the page's run would need a second
    run (``st.rerun()``) to draw what it changed, and the browser to draw the page twice.

    ``write`` returns what to say when it is done; a refusal (IngestError, UndoError) is
    said as errors, a storage failure as guard.write_failed words it. Each click is said:
    a second click on the same file says it was applied already. The callback checks again
    that this session may write: the button was drawn enabled on the run before, and the
    password may have been emptied in the same interaction as the click."""
    st.button(
        label,
        key=key,
        type="primary" if primary else "secondary",
        disabled=disabled,
        on_click=_write_now,
        args=(write, said_key),
    )


def _write_now(write: Callable[[], str], said_key: str) -> None:
    lg = guard.lang()
    lines: list[Said]
    try:
        if not actions.may_edit():
            lines = [Said("error", t("password_needed", lg), ":material/lock:")]
        else:
            with guard.deferred():
                lines = [Said("success", write(), ":material/check_circle:")]
    except IngestError as exc:
        lines = [Said("error", escape_markdown(p.render(lg))) for p in exc.problems]
    except UndoError as exc:
        lines = [Said("error", escape_markdown(exc.message(lg)))]
    except guard.WriteFailed as failed:
        lines = [Said("warning" if failed.written else "error", failed.text)]
    st.session_state[said_key] = [*st.session_state.get(said_key, []), *lines]


def said(said_key: str, icon: str | None = None) -> None:
    """What the writes of :func:`write_button` under ``said_key`` left, once, in order (a
    success with ``icon`` when given)."""
    for line in st.session_state.pop(said_key, []):
        draw = {"success": st.success, "warning": st.warning}.get(line.level, st.error)
        shown = icon if icon and line.level == "success" else line.icon
        draw(line.text, icon=shown or ({"warning": ":material/warning:"}.get(line.level)))


def _who() -> str:
    """Who writes, as typed in the sidebar (editor_sidebar) by the time of the click."""
    return str(st.session_state.get("who") or "")


def applying(data: bytes, file_name: str) -> Callable[[], str]:
    """The upload page's apply, for :func:`write_button`: what to say when it is done."""

    def write() -> str:
        result = actions.apply_file(data, file_name, _who())
        return t(
            "applied_ok",
            guard.lang(),
            batch=result.batch_id,
            added=result.added,
            changed=result.changed,
            unchanged=result.unchanged,
        )

    return write


class NotConfirmedError(UndoError):
    """An undo clicked as its confirmation box was unticked, in the same interaction (the
    button is drawn disabled while the box is not ticked)."""

    key = "undo_not_confirmed"


def undoing(batch_id: int, seen_version: int, confirm_key: str) -> Callable[[], str]:
    """The upload page's undo, for :func:`write_button`, once the box under ``confirm_key``
    is ticked: what to say when it is done."""

    def write() -> str:
        if not st.session_state.get(confirm_key):
            raise NotConfirmedError(batch_id)
        n = actions.undo_batch(batch_id, _who(), force=True, seen_version=seen_version)
        return t("undo_ok", guard.lang(), batch=batch_id, n=n)

    return write
