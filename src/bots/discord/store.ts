/**
 * What the Discord bot keeps in the database so every replica agrees (tables of migrations 003 and
 * 007, shared with the Slack bot and told apart by `platform`): which interactions and production
 * events were handled (processed_events), where a production's thread and messages are
 * (bot_messages), and the last brief a person submitted that did not validate (bot_drafts).
 */
import type { Queryable } from "../../db/db.js";
import type { VrdForm } from "../../domain/vrd.js";
import type { View } from "../core/view.js";

const PLATFORM = "discord";

/** Claims an interaction id or event key: true for exactly one caller, across replicas and redeliveries. */
export async function claimOnce(db: Queryable, key: string): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO processed_events (platform, event_key) VALUES ($1, $2)
     ON CONFLICT (platform, event_key) DO NOTHING RETURNING event_key`,
    [PLATFORM, key],
  );
  return rows.length === 1;
}

export interface StoredMessage {
  kind: string;
  part: number;
  channel: string;
  /** The Discord message id; null while the claiming replica is still posting it. */
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

/** Records the id of a posted part (and the view, when it changed since the claim). */
export async function recordMessage(
  db: Queryable,
  productionId: string,
  kind: string,
  part: number,
  messageId: string,
  view?: View,
): Promise<void> {
  await db.query(
    `UPDATE bot_messages SET ts = $5, view = COALESCE($6::jsonb, view)
     WHERE platform = $1 AND production_id = $2 AND kind = $3 AND part = $4`,
    [PLATFORM, productionId, kind, part, messageId, view ? JSON.stringify(view) : null],
  );
}

/** Gives up a claim whose post failed, so a later attempt may post it. */
export async function releaseMessage(db: Queryable, productionId: string, kind: string, part: number) {
  await db.query(
    "DELETE FROM bot_messages WHERE platform = $1 AND production_id = $2 AND kind = $3 AND part = $4 AND ts IS NULL",
    [PLATFORM, productionId, kind, part],
  );
}

/** Every posted part of one message, in order. */
export async function findMessage(
  db: Queryable,
  productionId: string,
  kind: string,
): Promise<StoredMessage[]> {
  const { rows } = await db.query<StoredMessage>(
    `SELECT kind, part, channel, ts, view FROM bot_messages
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

/** The thread (or channel) a production's updates go to; null when it has none (yet). */
export async function threadOf(db: Queryable, productionId: string): Promise<string | null> {
  const rows = await findMessage(db, productionId, "thread");
  return rows[0]?.ts ?? null;
}

/** The brief a person submitted that did not validate (and the /vrd options it came with). */
export async function saveDraft(db: Queryable, guild: string, userId: string, form: VrdForm): Promise<void> {
  await db.query(
    `INSERT INTO bot_drafts (platform, workspace, user_id, form) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (platform, workspace, user_id) DO UPDATE SET form = EXCLUDED.form, created_at = now()`,
    [PLATFORM, guild, userId, JSON.stringify(form)],
  );
}

export async function loadDraft(db: Queryable, guild: string, userId: string): Promise<VrdForm> {
  const { rows } = await db.query<{ form: VrdForm }>(
    "SELECT form FROM bot_drafts WHERE platform = $1 AND workspace = $2 AND user_id = $3",
    [PLATFORM, guild, userId],
  );
  return rows[0]?.form ?? {};
}

export async function deleteDraft(db: Queryable, guild: string, userId: string): Promise<void> {
  await db.query("DELETE FROM bot_drafts WHERE platform = $1 AND workspace = $2 AND user_id = $3", [
    PLATFORM,
    guild,
    userId,
  ]);
}
