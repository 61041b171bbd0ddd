-- Which children a council counts as step-down candidates: by default, those
-- in children's homes (K1, K2) with low or medium needs.
ALTER TABLE local_authorities
    ADD COLUMN stepdown_places text[] NOT NULL DEFAULT '{K1,K2}',
    ADD COLUMN stepdown_bands  text[] NOT NULL DEFAULT '{low,medium}';

