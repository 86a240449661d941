/**
 * What a bot keeps in the database so every replica agrees (tables of migrations 003 and 007, shared
 * by the bots and told apart by `platform`): which platform events and production events were handled
 * (processed_events), where a production's messages are (bot_messages), and the last brief a person
 * sent that did not validate (bot_drafts). Each platform binds it once in its own store.ts.
 */
import type { Queryable } from "../../db/db.js";
import type { VrdForm } from "../../domain/vrd.js";
import type { View } from "./view.js";

export type BotPlatform = "slack" | "discord";

export interface StoredMessage {
  production_id: string;
  kind: string;
  part: number;
  channel: string;
  /** The platform's message id (Slack ts, Discord message id); null while the claiming replica posts it. */
  ts: string | null;
  view: View | null;
}

export function botStore(platform: BotPlatform) {
  /** Every part of one message, in order. */
  async function findMessage(db: Queryable, productionId: string, kind: string): Promise<StoredMessage[]> {
    const { rows } = await db.query<StoredMessage>(
      `SELECT production_id, kind, part, channel, ts, view FROM bot_messages
       WHERE platform = $1 AND production_id = $2 AND kind = $3 ORDER BY part`,
      [platform, productionId, kind],
    );
    return rows;
  }

  return {
    /**
     * Claims an event (an interaction or event id, a production event's seq): true for exactly one
     * caller, across replicas and redeliveries. The handler that gets false does nothing.
     */
    async claimEvent(db: Queryable, key: string): Promise<boolean> {
      const { rows } = await db.query(
        `INSERT INTO processed_events (platform, event_key) VALUES ($1, $2)
         ON CONFLICT (platform, event_key) DO NOTHING RETURNING event_key`,
        [platform, key],
      );
      return rows.length === 1;
    },

    /** Undoes a claim whose work was refused (e.g. a form sent back with errors may be sent again). */
    async releaseEvent(db: Queryable, key: string): Promise<void> {
      await db.query("DELETE FROM processed_events WHERE platform = $1 AND event_key = $2", [platform, key]);
    },

    /** Claims one part of a message before posting it; false when it is (being) posted already. */
    async claimMessage(
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
        [platform, productionId, kind, part, channel, view ? JSON.stringify(view) : null],
      );
      return rows.length === 1;
    },

    /** Records the platform's id of a posted part. */
    async recordMessage(
      db: Queryable,
      productionId: string,
      kind: string,
      part: number,
      ts: string,
    ): Promise<void> {
      await db.query(
        "UPDATE bot_messages SET ts = $5 WHERE platform = $1 AND production_id = $2 AND kind = $3 AND part = $4",
        [platform, productionId, kind, part, ts],
      );
    },

    /** Gives up a claim whose post failed, so a later attempt may post it. */
    async releaseMessage(db: Queryable, productionId: string, kind: string, part: number): Promise<void> {
      await db.query(
        "DELETE FROM bot_messages WHERE platform = $1 AND production_id = $2 AND kind = $3 AND part = $4 AND ts IS NULL",
        [platform, productionId, kind, part],
      );
    },

    findMessage,

    /** The newest message whose kind is `<prefix>:<seq>` (progress and review messages), all parts. */
    async latestMessage(db: Queryable, productionId: string, prefix: string): Promise<StoredMessage[]> {
      const { rows } = await db.query<{ kind: string }>(
        `SELECT kind FROM bot_messages
         WHERE platform = $1 AND production_id = $2 AND kind LIKE $3 AND part = 0
         ORDER BY split_part(kind, ':', 3)::int DESC LIMIT 1`,
        [platform, productionId, `${prefix}:%`],
      );
      const kind = rows[0]?.kind;
      return kind ? findMessage(db, productionId, kind) : [];
    },

    /**
     * Productions started on this platform with events (of the last `hours`) that no replica has
     * handled: events published while no bot was listening (a restart, a crash between a stage's
     * commit and its message). `eventKey` is the prefix of the claim key, followed by `<id>:<seq>`.
     */
    async productionsWithUnhandledEvents(db: Queryable, eventKey: string, hours = 24): Promise<string[]> {
      const { rows } = await db.query<{ production_id: string }>(
        `SELECT DISTINCT e.production_id FROM production_events e
         JOIN productions p ON p.id = e.production_id
         WHERE p.origin->>'platform' = $1
           AND e.created_at > now() - make_interval(hours => $3::int)
           AND NOT EXISTS (
             SELECT 1 FROM processed_events pe
             WHERE pe.platform = $1 AND pe.event_key = $2 || e.production_id || ':' || e.seq
           )`,
        [platform, eventKey, hours],
      );
      return rows.map((r) => r.production_id);
    },

    /** Keeps what a person sent that did not validate (and any options it came with), for "fix and resend". */
    async saveDraft(db: Queryable, workspace: string, userId: string, form: VrdForm): Promise<void> {
      await db.query(
        `INSERT INTO bot_drafts (platform, workspace, user_id, form) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (platform, workspace, user_id) DO UPDATE SET form = EXCLUDED.form, created_at = now()`,
        [platform, workspace, userId, JSON.stringify(form)],
      );
    },

    async loadDraft(db: Queryable, workspace: string, userId: string): Promise<VrdForm> {
      const { rows } = await db.query<{ form: VrdForm }>(
        "SELECT form FROM bot_drafts WHERE platform = $1 AND workspace = $2 AND user_id = $3",
        [platform, workspace, userId],
      );
      return rows[0]?.form ?? {};
    },

    async deleteDraft(db: Queryable, workspace: string, userId: string): Promise<void> {
      await db.query("DELETE FROM bot_drafts WHERE platform = $1 AND workspace = $2 AND user_id = $3", [
        platform,
        workspace,
        userId,
      ]);
    },
  };
}
