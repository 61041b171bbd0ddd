-- name: CohortSnapshot :many
-- Every child in care on @as_of in the councils: their current episode, the
-- weekly cost in force that day, and their latest approved assessment with the
-- default instrument by then (levels in domain order).
WITH kids AS (
    SELECT c.la_id, c.child_id, c.child_ref, c.date_of_birth, c.uasc, c.ehc_plan, cp.started_on AS care_start
    FROM children c
    JOIN care_periods cp ON cp.la_id = c.la_id AND cp.child_id = c.child_id
         AND cp.started_on <= @as_of::date AND (cp.ended_on IS NULL OR cp.ended_on > @as_of::date)
    WHERE c.la_id = ANY(@la_ids::int[])
)
SELECT k.la_id, k.child_id, k.child_ref, k.date_of_birth, k.uasc, k.ehc_plan, k.care_start,
       coalesce(ep.place, '')::text AS place, coalesce(ep.place_provider, '')::text AS place_provider,
       coalesce(ep.provider_id, 0)::bigint AS provider_id, coalesce(ep.legal_status, '')::text AS legal_status,
       coalesce(ep.out_of_area, false)::bool AS out_of_area, coalesce(ep.distance_miles, -1)::float8 AS distance_miles,
       coalesce(cost.weekly, -1)::bigint AS weekly_pence,
       coalesce(na.assessment_id, 0)::bigint AS assessment_id, coalesce(na.assessed_on, k.care_start)::date AS assessed_on,
       coalesce(na.levels, '{}')::int[] AS levels
FROM kids k
LEFT JOIN LATERAL (
    SELECT e.place, e.place_provider, e.provider_id, e.legal_status, e.out_of_area, e.distance_miles FROM episodes e
    WHERE e.la_id = k.la_id AND e.child_id = k.child_id AND e.started_on <= @as_of::date AND (e.ended_on IS NULL OR e.ended_on > @as_of::date)
    ORDER BY e.started_on DESC LIMIT 1) ep ON true
LEFT JOIN LATERAL (
    SELECT sum(pc.weekly_pence) AS weekly FROM placement_costs pc
    WHERE pc.la_id = k.la_id AND pc.child_id = k.child_id AND pc.effective_from <= @as_of::date
      AND (pc.effective_to IS NULL OR pc.effective_to >= @as_of::date)) cost ON true
LEFT JOIN LATERAL (
    SELECT a.assessment_id, a.assessed_on,
           (SELECT array_agg(r.level ORDER BY d.position) FROM needs_ratings r
            JOIN needs_domains d ON d.instrument_id = r.instrument_id AND d.domain_code = r.domain_code
            WHERE r.la_id = a.la_id AND r.assessment_id = a.assessment_id) AS levels
    FROM needs_assessments a
    WHERE a.la_id = k.la_id AND a.child_id = k.child_id AND a.status = 'approved' AND a.assessed_on <= @as_of::date
      AND a.instrument_id = @instrument_id
    ORDER BY a.assessed_on DESC, a.assessment_id DESC LIMIT 1) na ON true
ORDER BY k.la_id, k.child_id;

-- name: StepDownRules :many
SELECT la_id, stepdown_places, stepdown_bands FROM local_authorities WHERE la_id = ANY(@la_ids::int[]);

-- name: ProviderNames :many
SELECT provider_id, name FROM providers WHERE provider_id = ANY(@ids::bigint[]);
