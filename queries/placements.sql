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

-- name: EpisodesByChild :many
SELECT * FROM episodes WHERE la_id = $1 AND child_id = $2 ORDER BY started_on;

-- name: EpisodesForUpdate :many
-- Locks the child first: imports take the same lock, so a hand edit and an
-- import of the same child never interleave.
SELECT e.* FROM episodes e
WHERE e.la_id = @la_id AND e.child_id = @child_id
  AND EXISTS (SELECT 1 FROM children c WHERE c.la_id = e.la_id AND c.child_id = e.child_id FOR UPDATE)
ORDER BY e.started_on;

-- name: ChildLock :exec
SELECT 1 FROM children WHERE la_id = $1 AND child_id = $2 FOR UPDATE;

-- name: EpisodeInsert :exec
INSERT INTO episodes (la_id, child_id, started_on, ended_on, rne, legal_status, cin, place, place_provider, provider_id, urn,
    rec, reason_place_change, home_postcode, placement_postcode, distance_miles, out_of_area, source)
VALUES (@la_id, @child_id, @started_on, sqlc.narg('ended_on'), @rne, @legal_status, @cin, @place, sqlc.narg('place_provider'),
    sqlc.narg('provider_id'), sqlc.narg('urn'), sqlc.narg('rec'), sqlc.narg('reason_place_change'), sqlc.narg('home_postcode'),
    sqlc.narg('placement_postcode'), sqlc.narg('distance_miles'), sqlc.narg('out_of_area'), 'manual');

-- name: EpisodeClose :one
UPDATE episodes SET ended_on = @ended_on::date, rec = @rec::text, reason_place_change = sqlc.narg('reason_place_change'),
    version = version + 1, updated_at = now()
WHERE la_id = @la_id AND child_id = @child_id AND started_on = @started_on AND version = @version AND ended_on IS NULL
RETURNING *;

-- name: EpisodeCorrect :one
UPDATE episodes SET place = @place, place_provider = sqlc.narg('place_provider'), provider_id = sqlc.narg('provider_id'),
    legal_status = @legal_status, placement_postcode = sqlc.narg('placement_postcode'), distance_miles = sqlc.narg('distance_miles'),
    out_of_area = sqlc.narg('out_of_area'), reason_place_change = sqlc.narg('reason_place_change'),
    version = version + 1, updated_at = now()
WHERE la_id = @la_id AND child_id = @child_id AND started_on = @started_on AND version = @version
RETURNING *;

-- name: CarePeriodsDelete :exec
DELETE FROM care_periods WHERE la_id = $1 AND child_id = $2;

-- name: LegalStatusesDelete :exec
DELETE FROM legal_statuses WHERE la_id = $1 AND child_id = $2;

-- name: CarePeriodInsert :exec
INSERT INTO care_periods (la_id, child_id, started_on, ended_on) VALUES ($1, $2, $3, $4);

-- name: LegalStatusInsert :exec
INSERT INTO legal_statuses (la_id, child_id, started_on, ended_on, code) VALUES ($1, $2, $3, $4, $5);

-- name: CostsByChild :many
SELECT * FROM placement_costs WHERE la_id = $1 AND child_id = $2 ORDER BY placement_started_on, effective_from;

-- name: PlacementCostsRepair :exec
-- Ends cost periods with their placements for some children (schema/014).
SELECT 1 FROM placement_costs_repair(sqlc.narg('p_la')::int, sqlc.narg('p_children')::bigint[]);

-- name: CostInsert :one
INSERT INTO placement_costs (la_id, child_id, placement_started_on, effective_from, effective_to, weekly_pence,
    social_care_pence, education_pence, health_pence, source)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING *;

-- name: CostClose :exec
UPDATE placement_costs SET effective_to = @effective_to, version = version + 1, updated_at = now()
WHERE la_id = @la_id AND cost_id = @cost_id;

