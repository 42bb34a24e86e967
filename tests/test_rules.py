"""Indicators as data, in one place (issue 12): the consistency rules are what the indicators
declare (``part_of``, ``sum_of``), and both import paths enforce every one of them.

The general path (``prepare(..., bulk=False)``) applies the rules in Python, the fast path
(``src/ingest/bulk.py``) in SQL generated from the same list (``src/domain/rules.py``). Every rule
found in the installed catalogue, and a rule declared only in the database, is broken here
through both, in a long and in a wide file: a rule that one path skipped would let a file
through and fail these tests. Also: amounts (``decimal``) and percentages (``percent``) at
their bounds, and the years of an installed resolution accepted by uploads.
"""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from src.domain.models import Indicator
from src.domain.rules import Rule, involved, rules_of
from src.ingest import bulk, prepare
from src.ingest.checks import Plan
from src.store import catalogue, queries
from tests.conftest import load

Con = duckdb.DuckDBPyConnection

YEAR = "2022"
SHIPPED_RULES = rules_of(catalogue.load_indicators())


# ---------------------------------------------------------------------------------------
# helpers


def long_file(rows: list[tuple[str, str, str]], year: str = YEAR) -> bytes:
    """A long CSV: (org, indicator, value) rows of one year."""
    lines = ["year,org_code,indicator_code,value", *(f"{year},{o},{i},{v}" for o, i, v in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def wide_file(org: str, values: dict[str, str], year: str = YEAR) -> bytes:
    """A wide CSV: one row for the organisation, one column per indicator given."""
    header = ",".join(["year", "org_code", *values])
    row = ",".join([year, org, *values.values()])
    return f"{header}\n{row}\n".encode()


def fast_path_takes(con: Con, data: bytes) -> bool:
    """Whether the fast path alone finds the file clean (and so would apply it as it is)."""
    plan = Plan(file_name="rule.csv", sha256=hashlib.sha256(data).hexdigest())
    taken = bulk.prepare_csv(con, plan, data, queries.indicators(con))
    plan.release()
    return taken


def where(plan: Plan) -> list[tuple[str, int | None, str | None]]:
    return [(p.key, p.row, p.column) for p in plan.errors]


def org_for(con: Con, rule: Rule) -> str:
    """An organisation that reports the rule's indicators: the root for root indicators."""
    level = {i.code: i.level for i in queries.indicators(con)}[rule.whole]
    return (queries.root_code(con) or "ROOT") if level == "root" else "A"


def breaking(rule: Rule) -> dict[str, str]:
    """Values of the rule's indicators (its whole first) that break it, and only it."""
    if rule.kind == "part_of":
        return {rule.whole: "10", rule.parts[0]: "11"}
    return {rule.whole: str(len(rule.parts) + 1), **{p: "1" for p in rule.parts}}


def keeping(rule: Rule) -> dict[str, str]:
    """The same indicators with values that keep the rule."""
    if rule.kind == "part_of":
        return {rule.whole: "10", rule.parts[0]: "10"}
    return {rule.whole: str(len(rule.parts)), **{p: "1" for p in rule.parts}}


def named_at(rule: Rule) -> str:
    """The indicator whose cell a broken rule names when the file gives all its values: a
    part that exceeds its whole, the whole that its parts do not add up to."""
    return rule.parts[0] if rule.kind == "part_of" else rule.whole


RULE_KEYS = {"part_of": {"e_part_exceeds"}, "sum_of": {"e_ratings_sum", "e_parts_sum"}}


def assert_both_paths_enforce(con: Con, rule: Rule) -> None:
    """A long and a wide file breaking only ``rule`` are refused by the fast path and by
    the general path, each naming the row and column of the cell at fault; the same files
    keeping the rule are clean and taken by the fast path (so it refused for the rule)."""
    org = org_for(con, rule)
    bad, good = breaking(rule), keeping(rule)
    at = named_at(rule)
    files = {
        "long": (
            long_file([(org, code, value) for code, value in bad.items()]),
            long_file([(org, code, value) for code, value in good.items()]),
            (2 + list(bad).index(at), "value"),
        ),
        "wide": (wide_file(org, bad), wide_file(org, good), (2, at)),
    }
    for kind, (broken, kept, (row, column)) in files.items():
        assert fast_path_takes(con, kept), (rule, kind, "a clean file left to the general path")
        assert not fast_path_takes(con, broken), (str(rule), kind, "the fast path skips it")
        for path, plan in (
            ("fast", prepare(con, broken, f"{kind}.csv")),
            ("general", prepare(con, broken, f"{kind}.csv", bulk=False)),
        ):
            assert not plan.ok and plan.diffed is False, (str(rule), kind, path)
            assert len(plan.errors) == 1, (str(rule), kind, path, where(plan))
            key, found_row, found_column = where(plan)[0]
            assert key in RULE_KEYS[rule.kind], (str(rule), kind, path, key)
            assert (found_row, found_column) == (row, column), (str(rule), kind, path)
            for lang in ("vi", "en"):
                text = plan.errors[0].render(lang)
                assert str(row) in text and column in text, text


def indicator(code: str, value_type: str = "count", **fields: object) -> Indicator:
    return Indicator(
        code=code,
        name_vi=f"Chỉ số {code}",
        name_en=f"Indicator {code}",
        unit_vi="",
        unit_en="",
        value_type=value_type,
        level="org",
        resolution_code="X",
        **fields,  # type: ignore[arg-type]
    )


def add_indicators(con: Con, *indicators: Indicator) -> None:
    """Indicators of a resolution ``X``, written into the database as installing does."""
    first = len(queries.indicators(con))
    for n, i in enumerate(indicators):
        catalogue._insert_indicator(con, i, first + n)


# ---------------------------------------------------------------------------------------
# the rules, read off the declaration


def test_the_rules_are_the_ones_the_indicators_declare() -> None:
    rules = {str(r) for r in SHIPPED_RULES}
    assert rules == {
        "members_studied <= members_total",
        "members_rated <= members_total",
        "members_excellent + members_good + members_completed + members_not_completed"
        " = members_rated",
        "staff_advanced <= staff_total",
        "staff_emulation <= staff_advanced",
        "mass_orgs_good <= mass_orgs_total",
        "units_cultural <= units_total",
    }


def test_the_codes_involved_are_each_listed_once_in_catalogue_order() -> None:
    order = [i.code for i in catalogue.load_indicators()]
    codes = involved(SHIPPED_RULES, order)
    assert len(codes) == len(set(codes)) == 14
    assert list(codes) == [c for c in order if c in codes]
    assert set(involved(SHIPPED_RULES)) == set(codes)


def test_a_rule_naming_an_indicator_not_installed_is_left_out() -> None:
    lone = [indicator("x_part", part_of="x_missing"), indicator("x_sum", sum_of=("x_gone",))]
    assert rules_of(lone) == []


def test_the_installed_catalogue_declares_the_shipped_rules(org_con: Con) -> None:
    assert rules_of(queries.indicators(org_con)) == SHIPPED_RULES


# ---------------------------------------------------------------------------------------
# (a) every rule of the installed catalogue, through both paths


@pytest.mark.parametrize("rule", SHIPPED_RULES, ids=str)
def test_every_declared_rule_broken_by_a_file_is_refused_by_both_paths_naming_row_and_column(
    org_con: Con, rule: Rule
) -> None:
    assert rule in rules_of(queries.indicators(org_con))
    assert_both_paths_enforce(org_con, rule)


@pytest.mark.parametrize("rule", SHIPPED_RULES, ids=str)
def test_a_rule_broken_against_a_value_held_is_refused_by_both_paths(
    org_con: Con, rule: Rule
) -> None:
    """The file gives one value only; the others are held for the organisation and year."""
    org = org_for(org_con, rule)
    bad = breaking(rule)
    given = named_at(rule)
    held = long_file([(org, c, v) for c, v in bad.items() if c != given])
    load(org_con, held.decode(), "held.csv")
    data = long_file([(org, given, bad[given])])
    assert not fast_path_takes(org_con, data), str(rule)
    for plan in (prepare(org_con, data, "f.csv"), prepare(org_con, data, "f.csv", bulk=False)):
        assert where(plan) and where(plan)[0][1:] == (2, "value"), (str(rule), where(plan))
    # a value held that breaks the rule with none of the file's is not the file's fault
    other = long_file([(org, "new_members" if org != "ROOT" else "classes_candidates", "1")])
    assert fast_path_takes(org_con, other)


# ---------------------------------------------------------------------------------------
# (b) a rule declared only in the database


def test_a_part_of_rule_declared_only_in_data_is_enforced_by_both_paths(org_con: Con) -> None:
    add_indicators(org_con, indicator("x_members_trained", part_of="members_total"))
    rule = Rule("part_of", "members_total", ("x_members_trained",))
    assert rule in rules_of(queries.indicators(org_con))
    assert_both_paths_enforce(org_con, rule)


def test_a_sum_of_rule_declared_only_in_data_is_enforced_by_both_paths(org_con: Con) -> None:
    add_indicators(
        org_con,
        indicator("x_budget_total", "decimal", sum_of=("x_budget_state", "x_budget_other")),
        indicator("x_budget_state", "decimal"),
        indicator("x_budget_other", "decimal"),
    )
    rule = Rule("sum_of", "x_budget_total", ("x_budget_state", "x_budget_other"))
    assert rule in rules_of(queries.indicators(org_con))
    assert_both_paths_enforce(org_con, rule)
    plan = prepare(org_con, wide_file("A", breaking(rule)), "wide.csv", bulk=False)
    vi, en = plan.errors[0].render("vi"), plan.errors[0].render("en")
    assert "chỉ số x_budget_state + chỉ số x_budget_other" in vi and "chỉ số x_budget_total" in vi
    assert "indicator x_budget_state + indicator x_budget_other" in en


def test_a_sum_of_amounts_within_a_billionth_adds_up(org_con: Con) -> None:
    add_indicators(
        org_con,
        indicator("x_budget_total", "decimal", sum_of=("x_budget_state", "x_budget_other")),
        indicator("x_budget_state", "decimal"),
        indicator("x_budget_other", "decimal"),
    )
    data = wide_file(
        "A", {"x_budget_total": "0.3", "x_budget_state": "0.1", "x_budget_other": "0.2"}
    )
    assert fast_path_takes(org_con, data)
    assert prepare(org_con, data, "ok.csv", bulk=False).ok


# ---------------------------------------------------------------------------------------
# (c) amounts and percentages


@pytest.fixture
def typed_con(org_con: Con) -> Con:
    add_indicators(org_con, indicator("x_money", "decimal"), indicator("x_share", "percent"))
    return org_con


ACCEPTED = [
    ("x_money", "0", 0.0),
    ("x_money", "12.5", 12.5),
    ("x_money", "0.123", 0.123),
    ("x_money", "1234567.25", 1234567.25),
    ("x_money", "1.234", 1234.0),  # a thousands mark, as Vietnamese writes 1.234
    ("x_money", "1.234,5", 1234.5),
    ("x_share", "0", 0.0),
    ("x_share", "100", 100.0),
    ("x_share", "99.5", 99.5),
    ("x_share", "45%", 45.0),
    ("x_share", "100%", 100.0),
    ("x_share", "0,5%", 0.5),
]
REFUSED = [
    ("x_money", "-0.5", "e_negative_amount"),
    ("x_money", "-1", "e_negative_amount"),
    ("x_money", "5%", "e_percent_amount"),
    ("x_money", "abc", "e_not_number"),
    ("x_share", "100.5", "e_percent_range"),
    ("x_share", "101%", "e_percent_range"),
    ("x_share", "-1", "e_percent_range"),
    ("x_share", "-0.1%", "e_percent_range"),
]


@pytest.mark.parametrize(("code", "cell", "value"), ACCEPTED)
def test_amounts_and_percentages_within_their_bounds_are_accepted_by_both_paths(
    typed_con: Con, code: str, cell: str, value: float
) -> None:
    data = f"year;org_code;indicator_code;value\n{YEAR};A;{code};{cell}\n".encode()
    fast, general = prepare(typed_con, data, "f.csv"), prepare(typed_con, data, "f.csv", bulk=False)
    assert fast.ok and general.ok, [p.render("en") for p in fast.problems + general.problems]
    assert fast.diffed is True  # the fast path took it
    for plan in (fast, general):
        rows = plan.observation_rows()
        got = rows["value"][0] if hasattr(rows, "iloc") else rows.column("value")[0].as_py()
        assert float(got) == value


@pytest.mark.parametrize(("code", "cell", "key"), REFUSED)
def test_amounts_and_percentages_out_of_bounds_are_refused_by_both_paths_naming_row_and_column(
    typed_con: Con, code: str, cell: str, key: str
) -> None:
    long = f"year;org_code;indicator_code;value\n{YEAR};A;new_members;1\n{YEAR};A;{code};{cell}\n"
    wide = f"year;org_code;new_members;{code}\n{YEAR};A;1;{cell}\n"
    for data, (row, column) in ((long, (3, "value")), (wide, (2, code))):
        for plan in (
            prepare(typed_con, data.encode(), "f.csv"),
            prepare(typed_con, data.encode(), "f.csv", bulk=False),
        ):
            assert where(plan) == [(key, row, column)], where(plan)
            for lang in ("vi", "en"):
                assert cell in plan.errors[0].render(lang)


def test_the_out_of_range_messages_name_the_bounds_in_both_languages(typed_con: Con) -> None:
    data = f"year,org_code,x_share,x_money\n{YEAR},A,150,-2\n".encode()
    plan = prepare(typed_con, data, "f.csv")
    vi = [p.render("vi") for p in plan.errors]
    en = [p.render("en") for p in plan.errors]
    assert "0-100" in vi[0] and "tỷ lệ phần trăm" in vi[0] and "x_share" in vi[0]
    assert "0-100" in en[0] and "percentage" in en[0]
    assert "số âm" in vi[1] and "x_money" in vi[1] and "negative" in en[1]


# ---------------------------------------------------------------------------------------
# (d) the years of an installed resolution


def install_years(con: Con, code: str, years: range, base_year: int | None = None) -> None:
    con.execute(
        "INSERT INTO resolutions (code, name_vi, name_en, short_vi, short_en, term_start,"
        " term_end, is_default, base_year) VALUES (?, ?, ?, ?, ?, ?, ?, false, ?)",
        [code, "Nghị quyết thử", "Test", "NQ", "R", years[0], years[-1], base_year],
    )
    for year in years:
        con.execute("INSERT INTO reporting_years VALUES (?, ?)", [code, year])


def both_paths(con: Con, data: bytes) -> list[Plan]:
    return [prepare(con, data, "y.csv"), prepare(con, data, "y.csv", bulk=False)]


def test_a_value_for_2030_is_accepted_once_a_resolution_reporting_to_2030_is_installed(
    org_con: Con,
) -> None:
    data = long_file([("A", "new_members", "1")], year="2030")
    wide = wide_file("A", {"new_members": "1"}, year="2030")
    for plan in both_paths(org_con, data) + both_paths(org_con, wide):
        assert where(plan) == [("e_year_range", 2, "year")], where(plan)
        assert "2030" in plan.errors[0].render("vi")

    install_years(org_con, "NQ-2025", range(2026, 2031))

    for body in (data, wide):
        fast, general = both_paths(org_con, body)
        assert fast.ok and general.ok and fast.diffed is True
    assert where(both_paths(org_con, long_file([("A", "new_members", "1")], "2031"))[1]) == [
        ("e_year_range", 2, "year")
    ]


def test_the_base_year_of_an_installed_resolution_is_accepted(org_con: Con) -> None:
    """A base year is given (1984), or is the year before the first reporting year (1985)."""
    for year in ("1984", "1985", "1986"):
        for plan in both_paths(org_con, long_file([("A", "new_members", "1")], year)):
            assert not plan.ok
    install_years(org_con, "OLD-1", range(1986, 1991))  # base year: 1985
    install_years(org_con, "OLD-2", range(1987, 1991), base_year=1984)
    for year in ("1984", "1985", "1986"):
        for plan in both_paths(org_con, long_file([("A", "new_members", "1")], year)):
            assert plan.ok, (year, where(plan))
    plan = prepare(org_con, long_file([("A", "new_members", "1")], "1983"), "y.csv")
    assert where(plan) == [("e_year_range", 2, "year")]
    assert "1984-" in plan.errors[0].render("en")


def test_a_year_outside_every_span_names_the_years_accepted(org_con: Con) -> None:
    install_years(org_con, "FAR", range(2041, 2046))  # base year 2040: a second span
    for plan in both_paths(org_con, long_file([("A", "new_members", "1")], "2035")):
        assert where(plan) == [("e_year_not_accepted", 2, "year")]
        text = plan.errors[0].render("vi")
        assert "2040-2045" in text and "1990-" in text
    assert all(p.ok for p in both_paths(org_con, long_file([("A", "new_members", "1")], "2045")))
