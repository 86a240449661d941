/**
 * Buttons and menus. Each click is acknowledged first (deferUpdate, or a modal where the click opens
 * one), then the production service decides; a refusal or a conflict ("Already approved by Ana") is
 * said privately to the clicker. What changes in the thread comes from the service's events.
 */
import type { ButtonInteraction, StringSelectMenuInteraction } from "discord.js";
import { errorMessage, ValidationError } from "../../../domain/errors.js";
import type { ReviewStage } from "../../../domain/production.js";
import { assertMayAct } from "../../../production/access.js";
import { answerFromAction, type BotAction, decodeAction } from "../../core/actions.js";
import { REVIEW_NOUN } from "../../core/format.js";
import { reviseForm } from "../../core/forms.js";
import { REVIEWED } from "../../core/review-views.js";
import { bold, paragraph, typed, words } from "../../core/view.js";
import { CALLBACK } from "../api.js";
import { EPHEMERAL, renderDiscordMessages, renderDiscordModal } from "../render.js";
import { loadDraft } from "../store.js";
import { answersBatch } from "./answer-batches.js";
import { briefForm } from "./brief-form.js";
import { type BotContext, type Incoming, tellError, tellPrivately } from "./context.js";

export async function onComponent(
  ctx: BotContext,
  interaction: ButtonInteraction | StringSelectMenuInteraction,
  inc: Incoming,
): Promise<void> {
  let action: BotAction;
  try {
    // A menu's own id only names it: the chosen option's value is the action.
    action = decodeAction(interaction.isStringSelectMenu() ? interaction.values[0] : interaction.customId);
  } catch {
    return tellPrivately(ctx, inc, stale(), false);
  }
  if (action.kind === "vrd_form") return reopenBrief(ctx, inc);
  const productionId = action.productionId!;
  if (action.kind === "revise" || action.kind === "answer_all") {
    // These open a modal, which must be the first answer: check what we can before.
    try {
      return await openForm(ctx, inc, action);
    } catch (err) {
      return tellError(ctx, inc, err, false);
    }
  }
  if (action.kind === "download") return download(ctx, inc, action);

  await ctx.api.callback(inc.token, CALLBACK.deferUpdate);
  try {
    await ctx.serial(productionId, () => decide(ctx, inc, action));
    ctx.updates.useToken(productionId, inc.token, inc.channelId);
  } catch (err) {
    await tellError(ctx, inc, err, true);
  }
}

const stale = () => ({
  summary: "This button is not valid any more",
  elements: [paragraph([words("This button is not valid any more. Use the newest message in the thread.")])],
});

async function decide(ctx: BotContext, inc: Incoming, action: BotAction): Promise<void> {
  const { service } = ctx;
  const id = action.productionId!;
  switch (action.kind) {
    case "approve":
      await service.approve(id, action.stage!, inc.actor, action.version);
      return;
    case "skip":
      await service.skipQuestions(id, inc.actor);
      return;
    case "retry":
      await service.retry(id, inc.actor);
      return;
    case "cancel":
      await service.cancel(id, inc.actor);
      return;
    case "answer": {
      const production = await service.get(id);
      const given = production.answers[action.questionId ?? ""];
      // Answering has no version guard: a second click on a question answered meanwhile does nothing.
      if (production.stage !== "clarifying" || given !== undefined)
        throw new ValidationError(
          [{ field: "answer", message: "this question is already answered — see the thread" }],
          "answer",
        );
      await service.answer(id, answerFromAction(production, action), inc.actor);
      return;
    }
    default:
      throw new ValidationError(
        [{ field: "action", message: `cannot ${action.kind} from a button` }],
        "button",
      );
  }
}

/** Revise and Answer all open a modal (checked first: a stranger is refused before typing). */
async function openForm(ctx: BotContext, inc: Incoming, action: BotAction): Promise<void> {
  const production = await ctx.service.get(action.productionId!);
  await assertMayAct(ctx.db, production, inc.actor, action.kind === "revise" ? "revise" : "answer");
  if (action.kind === "revise") {
    const stage = action.stage as ReviewStage;
    const form = reviseForm({ id: production.id, version: action.version ?? production.version }, stage);
    return ctx.api.callback(inc.token, CALLBACK.modal, renderDiscordModal(form));
  }
  if (production.stage !== "clarifying")
    throw new ValidationError(
      [{ field: "questions", message: "are already answered — see the thread" }],
      "answers",
    );
  // A modal holds five inputs: the batch the button names (the first five open questions by default).
  const start = Number(action.value);
  const form = answersBatch(production, Number.isInteger(start) ? start : 0);
  return ctx.api.callback(inc.token, CALLBACK.modal, renderDiscordModal(form));
}

/** "Fix and resend": the brief modal again, pre-filled with what the person typed. */
async function reopenBrief(ctx: BotContext, inc: Incoming): Promise<void> {
  const draft = await loadDraft(ctx.db, inc.guildId, inc.actor.user_id);
  await ctx.api.callback(inc.token, CALLBACK.modal, renderDiscordModal(briefForm(draft)));
}

/** Download JSON: the artefact as an attachment, privately. */
async function download(ctx: BotContext, inc: Incoming, action: BotAction): Promise<void> {
  await ctx.api.callback(inc.token, CALLBACK.deferReply, { flags: EPHEMERAL });
  try {
    const production = await ctx.service.get(action.productionId!);
    const stage = action.stage as ReviewStage;
    const key = REVIEWED[stage];
    const artefact = production[key];
    if (!artefact)
      throw new ValidationError(
        [{ field: key, message: `there is no ${REVIEW_NOUN[stage]} yet` }],
        "download",
      );
    const name = `${production.id}-${key}.json`;
    const [message] = renderDiscordMessages({
      summary: name,
      elements: [paragraph([words("📎 "), bold(name)])],
    });
    await ctx.api.editOriginal(inc.token.token, message!, [
      { name, data: Buffer.from(`${JSON.stringify(artefact, null, 2)}\n`) },
    ]);
  } catch (err) {
    const [message] = renderDiscordMessages({
      summary: "Could not prepare the download",
      elements: [paragraph([typed(errorMessage(err))])],
    });
    await ctx.api.editOriginal(inc.token.token, message!).catch(() => {});
  }
}
