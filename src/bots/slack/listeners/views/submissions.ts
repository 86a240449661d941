/**
 * Modal submissions: the brief form, Revise and Answer all. A problem with what was typed is
 * answered inline (`response_action: "errors"`), so the person keeps their input; the form is checked
 * before the acknowledgement, and the service's own checks are waited for as long as Slack's 3 s
 * allow. Anything found later is told ephemerally in the thread.
 */
import { ValidationError } from "../../../../domain/errors.js";
import type { ReviewStage } from "../../../../domain/production.js";
import { vrdFromForm } from "../../../../domain/vrd.js";
import { assertStorable } from "../../../../production/storable.js";
import { type BotAction, decodeAction } from "../../../core/actions.js";
import {
  answersForm,
  answersFromValues,
  CHANNEL_FIELD,
  type FormSpec,
  reviseForm,
  revisionFromValues,
  vrdForm,
  vrdFormWithChannel,
} from "../../../core/forms.js";
import { type SlackContext, tellUser } from "../../context.js";
import { placeFromMetadata, type ViewSubmission } from "../../payloads.js";
import {
  formFromSlackViewState,
  type SlackViewState,
  slackFormErrors,
  valuesFromSlackViewState,
} from "../../render.js";
import { claimEvent, deleteDraft, releaseEvent } from "../../store.js";

const NO_CHANNEL = { field: CHANNEL_FIELD, message: "choose the channel to post the production in" };

export type Ack = (response?: Record<string, unknown>) => Promise<void>;

/** How long a submission waits for the service before acknowledging anyway (Slack allows 3 s). */
export const SERVICE_BUDGET_MS = 2000;

/** The service's field names → the form's field ids (shotIds → shots, answers.tone → tone). */
function onForm(error: ValidationError): ValidationError {
  return new ValidationError(
    error.problems.map((p) => ({
      ...p,
      field: p.field === "shotIds" ? "shots" : p.field.replace(/^answers\./, ""),
    })),
    error.what,
  );
}

export async function submission(ctx: SlackContext, body: ViewSubmission, ack: Ack): Promise<void> {
  const { view } = body;
  const user = body.user.id;
  const team = body.team?.id ?? body.user.team_id ?? "";
  const place = placeFromMetadata(view.private_metadata);
  const where = { channel: place.channel, user, thread: place.thread };
  const state = view.state as SlackViewState;

  let action: BotAction;
  try {
    action = decodeAction(view.callback_id);
  } catch {
    await ack();
    return;
  }

  if (action.kind === "vrd_form") {
    const form = formFromSlackViewState(state);
    // Opened from a channel (/vrd) the modal knows it; from a global shortcut the person picked one.
    const picker = CHANNEL_FIELD in (state.values ?? {});
    const channel = place.channel ?? valuesFromSlackViewState(state)[CHANNEL_FIELD];
    const shown = picker ? vrdFormWithChannel("slack", form) : vrdForm("slack", form);
    let vrd: ReturnType<typeof vrdFromForm>;
    try {
      vrd = vrdFromForm(form);
      // The service refuses text the database cannot store; found here, it is shown on the form.
      assertStorable(vrd, "VRD");
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const problems = channel ? error.problems : [...error.problems, NO_CHANNEL];
      return ack(slackFormErrors(new ValidationError(problems, error.what), shown));
    }
    if (!channel) {
      if (picker) return ack(slackFormErrors(new ValidationError([NO_CHANNEL], "VRD"), shown));
      await ack();
      return;
    }
    await ack();
    if (!(await claimEvent(ctx.db, `view:${view.id}`))) return;
    try {
      await ctx.service.start(
        vrd,
        {
          platform: "slack",
          workspace_id: team || null,
          channel_id: channel,
          thread_id: null,
          user_id: user,
        },
        { requestKey: `slack:view:${view.id}` },
      );
      // The brief went through: the next form starts empty, not from an old failed paste.
      await deleteDraft(ctx.db, team, user);
    } catch (error) {
      await tellUser(ctx, { ...where, channel }, error);
    }
    return;
  }

  const id = action.productionId as string;
  const values = valuesFromSlackViewState(state);
  let form: FormSpec | undefined;
  let run: () => Promise<unknown>;
  try {
    if (action.kind === "revise") {
      const stage = action.stage as ReviewStage;
      form = reviseForm({ id, version: action.version ?? 1 }, stage);
      const request = revisionFromValues(values, stage);
      run = async () =>
        ctx.service.revise(id, stage, request, await ctx.actors.actor(user, team), action.version);
    } else if (action.kind === "answer_all") {
      const p = await ctx.service.get(id);
      form = answersForm(p);
      const answers = answersFromValues(values, p);
      if (Object.keys(answers).length === 0)
        return ack({
          response_action: "errors",
          errors: { [form.fields[0]?.id ?? "x"]: "answer at least one question" },
        });
      run = async () => ctx.service.answer(id, answers, await ctx.actors.actor(user, team));
    } else {
      return ack();
    }
  } catch (error) {
    if (error instanceof ValidationError && form) return ack(slackFormErrors(onForm(error), form));
    await ack();
    return tellUser(ctx, where, error, { productionId: id });
  }
  // A double submit is handled once; a submission sent back with errors may be sent again.
  const key = `view:${view.id}`;
  if (!(await claimEvent(ctx.db, key))) return ack();

  // The service call, raced against the budget: a ValidationError in time is shown on the form.
  const work = run().then(
    () => null,
    (error: unknown) => error,
  );
  const timer = new Promise<"late">((resolve) =>
    setTimeout(() => resolve("late"), SERVICE_BUDGET_MS).unref(),
  );
  const first = await Promise.race([work, timer]);
  if (first instanceof ValidationError) {
    await releaseEvent(ctx.db, key);
    return ack(slackFormErrors(onForm(first), form));
  }
  await ack();
  const error = first === "late" ? await work : first;
  if (error) await tellUser(ctx, where, error, { productionId: id });
}
