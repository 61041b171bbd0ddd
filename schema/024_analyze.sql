-- Statistics after bulk loads. hearth_app owns no table, so its ANALYZE skips
-- every one ("only table or database owner can analyze it"), and a freshly
-- loaded council kept the statistics of an empty one: the planner then chose
-- nested loops over whole councils (a 600-child cohort took 30 s instead of
-- 50 ms). This function, the owner's, refreshes the statistics of the public
-- tables; the demo loader and imports call it after loading.
CREATE FUNCTION hearth_analyze() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'm') LOOP
        EXECUTE format('ANALYZE %s', r.rel);
    END LOOP;
END $$;
