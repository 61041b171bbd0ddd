-- Today's view is computed for the as-of date Hearth's clock gives, not the
-- database's current_date: RefreshCurrent writes the date into
-- child_current_refreshed and refreshes the view in the same transaction, so
-- the view, its date and the application's "today" always agree, and tests
-- can run the view on any pinned date.
DROP MATERIALIZED VIEW child_current;
CREATE MATERIALIZED VIEW child_current AS
WITH d AS (
    SELECT as_of FROM child_current_refreshed
), kids AS (
    SELECT c.la_id, c.child_id, c.date_of_birth, c.uasc, c.ehc_plan, cp.started_on AS care_start
    FROM d CROSS JOIN children c
    JOIN care_periods cp ON cp.la_id = c.la_id AND cp.child_id = c.child_id
         AND cp.started_on <= d.as_of AND (cp.ended_on IS NULL OR cp.ended_on > d.as_of)
), ep AS (
    SELECT DISTINCT ON (e.la_id, e.child_id) e.la_id, e.child_id, e.place, e.place_provider, e.provider_id, e.legal_status,
           e.out_of_area, e.distance_miles
    FROM d, episodes e
    WHERE e.started_on <= d.as_of AND (e.ended_on IS NULL OR e.ended_on > d.as_of)
    ORDER BY e.la_id, e.child_id, e.started_on DESC
), cost AS (
    SELECT pc.la_id, pc.child_id, sum(pc.weekly_pence)::bigint AS weekly
    FROM d, placement_costs pc
    WHERE pc.effective_from <= d.as_of AND (pc.effective_to IS NULL OR pc.effective_to >= d.as_of)
    GROUP BY pc.la_id, pc.child_id
), lv AS (
    SELECT DISTINCT ON (a.la_id, a.child_id) a.la_id, a.child_id, a.assessment_id, a.assessed_on, a.approved_levels AS levels
    FROM d, needs_assessments a
    WHERE a.status = 'approved' AND a.assessed_on <= d.as_of AND a.instrument_id = (SELECT instrument_id FROM needs_instruments WHERE code = 'hearth-12' ORDER BY version DESC LIMIT 1)
    ORDER BY a.la_id, a.child_id, a.assessed_on DESC, a.assessment_id DESC
)
SELECT k.la_id, k.child_id,
       date_part('year', age(d.as_of, k.date_of_birth))::int AS age,
       (date_part('year', k.date_of_birth) * 100 + date_part('month', k.date_of_birth))::int AS birth_ym,
       (d.as_of - k.care_start)::int AS care_days,
       k.uasc, k.ehc_plan,
       coalesce(ep.place, '')::text AS place, coalesce(ep.place_provider, '')::text AS place_provider,
       coalesce(ep.provider_id, 0)::bigint AS provider_id, coalesce(ep.legal_status, '')::text AS legal_status,
       coalesce(ep.out_of_area, false)::bool AS out_of_area, coalesce(ep.distance_miles, -1)::float8 AS distance_miles,
       coalesce(cost.weekly, -1)::bigint AS weekly_pence,
       coalesce(lv.assessment_id, 0)::bigint AS assessment_id, (d.as_of - coalesce(lv.assessed_on, k.care_start))::int AS assessed_days,
       coalesce(array_to_string(lv.levels, ''), '')::text AS levels
FROM d, kids k
LEFT JOIN ep USING (la_id, child_id)
LEFT JOIN cost USING (la_id, child_id)
LEFT JOIN lv USING (la_id, child_id);
CREATE UNIQUE INDEX child_current_key ON child_current (la_id, child_id);
