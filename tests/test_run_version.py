"""A page's run reads the data version once (src/ui/cache.version): every cached read of
the run is keyed by the same snapshot, and a write in the run reads it again."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from src.store import storage

ROOT = Path(__file__).resolve().parent.parent


def test_a_page_run_reads_the_data_version_once(
    page_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    reads: list[int] = []
    read = storage.data_version

    def counted(con: object) -> int:
        reads.append(1)
        return read(con)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "data_version", counted)
    at.run()
    assert not at.exception
    assert len(at.get("plotly_chart")) >= 14  # the overview, drawn from its cached reads
    assert len(reads) == 1


def _script() -> None:
    import streamlit as st

    from src.store import storage
    from src.ui import cache

    first, again = cache.version(), cache.version()
    with storage.transaction(cache.con()) as cur:  # a write, as the pages' writes are made
        cur.execute("SELECT 1")
    unsaid = cache.version()  # the run's snapshot, until the write is said
    cache.after_write()
    st.text(f"{first} {again} {unsaid} {cache.version()}")


def test_a_write_in_the_run_makes_its_next_reads_see_the_new_version(page_db: Path) -> None:
    at = AppTest.from_function(_script, default_timeout=60).run()
    assert not at.exception, at.exception
    first, again, unsaid, after = map(int, at.text[0].value.split())
    assert first == again == unsaid and after == first + 1
    at.run()  # the next run: a new snapshot, which has that write
    assert int(at.text[0].value.split()[0]) == after
