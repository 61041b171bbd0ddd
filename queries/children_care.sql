-- name: ChildrenLeftCare :many
-- Of a page of the children list, the children no longer in care, with the
-- day their last period of care ended, so the list says they have left
-- rather than "Not allocated". A child with no period of care at all (a record
-- made before its episodes) is not among them.
SELECT cp.la_id, cp.child_id, max(cp.ended_on)::date AS left_on
FROM care_periods cp
WHERE cp.la_id = ANY(@la_ids::int[]) AND cp.child_id = ANY(@child_ids::bigint[])
GROUP BY cp.la_id, cp.child_id
HAVING bool_and(cp.ended_on IS NOT NULL);
