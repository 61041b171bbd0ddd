-- Children offered in a form's list (a care case's children): the council's
-- children the caller may see, by name. A council has hundreds, not the
-- national hundred thousand, so the list is not paged.

-- name: ChildChoiceList :many
SELECT c.child_id, c.child_ref, c.given_name, c.family_name, c.date_of_birth
FROM children c
WHERE c.la_id = @la_id
  AND (c.la_id = ANY(@all_la_ids::int[])
       OR (c.la_id = ANY(@allocated_la_ids::int[]) AND EXISTS (
           SELECT 1 FROM allocations a
           WHERE a.la_id = c.la_id AND a.child_id = c.child_id
             AND a.user_id = @user_id AND a.valid_to IS NULL)))
ORDER BY c.family_name, c.given_name, c.child_ref;
