/**
 * Button clicks and menu choices. The clicked id is an encoded action (core/actions.ts), so a click
 * says what it means; the service decides whether it may happen. What changes in the thread follows
 * from the production's events; here only the clicker hears back, ephemerally, when something is
 * refused ("Already approved by Ana", "Only @owner … can approve").
 */

import type { Production, ReviewStage } from "../../../../domain/production.js";
import { answerFromAction, type BotAction, decodeAction } from "../../../core/actions.js";
import { answersForm, reviseForm, vrdForm } from "../../../core/forms.js";
import { REVIEWED } from "../../../core/review-views.js";
import { paragraph, type View, words } from "../../../core/view.js";
import { type SlackContext, tellUser } from "../../context.js";
import { openModal } from "../../modals.js";
import type { BlockActions } from "../../payloads.js";
import { claimEvent, findMessage, loadDraft } from "../../store.js";

const say = (text: string): View => ({ summary: text, elements: [paragraph([words(text)])] });

/** Runs after the click was acknowledged. */
export async function productionAction(ctx: SlackContext, body: BlockActions): Promise<void> {
  const item = body.actions[0]!;
  const user = body.user.id;
  const team = body.team?.id ?? body.user.team_id ?? "";
  const channel = body.channel?.id ?? body.container?.channel_id;
  const thread = body.message?.thread_ts ?? body.message?.ts;
  const where = { channel, user, thread };
  // A menu's chosen option carries the full action; a button its action_id.
  const id = item.type === "static_select" ? item.selected_option?.value : item.action_id;
  // The same click delivered twice (a retry) is handled once.
  if (!(await claimEvent(ctx.db, `action:${item.action_ts || body.trigger_id}:${user}:${id}`))) return;

  let action: BotAction;
  try {
    action = decodeAction(id);
  } catch {
    if (channel)
      await ctx.messenger.ephemeral(channel, user, say("This button is not valid any more."), thread);
    return;
  }
  try {
    await perform(ctx, action, { body, team, user, channel, thread });
  } catch (error) {
    await tellUser(ctx, where, error, { productionId: action.productionId, version: action.version });
  }
}

interface Click {
  body: BlockActions;
  team: string;
  user: string;
  channel?: string;
  thread?: string;
}

async function perform(ctx: SlackContext, action: BotAction, click: Click): Promise<void> {
  const { service } = ctx;
  const place = { channel: click.channel, thread: click.thread };
  if (action.kind === "vrd_form") {
    const draft = await loadDraft(ctx.db, click.team, click.user);
    return openModal(ctx, click.body.trigger_id, vrdForm("slack", draft), { channel: click.channel });
  }
  const id = action.productionId as string;
  const actor = () => ctx.actors.actor(click.user, click.team);
  switch (action.kind) {
    case "approve":
      await service.approve(id, action.stage as ReviewStage, await actor(), action.version);
      return;
    case "revise": {
      const p = await service.get(id);
      return openModal(ctx, click.body.trigger_id, reviseForm(p, action.stage as ReviewStage), place);
    }
    case "download":
      return download(ctx, await service.get(id), action.stage as ReviewStage, click);
    case "answer": {
      const p = await service.get(id);
      await service.answer(id, answerFromAction(p, action), await actor());
      return;
    }
    case "answer_all": {
      const p = await service.get(id);
      if (p.questions.every((q) => p.answers[q.id] !== undefined) || p.stage !== "clarifying") {
        if (click.channel)
          await ctx.messenger.ephemeral(
            click.channel,
            click.user,
            say("The questions are already answered."),
            click.thread,
          );
        return;
      }
      return openModal(ctx, click.body.trigger_id, answersForm(p), place);
    }
    case "skip":
      await service.skipQuestions(id, await actor());
      return;
    case "retry":
      await service.retry(id, await actor());
      return;
    case "cancel":
      await service.cancel(id, await actor());
      return;
    case "repost": {
      // Posts what could not be posted (the bot was not in the channel); already posted parts stay.
      await ctx.catchUp(id);
      const root = await findMessage(ctx.db, id, "root");
      if (!root[0]?.ts && click.channel)
        await ctx.messenger.ephemeral(
          click.channel,
          click.user,
          say("I still cannot post in that channel. Invite me there (/invite @Greenlight) and try again."),
          click.thread,
        );
      return;
    }
  }
}

/** Download JSON: the artefact as a file in the thread (files.uploadV2). */
async function download(ctx: SlackContext, p: Production, stage: ReviewStage, click: Click): Promise<void> {
  const key = REVIEWED[stage];
  const file = key.replace("_", "-");
  const artefact = p[key];
  if (!artefact || !click.channel) {
    if (click.channel)
      await ctx.messenger.ephemeral(
        click.channel,
        click.user,
        say(`There is no ${file.replace("-", " ")} to download yet.`),
        click.thread,
      );
    return;
  }
  // A double click on Download JSON (two block_actions, different action_ts) uploads one file.
  if (!(await firstWithin(ctx, `download:${p.id}:${stage}:${artefact.version}:${click.user}`))) return;
  const upload = {
    filename: `${p.id}-${file}-v${artefact.version}.json`,
    title: `${p.vrd.title} — ${file.replace("-", " ")} v${artefact.version}`,
    content: `${JSON.stringify(artefact, null, 2)}\n`,
  };
  // files.uploadV2: files.getUploadURLExternal, the upload itself, then files.completeUploadExternal.
  await ctx.client.files.uploadV2(
    click.thread
      ? { ...upload, channel_id: click.channel, thread_ts: click.thread }
      : { ...upload, channel_id: click.channel },
  );
}

/** Two requests this close together are one double click. */
const DOUBLE_CLICK_S = 5;

/**
 * True unless the same `key` was claimed less than DOUBLE_CLICK_S ago (across replicas: claimed in
 * the database). Each call claims the key in two time grids offset by half a window; two calls less
 * than DOUBLE_CLICK_S apart always share a slot in at least one of them.
 */
async function firstWithin(ctx: SlackContext, key: string): Promise<boolean> {
  const window = 2 * DOUBLE_CLICK_S;
  const now = Date.now() / 1000;
  const slots = [Math.floor(now / window), Math.floor((now + DOUBLE_CLICK_S) / window)];
  const claimed = await Promise.all(slots.map((slot, grid) => claimEvent(ctx.db, `${key}:${grid}:${slot}`)));
  return claimed.every(Boolean);
}
