-- name: ImportHeartbeat :exec
-- Renews the lease of imports this process holds (queued or running).
UPDATE imports SET heartbeat_at = now() WHERE import_id = ANY(@import_ids::bigint[]) AND status = 'running';

-- name: ImportFailStale :many
-- Marks failed every running import whose lease has lapsed.
UPDATE imports SET status = 'failed', stage = 'failed', finished_at = now(), failure = @failure::text
WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => @lease_seconds::float8)
RETURNING import_id, la_id;

-- name: ImportFail :exec
-- Marks one running import failed, with the reason.
UPDATE imports SET status = 'failed', stage = 'failed', finished_at = now(), failure = @failure::text
WHERE import_id = @import_id AND status = 'running';

-- name: SSDA903ExportChildren :many
-- Children looked after at some time in the year: an episode open on any day of it.
SELECT c.child_id, c.child_ref, c.sex, c.date_of_birth, c.ethnicity, c.upn, c.uasc, c.uasc_ceased_on
FROM children c
WHERE c.la_id = @la_id AND EXISTS (
    SELECT 1 FROM episodes e WHERE e.la_id = c.la_id AND e.child_id = c.child_id
      AND e.started_on <= @year_end AND (e.ended_on IS NULL OR e.ended_on >= @year_start::date))
ORDER BY c.child_ref;

-- name: SSDA903ExportKept :many
-- What a year's return said that Hearth keeps as given.
SELECT r.child_id, r.tbl, r.seq, r.vals FROM ssda903_rows r
WHERE r.la_id = @la_id AND r.year = @year
ORDER BY r.child_id, r.tbl, r.seq;

-- name: SSDA903ExportReviews :many
SELECT v.child_id, v.reviewed_on, v.code FROM lac_reviews v
WHERE v.la_id = @la_id AND v.reviewed_on BETWEEN @year_start AND @year_end
ORDER BY v.child_id, v.reviewed_on;

-- name: SSDA903ExportMissing :many
SELECT m.child_id, m.kind, m.started_on, m.ended_on FROM missing_episodes m
WHERE m.la_id = @la_id AND m.started_on <= @year_end AND (m.ended_on IS NULL OR m.ended_on >= @year_start::date)
ORDER BY m.child_id, m.started_on, m.kind;
