-- A tamper-evident audit trail (docs/security.md, "The hash chain"). Each
-- council's events form one chain, and events recorded against no council form
-- another: an event's hash is SHA-256 of the previous event's hash and the
-- event itself (audit_event_payload), and chain_seq numbers the chain 1, 2, 3 …
-- without gaps. Changing, removing or inserting an event breaks the chain from
-- there on, which `hearth audit verify` finds by recomputing it in Go.
ALTER TABLE audit_events
    ADD COLUMN chain_seq bigint,
    ADD COLUMN prev_hash bytea,
    ADD COLUMN hash      bytea;

-- What is hashed: every column, each as its length in bytes, a colon and the
-- text (NULL as "-"), so no two events read the same. internal/audit.Payload
-- builds the same text; a test checks the two agree.
CREATE FUNCTION audit_event_payload(e audit_events) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog AS $$
    SELECT string_agg(CASE WHEN v IS NULL THEN '-' ELSE octet_length(v)::text || ':' || v END, ';' ORDER BY n)
    FROM unnest(ARRAY[
        e.chain_seq::text, e.event_id::text,
        to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.user_id::text, e.la_id::text, e.action, e.entity, e.entity_id, e.outcome, e.request_id, e.detail::text
    ]) WITH ORDINALITY AS f(v, n)
$$;

-- Links an event to the end of its council's chain. The advisory lock (one per
-- chain, held to the end of the inserting transaction) puts concurrent inserts
-- of a council in a line; each then reads the end of the chain afresh (READ
-- COMMITTED: every statement here takes a new snapshot). It runs as the owner so
-- that it reads the whole chain, past row-level security, and whatever the
-- inserter wrote into these columns is overwritten.
CREATE FUNCTION audit_events_link() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public AS $$
DECLARE
    last record;
BEGIN
    PERFORM pg_advisory_xact_lock(7464201, coalesce(NEW.la_id, 0));
    SELECT e.chain_seq, e.hash INTO last FROM public.audit_events e
    WHERE coalesce(e.la_id, 0) = coalesce(NEW.la_id, 0)
    ORDER BY coalesce(e.la_id, 0) DESC, e.chain_seq DESC LIMIT 1;
    NEW.chain_seq := coalesce(last.chain_seq, 0) + 1;
    NEW.prev_hash := coalesce(last.hash, ''::bytea);
    NEW.hash := sha256(NEW.prev_hash || convert_to(audit_event_payload(NEW), 'UTF8'));
    RETURN NEW;
END $$;

-- Events already recorded are linked in the order they were written.
DO $$
DECLARE
    r audit_events;
    prev bytea;
    seq bigint;
    chain integer;
BEGIN
    ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change;
    FOR r IN SELECT * FROM audit_events ORDER BY coalesce(la_id, 0), event_id LOOP
        IF chain IS DISTINCT FROM coalesce(r.la_id, 0) THEN
            chain := coalesce(r.la_id, 0);
            prev := ''::bytea;
            seq := 0;
        END IF;
        seq := seq + 1;
        r.chain_seq := seq;
        r.prev_hash := prev;
        r.hash := sha256(prev || convert_to(audit_event_payload(r), 'UTF8'));
        UPDATE audit_events SET chain_seq = r.chain_seq, prev_hash = r.prev_hash, hash = r.hash WHERE event_id = r.event_id;
        prev := r.hash;
    END LOOP;
    ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change;
END $$;

ALTER TABLE audit_events
    ALTER COLUMN chain_seq SET NOT NULL,
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_events_chain_idx ON audit_events ((coalesce(la_id, 0)), chain_seq);

CREATE TRIGGER audit_events_link BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_link();

-- TRUNCATE fires no row trigger; refuse it too (the owner can still drop this
-- trigger, which is why verify exists).
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
