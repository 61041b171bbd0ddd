-- name: ForecastEpisodes :many
-- A council's whole history of episodes, as the demand model needs it: a
-- child's key is its internal id, never its reference.
SELECT e.child_id, c.date_of_birth, e.started_on, e.ended_on, e.place, e.place_provider, e.rec
FROM episodes e JOIN children c ON c.la_id = e.la_id AND c.child_id = e.child_id
WHERE e.la_id = @la_id AND e.started_on <= @as_of
ORDER BY e.child_id, e.started_on;

-- name: ForecastScenarioList :many
SELECT * FROM forecast_scenarios WHERE la_id = @la_id ORDER BY lower(name);

-- name: ForecastScenarioInsert :one
INSERT INTO forecast_scenarios (la_id, name, params, created_by, updated_by)
VALUES (@la_id, @name, @params, @user_id, @user_id)
ON CONFLICT (la_id, lower(name)) DO NOTHING
RETURNING *;

-- name: ForecastScenarioUpdate :one
-- Saves over a scenario only at the version the editor read: a concurrent
-- edit makes this return no row, and the service reports a conflict.
UPDATE forecast_scenarios SET name = @name, params = @params, updated_by = @user_id, version = version + 1, updated_at = now()
WHERE la_id = @la_id AND scenario_id = @scenario_id AND version = @version
RETURNING *;

-- name: ForecastScenarioDelete :execrows
DELETE FROM forecast_scenarios WHERE la_id = @la_id AND scenario_id = @scenario_id AND version = @version;

-- name: ForecastCostSplit :many
-- Who pays for each child's placement on the as-of date (the one cost in
-- force that day, decision 33), for the forecast's split of spend.
SELECT cs.child_id, cs.weekly_pence, cs.social_care_pence, cs.education_pence, cs.health_pence
FROM cost_spans cs
WHERE cs.la_id = @la_id AND cs.effective_from <= @as_of AND (cs.effective_to IS NULL OR cs.effective_to >= @as_of);

-- name: ForecastNeedAssessments :many
-- Every approved assessment of a council's children with the instrument, up
-- to the as-of date, with what it corrects: the demand model's need band
-- state is the band of each child's latest approved assessment on each day
-- (an approved correction supersedes what it corrects from its own date).
SELECT a.child_id, a.assessment_id, a.assessed_on, a.approved_levels::int[] AS levels, a.supersedes
FROM needs_assessments a
WHERE a.la_id = @la_id AND a.status = 'approved' AND a.assessed_on <= @as_of AND a.instrument_id = @instrument_id
ORDER BY a.child_id, a.assessed_on, a.assessment_id;
