-- How often each council reviews needs profiles. Due dates are worked out when
-- read, so changing a council's interval moves every due date at once.
ALTER TABLE local_authorities
    ADD COLUMN needs_review_months integer NOT NULL DEFAULT 6
        CHECK (needs_review_months BETWEEN 1 AND 24),
    ADD COLUMN needs_review_months_after_move integer NOT NULL DEFAULT 3
        CHECK (needs_review_months_after_move BETWEEN 1 AND 24);

-- The latest approved assessment per child is what reviews, charts and
-- analytics read; this index answers it without touching drafts.
CREATE INDEX needs_assessments_approved_idx ON needs_assessments (la_id, child_id, assessed_on DESC, assessment_id DESC)
    WHERE status = 'approved';

ALTER TABLE sdq_readings
    ADD COLUMN recorded_by bigint REFERENCES users,
    ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT sdq_readings_source_check CHECK (source IN ('manual', 'ssda903'));
