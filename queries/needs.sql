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
-- Approval also keeps the levels in domain order (approved_levels), since an
-- approved assessment never changes.
UPDATE needs_assessments na
SET status = @new_status, version = na.version + 1, updated_at = now(),
    submitted_at = CASE WHEN @new_status::text = 'submitted' THEN now() ELSE na.submitted_at END,
    approver_id = CASE WHEN @new_status::text = 'approved' THEN sqlc.narg('approver_id')::bigint ELSE na.approver_id END,
    approved_at = CASE WHEN @new_status::text = 'approved' THEN now() ELSE na.approved_at END,
    approved_levels = CASE WHEN @new_status::text = 'approved' THEN (
        SELECT array_agg(r.level ORDER BY d.position) FROM needs_ratings r
        JOIN needs_domains d ON d.instrument_id = r.instrument_id AND d.domain_code = r.domain_code
        WHERE r.la_id = na.la_id AND r.assessment_id = na.assessment_id)::int[] ELSE NULL END,
    return_comment = @return_comment
WHERE na.la_id = @la_id AND na.assessment_id = @assessment_id AND na.version = @version AND na.status = @from_status
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

-- name: InstrumentList :many
SELECT * FROM needs_instruments ORDER BY code, version;

-- name: InstrumentInsert :one
INSERT INTO needs_instruments (code, version, name, min_level, max_level)
VALUES ($1, $2, $3, $4, $5)
RETURNING *;

-- name: InstrumentDomainInsert :exec
INSERT INTO needs_domains (instrument_id, domain_code, position, name, description) VALUES ($1, $2, $3, $4, $5);

-- name: InstrumentLevelInsert :exec
INSERT INTO needs_levels (instrument_id, level, label, guidance) VALUES ($1, $2, $3, $4);

-- name: InstrumentBandInsert :exec
INSERT INTO needs_bands (instrument_id, band, rank, label) VALUES ($1, $2, $3, $4);

-- name: InstrumentBandRuleInsert :exec
INSERT INTO needs_band_rules (instrument_id, band, min_level, min_count) VALUES ($1, $2, $3, $4);

-- name: ReviewSettings :one
SELECT needs_review_months, needs_review_months_after_move FROM local_authorities WHERE la_id = $1;

-- name: ReviewSettingsUpdate :exec
UPDATE local_authorities SET needs_review_months = $2, needs_review_months_after_move = $3 WHERE la_id = $1;

-- name: AssessmentPreviousApproved :one
-- The approved assessment before this one, with the same instrument, that
-- changes are measured against.
SELECT * FROM needs_assessments p
WHERE p.la_id = @la_id AND p.child_id = @child_id AND p.instrument_id = @instrument_id
  AND p.status = 'approved' AND p.assessment_id <> @assessment_id
  AND (p.assessed_on, p.assessment_id) < (@assessed_on::date, @assessment_id::bigint)
ORDER BY p.assessed_on DESC, p.assessment_id DESC
LIMIT 1;

-- name: AssessmentRatingsByChild :many
-- Every assessment of a child with its ratings, oldest first: the history,
-- the trajectory and the comparison all read this.
SELECT a.assessment_id, a.instrument_id, a.assessed_on, a.reason, a.status, a.author_id, a.approver_id,
       a.supersedes, a.version, a.updated_at,
       coalesce(au.display_name, '')::text AS author_name,
       r.domain_code, r.level
FROM needs_assessments a
JOIN users au ON au.user_id = a.author_id
LEFT JOIN needs_ratings r ON r.la_id = a.la_id AND r.assessment_id = a.assessment_id
WHERE a.la_id = $1 AND a.child_id = $2
ORDER BY a.assessed_on, a.assessment_id, r.domain_code;

