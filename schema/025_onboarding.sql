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
