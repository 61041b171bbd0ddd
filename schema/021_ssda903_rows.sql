-- What a return says that Hearth has no model for, kept as the return gave
-- it so the export gives it back: OC2 (beyond the SDQ score), OC3, AD1,
-- PlacedAdoption and PrevPerm rows, Header's UPN as given (UN1 to UN5),
-- MOTHER and MC_DOB, and episodes whose URN is the placeholder XXXXXXX.
-- One collection year's rows for a child replace that year's earlier ones.
CREATE TABLE ssda903_rows (
    la_id    integer NOT NULL REFERENCES local_authorities,
    year     integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    tbl      text NOT NULL CHECK (tbl IN ('Header','EpisodeURN','OC2','OC3','AD1','PlacedAdoption','PrevPerm')),
    child_id bigint NOT NULL,
    seq      integer NOT NULL,
    vals     text[] NOT NULL,
    PRIMARY KEY (la_id, year, tbl, child_id, seq),
    FOREIGN KEY (la_id, child_id) REFERENCES children (la_id, child_id) ON DELETE CASCADE
);
-- Deleting a child cascades here: find its rows without a scan.
CREATE INDEX ssda903_rows_child ON ssda903_rows (la_id, child_id);
