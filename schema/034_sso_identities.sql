-- Who an account is at its council's identity provider: the issuer and the
-- person's stable id there (Entra ID's oid, else the token's sub). The first
-- sign-in matches by verified email and binds; every later sign-in must come
-- with the same id. An email address the council hands to someone else (a
-- leaver's address reused for a new starter) then finds the old account bound
-- to another person and is refused, instead of opening it. Under the council
-- policy like every la_id table (hearth_grant_app).
CREATE TABLE user_identities (
    la_id      integer NOT NULL REFERENCES local_authorities,
    issuer     text NOT NULL,
    subject    text NOT NULL CHECK (subject <> ''),
    user_id    bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    PRIMARY KEY (la_id, issuer, subject),
    UNIQUE (la_id, issuer, user_id)
);
