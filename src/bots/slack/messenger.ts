/**
 * Views to Slack messages: posted paced per channel, recorded in bot_messages so every replica finds
 * and updates the same message, and redrawn in place when a decision is made.
 */
import type { WebClient } from "@slack/web-api";
import type { Db } from "../../db/db.js";
import type { View } from "../core/view.js";
import type { ChannelPacer } from "./pacer.js";
import { renderSlackMessages, type SlackMessage } from "./render.js";
import { claimMessage, findMessage, recordMessage, releaseMessage, type StoredMessage } from "./store.js";

export class SlackMessenger {
  constructor(
    private readonly client: WebClient,
    private readonly db: Db,
    private readonly pacer: ChannelPacer,
  ) {}

  /** Posts a message, paced; returns its ts. */
  async post(channel: string, message: SlackMessage, threadTs?: string): Promise<string> {
    const result = await this.pacer.run(channel, () =>
      this.client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        // Our own text never needs Slack to turn names into mentions or links.
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    if (!result.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
    return result.ts;
  }

  /** Posts every part of a view once (claimed in bot_messages first); returns the first part's ts. */
  async postView(
    productionId: string,
    kind: string,
    channel: string,
    view: View,
    threadTs?: string,
  ): Promise<string | null> {
    const messages = renderSlackMessages(view);
    let first: string | null = null;
    for (const [part, message] of messages.entries()) {
      if (!(await claimMessage(this.db, productionId, kind, part, channel, part === 0 ? view : null)))
        continue; // posted (or being posted) already, by us earlier or by another replica
      try {
        const ts = await this.post(channel, message, threadTs);
        await recordMessage(this.db, productionId, kind, part, ts);
        if (part === 0) first = ts;
      } catch (error) {
        await releaseMessage(this.db, productionId, kind, part);
        throw error;
      }
    }
    return first;
  }

  /**
   * Redraws a posted message with `view` (e.g. its buttons replaced by the outcome). A view that now
   * needs more parts posts the extra ones in the same thread; a part no longer needed says so.
   */
  async redraw(parts: StoredMessage[], view: View, threadTs?: string): Promise<void> {
    const posted = parts.filter((p) => p.ts !== null);
    const first = posted[0];
    if (!first) return;
    const messages = renderSlackMessages(view);
    for (const [i, part] of posted.entries()) {
      const message = messages[i] ?? {
        text: "(continued above)",
        blocks: [{ type: "context", elements: [{ type: "mrkdwn", text: "_(see the message above)_" }] }],
      };
      await this.client.chat.update({
        channel: part.channel,
        ts: part.ts as string,
        text: message.text,
        blocks: message.blocks,
      });
    }
    for (let i = posted.length; i < messages.length; i++) {
      const message = messages[i] as SlackMessage;
      if (!(await claimMessage(this.db, first.production_id, first.kind, i, first.channel, null))) continue;
      const ts = await this.post(first.channel, message, threadTs);
      await recordMessage(this.db, first.production_id, first.kind, i, ts);
    }
  }

  /** Updates a recorded message, found by its kind. */
  async redrawKind(productionId: string, kind: string, view: View, threadTs?: string): Promise<boolean> {
    const parts = await findMessage(this.db, productionId, kind);
    if (parts.length === 0) return false;
    await this.redraw(parts, view, threadTs);
    return true;
  }

  /** A message only `user` sees (refusals, errors, command answers). Long views are sent in parts. */
  async ephemeral(channel: string, user: string, view: View, threadTs?: string): Promise<void> {
    for (const message of renderSlackMessages(view))
      await this.client.chat.postEphemeral({
        channel,
        user,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
  }
}
