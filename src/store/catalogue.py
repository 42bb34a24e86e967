"""The goal catalogue: data files under data/catalogue, installed into the database.

``indicators.toml`` holds the contract's indicator codes; every other ``*.toml`` file is one
resolution with its goals. Installing is idempotent: the rows are replaced by the files'.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import duckdb

from src.config import CATALOGUE_DIR
from src.domain.models import Goal, GoalKind, Indicator, Level, Measure, Over, Resolution, split_key
from src.store import units


def _indicator(i: dict[str, Any], resolution_code: str | None = None) -> Indicator:
    return Indicator(
        code=i["code"],
        name_vi=i["name_vi"],
        name_en=i.get("name_en", ""),
        unit_vi=i.get("unit_vi", ""),
        unit_en=i.get("unit_en", ""),
        value_type=i["value_type"],
        level=i["level"],
        part_of=i.get("part_of"),
        aliases=tuple(i.get("aliases", ())),
        sum_of=tuple(i.get("sum_of", ())),
        resolution_code=resolution_code,
    )


def load_indicators(directory: Path = CATALOGUE_DIR) -> list[Indicator]:
    """The contract's indicators (``indicators.toml``)."""
    data = tomllib.loads((directory / "indicators.toml").read_text(encoding="utf-8"))
    return [_indicator(i) for i in data["indicator"]]


def shipped_indicators(directory: Path = CATALOGUE_DIR) -> list[Indicator]:
    """Every indicator the catalogue files install, in the order installing gives them: the
    contract's, then each shipped resolution's own."""
    found = load_indicators(directory)
    for path in resolution_files(directory):
        found += load_resolution_doc(path).indicators
    return found


def _float(raw: dict[str, Any], key: str) -> float | None:
    return float(raw[key]) if raw.get(key) is not None else None


def _goal(raw: dict[str, Any]) -> Goal:
    measure = raw.get("measure")
    return Goal(
        code=raw["code"],
        kind=GoalKind(raw.get("kind", "annual_ratio")),
        measure=Measure(measure) if measure else None,
        over=Over(raw.get("over", "year")),
        level=Level(raw["level"]),
        title_vi=raw["title_vi"],
        title_en=raw.get("title_en", ""),
        text_vi=raw.get("text_vi", ""),
        text_en=raw.get("text_en", ""),
        comparison=raw.get("comparison"),
        target=_float(raw, "target"),
        target_max=_float(raw, "target_max"),
        numerator=raw.get("numerator"),
        denominator=raw.get("denominator"),
        rating_indicators=tuple(raw.get("indicators", ())),
        parent=raw.get("parent"),
        basis=raw.get("basis"),
        basis_vi=raw.get("basis_vi"),
        basis_en=raw.get("basis_en"),
        cap=_float(raw, "cap"),
        cap_denominator=raw.get("cap_denominator"),
        counts_organisations=bool(raw.get("counts_organisations", False)),
        note_vi=raw.get("note_vi"),
        note_en=raw.get("note_en"),
        unit_in_charge_vi=raw.get("unit_in_charge_vi"),
        unit_in_charge_en=raw.get("unit_in_charge_en"),
    )


@dataclass(frozen=True)
class ResolutionDoc:
    """A whole resolution: its row, its own indicators and its goals (what a workbook or a
    catalogue file holds, and what installing writes)."""

    resolution: Resolution
    indicators: tuple[Indicator, ...]
    goals: tuple[Goal, ...]


def doc_to_json(doc: ResolutionDoc) -> str:
    """A resolution as JSON text (the history's record of what an install replaced)."""
    return json.dumps(asdict(doc), ensure_ascii=False, default=str)


def doc_from_json(text: str) -> ResolutionDoc:
    raw = json.loads(text)
    r = dict(raw["resolution"])
    r["years"] = tuple(r.get("years") or ())
    resolution = Resolution(**r)
    indicators = tuple(
        Indicator(**{**i, "aliases": tuple(i["aliases"]), "sum_of": tuple(i["sum_of"])})
        for i in raw["indicators"]
    )
    goals = []
    for g in raw["goals"]:
        fields = dict(g)
        fields["rating_indicators"] = tuple(fields.get("rating_indicators") or ())
        fields["kind"] = GoalKind(fields["kind"])
        fields["level"] = Level(fields["level"])
        fields["measure"] = Measure(fields["measure"]) if fields.get("measure") else None
        fields["over"] = Over(fields.get("over") or "year")
        goals.append(Goal(**fields))
    return ResolutionDoc(resolution, indicators, tuple(goals))


