/**
 * The Slack bot's records (see core/store.ts), plus the lookups only Slack needs: the production a
 * thread reply belongs to, and root messages for App Home links.
 */
import type { Queryable } from "../../db/db.js";
import { botStore } from "../core/store.js";

export type { StoredMessage } from "../core/store.js";

const PLATFORM = "slack";

export const {
  claimEvent,
  releaseEvent,
  claimMessage,
  recordMessage,
  releaseMessage,
  findMessage,
  latestMessage,
  saveDraft,
  loadDraft,
  deleteDraft,
  productionsWithUnhandledEvents,
} = botStore(PLATFORM);

/** The claim key of a production event (processed_events). */
export const productionEventKey = (productionId: string, seq: number) => `production:${productionId}:${seq}`;
export const PRODUCTION_EVENT_KEY = "production:";

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
