-- TOTP secrets sealed under HEARTH_SECRET_KEY (AES-256-GCM, bound to the
-- person's id), like council_idps' client secrets: a copy of the database no
-- longer gives anyone the codes of every enrolled account. Secrets stored
-- as they were before this migration are sealed by the server when it starts
-- with the key (mfa.SealStored); until then they still check codes.
ALTER TABLE user_totp ADD COLUMN secret_sealed bytea;
ALTER TABLE user_totp ALTER COLUMN secret DROP NOT NULL;
ALTER TABLE user_totp ADD CONSTRAINT user_totp_one_secret
    CHECK ((secret IS NULL) <> (secret_sealed IS NULL));
