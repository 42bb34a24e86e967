-- 004: writes that stay fast at a million rows (issue 6, docs/scaling.md).
--
-- observations loses its primary-key index. DuckDB keeps such an index as an ART that every
-- insert and every commit must maintain: upserting a million rows took 2.4 s of index work,
-- against 0.1 s for a plain append. The key (year, org_code, indicator_code) stays unique by
-- construction: the single write path (src/ingest/apply.py) refuses files that repeat a
-- key and deletes the keys it replaces before inserting; tests check it after every kind
-- of write. The rows are rewritten in key order, so DuckDB's zone maps skip whole blocks
-- for a year or an organisation.
CREATE TABLE observations_new (
    year            SMALLINT NOT NULL,
    org_code        VARCHAR NOT NULL,
    indicator_code  VARCHAR NOT NULL,
    value           DOUBLE NOT NULL,
    batch_id        INTEGER NOT NULL
);
INSERT INTO observations_new
SELECT year, org_code, indicator_code, value, batch_id FROM observations
ORDER BY year, org_code, indicator_code;
DROP TABLE observations;
ALTER TABLE observations_new RENAME TO observations;

-- Which years of the kept progress tables a write made stale. Every committed write adds
-- its data version and the first year it can change (observations of 2024 change 2024 and,
-- through the term's cumulative goals, every later year); NULL: every year (organisations,
-- the catalogue). A kept year is current while no change at or before it is newer than the
-- version it was computed at, so a refresh recomputes only the years a write touched.
CREATE TABLE data_changes (
    version    BIGINT NOT NULL,
    from_year  SMALLINT
);

ALTER TABLE progress_cache ADD COLUMN version BIGINT NOT NULL DEFAULT -1;
DELETE FROM meta WHERE key = 'progress_version';
DELETE FROM progress_cache;  -- recomputed at the next start, with its version
