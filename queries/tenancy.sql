-- name: LocalAuthorityUpsert :exec
INSERT INTO local_authorities (la_id, ons_code, name) VALUES ($1, $2, $3)
ON CONFLICT (la_id) DO UPDATE SET ons_code = excluded.ons_code, name = excluded.name;

-- name: LocalAuthorityList :many
SELECT * FROM local_authorities ORDER BY name;

-- name: LocalAuthorityGetByONS :one
SELECT * FROM local_authorities WHERE ons_code = $1;

-- name: RCCUpsert :one
INSERT INTO regional_cooperatives (code, name) VALUES ($1, $2)
ON CONFLICT (code) DO UPDATE SET name = excluded.name
RETURNING *;

-- name: RCCGet :one
SELECT * FROM regional_cooperatives WHERE rcc_id = $1;

-- name: RCCMembershipInsert :exec
INSERT INTO rcc_memberships (rcc_id, la_id, valid_from, valid_to) VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING;

-- name: LocalAuthorityGet :one
SELECT * FROM local_authorities WHERE la_id = $1;

-- name: Analyze :exec
-- Refreshes the planner's statistics after a bulk load (schema 024).
SELECT hearth_analyze();
