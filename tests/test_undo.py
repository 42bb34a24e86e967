"""Undo: whatever the order of undos, forced or not, the data end as replaying only the
batches still applied would leave them; what cannot be undone is refused in words; the page
picks the newest batch and asks first, saying what goes back to what."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from src.ingest import (
    IngestError,
    UndoConflictError,
    UndoDependentsError,
    UndoError,
    apply,
    prepare,
    undo,
    undo_preview,
)
from src.ingest.apply import (
    _UNDO_KEYS,
    _UNDO_PLAN,
    _UNTOUCHED,
    _values_planned,
    _values_untouched,
)
from src.store import storage
from tests.conftest import ROOT, make_db
from tests.conftest import load as load_text
from tests.ingest_support import copy_db, export, history, run
from tests.page_support import count_runs, open_tab

Key = tuple[int, str, str]
KEYS: list[Key] = [
    (year, org, code)
    for year in (2021, 2022)
    for org in ("A", "B", "C1")
    for code in ("new_members", "units_total")
]


def _text(values: dict[Key, int]) -> str:
    return "year,org_code,indicator_code,value\n" + "".join(
        f"{y},{o},{c},{v}\n" for (y, o, c), v in sorted(values.items())
    )


def _held(con: duckdb.DuckDBPyConnection) -> dict[Key, float]:
    rows = con.execute(
        "SELECT year, org_code, indicator_code, value FROM observations"
        " WHERE indicator_code IN ('new_members', 'units_total')"
    ).fetchall()
    assert len(rows) == len({(r[0], r[1], r[2]) for r in rows}), "a key held twice"
    return {(int(r[0]), str(r[1]), str(r[2])): float(r[3]) for r in rows}


def _replayed(files: dict[int, dict[Key, int]], applied: list[int]) -> dict[Key, float]:
    """The data as replaying only the batches still applied, in order, leaves them."""
    state: dict[Key, float] = {}
    for batch in sorted(applied):
        state.update({k: float(v) for k, v in files[batch].items()})
    return state


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogue and the six small organisations of conftest, closed on disk."""
    from tests.conftest import ORGS_CSV

    path = tmp_path_factory.mktemp("undo") / "base.duckdb"
    con = make_db(path)
    load_text(con, ORGS_CSV, "orgs.csv")
    con.close()
    return path


files_strategy = st.dictionaries(
    st.sampled_from(KEYS), st.integers(min_value=1, max_value=3), min_size=1, max_size=6
)
step = st.one_of(
    st.tuples(st.just("import"), files_strategy),
    st.tuples(st.just("undo"), st.integers(min_value=0, max_value=50), st.booleans()),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=2, max_size=12))
