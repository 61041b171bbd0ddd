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
