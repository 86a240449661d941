/**
 * `/toolstack search <text>`, `/toolstack subscribe [topics]`, `/toolstack unsubscribe`,
 * `/toolstack research` (workspace admins): each answered ephemerally after the command is acknowledged.
 */
import { ForbiddenError } from "../../../../domain/errors.js";
import { ALERT_TOPICS } from "../../../../research/alerts.js";
import type { ResearchRunSummary } from "../../../../research/run.js";
import {
  searchTools,
  subscribe,
  type ToolSearchHit,
  unsubscribe,
} from "../../../../research/subscriptions.js";
import { plural } from "../../../core/format.js";
import {
  bold,
  divider,
  type Element,
  paragraph,
  smallPrint,
  typed,
  type View,
  words,
} from "../../../core/view.js";
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

export function searchView(query: string, hits: ToolSearchHit[]): View {
  if (hits.length === 0)
    return {
      summary: "No tool matches",
      elements: [paragraph([words("No tool matches "), typed(query, "bold")])],
    };
  const elements: Element[] = [
    paragraph([words(`${plural(hits.length, "tool")} matching `), typed(query, "bold")]),
  ];
  for (const hit of hits) {
    const b = hit.last_benchmark;
    elements.push(
      divider(),
      paragraph([
        typed(hit.tool.name, "bold"),
        words(" · "),
        typed(hit.tool.vendor ?? "vendor unknown"),
        words(` · ${hit.tool.status}\nPrice: ${hit.price}`),
      ]),
      smallPrint([
        typed(hit.limits.length > 0 ? hit.limits.join(" · ") : "no limits on record"),
        words(
          b
            ? ` · last benchmark ${b.tested_at.slice(0, 10)}: ${Math.round(b.success_rate * 100)}% of ${b.prompts} prompts`
            : " · never benchmarked",
        ),
      ]),
    );
  }
  return { summary: `${plural(hits.length, "tool")} matching ${query}`, elements };
}

function researchSummaryView(run: ResearchRunSummary): View {
  const counts = Object.entries(run.counts)
    .map(([k, v]) => `${k.replaceAll("_", " ")}: ${v}`)
    .join(", ");
  const elements: Element[] = [
    paragraph([bold(`Research run ${run.status}`), words(counts ? ` — ${counts}` : "")]),
  ];
  for (const e of run.errors.slice(0, 10)) elements.push(smallPrint([typed(`${e.source}: ${e.message}`)]));
  return { summary: `Research run ${run.status}`, elements };
}

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
        return await reply(searchView(arg, await searchTools(ctx.db, arg)));
      case "subscribe": {
        const topics = rest.flatMap((t) => t.split(",")).filter(Boolean);
        const s = await subscribe(ctx.db, { ...channel, topics, by: cmd.user_id });
        return await reply(
          say(
            `This channel now gets research alerts: ${s.topics.length > 0 ? s.topics.join(", ") : "all topics"}.`,
          ),
        );
      }
      case "unsubscribe":
        return await reply(
          say(
            (await unsubscribe(ctx.db, channel))
              ? "This channel gets no more research alerts."
              : "This channel was not subscribed.",
          ),
        );
      case "research": {
        const actor = await ctx.actors.actor(cmd.user_id, cmd.team_id);
        if (!actor.privileged) throw new ForbiddenError("Only workspace admins can run the research now.");
        if (!ctx.runResearch) return await reply(say("Research is not set up in this deployment."));
        await reply(say("Research started; I will tell you here when it has finished."));
        return await reply(researchSummaryView(await ctx.runResearch()));
      }
      default:
        return await reply(HELP);
    }
  } catch (error) {
    await tellUser(ctx, where, error);
  }
}
