"""Several threads importing and reading at once through the data layer, as the dashboard's
sessions do on one shared connection: no value lost or doubled, no error for a reader."""

from __future__ import annotations

import threading
from collections.abc import Callable

import duckdb

from src.engine import progress
from src.ingest import IngestError, Plan, apply, prepare
from tests.conftest import load

ORGS = "org_code,name,kind,parent_code\nR,Đảng bộ,root,\n" + "".join(
    f"U{i:02d},Chi bộ {i},grassroots_cell,R\n" for i in range(12)
)


def long_file(org: str, years: range) -> bytes:
    rows = ["year,org_code,indicator_code,value"]
    for y in years:
        rows += [
            f"{y},{org},members_total,{30 + y % 7}",
            f"{y},{org},members_studied,{29}",
            f"{y},{org},new_members,{y % 5}",
        ]
    return ("\n".join(rows) + "\n").encode()


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.cursor().execute(sql).fetchone()
    return int(row[0]) if row else 0


def test_parallel_imports_and_reads_lose_and_double_nothing(con: duckdb.DuckDBPyConnection) -> None:
    load(con, ORGS)
    files = {f"U{i:02d}": long_file(f"U{i:02d}", range(2015, 2025)) for i in range(12)}
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer(org: str) -> None:
        try:
            data = files[org]
            plan = prepare(con, data, f"{org}.csv")
            assert plan.ok, plan.errors
            apply(con, plan, applied_by=org, data=data)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    def reader() -> None:
        try:
            while not stop.is_set():
                table = progress.progress_table(con, 2020)
                assert len(table) == 18
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    readers = [threading.Thread(target=reader) for _ in range(3)]
    writers = [threading.Thread(target=writer, args=(org,)) for org in files]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    for t in readers:
        t.join()
    assert errors == []
    assert count(con, "SELECT count(*) FROM observations") == 12 * 10 * 3
    assert count(con, "SELECT count(*) FROM batches WHERE file_name LIKE 'U%'") == 12
    # each batch's 30 values carry it; they replaced nothing, so the history holds nothing
    per_batch = (
        "SELECT count(*) FROM (SELECT 1 FROM observations GROUP BY batch_id HAVING count(*) = 30)"
    )
    assert count(con, per_batch) == 12
    assert count(con, "SELECT count(*) FROM observation_history") == 0
    # every value is the one its file says
    table = progress.progress_table(con, 2020)
    a1 = table.set_index("goal_code").loc["A1"]
    assert a1["numerator"] == 12 * 29 and a1["denominator"] == 12 * (30 + 2020 % 7)


def clicks(
    con: duckdb.DuckDBPyConnection, n: int, plan_for_click: Callable[[], Plan], data: bytes
) -> list[str]:
    """``n`` threads apply at the same moment, each the plan ``plan_for_click`` gives it:
    what each got, sorted ("applied" or "refused" as applied before)."""
    outcomes: list[str] = []
    barrier = threading.Barrier(n)

    def click() -> None:
        plan = plan_for_click()
        barrier.wait()
        try:
            apply(con, plan, applied_by="tab", data=data)
            outcomes.append("applied")
        except IngestError as exc:
            assert exc.problems[0].key == "e_already_applied"
            outcomes.append("refused")

    threads = [threading.Thread(target=click) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_the_same_file_applied_from_two_threads_at_once_is_written_once(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load(con, ORGS)
    data = long_file("U01", range(2020, 2023))
    outcomes = clicks(con, 4, lambda: prepare(con, data, "same.csv"), data)
    assert outcomes == ["applied", "refused", "refused", "refused"]
    assert count(con, "SELECT count(*) FROM observations") == 9
    assert count(con, "SELECT count(*) FROM batches WHERE file_name = 'same.csv'") == 1


def test_one_plan_applied_from_three_threads_at_once_is_written_once(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Three clicks on one preview: the plan's rows are held by the bulk path on a cursor of
    their own, which the first apply writes from and lets go; the others are refused."""
    load(con, ORGS)
    data = long_file("U01", range(2020, 2023))
    plan = prepare(con, data, "once.csv")
    assert plan.diffed and plan.held is not None  # the bulk path took it
    assert clicks(con, 3, lambda: plan, data) == ["applied", "refused", "refused"]
    assert plan.held is None  # let go once applied
    assert count(con, "SELECT count(*) FROM observations") == 9
    assert count(con, "SELECT count(*) FROM batches WHERE file_name = 'once.csv'") == 1
