/**
 * What every Discord listener gets (the bot's dependencies) and reads from an interaction (who acts,
 * where, with which token), plus the ephemeral answers they share.
 */
import {
  type APIInteractionGuildMember,
  type BaseInteraction,
  DiscordAPIError,
  type GuildMember,
  PermissionFlagsBits,
} from "discord.js";
import type { Logger } from "pino";
import type { Db } from "../../../db/db.js";
import type { Actor, ProductionService } from "../../../production/contract.js";
import type { ResearchRunSummary } from "../../../research/run.js";
import { errorView } from "../../core/error-view.js";
import type { View } from "../../core/view.js";
import { CALLBACK, type DiscordApi, type InteractionToken } from "../api.js";
import { EPHEMERAL, renderDiscordMessages } from "../render.js";
import type { ThreadUpdates } from "../thread-updates.js";

export interface BotContext {
  db: Db;
  service: ProductionService;
  api: DiscordApi;
  updates: ThreadUpdates;
  logger: Logger;
  now: () => number;
  /** `/toolstack research`: one research run now, alerts going to the subscribed channels. */
  runResearch: () => Promise<ResearchRunSummary>;
  /** Actions on one production run one at a time in this process, so a double click sees the first. */
  serial: <T>(productionId: string, work: () => Promise<T>) => Promise<T>;
}

/** An interaction as the listeners use it. */
export interface Incoming {
  token: InteractionToken;
  channelId: string;
  /** "" outside a guild. */
  guildId: string;
  actor: Actor;
}

export function incoming(interaction: BaseInteraction): Incoming {
  const member = interaction.member as GuildMember | APIInteractionGuildMember | null;
  const nick = member && "nick" in member ? member.nick : null;
  const user = interaction.user;
  return {
    token: { id: interaction.id, token: interaction.token, createdAt: interaction.createdTimestamp },
    channelId: interaction.channelId ?? "",
    guildId: interaction.guildId ?? "",
    actor: {
      platform: "discord",
      user_id: user.id,
      workspace_id: interaction.guildId ?? null,
      privileged: interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false,
      display_name: nick || user.globalName || user.username,
    },
  };
}

/** Runs work keyed by production one at a time (in this process). */
export function serialiser(): BotContext["serial"] {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const run = (tails.get(key) ?? Promise.resolve()).catch(() => {}).then(work);
    tails.set(key, run);
    void run
      .catch(() => {})
      .finally(() => {
        if (tails.get(key) === run) tails.delete(key);
      });
    return run;
  };
}

/** Discord's answer to a second callback for one interaction. */
const ALREADY_ACKNOWLEDGED = 40060;

/**
 * An ephemeral answer: the interaction's reply when it is not acknowledged yet, else a follow-up;
 * a view too long for one message continues in further private follow-ups (never cut).
 * Only the clicker sees it; an expired token drops it (it must never become public).
 */
export async function tellPrivately(
  ctx: BotContext,
  inc: Incoming,
  view: View,
  acknowledged: boolean,
): Promise<void> {
  const [first, ...rest] = renderDiscordMessages(view).map((m) => ({ ...m, flags: EPHEMERAL }));
  try {
    if (acknowledged) await ctx.api.followUp(inc.token.token, first!);
    else
      await ctx.api.callback(inc.token, CALLBACK.reply, first!).catch(async (err: unknown) => {
        // Answered already (a handler failed after its defer): the follow-up still reaches the clicker.
        if (!(err instanceof DiscordAPIError) || err.code !== ALREADY_ACKNOWLEDGED) throw err;
        await ctx.api.followUp(inc.token.token, first!);
      });
    for (const message of rest) await ctx.api.followUp(inc.token.token, message);
  } catch (err) {
    ctx.logger.warn({ err, interaction: inc.token.id }, "could not send an ephemeral reply");
  }
}

/** An error as a private answer: a refusal, a conflict saying what happened instead, or what to fix. */
export async function tellError(
  ctx: BotContext,
  inc: Incoming,
  error: unknown,
  acknowledged: boolean,
): Promise<void> {
  if (!(error instanceof Error) || error.name === "Error")
    ctx.logger.error({ err: error, interaction: inc.token.id }, "Discord interaction failed");
  return tellPrivately(ctx, inc, errorView(error, { retry: false }), acknowledged);
}
