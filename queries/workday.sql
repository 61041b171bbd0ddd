-- Work trays and the one-draft-per-child rule (issue 17).

-- name: AssessmentOpenForChild :one
-- The child's draft, if any: a child has at most one, so "Start a needs
-- assessment" becomes "Continue the draft". An assessment returned by a
-- manager is not a draft: it is listed in its author's tray with the comment,
-- and a fresh assessment may still be started beside it.
SELECT assessment_id, status, author_id FROM needs_assessments
WHERE la_id = @la_id AND child_id = @child_id AND status = 'draft'
ORDER BY assessment_id DESC
LIMIT 1;

-- name: TrayDrafts :many
-- A worker's drafts and returned assessments, in the councils they may write needs in.
SELECT a.assessment_id, a.la_id, a.child_id, a.status, a.return_comment, a.updated_at, c.given_name, c.family_name, c.child_ref
FROM needs_assessments a
JOIN children c ON c.la_id = a.la_id AND c.child_id = a.child_id
WHERE a.la_id = ANY(@la_ids::int[]) AND c.la_id = ANY(@la_ids::int[]) AND a.author_id = @user_id
  AND a.status IN ('draft', 'returned')
ORDER BY a.status = 'returned' DESC, a.updated_at DESC
LIMIT 200;

-- name: TrayNewToCaseload :many
-- Children allocated to a worker since @since.
SELECT a.la_id, a.child_id, a.valid_from, c.given_name, c.family_name, c.child_ref
FROM allocations a
JOIN children c ON c.la_id = a.la_id AND c.child_id = a.child_id
WHERE a.user_id = @user_id AND a.valid_to IS NULL AND a.valid_from >= @since
  AND a.la_id = ANY(@la_ids::int[]) AND c.la_id = ANY(@la_ids::int[])
ORDER BY a.valid_from DESC, a.child_id
LIMIT 200;

-- name: TrayApprovals :many
-- Submitted assessments a manager may approve, with the author's team, oldest first.
SELECT a.assessment_id, a.child_id, a.submitted_at, c.given_name, c.family_name,
       u.display_name AS author_name, u.team AS author_team, la.name AS council_name
FROM needs_assessments a
JOIN children c ON c.la_id = a.la_id AND c.child_id = a.child_id
JOIN users u ON u.user_id = a.author_id
JOIN local_authorities la ON la.la_id = a.la_id
WHERE a.status = 'submitted' AND a.la_id = ANY(@la_ids::int[]) AND c.la_id = ANY(@la_ids::int[]) AND a.author_id <> @user_id
ORDER BY a.submitted_at, a.assessment_id
LIMIT 500;

-- name: TrayCaseloads :many
-- Each worker's caseload size in the councils given: children allocated now.
SELECT u.user_id, u.display_name, u.team, a.la_id, count(*)::bigint AS children
FROM allocations a
JOIN users u ON u.user_id = a.user_id
WHERE a.la_id = ANY(@la_ids::int[]) AND a.valid_to IS NULL
GROUP BY u.user_id, u.display_name, u.team, a.la_id
ORDER BY u.team, u.display_name, a.la_id;

-- name: TrayUnallocated :many
-- Children in care with no social worker allocated now.
SELECT c.la_id, c.child_id, c.given_name, c.family_name, c.child_ref, cp.started_on
FROM children c
JOIN care_periods cp ON cp.la_id = c.la_id AND cp.child_id = c.child_id AND cp.ended_on IS NULL
WHERE c.la_id = ANY(@la_ids::int[])
  AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.la_id = c.la_id AND a.child_id = c.child_id AND a.valid_to IS NULL)
ORDER BY cp.started_on, c.child_id
LIMIT 200;

-- name: HearingRecordOutcome :one
-- Records the outcome of a listed hearing. Only a hearing still listed
-- changes, so two people recording it at once conflict rather than overwrite.
UPDATE hearings SET outcome = @outcome, reason = @reason
WHERE la_id = @la_id AND proceeding_id = @proceeding_id AND hearing_id = @hearing_id AND outcome = 'listed'
RETURNING *;

-- name: TrayOpenCases :many
-- Open care proceedings with their next hearing (today or later), for the
-- court officer's tray: cases passing 20 and 26 weeks, and cases with none listed.
-- (sqlc reads a lateral join's columns as never null, so the missing case is said outright.)
SELECT p.la_id, p.proceeding_id, p.case_number, p.issued_on, (n.held_on IS NOT NULL)::boolean AS has_next,
       coalesce(n.held_on, p.issued_on)::date AS next_on, coalesce(n.kind, '')::text AS next_kind
FROM proceedings p
LEFT JOIN LATERAL (
    SELECT h.held_on, h.kind FROM hearings h
    WHERE h.la_id = p.la_id AND h.proceeding_id = p.proceeding_id AND h.held_on >= @today::date
    ORDER BY h.held_on, h.hearing_id LIMIT 1) n ON true
WHERE p.la_id = ANY(@la_ids::int[]) AND p.concluded_on IS NULL
ORDER BY p.issued_on, p.proceeding_id
LIMIT 2000;
