-- name: ProceedingInsert :one
INSERT INTO proceedings (la_id, case_number, court, pre_proceedings_on, issued_on, concluded_on, final_order)
VALUES (@la_id, @case_number, @court, sqlc.narg('pre_proceedings_on'), @issued_on, sqlc.narg('concluded_on'), sqlc.narg('final_order'))
RETURNING *;

-- name: ProceedingUpdate :one
UPDATE proceedings SET case_number = @case_number, court = @court, pre_proceedings_on = sqlc.narg('pre_proceedings_on'),
    issued_on = @issued_on, concluded_on = sqlc.narg('concluded_on'), final_order = sqlc.narg('final_order'),
    version = version + 1, updated_at = now()
WHERE la_id = @la_id AND proceeding_id = @proceeding_id AND version = @version
RETURNING *;

-- name: ProceedingGet :one
SELECT * FROM proceedings WHERE proceeding_id = $1;

-- name: ProceedingChildren :many
SELECT c.child_id, c.child_ref, c.given_name, c.family_name, c.date_of_birth
FROM proceeding_children pc JOIN children c ON c.la_id = pc.la_id AND c.child_id = pc.child_id
WHERE pc.la_id = $1 AND pc.proceeding_id = $2
ORDER BY c.date_of_birth;

-- name: ProceedingChildAdd :exec
INSERT INTO proceeding_children (la_id, proceeding_id, child_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING;

-- name: ProceedingChildRemove :exec
DELETE FROM proceeding_children WHERE la_id = $1 AND proceeding_id = $2 AND child_id = $3;

-- name: OpenProceedingsOfChild :many
-- The child's other open proceedings: a child is in one open case at a time.
SELECT p.proceeding_id, p.case_number FROM proceedings p
JOIN proceeding_children pc ON pc.la_id = p.la_id AND pc.proceeding_id = p.proceeding_id
WHERE pc.la_id = @la_id AND pc.child_id = @child_id AND p.concluded_on IS NULL AND p.proceeding_id <> @proceeding_id;

-- name: ProceedingsByChild :many
SELECT p.* FROM proceedings p
JOIN proceeding_children pc ON pc.la_id = p.la_id AND pc.proceeding_id = p.proceeding_id
WHERE pc.la_id = $1 AND pc.child_id = $2
ORDER BY p.issued_on;

-- name: HearingInsert :one
INSERT INTO hearings (la_id, proceeding_id, held_on, kind, outcome, reason) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *;

-- name: HearingsByProceeding :many
SELECT * FROM hearings WHERE la_id = $1 AND proceeding_id = $2 ORDER BY held_on, hearing_id;

-- name: ExpertInsert :one
INSERT INTO expert_assessments (la_id, proceeding_id, kind, commissioned_on, delivered_on, cost_pence)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING *;

-- name: ExpertsByProceeding :many
SELECT * FROM expert_assessments WHERE la_id = $1 AND proceeding_id = $2 ORDER BY commissioned_on, expert_id;

-- name: ProceedingsActive :many
-- Cases active in a period: issued by its end, concluded in it or still open.
SELECT p.*, la.name AS council_name FROM proceedings p JOIN local_authorities la ON la.la_id = p.la_id
WHERE p.la_id = ANY(@la_ids::int[]) AND p.issued_on <= @period_end::date
  AND (p.concluded_on IS NULL OR p.concluded_on >= @period_start::date)
ORDER BY p.issued_on, p.proceeding_id;

-- Each read names the council first: every index on a tenant table leads
-- with la_id, and a case id alone scans the whole table.

-- name: HearingsForProceedings :many
SELECT * FROM hearings WHERE la_id = @la_id AND proceeding_id = ANY(@ids::bigint[]) ORDER BY proceeding_id, held_on;

-- name: ExpertsForProceedings :many
SELECT * FROM expert_assessments WHERE la_id = @la_id AND proceeding_id = ANY(@ids::bigint[]) ORDER BY proceeding_id;

-- name: ChildrenForProceedings :many
SELECT pc.proceeding_id, c.child_id, c.child_ref FROM proceeding_children pc
JOIN children c ON c.la_id = pc.la_id AND c.child_id = pc.child_id
WHERE pc.la_id = @la_id AND pc.proceeding_id = ANY(@ids::bigint[]) ORDER BY pc.proceeding_id, c.child_id;

-- name: CostsForChildren :many
-- Each child's cost periods, by placement: placements.CostOn decides which counts.
SELECT child_id, placement_started_on, effective_from, effective_to, weekly_pence FROM placement_costs
WHERE la_id = @la_id AND child_id = ANY(@ids::bigint[]) ORDER BY child_id, effective_from;

-- name: EpisodesForChildren :many
-- The children's episodes, grouped into placements in Go (placements.Group).
SELECT e.* FROM episodes e
WHERE e.la_id = @la_id AND e.child_id = ANY(@ids::bigint[]) ORDER BY e.child_id, e.started_on;

-- name: DelayParameters :many
SELECT * FROM delay_parameters WHERE la_id = ANY(@la_ids::int[]) ORDER BY la_id, effective_from;

-- name: DelayParameterInsert :one
INSERT INTO delay_parameters (la_id, effective_from, effective_to, target_weeks, standard_hearings, legal_pence_per_hearing,
    sw_hours_per_week, sw_pence_per_hour, contact_hours_per_week, contact_pence_per_hour, placement_pence_per_week)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
RETURNING *;

-- name: ProceedingHasAllocatedChild :one
-- Whether a case includes a child on the user's caseload.
SELECT EXISTS (SELECT 1 FROM proceeding_children pc JOIN allocations a ON a.la_id = pc.la_id AND a.child_id = pc.child_id
    WHERE pc.la_id = @la_id AND pc.proceeding_id = @proceeding_id AND a.user_id = @user_id AND a.valid_to IS NULL)::bool;

-- name: ChildIDByRef :one
SELECT child_id FROM children WHERE la_id = $1 AND child_ref = $2;

-- The hearings, experts, children and costs of the cases ProceedingsActive
-- lists, joined in the database: a council's year is thousands of cases, and
-- a list of thousands of IDs made the planner scan rather than join.

-- name: HearingsInPeriod :many
SELECT h.* FROM hearings h JOIN proceedings p ON p.la_id = h.la_id AND p.proceeding_id = h.proceeding_id
WHERE p.la_id = ANY(@la_ids::int[]) AND h.la_id = ANY(@la_ids::int[]) AND p.issued_on <= @period_end::date
  AND (p.concluded_on IS NULL OR p.concluded_on >= @period_start::date)
ORDER BY h.proceeding_id, h.held_on;

-- name: ExpertsInPeriod :many
SELECT e.* FROM expert_assessments e JOIN proceedings p ON p.la_id = e.la_id AND p.proceeding_id = e.proceeding_id
WHERE p.la_id = ANY(@la_ids::int[]) AND e.la_id = ANY(@la_ids::int[]) AND p.issued_on <= @period_end::date
  AND (p.concluded_on IS NULL OR p.concluded_on >= @period_start::date)
ORDER BY e.proceeding_id;

-- name: ChildrenInPeriod :many
SELECT pc.proceeding_id, c.child_id, c.child_ref FROM proceeding_children pc
JOIN proceedings p ON p.la_id = pc.la_id AND p.proceeding_id = pc.proceeding_id
JOIN children c ON c.la_id = pc.la_id AND c.child_id = pc.child_id
WHERE p.la_id = ANY(@la_ids::int[]) AND p.issued_on <= @period_end::date
  AND (p.concluded_on IS NULL OR p.concluded_on >= @period_start::date)
ORDER BY pc.proceeding_id, c.child_id;

-- name: EpisodesInPeriod :many
SELECT e.* FROM episodes e
WHERE (e.la_id, e.child_id) IN (
    SELECT pc.la_id, pc.child_id FROM proceeding_children pc
    JOIN proceedings p ON p.la_id = pc.la_id AND p.proceeding_id = pc.proceeding_id
    WHERE p.la_id = ANY(@la_ids::int[]) AND p.issued_on <= @period_end::date
      AND (p.concluded_on IS NULL OR p.concluded_on >= @period_start::date))
ORDER BY e.child_id, e.started_on;

-- name: CostsInPeriod :many
SELECT child_id, placement_started_on, effective_from, effective_to, weekly_pence FROM placement_costs
WHERE la_id = ANY(@la_ids::int[]) AND (la_id, child_id) IN (
    SELECT pc.la_id, pc.child_id FROM proceeding_children pc
    JOIN proceedings p ON p.la_id = pc.la_id AND p.proceeding_id = pc.proceeding_id
    WHERE p.la_id = ANY(@la_ids::int[]) AND pc.la_id = ANY(@la_ids::int[]) AND p.issued_on <= @period_end::date
      AND (p.concluded_on IS NULL OR p.concluded_on >= @period_start::date))
ORDER BY child_id, effective_from;
