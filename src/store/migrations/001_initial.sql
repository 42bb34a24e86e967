-- 001: the initial schema.
-- Resolutions and their goals come from data/catalogue; organisations, observations and
-- assessments from uploaded files (each upload is one batch). Replaced values are kept in
-- append-only history tables so that any batch can be undone exactly.

CREATE TABLE resolutions (
    code        VARCHAR PRIMARY KEY,
    name_vi     VARCHAR NOT NULL,
    name_en     VARCHAR NOT NULL,
    short_vi    VARCHAR NOT NULL,
    short_en    VARCHAR NOT NULL,
    term_start  SMALLINT NOT NULL,
    term_end    SMALLINT NOT NULL,
    is_default  BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE reporting_years (
    resolution_code VARCHAR NOT NULL,
    year            SMALLINT NOT NULL,
    PRIMARY KEY (resolution_code, year)
);

CREATE TABLE indicators (
    code        VARCHAR PRIMARY KEY,
    sort_order  INTEGER NOT NULL,
    name_vi     VARCHAR NOT NULL,
    name_en     VARCHAR NOT NULL,
    unit_vi     VARCHAR NOT NULL,
    unit_en     VARCHAR NOT NULL,
    value_type  VARCHAR NOT NULL,   -- count | flag | rating
    level       VARCHAR NOT NULL,   -- org | root
    part_of     VARCHAR,            -- the whole this part may not exceed
    aliases     VARCHAR[]
);

CREATE TABLE goals (
    resolution_code      VARCHAR NOT NULL,
    code                 VARCHAR NOT NULL,
    sort_order           INTEGER NOT NULL,
    kind                 VARCHAR NOT NULL,
    level                VARCHAR NOT NULL,
    comparison           VARCHAR,
    target               DOUBLE,
    numerator            VARCHAR,
    denominator          VARCHAR,
    rating_indicators    VARCHAR[],
    parent               VARCHAR,
    basis                VARCHAR,
    basis_vi             VARCHAR,
    basis_en             VARCHAR,
    cap                  DOUBLE,
    counts_organisations BOOLEAN NOT NULL DEFAULT false,
    title_vi             VARCHAR NOT NULL,
    title_en             VARCHAR NOT NULL,
    text_vi              VARCHAR NOT NULL,
    text_en              VARCHAR NOT NULL,
    note_vi              VARCHAR,
    note_en              VARCHAR,
    unit_in_charge_vi    VARCHAR,
    unit_in_charge_en    VARCHAR,
    PRIMARY KEY (resolution_code, code)
);

CREATE TABLE batches (
    batch_id    INTEGER PRIMARY KEY,
    applied_at  TIMESTAMP NOT NULL,
    applied_by  VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    file_kind   VARCHAR NOT NULL,   -- long | wide | organisations | assessments | form
    is_demo     BOOLEAN NOT NULL DEFAULT false,
    added       INTEGER NOT NULL,
    changed     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    status      VARCHAR NOT NULL,   -- applied | undone
    undone_at   TIMESTAMP,
    undone_by   VARCHAR
);

CREATE TABLE organisations (
    org_code     VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,  -- root | grassroots_committee | grassroots_cell | subcell
    parent_code  VARCHAR,
    grp          VARCHAR,
    active_from  SMALLINT,
    active_to    SMALLINT,
    batch_id     INTEGER
);

CREATE TABLE observations (
    year            SMALLINT NOT NULL,
    org_code        VARCHAR NOT NULL,
    indicator_code  VARCHAR NOT NULL,
    value           DOUBLE NOT NULL,
    batch_id        INTEGER NOT NULL,
    PRIMARY KEY (year, org_code, indicator_code)
);

CREATE TABLE assessments (
    resolution_code VARCHAR NOT NULL,
    year            SMALLINT NOT NULL,
    goal_code       VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,  -- met | near | missed
    note            VARCHAR,
    batch_id        INTEGER NOT NULL,
    PRIMARY KEY (resolution_code, year, goal_code)
);

-- Append-only: one row per value a batch wrote (old_value NULL: there was none).
-- action 'apply' when the batch wrote it, 'undo' when undoing the batch restored it.
CREATE SEQUENCE history_seq;

CREATE TABLE observation_history (
    seq             BIGINT NOT NULL DEFAULT nextval('history_seq'),
    batch_id        INTEGER NOT NULL,
    action          VARCHAR NOT NULL,
    year            SMALLINT NOT NULL,
    org_code        VARCHAR NOT NULL,
    indicator_code  VARCHAR NOT NULL,
    old_value       DOUBLE,
    old_batch_id    INTEGER,
    new_value       DOUBLE,
    recorded_at     TIMESTAMP NOT NULL
);

CREATE TABLE organisation_history (
    seq          BIGINT NOT NULL DEFAULT nextval('history_seq'),
    batch_id     INTEGER NOT NULL,
    action       VARCHAR NOT NULL,
    org_code     VARCHAR NOT NULL,
    old_row      JSON,               -- NULL: the organisation did not exist
    new_row      JSON,
    recorded_at  TIMESTAMP NOT NULL
);

CREATE TABLE assessment_history (
    seq              BIGINT NOT NULL DEFAULT nextval('history_seq'),
    batch_id         INTEGER NOT NULL,
    action           VARCHAR NOT NULL,
    resolution_code  VARCHAR NOT NULL,
    year             SMALLINT NOT NULL,
    goal_code        VARCHAR NOT NULL,
    old_status       VARCHAR,
    old_note         VARCHAR,
    old_batch_id     INTEGER,
    new_status       VARCHAR,
    new_note         VARCHAR,
    recorded_at      TIMESTAMP NOT NULL
);

-- Settings and the data version (bumped by every write; cached query results key on it).
CREATE TABLE meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
INSERT INTO meta VALUES ('data_version', '0');