def load_resolution(path: Path) -> tuple[Resolution, list[Goal]]:
    doc = load_resolution_doc(path)
    return doc.resolution, list(doc.goals)


def load_resolution_doc(path: Path) -> ResolutionDoc:
    """A resolution shipped as a catalogue file (TOML)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    r = data["resolution"]
    resolution = Resolution(
        code=r["code"],
        name_vi=r["name_vi"],
        name_en=r.get("name_en", ""),
        short_vi=r.get("short_vi", r["name_vi"]),
        short_en=r.get("short_en", r.get("name_en", "")),
        term_start=int(r["term_start"]),
        term_end=int(r["term_end"]),
        is_default=bool(r.get("is_default", False)),
        years=tuple(r.get("years", ())),
        base_year=int(r["base_year"]) if r.get("base_year") is not None else None,
    )
    own = tuple(_indicator(i, resolution.code) for i in data.get("indicator", ()))
    return ResolutionDoc(resolution, own, tuple(_goal(g) for g in data["goal"]))


def resolution_files(directory: Path = CATALOGUE_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.toml") if p.name != "indicators.toml")


def check(indicators: list[Indicator], goals: list[Goal] | tuple[Goal, ...]) -> list[str]:
    """Problems of a catalogue: unknown indicator codes, bad expressions, missing targets."""
    known = {i.code for i in indicators}
    problems = []
    for g in goals:
        try:
            codes = [split_key(c).code for c in g.indicator_codes()]
            cap = g.cap_expr()
        except ValueError as exc:
            problems.append(f"{g.code}: {exc}")
            continue
        problems += [f"{g.code}: unknown indicator {c}" for c in codes if c not in known]
        if g.measure != Measure.QUALITATIVE and g.target is None:
            problems.append(f"{g.code}: no target")
        if g.measure == Measure.RATIO and not (g.numerator and g.denominator):
            problems.append(f"{g.code}: a ratio needs a numerator and a denominator")
        if cap:
            problems += [
                f"{g.code}: unknown indicator {c}" for c in cap.indicators if c not in known
            ]
    return problems


def indicators_read(
    indicators: list[Indicator], goals: list[Goal] | tuple[Goal, ...], resolution_code: str
) -> list[Indicator]:
    """The indicators a resolution reads, in catalogue order: those its goals read (with
    their caps), its own, and every indicator their consistency rules need (the whole a
    part may not exceed, the parts that add up to a whole, and the whole a part adds up
    to), until nothing more is needed."""
    by_code = {i.code: i for i in indicators}
    wanted = {i.code for i in indicators if i.resolution_code == resolution_code}
    for g in goals:
        cap = g.cap_expr()
        wanted |= {split_key(c).code for c in g.indicator_codes()}
        wanted |= set(cap.indicators) if cap else set()
    todo = list(wanted)
    while todo:
        found = by_code.get(todo.pop())
        if found is None:
            continue
        needs = [found.part_of, *found.sum_of]
        needs += [i.code for i in indicators if found.code in i.sum_of]
        for code in needs:
            if code and code not in wanted:
                wanted.add(code)
                todo.append(code)
    return [i for i in indicators if i.code in wanted]


def fingerprint(directory: Path = CATALOGUE_DIR) -> str:
    """A hash of the catalogue files (names and contents): installed again only when it
    changes."""
    digest = hashlib.sha256()
    for path in [directory / "indicators.toml", *resolution_files(directory)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def install_contract_indicators(
    con: duckdb.DuckDBPyConnection, indicators: list[Indicator]
) -> None:
    """Replace the contract's own indicators (those of no resolution)."""
    con.execute("DELETE FROM indicators WHERE resolution_code IS NULL")
    for order, i in enumerate(indicators):
        _insert_indicator(con, i, order)


def _insert_indicator(con: duckdb.DuckDBPyConnection, i: Indicator, order: int) -> None:
    con.execute(
        "INSERT INTO indicators (code, sort_order, name_vi, name_en, unit_vi, unit_en,"
        " value_type, level, part_of, aliases, sum_of, resolution_code)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            i.code,
            order,
            i.name_vi,
            i.name_en,
            i.unit_vi,
            i.unit_en,
            i.value_type,
            i.level,
            i.part_of,
            list(i.aliases),
            list(i.sum_of),
            i.resolution_code,
        ],
    )


