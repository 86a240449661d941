/**
 * What every Slack listener gets: the service, the database, the Web API client and the message
 * helpers. Built once in index.ts and passed to each folder's register(app, ctx).
 */
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Db } from "../../db/db.js";
import { ForbiddenError, GreenlightError } from "../../domain/errors.js";
import type { ProductionService } from "../../production/contract.js";
import type { ResearchRunSummary } from "../../research/run.js";
import { errorView } from "../core/error-view.js";
import { paragraph, type Span, type View, words } from "../core/view.js";
import type { SlackActors } from "./actors.js";
import type { BackgroundWork } from "./background.js";
import type { SlackMessenger } from "./messenger.js";

export interface SlackContext {
  db: Db;
  service: ProductionService;
  client: WebClient;
  messenger: SlackMessenger;
  actors: SlackActors;
  /** Work after the acknowledgement (see background.ts). */
  background: BackgroundWork;
  logger?: Logger;
  /** `/toolstack research`: one research run now (absent → the command says research is not set up). */
  runResearch?: () => Promise<ResearchRunSummary>;
  /** The workspace's base URL ("https://team.slack.com/"), for links to threads. */
  teamUrl(): Promise<string | null>;
}

/** `Only <@U1> or …` → the id becomes a mention span, the rest plain words (never parsed as markup). */
export function withMentions(text: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const m of text.matchAll(/<@([UW][A-Z0-9]{2,20})>/g)) {
    if (m.index > last) spans.push(words(text.slice(last, m.index)));
    spans.push({ text: m[1] as string, mention: m[1] as string });
    last = m.index + m[0].length;
  }
  if (last < text.length) spans.push(words(text.slice(last)));
  return spans;
}

/** What a person sees when their request failed: a refusal, a conflict, a problem to fix, with Retry where it helps. */
export function problemView(error: unknown, context: { productionId?: string; version?: number } = {}): View {
  if (error instanceof ForbiddenError)
    return { summary: error.message, elements: [paragraph([words("🔒 "), ...withMentions(error.message)])] };
  return errorView(error, context);
}

/** Sends `problemView(error)` to the user only; a failure to do so is logged, never thrown. */
export async function tellUser(
  ctx: SlackContext,
  where: { channel?: string; user: string; thread?: string },
  error: unknown,
  context: { productionId?: string; version?: number } = {},
): Promise<void> {
  if (!(error instanceof GreenlightError)) ctx.logger?.error({ err: error }, "Slack handler failed");
  if (!where.channel) return;
  try {
    await ctx.messenger.ephemeral(where.channel, where.user, problemView(error, context), where.thread);
  } catch (sendError) {
    ctx.logger?.warn({ err: sendError }, "could not send an ephemeral message");
  }
}
