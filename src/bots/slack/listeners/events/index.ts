/**
 * Events API: Bolt acknowledges events itself; each is handled once across retries and replicas
 * (claimed by event_id).
 */
import type { App } from "@slack/bolt";
import type { SlackContext } from "../../context.js";
import { AppHomeOpened, EventEnvelope, ThreadMessage } from "../../payloads.js";
import { claimEvent } from "../../store.js";
import { publishHome } from "./app-home.js";
import { threadReply } from "./thread-replies.js";

export function register(app: App, ctx: SlackContext): void {
  app.event("app_home_opened", async ({ body, event }) => {
    const envelope = EventEnvelope.parse(body);
    const opened = AppHomeOpened.safeParse(event);
    if (!opened.success || opened.data.tab !== "home") return;
    if (!(await claimEvent(ctx.db, `event:${envelope.event_id}`))) return;
    await publishHome(ctx, opened.data.user, envelope.team_id);
  });
  app.event("message", async ({ body, event }) => {
    const reply = ThreadMessage.safeParse(event);
    if (!reply.success) return; // not a reply in a thread
    const envelope = EventEnvelope.parse(body);
    if (!(await claimEvent(ctx.db, `event:${envelope.event_id}`))) return;
    await threadReply(ctx, reply.data, envelope.team_id);
  });
}
