-- Cell key perturbation replaces secondary suppression and rounded totals
-- (docs/decisions.md 25, docs/disclosure.md). Per RCC:
--   min_count   a count below this, before or after the noise, is c
--   max_noise   the perturbation table's noise runs from −max_noise to +max_noise
--   zero_mask   of 256 cell keys, how many show an empty cell as c
--   ptable_seed shuffles the perturbation table's rows (configuration, not shown)
--   k           the pooled extract's k-anonymity
ALTER TABLE regional_cooperatives
    DROP COLUMN disclosure_round_to,
    ADD COLUMN disclosure_max_noise integer NOT NULL DEFAULT 3 CHECK (disclosure_max_noise BETWEEN 1 AND 10),
    ADD COLUMN disclosure_zero_mask integer NOT NULL DEFAULT 64 CHECK (disclosure_zero_mask BETWEEN 1 AND 256),
    ADD COLUMN disclosure_ptable_seed bigint NOT NULL DEFAULT (floor(random() * 9007199254740991))::bigint,
    ADD COLUMN disclosure_k integer NOT NULL DEFAULT 5 CHECK (disclosure_k BETWEEN 2 AND 100);

-- Row-level pooled data is its own role, held in an RCC: rcc_data_officer.
ALTER TABLE role_assignments DROP CONSTRAINT role_assignments_role_check;
ALTER TABLE role_assignments ADD CONSTRAINT role_assignments_role_check CHECK (role IN ('social_worker','team_manager','commissioner',
    'court_officer','la_analyst','la_admin','rcc_analyst','rcc_data_officer','system_admin','auditor'));
ALTER TABLE role_assignments DROP CONSTRAINT role_assignments_check1;
ALTER TABLE role_assignments ADD CONSTRAINT role_assignments_scope_check CHECK (CASE role
    WHEN 'rcc_analyst' THEN rcc_id IS NOT NULL
    WHEN 'rcc_data_officer' THEN rcc_id IS NOT NULL
    WHEN 'system_admin' THEN la_id IS NULL AND rcc_id IS NULL
    WHEN 'auditor' THEN rcc_id IS NULL
    ELSE la_id IS NOT NULL END);
