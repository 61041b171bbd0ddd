-- name: CouncilInsert :one
INSERT INTO local_authorities (la_id, ons_code, name) VALUES (@la_id, @ons_code, @name) RETURNING *;

-- name: RCCInsert :one
INSERT INTO regional_cooperatives (code, name) VALUES (@code, @name) RETURNING *;

-- name: RCCListAll :many
SELECT * FROM regional_cooperatives ORDER BY name;
