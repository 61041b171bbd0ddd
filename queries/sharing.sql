-- name: AgreementsForCouncil :many
-- A council's agreements, newest first, with who signed and ended them.
SELECT a.*, r.name AS rcc_name, coalesce(s.display_name, '')::text AS signed_by_name, coalesce(e.display_name, '')::text AS ended_by_name
FROM sharing_agreements a
JOIN regional_cooperatives r ON r.rcc_id = a.rcc_id
LEFT JOIN users s ON s.user_id = a.signed_by
LEFT JOIN users e ON e.user_id = a.ended_by
WHERE a.la_id = @la_id
ORDER BY a.starts_on DESC, a.agreement_id DESC;

-- name: AgreementInsert :one
INSERT INTO sharing_agreements (la_id, rcc_id, shares_needs, shares_placements, shares_proceedings, starts_on, ends_on, signed_by)
VALUES (@la_id, @rcc_id, @shares_needs, @shares_placements, @shares_proceedings, @starts_on, @ends_on, @signed_by)
RETURNING *;

-- name: AgreementEnd :one
-- Ends an agreement still running on @day; it stops sharing from @day.
UPDATE sharing_agreements SET ends_on = greatest(starts_on, @day::date), ended_by = @ended_by
WHERE la_id = @la_id AND agreement_id = @agreement_id AND (ends_on IS NULL OR ends_on > @day::date)
RETURNING *;

-- name: AgreementReview :one
UPDATE sharing_agreements SET reviewed_at = now()
WHERE la_id = @la_id AND agreement_id = @agreement_id AND (ends_on IS NULL OR ends_on > current_date)
RETURNING *;

-- name: AgreementsInForce :many
-- The member councils of an RCC with an agreement in force on @on, and what
-- each shares: a council must be a member that day and its agreement running.
SELECT a.la_id, la.ons_code, la.name, a.agreement_id, a.shares_needs, a.shares_placements, a.shares_proceedings, a.starts_on
FROM sharing_agreements a
JOIN local_authorities la ON la.la_id = a.la_id
JOIN rcc_memberships m ON m.rcc_id = a.rcc_id AND m.la_id = a.la_id
     AND m.valid_from <= @day::date AND (m.valid_to IS NULL OR m.valid_to > @day::date)
WHERE a.rcc_id = @rcc_id AND a.starts_on <= @day::date AND (a.ends_on IS NULL OR a.ends_on > @day::date)
ORDER BY la.name;

-- name: RCCMembers :many
-- Every membership of an RCC over time.
SELECT m.la_id, la.ons_code, la.name, m.valid_from, m.valid_to
FROM rcc_memberships m JOIN local_authorities la ON la.la_id = m.la_id
WHERE m.rcc_id = @rcc_id ORDER BY la.name, m.valid_from;

-- name: RCCsOfCouncil :many
-- The RCCs a council is a member of on @day.
SELECT r.* FROM regional_cooperatives r
JOIN rcc_memberships m ON m.rcc_id = r.rcc_id
WHERE m.la_id = @la_id AND m.valid_from <= @day::date AND (m.valid_to IS NULL OR m.valid_to > @day::date)
ORDER BY r.name;

-- name: CouncilKeyEnsure :exec
-- A council's pseudonym key is made once and never changes, so pseudonyms
-- stay stable over time.
INSERT INTO council_keys (la_id, secret) VALUES (@la_id, @secret) ON CONFLICT (la_id) DO NOTHING;

-- name: CouncilKeys :many
SELECT la_id, secret FROM council_keys WHERE la_id = ANY(@la_ids::int[]);

-- name: RCCDisclosureUpdate :one
UPDATE regional_cooperatives SET disclosure_min_count = @min_count, disclosure_max_noise = @max_noise, disclosure_k = @k
WHERE rcc_id = @rcc_id RETURNING *;

-- name: ProvidersByID :many
SELECT provider_id, name, coalesce(ofsted_urn, '')::text AS ofsted_urn, kind, coalesce(postcode_district, '')::text AS postcode_district
FROM providers WHERE provider_id = ANY(@ids::bigint[]) ORDER BY name;

-- name: RCCByCode :one
SELECT * FROM regional_cooperatives WHERE code = @code;

-- name: RCCMembershipEnd :one
-- Ends a council's open membership from @day; its agreements with the RCC
-- stop counting from then (AgreementsInForce needs a membership).
UPDATE rcc_memberships SET valid_to = @day::date
WHERE rcc_id = @rcc_id AND la_id = @la_id AND valid_from < @day::date AND (valid_to IS NULL OR valid_to > @day::date)
RETURNING *;

-- name: RCCMembershipOpen :one
SELECT count(*) FROM rcc_memberships
WHERE rcc_id = @rcc_id AND la_id = @la_id AND (valid_to IS NULL OR valid_to > @day::date);
