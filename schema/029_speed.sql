-- Speed under load (issue 19).

-- Statistics for named tables, for an import to call part-way through its own
-- transaction. After a council's children are deleted (or in a fresh
-- database) autovacuum records the tables as empty; the import's foreign-key
-- checks were then planned as a walk of a whole council and the import ran at
-- 0.31 of COPY's speed. ANALYZE inside the importing transaction samples the
-- rows it has just inserted, so the checks that follow are planned on them.
-- hearth_analyze() (schema 024) does every table, which at national scale
-- takes seconds; this does only the tables asked for, and only public ones.
CREATE FUNCTION hearth_analyze_tables(tables text[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'm')
               AND c.relname = ANY (tables) LOOP
        EXECUTE format('ANALYZE %s', r.rel);
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION hearth_analyze_tables(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hearth_analyze_tables(text[]) TO hearth_app;
