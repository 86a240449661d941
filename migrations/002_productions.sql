-- Productions: one row per VRD going through the stages (src/domain/production.ts is the shape).
-- Every transition is `UPDATE … WHERE id = $1 AND version = $2` and bumps version, so two racing
-- updates produce exactly one transition.
CREATE TABLE productions (
  id TEXT PRIMARY KEY,
  version INT NOT NULL,
  stage TEXT NOT NULL,          -- draft | clarifying | scripting | … | approved | failed | cancelled
  vrd JSONB NOT NULL,
  questions JSONB,              -- clarifying questions asked
  answers JSONB,                -- answers given, by question id
  script JSONB,                 -- ALT-beat script, once generated
  shot_list JSONB,
  plan JSONB,                   -- per-shot production plan
  origin JSONB NOT NULL,        -- platform, workspace, channel, thread, user: where replies go
  owner_id TEXT NOT NULL,
  error TEXT,                   -- why the production failed, when stage = 'failed'
  usage JSONB,                  -- LLM token usage so far
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Resuming generating stages after a crash, and listing by stage.
CREATE INDEX productions_stage_idx ON productions (stage);
-- "My productions", newest first.
CREATE INDEX productions_owner_idx ON productions (owner_id, created_at DESC);

-- Append-only log of what happened to a production; drives bot message updates and the SSE stream.
-- seq counts from 1 per production (the SSE id, resumable with Last-Event-ID).
CREATE TABLE production_events (
  production_id TEXT NOT NULL REFERENCES productions(id) ON DELETE CASCADE,
  seq INT NOT NULL,
  type TEXT NOT NULL,           -- e.g. created, stage_changed, script_ready, revised, failed
  stage TEXT NOT NULL,          -- the production's stage after the event
  actor TEXT,                   -- user id, or NULL for the system
  payload JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (production_id, seq)
);
