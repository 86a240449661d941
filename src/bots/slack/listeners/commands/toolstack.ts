/**
 * `/toolstack search <text>`, `/toolstack subscribe [topics]`, `/toolstack unsubscribe`,
 * `/toolstack research` (workspace admins): each answered ephemerally after the command is acknowledged.
 */
import { ForbiddenError } from "../../../../domain/errors.js";
import { ALERT_TOPICS } from "../../../../research/alerts.js";
import { searchTools, subscribe, unsubscribe } from "../../../../research/subscriptions.js";
import {
  researchRunView,
  searchResultsView,
  subscriptionView,
  unsubscribedView,
} from "../../../core/toolstack-views.js";
import { bold, paragraph, type View, words } from "../../../core/view.js";
import { type SlackContext, tellUser } from "../../context.js";
import type { SlashCommand } from "../../payloads.js";
import { claimEvent } from "../../store.js";

const HELP: View = {
  summary: "Tool stack commands",
  elements: [
    paragraph([
      bold("/toolstack search <text>"),
      words(" — tools by name, vendor or use, with price and limits"),
    ]),
    paragraph([
      bold("/toolstack subscribe [topics]"),
      words(` — research alerts in this channel (topics: ${ALERT_TOPICS.join(", ")}; none = all)`),
    ]),
    paragraph([bold("/toolstack unsubscribe"), words(" — no more alerts here")]),
    paragraph([bold("/toolstack research"), words(" — run the research now (workspace admins)")]),
  ],
};

const say = (text: string): View => ({ summary: text, elements: [paragraph([words(text)])] });

/** Runs after the command was acknowledged. */
export async function toolstackCommand(ctx: SlackContext, cmd: SlashCommand): Promise<void> {
  const [sub = "", ...rest] = cmd.text.trim().split(/\s+/);
  const arg = cmd.text.trim().slice(sub.length).trim();
  const where = { channel: cmd.channel_id, user: cmd.user_id };
  const reply = (view: View) => ctx.messenger.ephemeral(cmd.channel_id, cmd.user_id, view);
  if (!(await claimEvent(ctx.db, `command:${cmd.trigger_id}`))) return;
  try {
    const channel = { platform: "slack" as const, workspace: cmd.team_id, channel: cmd.channel_id };
    switch (sub.toLowerCase()) {
      case "search":
        return await reply(searchResultsView(arg, await searchTools(ctx.db, arg)));
      case "subscribe": {
        const topics = rest.flatMap((t) => t.split(",")).filter(Boolean);
        return await reply(
          subscriptionView(await subscribe(ctx.db, { ...channel, topics, by: cmd.user_id })),
        );
      }
      case "unsubscribe":
        return await reply(unsubscribedView(await unsubscribe(ctx.db, channel)));
      case "research": {
        const actor = await ctx.actors.actor(cmd.user_id, cmd.team_id);
        if (!actor.privileged) throw new ForbiddenError("Only workspace admins can run the research now.");
        if (!ctx.runResearch) return await reply(say("Research is not set up in this deployment."));
        await reply(say("Research started; I will tell you here when it has finished."));
        return await reply(researchRunView(await ctx.runResearch()));
      }
      default:
        return await reply(HELP);
    }
  } catch (error) {
    await tellUser(ctx, where, error);
  }
}
