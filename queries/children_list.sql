-- The children list (issue 19, fourth round). A page is read, not the cohort:
-- ChildList takes each council's first offset+limit children in list order
-- from children_list_idx (a LATERAL per council, so a page of a
-- 40,000-child council reads 50 index entries, not 40,000 rows and a sort),
-- merges them with the caller's allocated children and cuts the page.
-- ChildListCount counts separately, and only when the page is full: a short
-- first page is its own count.
--
-- The scope is the one every child query has: councils where the caller sees
-- every child (all_la_ids) and councils where they see only the children
-- allocated to them (allocated_la_ids, read from allocations_user_idx). The
-- second scope leaves out councils in the first, so no child comes twice. The
-- filters are written out in both branches because each must apply before the
-- per-council LIMIT.

-- name: ChildList :many
WITH page AS (
    (SELECT c.la_id, c.child_id, c.child_ref, c.given_name, c.family_name, c.date_of_birth, c.sex,
            c.ethnicity, c.uasc, c.ehc_plan, c.disability
     FROM unnest(@all_la_ids::int[]) AS k(la_id)
     CROSS JOIN LATERAL (
         SELECT c.* FROM children c
         WHERE c.la_id = k.la_id
           AND (sqlc.narg('search')::text IS NULL
                OR c.child_ref = sqlc.narg('search')
                OR strpos(lower(c.given_name || ' ' || c.family_name), lower(sqlc.narg('search'))) > 0)
           AND (sqlc.narg('sex')::text IS NULL OR c.sex = sqlc.narg('sex'))
           AND (sqlc.narg('uasc')::bool IS NULL OR c.uasc = sqlc.narg('uasc'))
           AND (sqlc.narg('ehc_plan')::bool IS NULL OR c.ehc_plan = sqlc.narg('ehc_plan'))
           AND (sqlc.narg('born_after')::date IS NULL OR c.date_of_birth > sqlc.narg('born_after'))
           AND (sqlc.narg('born_on_or_before')::date IS NULL OR c.date_of_birth <= sqlc.narg('born_on_or_before'))
           AND (sqlc.narg('worker_id')::bigint IS NULL OR EXISTS (
                    SELECT 1 FROM allocations a
                    WHERE a.la_id = c.la_id AND a.child_id = c.child_id
                      AND a.user_id = sqlc.narg('worker_id') AND a.valid_to IS NULL))
         ORDER BY c.family_name, c.given_name, c.child_id
         LIMIT @council_limit::int) c
     WHERE sqlc.narg('la_id')::int IS NULL OR k.la_id = sqlc.narg('la_id'))
    UNION ALL
    (SELECT c.la_id, c.child_id, c.child_ref, c.given_name, c.family_name, c.date_of_birth, c.sex,
            c.ethnicity, c.uasc, c.ehc_plan, c.disability
     FROM children c
     WHERE c.la_id = ANY(@allocated_la_ids::int[]) AND NOT (c.la_id = ANY(coalesce(@all_la_ids::int[], '{}')))
       AND (c.la_id, c.child_id) IN (
           SELECT a.la_id, a.child_id FROM allocations a
           WHERE a.user_id = @user_id AND a.valid_to IS NULL AND a.la_id = ANY(@allocated_la_ids::int[]))
       AND (sqlc.narg('la_id')::int IS NULL OR c.la_id = sqlc.narg('la_id'))
       AND (sqlc.narg('search')::text IS NULL
            OR c.child_ref = sqlc.narg('search')
            OR strpos(lower(c.given_name || ' ' || c.family_name), lower(sqlc.narg('search'))) > 0)
       AND (sqlc.narg('sex')::text IS NULL OR c.sex = sqlc.narg('sex'))
       AND (sqlc.narg('uasc')::bool IS NULL OR c.uasc = sqlc.narg('uasc'))
       AND (sqlc.narg('ehc_plan')::bool IS NULL OR c.ehc_plan = sqlc.narg('ehc_plan'))
       AND (sqlc.narg('born_after')::date IS NULL OR c.date_of_birth > sqlc.narg('born_after'))
       AND (sqlc.narg('born_on_or_before')::date IS NULL OR c.date_of_birth <= sqlc.narg('born_on_or_before'))
       AND (sqlc.narg('worker_id')::bigint IS NULL OR EXISTS (
                SELECT 1 FROM allocations a
                WHERE a.la_id = c.la_id AND a.child_id = c.child_id
                  AND a.user_id = sqlc.narg('worker_id') AND a.valid_to IS NULL)))
    ORDER BY family_name, given_name, child_id
    LIMIT @page_limit::int OFFSET @page_offset::int
)
SELECT p.la_id, p.child_id, p.child_ref, p.given_name, p.family_name, p.date_of_birth, p.sex,
       p.ethnicity, p.uasc, p.ehc_plan, p.disability,
       la.name AS council_name,
       coalesce(w.display_name, '')::text AS worker_name
