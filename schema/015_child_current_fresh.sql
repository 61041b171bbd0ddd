-- Today's view is used only while nothing it reads has changed since it was
-- refreshed (decisions.md 27). Every committing write to what the view reads
-- takes a number from child_current_changes at commit (a deferred trigger, so
-- a rolled-back write costs at most a needless fall-back); RefreshCurrent
-- records the last number before it refreshes. A reader that finds a newer
-- number reads the tables instead, so figures are never stale, only slower
-- until the next refresh.
CREATE SEQUENCE child_current_changes;
ALTER TABLE child_current_refreshed ADD COLUMN changes bigint NOT NULL DEFAULT 0;

CREATE FUNCTION child_current_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('child_current_changes');
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['children', 'care_periods', 'episodes', 'placement_costs', 'needs_assessments'] LOOP
        EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
                        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION child_current_changed()',
                       t || '_child_current_changed', t);
    END LOOP;
END
$$;
