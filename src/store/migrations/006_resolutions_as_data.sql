-- 006: resolutions as data (docs/resolutions.md, issue 12).
-- A goal has a measure (ratio, sum, rating, growth, qualitative), what it is judged over
-- (year, term_total, term_average, by_end) and, for `between`, an upper bound; `kind` stays
-- as how it is shown, derived from the two. A resolution has a base year ("đầu nhiệm kỳ"),
-- a version (a new version of the same code replaces its goals and keeps every value) and
-- the batch that installed it (NULL: installed from the files shipped with the program).
-- An indicator may belong to a resolution (its own indicators) and may declare the parts
-- that add up to it (a consistency rule, src/rules.py).
ALTER TABLE goals ADD COLUMN measure VARCHAR;
ALTER TABLE goals ADD COLUMN judged_over VARCHAR;
ALTER TABLE goals ADD COLUMN target_max DOUBLE;
ALTER TABLE goals ADD COLUMN percent_sum BOOLEAN DEFAULT false;
UPDATE goals SET
    measure = CASE kind
        WHEN 'annual_ratio' THEN 'ratio'
        WHEN 'annual_count' THEN 'sum'
        WHEN 'annual_rating' THEN 'rating'
        WHEN 'term_cumulative' THEN 'sum'
        ELSE 'qualitative' END,
    judged_over = CASE kind WHEN 'term_cumulative' THEN 'term_total' ELSE 'year' END,
    percent_sum = false;

ALTER TABLE resolutions ADD COLUMN base_year SMALLINT;
ALTER TABLE resolutions ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE resolutions ADD COLUMN batch_id INTEGER;
ALTER TABLE resolutions ADD COLUMN installed_at TIMESTAMP;

ALTER TABLE indicators ADD COLUMN sum_of VARCHAR[];
ALTER TABLE indicators ADD COLUMN resolution_code VARCHAR;
UPDATE indicators SET sum_of = CASE code
    WHEN 'members_rated' THEN ['members_excellent', 'members_good', 'members_completed',
                               'members_not_completed']
    ELSE [] END;

-- Append-only, as the other history tables: what installing a resolution (a batch of
-- file_kind 'resolution') replaced, as the whole resolution in JSON (its row, reporting
-- years, goals and own indicators); old_doc NULL: it was not installed before. Undoing the
-- batch puts old_doc back.
CREATE TABLE resolution_history (
    seq              BIGINT NOT NULL DEFAULT nextval('history_seq'),
    batch_id         INTEGER NOT NULL,
    action           VARCHAR NOT NULL,
    resolution_code  VARCHAR NOT NULL,
    old_doc          JSON,
    new_doc          JSON,
    recorded_at      TIMESTAMP NOT NULL
);
