-- Placeholder so this branch's 018 migration loads (tern needs contiguous numbers).
SELECT 1;
