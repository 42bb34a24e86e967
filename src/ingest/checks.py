"""What a prepared upload is (:class:`Plan`: its rows, problems and diff) and the collector
of its problems, shared by the general path and the bulk path. Nothing is written here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import duckdb
import pandas as pd

from src.ingest.errors import Problem
from src.ingest.read import column_letter

MAX_PROBLEMS = 500  # every error is reported, up to this many (then "… and N more")
CHANGES_KEPT = 1000  # changes a plan lists for the preview, in file order (all are counted)


OBS_COLUMNS = ["year", "org_code", "indicator_code", "value", "row", "column"]
ORG_FIELDS = ("name", "kind", "parent_code", "group", "active_from", "active_to")


class HeldRows(Protocol):
    """Rows the bulk path keeps in DuckDB temp tables on its own cursor (bulk.Held), so
    that a big file is not copied into pandas between its check and its apply."""

    cursor: duckdb.DuckDBPyConnection  # the cursor the temp tables live on

    def of(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Whether these rows can be read by ``con`` (the connection they were read on)."""
        ...

    def rows(self) -> Any:
        """The rows as a table any connection can read (Arrow)."""
        ...

    def close(self) -> None:
        """Let go of the cursor and its temp tables."""
        ...


@dataclass
class Plan:
    file_name: str
    sha256: str
    kind: str | None = None
    problems: list[Problem] = field(default_factory=list)
    # the general path's rows; None when the bulk path holds them (``held``): see
    # observation_rows()
    observations: pd.DataFrame | None = field(
        default_factory=lambda: pd.DataFrame(columns=OBS_COLUMNS)
    )
    organisations: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    resolution_code: str | None = None
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # key, old, new of changes
    data_version: int = 0
    rows: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    is_demo: bool = False
    diffed: bool = False  # observations carry old_value, old_batch_id at data_version
    held: HeldRows | None = None  # the bulk path's rows where it read them, until applied

    def observation_rows(self) -> Any:
        """The observations as a table any connection can read (OBS_COLUMNS, and
        old_value, old_batch_id when diffed): a DataFrame, or Arrow from the held rows."""
        if self.observations is None:
            if self.held is None:
                raise RuntimeError("the plan was applied: its rows were let go")
            self.observations = self.held.rows()
        return self.observations

    def release(self) -> None:
        """Let go of the held rows (their cursor and its temp tables) once applied."""
        if self.held is not None:
            self.held.close()
            self.held = None

    def summary(self) -> Plan:
        """This plan without its rows (those held let go): its counts, problems and first
        changes, what a preview shows and keeps; it cannot be applied."""
        self.release()
        return replace(self, observations=None, organisations=[], assessments=[])

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


class Checker:
    """Collects problems; stops adding (but keeps counting) past MAX_PROBLEMS."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.dropped = 0

    def add(
        self,
        key: str,
        row: int | None = None,
        column: str | None = None,
        /,
        severity: str = "error",
        **params: object,
    ) -> None:
        # key, row and column are positional-only: messages have parameters of those names
        self.put(key, row, column, params, severity)

    def put(
        self,
        key: str,
        row: int | None,
        column: str | None,
        params: dict[str, object],
        severity: str = "error",
    ) -> None:
        """A problem with its parameters as a dict (as the column-wise checks collect them)."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.problems.append(Problem(key, row, column, dict(params), severity))

    def done(self) -> list[Problem]:
        if self.dropped:
            self.problems.append(Problem("e_too_many", params={"n": self.dropped}))
        return self.problems


def lettered(problems: list[Problem], header: list[str]) -> list[Problem]:
    """The problems with the spreadsheet's letter of the column each names, where the file
    has that column under that header once (a column it lacks, or names twice, has none)."""
    counts = Counter(header)
    letters = {
        name: column_letter(index + 1)
        for index, name in enumerate(header)
        if name and counts[name] == 1
    }
    return [
        replace(p, letter=letters[p.column]) if p.column in letters and not p.letter else p
        for p in problems
    ]


def plain_value(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):
        return value.item()
    return value
