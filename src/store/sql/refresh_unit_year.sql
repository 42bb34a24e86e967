-- Recompute unit_year for the units in `affected_units` (year, unit): each grassroots
-- organisation's own value, or else the sum of its subcells' values where the indicator adds
-- up (counts and amounts: Indicator.adds_up; percentages, flags and ratings do not roll up);
-- the root's own values; nothing for a year the unit is not active in.
-- A template, made whole by src/store/units.py (refresh_sql) from the indicators table: the
-- parameters are the indicator codes and whether each adds up (two lists), then one code per
-- column of the select list; /*columns*/ is the list of the same codes as column names
-- (checked against models.INDICATOR_CODE, quoted), so the INSERT names what it fills;
-- /*into*/ is unit_year, or the temp table a new column is filled from (sync_columns).
INSERT INTO /*into*/ (year, org_code/*columns*/)
WITH ind AS (
    SELECT unnest(?::VARCHAR[]) AS code, unnest(?::BOOLEAN[]) AS adds_up
),
sel AS (
    SELECT o.org_code, o.kind, u.org_code AS unit, u.active_from, u.active_to
    FROM organisations o
    JOIN organisations u ON u.org_code =
         CASE WHEN o.kind = 'subcell' THEN o.parent_code ELSE o.org_code END
),
obs AS (
    SELECT ob.year, s.unit, ob.indicator_code, ob.value,
           s.kind <> 'subcell' AS own, i.adds_up
    FROM observations ob
    JOIN sel s ON s.org_code = ob.org_code
    JOIN ind i ON i.code = ob.indicator_code
    JOIN affected_units a ON a.year = ob.year AND a.unit = s.unit
    WHERE (s.active_from IS NULL OR s.active_from <= ob.year)
      AND (s.active_to IS NULL OR s.active_to >= ob.year)
),
-- the subcells' values summed, used where the unit has no value of its own; own values are
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
SELECT year, unit/*values*/
FROM vals
GROUP BY year, unit;
