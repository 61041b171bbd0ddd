-- Social worker episodes (SWEpisodes, from 2023/24) and deprivation of
-- liberty orders (DoLo, from 2026/27) are kept as the return gave them, with
-- the other tables Hearth has no model for, so the export gives them back.
-- The table already has its grants and row-level security (021); only the
-- list of tables it may hold grows.
ALTER TABLE ssda903_rows DROP CONSTRAINT ssda903_rows_tbl_check;
ALTER TABLE ssda903_rows ADD CONSTRAINT ssda903_rows_tbl_check
    CHECK (tbl IN ('Header','EpisodeURN','OC2','OC3','AD1','PlacedAdoption','PrevPerm','SWEpisodes','DoLo'));
