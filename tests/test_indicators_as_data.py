"""Indicators are data, in one place (issue 12): the catalogue's ``indicators`` table says
which there are, ``unit_year`` follows it in the transaction that installs them (no
migration), the refresh, the templates, the demo and the benchmark read it, and no other
source file lists the contract's codes."""

from __future__ import annotations

import ast
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench import generate as bench_generate
from src.config import CATALOGUE_DIR
from src.domain.models import Goal, Indicator, Level, Measure, Over, Resolution
from src.ingest import apply, prepare
from src.services import demo, templates
from src.store import catalogue, queries, storage, units
from tests.conftest import load

ROOT = Path(__file__).resolve().parent.parent
CODE = "initiatives"  # the new indicator


def new_resolution(
    value_type: str = "count", part_of: str | None = None
) -> catalogue.ResolutionDoc:
    """A resolution with one own indicator and a ``sum`` goal reading it."""
    return catalogue.ResolutionDoc(
        resolution=Resolution(
            code="NQ-THU",
            name_vi="Nghị quyết thử nghiệm",
            name_en="Test resolution",
            short_vi="NQ thử",
            short_en="Test",
            term_start=2021,
            term_end=2025,
        ),
        indicators=(
            Indicator(
                code=CODE,
                name_vi="Số sáng kiến được công nhận",
                name_en="Recognised initiatives",
                unit_vi="sáng kiến",
                unit_en="initiatives",
                value_type=value_type,
                level="org",
                part_of=part_of,
            ),
        ),
        goals=(
            Goal(
                code="X1",
                measure=Measure.SUM,
                over=Over.YEAR,
                level=Level.ORG,
                title_vi="Sáng kiến được công nhận",
                comparison=">=",
                target=10.0,
                numerator=CODE,
            ),
        ),
    )


def install(con: duckdb.DuckDBPyConnection, doc: catalogue.ResolutionDoc) -> None:
    with storage.transaction(con) as cur:
        catalogue.write_resolution(cur, doc)


def unit_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    with units.current(con) as cur:
        frame = cur.execute("SELECT * FROM unit_year ORDER BY year, org_code").df()
    return frame.set_index(["year", "org_code"])


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[set[tuple[int, str]], int]]]:
    """Each computation of ``unit_year`` rows: the (year, unit) rows it was asked for, and
    how many indicator columns."""
    asked: list[tuple[set[tuple[int, str]], int]] = []
    run = units._run_refresh

    def recording(
        cur: duckdb.DuckDBPyConnection, indicators: list[tuple[str, bool]], *a: str
    ) -> None:
        rows = cur.execute("SELECT year, unit FROM affected_units").fetchall()
        asked.append(({(int(y), str(u)) for y, u in rows}, len(indicators)))
        run(cur, indicators, *a)

    monkeypatch.setattr(units, "_run_refresh", recording)
    yield asked


# --- unit_year follows the catalogue ------------------------------------------------------


