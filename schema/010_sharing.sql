-- What a council shares with its regional care cooperative, and the key it
-- pseudonymises its children with. Nothing of a council reaches the RCC
-- without an agreement in force; ending one stops sharing at once.
CREATE TABLE sharing_agreements (
    la_id              integer NOT NULL REFERENCES local_authorities,
    agreement_id       bigint GENERATED ALWAYS AS IDENTITY,
    rcc_id             integer NOT NULL REFERENCES regional_cooperatives,
    shares_needs       boolean NOT NULL,
    shares_placements  boolean NOT NULL,
    shares_proceedings boolean NOT NULL,
    starts_on          date NOT NULL,
    ends_on            date,
    signed_by          bigint REFERENCES users,
    signed_at          timestamptz NOT NULL DEFAULT now(),
    ended_by           bigint REFERENCES users,
    reviewed_at        timestamptz,
    PRIMARY KEY (la_id, agreement_id),
    CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CHECK (shares_needs OR shares_placements OR shares_proceedings),
    EXCLUDE USING gist (la_id WITH =, rcc_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
);

-- Each council's pseudonym key never leaves the council's side of Hearth.
CREATE TABLE council_keys (
    la_id      integer PRIMARY KEY REFERENCES local_authorities,
    secret     bytea NOT NULL CHECK (octet_length(secret) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
