-- Reads that name a council and a case, a council and a role, or a council
-- and a child get an index that leads with what they name (queries'
-- TestQueriesUseTheirIndexes). A case's expert assessments are read on every
-- child page of a child in proceedings; without an index they scanned the
-- table.
CREATE INDEX expert_assessments_proceeding_idx ON expert_assessments (la_id, proceeding_id);

-- A council's social workers (allocation forms, team filters): the grants'
-- indexes lead with the user.
CREATE INDEX role_assignments_council_role_idx ON role_assignments (la_id, role) WHERE valid_to IS NULL AND la_id IS NOT NULL;

-- A child's current social worker (ending an allocation, caseload checks):
-- the open-allocations index leads with the worker.
CREATE INDEX allocations_child_open_idx ON allocations (la_id, child_id) WHERE valid_to IS NULL;
