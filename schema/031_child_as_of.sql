-- Past as-of dates as fast as today (issue 19). Today's figures read the view
-- child_current; any other date read the tables (774 ms nationally against
-- 169 ms). child_as_of keeps, per council and date, the same facts the view
-- holds for today, for the month-ends of the last two years (built by the
-- same refresher as the view) and for any past date someone asked for in the
-- last week. A date is used only while no write since it was built could have
-- changed it:
--   - every write to what the figures read (children, care periods, episodes,
--     placements, costs, assessments) marks stale, in the writing
--     transaction, each built date of that council on or after the earliest
--     date the written rows speak of (a correction dated in March makes March
--     onwards stale, not January);
--   - a build takes the council's advisory lock exclusively (try-lock, so no
--     writer ever queues behind it), which waits for no one and fails while a
--     writer of the council is uncommitted: writers take it shared until they
--     commit. So a build reads only committed writes, and a write committed
--     after the build marks the built date stale again.
-- Readers check every council's date is built, not stale and for the same
-- instrument; otherwise they read the tables, so figures are never stale,
-- only slower until the next refresh.
CREATE TABLE child_as_of_dates (
    la_id         integer NOT NULL REFERENCES local_authorities,
    as_of         date NOT NULL,
    instrument_id integer NOT NULL,
    built         boolean NOT NULL DEFAULT false, -- rows are present for this instrument
    stale         boolean NOT NULL DEFAULT true,  -- a write may have changed the figures since
    built_at      timestamptz,
    wanted_at     timestamptz NOT NULL DEFAULT now(), -- last asked for (dates other than month-ends expire)
    n             integer NOT NULL DEFAULT 0,
    PRIMARY KEY (la_id, as_of)
);

CREATE TABLE child_as_of (
    la_id          integer NOT NULL,
    as_of          date NOT NULL,
    child_id       bigint NOT NULL,
    age            integer NOT NULL,
    birth_ym       integer NOT NULL,
    care_days      integer NOT NULL,
    uasc           boolean NOT NULL,
    ehc_plan       boolean NOT NULL,
    place          text NOT NULL,
    place_provider text NOT NULL,
    provider_id    bigint NOT NULL,
    legal_status   text NOT NULL,
    out_of_area    boolean NOT NULL,
    distance_miles float8 NOT NULL,
    weekly_pence   bigint NOT NULL,
    assessment_id  bigint NOT NULL,
    assessed_days  integer NOT NULL,
    levels         text NOT NULL,
    -- No foreign key to child_as_of_dates: checking it cost a lookup per row
    -- of every build (100,000 nationally); builds and expiry delete the rows.
    PRIMARY KEY (la_id, as_of, child_id)
);

-- child_as_of_lock is the advisory lock key of a council's snapshot dates
-- (class 31, after this file).
CREATE FUNCTION child_as_of_lock(la integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT (31::bigint << 32) | la::bigint
$$;

-- child_as_of_written marks stale the dates a statement's rows may change.
-- TG_ARGV[0] names the rows' date column (the first day they can affect), or
-- is '-' for children, whose birth date, status or council may change any
-- day (other changes to a child, a name say, change no figure); TG_ARGV[1],
-- when given, says which rows count (assessments: approved ones). It runs as
-- the owner so a writer's council scope cannot hide a date from it. One run
-- per statement (transition tables): an import's COPY costs one update per
-- council, not one per row.
CREATE FUNCTION child_as_of_written() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public AS $$
DECLARE
    col text := TG_ARGV[0];
    cond text := TG_ARGV[1];
    r record;
    q text;
BEGIN
    IF col = '-' THEN
        q := CASE TG_OP
            WHEN 'DELETE' THEN 'SELECT la_id, ''-infinity''::date AS since FROM old_rows GROUP BY la_id'
            ELSE 'SELECT v.la AS la_id, ''-infinity''::date AS since FROM old_rows o JOIN new_rows n USING (child_id),
                  LATERAL (VALUES (o.la_id), (n.la_id)) v(la)
                  WHERE (o.la_id, o.date_of_birth, o.uasc, o.ehc_plan) IS DISTINCT FROM (n.la_id, n.date_of_birth, n.uasc, n.ehc_plan)
                  GROUP BY v.la' END;
    ELSE
        q := 'SELECT la_id, min(' || quote_ident(col) || ')::date AS since FROM %s WHERE ' || cond || ' GROUP BY la_id';
        q := CASE TG_OP
            WHEN 'INSERT' THEN format(q, 'new_rows')
            WHEN 'DELETE' THEN format(q, 'old_rows')
            ELSE 'SELECT la_id, min(since) AS since FROM (' || format(q, 'old_rows') || ' UNION ALL '
                 || format(q, 'new_rows') || ') u GROUP BY la_id'
        END;
    END IF;
    FOR r IN EXECUTE q LOOP
        PERFORM pg_advisory_xact_lock_shared(child_as_of_lock(r.la_id));
        UPDATE child_as_of_dates SET stale = true
        WHERE la_id = r.la_id AND as_of >= coalesce(r.since, '-infinity'::date) AND NOT stale;
    END LOOP;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('children', '-', 'true'), ('care_periods', 'started_on', 'true'), ('episodes', 'started_on', 'true'),
                                   ('placement_costs', 'effective_from', 'true'),
                                   ('needs_assessments', 'assessed_on', 'status = ''approved''')) v(tab, col, cond) LOOP
        -- A new child has no care period yet: nothing to mark.
        IF t.tab <> 'children' THEN
            EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                            FOR EACH STATEMENT EXECUTE FUNCTION child_as_of_written(%L, %L)', t.tab || '_as_of_ins', t.tab, t.col, t.cond);
        END IF;
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION child_as_of_written(%L, %L)', t.tab || '_as_of_upd', t.tab, t.col, t.cond);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION child_as_of_written(%L, %L)', t.tab || '_as_of_del', t.tab, t.col, t.cond);
    END LOOP;
END
$$;
