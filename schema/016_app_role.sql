-- Two database roles (docs/security.md, "Database roles"). Every migration runs
-- as the owner, which owns every table. The server connects as hearth_app: not a
-- superuser, owns nothing, and holds only what hearth_grant_app() below gives
-- it. On managed PostgreSQL the role is made beforehand with a password
-- (docs/deployment.md); elsewhere this makes it, and the private cluster and the
-- test clusters give it a password.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hearth_app') THEN
        CREATE ROLE hearth_app NOLOGIN;
    END IF;
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO hearth_app', current_database());
END $$;
GRANT USAGE ON SCHEMA public TO hearth_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The councils whose rows this session may see: hearth.la_ids is set on every
-- connection as it leaves the pool (internal/postgres), '' (none) unless the
-- request or job said otherwise, '*' for a system-wide role. Row-level security
-- policies read it through an InitPlan ((SELECT hearth_council_ids())::integer[]), so it is
-- parsed once per query, not once per row.
CREATE FUNCTION hearth_council_ids() RETURNS integer[] LANGUAGE sql STABLE
    SET search_path = pg_catalog, public AS $$
    SELECT CASE coalesce(current_setting('hearth.la_ids', true), '')
        WHEN '' THEN '{}'::integer[]
        WHEN '*' THEN (SELECT coalesce(array_agg(la_id), '{}') FROM public.local_authorities)
        ELSE string_to_array(current_setting('hearth.la_ids', true), ',')::integer[]
    END
$$;

-- Whether the session may see events recorded against no council (sign-ins,
-- system changes): only a system-wide role.
CREATE FUNCTION hearth_all_councils() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('hearth.la_ids', true), '') = '*'
$$;

-- The audit trail: the server may add an event for any council (a refused look
-- at another council's child is recorded against that council, so its auditor
-- sees it) but reads only the events of the councils it may see.
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY hearth_council_read ON audit_events FOR SELECT TO hearth_app
    USING (la_id = ANY ((SELECT hearth_council_ids())::integer[]) OR (la_id IS NULL AND (SELECT hearth_all_councils())));
CREATE POLICY hearth_append ON audit_events FOR INSERT TO hearth_app WITH CHECK (true);

-- Which council holds a child: for authorising a write and for recording a
-- refused look against the owning council. Only the council's code leaves, so
-- it runs as the owner, past row-level security.
CREATE FUNCTION child_council(child_id bigint) RETURNS SETOF integer LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public AS $$
    SELECT c.la_id FROM public.children c WHERE c.child_id = $1
$$;

-- child_current is a materialized view, which row-level security cannot cover,
-- so hearth_app is given none of it. It reads this view instead, which runs as
-- its owner and keeps only the councils the session may see (security_barrier:
-- no function of the caller's sees a row before the filter).
CREATE VIEW child_current_visible WITH (security_barrier) AS
    SELECT * FROM child_current WHERE la_id = ANY ((SELECT hearth_council_ids())::integer[]);

-- Refreshing a materialized view needs its owner. as_of is the application's
-- date (its clock, not the database's), recorded beside the view in the same
-- transaction.
CREATE FUNCTION child_current_refresh(as_of date) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public SET timezone = 'UTC' AS $$
BEGIN
    -- The last change the view includes (schema 015): readers use the view
    -- only while nothing newer has been committed.
    UPDATE public.child_current_refreshed SET refreshed_at = now(), as_of = child_current_refresh.as_of,
        changes = coalesce(pg_sequence_last_value('public.child_current_changes'::regclass), 0);
    REFRESH MATERIALIZED VIEW CONCURRENTLY public.child_current;
END $$;

-- hearth_grant_app gives hearth_app its privileges on every table and view, and
-- row-level security to every council table. internal/postgres.Migrate runs it
-- after every migration, so a table added later gets the same rule without
-- anyone remembering (TestAppPrivileges checks the result):
--   - tables: SELECT, INSERT, UPDATE, DELETE; never TRUNCATE, REFERENCES, TRIGGER;
--   - audit_events: SELECT, INSERT only;
--   - schema_version and schema_gaps (the migrator's) and materialized views: nothing;
--   - views: SELECT, run as the caller (security_invoker) so the tables' row-level
--     security holds, except child_current_visible, which filters itself;
--   - every table with la_id: row-level security, the council policy below,
--     except the directory tables, which say who holds which role where and are
--     read before anyone has signed in (local_authorities, rcc_memberships,
--     role_assignments);
--   - sequences: USAGE, and UPDATE for bulk loads that bring their own IDs and
--     then move the sequence on (setval), except audit_events' (USAGE only);
--   - security-definer functions: EXECUTE for hearth_app only.
CREATE FUNCTION hearth_grant_app() RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, public AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS rel, c.relname, c.relkind, c.relrowsecurity,
                    EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'la_id' AND NOT a.attisdropped) AS has_la
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
    LOOP
        EXECUTE format('REVOKE ALL ON %s FROM hearth_app', r.rel);
        CONTINUE WHEN r.relkind = 'm' OR r.relname IN ('schema_version', 'schema_gaps');
        IF r.relkind = 'v' THEN
            IF r.relname <> 'child_current_visible' THEN
                EXECUTE format('ALTER VIEW %s SET (security_invoker = true)', r.rel);
            END IF;
            EXECUTE format('GRANT SELECT ON %s TO hearth_app', r.rel);
            CONTINUE;
        END IF;
        IF r.relname = 'audit_events' THEN
            EXECUTE format('GRANT SELECT, INSERT ON %s TO hearth_app', r.rel);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO hearth_app', r.rel);
        END IF;
        IF r.has_la AND NOT r.relrowsecurity
           AND r.relname NOT IN ('local_authorities', 'rcc_memberships', 'role_assignments') THEN
            EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', r.rel);
            EXECUTE format('CREATE POLICY hearth_council ON %s TO hearth_app USING (la_id = ANY ((SELECT hearth_council_ids())::integer[]))', r.rel);
        END IF;
    END LOOP;
    GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO hearth_app;
    EXECUTE format('REVOKE UPDATE ON SEQUENCE %s FROM hearth_app', pg_get_serial_sequence('public.audit_events', 'event_id'));
    FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.prosecdef
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', r.fn);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO hearth_app', r.fn);
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION hearth_grant_app() FROM PUBLIC;

-- No ALTER DEFAULT PRIVILEGES: a table made outside Migrate would reach
-- hearth_app before it had row-level security. Until the next migrate runs the
-- step above, hearth_app cannot touch it at all.
