/**
 * `/vrd` opens the brief form; `/vrd <pasted JSON or YAML>` starts from that text. A pasted brief
 * that does not validate gets an ephemeral list of the fields to fix and a button opening the form
 * pre-filled with what was understood.
 */
import { ValidationError } from "../../../../domain/errors.js";
import { parseVrdText } from "../../../../domain/vrd.js";
import { encodeAction } from "../../../core/actions.js";
import { errorView } from "../../../core/error-view.js";
import { vrdForm } from "../../../core/forms.js";
import { button, type View } from "../../../core/view.js";
import { type SlackContext, tellUser } from "../../context.js";
import { draftFromText } from "../../draft.js";
import { openModal } from "../../modals.js";
import type { SlashCommand } from "../../payloads.js";
import { claimEvent, saveDraft } from "../../store.js";

/** The fields to fix, and the button that opens the form with what was understood. */
export function invalidBriefView(error: ValidationError): View {
  const view = errorView(error);
  return {
    ...view,
    elements: [
      ...view.elements,
      {
        type: "actions",
        items: [button("Open the form", encodeAction({ kind: "vrd_form" }), "primary")],
      },
    ],
  };
}

/** Runs after the command was acknowledged. */
export async function vrdCommand(ctx: SlackContext, cmd: SlashCommand): Promise<void> {
  const text = cmd.text.trim();
  const where = { channel: cmd.channel_id, user: cmd.user_id };
  if (!text) {
    await openModal(ctx, cmd.trigger_id, vrdForm("slack"), { channel: cmd.channel_id });
    return;
  }
  // A trigger id is issued once per command: a second delivery of the same one does nothing.
  if (!(await claimEvent(ctx.db, `command:${cmd.trigger_id}`))) return;
  try {
    const vrd = parseVrdText(text);
    await ctx.service.start(
      vrd,
      {
        platform: "slack",
        workspace_id: cmd.team_id || null,
        channel_id: cmd.channel_id,
        thread_id: null,
        user_id: cmd.user_id,
      },
      { requestKey: `slack:command:${cmd.trigger_id}` },
    );
    // The root message and the thread follow from the production's events (production-updates.ts).
  } catch (error) {
    if (error instanceof ValidationError) {
      await saveDraft(ctx.db, cmd.team_id, cmd.user_id, draftFromText(text));
      await ctx.messenger.ephemeral(cmd.channel_id, cmd.user_id, invalidBriefView(error));
      return;
    }
    await tellUser(ctx, where, error);
  }
}