def test_unit_year_has_one_column_per_catalogue_indicator_in_catalogue_order(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert queries.indicator_columns(con) == [i.code for i in queries.indicators(con)]


def test_a_new_indicator_gets_its_column_in_the_transaction_that_installs_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    with storage.transaction(con) as cur:
        catalogue.write_resolution(cur, new_resolution())
        assert units.columns(cur)[-1] == CODE  # seen inside the write, before it commits
    assert queries.indicator_columns(con) == [i.code for i in queries.indicators(con)]


def test_an_install_that_fails_leaves_no_column_behind(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(RuntimeError), storage.transaction(con) as cur:
        catalogue.write_resolution(cur, new_resolution())
        raise RuntimeError("the rest of the install failed")
    assert CODE not in queries.indicator_columns(con)
    assert CODE not in {i.code for i in queries.indicators(con)}


def test_a_new_indicator_with_no_values_yet_recomputes_no_row(
    org_con: duckdb.DuckDBPyConnection, spy: list[tuple[set[tuple[int, str]], int]]
) -> None:
    load(org_con, "year,org_code,indicator_code,value\n2021,A,members_total,30\n")
    before = unit_year(org_con)
    spy.clear()
    install(org_con, new_resolution())
    assert spy == []  # one look for its values, and no rebuild of the table
    after = unit_year(org_con)
    assert after[CODE].isna().all()
    pd.testing.assert_frame_equal(after.drop(columns=[CODE]), before)


@pytest.mark.parametrize(
    ("value_type", "rolls_up"), [("count", True), ("decimal", True), ("percent", False)]
)
def test_its_values_reach_unit_year_and_roll_up_from_subcells_when_they_add_up(
    org_con: duckdb.DuckDBPyConnection, value_type: str, rolls_up: bool
) -> None:
    install(org_con, new_resolution(value_type))
    load(
        org_con,
        f"year,org_code,indicator_code,value\n2021,A,{CODE},70\n2021,C1,{CODE},55\n"
        f"2022,C,{CODE},40\n2022,C1,{CODE},55\n",
    )
    table = unit_year(org_con)
    assert table.at[(2021, "A"), CODE] == 70
    assert table.at[(2022, "C"), CODE] == 40  # its own value wins over its subcell's
    if rolls_up:
        assert table.at[(2021, "C"), CODE] == 55
    else:  # a percentage of a subcell is not its committee's
        assert (2021, "C") not in table.index or pd.isna(table.at[(2021, "C"), CODE])
    assert not table.index.get_level_values("org_code").isin(["C1"]).any()


def test_installing_it_twice_changes_nothing(org_con: duckdb.DuckDBPyConnection) -> None:
    install(org_con, new_resolution())
    load(org_con, f"year,org_code,indicator_code,value\n2021,A,{CODE},3\n2021,C1,{CODE},2\n")
    indicators, table = queries.indicators(org_con), unit_year(org_con)
    install(org_con, new_resolution())
    assert queries.indicators(org_con) == indicators
    pd.testing.assert_frame_equal(unit_year(org_con), table)


def test_an_indicator_removed_and_installed_again_gets_its_values_back_and_only_its_rows_recomputed(
    org_con: duckdb.DuckDBPyConnection, spy: list[tuple[set[tuple[int, str]], int]]
) -> None:
    install(org_con, new_resolution())
    load(
        org_con,
        f"year,org_code,indicator_code,value\n2021,A,{CODE},3\n2021,C1,{CODE},2\n"
        "2021,B,members_total,20\n2022,D,members_total,10\n",
    )
    table = unit_year(org_con)
    without = new_resolution()
    install(org_con, catalogue.ResolutionDoc(without.resolution, (), ()))
    assert CODE not in queries.indicator_columns(org_con)  # dropped; its values stay
    spy.clear()
    install(org_con, new_resolution())
    # where its values are, and nowhere else; its column alone
    assert spy == [({(2021, "A"), (2021, "C")}, 1)]
    pd.testing.assert_frame_equal(unit_year(org_con), table)


def test_a_new_column_filled_at_scale_holds_every_value(con: duckdb.DuckDBPyConnection) -> None:
    """More rows than a row group (122,880): the table the fill is computed in must not be
    mistaken for an empty one (DuckDB 2.0 does so with CREATE ... AS ... LIMIT 0 and an
    INSERT in the same transaction)."""
    with storage.transaction(con) as cur:
        cur.execute(
            "INSERT INTO organisations VALUES ('ROOT', 'Gốc', 'root', NULL, NULL, NULL, NULL, 1)"
        )
        cur.execute(
            "INSERT INTO organisations SELECT 'G' || i, 'Chi bộ ' || i, 'grassroots_cell',"
            " 'ROOT', NULL, NULL, NULL, 1 FROM range(13000) r(i)"
        )
        cur.execute(
            "INSERT INTO observations SELECT y, 'G' || i, ?, (i * 7 + y) % 50, 1"
            " FROM range(13000) r(i), range(2016, 2026) s(y)",
            [CODE],
        )
    install(con, new_resolution())
    total = (
        con.cursor()
        .execute("SELECT count(*), sum(value) FROM observations WHERE indicator_code = ?", [CODE])
        .fetchall()
    )
    filled = (
        con.cursor()
        .execute(
            "SELECT count(" + units.column_name(CODE) + "), sum(" + units.column_name(CODE) + ")"
            " FROM unit_year"
        )
        .fetchall()
    )
    assert total == filled and total[0][0] == 130_000


def test_a_refresh_after_a_write_touches_only_the_organisations_written(
    org_con: duckdb.DuckDBPyConnection, spy: list[tuple[set[tuple[int, str]], int]]
) -> None:
    install(org_con, new_resolution())
    load(
        org_con,
        f"year,org_code,indicator_code,value\n2021,A,{CODE},3\n2021,B,{CODE},4\n"
        f"2021,C1,{CODE},2\n2022,D,{CODE},1\n",
    )
    units.catch_up(org_con)
    table = unit_year(org_con)
    spy.clear()
    data = f"year,org_code,indicator_code,value\n2021,C1,{CODE},6\n".encode()
    plan = prepare(org_con, data, "second.csv")
    apply(org_con, plan, applied_by="test", data=data, refresh=False)  # the write alone
    pending = org_con.cursor().execute("SELECT year, org_code FROM unit_year_pending").fetchall()
    assert pending == [(2021, "C1")]
    assert units.catch_up(org_con) == 1
    n = len(queries.indicators(org_con))
    assert spy == [({(2021, "C")}, n)]  # the subcell's committee, that year, alone
    after = unit_year(org_con)
    assert after.at[(2021, "C"), CODE] == 6
    pd.testing.assert_frame_equal(after.drop(index=[(2021, "C")]), table.drop(index=[(2021, "C")]))


def test_the_refresh_names_its_columns_and_takes_the_codes_as_parameters() -> None:
    sql, params = units.refresh_sql([("members_total", True), (CODE, False)])
    assert 'INSERT INTO unit_year (year, org_code, "members_total", "initiatives")' in sql
    assert sql.count("max(value) FILTER (WHERE indicator_code = ?)") == 2
    assert "'members_total'" not in sql and "'initiatives'" not in sql
    assert params == [["members_total", CODE], [True, False], "members_total", CODE]


@pytest.mark.parametrize("code", ['x"; DROP TABLE observations; --', "Members", "1x", "year"])
def test_only_an_indicator_code_becomes_a_column_name(code: str) -> None:
    with pytest.raises(ValueError):
        units.column_name(code)


# --- the template of a resolution ----------------------------------------------------------


def test_the_template_of_a_resolution_lists_its_indicators_and_the_wholes_they_need(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    install(org_con, new_resolution(part_of="members_total"))
    codes = [i.code for i in templates.template_indicators(org_con, "NQ-THU")]
    assert codes == ["members_total", CODE]  # its own, and the whole it may not exceed
    header = templates.template_csv(org_con, 2024, "NQ-THU").decode("utf-8-sig").splitlines()[0]
    assert header.split(",")[-1] == "Số sáng kiến được công nhận"
    assert CODE not in {i.code for i in templates.template_indicators(org_con)}  # default's


def test_the_seed_template_lists_every_contract_indicator_in_catalogue_order(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # the seed reads all but members_completed and members_not_completed, which the rule
    # "the four ratings add up to members_rated" brings in
    codes = [i.code for i in templates.template_indicators(con)]
    assert codes == [i.code for i in catalogue.load_indicators()]


def test_the_template_of_an_amount_keeps_its_decimals_and_says_what_it_is(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    install(org_con, new_resolution("decimal"))
    load(org_con, f"year,org_code,indicator_code,value\n2024,A,{CODE},12\n")
    with storage.transaction(org_con) as cur:  # as a decimal upload will store it
        cur.execute("UPDATE observations SET value = 12.5 WHERE indicator_code = ?", [CODE])
    text = templates.template_csv(org_con, 2024, "NQ-THU").decode("utf-8-sig")
    assert "A,Chi bộ A,12.5" in text
    from openpyxl import load_workbook

    notes = load_workbook(io.BytesIO(templates.template_xlsx(org_con, 2024, "NQ-THU")))["Hướng dẫn"]
    kinds = {row[1]: row[3] for row in notes.iter_rows(values_only=True)}
    assert kinds[CODE] == templates.TYPE_VI["decimal"]


# --- the demo and the benchmark read the catalogue -----------------------------------------

EXTRA = """
[[indicator]]
code = "initiatives"
name_vi = "Số sáng kiến"
value_type = "count"
level = "org"
part_of = "members_total"

[[indicator]]
code = "satisfaction"
name_vi = "Tỷ lệ hài lòng"
value_type = "percent"
level = "org"

[[indicator]]
code = "budget_spent"
name_vi = "Kinh phí đã chi"
value_type = "decimal"
level = "root"
"""


def test_the_demo_gives_an_indicator_without_a_recipe_plausible_values(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, folder)
    with (folder / "indicators.toml").open("a", encoding="utf-8") as handle:
        handle.write(EXTRA)
    plain, extra = demo.generate(), demo.generate(folder)
    rows = pd.DataFrame(extra["observations"])
    new = {"initiatives", "satisfaction", "budget_spent"}
    kept = rows[~rows["indicator_code"].isin(new)].to_dict("records")
    assert kept == plain["observations"]  # the others stay exactly as they were
    wide = rows.pivot_table(index=["year", "org_code"], columns="indicator_code", values="value")
    orgs = wide[wide.index.get_level_values("org_code") != demo.ROOT_CODE]
    assert orgs["initiatives"].notna().all() and orgs["satisfaction"].notna().all()
    assert (orgs["initiatives"] <= orgs["members_total"]).all()
    assert orgs["satisfaction"].between(0, 100).all()
    root = wide[wide.index.get_level_values("org_code") == demo.ROOT_CODE]
    assert root["budget_spent"].notna().all() and orgs["budget_spent"].isna().all()


def test_the_benchmark_gives_an_indicator_without_a_recipe_values_by_its_type(
    con: duckdb.DuckDBPyConnection,
) -> None:
    install(con, new_resolution(part_of="members_total"))
    extra = catalogue.ResolutionDoc(
        Resolution("NQ-HAI", "Nghị quyết hai", "", "NQ hai", "", 2021, 2025),
        (
            Indicator("satisfaction", "Tỷ lệ hài lòng", "", "", "", "percent", "org"),
            Indicator("budget_spent", "Kinh phí đã chi", "", "", "", "decimal", "root"),
        ),
        (),
    )
    install(con, extra)
    bench_generate.generate(con, bench_generate.tiny(5, units=36))
    values = (
        con.cursor()
        .execute(
            "SELECT ob.year, ob.org_code, o.kind, ob.indicator_code, ob.value FROM observations ob"
            " JOIN organisations o USING (org_code)"
        )
        .df()
    )
    wide = values.pivot_table(
        index=["year", "org_code", "kind"], columns="indicator_code", values="value"
    )
    org_rows = wide[wide.index.get_level_values("kind") != "root"]
    assert org_rows[CODE].notna().mean() > 0.5
    both = org_rows[[CODE, "members_total"]].dropna()
    assert (both[CODE] <= both["members_total"]).all()
    subcells = org_rows[org_rows.index.get_level_values("kind") == "subcell"]
    assert not subcells.empty and subcells["satisfaction"].isna().all()  # does not add up
    assert subcells[CODE].notna().any()  # adds up: subcells report it
    assert org_rows["satisfaction"].dropna().between(0, 100).all()
    root = wide[wide.index.get_level_values("kind") == "root"]
    assert root["budget_spent"].notna().all() and org_rows["budget_spent"].isna().all()


# --- no other file lists the contract's codes ----------------------------------------------

CONTRACT = {i.code for i in catalogue.load_indicators()}
# Files that still name more than a few contract indicators, and why. The recipes of the
# demo and of the benchmark are keyed by code (what members_total's numbers look like is
# particular to it). Both import paths read the consistency rules off the catalogue
# (src/domain/rules.py), so neither is allowed here.
NAMING_ALLOWED = {
    "src/services/demo.py": "recipes keyed by code",
    "bench/generate.py": "recipes keyed by code",
    # how resolutions word the contract's indicators ("kết nạp … đảng viên" is new_members):
    # reading rules, not a list of the indicators; an indicator a committee adds is matched
    # by its catalogue name, with no change here
    "src/ingest/draft.py": "wording rules keyed by code",
}
MOST_NAMED = 3  # a file may name a few indicators it is about
_CODE_WORD = re.compile(r"(?<![\w@])([a-z][a-z0-9_]*)(?![\w(])")
# a list written out: codes one after another, separated by commas (an IN list, an UNPIVOT
# list, a coalesce of them, a SELECT list of bare columns)
_LISTED = re.compile(r"(?:[\"']?\b[a-z][a-z0-9_.]*\b[\"']?\s*,\s*){3,}[\"']?\b[a-z][a-z0-9_.]*\b")


def _sources() -> list[Path]:
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "src").rglob("*.sql")]
    files += (ROOT / "bench").rglob("*.py")
    return sorted(p for p in files if "migrations" not in p.parts)  # history: never edited


def _texts(path: Path) -> list[str]:
    """The code of a file as written: a Python file's string constants (not its docstrings),
    a SQL file without its comments."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".sql":
        return [re.sub(r"--[^\n]*", "", text)]
    tree = ast.parse(text)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _named(texts: list[str]) -> set[str]:
    return {w for t in texts for w in _CODE_WORD.findall(t) if w in CONTRACT}


def _lists(path: Path) -> list[str]:
    """Contract codes written out as a list: a tuple, list or set literal of three or more,
    or three or more one after another in SQL text."""
    found = []
    for text in _texts(path):
        for match in _LISTED.finditer(text):
            words = {w.strip("\"'").split(".")[-1] for w in re.split(r"\s*,\s*", match.group())}
            if len(words & CONTRACT) >= 3:
                found.append(match.group()[:60])
    if path.suffix == ".py":
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                codes = {str(e.value) for e in node.elts if isinstance(e, ast.Constant)} & CONTRACT
                if len(codes) >= 3:
                    found.append(f"line {node.lineno}: {sorted(codes)[:3]} …")
    return found


def test_the_check_would_see_the_codes_listed_as_they_used_to_be(tmp_path: Path) -> None:
    """The rule below catches the forms the catalogue's codes were listed in before."""
    old_refresh = "".join(
        f"max(value) FILTER (WHERE indicator_code = '{c}'),\n" for c in sorted(CONTRACT)
    )
    assert len(_named([old_refresh])) == len(CONTRACT)
    assert _LISTED.search("IN (members_total, members_studied, members_rated, org_rating)")
    old_demo = tmp_path / "old.py"
    old_demo.write_text(
        '"""About members_total, members_rated and inspected."""\n'
        'ORG = ("members_total", "members_studied", "members_rated", "inspected")\n',
        encoding="utf-8",
    )
    assert _lists(old_demo) == ["line 2: ['inspected', 'members_rated', 'members_studied'] …"]
    assert _named(_texts(old_demo)) == {
        "members_total",
        "members_studied",
        "members_rated",
        "inspected",
    }  # the tuple's, not the docstring's (which names three of them as well)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_source_file_but_the_catalogue_lists_the_contracts_indicators(path: Path) -> None:
    rel = path.relative_to(ROOT).as_posix()
    if rel in NAMING_ALLOWED:
        never_a_list = ("src/services/demo.py", "bench/", "src/ingest/draft.py")
        if rel.startswith(never_a_list):
            assert _lists(path) == [], rel
        return
    named = _named(_texts(path))
    assert len(named) <= MOST_NAMED, f"{rel} names {sorted(named)}: read the catalogue"
    assert _lists(path) == [], rel
