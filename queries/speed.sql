-- name: AnalyzeTables :exec
-- Refreshes the planner's statistics of the named tables, inside the caller's
-- transaction if it has one, so later statements in it plan on the rows it
-- has just written (schema 029).
SELECT hearth_analyze_tables(@tables::text[]);
