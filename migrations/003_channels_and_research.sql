-- Chat channels subscribed to research alerts. workspace is the Slack team id or Discord guild id,
-- '' when there is none (a key column cannot be NULL). One subscription per channel.
CREATE TABLE subscriptions (
  platform TEXT NOT NULL,            -- slack | discord
  workspace TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  topics TEXT[] NOT NULL DEFAULT '{}', -- alert kinds wanted; empty = all
  created_by TEXT,                   -- user who subscribed
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, workspace, channel)
);

-- Something research found worth telling people about. alert_id is derived from what it is about
-- (e.g. 'new_tool:<tool_id>'), so finding the same thing twice does not alert twice.
CREATE TABLE alerts (
  alert_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,                -- new_tool | price_change | status_change | new_technique …
  subject TEXT NOT NULL,             -- what it is about: a tool_id, technique_id …
  payload JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX alerts_created_idx ON alerts (created_at);

-- One row per alert per channel it was posted to: inserting the row (ON CONFLICT DO NOTHING)
-- claims the delivery, so an alert reaches each channel once even with several replicas.
CREATE TABLE alert_deliveries (
  alert_id TEXT NOT NULL REFERENCES alerts(alert_id) ON DELETE CASCADE,
  platform TEXT NOT NULL,
  workspace TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  sent_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, platform, workspace, channel)
);

-- Idempotency for incoming platform events (Slack retries up to 3 times; Discord may redeliver):
-- the handler inserts (platform, event_key) first and skips the event when the key already exists.
CREATE TABLE processed_events (
  platform TEXT NOT NULL,            -- slack | discord | api
  event_key TEXT NOT NULL,           -- e.g. Slack event_id, Discord interaction id
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, event_key)
);
-- Pruning old keys.
CREATE INDEX processed_events_received_idx ON processed_events (received_at);

-- Deep Research Agent runs. A scheduled run claims its slot (e.g. '2025-01-02T06:00Z') by inserting
-- it: UNIQUE makes exactly one replica run each slot. Manual runs have slot NULL.
CREATE TABLE research_runs (
  run_id TEXT PRIMARY KEY,
  slot TEXT UNIQUE,
  trigger TEXT NOT NULL,             -- schedule | manual | cli
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ,           -- NULL while running
  status TEXT NOT NULL DEFAULT 'running', -- running | succeeded | partial | failed
  counts JSONB NOT NULL DEFAULT '{}',     -- e.g. {"tools_found": 3, "alerts": 1}
  errors JSONB NOT NULL DEFAULT '[]'      -- per-source failures: [{"source": "arxiv", "message": "…"}]
);
CREATE INDEX research_runs_started_idx ON research_runs (started_at DESC);
