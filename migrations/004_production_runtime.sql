-- What the production workflow needs beyond 002: idempotent starts, the brief as submitted, the
-- event counter, the pending revision, the failed stage (for Retry) and a lease on the running stage.
ALTER TABLE productions ADD COLUMN brief JSONB;             -- the VRD as submitted, before answers
ALTER TABLE productions ADD COLUMN request_key TEXT UNIQUE; -- Slack trigger id / Idempotency-Key: one production per key
ALTER TABLE productions ADD COLUMN last_seq INT NOT NULL DEFAULT 0; -- seq of the newest production_events row
ALTER TABLE productions ADD COLUMN revision JSONB;          -- the revision request the generating stage applies
ALTER TABLE productions ADD COLUMN failed_stage TEXT;       -- the generating stage Retry re-runs
-- Only one process runs a generating stage: it claims the lease (owner + expiry) and renews it while
-- it works; a lease that expired belongs to a process that died, and any replica may resume the stage.
ALTER TABLE productions ADD COLUMN lease_owner TEXT;
ALTER TABLE productions ADD COLUMN lease_expires_at TIMESTAMPTZ;

-- Listing a channel's or a workspace's productions.
CREATE INDEX productions_origin_idx ON productions ((origin->>'platform'), (origin->>'workspace_id'), created_at DESC);

-- Members a workspace admin allowed to approve, revise, answer, retry or cancel any production of the
-- workspace (besides each production's owner). workspace_id is the Slack team / Discord guild id.
CREATE TABLE production_approvers (
  platform TEXT NOT NULL,             -- slack | discord | api | cli
  workspace_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  allowed_by TEXT NOT NULL,           -- the admin's user id
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, workspace_id, user_id)
);
