-- 003: aggregates maintained on write (docs/scaling.md).
-- unit_year: one row per grassroots organisation (subcells rolled up into it) or root and
-- year, one column per indicator of the contract: what every view reads instead of
-- pivoting observations. progress_cache: the target-vs-actual table of every reporting
-- year for the whole committee, recomputed in the same transaction as every write.
CREATE TABLE unit_year (
    year SMALLINT NOT NULL,
    org_code VARCHAR NOT NULL,
    members_total DOUBLE,
    members_studied DOUBLE,
    members_rated DOUBLE,
    members_excellent DOUBLE,
    members_good DOUBLE,
    members_completed DOUBLE,
    members_not_completed DOUBLE,
    org_rating DOUBLE,
    staff_total DOUBLE,
    staff_advanced DOUBLE,
    staff_emulation DOUBLE,
    new_members DOUBLE,
    inspected DOUBLE,
    mass_orgs_total DOUBLE,
    mass_orgs_good DOUBLE,
    units_total DOUBLE,
    units_cultural DOUBLE,
    standing_committee_rating DOUBLE,
    committee_rating DOUBLE,
    classes_candidates DOUBLE,
    classes_new_members DOUBLE,
    classes_party_work DOUBLE,
    PRIMARY KEY (year, org_code)
);

CREATE TABLE progress_cache (
    resolution_code VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    sort_order INTEGER NOT NULL,
    row_json VARCHAR NOT NULL,  -- the row as JSON text (NaN kept)
    PRIMARY KEY (resolution_code, year, sort_order)
);
