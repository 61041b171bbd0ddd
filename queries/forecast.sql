-- name: ForecastEpisodes :many
-- A council's whole history of episodes, as the demand model needs it: a
-- child's key is its internal id, never its reference.
SELECT e.child_id, c.date_of_birth, e.started_on, e.ended_on, e.place, e.place_provider, e.rec
FROM episodes e JOIN children c ON c.la_id = e.la_id AND c.child_id = e.child_id
WHERE e.la_id = @la_id AND e.started_on <= @as_of
ORDER BY e.child_id, e.started_on;
