-- name: AuditInsert :exec
INSERT INTO audit_events (at, user_id, la_id, action, entity, entity_id, outcome, request_id, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);

-- name: AuditList :many
-- @all_councils lets a system-wide auditor see every council's events.
SELECT e.*, coalesce(u.email, '')::text AS user_email, coalesce(u.display_name, '')::text AS user_name
FROM audit_events e LEFT JOIN users u ON u.user_id = e.user_id
WHERE (@all_councils::bool OR e.la_id = ANY(@la_ids::int[]))
  AND (sqlc.narg('user_email')::text IS NULL OR u.email = sqlc.narg('user_email'))
  AND (sqlc.narg('entity')::text IS NULL OR e.entity = sqlc.narg('entity'))
  AND (sqlc.narg('entity_id')::text IS NULL OR e.entity_id = sqlc.narg('entity_id'))
  AND (sqlc.narg('action')::text IS NULL OR e.action = sqlc.narg('action'))
  AND (sqlc.narg('outcome')::text IS NULL OR e.outcome = sqlc.narg('outcome'))
ORDER BY e.event_id DESC
LIMIT @page_limit OFFSET @page_offset;
