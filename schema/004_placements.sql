-- Placements, providers and costs. SSDA903 episodes are the record: each is a
-- period with one legal status and one placement, keyed by child and start date
-- (DECOM) as the return keys them, so yearly returns merge. Placements, care
-- periods and legal statuses are derived from episodes.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Providers are shared by councils: one agency or home operator serves several,
-- which is what makes price comparisons across a region possible.
CREATE TABLE providers (
    provider_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text NOT NULL CHECK (name <> ''),
    ofsted_urn        text CHECK (ofsted_urn ~ '^[A-Z0-9]{6,8}$'),
    kind              text NOT NULL CHECK (kind IN ('PR0','PR1','PR2','PR3','PR4','PR5')),
    owner_la_id       integer REFERENCES local_authorities, -- the council whose own provision it is (PR1)
    postcode_district text CHECK (postcode_district ~ '^[A-Z]{1,2}[0-9][0-9A-Z]?$'),
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX providers_urn_key ON providers (ofsted_urn) WHERE ofsted_urn IS NOT NULL;
CREATE UNIQUE INDEX providers_inhouse_key ON providers (owner_la_id, lower(name)) WHERE ofsted_urn IS NULL;

CREATE TABLE episodes (
    la_id               integer NOT NULL,
    child_id            bigint NOT NULL,
    started_on          date NOT NULL,  -- DECOM
    ended_on            date,           -- DEC; null while open
    rne                 text NOT NULL CHECK (rne IN ('S','L','P','T','B','U')),
    legal_status        text NOT NULL CHECK (legal_status ~ '^[A-Z][0-9]$'),
    cin                 text NOT NULL CHECK (cin ~ '^N[1-8]$'),
    place               text NOT NULL CHECK (place ~ '^[A-Z][0-9]{1,2}$'),
    place_provider      text CHECK (place_provider ~ '^PR[0-5]$'),
    provider_id         bigint REFERENCES providers,
    urn                 text,
    rec                 text,
    reason_place_change text,
    home_postcode       text,  -- as the return gives them; pages show the district only
    placement_postcode  text,
    distance_miles      numeric(6,1) CHECK (distance_miles >= 0),
    out_of_area         boolean,
    source              text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual','ssda903','demo')),
    version             integer NOT NULL DEFAULT 1,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (la_id, child_id, started_on),
    FOREIGN KEY (la_id, child_id) REFERENCES children ON DELETE CASCADE,
    CHECK (ended_on IS NULL OR ended_on >= started_on),
    CHECK ((ended_on IS NULL) = (rec IS NULL))
);
CREATE INDEX episodes_provider_idx ON episodes (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX episodes_open_idx ON episodes (la_id, child_id) WHERE ended_on IS NULL;

-- A placement is a run of episodes in the same place with the same provider:
-- an episode starts a new placement unless it only changed the legal status.
CREATE VIEW placements AS
WITH marked AS (
    SELECT e.*,
           (e.rne <> 'L'
            OR lag(e.place) OVER w IS DISTINCT FROM e.place
            OR lag(e.provider_id) OVER w IS DISTINCT FROM e.provider_id
            OR lag(e.ended_on) OVER w IS DISTINCT FROM e.started_on) AS starts
    FROM episodes e
    WINDOW w AS (PARTITION BY e.la_id, e.child_id ORDER BY e.started_on)
), grouped AS (
    SELECT m.*, max(CASE WHEN m.starts THEN m.started_on END)
                    OVER (PARTITION BY m.la_id, m.child_id ORDER BY m.started_on) AS placement_started_on
    FROM marked m
)
SELECT g.la_id, g.child_id, g.placement_started_on AS started_on,
       (array_agg(g.ended_on ORDER BY g.started_on DESC))[1] AS ended_on,
       (array_agg(g.place ORDER BY g.started_on))[1] AS place,
       (array_agg(g.place_provider ORDER BY g.started_on))[1] AS place_provider,
       (array_agg(g.provider_id ORDER BY g.started_on))[1] AS provider_id,
       (array_agg(g.urn ORDER BY g.started_on))[1] AS urn,
       (array_agg(g.placement_postcode ORDER BY g.started_on))[1] AS placement_postcode,
       (array_agg(g.home_postcode ORDER BY g.started_on))[1] AS home_postcode,
       (array_agg(g.distance_miles ORDER BY g.started_on))[1] AS distance_miles,
       (array_agg(g.out_of_area ORDER BY g.started_on))[1] AS out_of_area,
       (array_agg(g.reason_place_change ORDER BY g.started_on DESC))[1] AS reason_place_change,
       count(*) AS episodes
FROM grouped g
GROUP BY g.la_id, g.child_id, g.placement_started_on;

-- Weekly costs of a placement, effective-dated (both ends inclusive), in pence,
-- with who pays: social care, education, health.
CREATE TABLE placement_costs (
    la_id                integer NOT NULL,
    cost_id              bigint GENERATED ALWAYS AS IDENTITY,
    child_id             bigint NOT NULL,
    placement_started_on date NOT NULL,
    effective_from       date NOT NULL,
    effective_to         date,
    weekly_pence         bigint NOT NULL CHECK (weekly_pence >= 0),
    social_care_pence    bigint NOT NULL CHECK (social_care_pence >= 0),
    education_pence      bigint NOT NULL DEFAULT 0 CHECK (education_pence >= 0),
    health_pence         bigint NOT NULL DEFAULT 0 CHECK (health_pence >= 0),
    source               text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual','census','demo')),
    version              integer NOT NULL DEFAULT 1,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (la_id, cost_id),
    -- The placement is named by the episode that starts it; correcting that
    -- episode's start date carries the costs with it, and deleting it is refused.
    FOREIGN KEY (la_id, child_id, placement_started_on) REFERENCES episodes (la_id, child_id, started_on)
        ON UPDATE CASCADE ON DELETE RESTRICT,
    CHECK (effective_to IS NULL OR effective_to >= effective_from),
    CHECK (social_care_pence + education_pence + health_pence = weekly_pence),
    EXCLUDE USING gist (la_id WITH =, child_id WITH =, placement_started_on WITH =,
                        daterange(effective_from, effective_to, '[]') WITH &&)
);
CREATE UNIQUE INDEX placement_costs_id_key ON placement_costs (cost_id);

CREATE TABLE missing_episodes (
    la_id      integer NOT NULL,
    child_id   bigint NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('M','A')), -- missing, or away without authorisation
    started_on date NOT NULL,
    ended_on   date,
    source     text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual','ssda903','demo')),
    PRIMARY KEY (la_id, child_id, kind, started_on),
    FOREIGN KEY (la_id, child_id) REFERENCES children ON DELETE CASCADE,
    CHECK (ended_on IS NULL OR ended_on >= started_on)
);

-- Looked-after reviews (SSDA903 Reviews): when, and how the child took part.
CREATE TABLE lac_reviews (
    la_id       integer NOT NULL,
    child_id    bigint NOT NULL,
    reviewed_on date NOT NULL,
    code        text NOT NULL CHECK (code ~ '^PN[0-7]$'),
    PRIMARY KEY (la_id, child_id, reviewed_on),
    FOREIGN KEY (la_id, child_id) REFERENCES children ON DELETE CASCADE
);

ALTER TABLE children ADD COLUMN uasc_ceased_on date;

-- One row per import: who, what, how far it has got, and its report.
CREATE TABLE imports (
    la_id       integer NOT NULL REFERENCES local_authorities,
    import_id   bigint GENERATED ALWAYS AS IDENTITY,
    kind        text NOT NULL CHECK (kind IN ('ssda903','cost_census')),
    user_id     bigint REFERENCES users, -- null when run from the command line
    year        integer,
    files       text[] NOT NULL,
    status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running','imported','refused','failed')),
    stage       text NOT NULL DEFAULT '',
    done        bigint NOT NULL DEFAULT 0,
    total       bigint NOT NULL DEFAULT 0,
    report      jsonb,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (la_id, import_id)
);
CREATE UNIQUE INDEX imports_id_key ON imports (import_id);
