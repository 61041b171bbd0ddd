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
