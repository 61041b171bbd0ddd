-- name: CurrentUpToDate :one
-- Whether today's view already holds @as_of with every change committed
-- since (schema/015), refreshed within the last half hour: then a refresh
-- would rebuild the same rows. The half hour bounds what the change numbers
-- do not track (a provider's postcode, an instrument's bands).
SELECT coalesce((SELECT as_of = @as_of::date
        AND changes >= coalesce(pg_sequence_last_value('child_current_changes'::regclass), 0)
        AND refreshed_at > now() - interval '30 minutes'
    FROM child_current_refreshed), false)::bool AS up_to_date;
