-- Placeholder so this branch's 020 migration loads (tern needs contiguous numbers).
-- Delete this file when merging the branch that owns migration 019.
SELECT 1;
