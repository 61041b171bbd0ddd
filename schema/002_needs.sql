-- Needs instruments are data: domains, levels and band rules belong to the
-- instrument, so councils using CANS or their own framework can load theirs.

CREATE TABLE needs_instruments (
    instrument_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL CHECK (code ~ '^[a-z0-9-]+$'),
    version     integer NOT NULL CHECK (version > 0),
    name        text NOT NULL,
    min_level   integer NOT NULL,
    max_level   integer NOT NULL CHECK (max_level > min_level),
    UNIQUE (code, version)
);

CREATE TABLE needs_domains (
    instrument_id integer NOT NULL REFERENCES needs_instruments,
    domain_code   text NOT NULL CHECK (domain_code ~ '^[a-z0-9_]+$'),
    position      integer NOT NULL,
    name          text NOT NULL,
    description   text NOT NULL DEFAULT '',
    PRIMARY KEY (instrument_id, domain_code),
    UNIQUE (instrument_id, position)
);

CREATE TABLE needs_levels (
    instrument_id integer NOT NULL REFERENCES needs_instruments,
    level         integer NOT NULL,
    label         text NOT NULL,
    guidance      text NOT NULL DEFAULT '',
    PRIMARY KEY (instrument_id, level)
);

-- Bands in order of severity (rank 1 = least). A band applies when any one of its
-- rules holds: at least min_count domains rated min_level or higher. The band
-- with no rules is the fallback.
CREATE TABLE needs_bands (
    instrument_id integer NOT NULL REFERENCES needs_instruments,
    band          text NOT NULL,
    rank          integer NOT NULL,
    label         text NOT NULL,
    PRIMARY KEY (instrument_id, band),
    UNIQUE (instrument_id, rank)
);

CREATE TABLE needs_band_rules (
    instrument_id integer NOT NULL,
    band          text NOT NULL,
    min_level     integer NOT NULL,
    min_count     integer NOT NULL CHECK (min_count > 0),
    PRIMARY KEY (instrument_id, band, min_level, min_count),
    FOREIGN KEY (instrument_id, band) REFERENCES needs_bands
);

CREATE TABLE needs_assessments (
    la_id          integer NOT NULL,
    assessment_id  bigint GENERATED ALWAYS AS IDENTITY,
    child_id       bigint NOT NULL,
    instrument_id  integer NOT NULL REFERENCES needs_instruments,
    assessed_on    date NOT NULL,
    reason         text NOT NULL CHECK (reason IN ('review','placement_change','new_to_care','other')),
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','approved','returned')),
    author_id      bigint NOT NULL REFERENCES users,
    submitted_at   timestamptz,
    approver_id    bigint REFERENCES users,
    approved_at    timestamptz,
    return_comment text NOT NULL DEFAULT '',
    supersedes     bigint,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (la_id, assessment_id),
    FOREIGN KEY (la_id, child_id) REFERENCES children ON DELETE CASCADE,
    FOREIGN KEY (la_id, supersedes) REFERENCES needs_assessments,
    CHECK (status <> 'approved' OR (approver_id IS NOT NULL AND approver_id <> author_id))
);
CREATE UNIQUE INDEX needs_assessments_id_key ON needs_assessments (assessment_id);
CREATE INDEX needs_assessments_child_idx ON needs_assessments (la_id, child_id, assessed_on DESC);

CREATE TABLE needs_ratings (
    la_id          integer NOT NULL,
    assessment_id  bigint NOT NULL,
    instrument_id  integer NOT NULL,
    domain_code    text NOT NULL,
    level          integer,
    evidence       text NOT NULL DEFAULT '',
    PRIMARY KEY (la_id, assessment_id, domain_code),
    FOREIGN KEY (la_id, assessment_id) REFERENCES needs_assessments ON DELETE CASCADE,
    FOREIGN KEY (instrument_id, domain_code) REFERENCES needs_domains,
    FOREIGN KEY (instrument_id, level) REFERENCES needs_levels
);

-- An approved assessment is a record of what was agreed: never edited.
CREATE FUNCTION needs_ratings_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM needs_assessments a
               WHERE a.la_id = OLD.la_id AND a.assessment_id = OLD.assessment_id AND a.status = 'approved') THEN
        RAISE EXCEPTION 'needs assessment % is approved and cannot be changed', OLD.assessment_id;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER needs_ratings_frozen BEFORE UPDATE OR DELETE ON needs_ratings
    FOR EACH ROW EXECUTE FUNCTION needs_ratings_frozen();

