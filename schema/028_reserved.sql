-- reserved for another branch
SELECT 1; -- tern refuses a migration with no SQL
