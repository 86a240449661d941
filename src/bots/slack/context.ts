/**
 * What every Slack listener gets: the service, the database, the Web API client and the message
 * helpers. Built once in index.ts and passed to each folder's register(app, ctx).
 */
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Db } from "../../db/db.js";
import { GreenlightError } from "../../domain/errors.js";
import type { ProductionService } from "../../production/contract.js";
import type { ResearchRunSummary } from "../../research/run.js";
import { errorView } from "../core/error-view.js";
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
  /** Handles a production's events not handled yet (its messages could not be posted before). */
  catchUp(productionId: string): Promise<void>;
  /** The workspace's base URL ("https://team.slack.com/"), for links to threads. */
  teamUrl(): Promise<string | null>;
}

/**
 * Sends `errorView(error)` (a refusal, a conflict, a problem to fix, with Retry where it helps) to the
 * user only; a failure to do so is logged, never thrown. */
export async function tellUser(
  ctx: SlackContext,
  where: { channel?: string; user: string; thread?: string },
  error: unknown,
  context: { productionId?: string; version?: number } = {},
): Promise<void> {
  if (!(error instanceof GreenlightError)) ctx.logger?.error({ err: error }, "Slack handler failed");
  if (!where.channel) return;
  try {
    await ctx.messenger.ephemeral(where.channel, where.user, errorView(error, context), where.thread);
  } catch (sendError) {
    ctx.logger?.warn({ err: sendError }, "could not send an ephemeral message");
  }
}
