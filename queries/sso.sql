-- name: CouncilIdPGet :one
SELECT * FROM council_idps WHERE la_id = @la_id;

-- name: CouncilIdPPut :exec
INSERT INTO council_idps (la_id, issuer, client_id, secret_sealed, updated_at, updated_by)
VALUES (@la_id, @issuer, @client_id, @secret_sealed, @updated_at, @updated_by)
ON CONFLICT (la_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
    secret_sealed = EXCLUDED.secret_sealed, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by;

-- name: CouncilIdPList :many
SELECT la_id, issuer, client_id, updated_at FROM council_idps ORDER BY la_id;

-- name: UserHoldsCouncilRole :one
-- Whether the user holds some role in the council at @at.
SELECT EXISTS (SELECT 1 FROM role_assignments WHERE user_id = @user_id AND la_id = @la_id
    AND valid_from <= @at::timestamptz AND (valid_to IS NULL OR valid_to > @at::timestamptz))::bool;
