"""The goal catalogue: data files under data/catalogue, installed into the database.

``indicators.toml`` holds the contract's indicator codes; every other ``*.toml`` file is one
resolution with its goals. Installing is idempotent: the rows are replaced by the files'.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

import duckdb

from src.config import CATALOGUE_DIR
from src.models import Expr, Goal, GoalKind, Indicator, Level, Resolution


def load_indicators(directory: Path = CATALOGUE_DIR) -> list[Indicator]:
    data = tomllib.loads((directory / "indicators.toml").read_text(encoding="utf-8"))
    return [
        Indicator(
            code=i["code"],
            name_vi=i["name_vi"],
            name_en=i["name_en"],
            unit_vi=i.get("unit_vi", ""),
            unit_en=i.get("unit_en", ""),
            value_type=i["value_type"],
            level=i["level"],
            part_of=i.get("part_of"),
            aliases=tuple(i.get("aliases", ())),
        )
        for i in data["indicator"]
    ]


def _goal(raw: dict[str, Any]) -> Goal:
    return Goal(
        code=raw["code"],
        kind=GoalKind(raw["kind"]),
        level=Level(raw["level"]),
        title_vi=raw["title_vi"],
        title_en=raw["title_en"],
        text_vi=raw.get("text_vi", ""),
        text_en=raw.get("text_en", ""),
        comparison=raw.get("comparison"),
        target=float(raw["target"]) if "target" in raw else None,
        numerator=raw.get("numerator"),
        denominator=raw.get("denominator"),
        rating_indicators=tuple(raw.get("indicators", ())),
        parent=raw.get("parent"),
        basis=raw.get("basis"),
        basis_vi=raw.get("basis_vi"),
        basis_en=raw.get("basis_en"),
        cap=float(raw["cap"]) if "cap" in raw else None,
        cap_denominator=raw.get("cap_denominator"),
        counts_organisations=bool(raw.get("counts_organisations", False)),
        note_vi=raw.get("note_vi"),
        note_en=raw.get("note_en"),
        unit_in_charge_vi=raw.get("unit_in_charge_vi"),
        unit_in_charge_en=raw.get("unit_in_charge_en"),
    )


def load_resolution(path: Path) -> tuple[Resolution, list[Goal]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    r = data["resolution"]
    resolution = Resolution(
        code=r["code"],
        name_vi=r["name_vi"],
        name_en=r["name_en"],
        short_vi=r.get("short_vi", r["name_vi"]),
        short_en=r.get("short_en", r["name_en"]),
        term_start=int(r["term_start"]),
        term_end=int(r["term_end"]),
        is_default=bool(r.get("is_default", False)),
        years=tuple(r.get("years", ())),
    )
    return resolution, [_goal(g) for g in data["goal"]]


def resolution_files(directory: Path = CATALOGUE_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.toml") if p.name != "indicators.toml")


def check(indicators: list[Indicator], goals: list[Goal]) -> list[str]:
    """Problems of a catalogue: unknown indicator codes, bad expressions, missing targets."""
    known = {i.code for i in indicators}
    problems = []
    for g in goals:
        try:
            codes = g.indicator_codes()
        except ValueError as exc:
            problems.append(f"{g.code}: {exc}")
            continue
        problems += [f"{g.code}: unknown indicator {c}" for c in codes if c not in known]
        if g.kind != GoalKind.QUALITATIVE and g.target is None:
            problems.append(f"{g.code}: no target")
        if g.kind == GoalKind.ANNUAL_RATIO and not (g.numerator and g.denominator):
            problems.append(f"{g.code}: a ratio needs a numerator and a denominator")
        if g.cap_denominator:
            cap_codes = Expr.parse(g.cap_denominator).codes
            problems += [f"{g.code}: unknown indicator {c}" for c in cap_codes if c not in known]
    return problems


def fingerprint(directory: Path = CATALOGUE_DIR) -> str:
    """A hash of the catalogue files (names and contents): installed again only when it
    changes."""
    digest = hashlib.sha256()
    for path in [directory / "indicators.toml", *resolution_files(directory)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def install(con: duckdb.DuckDBPyConnection, directory: Path = CATALOGUE_DIR) -> list[str]:
    """Write the catalogue files into the database (inside the caller's transaction).

    Returns the codes of the resolutions installed.
    """
    indicators = load_indicators(directory)
    con.execute("DELETE FROM indicators")
    for order, i in enumerate(indicators):
        con.execute(
            "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            ],
        )
    installed = []
    for path in resolution_files(directory):
        resolution, goals = load_resolution(path)
        problems = check(indicators, goals)
        if problems:
            raise ValueError(f"{path.name}: " + "; ".join(problems))
        r = resolution
        con.execute("DELETE FROM resolutions WHERE code = ?", [r.code])
        con.execute(
            "INSERT INTO resolutions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                r.code,
                r.name_vi,
                r.name_en,
                r.short_vi,
                r.short_en,
                r.term_start,
                r.term_end,
                r.is_default,
            ],
        )
        con.execute("DELETE FROM reporting_years WHERE resolution_code = ?", [r.code])
        for year in r.term_years:
            con.execute("INSERT INTO reporting_years VALUES (?, ?)", [r.code, year])
        con.execute("DELETE FROM goals WHERE resolution_code = ?", [r.code])
        for order, g in enumerate(goals):
            con.execute(
                "INSERT INTO goals VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                ],
            )
        installed.append(r.code)
    return installed
