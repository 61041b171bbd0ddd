-- name: AllocationChoices :many
-- The social workers a child of the council may be allocated to, with how
-- many children each holds now, so a manager sees caseloads as they choose.
SELECT u.user_id, u.display_name, u.team,
       (SELECT count(*) FROM allocations a WHERE a.la_id = @la_id AND a.user_id = u.user_id AND a.valid_to IS NULL)::bigint AS children
FROM users u JOIN role_assignments ra ON ra.user_id = u.user_id AND ra.valid_to IS NULL
WHERE ra.role = 'social_worker' AND ra.la_id = @la_id AND u.disabled_at IS NULL
ORDER BY u.display_name;

-- name: AllocationCurrentForUpdate :many
-- The child's allocation now, locked so two managers changing it at once
-- take turns and the second is told of the first.
SELECT * FROM allocations WHERE la_id = $1 AND child_id = $2 AND valid_to IS NULL FOR UPDATE;