-- name: CostUpdate :one
UPDATE placement_costs SET effective_from = @effective_from, effective_to = sqlc.narg('effective_to'), weekly_pence = @weekly_pence,
    social_care_pence = @social_care_pence, education_pence = @education_pence, health_pence = @health_pence,
    version = version + 1, updated_at = now()
WHERE la_id = @la_id AND cost_id = @cost_id AND version = @version
RETURNING *;

-- name: ProviderList :many
SELECT p.*, la.name AS owner_name,
       (SELECT count(DISTINCT e.child_id) FROM episodes e WHERE e.provider_id = p.provider_id AND e.ended_on IS NULL)::bigint AS children_now
FROM providers p LEFT JOIN local_authorities la ON la.la_id = p.owner_la_id
ORDER BY p.name;

-- name: ProviderGet :one
SELECT * FROM providers WHERE provider_id = $1;

-- name: ProviderInsert :one
INSERT INTO providers (name, ofsted_urn, kind, owner_la_id, postcode_district)
VALUES ($1, $2, $3, $4, $5)
RETURNING *;

-- name: ProviderUpdate :one
UPDATE providers SET name = @name, ofsted_urn = sqlc.narg('ofsted_urn'), kind = @kind, owner_la_id = sqlc.narg('owner_la_id'),
    postcode_district = sqlc.narg('postcode_district'), version = version + 1, updated_at = now()
WHERE provider_id = @provider_id AND version = @version
RETURNING *;

-- name: MissingByChild :many
SELECT * FROM missing_episodes WHERE la_id = $1 AND child_id = $2 ORDER BY started_on;

-- name: ImportGet :one
SELECT i.*, la.name AS council_name, coalesce(u.display_name, 'command line')::text AS user_name
FROM imports i JOIN local_authorities la ON la.la_id = i.la_id LEFT JOIN users u ON u.user_id = i.user_id
WHERE i.import_id = $1;

-- name: ImportList :many
SELECT i.import_id, i.la_id, i.kind, i.year, i.files, i.status, i.stage, i.done, i.total, i.started_at, i.finished_at,
       la.name AS council_name, coalesce(u.display_name, 'command line')::text AS user_name
FROM imports i JOIN local_authorities la ON la.la_id = i.la_id LEFT JOIN users u ON u.user_id = i.user_id
WHERE i.la_id = ANY(@la_ids::int[])
ORDER BY i.started_at DESC
LIMIT 50;

-- name: ImportBegin :one
INSERT INTO imports (la_id, kind, user_id, year, files, stage)
VALUES (@la_id, @kind, sqlc.narg('user_id'), sqlc.narg('year'), @files::text[], 'waiting')
RETURNING import_id;

-- name: ImportProgress :exec
UPDATE imports SET stage = $2, done = $3, total = $4 WHERE import_id = $1;

-- name: ImportFinish :exec
UPDATE imports SET status = @status, stage = @status, done = CASE WHEN @rows::bigint > 0 THEN @rows ELSE done END,
    total = CASE WHEN @rows::bigint > 0 THEN @rows ELSE total END, report = @report, finished_at = now()
WHERE import_id = @import_id;

-- name: ChildIDByRefForUpdate :one
-- Locks the child: imports and hand edits of one child never interleave.
SELECT child_id FROM children WHERE la_id = $1 AND child_ref = $2 FOR UPDATE;

-- name: ChildRefForUpdate :one
SELECT child_ref FROM children WHERE la_id = $1 AND child_id = $2 FOR UPDATE;

-- name: MissingInsert :exec
INSERT INTO missing_episodes (la_id, child_id, kind, started_on, ended_on, source) VALUES ($1, $2, $3, $4, $5, 'manual');

-- name: MissingClose :execrows
UPDATE missing_episodes SET ended_on = @ended_on::date
WHERE la_id = @la_id AND child_id = @child_id AND kind = @kind AND started_on = @started_on AND ended_on IS NULL;
