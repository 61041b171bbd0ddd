-- Reads that name a council and a case, or a council and a role, get an
-- index that leads with what they name. A case's
-- expert assessments are read on every child page of a child in proceedings;
-- without an index they scanned the table.
CREATE INDEX expert_assessments_proceeding_idx ON expert_assessments (la_id, proceeding_id);

-- A council's social workers (allocation forms, team filters): the grants'
-- unique index leads with the user.
CREATE INDEX role_assignments_council_role_idx ON role_assignments (la_id, role) WHERE la_id IS NOT NULL;
