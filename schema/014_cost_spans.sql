-- One cost per child per day (design.md §9): the cost of a child on a day is
-- the cost period, in force that day, of the placement open that day, and
-- nothing else. A placement is open from its start up to the day before its
-- end (an episode's DEC is the day the next one starts, or the first day out
-- of care); a cost period covers both its dates (decisions.md 25).
--
-- cost_spans is that rule in SQL: each cost period cut to the days of its own
-- placement. Placements never overlap, so the spans in force on a day are at
-- most one per child, and every reader (cohort snapshot, today's view, the
-- delay model) reads spans, never placement_costs directly.
CREATE VIEW cost_spans AS
SELECT pc.la_id, pc.child_id, pc.placement_started_on, pc.cost_id,
       greatest(pc.effective_from, p.started_on)::date AS effective_from,
       CASE WHEN p.ended_on IS NULL OR pc.effective_to < p.ended_on THEN pc.effective_to
            ELSE (p.ended_on - 1)::date END AS effective_to,
       pc.weekly_pence, pc.social_care_pence, pc.education_pence, pc.health_pence
FROM placement_costs pc
JOIN placements p ON p.la_id = pc.la_id AND p.child_id = pc.child_id AND p.started_on = pc.placement_started_on
WHERE p.ended_on IS NULL OR pc.effective_from < p.ended_on;

-- placement_costs_repair makes the stored periods agree with cost_spans for
-- some children (all when p_children is null): a period running past the end
-- of its placement ends the day before the placement does; a period starting
-- on or after its placement's end moves to the placement open on its first
-- day, or is removed when there is none or that placement already has a cost
-- then. Moves, SSDA903 loads and the 014 repair call it.
CREATE FUNCTION placement_costs_repair(p_la integer, p_children bigint[])
RETURNS TABLE (ended bigint, moved bigint, removed bigint)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    t record;
BEGIN
    ended := 0; moved := 0; removed := 0;
    FOR r IN
        SELECT pc.la_id, pc.cost_id, pc.child_id, pc.effective_from, pc.effective_to, p.ended_on
        FROM placement_costs pc
        JOIN placements p ON p.la_id = pc.la_id AND p.child_id = pc.child_id AND p.started_on = pc.placement_started_on
        WHERE (p_la IS NULL OR pc.la_id = p_la) AND (p_children IS NULL OR pc.child_id = ANY(p_children))
          AND p.ended_on IS NOT NULL AND (pc.effective_to IS NULL OR pc.effective_to >= p.ended_on)
        ORDER BY pc.la_id, pc.child_id, pc.effective_from
    LOOP
        IF r.effective_from < r.ended_on THEN
            UPDATE placement_costs SET effective_to = r.ended_on - 1, version = version + 1, updated_at = now()
            WHERE la_id = r.la_id AND cost_id = r.cost_id;
            ended := ended + 1;
            CONTINUE;
        END IF;
        SELECT p.started_on, p.ended_on INTO t FROM placements p
        WHERE p.la_id = r.la_id AND p.child_id = r.child_id
          AND p.started_on <= r.effective_from AND (p.ended_on IS NULL OR p.ended_on > r.effective_from);
        IF FOUND THEN
            BEGIN
                UPDATE placement_costs SET placement_started_on = t.started_on,
                    effective_to = CASE WHEN t.ended_on IS NOT NULL AND (r.effective_to IS NULL OR r.effective_to >= t.ended_on)
                                        THEN t.ended_on - 1 ELSE r.effective_to END,
                    version = version + 1, updated_at = now()
                WHERE la_id = r.la_id AND cost_id = r.cost_id;
                moved := moved + 1;
                CONTINUE;
            EXCEPTION WHEN exclusion_violation THEN
                NULL; -- the placement already has a cost for those days: that one stands
            END;
        END IF;
        DELETE FROM placement_costs WHERE la_id = r.la_id AND cost_id = r.cost_id;
        removed := removed + 1;
    END LOOP;
    RETURN NEXT;
END
$$;