-- SDQ total difficulties (0–40), recorded over time.
CREATE TABLE sdq_readings (
    la_id     integer NOT NULL,
    child_id  bigint NOT NULL,
    taken_on  date NOT NULL,
    score     integer NOT NULL CHECK (score BETWEEN 0 AND 40),
    source    text NOT NULL DEFAULT 'manual',
    PRIMARY KEY (la_id, child_id, taken_on),
    FOREIGN KEY (la_id, child_id) REFERENCES children ON DELETE CASCADE
);

-- The default instrument (design.md §4): twelve domains rated 0–4.
WITH i AS (
    INSERT INTO needs_instruments (code, version, name, min_level, max_level)
    VALUES ('hearth-12', 1, 'Hearth needs profile (12 domains)', 0, 4)
    RETURNING instrument_id
), d AS (
    INSERT INTO needs_domains (instrument_id, domain_code, position, name, description)
    SELECT i.instrument_id, v.code, v.pos, v.name, v.descr FROM i, (VALUES
        ('emotional_health', 1, 'Emotional health', 'Mood, anxiety, trauma responses and mental health, and how well they are supported.'),
        ('healthy_attachments', 2, 'Healthy attachments', 'Ability to form trusting, secure relationships with carers and other adults.'),
        ('managing_emotions', 3, 'Managing emotions and behaviour', 'Regulating feelings; behaviour that puts the child or others at risk or breaks down placements.'),
        ('positive_relationships', 4, 'Positive relationships', 'Friendships and relationships with peers and trusted adults outside the family.'),
        ('family_contact', 5, 'Family relationships and contact', 'Relationships with parents, siblings and wider family, and how contact goes.'),
        ('identity_life_story', 6, 'Identity and life story', 'Understanding of their history, culture, faith and identity; life-story work.'),
        ('educational_progress', 7, 'Educational progress', 'Attendance, attainment and engagement with school, college or training.'),
        ('physical_health', 8, 'Physical health and development', 'Health, development, disability, health checks and treatment.'),
        ('self_care_independence', 9, 'Self-care and independence', 'Age-appropriate self-care and skills for independent living.'),
        ('keeping_safe', 10, 'Keeping safe', 'Risk outside the home: exploitation, going missing, substance misuse, offending.'),
        ('communication_learning', 11, 'Communication and learning', 'Speech, language, learning needs and SEND support.'),
        ('community_belonging', 12, 'Community, leisure and belonging', 'Interests, activities and a sense of belonging in their community.')
    ) AS v(code, pos, name, descr)
    RETURNING 1
), l AS (
    INSERT INTO needs_levels (instrument_id, level, label, guidance)
    SELECT i.instrument_id, v.level, v.label, v.guidance FROM i, (VALUES
        (0, 'Strength / no need', 'A strength, or no additional need: ordinary parenting meets it.'),
        (1, 'Low', 'Some need, met by universal services and a skilled carer.'),
        (2, 'Medium', 'Needs targeted support, e.g. a specialist service alongside the placement.'),
        (3, 'High', 'Needs specialist support most of the time; the need shapes the placement.'),
        (4, 'Severe / complex', 'Needs intensive, often therapeutic or round-the-clock support.')
    ) AS v(level, label, guidance)
    RETURNING 1
), b AS (
    INSERT INTO needs_bands (instrument_id, band, rank, label)
    SELECT i.instrument_id, v.band, v.rank, v.label FROM i, (VALUES
        ('low', 1, 'Low'), ('medium', 2, 'Medium'), ('high', 3, 'High'), ('complex', 4, 'Complex')
    ) AS v(band, rank, label)
    RETURNING instrument_id
)
INSERT INTO needs_band_rules (instrument_id, band, min_level, min_count)
SELECT DISTINCT b.instrument_id, v.band, v.min_level, v.min_count FROM b, (VALUES
    ('complex', 4, 1), ('complex', 3, 3), ('high', 3, 1), ('medium', 2, 1)
) AS v(band, min_level, min_count);
