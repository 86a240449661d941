/**
 * The Discord bot's records (see core/store.ts), plus where a production's thread is: a Discord
 * production runs in a thread started from its root card, or in the channel when none could be made.
 */
import type { Queryable } from "../../db/db.js";
import { botStore } from "../core/store.js";
import type { InteractionToken } from "./api.js";

export type { StoredMessage } from "../core/store.js";

export const {
  claimEvent,
  releaseEvent,
  productionsWithUnhandledEvents,
  claimMessage,
  recordMessage,
  releaseMessage,
  findMessage,
  latestMessage,
  saveDraft,
  loadDraft,
  deleteDraft,
} = botStore("discord");

/** The thread (or channel) a production's updates go to; null when it has none (yet). */
export async function threadOf(db: Queryable, productionId: string): Promise<string | null> {
  const rows = await findMessage(db, productionId, "thread");
  return rows[0]?.ts ?? null;
}

/**
 * A /vrd reply waiting for its production (the deferred "thinking…" answer to the brief). It is kept
 * before the production is started, under the start's request key (bot_messages has no other row
 * for one), so that a process dying before the root card is drawn leaves what a restart needs to
 * turn that reply into the card while its token lives. Removed once the card is made.
 */
const PENDING_REPLY = "pending_reply";

export interface PendingReply {
  channel: string;
  token: InteractionToken;
}

export async function savePendingReply(
  db: Queryable,
  requestKey: string,
  channel: string,
  token: InteractionToken,
): Promise<void> {
  await db.query(
    `INSERT INTO bot_messages (platform, production_id, kind, part, channel, view)
     VALUES ('discord', $1, $2, 0, $3, $4::jsonb) ON CONFLICT DO NOTHING`,
    [requestKey, PENDING_REPLY, channel, JSON.stringify(token)],
  );
}

/** The reply the production was started from, while it is waiting for its root card. */
export async function pendingReplyOf(db: Queryable, productionId: string): Promise<PendingReply | null> {
  const { rows } = await db.query<{ channel: string; view: InteractionToken }>(
    `SELECT r.channel, r.view FROM bot_messages r JOIN productions p ON p.request_key = r.production_id
     WHERE r.platform = 'discord' AND r.kind = $2 AND p.id = $1`,
    [productionId, PENDING_REPLY],
  );
  const row = rows[0];
  return row ? { channel: row.channel, token: row.view } : null;
}

export async function dropPendingReply(db: Queryable, productionId: string): Promise<void> {
  await db.query(
    `DELETE FROM bot_messages r USING productions p
     WHERE p.request_key = r.production_id AND r.platform = 'discord' AND r.kind = $2 AND p.id = $1`,
    [productionId, PENDING_REPLY],
  );
}

/**
 * Gives up a claim on a message part that was never recorded and is older than `seconds`: the
 * process that claimed it died while posting (a live one records or releases it within a REST
 * timeout), so the part may be made again.
 */
export async function releaseAbandonedClaim(
  db: Queryable,
  productionId: string,
  kind: string,
  seconds: number,
): Promise<void> {
  await db.query(
    `DELETE FROM bot_messages WHERE platform = 'discord' AND production_id = $1 AND kind = $2
     AND ts IS NULL AND created_at < now() - make_interval(secs => $3)`,
    [productionId, kind, seconds],
  );
}
