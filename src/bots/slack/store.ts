/**
 * What the Slack bot keeps in the database so every replica agrees: which platform events were
 * handled (processed_events), where a production's messages are (bot_messages), and the last brief a
 * person pasted that did not validate (bot_drafts).
 */
import type { Queryable } from "../../db/db.js";
import type { VrdForm } from "../../domain/vrd.js";
import type { View } from "../core/view.js";

const PLATFORM = "slack";

/**
 * Claims a platform event (event_id, view id, action ts + user): true for exactly one caller, across
 * replicas and retries. The handler that gets false does nothing.
 */
export async function claimEvent(db: Queryable, key: string): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO processed_events (platform, event_key) VALUES ($1, $2)
     ON CONFLICT (platform, event_key) DO NOTHING RETURNING event_key`,
    [PLATFORM, key],
  );
  return rows.length === 1;
}

/** Undoes a claim whose work was refused (e.g. a form sent back with errors may be submitted again). */
export async function releaseEvent(db: Queryable, key: string): Promise<void> {
  await db.query("DELETE FROM processed_events WHERE platform = $1 AND event_key = $2", [PLATFORM, key]);
}

export interface StoredMessage {
  production_id: string;
  kind: string;
  part: number;
  channel: string;
  /** null while the claiming replica is still posting it. */
  ts: string | null;
  view: View | null;
}

/** Claims one part of a message before posting it; false when it is (being) posted already. */
export async function claimMessage(
  db: Queryable,
  productionId: string,
  kind: string,
  part: number,
  channel: string,
  view: View | null,
): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO bot_messages (platform, production_id, kind, part, channel, view)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ON CONFLICT (platform, production_id, kind, part) DO NOTHING RETURNING kind`,
    [PLATFORM, productionId, kind, part, channel, view ? JSON.stringify(view) : null],
  );
  return rows.length === 1;
}

/** Records the ts of a posted part. */
export async function recordMessageTs(
  db: Queryable,
  productionId: string,
  kind: string,
  part: number,
  ts: string,
): Promise<void> {
  await db.query(
    "UPDATE bot_messages SET ts = $5 WHERE platform = $1 AND production_id = $2 AND kind = $3 AND part = $4",
    [PLATFORM, productionId, kind, part, ts],
  );
}

/** Gives up a claim whose post failed, so a later attempt may post it. */
export async function releaseMessage(
  db: Queryable,
  productionId: string,
  kind: string,
  part: number,
): Promise<void> {
  await db.query(
    "DELETE FROM bot_messages WHERE platform = $1 AND production_id = $2 AND kind = $3 AND part = $4 AND ts IS NULL",
    [PLATFORM, productionId, kind, part],
  );
}

/** Every part of one message, in order. */
export async function findMessage(
  db: Queryable,
  productionId: string,
  kind: string,
): Promise<StoredMessage[]> {
  const { rows } = await db.query<StoredMessage>(
    `SELECT production_id, kind, part, channel, ts, view FROM bot_messages
     WHERE platform = $1 AND production_id = $2 AND kind = $3 ORDER BY part`,
    [PLATFORM, productionId, kind],
  );
  return rows;
}

/** The newest message whose kind is `<prefix>:<seq>` (progress and review messages), all parts. */
export async function latestMessage(
  db: Queryable,
  productionId: string,
  prefix: string,
): Promise<StoredMessage[]> {
  const { rows } = await db.query<{ kind: string }>(
    `SELECT kind FROM bot_messages
     WHERE platform = $1 AND production_id = $2 AND kind LIKE $3 AND part = 0
     ORDER BY split_part(kind, ':', 3)::int DESC LIMIT 1`,
    [PLATFORM, productionId, `${prefix}:%`],
  );
  const kind = rows[0]?.kind;
  return kind ? findMessage(db, productionId, kind) : [];
}

/** The production whose thread starts at (channel, ts), if any. */
export async function productionOfThread(db: Queryable, channel: string, ts: string): Promise<string | null> {
  const { rows } = await db.query<{ production_id: string }>(
    `SELECT production_id FROM bot_messages
     WHERE platform = $1 AND channel = $2 AND ts = $3 AND kind = 'root' LIMIT 1`,
    [PLATFORM, channel, ts],
  );
  return rows[0]?.production_id ?? null;
}

/** Root messages (channel, ts) of these productions, for links to their threads. */
export async function rootMessages(
  db: Queryable,
  productionIds: string[],
): Promise<Map<string, { channel: string; ts: string }>> {
  if (productionIds.length === 0) return new Map();
  const { rows } = await db.query<{ production_id: string; channel: string; ts: string }>(
    `SELECT production_id, channel, ts FROM bot_messages
     WHERE platform = $1 AND kind = 'root' AND ts IS NOT NULL AND production_id = ANY($2::text[])`,
    [PLATFORM, productionIds],
  );
  return new Map(rows.map((r) => [r.production_id, { channel: r.channel, ts: r.ts }]));
}

export async function saveDraft(
  db: Queryable,
  workspace: string,
  userId: string,
  form: VrdForm,
): Promise<void> {
  await db.query(
    `INSERT INTO bot_drafts (platform, workspace, user_id, form) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (platform, workspace, user_id) DO UPDATE SET form = EXCLUDED.form, created_at = now()`,
    [PLATFORM, workspace, userId, JSON.stringify(form)],
  );
}

export async function loadDraft(db: Queryable, workspace: string, userId: string): Promise<VrdForm> {
  const { rows } = await db.query<{ form: VrdForm }>(
    "SELECT form FROM bot_drafts WHERE platform = $1 AND workspace = $2 AND user_id = $3",
    [PLATFORM, workspace, userId],
  );
  return rows[0]?.form ?? {};
}
