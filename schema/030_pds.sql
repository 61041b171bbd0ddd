-- The Placements Data Standard's interchange record (SocialCareData v2 with
-- the 2026 PUB00 additions; docs/pds.md): the facts a placement team lifts
-- out of a referral and an agreed placement, one row a child a placement.
-- Codes are the standard's SKOS notations, money is pence excluding VAT (the
-- fee actually paid), the child's ID and the provider URN are strings, and the
-- placement location is the outward postcode only.
--
-- source 'hearth': recorded in Hearth on the child's placement journey; it
-- names the episode that starts the placement, so correcting that episode's
-- start date carries the record with it and deleting the episode is refused.
-- source 'import': a quarterly return from a council that does not record its
-- placements in Hearth, kept under that council (row-level security holds it
-- there like every council table); it names no Hearth child.
-- hearth_grant_app(), run after every migration, gives hearth_app its grants
-- and turns on the council policy, as the table has la_id.
CREATE TABLE pds_records (
    la_id                       integer NOT NULL REFERENCES local_authorities,
    record_id                   bigint GENERATED ALWAYS AS IDENTITY,
    source                      text NOT NULL CHECK (source IN ('hearth', 'import')),
    child_id                    bigint,
    placement_started_on        date,
    child_ref                   text NOT NULL CHECK (child_ref <> '' AND length(child_ref) <= 50),
    needed_by                   text CHECK (needed_by IN ('today', 'lt-5-days', 'gt-5-days')),
    siblings_to_place           integer CHECK (siblings_to_place BETWEEN 0 AND 20),
    child_preference            text CHECK (child_preference IN ('foster', 'residential', 'supported-accommodation')),
    communication_needs         text NOT NULL CHECK (communication_needs IN ('yes', 'no', 'not-specified')),
    communication_requirements  text[] NOT NULL CHECK (communication_requirements <@ ARRAY['esol', 'bsl', 'makaton', 'other', 'none']),
    communication_other         text CHECK (length(communication_other) <= 200),
    home_adaptation             boolean NOT NULL,
    cultural_needs              text NOT NULL CHECK (cultural_needs IN ('required', 'not-required', 'not-known', 'other')),
    cultural_other              text CHECK (length(cultural_other) <= 200),
    living_companions           text NOT NULL CHECK (living_companions IN ('solo', 'with-other-children', 'only-older', 'only-younger', 'no-preference')),
    pets                        text NOT NULL CHECK (pets IN ('yes-must', 'yes-can', 'no', 'not-known')),
    additional_support          text CHECK (additional_support IN ('additional-supervision', 'therapeutic-support', 'worker-respite', 'taxis-to-school', 'na', 'other')),
    additional_support_other    text CHECK (length(additional_support_other) <= 200),
    deprivation_of_liberty      boolean,
    foster_suitability          text NOT NULL CHECK (foster_suitability IN ('preferred', 'suitable-not-preferred', 'unsuitable', 'not-specified')),
    residential_suitability     text NOT NULL CHECK (residential_suitability IN ('preferred', 'suitable-not-preferred', 'unsuitable', 'not-specified')),
    supported_suitability       text NOT NULL CHECK (supported_suitability IN ('preferred', 'suitable-not-preferred', 'unsuitable', 'not-specified')),
    -- The risk fields whose answer is risk-present; every other is no-known-risk
    -- (the standard's risks are all required and binary).
    risks_present               text[] NOT NULL,
    cost_core_pence             bigint CHECK (cost_core_pence >= 0),
    cost_additional_pence       bigint CHECK (cost_additional_pence >= 0),
    cost_education_pence        bigint CHECK (cost_education_pence >= 0),
    cost_other_pence            bigint CHECK (cost_other_pence >= 0),
    cost_total_pence            bigint NOT NULL CHECK (cost_total_pence >= 0),
    placement_location          text NOT NULL CHECK (placement_location ~ '^[A-Z]{1,2}[0-9][0-9A-Z]?$'),
    preferred_location_local    boolean NOT NULL,
    out_of_la_reason            text CHECK (out_of_la_reason IN ('safeguarding', 'bail', 'court-order', 'other')),
    out_of_la_other             text CHECK (length(out_of_la_other) <= 200),
    -- true: the child's education continued without disruption (the
    -- template's question asks the opposite, "was education disrupted?").
    education_continuity        boolean NOT NULL,
    provider_urn                text NOT NULL CHECK (provider_urn ~ '^[A-Za-z0-9-]{1,20}$'),
    siblings_placed_together    integer NOT NULL CHECK (siblings_placed_together BETWEEN 0 AND 20),
    placement_type              text NOT NULL CHECK (placement_type IN ('foster', 'residential', 'supported-accommodation')),
    referral_date               date NOT NULL,
    placement_date              date NOT NULL,
    cost_date                   date NOT NULL,
    version                     integer NOT NULL DEFAULT 1,
    created_by                  bigint REFERENCES users,
    updated_by                  bigint REFERENCES users,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (la_id, record_id),
    FOREIGN KEY (la_id, child_id, placement_started_on) REFERENCES episodes (la_id, child_id, started_on) ON UPDATE CASCADE,
    CHECK ((source = 'hearth') = (child_id IS NOT NULL AND placement_started_on IS NOT NULL)),
    CHECK (source = 'import' OR child_id IS NOT NULL),
    CHECK (referral_date <= placement_date)
);
-- One record per child per placement: Hearth's by the episode that starts it,
-- an imported return's by the child's ID and the placement date.
CREATE UNIQUE INDEX pds_records_placement_key ON pds_records (la_id, child_id, placement_started_on) WHERE source = 'hearth';
CREATE UNIQUE INDEX pds_records_return_key ON pds_records (la_id, child_ref, placement_date);
CREATE INDEX pds_records_date_idx ON pds_records (la_id, placement_date);
