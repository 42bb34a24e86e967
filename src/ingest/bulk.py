"""The fast path of :func:`src.ingest.plan.prepare` for long and wide CSV files: DuckDB reads,
checks and diffs the file (a wide one unpivoted); Python sees only each distinct year,
indicator and unusual number once.

A file of a million rows is read and checked in well under a second, where the general path
takes seconds. The answer is the same by construction, because this path only ever decides
"clean": every cell DuckDB does not recognise in its plainest form (``2024``, an exact
organisation code, ``1234``) goes through the same Python parsers as the general path, and
at the first sign of any problem (a bad cell, an unknown code, a repeated key, a rule broken,
a value for a year the organisation was not active, data in a column it does not read) it
gives up and the general path reads the file again to report every problem with its row and
column. Files it cannot read line by line (a quote after the header line, ``.xlsx``, lone
carriage returns) and files named as Excel go to the general path directly.
``tests/test_ingest_bulk.py`` checks that both paths give the same plan.

Rows are numbered as the spreadsheet numbers them: with no quotes after the header, a record
is a line, and DuckDB keeps the file's order in the table it loads (``rowid``).

One module, past 400 lines, because it is one DuckDB pipeline over one file's temp tables
(read, unpivot, check, diff): split, its stages would hand those tables' names to each other.
"""

from __future__ import annotations

import csv
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from src.domain.models import Indicator
from src.domain.rules import rules_of
from src.ingest import read
from src.ingest import values as v
from src.ingest.cells import indicator_cell, upload_years, value_cell, year_cell
from src.ingest.checks import CHANGES_KEPT, Plan
from src.ingest.errors import IngestError
from src.ingest.header import (
    WIDE_IGNORED,
    detect_kind,
    indicator_names,
    map_header,
    repeated_columns,
    unread_columns,
)
from src.ingest.rules_sql import rules_sql

# what Python's str.strip() removes, so that DuckDB's trim() reads cells as read.py does
# (every character whose str.isspace() is true; tests/test_ingest_bulk.py checks the list)
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

Con = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class Lines:
    """A CSV file that DuckDB can read as it is: its header and how to read it."""

    encoding: str
    delimiter: str
    header: list[str]  # its cells, stripped, without trailing empty ones
    fields: int  # cells on the header line, empty ones included
    spaces: bool  # whether any cell may need stripping
    utf8: bytes  # the text as UTF-8, normalised to NFC
    records: int  # lines up to the last that is not empty: DuckDB must read as many


def lines(data: bytes) -> Lines | None:
    """How DuckDB can read the file, or None when it is not a CSV file whose records after
    the header are its lines, one after the other (a quote may hold a delimiter or a line
    break). The header line may quote its names, as the template and Excel write them."""
    if not data or read.is_xlsx(data) or data[:4] == b"\xd0\xcf\x11\xe0":
        return None
    try:
        text, encoding = read.decode(data)
    except IngestError:
        return None
    if "\x00" in text or read.looks_binary(text):
        return None
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # lone carriage returns
    changed = not unicodedata.is_normalized("NFC", text)
    if changed:
        text = unicodedata.normalize("NFC", text)
    end = len(text)  # empty lines at the very end are no rows
    while end and text[end - 1] in "\r\n":
        end -= 1
    newline = text.find("\n", 0, end)
    body = newline + 1 if newline >= 0 else end  # where the line after the header starts
    if text.find('"', body) >= 0:
        return None
    delimiter = read.sniff_delimiter(text)
    first = text[: newline if newline >= 0 else end].rstrip("\r")
    try:  # as read.py reads it: a record that ends on its line
        raw = next(csv.reader([first], delimiter=delimiter, strict=True), [])
    except csv.Error:
        return None
    header = [c.strip() for c in raw]
    while header and header[-1] == "":
        header.pop()
    if not header:
        return None  # blank lines before the header: the general path skips them
    blank = WHITESPACE.replace("\r", "").replace("\n", "").replace(delimiter, "")
    spaces = any(text.find(ch, body) >= 0 for ch in blank)  # in a cell after the header
    plain = encoding == "utf-8" and not changed
    utf8 = data if plain else text.encode("utf-8")
    records = text.count("\n", 0, end) + 1
    return Lines(encoding, delimiter, header, len(raw), spaces, utf8, records)


