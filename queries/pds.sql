-- name: PdsForPlacement :one
-- The record of one Hearth placement, named by the episode that starts it.
SELECT * FROM pds_records
WHERE la_id = @la_id AND child_id = @child_id AND placement_started_on = @placement_started_on AND source = 'hearth';

-- name: PdsByChild :many
SELECT * FROM pds_records WHERE la_id = @la_id AND child_id = @child_id ORDER BY placement_date;

-- name: PdsInsert :one
INSERT INTO pds_records (la_id, source, child_id, placement_started_on, child_ref, needed_by, siblings_to_place, child_preference,
    communication_needs, communication_requirements, communication_other, home_adaptation, cultural_needs, cultural_other,
    living_companions, pets, additional_support, additional_support_other, deprivation_of_liberty,
    foster_suitability, residential_suitability, supported_suitability, risks_present,
    cost_core_pence, cost_additional_pence, cost_education_pence, cost_other_pence, cost_total_pence,
    placement_location, preferred_location_local, out_of_la_reason, out_of_la_other, education_continuity,
    provider_urn, siblings_placed_together, placement_type, referral_date, placement_date, cost_date, created_by, updated_by)
VALUES (@la_id, @source, @child_id, @placement_started_on, @child_ref, @needed_by, @siblings_to_place, @child_preference,
    @communication_needs, @communication_requirements, @communication_other, @home_adaptation, @cultural_needs, @cultural_other,
    @living_companions, @pets, @additional_support, @additional_support_other, @deprivation_of_liberty,
    @foster_suitability, @residential_suitability, @supported_suitability, @risks_present,
    @cost_core_pence, @cost_additional_pence, @cost_education_pence, @cost_other_pence, @cost_total_pence,
    @placement_location, @preferred_location_local, @out_of_la_reason, @out_of_la_other, @education_continuity,
    @provider_urn, @siblings_placed_together, @placement_type, @referral_date, @placement_date, @cost_date, @user_id, @user_id)
RETURNING record_id, version;

-- name: PdsUpdate :one
-- Saves over a record only at the version the editor read: a concurrent edit
-- makes this return no row, and the service reports a conflict.
UPDATE pds_records SET child_ref = @child_ref, needed_by = @needed_by, siblings_to_place = @siblings_to_place, child_preference = @child_preference,
    communication_needs = @communication_needs, communication_requirements = @communication_requirements, communication_other = @communication_other,
    home_adaptation = @home_adaptation, cultural_needs = @cultural_needs, cultural_other = @cultural_other,
    living_companions = @living_companions, pets = @pets, additional_support = @additional_support, additional_support_other = @additional_support_other,
    deprivation_of_liberty = @deprivation_of_liberty, foster_suitability = @foster_suitability, residential_suitability = @residential_suitability,
    supported_suitability = @supported_suitability, risks_present = @risks_present,
    cost_core_pence = @cost_core_pence, cost_additional_pence = @cost_additional_pence, cost_education_pence = @cost_education_pence,
    cost_other_pence = @cost_other_pence, cost_total_pence = @cost_total_pence,
    placement_location = @placement_location, preferred_location_local = @preferred_location_local, out_of_la_reason = @out_of_la_reason,
    out_of_la_other = @out_of_la_other, education_continuity = @education_continuity, provider_urn = @provider_urn,
    siblings_placed_together = @siblings_placed_together, placement_type = @placement_type,
    referral_date = @referral_date, placement_date = @placement_date, cost_date = @cost_date,
    updated_by = @user_id, version = version + 1, updated_at = now()
WHERE la_id = @la_id AND record_id = @record_id AND version = @version
RETURNING record_id, version;

-- name: PdsInQuarter :many
-- A council's return for a quarter: every placement found whose agreed
-- placement starts in it, in a fixed order so an export is repeatable.
SELECT * FROM pds_records
WHERE la_id = @la_id AND placement_date >= @from_date AND placement_date < @to_date
ORDER BY placement_date, child_ref, record_id;

-- name: PdsDelete :execrows
DELETE FROM pds_records WHERE la_id = @la_id AND record_id = @record_id;

-- name: PdsForAnalytics :many
-- The records behind the preferred-vs-actual and urgency-vs-cost figures,
-- with the Hearth child (if any) so a page can link to those a user may see.
SELECT la_id, record_id, child_id, child_ref, needed_by, foster_suitability, residential_suitability, supported_suitability,
    placement_type, cost_total_pence, placement_date
FROM pds_records
WHERE la_id = ANY(@la_ids::integer[]) AND placement_date <= @as_of
ORDER BY la_id, placement_date, record_id;

-- name: PdsNeedsBefore :many
-- The levels of the child's latest approved assessment on or before a day,
-- by domain, from which some of the standard's fields are suggested.
SELECT r.domain_code, r.level::integer AS level FROM needs_ratings r
WHERE r.la_id = @la_id AND r.level IS NOT NULL AND r.assessment_id = (
    SELECT a.assessment_id FROM needs_assessments a
    WHERE a.la_id = @la_id AND a.child_id = @child_id AND a.status = 'approved' AND a.assessed_on <= @on_date
    ORDER BY a.assessed_on DESC, a.assessment_id DESC LIMIT 1);

-- name: PdsImportedInQuarter :many
SELECT * FROM pds_records
WHERE la_id = @la_id AND source = 'import' AND placement_date >= @from_date AND placement_date < @to_date;

-- name: PdsHearthKeys :many
-- Hearth's own records for a council in a quarter: an imported return may not
-- stand in for them.
SELECT child_ref, placement_date FROM pds_records
WHERE la_id = @la_id AND source = 'hearth' AND placement_date >= @from_date AND placement_date < @to_date;
