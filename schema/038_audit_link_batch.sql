-- Set-based audit linking (issue 19, fourth round; decision 40). Schema 036's
-- audit_link inserted each link with a statement of its own and built each
-- payload through a subquery (unnest … string_agg), about 0.9 ms an event at
-- national load. The chain is the same: each chain's pending events in
-- event_id order, seq 1, 2, 3 … after the chain's end, hash =
-- SHA-256(prev_hash ‖ payload), the same payload text. What changes is how:
--
--   - audit_event_payload is one expression (concat_ws over the same eleven
--     fields, each '-' or length:text), which the planner inlines, instead of
--     a subquery over an array in a function called once per event; it gives
--     the same text for every event (TestPayloadMatchesDatabase, and verify
--     recomputes every hash in Go);
--   - audit_link reads a chain's pending events with one query, works out
--     their hashes in order in memory, and inserts all the links with one
--     INSERT … SELECT unnest(…): one statement per chain per call, not one
--     per event.
--
-- Locks, grants and the owner-only queue are as in 036: CREATE OR REPLACE
-- keeps the functions' owner, SECURITY DEFINER and the grants to hearth_app
-- (audit_link) as they were.
-- STABLE and without SET: a SQL function is inlined into the query that calls
-- it only if it declares no SET clause and is no less volatile than its body
-- (to_char is STABLE). Not inlined, each call started an executor of its own:
-- 70 µs an event, most of linking's cost; inlined, 7 µs. Every function in it
-- is pg_catalog's, which is searched first whatever the caller's search_path
-- (audit_link's is pinned to pg_catalog, public).
CREATE OR REPLACE FUNCTION audit_event_payload(e audit_events, seq bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT concat_ws(';',
        CASE WHEN seq IS NULL THEN '-' ELSE octet_length(seq::text)::text || ':' || seq::text END,
        CASE WHEN e.event_id IS NULL THEN '-' ELSE octet_length(e.event_id::text)::text || ':' || e.event_id::text END,
        CASE WHEN e.at IS NULL THEN '-'
             ELSE octet_length(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text || ':'
                  || to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END,
        CASE WHEN e.user_id IS NULL THEN '-' ELSE octet_length(e.user_id::text)::text || ':' || e.user_id::text END,
        CASE WHEN e.la_id IS NULL THEN '-' ELSE octet_length(e.la_id::text)::text || ':' || e.la_id::text END,
        CASE WHEN e.action IS NULL THEN '-' ELSE octet_length(e.action)::text || ':' || e.action END,
        CASE WHEN e.entity IS NULL THEN '-' ELSE octet_length(e.entity)::text || ':' || e.entity END,
        CASE WHEN e.entity_id IS NULL THEN '-' ELSE octet_length(e.entity_id)::text || ':' || e.entity_id END,
        CASE WHEN e.outcome IS NULL THEN '-' ELSE octet_length(e.outcome)::text || ':' || e.outcome END,
        CASE WHEN e.request_id IS NULL THEN '-' ELSE octet_length(e.request_id)::text || ':' || e.request_id END,
        CASE WHEN e.detail IS NULL THEN '-' ELSE octet_length(e.detail::text)::text || ':' || e.detail::text END)
$$;

CREATE OR REPLACE FUNCTION audit_link(chains integer[], max_events integer, wait boolean) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public SET timezone = 'UTC' AS $$
DECLARE
    c integer;
    ids bigint[];
    last record;
    s bigint;
    prev bytea;
    h bytea;
    r record;
    seqs bigint[];
    eids bigint[];
    prevs bytea[];
    hashes bytea[];
    linked bigint := 0;
BEGIN
    IF max_events IS NULL OR max_events < 1 THEN
        RAISE EXCEPTION 'audit_link: max_events must be at least 1';
    END IF;
    FOR c IN SELECT DISTINCT q.chain FROM public.audit_pending q
             WHERE chains IS NULL OR q.chain = ANY(chains) ORDER BY q.chain LOOP
        IF wait THEN
            PERFORM pg_advisory_xact_lock(7464201, c);
        ELSIF NOT pg_try_advisory_xact_lock(7464201, c) THEN
            CONTINUE;
        END IF;
        -- Read afresh under the lock: another linker may have just finished.
        ids := ARRAY(SELECT q.event_id FROM public.audit_pending q WHERE q.chain = c ORDER BY q.event_id LIMIT max_events);
        CONTINUE WHEN cardinality(ids) = 0;
        SELECT l.seq, l.hash INTO last FROM public.audit_links l WHERE l.chain = c ORDER BY l.seq DESC LIMIT 1;
        s := coalesce(last.seq, 0);
        prev := coalesce(last.hash, ''::bytea);
        seqs := '{}'; eids := '{}'; prevs := '{}'; hashes := '{}';
        -- The payloads come from the one query; the loop only chains the
        -- hashes (each needs the one before) and collects the links.
        FOR r IN
            SELECT e.event_id, public.audit_event_payload(e, s + row_number() OVER (ORDER BY e.event_id)) AS payload
            FROM public.audit_events e
            WHERE e.event_id = ANY(ids) ORDER BY e.event_id LOOP
            s := s + 1;
            h := sha256(prev || convert_to(r.payload, 'UTF8'));
            seqs := array_append(seqs, s);
            eids := array_append(eids, r.event_id);
            prevs := array_append(prevs, prev);
            hashes := array_append(hashes, h);
            prev := h;
        END LOOP;
        INSERT INTO public.audit_links (chain, seq, event_id, prev_hash, hash)
        SELECT c, l.seq, l.event_id, l.prev_hash, l.hash
        FROM unnest(seqs, eids, prevs, hashes) AS l(seq, event_id, prev_hash, hash);
        linked := linked + cardinality(seqs);
        DELETE FROM public.audit_pending q WHERE q.chain = c AND q.event_id = ANY(ids);
    END LOOP;
    RETURN linked;
END $$;