def prepare_csv(con: Con, plan: Plan, data: bytes, indicators: list[Indicator]) -> bool:
    """Fill ``plan`` for a clean long or wide CSV file and return True; return False,
    touching nothing, when the general path must read the file."""
    found = lines(data)
    if found is None:
        return False
    std, ind, unknown = map_header(found.header, indicators)
    kind, missing = detect_kind(std, ind)
    if kind not in ("long", "wide") or missing or repeated_columns(found.header, indicators):
        return False
    if kind == "wide" and (unknown or set(std) - {"year", "org_code"} - WIDE_IGNORED):
        return False  # columns the general path refuses in a wide file
    handle, path = tempfile.mkstemp(suffix=".csv", prefix="nq-upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(found.utf8)
        cur = con.cursor()  # its temp tables go with it
        kept = False
        try:
            if not _check(cur, plan, path, found, kind, std, ind, indicators):
                return False
            plan.kind = kind
            plan.held, kept = Held(cur, con), True  # the plan keeps the cursor and its rows
            return True
        except duckdb.Error:
            return False  # a line DuckDB cannot read: the general path says what is wrong
        finally:
            if not kept:
                cur.close()
    finally:
        os.unlink(path)


def _check(
    cur: Con,
    plan: Plan,
    path: str,
    found: Lines,
    kind: str,
    std: dict[str, int],
    ind: dict[str, int],
    indicators: list[Indicator],
) -> bool:
    width = len(found.header)
    # year y, organisation o; long: indicator i, value v; wide: c_<code> for each indicator;
    # every other cell x<i>, cells past the header's last name z<i>
    names = {std["year"]: "y", std["org_code"]: "o"}
    if kind == "long":
        names |= {std["indicator_code"]: "i", std["value"]: "v"}
    else:
        names |= {index: f"c_{code}" for code, index in ind.items()}
    # u<i>: a column not read, which the general path names in a warning if it holds data
    unread = set(unread_columns(found.header, std, ind, kind))
    columns = {
        names.get(index, (f"u{index}" if index in unread else f"x{index}"))
        if index < width
        else f"z{index}": "VARCHAR"
        for index in range(found.fields)
    }
    # strict: a line with more cells than the header's line is refused (the general path
    # then names it), never cut; a shorter one is padded with empty cells
    cur.execute(
        "CREATE TEMP TABLE bulk_lines AS SELECT * FROM read_csv(?, delim = ?, quote = '',"
        " escape = '', header = false, skip = 1, auto_detect = false, strict_mode = true,"
        " null_padding = true, columns = ?)",
        [path, found.delimiter, columns],
    )
    # DuckDB skips empty lines, which would move the rows after them: then the general path
    loaded = cur.execute("SELECT count(*) FROM bulk_lines").fetchall()[0][0]
    if loaded != found.records - 1 or not loaded:
        return False
    if width < found.fields:
        extra = cur.execute(
            "SELECT count(*) FROM bulk_lines WHERE trim(concat_ws('', *COLUMNS('^z')), ?) <> ''",
            [WHITESPACE],
        ).fetchall()[0]
        if extra[0]:
            return False  # cells past the header's columns
    if unread:
        held = cur.execute(
            "SELECT count(*) FROM bulk_lines WHERE trim(concat_ws('', *COLUMNS('^u')), ?) <> ''",
            [WHITESPACE],
        ).fetchall()[0]
        if held[0]:
            return False  # data in a column not read: the general path warns, naming it
    # bulk_rows: one row per record after the header (line 1, skipped), numbered as the
    # spreadsheet does (rowid + 2), records whose every cell is empty skipped as read.py
    # skips them; bulk_raw: one row per value given (row, y, o, i, v)
    blank_year = not found.spaces and bool(
        cur.execute("SELECT count(*) FROM bulk_lines WHERE y IS NULL").fetchall()[0][0]
    )  # with nothing to strip, a blank record has no year
    rows_sql = _ROWS[kind, "stripped" if found.spaces else "kept" if blank_year else "all"]
    cur.execute(rows_sql, [WHITESPACE] * rows_sql.count("?"))
    if kind == "long":
        cur.execute("CREATE TEMP VIEW bulk_raw AS SELECT * FROM bulk_rows")
    else:
        raw_sql = _WIDE_RAW_STRIPPED if found.spaces else _WIDE_RAW
        cur.execute(raw_sql, [WHITESPACE] * raw_sql.count("?"))
        # a record without a value still names an organisation to check
        unknown = cur.execute(
            "SELECT count(*) FROM bulk_rows r ANTI JOIN organisations o ON o.org_code = r.o"
        ).fetchall()[0][0]
        if unknown:
            return False
    stats = cur.execute("SELECT count(*) FROM bulk_rows").fetchall()[0]
    if not stats[0]:
        return False  # no data rows
    accepted = upload_years(cur)
    years = _map_distinct(cur, "y", lambda cell: year_cell(cell, accepted))
    by_code = {i.code: i for i in indicators}
    bits = {i.code: n % 64 for n, i in enumerate(indicators)}  # see rules_sql.py
    by_name = indicator_names(indicators)
    codes = _map_distinct(cur, "i", lambda cell: indicator_cell(cell, by_code, by_name))
    if years is None or codes is None:
        return False
    types = pd.DataFrame(
        {
            "i": codes["i"],
            "code": codes["value"],
            "value_type": [by_code[c].value_type for c in codes["value"]],
            "root": [by_code[c].level == "root" for c in codes["value"]],
            "bit": [bits[c] for c in codes["value"]],
        }
    )
    years = years.rename(columns={"value": "year"})
    cur.register("bulk_years", years)
    cur.register("bulk_codes", types)
    try:
        # `misfit`: an unknown or blank organisation, an indicator of the root given for
        # another organisation (or the other way round), a year the organisation was not
        # active in: problems the general path words (the last only as a warning). The cell
        # and type of a number not in its plainest form are kept for the parser below.
        cur.execute(
            "CREATE TEMP TABLE bulk_typed AS SELECT row, year, org_code, indicator_code, bit,"
            " value, old_value, old_batch_id, misfit,"
            " CASE WHEN value IS NULL THEN v END AS odd_cell,"
            " CASE WHEN value IS NULL THEN value_type END AS odd_type FROM ("
            " SELECT r.row, y.year::SMALLINT AS year, o.org_code, c.code AS indicator_code,"
            " c.bit::UTINYINT AS bit, r.v, c.value_type,"
            " CASE WHEN c.value_type = 'count' AND length(r.v) <= 15"
            "        AND TRY_CAST(r.v AS UBIGINT)::VARCHAR = r.v"
            "        THEN CAST(r.v AS DOUBLE)"
            # an amount or a percentage: a plain whole number, or a decimal point that no
            # reader takes for a thousands mark (not followed by exactly three digits)
            "      WHEN c.value_type IN ('decimal', 'percent')"
            "        AND (length(r.v) <= 15 AND TRY_CAST(r.v AS UBIGINT)::VARCHAR = r.v"
            "             OR regexp_full_match(r.v, '[0-9]{1,15}[.]([0-9]{1,2}|[0-9]{4,14})'))"
            "        AND (c.value_type = 'decimal' OR TRY_CAST(r.v AS DOUBLE) <= 100)"
            "        THEN TRY_CAST(r.v AS DOUBLE)"
            "      WHEN c.value_type = 'flag' AND r.v IN ('0', '1') THEN CAST(r.v AS DOUBLE)"
            "      WHEN c.value_type = 'rating' AND r.v IN ('1', '2', '3', '4')"
            "        THEN CAST(r.v AS DOUBLE) END AS value,"
            " h.value AS old_value, h.batch_id AS old_batch_id,"  # the diff, on the way
            " o.org_code IS NULL OR c.root <> o.root"
            " OR coalesce(y.year < o.active_from, false) OR coalesce(y.year > o.active_to, false)"
            " AS misfit"
            " FROM bulk_raw r JOIN bulk_years y ON y.y = r.y JOIN bulk_codes c ON c.i = r.i"
            " LEFT JOIN (SELECT org_code, kind = 'root' AS root, active_from,"
            " active_to FROM organisations) o ON o.org_code = r.o"
            " LEFT JOIN (SELECT * FROM observations WHERE year IN (SELECT year FROM bulk_years))"
            " h ON h.year = y.year AND h.org_code = o.org_code AND h.indicator_code = c.code)",
        )
    finally:
        cur.unregister("bulk_years")
        cur.unregister("bulk_codes")
    bad = cur.execute("SELECT count(*) FILTER (WHERE misfit) FROM bulk_typed").fetchall()[0]
    if bad is None or any(bad):
        return False
    # numbers not in their plainest form: the general path's parser, once per distinct cell
    odd = cur.execute(
        "SELECT DISTINCT odd_type, odd_cell FROM bulk_typed WHERE value IS NULL"
    ).fetchall()
    if odd:
        parsed = []
        for value_type, cell in odd:
            if v.is_blank(cell):
                return False
            number, issue = value_cell(cell, value_type)
            if issue:
                return False
            parsed.append((value_type, cell, number))
        cur.register("bulk_odd", pd.DataFrame(parsed, columns=["value_type", "v", "number"]))
        try:
            cur.execute(
                "UPDATE bulk_typed t SET value = n.number FROM bulk_odd n WHERE t.value IS NULL"
                " AND n.value_type = t.odd_type AND n.v = t.odd_cell"
            )
        finally:
            cur.unregister("bulk_odd")
    if _repeats_or_breaks_a_rule(cur, indicators):
        return False
    if kind == "long":
        headers = {code: found.header[std["value"]] for code in by_code}
    else:
        headers = {code: found.header[index] for code, index in ind.items()}
    plan.rows = int(stats[0])
    _diff(cur, plan, headers)
    plan.encoding, plan.delimiter = found.encoding, found.delimiter
    return True


# bulk_rows by kind of file and by what its records need: "all" (nothing to strip or skip:
# no copy is worth making, and a filter on rowid would slow every read of it twofold),
# "kept" (blank records skipped), "stripped" (cells stripped as Python strips them)
_ROWS = {
    ("long", "all"): "CREATE TEMP VIEW bulk_rows AS"
    " SELECT (rowid + 2)::INTEGER AS row, y, o, i, v FROM bulk_lines",
    ("long", "kept"): "CREATE TEMP TABLE bulk_rows AS"
    " SELECT (rowid + 2)::INTEGER AS row, y, o, i, v FROM bulk_lines"
    " WHERE concat_ws('', *COLUMNS(*)) <> ''",
    ("long", "stripped"): "CREATE TEMP TABLE bulk_rows AS SELECT (rowid + 2)::INTEGER AS row,"
    " trim(y, ?) AS y, trim(o, ?) AS o, trim(i, ?) AS i, trim(v, ?) AS v FROM bulk_lines"
    " WHERE trim(concat_ws('', *COLUMNS(*)), ?) <> ''",
    ("wide", "all"): "CREATE TEMP VIEW bulk_rows AS"
    " SELECT (rowid + 2)::INTEGER AS row, y, o FROM bulk_lines",
    ("wide", "kept"): "CREATE TEMP TABLE bulk_rows AS"
    " SELECT (rowid + 2)::INTEGER AS row, y, o FROM bulk_lines"
    " WHERE concat_ws('', *COLUMNS(*)) <> ''",
    ("wide", "stripped"): "CREATE TEMP TABLE bulk_rows AS SELECT (rowid + 2)::INTEGER AS row,"
    " trim(y, ?) AS y, trim(o, ?) AS o FROM bulk_lines"
    " WHERE trim(concat_ws('', *COLUMNS(*)), ?) <> ''",
}
# a wide file's values, one row each (UNPIVOT leaves out empty cells: not reported)
_WIDE_RAW = (
    "CREATE TEMP TABLE bulk_raw AS SELECT row, y, o, substr(i, 3) AS i, v FROM ("
    " UNPIVOT (SELECT (rowid + 2)::INTEGER AS row, y, o, COLUMNS('^c_') FROM bulk_lines)"
    " ON COLUMNS('^c_') INTO NAME i VALUE v)"
)
_WIDE_RAW_STRIPPED = (
    "CREATE TEMP TABLE bulk_raw AS SELECT row, trim(y, ?) AS y, trim(o, ?) AS o,"
    " substr(i, 3) AS i, trim(v, ?) AS v FROM ("
    " UNPIVOT (SELECT (rowid + 2)::INTEGER AS row, y, o, COLUMNS('^c_') FROM bulk_lines)"
    " ON COLUMNS('^c_') INTO NAME i VALUE v) WHERE trim(v, ?) <> ''"
)
_DISTINCT = {"y": "SELECT DISTINCT y FROM bulk_rows", "i": "SELECT DISTINCT i FROM bulk_raw"}


def _map_distinct(cur: Con, column: str, parse: Any) -> pd.DataFrame | None:
    """Each distinct trimmed cell of a column through a Python parser: (cell, value), or
    None at the first cell with a problem."""
    cells = [r[0] for r in cur.execute(_DISTINCT[column]).fetchall()]
    out = []
    for cell in cells:
        value, issue = parse(cell)
        if issue is not None or value is None:
            return None
        out.append((cell, value))
    return pd.DataFrame(out, columns=[column, "value"])


def _repeats_or_breaks_a_rule(cur: Con, indicators: list[Indicator]) -> bool:
    """Whether the file gives a key twice, or the values it would leave break a consistency
    rule of the indicators (the rules check_values._consistency applies,
    :func:`src.domain.rules.rules_of`) where it gives one of the values involved: both read
    off one grouping of its rows by organisation and year (src/ingest/rules_sql.py)."""
    sql = rules_sql(rules_of(indicators), tuple(i.code for i in indicators))
    cur.execute(sql.groups, sql.groups_params)
    repeated = cur.execute("SELECT count(*) FROM bulk_groups WHERE n <> bit_count(given)")
    if repeated.fetchall()[0][0]:
        return True
    if sql.consistency is None or sql.partial is None or sql.own is None:
        return False
    if not cur.execute(sql.partial).fetchall()[0][0]:  # nothing held is read
        return bool(cur.execute(sql.own).fetchall()[0][0])
    return bool(cur.execute(sql.consistency, sql.consistency_params).fetchall()[0][0])


class Held:
    """A clean file's rows where the bulk path left them: the temp tables of the cursor
    that read them, ``bulk_typed`` (year, org_code, indicator_code, value, old_value,
    old_batch_id, ...) and ``bulk_groups`` (which organisations and years it writes, in
    ``writes``). Apply writes from them on that same cursor, saving a copy through Arrow
    to another cursor (measured in docs/scaling.md); :meth:`rows` makes that copy when it
    is needed (Plan.observation_rows: plans compared, or applied after the database
    changed)."""

    def __init__(self, cur: Con, source: Con) -> None:
        self.cursor = cur
        self.source = source  # the connection it is a cursor of

    def of(self, con: Con) -> bool:
        """Whether these rows were read through ``con`` (apply writes from them only into
        the database they were read from)."""
        return self.source is con

    def rows(self) -> Any:
        """The rows as the general path gives them (OBS_COLUMNS, old_value, old_batch_id),
        as an Arrow table that any connection can read."""
        return self.cursor.sql(
            "SELECT t.year, t.org_code, t.indicator_code, t.value, t.row, h.h AS column,"
            " t.old_value, t.old_batch_id FROM bulk_typed t"
            " JOIN bulk_headers h ON h.code = t.indicator_code"
        ).to_arrow_table()

    def close(self) -> None:
        self.cursor.close()


def _diff(cur: Con, plan: Plan, headers: dict[str, str]) -> None:
    """Counts of what the file adds, changes and leaves; the first changes in file order;
    the header of the column each indicator came from. The cursor's tables stay with the
    plan (see :class:`Held`)."""
    counts = cur.execute(
        "SELECT count(*) FILTER (WHERE old_value IS NULL),"
        " count(*) FILTER (WHERE old_value <> value),"
        " count(*) FILTER (WHERE old_value = value) FROM bulk_typed"
    ).fetchall()[0]
    plan.added, plan.changed, plan.unchanged = (int(c) for c in counts)
    plan.changes = cur.execute(
        "SELECT year, org_code, indicator_code, old_value AS old, value AS new FROM bulk_typed"
        " WHERE old_value <> value ORDER BY row LIMIT ?",
        [CHANGES_KEPT],
    ).df()
    cur.register("headers", pd.DataFrame(list(headers.items()), columns=["code", "h"]))
    try:
        cur.execute("CREATE TEMP TABLE bulk_headers AS SELECT * FROM headers")
    finally:
        cur.unregister("headers")
    plan.observations = None  # made from the held rows when asked for (observation_rows)
    plan.diffed = True
