-- An agreement runs from starts_on up to, not including, ends_on, so ending
-- one today stops sharing today (design.md §6: "ending it stops sharing at
-- once"), and a new agreement may start the day the old one ended.
ALTER TABLE sharing_agreements DROP CONSTRAINT sharing_agreements_la_id_rcc_id_daterange_excl;
ALTER TABLE sharing_agreements ADD CONSTRAINT sharing_agreements_no_overlap
    EXCLUDE USING gist (la_id WITH =, rcc_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&);

-- Disclosure control is configuration, per RCC: counts below min_count are
-- suppressed, regional totals round to round_to.
ALTER TABLE regional_cooperatives
    ADD COLUMN disclosure_min_count integer NOT NULL DEFAULT 5 CHECK (disclosure_min_count BETWEEN 2 AND 100),
    ADD COLUMN disclosure_round_to  integer NOT NULL DEFAULT 5 CHECK (disclosure_round_to BETWEEN 1 AND 100);