-- The repair of existing data, with what it changed.
DO $$
DECLARE
    c record;
BEGIN
    SELECT * INTO c FROM placement_costs_repair(NULL, NULL);
    RAISE NOTICE 'placement_costs repair: % periods ended with their placement, % moved to the placement open on their first day, % removed',
        c.ended, c.moved, c.removed;
END
$$;

-- Today's view follows the same rules as CohortSnapshot: cost from
-- cost_spans, and an approved correction supersedes what it corrects from its
-- own date, whatever that date (decisions.md 26).
DROP MATERIALIZED VIEW child_current;
CREATE MATERIALIZED VIEW child_current AS
WITH d AS (
    SELECT as_of FROM child_current_refreshed
), kids AS (
    SELECT c.la_id, c.child_id, c.date_of_birth, c.uasc, c.ehc_plan, cp.started_on AS care_start
    FROM d CROSS JOIN children c
    JOIN care_periods cp ON cp.la_id = c.la_id AND cp.child_id = c.child_id
         AND cp.started_on <= d.as_of AND (cp.ended_on IS NULL OR cp.ended_on > d.as_of)
), ep AS (
    SELECT DISTINCT ON (e.la_id, e.child_id) e.la_id, e.child_id, e.place, e.place_provider, e.provider_id, e.legal_status,
           e.out_of_area, e.distance_miles
    FROM d, episodes e
    WHERE e.started_on <= d.as_of AND (e.ended_on IS NULL OR e.ended_on > d.as_of)
    ORDER BY e.la_id, e.child_id, e.started_on DESC
), cost AS (
    SELECT cs.la_id, cs.child_id, sum(cs.weekly_pence)::bigint AS weekly
    FROM d, cost_spans cs
    WHERE cs.effective_from <= d.as_of AND (cs.effective_to IS NULL OR cs.effective_to >= d.as_of)
    GROUP BY cs.la_id, cs.child_id
), lv AS (
    SELECT DISTINCT ON (a.la_id, a.child_id) a.la_id, a.child_id, a.assessment_id, a.assessed_on, a.approved_levels AS levels
    FROM d, needs_assessments a
    WHERE a.status = 'approved' AND a.assessed_on <= d.as_of AND a.instrument_id = (SELECT instrument_id FROM needs_instruments WHERE code = 'hearth-12' ORDER BY version DESC LIMIT 1)
      AND NOT EXISTS (SELECT 1 FROM needs_assessments s WHERE s.la_id = a.la_id AND s.supersedes = a.assessment_id
                      AND s.status = 'approved' AND s.assessed_on <= d.as_of)
    ORDER BY a.la_id, a.child_id, a.assessed_on DESC, a.assessment_id DESC
)
SELECT k.la_id, k.child_id,
       date_part('year', age(d.as_of, k.date_of_birth))::int AS age,
       (date_part('year', k.date_of_birth) * 100 + date_part('month', k.date_of_birth))::int AS birth_ym,
       (d.as_of - k.care_start)::int AS care_days,
       k.uasc, k.ehc_plan,
       coalesce(ep.place, '')::text AS place, coalesce(ep.place_provider, '')::text AS place_provider,
       coalesce(ep.provider_id, 0)::bigint AS provider_id, coalesce(ep.legal_status, '')::text AS legal_status,
       coalesce(ep.out_of_area, false)::bool AS out_of_area, coalesce(ep.distance_miles, -1)::float8 AS distance_miles,
       coalesce(cost.weekly, -1)::bigint AS weekly_pence,
       coalesce(lv.assessment_id, 0)::bigint AS assessment_id, (d.as_of - coalesce(lv.assessed_on, k.care_start))::int AS assessed_days,
       coalesce(array_to_string(lv.levels, ''), '')::text AS levels
FROM d, kids k
LEFT JOIN ep USING (la_id, child_id)
LEFT JOIN cost USING (la_id, child_id)
LEFT JOIN lv USING (la_id, child_id);
CREATE UNIQUE INDEX child_current_key ON child_current (la_id, child_id);
