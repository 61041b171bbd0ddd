-- The children list (issue 19): a page is read in the list's own order from
-- this index, 50 rows (plus the offset) a council, instead of sorting the
-- whole council for every page. children_name_idx orders by lower(name) and
-- so cannot give the list's order; this one leads with the council, as every
-- tenant index does, and ends with child_id so the order is total.
CREATE INDEX children_list_idx ON children (la_id, family_name, given_name, child_id);
