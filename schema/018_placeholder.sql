-- Placeholder so 019 loads on the disclosure branch: tern needs every number.
-- Delete at merge: 018 belongs to another branch.
SELECT 1;
