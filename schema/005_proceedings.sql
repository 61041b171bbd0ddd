-- Care proceedings: the case, the children in it (siblings share one case),
-- hearings and expert assessments; and each council's effective-dated
-- parameters for the cost of delay (docs/delay-model.md).

CREATE TABLE proceedings (
    la_id              integer NOT NULL REFERENCES local_authorities,
    proceeding_id      bigint GENERATED ALWAYS AS IDENTITY,
    case_number        text NOT NULL CHECK (case_number ~ '^[A-Za-z0-9/ -]{3,30}$'),
    court              text NOT NULL CHECK (court <> ''),
    pre_proceedings_on date,
    issued_on          date NOT NULL,
    concluded_on       date,
    final_order        text CHECK (final_order IN ('care','supervision','sgo','placement','child_arrangements','no_order','withdrawn')),
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (la_id, proceeding_id),
    UNIQUE (la_id, case_number),
    CHECK (concluded_on IS NULL OR concluded_on >= issued_on),
    CHECK (pre_proceedings_on IS NULL OR pre_proceedings_on <= issued_on),
    CHECK ((final_order IS NULL) = (concluded_on IS NULL))
);
CREATE UNIQUE INDEX proceedings_id_key ON proceedings (proceeding_id);

CREATE TABLE proceeding_children (
    la_id         integer NOT NULL,
    proceeding_id bigint NOT NULL,
    child_id      bigint NOT NULL,
    PRIMARY KEY (la_id, proceeding_id, child_id),
    FOREIGN KEY (la_id, proceeding_id) REFERENCES proceedings ON DELETE CASCADE,
    FOREIGN KEY (la_id, child_id) REFERENCES children ON DELETE CASCADE
);
CREATE INDEX proceeding_children_child_idx ON proceeding_children (la_id, child_id);

CREATE TABLE hearings (
    la_id         integer NOT NULL,
    hearing_id    bigint GENERATED ALWAYS AS IDENTITY,
    proceeding_id bigint NOT NULL,
    held_on       date NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('cmh','fcmh','irh','final','other')),
    outcome       text NOT NULL CHECK (outcome IN ('effective','adjourned','vacated')),
    reason        text NOT NULL DEFAULT '',
    PRIMARY KEY (la_id, hearing_id),
    FOREIGN KEY (la_id, proceeding_id) REFERENCES proceedings ON DELETE CASCADE
);
CREATE INDEX hearings_proceeding_idx ON hearings (la_id, proceeding_id, held_on);

CREATE TABLE expert_assessments (
    la_id           integer NOT NULL,
    expert_id       bigint GENERATED ALWAYS AS IDENTITY,
    proceeding_id   bigint NOT NULL,
    kind            text NOT NULL CHECK (kind <> ''),
    commissioned_on date NOT NULL,
    delivered_on    date,
    cost_pence      bigint NOT NULL CHECK (cost_pence >= 0),
    PRIMARY KEY (la_id, expert_id),
    FOREIGN KEY (la_id, proceeding_id) REFERENCES proceedings ON DELETE CASCADE,
    CHECK (delivered_on IS NULL OR delivered_on >= commissioned_on)
);

-- A council's cost-of-delay parameters, effective-dated (both ends inclusive).
-- Without a row for a date, the national defaults in docs/delay-model.md apply.
CREATE TABLE delay_parameters (
    la_id                    integer NOT NULL REFERENCES local_authorities,
    parameter_id             bigint GENERATED ALWAYS AS IDENTITY,
    effective_from           date NOT NULL,
    effective_to             date,
    target_weeks             integer NOT NULL CHECK (target_weeks BETWEEN 1 AND 104),
    standard_hearings        numeric(4,1) NOT NULL CHECK (standard_hearings >= 0),
    legal_pence_per_hearing  bigint NOT NULL CHECK (legal_pence_per_hearing >= 0),
    sw_hours_per_week        numeric(5,2) NOT NULL CHECK (sw_hours_per_week >= 0),
    sw_pence_per_hour        bigint NOT NULL CHECK (sw_pence_per_hour >= 0),
    contact_hours_per_week   numeric(5,2) NOT NULL CHECK (contact_hours_per_week >= 0),
    contact_pence_per_hour   bigint NOT NULL CHECK (contact_pence_per_hour >= 0),
    placement_pence_per_week bigint NOT NULL CHECK (placement_pence_per_week >= 0), -- when a child's own cost is not known
    version                  integer NOT NULL DEFAULT 1,
    PRIMARY KEY (la_id, parameter_id),
    CHECK (effective_to IS NULL OR effective_to >= effective_from),
    EXCLUDE USING gist (la_id WITH =, daterange(effective_from, effective_to, '[]') WITH &&)
);
