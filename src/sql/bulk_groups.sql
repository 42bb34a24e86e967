-- One row per organisation and year the file gives values for (run by src/ingest/bulk.py
-- on its table bulk_typed, whose `bit` numbers each indicator from 0 to 63): how many values
-- it gives and which indicators (a bit each), and the values of the 14 indicators that the
-- data contract's consistency rules involve (NULL where the file gives none).
-- `writes`: whether the file adds or changes any of its values (apply notes those keys for
-- unit_year to catch up on, src/units.py).
-- A key given twice shows as fewer bits than values (two indicators sharing a bit only
-- ever send a clean file to the general path, which finds no repeat and goes on).
-- bulk_consistency.sql reads the rules off this table; grouping once serves both checks,
-- about a fifth of the time of a distinct count of the file's keys plus a pivot of its rows.
CREATE TEMP TABLE bulk_groups AS
SELECT year, org_code, count(*) AS n, bit_or(1::UBIGINT << bit) AS given,
    bool_or(old_value IS DISTINCT FROM value) AS writes,
    max(CASE WHEN indicator_code = 'members_total' THEN value END) AS members_total,
    max(CASE WHEN indicator_code = 'members_studied' THEN value END) AS members_studied,
    max(CASE WHEN indicator_code = 'members_rated' THEN value END) AS members_rated,
    max(CASE WHEN indicator_code = 'members_excellent' THEN value END) AS members_excellent,
    max(CASE WHEN indicator_code = 'members_good' THEN value END) AS members_good,
    max(CASE WHEN indicator_code = 'members_completed' THEN value END) AS members_completed,
    max(CASE WHEN indicator_code = 'members_not_completed' THEN value END) AS members_not_completed,
    max(CASE WHEN indicator_code = 'staff_total' THEN value END) AS staff_total,
    max(CASE WHEN indicator_code = 'staff_advanced' THEN value END) AS staff_advanced,
    max(CASE WHEN indicator_code = 'staff_emulation' THEN value END) AS staff_emulation,
    max(CASE WHEN indicator_code = 'mass_orgs_total' THEN value END) AS mass_orgs_total,
    max(CASE WHEN indicator_code = 'mass_orgs_good' THEN value END) AS mass_orgs_good,
    max(CASE WHEN indicator_code = 'units_total' THEN value END) AS units_total,
    max(CASE WHEN indicator_code = 'units_cultural' THEN value END) AS units_cultural
FROM bulk_typed
GROUP BY year, org_code;