FROM page p
JOIN local_authorities la ON la.la_id = p.la_id
LEFT JOIN LATERAL (
    SELECT u.display_name FROM allocations a JOIN users u ON u.user_id = a.user_id
    WHERE a.la_id = p.la_id AND a.child_id = p.child_id AND a.valid_to IS NULL
    ORDER BY a.valid_from DESC LIMIT 1) w ON true
ORDER BY p.family_name, p.given_name, p.child_id;

-- name: ChildListCount :one
-- How many children the list's filters match, counted in the same two
-- scopes. Without filters a council's count is an index-only scan.
SELECT ((
    SELECT count(*) FROM children c
    WHERE c.la_id = ANY(@all_la_ids::int[])
      AND (sqlc.narg('la_id')::int IS NULL OR c.la_id = sqlc.narg('la_id'))
      AND (sqlc.narg('search')::text IS NULL
           OR c.child_ref = sqlc.narg('search')
           OR strpos(lower(c.given_name || ' ' || c.family_name), lower(sqlc.narg('search'))) > 0)
      AND (sqlc.narg('sex')::text IS NULL OR c.sex = sqlc.narg('sex'))
      AND (sqlc.narg('uasc')::bool IS NULL OR c.uasc = sqlc.narg('uasc'))
      AND (sqlc.narg('ehc_plan')::bool IS NULL OR c.ehc_plan = sqlc.narg('ehc_plan'))
      AND (sqlc.narg('born_after')::date IS NULL OR c.date_of_birth > sqlc.narg('born_after'))
      AND (sqlc.narg('born_on_or_before')::date IS NULL OR c.date_of_birth <= sqlc.narg('born_on_or_before'))
      AND (sqlc.narg('worker_id')::bigint IS NULL OR EXISTS (
               SELECT 1 FROM allocations a
               WHERE a.la_id = c.la_id AND a.child_id = c.child_id
                 AND a.user_id = sqlc.narg('worker_id') AND a.valid_to IS NULL))
) + (
    SELECT count(*) FROM children c
    WHERE c.la_id = ANY(@allocated_la_ids::int[]) AND NOT (c.la_id = ANY(coalesce(@all_la_ids::int[], '{}')))
      AND (c.la_id, c.child_id) IN (
          SELECT a.la_id, a.child_id FROM allocations a
          WHERE a.user_id = @user_id AND a.valid_to IS NULL AND a.la_id = ANY(@allocated_la_ids::int[]))
      AND (sqlc.narg('la_id')::int IS NULL OR c.la_id = sqlc.narg('la_id'))
      AND (sqlc.narg('search')::text IS NULL
           OR c.child_ref = sqlc.narg('search')
           OR strpos(lower(c.given_name || ' ' || c.family_name), lower(sqlc.narg('search'))) > 0)
      AND (sqlc.narg('sex')::text IS NULL OR c.sex = sqlc.narg('sex'))
      AND (sqlc.narg('uasc')::bool IS NULL OR c.uasc = sqlc.narg('uasc'))
      AND (sqlc.narg('ehc_plan')::bool IS NULL OR c.ehc_plan = sqlc.narg('ehc_plan'))
      AND (sqlc.narg('born_after')::date IS NULL OR c.date_of_birth > sqlc.narg('born_after'))
      AND (sqlc.narg('born_on_or_before')::date IS NULL OR c.date_of_birth <= sqlc.narg('born_on_or_before'))
      AND (sqlc.narg('worker_id')::bigint IS NULL OR EXISTS (
               SELECT 1 FROM allocations a
               WHERE a.la_id = c.la_id AND a.child_id = c.child_id
                 AND a.user_id = sqlc.narg('worker_id') AND a.valid_to IS NULL))
))::bigint AS total;
