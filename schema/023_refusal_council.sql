-- A refusal is recorded against the council whose record was asked for. Under
-- row-level security the server cannot see another council's record, so it
-- could not tell whose it was; this function, run as the owner, answers only
-- that: the council of one record, never its contents, and only to the audit
-- trail (audit.Record), never to the person refused.
CREATE FUNCTION hearth_council_of(entity text, entity_id text) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT CASE WHEN entity_id !~ '^[0-9]{1,18}$' THEN NULL
        WHEN entity IN ('child', 'child_needs', 'child_placements', 'referral_profile', 'sdq_reading', 'missing_episode', 'episode', 'placement')
            THEN (SELECT la_id FROM children WHERE child_id = entity_id::bigint)
        WHEN entity = 'needs_assessment' THEN (SELECT la_id FROM needs_assessments WHERE assessment_id = entity_id::bigint)
        WHEN entity = 'proceeding' THEN (SELECT la_id FROM proceedings WHERE proceeding_id = entity_id::bigint)
        WHEN entity = 'hearing' THEN (SELECT la_id FROM hearings WHERE hearing_id = entity_id::bigint)
        WHEN entity = 'expert_assessment' THEN (SELECT la_id FROM expert_assessments WHERE expert_id = entity_id::bigint)
        WHEN entity = 'placement_cost' THEN (SELECT la_id FROM placement_costs WHERE cost_id = entity_id::bigint)
        WHEN entity IN ('import', 'cost_census') THEN (SELECT la_id FROM imports WHERE import_id = entity_id::bigint)
        WHEN entity = 'provider' THEN (SELECT owner_la_id FROM providers WHERE provider_id = entity_id::bigint)
    END
$$;
