-- A running import renews its lease (heartbeat_at) while it works; one whose
-- lease lapses (the process was killed, the server restarted) is marked
-- failed with the reason, instead of showing "running" for ever.
ALTER TABLE imports
    ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN failure      text;
CREATE INDEX imports_running ON imports (heartbeat_at) WHERE status = 'running';
