-- name: UserInsert :one
INSERT INTO users (email, display_name, password_hash, team)
VALUES ($1, $2, $3, $4)
RETURNING *;

-- name: UserGet :one
SELECT * FROM users WHERE user_id = $1;

-- name: UserGetByEmail :one
SELECT * FROM users WHERE email = $1;

-- name: UserSetPassword :exec
UPDATE users SET password_hash = $2, failed_signins = 0, locked_until = NULL WHERE user_id = $1;

-- name: UserRecordFailedSignin :one
-- Counts a failure and locks the account once the limit is reached; returns the new state.
UPDATE users
SET failed_signins = failed_signins + 1,
    locked_until = CASE WHEN failed_signins + 1 >= @lock_after::int THEN @locked_until::timestamptz ELSE locked_until END
WHERE user_id = @user_id
RETURNING failed_signins, locked_until;

-- name: UserRecordSignin :exec
UPDATE users SET failed_signins = 0, locked_until = NULL, last_signin_at = @at WHERE user_id = @user_id;

-- name: UserCount :one
SELECT count(*) FROM users;

-- name: RoleGrant :exec
INSERT INTO role_assignments (user_id, role, la_id, rcc_id) VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING;

-- name: RoleRevoke :execrows
DELETE FROM role_assignments
WHERE user_id = $1 AND role = $2
  AND la_id IS NOT DISTINCT FROM sqlc.narg('la_id')::int
  AND rcc_id IS NOT DISTINCT FROM sqlc.narg('rcc_id')::int;

-- name: RoleListByUser :many
SELECT * FROM role_assignments WHERE user_id = $1 ORDER BY role, la_id, rcc_id;

-- name: RoleListAll :many
SELECT ra.user_id, ra.role, ra.la_id, ra.rcc_id
FROM role_assignments ra JOIN users u USING (user_id)
WHERE u.disabled_at IS NULL;

-- name: SessionInsert :exec
INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4);

-- name: SessionGet :one
SELECT * FROM sessions WHERE token_hash = $1;

-- name: SessionTouch :exec
UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1;

-- name: SessionDelete :exec
DELETE FROM sessions WHERE token_hash = $1;

-- name: SessionDeleteExpired :execrows
DELETE FROM sessions WHERE expires_at < @now OR last_seen_at < @idle_before;

-- name: APITokenInsert :exec
INSERT INTO api_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3);

-- name: APITokenGet :one
SELECT * FROM api_tokens WHERE token_hash = $1;

-- name: APITokenTouch :exec
UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1;
