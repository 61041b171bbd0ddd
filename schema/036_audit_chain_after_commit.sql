-- The audit chain is linked after commit (decision 38, docs/security.md "The
-- hash chain"). Schema 017 linked each event as it was inserted, under its
-- council's advisory lock held to the end of the inserting transaction, so one
-- council's page views queued one behind another for their commits. Now:
--
--   - audit_events is written unchained and stays strictly append-only (its
--     trigger refuses every UPDATE, the chainer's too);
--   - an AFTER INSERT trigger (as the owner) puts the event's id on
--     audit_pending in the same transaction, so a committed event is always
--     either pending or linked;
--   - audit_link() (as the owner) takes each chain's lock only while it links
--     that chain's pending events, in event order, into audit_links. Page
--     views never take the lock; a per-process worker (audit.Chainer) and
--     `hearth audit verify` call it.
--
-- hearth_app may read audit_links (its councils' rows) and call audit_link(),
-- which computes every link from the events themselves: it cannot write a link
-- or touch audit_pending.
CREATE TABLE audit_links (
    chain     integer NOT NULL, -- the council; 0 for events recorded against no council
    seq       bigint  NOT NULL,
    event_id  bigint  NOT NULL UNIQUE, -- no foreign key: a removed event must show as a gap, not be refused
    prev_hash bytea   NOT NULL,
    hash      bytea   NOT NULL,
    PRIMARY KEY (chain, seq)
);

CREATE TABLE audit_pending (
    chain    integer NOT NULL,
    event_id bigint  NOT NULL,
    PRIMARY KEY (chain, event_id)
);

-- Existing links move across unchanged: the payload below is the same text, so
-- their hashes still hold.
INSERT INTO audit_links (chain, seq, event_id, prev_hash, hash)
SELECT coalesce(la_id, 0), chain_seq, event_id, prev_hash, hash FROM audit_events;

DROP TRIGGER audit_events_link ON audit_events;
DROP FUNCTION audit_events_link();
DROP INDEX audit_events_chain_idx;
DROP FUNCTION audit_event_payload(audit_events);
ALTER TABLE audit_events DROP COLUMN chain_seq, DROP COLUMN prev_hash, DROP COLUMN hash;

-- What is hashed: the link's place in its chain and every column of the event,
-- each as its length in bytes, a colon and the text (NULL as "-"), so no two
-- events read the same. internal/audit.Payload builds the same text; a test
-- checks the two agree.
CREATE FUNCTION audit_event_payload(e audit_events, seq bigint) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog AS $$
    SELECT string_agg(CASE WHEN v IS NULL THEN '-' ELSE octet_length(v)::text || ':' || v END, ';' ORDER BY n)
    FROM unnest(ARRAY[
        seq::text, e.event_id::text,
        to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.user_id::text, e.la_id::text, e.action, e.entity, e.entity_id, e.outcome, e.request_id, e.detail::text
    ]) WITH ORDINALITY AS f(v, n)
$$;

CREATE FUNCTION audit_events_pending() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public AS $$
BEGIN
    INSERT INTO public.audit_pending (chain, event_id) VALUES (coalesce(NEW.la_id, 0), NEW.event_id);
    RETURN NULL;
END $$;
CREATE TRIGGER audit_events_pending AFTER INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_pending();

-- audit_link links the pending events of the chains given (every chain when
-- NULL), at most max_events of each chain a call, and returns how many it
-- linked. wait false (the worker) skips a chain another session is linking;
-- wait true (verify) waits for it. Chains are taken in order, so waiters
-- cannot deadlock. The chain's lock is held only while it is linked, never by
-- the transactions that record events.
CREATE FUNCTION audit_link(chains integer[], max_events integer, wait boolean) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public SET timezone = 'UTC' AS $$
DECLARE
    c integer;
    ids bigint[];
    r public.audit_events;
    last record;
    s bigint;
    prev bytea;
    h bytea;
    linked bigint := 0;
BEGIN
    IF max_events IS NULL OR max_events < 1 THEN
        RAISE EXCEPTION 'audit_link: max_events must be at least 1';
    END IF;
    FOR c IN SELECT DISTINCT p.chain FROM public.audit_pending p
             WHERE chains IS NULL OR p.chain = ANY(chains) ORDER BY p.chain LOOP
        IF wait THEN
            PERFORM pg_advisory_xact_lock(7464201, c);
        ELSIF NOT pg_try_advisory_xact_lock(7464201, c) THEN
            CONTINUE;
        END IF;
        -- Read afresh under the lock: another linker may have just finished.
        ids := ARRAY(SELECT p.event_id FROM public.audit_pending p WHERE p.chain = c ORDER BY p.event_id LIMIT max_events);
        CONTINUE WHEN cardinality(ids) = 0;
        SELECT l.seq, l.hash INTO last FROM public.audit_links l WHERE l.chain = c ORDER BY l.seq DESC LIMIT 1;
        s := coalesce(last.seq, 0);
        prev := coalesce(last.hash, ''::bytea);
        FOR r IN SELECT * FROM public.audit_events e WHERE e.event_id = ANY(ids) ORDER BY e.event_id LOOP
            s := s + 1;
            h := sha256(prev || convert_to(public.audit_event_payload(r, s), 'UTF8'));
            INSERT INTO public.audit_links (chain, seq, event_id, prev_hash, hash) VALUES (c, s, r.event_id, prev, h);
            prev := h;
            linked := linked + 1;
        END LOOP;
        DELETE FROM public.audit_pending p WHERE p.chain = c AND p.event_id = ANY(ids);
    END LOOP;
    RETURN linked;
END $$;

-- audit_unlinked counts, for verify, each chain's events not yet linked (its
-- caller has just linked what it could), the first of them, and how long ago
-- the oldest was recorded, by the database's clock.
CREATE FUNCTION audit_unlinked(chains integer[]) RETURNS TABLE (chain integer, events bigint, first_event bigint, oldest_seconds double precision)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT coalesce(e.la_id, 0), count(*), min(e.event_id), extract(epoch FROM now() - min(e.at))::float8
    FROM public.audit_events e
    WHERE (chains IS NULL OR coalesce(e.la_id, 0) = ANY(chains))
      AND NOT EXISTS (SELECT 1 FROM public.audit_links l WHERE l.event_id = e.event_id)
    GROUP BY 1
$$;

-- The links and the queue are as append-only as the events: nothing may
-- change or remove a link (the owner can drop the trigger, which is why
-- verify exists); the queue is emptied only by audit_link, which runs as the
-- owner.
CREATE TRIGGER audit_links_no_change BEFORE UPDATE OR DELETE ON audit_links
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_links_no_truncate BEFORE TRUNCATE ON audit_links
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- hearth_app reads the links of the chains it may see, like the events; the
-- queue not at all. hearth_grant_app (schema 016) would grant every table in
-- full, so it is given two exceptions here; the rest of it is unchanged.
ALTER TABLE audit_links ENABLE ROW LEVEL SECURITY;
CREATE POLICY hearth_council_read ON audit_links FOR SELECT TO hearth_app
    USING (chain = ANY ((SELECT hearth_council_ids())::integer[]) OR (chain = 0 AND (SELECT hearth_all_councils())));
ALTER TABLE audit_pending ENABLE ROW LEVEL SECURITY;

CREATE OR REPLACE FUNCTION hearth_grant_app() RETURNS void LANGUAGE plpgsql
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
        CONTINUE WHEN r.relkind = 'm' OR r.relname IN ('schema_version', 'schema_gaps', 'audit_pending');
        IF r.relkind = 'v' THEN
            IF r.relname <> 'child_current_visible' THEN
                EXECUTE format('ALTER VIEW %s SET (security_invoker = true)', r.rel);
            END IF;
            EXECUTE format('GRANT SELECT ON %s TO hearth_app', r.rel);
            CONTINUE;
        END IF;
        IF r.relname = 'audit_events' THEN
            EXECUTE format('GRANT SELECT, INSERT ON %s TO hearth_app', r.rel);
        ELSIF r.relname = 'audit_links' THEN
            EXECUTE format('GRANT SELECT ON %s TO hearth_app', r.rel);
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
