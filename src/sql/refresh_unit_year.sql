-- Recompute unit_year for the units in `affected_units` (year, unit): each grassroots
-- organisation's own value, or else the sum of its subcells' counts (flags and ratings do
-- not roll up); the root's own values; nothing for a year the unit is not active in.
-- One column per indicator of data/catalogue/indicators.toml.
INSERT INTO unit_year
WITH sel AS (
    SELECT o.org_code, o.kind, u.org_code AS unit, u.active_from, u.active_to
    FROM organisations o
    JOIN organisations u ON u.org_code =
         CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END
),
obs AS (
    SELECT ob.year, s.unit, ob.indicator_code, ob.value,
           s.kind <> 'subcell' AS own, i.value_type = 'count' AS adds_up
    FROM observations ob
    JOIN sel s ON s.org_code = ob.org_code
    JOIN indicators i ON i.code = ob.indicator_code
    JOIN affected_units a ON a.year = ob.year AND a.unit = s.unit
    WHERE (s.active_from IS NULL OR s.active_from <= ob.year)
      AND (s.active_to IS NULL OR s.active_to >= ob.year)
),
-- the subcells' counts summed, used where the unit has no value of its own; own values are
-- one per unit, year and indicator already (observations' key), so only these are grouped
sub AS (
    SELECT year, unit, indicator_code, sum(value) AS value
    FROM obs WHERE NOT own AND adds_up
    GROUP BY year, unit, indicator_code
),
vals AS (
    SELECT year, unit, indicator_code, value FROM obs WHERE own
    UNION ALL
    SELECT s.year, s.unit, s.indicator_code, s.value FROM sub s
    ANTI JOIN (SELECT year, unit, indicator_code FROM obs WHERE own) o
      ON o.year = s.year AND o.unit = s.unit AND o.indicator_code = s.indicator_code
)
SELECT year, unit,
       max(value) FILTER (WHERE indicator_code = 'members_total'),
       max(value) FILTER (WHERE indicator_code = 'members_studied'),
       max(value) FILTER (WHERE indicator_code = 'members_rated'),
       max(value) FILTER (WHERE indicator_code = 'members_excellent'),
       max(value) FILTER (WHERE indicator_code = 'members_good'),
       max(value) FILTER (WHERE indicator_code = 'members_completed'),
       max(value) FILTER (WHERE indicator_code = 'members_not_completed'),
       max(value) FILTER (WHERE indicator_code = 'org_rating'),
       max(value) FILTER (WHERE indicator_code = 'staff_total'),
       max(value) FILTER (WHERE indicator_code = 'staff_advanced'),
       max(value) FILTER (WHERE indicator_code = 'staff_emulation'),
       max(value) FILTER (WHERE indicator_code = 'new_members'),
       max(value) FILTER (WHERE indicator_code = 'inspected'),
       max(value) FILTER (WHERE indicator_code = 'mass_orgs_total'),
       max(value) FILTER (WHERE indicator_code = 'mass_orgs_good'),
       max(value) FILTER (WHERE indicator_code = 'units_total'),
       max(value) FILTER (WHERE indicator_code = 'units_cultural'),
       max(value) FILTER (WHERE indicator_code = 'standing_committee_rating'),
       max(value) FILTER (WHERE indicator_code = 'committee_rating'),
       max(value) FILTER (WHERE indicator_code = 'classes_candidates'),
       max(value) FILTER (WHERE indicator_code = 'classes_new_members'),
       max(value) FILTER (WHERE indicator_code = 'classes_party_work')
FROM vals
GROUP BY year, unit;
