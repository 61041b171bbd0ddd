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

-- name: UnusualAccess :many
-- Access an auditor should look at, in the councils they cover, over a period:
--   refused:        three or more refused attempts on children's records;
--   family_name:    a child's record opened by someone with the same family name;
--   many_records:   @bulk or more children's records opened by one person in a day;
--   after_disabled: anything done by an account after it was disabled;
--   idle:           an enabled account holding a role here, with no sign-in for 90 days.
WITH ev AS (
    SELECT e.* FROM audit_events e
    WHERE (@all_councils::bool OR e.la_id = ANY(@la_ids::int[]))
      AND e.at >= @period_start::timestamptz AND e.at < @period_end::timestamptz AND e.user_id IS NOT NULL
), flags AS (
    SELECT 'refused'::text AS kind, ev.user_id, coalesce(ev.la_id, 0)::int AS la_id, count(*)::bigint AS events,
           count(DISTINCT ev.entity_id)::bigint AS records, min(ev.at)::timestamptz AS first_at, max(ev.at)::timestamptz AS last_at, ''::text AS detail
    FROM ev WHERE ev.entity IN ('child', 'needs_assessment', 'proceeding') AND ev.outcome IN ('denied', 'not_found')
    GROUP BY ev.user_id, ev.la_id HAVING count(*) >= 3
    UNION ALL
    SELECT 'family_name', ev.user_id, ev.la_id, count(*), count(DISTINCT ev.entity_id), min(ev.at), max(ev.at), max(c.family_name)
    FROM ev
    JOIN users u ON u.user_id = ev.user_id
    JOIN children c ON c.la_id = ev.la_id AND c.child_id::text = ev.entity_id
    WHERE ev.entity = 'child' AND ev.action = 'view' AND ev.outcome = 'ok'
      AND lower(c.family_name) = lower(regexp_replace(u.display_name, '^.*\s', ''))
    GROUP BY ev.user_id, ev.la_id
    UNION ALL
    SELECT 'many_records', ev.user_id, ev.la_id, count(*), count(DISTINCT ev.entity_id), min(ev.at), max(ev.at),
           to_char(date_trunc('day', ev.at), 'YYYY-MM-DD')
    FROM ev WHERE ev.entity = 'child' AND ev.action = 'view' AND ev.outcome = 'ok'
    GROUP BY ev.user_id, ev.la_id, date_trunc('day', ev.at) HAVING count(DISTINCT ev.entity_id) >= @bulk::bigint
    UNION ALL
    SELECT 'after_disabled', ev.user_id, coalesce(ev.la_id, 0), count(*), count(DISTINCT ev.entity_id), min(ev.at), max(ev.at),
           to_char(u.disabled_at, 'YYYY-MM-DD')
    FROM ev JOIN users u ON u.user_id = ev.user_id
    WHERE u.disabled_at IS NOT NULL AND ev.at > u.disabled_at
    GROUP BY ev.user_id, ev.la_id, u.disabled_at
    UNION ALL
    SELECT 'idle', u.user_id, ra.la_id, 0, 0, coalesce(u.last_signin_at, u.created_at), coalesce(u.last_signin_at, u.created_at),
           string_agg(ra.role, ', ' ORDER BY ra.role)
    FROM users u JOIN role_assignments ra ON ra.user_id = u.user_id AND ra.la_id IS NOT NULL AND ra.valid_to IS NULL
    WHERE u.disabled_at IS NULL AND coalesce(u.last_signin_at, u.created_at) + interval '90 days' < @period_end::timestamptz
      AND (@all_councils::bool OR ra.la_id = ANY(@la_ids::int[]))
    GROUP BY u.user_id, ra.la_id
)
SELECT f.*, u.email, u.display_name FROM flags f JOIN users u ON u.user_id = f.user_id
ORDER BY f.kind, f.last_at DESC, u.email;

-- name: AuditCouncilOf :one
-- The council a refused request's record belongs to (schema 023), or 0.
SELECT coalesce(hearth_council_of(@entity::text, @entity_id::text), 0)::int AS la_id;

-- name: AuditInsertMany :exec
-- A request's held events (audit.Batch) in one statement: one round trip and
-- one commit for the four or five events of a child page, not a transaction
-- of one INSERT each. 0 stands for no user or no council (NULL), as in
-- audit.insert; the events take their ids in the order given.
INSERT INTO audit_events (at, user_id, la_id, action, entity, entity_id, outcome, request_id, detail)
SELECT (@at::timestamptz[])[i], nullif((@user_ids::bigint[])[i], 0), nullif((@la_ids::int[])[i], 0),
       (@actions::text[])[i], (@entities::text[])[i], (@entity_ids::text[])[i], (@outcomes::text[])[i],
       (@request_ids::text[])[i], (@details::text[])[i]::jsonb
FROM generate_subscripts(@actions::text[], 1) AS i
ORDER BY i;
