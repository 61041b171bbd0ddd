-- name: CouncilIdPGet :one
SELECT * FROM council_idps WHERE la_id = @la_id;

-- name: CouncilIdPPut :exec
INSERT INTO council_idps (la_id, issuer, client_id, secret_sealed, updated_at, updated_by)
VALUES (@la_id, @issuer, @client_id, @secret_sealed, @updated_at, @updated_by)
ON CONFLICT (la_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
    secret_sealed = EXCLUDED.secret_sealed, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by;

-- name: CouncilIdPList :many
SELECT la_id, issuer, client_id, updated_at FROM council_idps ORDER BY la_id;
