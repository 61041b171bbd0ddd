-- Placeholder so 019 loads on the disclosure branch: tern needs every number.
-- Delete at merge: 014 belongs to another branch.
SELECT 1;
