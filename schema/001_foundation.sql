-- Foundation: tenancy, people, children, caseloads, sessions and the audit trail.
-- Every tenant-owned table carries la_id in its primary key so the schema can be
-- distributed by council on Citus without redesign (docs/scaling.md).

-- Councils, identified by the DfE three-digit LA code; the ONS code is what users type.
CREATE TABLE local_authorities (
    la_id       integer PRIMARY KEY CHECK (la_id BETWEEN 100 AND 999),
    ons_code    text NOT NULL UNIQUE CHECK (ons_code ~ '^E[0-9]{8}$'),
    name        text NOT NULL CHECK (name <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE regional_cooperatives (
    rcc_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]+$'),
    name        text NOT NULL CHECK (name <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rcc_memberships (
    rcc_id      integer NOT NULL REFERENCES regional_cooperatives,
    la_id       integer NOT NULL REFERENCES local_authorities,
    valid_from  date NOT NULL,
    valid_to    date,
    PRIMARY KEY (rcc_id, la_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);

-- Users are people, not tenants: one person may hold roles in several councils.
CREATE TABLE users (
    user_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    display_name    text NOT NULL CHECK (display_name <> ''),
    password_hash   text,
    team            text NOT NULL DEFAULT '',
    disabled_at     timestamptz,
    failed_signins  integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    last_signin_at  timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- A role is held in exactly one scope: a council, an RCC, or the whole system.
CREATE TABLE role_assignments (
    assignment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('social_worker','team_manager','commissioner','court_officer',
                                              'la_analyst','la_admin','rcc_analyst','system_admin','auditor')),
    la_id       integer REFERENCES local_authorities,
    rcc_id      integer REFERENCES regional_cooperatives,
    granted_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(la_id, rcc_id) <= 1),
    -- The scope must fit the role: RCC roles in an RCC, system_admin system-wide.
    CHECK (CASE role
             WHEN 'rcc_analyst' THEN rcc_id IS NOT NULL
             WHEN 'system_admin' THEN la_id IS NULL AND rcc_id IS NULL
             WHEN 'auditor' THEN rcc_id IS NULL
             ELSE la_id IS NOT NULL END)
);
CREATE UNIQUE INDEX role_assignments_unique ON role_assignments
    (user_id, role, coalesce(la_id, 0), coalesce(rcc_id, 0));

-- Notify running servers that grants changed, so casbin reloads at once.
CREATE FUNCTION notify_grants_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hearth_grants', '');
    RETURN NULL;
END $$;
CREATE TRIGGER role_assignments_notify AFTER INSERT OR UPDATE OR DELETE ON role_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION notify_grants_changed();

CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    token_hash   bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz
);

-- Children: the council's own reference is SSDA903 CHILD.
CREATE TABLE children (
    la_id          integer NOT NULL REFERENCES local_authorities,
    child_id       bigint GENERATED ALWAYS AS IDENTITY,
    child_ref      text NOT NULL CHECK (child_ref ~ '^[A-Za-z0-9_-]{1,20}$'),
    given_name     text NOT NULL DEFAULT '',
    family_name    text NOT NULL DEFAULT '',
    date_of_birth  date NOT NULL,
    sex            text NOT NULL CHECK (sex IN ('M','F','U')),
    ethnicity      text NOT NULL,
    upn            text,
    uasc           boolean NOT NULL DEFAULT false,
    ehc_plan       boolean NOT NULL DEFAULT false,
    disability     boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    version        integer NOT NULL DEFAULT 1,
    PRIMARY KEY (la_id, child_id),
    UNIQUE (la_id, child_ref)
);
CREATE UNIQUE INDEX children_id_key ON children (child_id);
CREATE INDEX children_name_idx ON children (la_id, lower(family_name), lower(given_name));

CREATE TABLE care_periods (
    la_id       integer NOT NULL,
    child_id    bigint NOT NULL,
    started_on  date NOT NULL,
    ended_on    date,
    PRIMARY KEY (la_id, child_id, started_on),
    FOREIGN KEY (la_id, child_id) REFERENCES children ON DELETE CASCADE,
    CHECK (ended_on IS NULL OR ended_on >= started_on)
);

CREATE TABLE legal_statuses (
    la_id       integer NOT NULL,
    child_id    bigint NOT NULL,
    started_on  date NOT NULL,
    ended_on    date,
    code        text NOT NULL,
    PRIMARY KEY (la_id, child_id, started_on),
    FOREIGN KEY (la_id, child_id) REFERENCES children ON DELETE CASCADE,
    CHECK (ended_on IS NULL OR ended_on >= started_on)
);

-- The caseload: which social worker holds which child, over time.
CREATE TABLE allocations (
    la_id       integer NOT NULL,
    child_id    bigint NOT NULL,
    user_id     bigint NOT NULL REFERENCES users,
    valid_from  date NOT NULL,
    valid_to    date,
    PRIMARY KEY (la_id, child_id, user_id, valid_from),
    FOREIGN KEY (la_id, child_id) REFERENCES children ON DELETE CASCADE,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX allocations_user_idx ON allocations (user_id, la_id) WHERE valid_to IS NULL;

-- The audit trail. The application role may only insert and read (see docs/security.md).
CREATE TABLE audit_events (
    event_id    bigint GENERATED ALWAYS AS IDENTITY,
    at          timestamptz NOT NULL DEFAULT now(),
    user_id     bigint,
    la_id       integer,
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL DEFAULT '',
    outcome     text NOT NULL DEFAULT 'ok' CHECK (outcome IN ('ok','denied','not_found','failed')),
    request_id  text NOT NULL DEFAULT '',
    detail      jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (event_id)
);
CREATE INDEX audit_events_at_idx ON audit_events (at DESC);
CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id);
CREATE INDEX audit_events_user_idx ON audit_events (user_id, at DESC);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
