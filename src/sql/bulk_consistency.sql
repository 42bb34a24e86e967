-- The data contract's consistency rules on the values a long or wide file would leave (its
-- values over those already held for the same organisation and year): how many
-- organisations and years break one where the file gives a value involved. Run by
-- src/ingest/bulk.py on its table bulk_groups (bulk_groups.sql); any break sends the file to
-- the general path, which names the row and column (src/ingest/plan.py, _consistency). Parts
-- may not exceed their whole (`part_of` in data/catalogue/indicators.toml) and the four
-- ratings add up to members_rated; tests/test_ingest_bulk.py breaks each rule.
-- Held values are looked up only where the file gives some of the 14 and leaves some out:
-- where it gives them all, the held ones are all replaced; where it gives none, no rule can
-- be the file's fault.
WITH partial AS (
    SELECT f.year, f.org_code FROM bulk_groups f
    WHERE coalesce(f.members_total, f.members_studied, f.members_rated, f.members_excellent,
                   f.members_good, f.members_completed, f.members_not_completed, f.staff_total,
                   f.staff_advanced, f.staff_emulation, f.mass_orgs_total, f.mass_orgs_good,
                   f.units_total, f.units_cultural) IS NOT NULL
      AND (f.members_total IS NULL
       OR f.members_studied IS NULL
       OR f.members_rated IS NULL
       OR f.members_excellent IS NULL
       OR f.members_good IS NULL
       OR f.members_completed IS NULL
       OR f.members_not_completed IS NULL
       OR f.staff_total IS NULL
       OR f.staff_advanced IS NULL
       OR f.staff_emulation IS NULL
       OR f.mass_orgs_total IS NULL
       OR f.mass_orgs_good IS NULL
       OR f.units_total IS NULL
       OR f.units_cultural IS NULL)
),
held AS (
    SELECT ob.year, ob.org_code,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'members_total') AS members_total,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'members_studied') AS members_studied,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'members_rated') AS members_rated,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'members_excellent') AS members_excellent,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'members_good') AS members_good,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'members_completed') AS members_completed,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'members_not_completed') AS members_not_completed,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'staff_total') AS staff_total,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'staff_advanced') AS staff_advanced,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'staff_emulation') AS staff_emulation,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'mass_orgs_total') AS mass_orgs_total,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'mass_orgs_good') AS mass_orgs_good,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'units_total') AS units_total,
        max(ob.value) FILTER (WHERE ob.indicator_code = 'units_cultural') AS units_cultural
    FROM observations ob
    JOIN partial k ON k.year = ob.year AND k.org_code = ob.org_code
    WHERE ob.indicator_code IN (
        'members_total',
        'members_studied',
        'members_rated',
        'members_excellent',
        'members_good',
        'members_completed',
        'members_not_completed',
        'staff_total',
        'staff_advanced',
        'staff_emulation',
        'mass_orgs_total',
        'mass_orgs_good',
        'units_total',
        'units_cultural')
    GROUP BY ob.year, ob.org_code
),
merged AS (
    SELECT
        coalesce(f.members_total, h.members_total) AS members_total, f.members_total IS NOT NULL AS f_members_total,
        coalesce(f.members_studied, h.members_studied) AS members_studied, f.members_studied IS NOT NULL AS f_members_studied,
        coalesce(f.members_rated, h.members_rated) AS members_rated, f.members_rated IS NOT NULL AS f_members_rated,
        coalesce(f.members_excellent, h.members_excellent) AS members_excellent, f.members_excellent IS NOT NULL AS f_members_excellent,
        coalesce(f.members_good, h.members_good) AS members_good, f.members_good IS NOT NULL AS f_members_good,
        coalesce(f.members_completed, h.members_completed) AS members_completed, f.members_completed IS NOT NULL AS f_members_completed,
        coalesce(f.members_not_completed, h.members_not_completed) AS members_not_completed, f.members_not_completed IS NOT NULL AS f_members_not_completed,
        coalesce(f.staff_total, h.staff_total) AS staff_total, f.staff_total IS NOT NULL AS f_staff_total,
        coalesce(f.staff_advanced, h.staff_advanced) AS staff_advanced, f.staff_advanced IS NOT NULL AS f_staff_advanced,
        coalesce(f.staff_emulation, h.staff_emulation) AS staff_emulation, f.staff_emulation IS NOT NULL AS f_staff_emulation,
        coalesce(f.mass_orgs_total, h.mass_orgs_total) AS mass_orgs_total, f.mass_orgs_total IS NOT NULL AS f_mass_orgs_total,
        coalesce(f.mass_orgs_good, h.mass_orgs_good) AS mass_orgs_good, f.mass_orgs_good IS NOT NULL AS f_mass_orgs_good,
        coalesce(f.units_total, h.units_total) AS units_total, f.units_total IS NOT NULL AS f_units_total,
        coalesce(f.units_cultural, h.units_cultural) AS units_cultural, f.units_cultural IS NOT NULL AS f_units_cultural
    FROM bulk_groups f LEFT JOIN held h ON h.year = f.year AND h.org_code = f.org_code
)
SELECT count(*) FROM merged
WHERE (members_studied > members_total AND (f_members_studied OR f_members_total))
   OR (members_rated > members_total AND (f_members_rated OR f_members_total))
   OR (staff_advanced > staff_total AND (f_staff_advanced OR f_staff_total))
   OR (staff_emulation > staff_advanced AND (f_staff_emulation OR f_staff_advanced))
   OR (mass_orgs_good > mass_orgs_total AND (f_mass_orgs_good OR f_mass_orgs_total))
   OR (units_cultural > units_total AND (f_units_cultural OR f_units_total))
   OR (abs(members_excellent + members_good + members_completed + members_not_completed - members_rated) > 1e-9
       AND (f_members_excellent OR f_members_good OR f_members_completed OR f_members_not_completed OR f_members_rated));
