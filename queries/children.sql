-- The scope of every child query: councils where the caller may see every child
-- (@all_la_ids), and councils where they may see only the children allocated to them
-- (@allocated_la_ids). authz works these out; the SQL enforces them.

-- name: ChildGet :one
-- allocated says whether the child is on the caller's caseload now. Every
-- decision about the child needs it (a caseload role's permissions hold only
-- on allocated children), so it comes with the row rather than in a second
-- round trip (ChildAllocatedTo) for each service that authorises the child.
SELECT c.*, la.name AS council_name, la.ons_code, m.allocated
FROM children c
JOIN local_authorities la ON la.la_id = c.la_id
CROSS JOIN LATERAL (SELECT EXISTS (
    SELECT 1 FROM allocations a
    WHERE a.la_id = c.la_id AND a.child_id = c.child_id
      AND a.user_id = @user_id AND a.valid_to IS NULL)::bool AS allocated) m
WHERE c.child_id = @child_id
  AND (c.la_id = ANY(@all_la_ids::int[])
       OR (c.la_id = ANY(@allocated_la_ids::int[]) AND m.allocated));

-- name: ChildCouncil :one
-- Which council holds a child, for authorising writes and for auditing refused reads.
-- Never shown to the caller.
SELECT la_id::int FROM child_council($1) AS la_id;

-- name: ChildInsert :one
INSERT INTO children (la_id, child_ref, given_name, family_name, date_of_birth, sex, ethnicity, upn, uasc, ehc_plan, disability)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
RETURNING *;

-- name: ChildUpdate :one
-- Optimistic locking: the update only applies to the version the editor saw.
UPDATE children
SET given_name = @given_name, family_name = @family_name, date_of_birth = @date_of_birth,
    sex = @sex, ethnicity = @ethnicity, uasc = @uasc, ehc_plan = @ehc_plan, disability = @disability,
    updated_at = now(), version = version + 1
WHERE la_id = @la_id AND child_id = @child_id AND version = @version
RETURNING *;

-- name: AllocationListByChild :many
SELECT a.*, u.display_name, u.email
FROM allocations a JOIN users u ON u.user_id = a.user_id
WHERE a.la_id = $1 AND a.child_id = $2
ORDER BY a.valid_from DESC;

-- name: AllocationEnd :exec
UPDATE allocations SET valid_to = @valid_to
WHERE la_id = @la_id AND child_id = @child_id AND valid_to IS NULL;

-- name: AllocationInsert :exec
INSERT INTO allocations (la_id, child_id, user_id, valid_from) VALUES ($1, $2, $3, $4);

-- name: CarePeriodListByChild :many
SELECT * FROM care_periods WHERE la_id = $1 AND child_id = $2 ORDER BY started_on DESC;

-- name: CaseloadWorkers :many
-- Social workers of a council, for allocation and filters.
SELECT u.user_id, u.display_name, u.team
FROM users u JOIN role_assignments ra ON ra.user_id = u.user_id AND ra.valid_to IS NULL
WHERE ra.role = 'social_worker' AND ra.la_id = $1 AND u.disabled_at IS NULL
ORDER BY u.display_name;

-- name: ChildCountByCouncil :many
-- Children in care now (a period of care still open), not every child on
-- record: a council's history holds as many who have left.
SELECT c.la_id, count(*) AS children FROM children c
WHERE c.la_id = ANY(@la_ids::int[])
  AND EXISTS (SELECT 1 FROM care_periods cp WHERE cp.la_id = c.la_id AND cp.child_id = c.child_id AND cp.ended_on IS NULL)
GROUP BY c.la_id;

-- name: ChildAllocatedTo :one
-- Whether the child is on the user's caseload now.
SELECT EXISTS (SELECT 1 FROM allocations
    WHERE la_id = @la_id AND child_id = @child_id AND user_id = @user_id AND valid_to IS NULL)::bool;
