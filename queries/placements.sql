-- name: SSDA903ExportHeader :many
-- Children looked after at some time in the year: an episode open on any day of it.
SELECT c.child_ref, c.sex, c.date_of_birth, c.ethnicity, c.upn
FROM children c
WHERE c.la_id = @la_id AND EXISTS (
    SELECT 1 FROM episodes e WHERE e.la_id = c.la_id AND e.child_id = c.child_id
      AND e.started_on <= @year_end AND (e.ended_on IS NULL OR e.ended_on >= @year_start::date))
ORDER BY c.child_ref;

-- name: SSDA903ExportEpisodes :many
SELECT c.child_ref, e.started_on, e.rne, e.legal_status, e.cin, e.place, e.place_provider, e.ended_on, e.rec,
       e.reason_place_change, e.home_postcode, e.placement_postcode, e.urn
FROM episodes e JOIN children c ON c.la_id = e.la_id AND c.child_id = e.child_id
WHERE e.la_id = @la_id AND e.started_on <= @year_end AND (e.ended_on IS NULL OR e.ended_on >= @year_start::date)
ORDER BY c.child_ref, e.started_on;
