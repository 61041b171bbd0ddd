-- An approved assessment never changes, so its levels (in domain order) are
-- kept beside it: cohort figures then read one row a child, not twelve.
ALTER TABLE needs_assessments ADD COLUMN approved_levels int[];
UPDATE needs_assessments a SET approved_levels = (
    SELECT array_agg(r.level ORDER BY d.position) FROM needs_ratings r
    JOIN needs_domains d ON d.instrument_id = r.instrument_id AND d.domain_code = r.domain_code
    WHERE r.la_id = a.la_id AND r.assessment_id = a.assessment_id)
WHERE a.status = 'approved';
ALTER TABLE needs_assessments ADD CONSTRAINT needs_assessments_levels_check CHECK ((status = 'approved') = (approved_levels IS NOT NULL));
