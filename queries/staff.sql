-- name: StaffList :many
-- Everyone who holds or held a role in the council, with the roles in force at @at there.
SELECT u.user_id, u.email, u.display_name, u.team, u.disabled_at, u.last_signin_at,
       (u.password_hash IS NOT NULL)::bool AS has_password,
       t.blocked_until,
       coalesce(array_agg(DISTINCT ra.role) FILTER (WHERE ra.valid_from <= @at::timestamptz AND (ra.valid_to IS NULL OR ra.valid_to > @at::timestamptz)), '{}')::text[] AS roles
FROM users u
JOIN role_assignments ra ON ra.user_id = u.user_id AND ra.la_id = @la_id
LEFT JOIN signin_throttle t ON t.key = 'email:' || u.email
GROUP BY u.user_id, t.blocked_until
ORDER BY u.display_name, u.email;

-- name: StaffLockedUntil :one
SELECT blocked_until FROM signin_throttle WHERE key = 'email:' || @email::text;

-- name: StaffGrantGet :one
SELECT * FROM role_assignments WHERE assignment_id = @assignment_id AND user_id = @user_id;

-- name: StaffGrantOpen :one
-- Opens a grant from @valid_from (which may lie ahead); NULL when the same
-- role is already open in that scope.
INSERT INTO role_assignments (user_id, role, la_id, valid_from, granted_by)
VALUES (@user_id, @role, sqlc.narg('la_id'), @valid_from, @granted_by)
ON CONFLICT DO NOTHING
RETURNING assignment_id;

-- name: StaffGrantEnd :execrows
-- Ends an open grant at @valid_to; the row stays as history.
UPDATE role_assignments SET valid_to = @valid_to, revoked_by = @revoked_by
WHERE assignment_id = @assignment_id AND user_id = @user_id AND valid_to IS NULL;

-- name: StaffTokenRevoke :execrows
-- Revokes one of the person's tokens; a token already revoked keeps its time.
UPDATE api_tokens SET revoked_at = coalesce(revoked_at, @at)
WHERE token_id = @token_id AND user_id = @user_id;

-- name: InvitationSupersede :exec
UPDATE invitations SET superseded_at = @at
WHERE user_id = @user_id AND purpose = @purpose AND used_at IS NULL AND superseded_at IS NULL;

-- name: InvitationInsert :one
INSERT INTO invitations (token_hash, user_id, purpose, created_by, created_at, expires_at)
VALUES (@token_hash, @user_id, @purpose, @created_by, @created_at, @expires_at)
RETURNING invitation_id;

-- name: InvitationGet :one
-- The invitation with this secret, locked until the transaction ends so two
-- tabs cannot both use it.
SELECT * FROM invitations WHERE token_hash = @token_hash FOR UPDATE;

-- name: InvitationPeek :one
SELECT * FROM invitations WHERE token_hash = @token_hash;

-- name: InvitationUse :exec
UPDATE invitations SET used_at = @at WHERE invitation_id = @invitation_id;

-- name: InvitationLatest :one
SELECT * FROM invitations WHERE user_id = @user_id ORDER BY created_at DESC, invitation_id DESC LIMIT 1;

-- name: UserSetPasswordAt :exec
UPDATE users SET password_hash = @password_hash, failed_signins = 0, locked_until = NULL WHERE user_id = @user_id;
