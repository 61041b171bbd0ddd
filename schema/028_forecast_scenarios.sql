-- Forecast scenarios (issue 21): named changes on Hearth's levers, saved by a
-- council's commissioners and analysts and shared within the council. The
-- parameters are the forecast.Scenario fields as JSON; the figures are worked
-- out afresh from the council's data whenever the scenario is shown, so a
-- saved scenario never goes stale. hearth_grant_app() gives hearth_app its
-- grants and turns on the council policy (the table has la_id), as for every
-- council table.
CREATE TABLE forecast_scenarios (
    la_id       integer NOT NULL REFERENCES local_authorities,
    scenario_id bigint GENERATED ALWAYS AS IDENTITY,
    name        text NOT NULL CHECK (name <> '' AND length(name) <= 100),
    params      jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
    created_by  bigint REFERENCES users,
    updated_by  bigint REFERENCES users,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (la_id, scenario_id)
);
CREATE UNIQUE INDEX forecast_scenarios_name_key ON forecast_scenarios (la_id, lower(name));
