/**
 * Modal submissions: the brief (start a production in a new thread), a revision request and the
 * answers to the clarifying questions. Problems a person can fix are answered at once, privately,
 * naming the fields, with a button that reopens the form; otherwise the submission is acknowledged
 * before the production service is called.
 */
import type { ModalSubmitInteraction } from "discord.js";
import { ValidationError } from "../../../domain/errors.js";
import type { Production, ReviewStage } from "../../../domain/production.js";
import { type Vrd, type VrdForm, vrdFromForm } from "../../../domain/vrd.js";
import { type BotAction, decodeAction } from "../../core/actions.js";
import { errorView } from "../../core/error-view.js";
import {
  answersForm,
  answersFromValues,
  reviseForm,
  revisionFromValues,
  vrdFormFromValues,
} from "../../core/forms.js";
import { paragraph, typed, type View, words } from "../../core/view.js";
import { CALLBACK, isTransient } from "../api.js";
import { discordFormErrors, renderDiscordMessages, valuesFromDiscordModal } from "../render.js";
import { deleteDraft, findMessage, loadDraft, saveDraft, savePendingReply } from "../store.js";
import { nextBatchView } from "./answer-batches.js";
import { briefForm, lengthAndPlatform, onFormFields } from "./brief-form.js";
import { type BotContext, type Incoming, tellError, tellPrivately } from "./context.js";

/** What /vrd took as options; the modal supplies the rest. */
const OPTION_KEYS = ["duration_seconds", "platform", "quality_priority"] as const;

export async function onModal(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  inc: Incoming,
): Promise<void> {
  let action: BotAction;
  try {
    action = decodeAction(interaction.customId);
  } catch (err) {
    return tellError(ctx, inc, err, false);
  }
  const values = valuesFromDiscordModal(interaction.components as never);
  if (action.kind === "vrd_form") return submitBrief(ctx, interaction, inc, values);
  const productionId = action.productionId!;
  if (action.kind === "revise") {
    const stage = action.stage as ReviewStage;
    const form = reviseForm({ id: productionId, version: action.version ?? 1 }, stage);
    let request: ReturnType<typeof revisionFromValues>;
    try {
      request = revisionFromValues(values, stage);
    } catch (err) {
      if (err instanceof ValidationError)
        return ctx.api.callback(inc.token, CALLBACK.reply, discordFormErrors(err, form));
      throw err;
    }
    await ctx.api.callback(inc.token, CALLBACK.deferUpdate);
    try {
      await ctx.serial(productionId, () =>
        ctx.service.revise(productionId, stage, request, inc.actor, action.version),
      );
      ctx.updates.useToken(productionId, inc.token, inc.channelId);
    } catch (err) {
      if (err instanceof ValidationError)
        await ctx.api.followUp(inc.token.token, discordFormErrors(err, form)).catch(() => {});
      else await tellError(ctx, inc, err, true);
    }
    return;
  }
  if (action.kind === "answer_all") {
    await ctx.api.callback(inc.token, CALLBACK.deferUpdate);
    try {
      const after = await ctx.serial(productionId, async () => {
        const production = await ctx.service.get(productionId);
        return ctx.service.answer(productionId, answersFromValues(values, production), inc.actor);
      });
      ctx.updates.useToken(productionId, inc.token, inc.channelId);
      // More questions than a modal holds: the next batch is one click away.
      const more = after.stage === "clarifying" ? nextBatchView(after, Number(action.value) || 0) : null;
      if (more) await tellPrivately(ctx, inc, more, true);
    } catch (err) {
      const production = await ctx.service.get(productionId).catch(() => null);
      if (err instanceof ValidationError && production)
        await ctx.api
          .followUp(inc.token.token, discordFormErrors(err, answersForm(production)))
          .catch(() => {});
      else await tellError(ctx, inc, err, true);
    }
    return;
  }
  return tellError(
    ctx,
    inc,
    new ValidationError([{ field: "form", message: "is not one of ours" }], "form"),
    false,
  );
}

