/**
 * A reply typed in a production's thread while its questions are open answers the first open
 * question (a free-text one first); a typed option label picks that option.
 */

/** Message subtypes that are still a person's reply ("Also send to #channel" is thread_broadcast). */
const REPLY_SUBTYPES = new Set(["thread_broadcast"]);

import type { z } from "zod";
import { answersFromValues } from "../../../core/forms.js";
import { type SlackContext, tellUser } from "../../context.js";
import type { ThreadMessage } from "../../payloads.js";
import { productionOfThread } from "../../store.js";

export async function threadReply(
  ctx: SlackContext,
  message: z.infer<typeof ThreadMessage>,
  team: string,
): Promise<void> {
  const text = message.text.trim();
  if (
    !text ||
    (message.subtype && !REPLY_SUBTYPES.has(message.subtype)) ||
    message.bot_id ||
    message.thread_ts === message.ts
  )
    return;
  const id = await productionOfThread(ctx.db, message.channel, message.thread_ts);
  if (!id) return;
  const where = { channel: message.channel, user: message.user, thread: message.thread_ts };
  try {
    const p = await ctx.service.get(id);
    if (p.stage !== "clarifying") return;
    const open = p.questions.filter((q) => p.answers[q.id] === undefined);
    const question = open.find((q) => q.options.length === 0) ?? open[0];
    if (!question) return;
    const answers = answersFromValues({ [question.id]: text }, p);
    await ctx.service.answer(id, answers, await ctx.actors.actor(message.user, team));
  } catch (error) {
    await tellUser(ctx, where, error, { productionId: id });
  }
}
