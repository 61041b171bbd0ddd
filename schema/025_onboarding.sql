-- A council can go live (issue 16): staff are invited by a link that sets their
-- password, and a forgotten password is reset the same way.
--
-- Only a hash of the link's secret is kept, so a copy of the database lets
-- nobody in. A link works once (used_at) and until expires_at; issuing a new
-- link for the same person and purpose ends the old one (superseded_at), so at
-- most one is live. Rows stay as the record of who was invited by whom.
CREATE TABLE invitations (
    invitation_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash    bytea NOT NULL UNIQUE,
    user_id       bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    purpose       text NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_by    bigint REFERENCES users,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    superseded_at timestamptz,
    CHECK (expires_at > created_at)
);
CREATE INDEX invitations_user_idx ON invitations (user_id);

-- Single sign-on: one OpenID Connect issuer per council (its Entra ID tenant),
-- set by a system administrator. The client secret is sealed with AES-256-GCM
-- under HEARTH_SECRET_KEY, which lives in the server's environment and never
-- in the database, so a copy of the database (a backup, a replica) does not
-- give anyone the council's client secret. Under row-level security like any
-- council table: sign-in reads it scoped to the council it is signing in to.
CREATE TABLE council_idps (
    la_id          integer PRIMARY KEY REFERENCES local_authorities,
    issuer         text NOT NULL CHECK (issuer ~ '^https?://[^ ]+$'),
    client_id      text NOT NULL CHECK (client_id <> ''),
    secret_sealed  bytea NOT NULL,
    updated_at     timestamptz NOT NULL,
    updated_by     bigint REFERENCES users
);

-- A second factor for local accounts: TOTP (RFC 6238). The secret is made at
-- enrolment and counts only once confirmed with a code from the person's app.
-- last_step is the last time step accepted, so a code cannot be used twice.
CREATE TABLE user_totp (
    user_id      bigint PRIMARY KEY REFERENCES users ON DELETE CASCADE,
    secret       text NOT NULL,
    created_at   timestamptz NOT NULL,
    confirmed_at timestamptz,
    last_step    bigint NOT NULL DEFAULT 0
);
-- Recovery codes: only a hash, each used once.
CREATE TABLE user_recovery_codes (
    user_id   bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);
-- A password accepted and a second factor awaited: the browser holds the
-- secret in a cookie; five wrong codes and it is spent.
CREATE TABLE signin_challenges (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    next       text NOT NULL DEFAULT '/',
    expires_at timestamptz NOT NULL,
    failures   integer NOT NULL DEFAULT 0
);
-- A council may require a second factor of its staff with local accounts.
ALTER TABLE local_authorities ADD COLUMN require_totp boolean NOT NULL DEFAULT false;
