-- name: InstrumentGet :one
SELECT * FROM needs_instruments WHERE instrument_id = $1;

-- name: InstrumentGetByCode :one
SELECT * FROM needs_instruments WHERE code = $1 ORDER BY version DESC LIMIT 1;

-- name: InstrumentDomains :many
SELECT * FROM needs_domains WHERE instrument_id = $1 ORDER BY position;

-- name: InstrumentLevels :many
SELECT * FROM needs_levels WHERE instrument_id = $1 ORDER BY level;

-- name: InstrumentBands :many
SELECT b.band, b.rank, b.label, r.min_level, r.min_count
FROM needs_bands b LEFT JOIN needs_band_rules r ON r.instrument_id = b.instrument_id AND r.band = b.band
WHERE b.instrument_id = $1
ORDER BY b.rank DESC, r.min_level DESC;

-- name: AssessmentInsert :one
INSERT INTO needs_assessments (la_id, child_id, instrument_id, assessed_on, reason, author_id, supersedes)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING *;

-- name: AssessmentGet :one
SELECT * FROM needs_assessments WHERE assessment_id = $1;

-- name: AssessmentUpdateDraft :one
-- Only a draft or returned assessment changes, and only from the version the editor saw.
UPDATE needs_assessments
SET assessed_on = @assessed_on, reason = @reason, version = version + 1, updated_at = now()
WHERE la_id = @la_id AND assessment_id = @assessment_id AND version = @version AND status IN ('draft', 'returned')
RETURNING *;

-- name: AssessmentSetStatus :one
UPDATE needs_assessments
SET status = @new_status, version = version + 1, updated_at = now(),
    submitted_at = CASE WHEN @new_status::text = 'submitted' THEN now() ELSE submitted_at END,
    approver_id = CASE WHEN @new_status::text = 'approved' THEN sqlc.narg('approver_id')::bigint ELSE approver_id END,
    approved_at = CASE WHEN @new_status::text = 'approved' THEN now() ELSE approved_at END,
    return_comment = @return_comment
WHERE la_id = @la_id AND assessment_id = @assessment_id AND version = @version AND status = @from_status
RETURNING *;

-- name: AssessmentListByChild :many
SELECT * FROM needs_assessments WHERE la_id = $1 AND child_id = $2 ORDER BY assessed_on DESC, assessment_id DESC;

-- name: RatingUpsert :exec
INSERT INTO needs_ratings (la_id, assessment_id, instrument_id, domain_code, level, evidence)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (la_id, assessment_id, domain_code) DO UPDATE SET level = excluded.level, evidence = excluded.evidence;

-- name: RatingList :many
SELECT r.* FROM needs_ratings r
JOIN needs_domains d ON d.instrument_id = r.instrument_id AND d.domain_code = r.domain_code
WHERE r.la_id = $1 AND r.assessment_id = $2
ORDER BY d.position;
