/**
 * Slash commands. `/vrd` answers with the brief modal at once (its options wait in bot_drafts for the
 * submission); `/toolstack` searches the catalogue, (un)subscribes the channel to research alerts or
 * starts a research run.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import { ForbiddenError, ValidationError } from "../../../domain/errors.js";
import type { VrdForm } from "../../../domain/vrd.js";
import { searchTools, subscribe, unsubscribe } from "../../../research/subscriptions.js";
import {
  researchRunView,
  searchResultsView,
  subscriptionView,
  unsubscribedView,
} from "../../core/toolstack-views.js";
import { paragraph, type View, words } from "../../core/view.js";
import { CALLBACK, isExpiredToken, tokenFresh } from "../api.js";
import { renderDiscordMessages, renderDiscordModal } from "../render.js";
import { saveDraft } from "../store.js";
import { briefForm } from "./brief-form.js";
import { type BotContext, type Incoming, tellError, tellPrivately } from "./context.js";

export async function onCommand(ctx: BotContext, interaction: ChatInputCommandInteraction, inc: Incoming) {
  if (interaction.commandName === "vrd") return startBrief(ctx, interaction, inc);
  if (interaction.commandName === "toolstack") return toolstack(ctx, interaction, inc);
  await tellPrivately(ctx, inc, notice(`Unknown command /${interaction.commandName}.`), false);
}

/** The /vrd options, kept until the modal comes back (a modal submission does not carry them). */
function briefOptions(interaction: ChatInputCommandInteraction): VrdForm {
  const duration = interaction.options.getInteger("duration");
  const platform = interaction.options.getString("platform");
  const quality = interaction.options.getString("quality");
  return {
    ...(duration !== null ? { duration_seconds: String(duration) } : {}),
    ...(platform ? { platform } : {}),
    ...(quality ? { quality_priority: quality } : {}),
  };
}

async function startBrief(ctx: BotContext, interaction: ChatInputCommandInteraction, inc: Incoming) {
  const options = briefOptions(interaction);
  // The modal must be the first answer; the options are stored alongside (the person is still typing).
  await Promise.all([
    ctx.api.callback(inc.token, CALLBACK.modal, renderDiscordModal(briefForm(options))),
    saveDraft(ctx.db, inc.guildId, inc.actor.user_id, options),
  ]);
}

const notice = (text: string): View => ({ summary: text, elements: [paragraph([words(text)])] });

async function toolstack(ctx: BotContext, interaction: ChatInputCommandInteraction, inc: Incoming) {
  const sub = interaction.options.getSubcommand(false);
  if (sub !== "search" && !inc.actor.privileged)
    return tellError(
      ctx,
      inc,
      new ForbiddenError("Only members with Manage Messages can change alerts or run research."),
      false,
    );
  const ref = { platform: "discord" as const, workspace: inc.guildId, channel: inc.channelId };
  try {
    if (sub === "search") {
      const text = interaction.options.getString("text", true);
      await ctx.api.callback(inc.token, CALLBACK.deferReply);
      const [first, ...rest] = renderDiscordMessages(
        searchResultsView(text, await searchTools(ctx.db, text)),
      );
      await ctx.api.editOriginal(inc.token.token, first!);
      for (const message of rest) await ctx.api.followUp(inc.token.token, message);
      return;
    }
    if (sub === "subscribe") {
      const topics = (interaction.options.getString("topics") ?? "").split(/[\s,]+/).filter(Boolean);
      const subscription = await subscribe(ctx.db, { ...ref, topics, by: inc.actor.user_id });
      const [message] = renderDiscordMessages(subscriptionView(subscription));
      return ctx.api.callback(inc.token, CALLBACK.reply, message);
    }
    if (sub === "unsubscribe") {
      const [message] = renderDiscordMessages(unsubscribedView(await unsubscribe(ctx.db, ref)));
      return ctx.api.callback(inc.token, CALLBACK.reply, message);
    }
    if (sub === "research") {
      await ctx.api.callback(inc.token, CALLBACK.deferReply);
      // A run can outlast the interaction token: the result then goes to the channel.
      const [message] = renderDiscordMessages(researchRunView(await ctx.runResearch()));
      if (tokenFresh(inc.token, ctx.now()))
        try {
          await ctx.api.editOriginal(inc.token.token, message!);
          return;
        } catch (err) {
          if (!isExpiredToken(err)) throw err;
        }
      await ctx.api.post(inc.channelId, message!);
      return;
    }
    throw new ValidationError([{ field: "subcommand", message: `unknown: ${sub ?? "(none)"}` }], "command");
  } catch (err) {
    const acknowledged = sub === "search" || sub === "research";
    await tellError(ctx, inc, err, acknowledged);
    if (acknowledged)
      await ctx.api
        .editOriginal(
          inc.token.token,
          renderDiscordMessages(notice("Could not finish: see the message below."))[0]!,
        )
        .catch(() => {});
  }
}
