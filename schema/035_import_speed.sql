-- Imports at COPY's speed (issues 15 and 19, docs/scaling.md "Where an
-- import's time goes").
--
-- Today's view is trusted only while child_current_changes has not moved
-- since its refresh (schema 015): any committing write to what the view
-- reads takes a number at commit. The deferred row trigger took one number
-- per row, so an import of 20,000 children queued and ran ~125,000 trigger
-- calls at commit (0.7-2.2 s of the import, measured) to move a counter once
-- would have done. The trigger now fires for the first written row of each
-- transaction only: child_current_first() is its WHEN condition, true once
-- per transaction. Its flag is a transaction-local setting, which a rolled
-- back savepoint also rolls back, so the event it queued and the flag that
-- stops the next one go together: a transaction that commits a write always
-- commits exactly one number, still taken at commit, as before.
CREATE FUNCTION child_current_first() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('hearth.child_current_queued', true) = 'on' THEN
        RETURN false;
    END IF;
    PERFORM set_config('hearth.child_current_queued', 'on', true);
    RETURN true;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['children', 'care_periods', 'episodes', 'placement_costs', 'needs_assessments'] LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_child_current_changed', t);
        EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
                        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (child_current_first())
                        EXECUTE FUNCTION child_current_changed()',
                       t || '_child_current_changed', t);
    END LOOP;
END
$$;
