-- name: NeedsImportChildren :many
-- The children a needs history names, by their council reference.
SELECT child_id, child_ref, date_of_birth FROM children WHERE la_id = @la_id AND child_ref = ANY(@refs::text[]);

-- name: NeedsImportExisting :many
-- Approved assessments already held for these children: an import of the
-- same history again finds each of its rows here and writes nothing.
SELECT child_id, assessed_on, instrument_id, approved_levels FROM needs_assessments
WHERE la_id = @la_id AND status = 'approved' AND child_id = ANY(@child_ids::bigint[]);

-- name: NeedsImportAssessment :one
-- An assessment approved elsewhere comes in approved, with its approval date;
-- the table's check still refuses an approver who is the author.
INSERT INTO needs_assessments (la_id, child_id, instrument_id, assessed_on, reason, status, author_id, submitted_at,
    approver_id, approved_at, approved_levels)
VALUES (@la_id, @child_id, @instrument_id, @assessed_on, @reason, 'approved', @author_id, @approved_at,
    @approver_id, @approved_at, @levels::int[])
RETURNING assessment_id;

-- name: NeedsImportRatings :exec
INSERT INTO needs_ratings (la_id, assessment_id, instrument_id, domain_code, level, evidence)
SELECT @la_id::integer, @assessment_id::bigint, @instrument_id::integer, unnest(@domains::text[]), unnest(@levels::int[]), unnest(@evidence::text[]);
