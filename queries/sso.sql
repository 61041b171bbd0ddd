-- name: CouncilIdPGet :one
SELECT * FROM council_idps WHERE la_id = @la_id;

-- name: CouncilIdPPut :exec
INSERT INTO council_idps (la_id, issuer, client_id, secret_sealed, updated_at, updated_by)
VALUES (@la_id, @issuer, @client_id, @secret_sealed, @updated_at, @updated_by)
ON CONFLICT (la_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
    secret_sealed = EXCLUDED.secret_sealed, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by;

-- name: CouncilIdPList :many
SELECT la_id, issuer, client_id, updated_at FROM council_idps ORDER BY la_id;

-- name: IdentityBySubject :one
SELECT * FROM user_identities WHERE la_id = @la_id AND issuer = @issuer AND subject = @subject;

-- name: IdentityOfUser :one
SELECT * FROM user_identities WHERE la_id = @la_id AND issuer = @issuer AND user_id = @user_id;

-- name: IdentityBind :execrows
-- The first sign-in binds; a second binding of either side conflicts and is refused.
INSERT INTO user_identities (la_id, issuer, subject, user_id, first_seen, last_seen)
VALUES (@la_id, @issuer, @subject, @user_id, @at, @at)
ON CONFLICT DO NOTHING;

-- name: IdentitySeen :exec
UPDATE user_identities SET last_seen = @at WHERE la_id = @la_id AND issuer = @issuer AND subject = @subject;

-- name: IdentityUnbind :execrows
DELETE FROM user_identities WHERE la_id = @la_id AND user_id = @user_id;
