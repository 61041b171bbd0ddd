-- name: TrayPlacementsWithoutCost :many
-- Open placements with no cost in force on the day: the commissioner's gaps,
-- newest first, so a move just recorded is at the top.
SELECT p.la_id, p.child_id, c.given_name, c.family_name, c.child_ref, p.started_on::date AS started_on
FROM placements p
JOIN children c ON c.la_id = p.la_id AND c.child_id = p.child_id
WHERE p.la_id = ANY(@la_ids::int[]) AND p.ended_on IS NULL
  AND NOT EXISTS (SELECT 1 FROM placement_costs pc
                  WHERE pc.la_id = p.la_id AND pc.child_id = p.child_id AND pc.placement_started_on = p.started_on
                    AND pc.effective_from <= @day::date AND (pc.effective_to IS NULL OR pc.effective_to >= @day::date))
ORDER BY p.started_on DESC, p.child_id
LIMIT 200;

-- name: TrayPlacementsEnding :many
-- Children in a placement who turn 18 soon (born on or after @born_from and
-- before @born_before: 18 years before the days the tray looks between).
-- Their placement ends with their care, or becomes staying put or supported
-- accommodation, so commissioners plan it now. Nearest first.
SELECT e.la_id, e.child_id, c.given_name, c.family_name, c.child_ref, e.place,
       (c.date_of_birth + interval '18 years')::date AS turns18_on
FROM episodes e
JOIN children c ON c.la_id = e.la_id AND c.child_id = e.child_id
WHERE e.la_id = ANY(@la_ids::int[]) AND e.ended_on IS NULL
  AND c.date_of_birth >= @born_from::date AND c.date_of_birth < @born_before::date
ORDER BY turns18_on, e.child_id
LIMIT 200;
