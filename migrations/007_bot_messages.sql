-- Where a bot posted a production's messages, so any replica (and the same one after a restart)
-- updates the message it finds here instead of posting a second one. `kind` names the message:
-- 'root', 'questions', 'progress:<stage>:<seq>', 'review:<stage>:<version>'; a view split across
-- several messages has one row per `part`. A row is inserted (claimed) before the post and gets its
-- `ts` after it, so two replicas never both post the same message.
CREATE TABLE bot_messages (
  platform TEXT NOT NULL,            -- slack | discord
  production_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  part INT NOT NULL DEFAULT 0,
  channel TEXT NOT NULL,
  ts TEXT,                           -- Slack message ts / Discord message id; NULL while being posted
  view JSONB,                        -- the neutral view posted (part 0), so a decision can redraw it as it was
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, production_id, kind, part)
);
-- Finding a production from a thread (replies typed in it).
CREATE INDEX bot_messages_thread_idx ON bot_messages (platform, channel, ts);

-- The last brief a person pasted that did not validate, so "Open the form" can pre-fill the modal
-- with what was understood. One per person and workspace; overwritten by the next attempt.
CREATE TABLE bot_drafts (
  platform TEXT NOT NULL,
  workspace TEXT NOT NULL DEFAULT '',
  user_id TEXT NOT NULL,
  form JSONB NOT NULL,               -- VrdForm: flat string fields
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, workspace, user_id)
);