-- name: ReviewsDue :many
-- Children in care whose needs review falls due before @due_before: the latest
-- approved assessment plus the council's interval (shorter after a placement
-- change), or a month after coming into care when there is none.
WITH kids AS (
    SELECT c.la_id, c.child_id, c.child_ref, c.given_name, c.family_name, cp.started_on
    FROM children c
    JOIN care_periods cp ON cp.la_id = c.la_id AND cp.child_id = c.child_id AND cp.ended_on IS NULL
    WHERE (c.la_id = ANY(@all_la_ids::int[])
           OR (c.la_id = ANY(@allocated_la_ids::int[]) AND EXISTS (
               SELECT 1 FROM allocations a
               WHERE a.la_id = c.la_id AND a.child_id = c.child_id
                 AND a.user_id = @user_id AND a.valid_to IS NULL)))
      AND (sqlc.narg('la_id')::int IS NULL OR c.la_id = sqlc.narg('la_id'))
), due AS (
    SELECT k.la_id, k.child_id, k.child_ref, k.given_name, k.family_name, k.started_on, la.name AS council_name, last.assessment_id, last.assessed_on,
           (CASE WHEN last.assessment_id IS NULL THEN k.started_on + interval '1 month'
                 ELSE last.assessed_on + make_interval(months => CASE WHEN last.reason = 'placement_change'
                        THEN la.needs_review_months_after_move ELSE la.needs_review_months END)
            END)::date AS due_on
    FROM kids k
    JOIN local_authorities la ON la.la_id = k.la_id
    LEFT JOIN LATERAL (
        SELECT na.assessment_id, na.assessed_on, na.reason FROM needs_assessments na
        WHERE na.la_id = k.la_id AND na.child_id = k.child_id AND na.status = 'approved'
        ORDER BY na.assessed_on DESC, na.assessment_id DESC LIMIT 1) last ON true
)
SELECT x.la_id, x.child_id, x.child_ref, x.given_name, x.family_name, x.council_name,
       coalesce(x.assessment_id, 0)::bigint AS last_assessment_id, coalesce(x.assessed_on, x.started_on)::date AS last_assessed_on,
       x.started_on AS care_started_on, x.due_on,
       coalesce(w.user_id, 0)::bigint AS worker_id, coalesce(w.display_name, '')::text AS worker_name,
       coalesce(w.team, '')::text AS team
FROM due x
LEFT JOIN LATERAL (
    SELECT u.user_id, u.display_name, u.team FROM allocations cur JOIN users u ON u.user_id = cur.user_id
    WHERE cur.la_id = x.la_id AND cur.child_id = x.child_id AND cur.valid_to IS NULL
    ORDER BY cur.valid_from DESC LIMIT 1) w ON true
WHERE x.due_on < @due_before::date
  AND (sqlc.narg('team')::text IS NULL OR w.team = sqlc.narg('team'))
ORDER BY x.due_on, x.family_name, x.given_name, x.child_id;

-- name: SDQInsert :one
INSERT INTO sdq_readings (la_id, child_id, taken_on, score, source, recorded_by)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING *;

-- name: SDQList :many
SELECT * FROM sdq_readings WHERE la_id = $1 AND child_id = $2 ORDER BY taken_on;

-- name: AssessmentExport :many
-- Assessments of the children in scope (or one child), with ratings, for CSV.
SELECT la.name AS council_name, c.child_ref, a.assessment_id, a.assessed_on, a.reason, a.status,
       i.code AS instrument, a.supersedes, a.approved_at, d.position, r.domain_code, r.level
FROM needs_assessments a
JOIN children c ON c.la_id = a.la_id AND c.child_id = a.child_id
JOIN local_authorities la ON la.la_id = a.la_id
JOIN needs_instruments i ON i.instrument_id = a.instrument_id
LEFT JOIN needs_ratings r ON r.la_id = a.la_id AND r.assessment_id = a.assessment_id
LEFT JOIN needs_domains d ON d.instrument_id = r.instrument_id AND d.domain_code = r.domain_code
WHERE (c.la_id = ANY(@all_la_ids::int[])
       OR (c.la_id = ANY(@allocated_la_ids::int[]) AND EXISTS (
           SELECT 1 FROM allocations al
           WHERE al.la_id = c.la_id AND al.child_id = c.child_id
             AND al.user_id = @user_id AND al.valid_to IS NULL)))
  AND (sqlc.narg('child_id')::bigint IS NULL OR a.child_id = sqlc.narg('child_id'))
  AND (sqlc.narg('la_id')::int IS NULL OR a.la_id = sqlc.narg('la_id'))
ORDER BY la.name, c.child_ref, a.assessed_on, a.assessment_id, d.position;

-- name: AssessmentsAwaitingApproval :many
-- Submitted assessments a manager may approve: in their councils, not their own.
SELECT a.assessment_id, a.child_id, a.assessed_on, a.submitted_at, c.child_ref, c.given_name, c.family_name,
       u.display_name AS author_name, la.name AS council_name
FROM needs_assessments a
JOIN children c ON c.la_id = a.la_id AND c.child_id = a.child_id
JOIN users u ON u.user_id = a.author_id
JOIN local_authorities la ON la.la_id = a.la_id
WHERE a.status = 'submitted' AND a.la_id = ANY(@la_ids::int[]) AND c.la_id = ANY(@la_ids::int[]) AND a.author_id <> @user_id
ORDER BY a.submitted_at, a.assessment_id
LIMIT 500;

-- name: InstrumentGetByCodeVersion :one
SELECT instrument_id FROM needs_instruments WHERE code = $1 AND version = $2;
