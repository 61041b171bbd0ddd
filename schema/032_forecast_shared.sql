-- Regional forecasts (issue 21): what a council shares with its regional care
-- cooperative for the regional demand model. Shared data holds snapshots, not
-- episode histories, so each council works out its forecast inputs inside its
-- own scope (row-level security limited to that council) and publishes only
-- aggregates: the demand model's sufficient statistics over one reference
-- window (days at risk and moves per age band and category, entrants by kind,
-- year of age and category, the stock on the as-of date by month of age and
-- category) and its stock by category and age band as disclosure-control
-- counts (n and cell key). No child, episode or date of birth is stored.
--
-- A row belongs to the agreement it was shared under: readers join the
-- agreements in force, so ending an agreement takes the council out of every
-- regional forecast at once, before its rows are tidied away. The table has
-- la_id, so hearth_grant_app() gives hearth_app its grants and the council
-- policy, as for every council table: an RCC analyst's requests reach only
-- the RCC's member councils (authz.Reach).
CREATE TABLE forecast_shared_inputs (
    la_id         integer NOT NULL REFERENCES local_authorities,
    agreement_id  bigint NOT NULL,
    rcc_id        integer NOT NULL REFERENCES regional_cooperatives,
    as_of         date NOT NULL,
    window_from   date NOT NULL CHECK (window_from < as_of),
    children      integer NOT NULL CHECK (children >= 0),
    stats         jsonb NOT NULL CHECK (jsonb_typeof(stats) = 'object'),
    stock         jsonb NOT NULL CHECK (jsonb_typeof(stock) = 'array'),
    computed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rcc_id, la_id, as_of, window_from),
    FOREIGN KEY (la_id, agreement_id) REFERENCES sharing_agreements (la_id, agreement_id) ON DELETE CASCADE
);
