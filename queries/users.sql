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

-- name: UserRecordSignin :exec
UPDATE users SET failed_signins = 0, locked_until = NULL, last_signin_at = @at WHERE user_id = @user_id;

-- name: UserCount :one
SELECT count(*) FROM users;

-- name: RoleGrant :execrows
-- Opens a grant unless the same role is already open in that scope.
INSERT INTO role_assignments (user_id, role, la_id, rcc_id, valid_from, granted_by)
VALUES (@user_id, @role, sqlc.narg('la_id'), sqlc.narg('rcc_id'), @valid_from, sqlc.narg('granted_by'))
ON CONFLICT DO NOTHING;

-- name: RoleRevoke :execrows
-- Ends the open grant; the row stays as history.
UPDATE role_assignments
SET valid_to = greatest(@valid_to::timestamptz, valid_from + interval '1 microsecond'), revoked_by = sqlc.narg('revoked_by')
WHERE user_id = @user_id AND role = @role AND valid_to IS NULL
  AND la_id IS NOT DISTINCT FROM sqlc.narg('la_id')::int
  AND rcc_id IS NOT DISTINCT FROM sqlc.narg('rcc_id')::int;

-- name: RoleListByUser :many
-- Every grant the user has held, open or ended.
SELECT * FROM role_assignments WHERE user_id = $1 ORDER BY valid_from, role, la_id, rcc_id;

-- name: RoleListAll :many
-- Grants in force at @at, of accounts that are not disabled.
SELECT ra.user_id, ra.role, ra.la_id, ra.rcc_id
FROM role_assignments ra JOIN users u USING (user_id)
WHERE u.disabled_at IS NULL
  AND ra.valid_from <= @at::timestamptz AND (ra.valid_to IS NULL OR ra.valid_to > @at::timestamptz);

-- name: UserDisable :one
UPDATE users SET disabled_at = coalesce(disabled_at, @at::timestamptz) WHERE user_id = @user_id RETURNING *;

-- name: UserEnable :one
UPDATE users SET disabled_at = NULL WHERE user_id = @user_id RETURNING *;

-- name: SessionDeleteByUser :execrows
DELETE FROM sessions WHERE user_id = $1;

-- name: APITokenRevokeByUser :execrows
UPDATE api_tokens SET revoked_at = @at WHERE user_id = @user_id AND revoked_at IS NULL;

-- name: APITokenRevoke :execrows
UPDATE api_tokens SET revoked_at = @at WHERE token_id = @token_id AND user_id = @user_id AND revoked_at IS NULL;

-- name: APITokenListByUser :many
SELECT token_id, label, created_at, expires_at, last_used_at, revoked_at
FROM api_tokens WHERE user_id = $1 ORDER BY created_at, token_id;

-- name: ThrottleGet :one
SELECT * FROM signin_throttle WHERE key = $1;

-- name: ThrottlePut :exec
INSERT INTO signin_throttle (key, failures, blocks, last_failure_at, blocked_until)
VALUES (@key, @failures, @blocks, @last_failure_at, sqlc.narg('blocked_until'))
ON CONFLICT (key) DO UPDATE SET failures = EXCLUDED.failures, blocks = EXCLUDED.blocks,
    last_failure_at = EXCLUDED.last_failure_at, blocked_until = EXCLUDED.blocked_until;

-- name: ThrottleClear :exec
DELETE FROM signin_throttle WHERE key = $1;

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

-- name: APITokenInsert :one
INSERT INTO api_tokens (token_hash, user_id, expires_at, label) VALUES ($1, $2, $3, $4) RETURNING token_id;

-- name: APITokenGet :one
SELECT * FROM api_tokens WHERE token_hash = $1;

-- name: APITokenTouch :exec
UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1;

-- name: ThrottleLock :one
-- Returns the key's row, made if missing, locked until the transaction ends so
-- concurrent failures all count.
INSERT INTO signin_throttle (key, failures, last_failure_at) VALUES (@key, 0, @now)
ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
RETURNING *;
