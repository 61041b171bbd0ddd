-- Hearings can be listed before they happen (issue 17): a court officer
-- records the date and kind when the court lists it, with the outcome
-- 'listed'; the outcome (effective, adjourned, vacated) is recorded once the
-- day has passed. Listed hearings are not counted in the cost of delay.
ALTER TABLE hearings DROP CONSTRAINT hearings_outcome_check;
ALTER TABLE hearings ADD CONSTRAINT hearings_outcome_check CHECK (outcome IN ('effective', 'adjourned', 'vacated', 'listed'));
