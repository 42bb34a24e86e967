-- 005: unit_year is brought up to date after the write, not inside it (issue 6).
-- A write of observations records here the (year, org_code) keys it wrote, in its own
-- transaction; the next reader of unit_year (src/units.py, catch_up) recomputes those
-- organisations' rows and empties the table, under the write lock. So a million-row upload
-- commits without pivoting a million values, and no reader ever sees unit_year out of step:
-- every read of it catches up first. A crash in between leaves the keys here for the next.
CREATE TABLE unit_year_pending (
    year      SMALLINT NOT NULL,
    org_code  VARCHAR NOT NULL
);