def percent_sums(goals: tuple[Goal, ...], indicators: list[Indicator]) -> tuple[Goal, ...]:
    """The goals, each ``sum`` of a percent indicator marked as judged in points."""
    percent = {i.code for i in indicators if i.value_type == "percent"}
    out = []
    for g in goals:
        expr = g.num_expr() if g.measure == Measure.SUM else None
        marked = bool(expr and expr.kind == "sum" and set(expr.indicators) <= percent)
        out.append(replace(g, percent_sum=marked) if marked != g.percent_sum else g)
    return tuple(out)


def write_resolution(
    con: duckdb.DuckDBPyConnection,
    doc: ResolutionDoc,
    batch_id: int | None = None,
    version: int = 1,
) -> None:
    """Install one resolution (inside the caller's transaction): its row, reporting years,
    own indicators and goals replace those of the same code; values are never touched.
    ``unit_year`` gets a column for each new indicator in the same transaction (no
    migration: src/store/units.py, sync_columns)."""
    r = doc.resolution
    con.execute("DELETE FROM resolutions WHERE code = ?", [r.code])
    con.execute(
        "INSERT INTO resolutions (code, name_vi, name_en, short_vi, short_en, term_start,"
        " term_end, is_default, base_year, version, batch_id, installed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
        [
            r.code,
            r.name_vi,
            r.name_en,
            r.short_vi,
            r.short_en,
            r.term_start,
            r.term_end,
            r.is_default,
            r.base_year,
            version,
            batch_id,
        ],
    )
    con.execute("DELETE FROM reporting_years WHERE resolution_code = ?", [r.code])
    for year in r.term_years:
        con.execute("INSERT INTO reporting_years VALUES (?, ?)", [r.code, year])
    con.execute("DELETE FROM indicators WHERE resolution_code = ?", [r.code])
    row = con.execute("SELECT coalesce(max(sort_order) + 1, 0) FROM indicators").fetchone()
    first = int(row[0]) if row else 0
    for order, i in enumerate(doc.indicators):
        _insert_indicator(con, replace(i, resolution_code=r.code), first + order)
    con.execute("DELETE FROM goals WHERE resolution_code = ?", [r.code])
    for order, g in enumerate(doc.goals):
        con.execute(
            "INSERT INTO goals (resolution_code, code, sort_order, kind, level, comparison,"
            " target, numerator, denominator, rating_indicators, parent, basis, basis_vi,"
            " basis_en, cap, counts_organisations, title_vi, title_en, text_vi, text_en,"
            " note_vi, note_en, unit_in_charge_vi, unit_in_charge_en, cap_denominator,"
            " measure, judged_over, target_max, percent_sum)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?)",
            [
                r.code,
                g.code,
                order,
                str(g.kind),
                str(g.level),
                g.comparison,
                g.target,
                g.numerator,
                g.denominator,
                list(g.rating_indicators),
                g.parent,
                g.basis,
                g.basis_vi,
                g.basis_en,
                g.cap,
                g.counts_organisations,
                g.title_vi,
                g.title_en,
                g.text_vi,
                g.text_en,
                g.note_vi,
                g.note_en,
                g.unit_in_charge_vi,
                g.unit_in_charge_en,
                g.cap_denominator,
                str(g.measure),
                str(g.over),
                g.target_max,
                g.percent_sum,
            ],
        )
    units.sync_columns(con)


def install(con: duckdb.DuckDBPyConnection, directory: Path = CATALOGUE_DIR) -> list[str]:
    """Write the catalogue files into the database (inside the caller's transaction).

    The contract's indicators are replaced by the file's. A shipped resolution is
    (re)installed unless a committee installed its own version of it from a workbook (which
    then stays as installed). Returns the codes of the resolutions installed.
    """
    contract = load_indicators(directory)
    install_contract_indicators(con, contract)
    installed = []
    for path in resolution_files(directory):
        doc = load_resolution_doc(path)
        known = [*contract, *doc.indicators]
        problems = check(known, doc.goals)
        if problems:
            raise ValueError(f"{path.name}: " + "; ".join(problems))
        r = doc.resolution
        row = con.execute(
            "SELECT batch_id, is_default FROM resolutions WHERE code = ?", [r.code]
        ).fetchone()
        if row is not None and row[0] is not None:
            continue  # a committee's own version, installed as a batch
        others = con.execute(
            "SELECT count(*) FROM resolutions WHERE is_default AND code <> ?", [r.code]
        ).fetchone()
        default = (bool(row[1]) if row is not None else r.is_default) and not (others and others[0])
        doc = replace(
            doc,
            resolution=replace(r, is_default=default),
            goals=percent_sums(doc.goals, known),
        )
        write_resolution(con, doc)
        installed.append(r.code)
    units.sync_columns(con)  # the contract's indicators, when no resolution was written
    return installed
