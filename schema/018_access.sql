-- Access you can prove (issue 13, application half): role grants keep their
-- history, bearer tokens can be listed and revoked, and sign-in throttling is
-- kept per account and per source.

-- A grant is in force from valid_from until valid_to (open-ended when NULL).
-- Revoking ends a grant instead of deleting it, so "what could this person do
-- on 3 March?" stays answerable.
ALTER TABLE role_assignments
    ADD COLUMN valid_from timestamptz,
    ADD COLUMN valid_to   timestamptz,
    ADD COLUMN granted_by bigint REFERENCES users,
    ADD COLUMN revoked_by bigint REFERENCES users;
UPDATE role_assignments SET valid_from = granted_at;
ALTER TABLE role_assignments
    ALTER COLUMN valid_from SET NOT NULL,
    ALTER COLUMN valid_from SET DEFAULT now(),
    ADD CONSTRAINT role_assignments_period CHECK (valid_to IS NULL OR valid_to > valid_from);
-- One open grant of a role per scope; ended grants may repeat.
DROP INDEX role_assignments_unique;
CREATE UNIQUE INDEX role_assignments_open ON role_assignments
    (user_id, role, coalesce(la_id, 0), coalesce(rcc_id, 0)) WHERE valid_to IS NULL;
CREATE INDEX role_assignments_user_idx ON role_assignments (user_id, valid_from);

-- Tokens get a public number (so they can be listed and revoked without the
-- secret) and a revocation time; a revoked token is kept for the record.
ALTER TABLE api_tokens
    ADD COLUMN token_id   bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    ADD COLUMN label      text NOT NULL DEFAULT '',
    ADD COLUMN revoked_at timestamptz;
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Failed sign-ins, per key: 'email:<normalised email>' (known or not, so an
-- unknown address behaves exactly like a real one) and 'source:<address>'.
-- A key is blocked until blocked_until; the count restarts once a block has
-- run out, so an old lock cannot be topped up for ever.
CREATE TABLE signin_throttle (
    key             text PRIMARY KEY,
    failures        integer NOT NULL CHECK (failures >= 0),
    blocks          integer NOT NULL DEFAULT 0 CHECK (blocks >= 0),
    last_failure_at timestamptz NOT NULL,
    blocked_until   timestamptz
);