def test_any_sequence_of_imports_and_undos_ends_as_replaying_the_batches_still_applied(
    base_db: Path, steps: list[tuple]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        con = storage.connect(copy_db(base_db, Path(folder)))
        try:
            files: dict[int, dict[Key, int]] = {}
            applied: list[int] = []
            for action, *args in steps:
                if action == "import":
                    data = _text(args[0]).encode()
                    plan = prepare(con, data, "f.csv")
                    assert plan.ok, [p.render("en") for p in plan.errors]
                    try:
                        batch = apply(con, plan, "t", data, refresh=False).batch_id
                    except IngestError:  # the same bytes while applied: refused, no batch
                        continue
                    files[batch] = args[0]
                    applied.append(batch)
                elif applied:
                    batch = applied[args[0] % len(applied)]
                    before = _held(con)
                    try:
                        undo(con, batch, "t", force=args[1], refresh=False)
                    except UndoConflictError:
                        assert not args[1]
                        assert _held(con) == before  # refused: nothing changed
                        continue
                    applied.remove(batch)
                assert _held(con) == _replayed(files, applied), (action, args)
                for batch in applied:  # a batch no other met: its preview needs no plan
                    _preview_without_a_plan_agrees(con, batch)
        finally:
            con.close()


def _preview_without_a_plan_agrees(con: duckdb.DuckDBPyConnection, batch: int) -> None:
    cur = con.cursor()
    try:
        if cur.execute(_UNTOUCHED, [batch, batch]).fetchone() != (True,):
            return
        cur.execute(_UNDO_KEYS, [batch] * 3)
        cur.execute(_UNDO_PLAN, [batch])
        planned = _values_planned(cur, batch)
        quick = _values_untouched(cur, batch)
    finally:
        cur.execute("DROP TABLE IF EXISTS undo_keys")
        cur.execute("DROP TABLE IF EXISTS undo_plan")
        cur.close()
    assert list(quick[0][:3]) == list(planned[0][:3])
    assert list(quick[0][3] or []) == list(planned[0][3] or [])  # the later batches: none
    pd.testing.assert_frame_equal(quick[1], planned[1], check_dtype=False)


def test_forced_undo_of_an_earlier_batch_keeps_the_later_value_then_undoing_that_ends_empty(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    key = "year,org_code,indicator_code,value\n2022,A,new_members,{}\n"
    base = load_text(org_con, key.format(10), "base.csv")
    a = load_text(org_con, key.format(20), "a.csv")
    b = load_text(org_con, key.format(30), "b.csv")

    with pytest.raises(UndoConflictError) as refused:
        undo(org_con, a)
    assert refused.value.later == [b]
    undo(org_con, a, force=True)
    assert _held(org_con)[(2022, "A", "new_members")] == 30.0  # B still applied

    undo(org_con, b)  # nothing later changed B's value: no force needed
    assert _held(org_con)[(2022, "A", "new_members")] == 10.0  # as if only base applied
    undo(org_con, base)
    assert (2022, "A", "new_members") not in _held(org_con)


def test_a_value_sent_again_unchanged_stays_when_the_batch_that_first_sent_it_is_undone(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    first = load_text(org_con, "year,org_code,indicator_code,value\n2022,A,units_total,2\n")
    load_text(  # another file sends the same value (and one more)
        org_con,
        "year,org_code,indicator_code,value\n2022,A,units_total,2\n2022,B,units_total,1\n",
        "again.csv",
    )
    undo(org_con, first, force=True)
    assert _held(org_con)[(2022, "A", "units_total")] == 2.0


def test_undoing_the_demo_organisations_batch_is_refused_naming_how_many_values_depend_on_it(
    demo_db: Path, tmp_path: Path
) -> None:
    db = copy_db(demo_db, tmp_path)
    orgs = next(b for b in history(db) if b["file_name"] == "demo/organisations.csv")
    before = export(db, tmp_path)

    result = run(db, "undo", "--force", orgs["batch_id"])

    assert result.returncode == 1
    assert "4023 giá trị" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert export(db, tmp_path) == before
    assert next(b for b in history(db) if b["batch_id"] == orgs["batch_id"])["status"] == "applied"


def test_an_organisations_batch_whose_organisations_hold_no_values_can_be_undone(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    batch = load_text(
        org_con,
        "org_code,name,kind,parent_code,group,active_from,active_to\n"
        "E,Chi bộ E,grassroots_cell,ROOT,Khối 1,,\n",
        "e.csv",
    )
    load_text(org_con, "year,org_code,indicator_code,value\n2022,A,units_total,2\n")
    preview = undo_preview(org_con, batch)
    assert (preview.organisations, preview.dependents) == (1, 0)
    undo(org_con, batch)
    assert org_con.execute(
        "SELECT count(*) FROM organisations WHERE org_code = 'E'"
    ).fetchall() == [(0,)]


def test_undoing_an_organisation_that_holds_values_is_refused_even_when_forced(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    batch = load_text(
        org_con,
        "org_code,name,kind,parent_code,group,active_from,active_to\n"
        "E,Chi bộ E,grassroots_cell,ROOT,Khối 1,,\n",
        "e.csv",
    )
    load_text(
        org_con, "year,org_code,indicator_code,value\n2022,E,units_total,2\n2023,E,units_total,1\n"
    )
    with pytest.raises(UndoDependentsError) as refused:
        undo(org_con, batch, force=True)
    assert refused.value.values == 2 and refused.value.codes == ["E"]
    assert "2 giá trị" in refused.value.message("vi")
    assert org_con.execute("SELECT status FROM batches WHERE batch_id = ?", [batch]).fetchall() == [
        ("applied",)
    ]


def test_the_command_line_refuses_a_file_that_changes_nothing_and_records_no_batch(
    demo_db: Path, tmp_path: Path
) -> None:
    db = copy_db(demo_db, tmp_path)
    same = tmp_path / "same.csv"
    same.write_text("year,org_code,indicator_code,value\n2020,CQ-01,inspected,1\n")
    batches = history(db)

    result = run(db, "import", str(same))

    assert result.returncode == 1
    assert "không thêm hay thay đổi giá trị nào" in result.stderr
    assert history(db) == batches


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        (("undo", "999"), "Không có lần cập nhật số 999", "There is no batch 999"),
        (("undo", "{undone}"), "đã được hoàn tác trước đó", "is already undone"),
    ],
)
def test_undo_refusals_speak_the_readers_language(
    demo_db: Path, tmp_path: Path, args: tuple[str, ...], vi: str, en: str
) -> None:
    db = copy_db(demo_db, tmp_path)
    last = history(db)[-1]["batch_id"]
    assert run(db, "undo", last).returncode == 0
    argv = [a.format(undone=last) for a in args]

    in_vi = run(db, *argv)
    in_en = run(db, *argv, lang="en")

    assert in_vi.returncode == in_en.returncode == 1
    assert vi in in_vi.stderr and en not in in_vi.stderr, in_vi.stderr
    assert en in in_en.stderr, in_en.stderr
    assert "batch" not in in_vi.stderr.lower()


def test_undo_messages_exist_in_both_languages_for_every_refusal() -> None:
    for error in UndoError.__subclasses__():
        if error is UndoDependentsError:
            made: UndoError = error(3, 4, 0, ["X"])  # type: ignore[call-arg]
        elif error is UndoConflictError:
            made = error(3, 1, [4])  # type: ignore[call-arg]
        else:
            made = error(3)
        assert made.message("vi") != made.message("en")
        assert "3" in made.message("vi")


# -- the page --------------------------------------------------------------------------


def _upload_page(at: AppTest) -> AppTest:
    """The upload page open on its history tab, where the undo is."""
    at.run()
    at.switch_page("pages/upload.py").run()
    open_tab(at, "tab_history")
    assert not at.exception, at.exception
    return at


def _undo_select(at: AppTest):  # type: ignore[no-untyped-def]
    return next(s for s in at.selectbox if str(s.key).startswith("undo_batch"))


def test_the_undo_list_selects_the_newest_batch_after_another_file_is_applied(
    page_db: Path,
) -> None:
    at = _upload_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    newest = max(int(b["batch_id"]) for b in history(page_db))
    assert _undo_select(at).value == newest
    older = newest - 1
    _undo_select(at).select(older).run()
    assert _undo_select(at).value == older

    # a file applied meanwhile (here through the same connection the page uses)
    from src.ui import cache

    data = b"year,org_code,indicator_code,value\n2025,CQ-01,new_members,7\n"
    apply(cache.con(), prepare(cache.con(), data, "moi.csv"), applied_by="t", data=data)
    cache.after_write()
    at.run()

    assert _undo_select(at).value == newest + 1


def test_undo_on_the_page_says_what_goes_back_and_waits_for_a_confirmation(
    page_db: Path,
) -> None:
    at = _upload_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    newest = history(page_db)[-1]
    text = "\n".join(str(e.value) for e in at.text)
    assert newest["file_name"] in text and "nạp lúc" in text
    assert "15 kết quả đánh giá bị bỏ (trước lần này chưa có)" in text, text
    button = next(b for b in at.button if b.key == "undo")
    assert button.disabled

    next(c for c in at.checkbox if str(c.key).startswith("undo_confirm_")).check().run()
    next(b for b in at.button if b.key == "undo").click().run()

    assert not at.exception
    assert history(page_db)[-1]["status"] == "undone"
    assert [b["status"] for b in history(page_db)[:-1]] == ["applied"] * (len(history(page_db)) - 1)


# assessments and organisations follow the same rule as values

AKeys = tuple[int, str]
assessments_strategy = st.dictionaries(
    st.tuples(st.sampled_from([2021, 2022]), st.sampled_from(["T3", "K1", "K2"])),
    st.tuples(st.sampled_from(["met", "near", "missed"]), st.sampled_from(["", "ghi chú"])),
    min_size=1,
    max_size=4,
)
orgs_strategy = st.dictionaries(
    st.sampled_from(["A", "B", "E"]), st.sampled_from(["Một", "Hai"]), min_size=1, max_size=3
)


def _assessments_text(rows: dict[AKeys, tuple[str, str]]) -> str:
    return "year,goal_code,status,note\n" + "".join(
        f"{y},{g},{s},{n}\n" for (y, g), (s, n) in sorted(rows.items())
    )


def _orgs_text(names: dict[str, str]) -> str:
    return "org_code,name,kind,parent_code,group,active_from,active_to\n" + "".join(
        f"{code},Chi bộ {code} {name},grassroots_cell,ROOT,Khối 1,,\n"
        for code, name in sorted(names.items())
    )


def _held_rest(con: duckdb.DuckDBPyConnection) -> tuple[dict, dict]:
    assessed = {
        (int(r[0]), str(r[1])): (str(r[2]), r[3] or "")
        for r in con.execute("SELECT year, goal_code, status, note FROM assessments").fetchall()
    }
    names = {
        str(r[0]): str(r[1])
        for r in con.execute(
            "SELECT org_code, name FROM organisations WHERE org_code IN ('A', 'B', 'E')"
        ).fetchall()
    }
    return assessed, names


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("assess"), assessments_strategy),
            st.tuples(st.just("orgs"), orgs_strategy),
            st.tuples(st.just("undo"), st.integers(min_value=0, max_value=50), st.booleans()),
        ),
        min_size=2,
        max_size=10,
    )
)
def test_undos_of_assessments_and_organisations_end_as_replaying_the_batches_still_applied(
    base_db: Path, steps: list[tuple]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        con = storage.connect(copy_db(base_db, Path(folder)))
        try:
            start = _held_rest(con)
            files: dict[int, tuple[str, dict]] = {}
            applied: list[int] = []
            for action, *args in steps:
                if action in ("assess", "orgs"):
                    text = _assessments_text(args[0]) if action == "assess" else _orgs_text(args[0])
                    data = text.encode()
                    plan = prepare(con, data, "f.csv")
                    assert plan.ok, [p.render("en") for p in plan.errors]
                    try:
                        batch = apply(con, plan, "t", data, refresh=False).batch_id
                    except IngestError:
                        continue
                    files[batch] = (action, args[0])
                    applied.append(batch)
                elif applied:
                    batch = applied[args[0] % len(applied)]
                    try:
                        undo(con, batch, "t", force=args[1], refresh=False)
                    except UndoConflictError:
                        assert not args[1]
                        continue
                    applied.remove(batch)
                assessed, names = dict(start[0]), dict(start[1])
                for batch in sorted(applied):
                    kind, rows = files[batch]
                    if kind == "assess":
                        assessed.update(rows)
                    else:
                        names.update({c: f"Chi bộ {c} {n}" for c, n in rows.items()})
                assert _held_rest(con) == (assessed, names), (action, args)
        finally:
            con.close()


ORG_HEAD = "org_code,name,kind,parent_code,group,active_from,active_to\n"


def test_an_undo_that_would_leave_a_subcell_under_an_organisation_that_is_gone_is_refused(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    added = load_text(org_con, ORG_HEAD + "E,Đảng bộ E,grassroots_committee,ROOT,Khối 1,,\n")
    load_text(org_con, ORG_HEAD + "C1,Chi bộ C1,subcell,E,Khối 2,,\n", "moved.csv")
    back = load_text(org_con, ORG_HEAD + "C1,Chi bộ C1,subcell,C,Khối 2,,\n", "back.csv")
    undo(org_con, added)  # E holds nothing now: it may go
    with pytest.raises(UndoDependentsError) as refused:
        undo(org_con, back, force=True)  # would put C1 back under E, which is gone
    assert refused.value.children == 1 and "C1" in refused.value.codes
    assert org_con.execute(
        "SELECT parent_code FROM organisations WHERE org_code = 'C1'"
    ).fetchall() == [("C",)]


def test_an_undo_that_would_leave_a_subcell_under_a_grassroots_cell_is_refused(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    made = load_text(org_con, ORG_HEAD + "A,Đảng bộ A,grassroots_committee,ROOT,Khối 1,,\n")
    load_text(org_con, ORG_HEAD + "A1,Chi bộ A1,subcell,A,Khối 1,,\n", "a1.csv")
    with pytest.raises(UndoDependentsError) as refused:
        undo(org_con, made, force=True)  # A back to a grassroots cell, with A1 under it
    assert refused.value.codes == ["A1"]


def test_an_organisations_undo_is_judged_by_the_parents_it_leaves_not_those_it_finds(
    org_con: duckdb.DuckDBPyConnection,
) -> None:
    batch = load_text(
        org_con,
        ORG_HEAD
        + "E,Đảng bộ E,grassroots_committee,ROOT,Khối 1,,\nC1,Chi bộ C1,subcell,E,Khối 2,,\n",
    )
    undo(org_con, batch, force=True)  # E goes and C1 goes back under C: nothing is left hanging
    rows = org_con.execute(
        "SELECT org_code, parent_code FROM organisations WHERE org_code IN ('E', 'C1')"
    ).fetchall()
    assert rows == [("C1", "C")]


def test_an_undo_clicked_on_the_page_is_drawn_by_the_one_run_the_click_starts(
    page_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The undo runs in the button's callback, before the page's run: that run draws the new
    history and what became of the undo, with no second run (st.rerun) for the browser to
    draw again."""
    at = _upload_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    newest = history(page_db)[-1]["batch_id"]
    next(c for c in at.checkbox if str(c.key).startswith("undo_confirm_")).check().run()
    runs = count_runs(monkeypatch)
    next(b for b in at.button if b.key == "undo").click().run()

    assert not at.exception, at.exception
    assert len(runs) == 1
    assert [s.value for s in at.success] == [
        f"Đã hoàn tác lần cập nhật {newest}: khôi phục 15 giá trị."
    ]
    assert history(page_db)[-1]["status"] == "undone"
    assert f"{newest} · " not in str(_undo_select(at).options)  # the list is the new one
    at.run()
    assert not at.success  # said once


def test_an_undo_clicked_as_its_confirmation_or_password_goes_is_refused_in_the_callback(
    page_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The button was drawn enabled, and the click reaches the server with the box unticked
    or the password emptied in the same interaction: the callback looks again, and writes
    nothing."""
    before = history(page_db)
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", "bí-mật")
    at = _upload_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    at.text_input(key="editor_password_given").input("bí-mật").run()
    box = next(c for c in at.checkbox if str(c.key).startswith("undo_confirm_"))
    box.check().run()
    next(c for c in at.checkbox if str(c.key).startswith("undo_confirm_")).uncheck()
    next(b for b in at.button if b.key == "undo").click().run()
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes
    assert "Lần cập nhật 3 chưa được hoàn tác: hãy đánh dấu ô xác nhận trước." in shown

    next(c for c in at.checkbox if str(c.key).startswith("undo_confirm_")).check().run()
    at.text_input(key="editor_password_given").input("")
    next(b for b in at.button if b.key == "undo").click().run()
    assert not at.exception, at.exception
    assert any("Cần mật khẩu cập nhật để ghi" in e.value for e in at.error)
    assert history(page_db) == before
