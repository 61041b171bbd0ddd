-- name: TOTPGet :one
SELECT * FROM user_totp WHERE user_id = @user_id;

-- name: TOTPBegin :exec
-- A new secret replaces an unconfirmed one; a confirmed one stays until removed.
INSERT INTO user_totp (user_id, secret_sealed, created_at) VALUES (@user_id, @secret_sealed, @created_at)
ON CONFLICT (user_id) DO UPDATE SET secret = NULL, secret_sealed = EXCLUDED.secret_sealed, created_at = EXCLUDED.created_at
WHERE user_totp.confirmed_at IS NULL;

-- name: TOTPUnsealed :many
-- Secrets stored before they were sealed (schema 033).
SELECT user_id, secret::text AS secret FROM user_totp WHERE secret IS NOT NULL ORDER BY user_id;

-- name: TOTPSeal :execrows
UPDATE user_totp SET secret = NULL, secret_sealed = @secret_sealed
WHERE user_id = @user_id AND secret = @secret::text;

-- name: TOTPConfirm :exec
UPDATE user_totp SET confirmed_at = @at, last_step = @step WHERE user_id = @user_id;

-- name: TOTPStep :execrows
-- Accepts a code's time step only if later than the last one accepted.
UPDATE user_totp SET last_step = @step WHERE user_id = @user_id AND last_step < @step;

-- name: RecoveryCodesReplace :exec
DELETE FROM user_recovery_codes WHERE user_id = @user_id;

-- name: RecoveryCodeInsert :exec
INSERT INTO user_recovery_codes (user_id, code_hash) VALUES (@user_id, @code_hash);

-- name: RecoveryCodeUse :execrows
UPDATE user_recovery_codes SET used_at = @at WHERE user_id = @user_id AND code_hash = @code_hash AND used_at IS NULL;

-- name: RecoveryCodesLeft :one
SELECT count(*) FROM user_recovery_codes WHERE user_id = @user_id AND used_at IS NULL;

-- name: TOTPRequired :one
-- Whether a council the user holds a role in requires a second factor.
SELECT EXISTS (SELECT 1 FROM role_assignments ra JOIN local_authorities la USING (la_id)
    WHERE ra.user_id = @user_id AND la.require_totp AND ra.valid_to IS NULL)::bool;

-- name: CouncilRequireTOTP :exec
UPDATE local_authorities SET require_totp = @require WHERE la_id = @la_id;

-- name: ChallengeInsert :exec
INSERT INTO signin_challenges (token_hash, user_id, next, expires_at) VALUES (@token_hash, @user_id, @next, @expires_at);

-- name: ChallengeGet :one
SELECT * FROM signin_challenges WHERE token_hash = @token_hash FOR UPDATE;

-- name: ChallengeFail :exec
UPDATE signin_challenges SET failures = failures + 1 WHERE token_hash = @token_hash;

-- name: ChallengeDelete :exec
DELETE FROM signin_challenges WHERE token_hash = @token_hash;
