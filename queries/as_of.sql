-- Past as-of dates kept per council (schema/031). The snapshot's rows are the
-- same facts CohortSnapshot works out from the tables; TestPastDatesMatchTheTables
-- holds the two to the same figures.

-- name: AsOfReady :one
-- How many of the councils have the date built, for this instrument, with no
-- write since that could change it.
SELECT count(*) FROM child_as_of_dates
WHERE la_id = ANY(@la_ids::int[]) AND as_of = @as_of::date AND instrument_id = @instrument_id AND built AND NOT stale;

-- name: AsOfCount :one
SELECT count(*) FROM child_as_of WHERE la_id = ANY(@la_ids::int[]) AND as_of = @as_of::date;

-- name: AsOfSnapshot :many
-- A past date's children in care, in CurrentSnapshot's shape.
SELECT la_id, child_id, age, birth_ym, care_days, uasc, ehc_plan, place, place_provider, provider_id, legal_status,
       out_of_area, distance_miles, weekly_pence, assessment_id, assessed_days, levels
FROM child_as_of WHERE la_id = ANY(@la_ids::int[]) AND as_of = @as_of::date ORDER BY la_id, child_id;

-- name: AsOfTryLock :one
-- A build waits for no one: it fails while a writer of the council is
-- uncommitted (writers hold the lock shared, schema/031).
SELECT pg_try_advisory_xact_lock(child_as_of_lock(@la_id::int));

-- name: AsOfStart :exec
INSERT INTO child_as_of_dates (la_id, as_of, instrument_id, built, stale)
VALUES (@la_id, @as_of, @instrument_id, false, true)
ON CONFLICT (la_id, as_of) DO UPDATE SET built = false, stale = true, instrument_id = EXCLUDED.instrument_id;

-- name: AsOfClear :exec
DELETE FROM child_as_of WHERE la_id = @la_id AND as_of = @as_of::date;

-- name: AsOfFill :execrows
-- CohortSnapshot for one council, kept.
WITH kids AS (
    SELECT c.la_id, c.child_id, c.date_of_birth, c.uasc, c.ehc_plan, cp.started_on AS care_start,
           date_part('year', age(@as_of::date, c.date_of_birth))::int AS age, (sqlc.arg(as_of)::date - cp.started_on)::int AS care_days
    FROM children c
    JOIN care_periods cp ON cp.la_id = c.la_id AND cp.child_id = c.child_id
         AND cp.started_on <= @as_of::date AND (cp.ended_on IS NULL OR cp.ended_on > @as_of::date)
    WHERE c.la_id = @la_id::int AND cp.la_id = @la_id::int
), ep AS (
    SELECT DISTINCT ON (e.la_id, e.child_id) e.la_id, e.child_id, e.place, e.place_provider, e.provider_id, e.legal_status,
           e.out_of_area, e.distance_miles
    FROM episodes e
    WHERE e.la_id = @la_id::int AND e.started_on <= @as_of::date AND (e.ended_on IS NULL OR e.ended_on > @as_of::date)
    ORDER BY e.la_id, e.child_id, e.started_on DESC
), cost AS (
    SELECT cs.la_id, cs.child_id, sum(cs.weekly_pence)::bigint AS weekly
    FROM cost_spans cs
    WHERE cs.la_id = @la_id::int AND cs.effective_from <= @as_of::date AND (cs.effective_to IS NULL OR cs.effective_to >= @as_of::date)
    GROUP BY cs.la_id, cs.child_id
), lv AS (
    SELECT DISTINCT ON (a.la_id, a.child_id) a.la_id, a.child_id, a.assessment_id, a.assessed_on, a.approved_levels AS levels,
           (sqlc.arg(as_of)::date - a.assessed_on)::int AS assessed_days
    FROM needs_assessments a
    WHERE a.la_id = @la_id::int AND a.status = 'approved' AND a.assessed_on <= @as_of::date AND a.instrument_id = @instrument_id
      AND NOT EXISTS (SELECT 1 FROM needs_assessments s WHERE s.la_id = a.la_id AND s.la_id = @la_id::int AND s.supersedes = a.assessment_id
                      AND s.status = 'approved' AND s.assessed_on <= @as_of::date)
    ORDER BY a.la_id, a.child_id, a.assessed_on DESC, a.assessment_id DESC
)
INSERT INTO child_as_of (la_id, as_of, child_id, age, birth_ym, care_days, uasc, ehc_plan, place, place_provider, provider_id,
                         legal_status, out_of_area, distance_miles, weekly_pence, assessment_id, assessed_days, levels)
SELECT k.la_id, @as_of::date, k.child_id,
       k.age, (date_part('year', k.date_of_birth) * 100 + date_part('month', k.date_of_birth))::int, k.care_days::int,
       k.uasc, k.ehc_plan,
       coalesce(ep.place, '')::text, coalesce(ep.place_provider, '')::text,
       coalesce(ep.provider_id, 0)::bigint, coalesce(ep.legal_status, '')::text,
       coalesce(ep.out_of_area, false)::bool, coalesce(ep.distance_miles, -1)::float8,
       coalesce(cost.weekly, -1)::bigint,
       coalesce(lv.assessment_id, 0)::bigint, coalesce(lv.assessed_days, k.care_days)::int,
       coalesce(array_to_string(lv.levels, ''), '')::text
FROM kids k
LEFT JOIN ep USING (la_id, child_id)
LEFT JOIN cost USING (la_id, child_id)
LEFT JOIN lv USING (la_id, child_id);

-- name: AsOfBuilt :exec
UPDATE child_as_of_dates SET built = true, stale = false, built_at = now(), n = @n
WHERE la_id = @la_id AND as_of = @as_of::date;

-- name: AsOfWant :exec
-- Dates to keep: the month-ends, and dates someone asked for.
INSERT INTO child_as_of_dates (la_id, as_of, instrument_id, wanted_at)
SELECT la, d, @instrument_id, @wanted_at::timestamptz FROM unnest(@la_ids::int[]) la, unnest(@dates::date[]) d
WHERE EXISTS (SELECT 1 FROM local_authorities l WHERE l.la_id = la)
ON CONFLICT (la_id, as_of) DO UPDATE SET wanted_at = EXCLUDED.wanted_at
WHERE child_as_of_dates.wanted_at < EXCLUDED.wanted_at - interval '1 hour';

-- name: AsOfCouncils :many
SELECT la_id FROM local_authorities ORDER BY la_id;

-- name: AsOfToBuild :many
-- Dates whose rows are missing, stale or for another instrument, latest first.
SELECT la_id, as_of FROM child_as_of_dates
WHERE (stale OR NOT built OR instrument_id <> @instrument_id) AND as_of < @today::date
ORDER BY as_of DESC, la_id LIMIT @max;

-- name: AsOfExpire :execrows
-- Dates nobody asked for in a while, other than the month-ends kept; and
-- month-ends past the kept years.
WITH gone AS (
    DELETE FROM child_as_of_dates
    WHERE as_of < @oldest::date
       OR (as_of <> (date_trunc('month', as_of) + interval '1 month - 1 day')::date AND wanted_at < @unwanted_before)
    RETURNING la_id, as_of
)
DELETE FROM child_as_of c USING gone WHERE c.la_id = gone.la_id AND c.as_of = gone.as_of;
