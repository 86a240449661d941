/**
 * The Discord bot's records (see core/store.ts), plus where a production's thread is: a Discord
 * production runs in a thread started from its root card, or in the channel when none could be made.
 */
import type { Queryable } from "../../db/db.js";
import { botStore } from "../core/store.js";

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
