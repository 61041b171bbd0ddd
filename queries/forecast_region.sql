-- name: ForecastSharedUpsert :exec
-- A council publishes its forecast inputs for an as-of date and window under
-- the agreement in force; publishing again replaces them (idempotent).
-- computed_at is the caller's clock, the one staleness is judged by.
INSERT INTO forecast_shared_inputs (la_id, agreement_id, rcc_id, as_of, window_from, children, stats, stock, aggregates, computed_at)
VALUES (@la_id, @agreement_id, @rcc_id, @as_of, @window_from, @children, @stats, @stock, @aggregates, @computed_at)
ON CONFLICT (rcc_id, la_id, as_of, window_from) DO UPDATE
SET agreement_id = EXCLUDED.agreement_id, children = EXCLUDED.children, stats = EXCLUDED.stats,
    stock = EXCLUDED.stock, aggregates = EXCLUDED.aggregates, computed_at = EXCLUDED.computed_at;

-- name: ForecastSharedInForce :many
-- The inputs shared with an RCC for an as-of date and window, only under
-- agreements in force on @day that share placements, from councils that
-- are members that day.
SELECT f.la_id, la.name, f.agreement_id, f.children, f.stats, f.stock, f.aggregates, f.computed_at
FROM forecast_shared_inputs f
JOIN sharing_agreements a ON a.la_id = f.la_id AND a.agreement_id = f.agreement_id
JOIN local_authorities la ON la.la_id = f.la_id
JOIN rcc_memberships m ON m.rcc_id = f.rcc_id AND m.la_id = f.la_id
     AND m.valid_from <= @day::date AND (m.valid_to IS NULL OR m.valid_to > @day::date)
WHERE f.rcc_id = @rcc_id AND f.as_of = @as_of AND f.window_from = @window_from
  AND a.rcc_id = f.rcc_id AND a.shares_placements AND a.starts_on <= @day::date AND (a.ends_on IS NULL OR a.ends_on > @day::date)
ORDER BY la.name;

-- name: ForecastSharedTidy :execrows
-- Removes the inputs a council shared under agreements no longer in force.
DELETE FROM forecast_shared_inputs f
USING sharing_agreements a
WHERE a.la_id = f.la_id AND a.agreement_id = f.agreement_id AND f.rcc_id = @rcc_id
  AND (a.ends_on IS NOT NULL AND a.ends_on <= @day::date OR NOT a.shares_placements);

-- name: ForecastChangeNumber :one
-- The last change committed to what a forecast reads (children, episodes,
-- costs, needs; schema 015): a cached forecast made at a lower number is
-- out of date.
SELECT coalesce(pg_sequence_last_value('child_current_changes'::regclass), 0)::bigint AS changes;