/**
 * A brief: invalid → a private list of what to fix (what was typed is kept for "Fix and resend");
 * valid → the reply becomes the production's root card, a thread is started from it (ThreadUpdates.open,
 * which a restart also runs for a start that died half-way), and the production runs there. When
 * Discord fails to make the card or thread for a while, the starter is told, and they follow by
 * themselves (ThreadUpdates.recover, the restart's path).
 */
async function submitBrief(
  ctx: BotContext,
  interaction: ModalSubmitInteraction,
  inc: Incoming,
  values: Record<string, string | undefined>,
): Promise<void> {
  const { db, api, service, actor } = { ...ctx, actor: inc.actor };
  const stored = await loadDraft(db, inc.guildId, actor.user_id);
  const options: VrdForm = {};
  for (const key of OPTION_KEYS) if (stored[key]) options[key] = stored[key];
  // The modal the person filled in (with a Length & platform box when /vrd lacked those options).
  const shown = briefForm(stored);
  const form = { ...vrdFormFromValues(values, options), ...lengthAndPlatform(values) };
  let vrd: Vrd;
  try {
    vrd = vrdFromForm(form);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    await Promise.all([
      api.callback(inc.token, CALLBACK.reply, discordFormErrors(onFormFields(err, shown), shown)),
      saveDraft(db, inc.guildId, actor.user_id, form),
    ]);
    return;
  }
  await api.callback(inc.token, CALLBACK.deferReply);
  const requestKey = `discord:${interaction.id}`;
  try {
    // Kept first: if this process dies before the card is drawn, a restart turns the reply into it.
    await savePendingReply(db, requestKey, inc.channelId, inc.token);
    const production = await service.start(
      vrd,
      {
        platform: "discord",
        workspace_id: inc.guildId || null,
        channel_id: inc.channelId,
        thread_id: null,
        user_id: actor.user_id,
      },
      { requestKey },
    );
    await deleteDraft(db, inc.guildId, actor.user_id);
    try {
      await ctx.updates.open(production.id, { token: inc.token, startedByName: actor.display_name });
    } catch (err) {
      if (!isTransient(err)) throw err;
      ctx.logger.warn({ err, production_id: production.id }, "Discord failed to show a new production");
      await tellShownLater(ctx, inc, production);
      ctx.updates.recover(production.id);
      return;
    }
    await ctx.updates.catchUp(production.id);
  } catch (err) {
    ctx.logger.error({ err }, "starting a Discord production failed");
    const [message] = renderDiscordMessages(errorView(err, { retry: false }));
    await api.editOriginal(inc.token.token, message!).catch(() => {});
  }
}

const notice = (spans: Parameters<typeof paragraph>[0]): View => ({
  summary: spans.map((s) => s.text).join(""),
  elements: [paragraph(spans)],
});

/**
 * The production started but Discord, failing for now, did not take its card or thread. A reply not
 * yet turned into the card says so itself (and becomes the card once Discord answers); otherwise the
 * starter gets a private note under the card.
 */
async function tellShownLater(ctx: BotContext, inc: Incoming, production: Production): Promise<void> {
  const title = typed(production.vrd.title, "bold");
  const [root] = await findMessage(ctx.db, production.id, "root");
  if (root?.ts)
    return tellPrivately(
      ctx,
      inc,
      notice([
        title,
        words(
          " has started, but Discord did not open its thread just now. Greenlight keeps trying: the thread appears under the card by itself, with the questions in it. There is nothing to send again.",
        ),
      ]),
      true,
    );
  const [message] = renderDiscordMessages(
    notice([
      title,
      words(
        " has started, but Discord did not answer when Greenlight tried to show it here. Greenlight keeps trying: this message becomes the production's card, with a thread for the questions, as soon as Discord answers. There is nothing to send again.",
      ),
    ]),
  );
  await ctx.api
    .editOriginal(inc.token.token, message!)
    .catch((err: unknown) => ctx.logger.warn({ err }, "could not say that a production is shown later"));
}
